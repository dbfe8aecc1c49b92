import pg from 'pg';
import type { Logger } from '../logger.js';
import { OUTBOX_CHANNEL, OUTBOX_DISPATCHER } from '../../../migrations/Migration20261123000600Ipus.js';
import type { EventHub } from './event-hub.js';
import { fromOutboxRow, OUTBOX_COLUMNS, type OutboxRow } from './outbox-event.js';

const PAGE = 1000;
/** A missed NOTIFY (a dropped connection, say) delays events by at most this long. */
const POLL_MS = 2000;
const RECONNECT_MIN_MS = 250;
const RECONNECT_MAX_MS = 5000;

/**
 * The one LISTEN connection of a server instance (ARCHITECTURE.md, "Live plan updates"). NOTIFY
 * wakes it after a commit; it reads every outbox event after the last one it published, in id
 * order, and hands them to the hub. Outbox ids become visible in commit order (see the migration),
 * so reading "after the last id" never skips an event. When the connection drops it reconnects by
 * itself and reads what it missed meanwhile.
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

  constructor(private readonly url: string, private readonly hub: EventHub, private readonly log: Logger) {
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

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.pollTimer);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    await this.draining?.catch(() => undefined);
    await this.client?.end().catch(() => undefined);
    this.client = null;
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url, application_name: 'cus-platform outbox listener' });
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client, null));
    client.on('notification', (message) => {
      if (message.payload && /^\d+$/.test(message.payload) && (this.notifiedId === null || BigInt(message.payload) > BigInt(this.notifiedId))) {
        this.notifiedId = message.payload;
      }
      this.wake();
    });
    await client.connect();
    await client.query(`listen ${OUTBOX_CHANNEL}`);
    this.client = client;
    this.reconnectDelay = RECONNECT_MIN_MS;
    if (this.lastId === null) {
      const result = await this.asDispatcher(client, 'select coalesce(max(id), 0)::text as id from outbox_event');
      this.lastId = (result[0] as { id: string }).id;
    }
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
      this.reconnectTimer = null;
      this.connect().catch((error) => {
        this.log.warn('outbox listener could not reconnect', { error: (error as Error).message });
        this.reconnectDelay = Math.min(this.reconnectDelay * 2, RECONNECT_MAX_MS);
        this.scheduleReconnect();
      });
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
    try {
      for (;;) {
        const client = this.client;
        if (!client || this.lastId === null) return;
        const rows = (await this.asDispatcher(client,
          `select ${OUTBOX_COLUMNS} from outbox_event where id > ${BigInt(this.lastId)} order by id limit ${PAGE}`)) as OutboxRow[];
        for (const row of rows) {
          this.lastId = row.id;
          this.hub.publish(fromOutboxRow(row));
        }
        if (rows.length < PAGE) return;
      }
    } catch (error) {
      if (!this.stopped) this.log.warn('outbox read failed', { error: (error as Error).message });
    }
  }

  /**
   * Runs one read as the dispatcher principal, whose settings (like every principal's) last for one
   * transaction; sent as a single round trip. `sql` holds no client input.
   */
  private async asDispatcher(client: pg.Client, sql: string): Promise<unknown[]> {
    try {
      const results = (await client.query(
        `begin read only; select set_config('app.role', '${OUTBOX_DISPATCHER}', true); ${sql}; commit`,
      )) as unknown as pg.QueryResult[];
      return results[2].rows;
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    }
  }
}
