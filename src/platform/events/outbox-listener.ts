import pg from 'pg';
import type { Logger } from '../logger.js';
import { SYSTEM_PRINCIPALS } from '../auth/principal.js';
import { readInOneMessage } from '../auth/run-as.js';
import { OUTBOX_CHANNEL } from './outbox-channel.js';
import type { EventHub } from './event-hub.js';
import { fromOutboxRow, outboxPageSql, type OutboxRow } from './outbox-event.js';

const PAGE = 1000;
/** A missed NOTIFY (a dropped connection, say) delays events by at most this long. */
const POLL_MS = 2000;
const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 5000;
/** Connecting, or one read, taking longer than this means the connection is gone (a peer that vanished without a reset). */
const CONNECTION_TIMEOUT_MS = 5000;
const READ_TIMEOUT_MS = 10_000;

/**
 * The one LISTEN connection of a server instance (README, "The event's walk"). NOTIFY
 * wakes it after a commit; it reads every outbox event after the last one it published, in id
 * order, and hands them to the hub. Outbox ids become visible in commit order (see the migration),
 * so reading "after the last id" never skips an event.
 *
 * When the connection drops (PostgreSQL restarted, a network cut, a read that hangs) it reconnects
 * by itself, with a growing delay while the database stays away, and first reads everything
 * committed after the last event it published: NOTIFYs sent while it was away are lost, the events
 * are not, and none is published twice.
 */
export class OutboxListener {
  private client: pg.Client | null = null;
  private lastId: string | null = null;
  /** The highest event id a NOTIFY announced: the lag is how far the published events trail it. */
  private notifiedId: string | null = null;
  private draining: Promise<void> | null = null;
  private wakeAgain = false;
  private stopped = false;
  private reconnectDelay = RECONNECT_MIN_MS;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private readonly pollTimer: NodeJS.Timeout;

  constructor(
    private readonly url: string,
    private readonly hub: EventHub,
    private readonly log: Logger,
  ) {
    this.pollTimer = setInterval(() => this.wake(), POLL_MS);
    this.pollTimer.unref();
  }

  /** Connects and starts from the newest committed event: earlier ones reach subscribers only by replay. */
  async start(): Promise<void> {
    await this.connect();
  }

  /** Events announced by the database and not yet handed to this instance's subscribers. */
  get lag(): number {
    if (this.notifiedId === null || this.lastId === null) return 0;
    const behind = BigInt(this.notifiedId) - BigInt(this.lastId);
    return behind > 0n ? Number(behind) : 0;
  }

  /** Whether the LISTEN connection is up (it is being re-established otherwise). */
  get connected(): boolean {
    return this.client !== null;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.pollTimer);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    await this.draining?.catch(() => undefined);
    await this.client?.end().catch(() => undefined);
    this.client = null;
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.url,
      // The process id tells an operator (and the fault tests) which instance a listener belongs to.
      application_name: `cus-platform outbox listener ${process.pid}`,
      connectionTimeoutMillis: CONNECTION_TIMEOUT_MS,
      query_timeout: READ_TIMEOUT_MS,
      keepAlive: true,
    });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, null));
    client.on('notification', (message) => {
      if (message.payload && /^\d+$/.test(message.payload) && (this.notifiedId === null || BigInt(message.payload) > BigInt(this.notifiedId))) {
        this.notifiedId = message.payload;
      }
      this.wake();
    });
    try {
      await client.connect();
      await client.query(`listen ${OUTBOX_CHANNEL}`);
      // Listening before reading the starting point: an event committed in between is read, not missed.
      if (this.lastId === null) {
        const result = await this.asDispatcher(client, 'select coalesce(max(id), 0)::text as id from outbox_event');
        this.lastId = (result[0] as { id: string }).id;
      }
    } catch (error) {
      client.removeAllListeners('end');
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    const wasAway = this.reconnectDelay > RECONNECT_MIN_MS || this.reconnectTimer !== null;
    this.client = client;
    this.reconnectDelay = RECONNECT_MIN_MS;
    if (wasAway) this.log.info('outbox listener reconnected; reading the events committed meanwhile', { afterEventId: this.lastId });
    this.wake();
  }

  private lost(client: pg.Client, error: Error | null): void {
    if (this.client !== client) return;
    this.client = null;
    client.removeAllListeners('end');
    void client.end().catch(() => undefined);
    if (this.stopped) return;
    this.log.warn('outbox listener lost its connection; reconnecting', { error: error?.message });
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectTimer) return;
    this.reconnectTimer = setTimeout(() => {
      this.connect().then(
        () => {
          this.reconnectTimer = null;
        },
        (error) => {
          this.reconnectTimer = null;
          this.log.warn('outbox listener could not reconnect', { error: (error as Error).message, retryInMs: this.reconnectDelay * 2 });
          this.reconnectDelay = Math.min(this.reconnectDelay * 2, RECONNECT_MAX_MS);
          this.scheduleReconnect();
        },
      );
    }, this.reconnectDelay);
    this.reconnectTimer.unref();
  }

  /** Reads and publishes what is new; a wake-up during a read makes it read once more. */
  private wake(): void {
    if (this.stopped || !this.client || this.lastId === null) return;
    if (this.draining) {
      this.wakeAgain = true;
      return;
    }
    this.draining = this.drain().finally(() => {
      this.draining = null;
      if (this.wakeAgain) {
        this.wakeAgain = false;
        this.wake();
      }
    });
  }

  private async drain(): Promise<void> {
    const client = this.client;
    try {
      for (;;) {
        if (!client || this.client !== client || this.lastId === null) return;
        const rows = (await this.asDispatcher(client, outboxPageSql(`id > ${BigInt(this.lastId)}`, PAGE))) as OutboxRow[];
        for (const row of rows) {
          this.lastId = row.id;
          this.hub.publish(fromOutboxRow(row));
        }
        if (rows.length < PAGE) return;
      }
    } catch (error) {
      if (this.stopped || !client) return;
      // A read that failed or hung says the connection cannot be trusted: start over on a new one,
      // which reads from the same last id, so nothing is skipped or published twice.
      this.lost(client, error as Error);
    }
  }

  /**
   * Runs one read as the dispatcher principal, whose settings (like every principal's) last for one
   * transaction; sent as a single round trip. `sql` holds no client input.
   */
  private async asDispatcher(client: pg.Client, sql: string): Promise<unknown[]> {
    // No rollback on failure: a connection whose read failed is dropped and replaced.
    return readInOneMessage(client, { system: SYSTEM_PRINCIPALS.OUTBOX_DISPATCHER }, sql);
  }
}
