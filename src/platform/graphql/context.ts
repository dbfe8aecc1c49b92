import DataLoader from 'dataloader';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Principal } from '../auth/principal.js';
import { entityManagerAs } from '../auth/run-as.js';
import type { Logger } from '../logger.js';
import type { EventHub } from '../events/event-hub.js';
import type { RoundTripConnectionManager } from '../database/orm-extension/round-trips.js';
import type { ModuleSettings } from '../config.js';

/**
 * Everything one GraphQL operation needs, built once per request: who is asking, the entity
 * manager bound to the operation's transaction, and the per-request DataLoaders.
 */
export interface RequestContext {
  principal: Principal;
  em: EntityManager;
  operation: OperationTransaction;
  loaders: Map<string, DataLoader<unknown, unknown>>;
  log: Logger;
  /** For work that needs operations of its own (a subscription's replay and events). */
  orm: MikroORM;
  /** This instance's fan-out of committed events to subscribers. */
  events: EventHub;
  /** PostgreSQL's statement_timeout for each statement of the operation (0: none). */
  statementTimeoutMs: number;
  /** The modules' settings from the configuration (src/app.ts hands them over). */
  settings: ModuleSettings;
}

/**
 * One transaction per operation. Its first statement sets the principal's settings
 * (set_config(..., true)), which the row-level-security policies read; commit or rollback
 * ends them, so a pooled connection carries nothing into the next request.
 */
export class OperationTransaction {
  private state: 'idle' | 'open' | 'closed' = 'idle';
  private isReadOnly = false;
  private readonly records: ((em: EntityManager) => Promise<void>)[] = [];
  constructor(private readonly em: EntityManager) {}

  /**
   * Writes that must be kept whenever the operation's data leaves the server, even when the
   * operation itself failed and is rolled back, and even when it was a read-only query: the access
   * log of residents' records. They run in a transaction of their own, with the same principal's
   * settings, right after the operation's; if they cannot be saved, the response carries an error
   * instead of the data.
   */
  record(write: (em: EntityManager) => Promise<void>): void {
    this.records.push(write);
  }

  get open(): boolean {
    return this.state === 'open';
  }

  /** Whether the operation's transaction is READ ONLY (a query or a subscription's read). */
  get readOnly(): boolean {
    return this.state === 'open' && this.isReadOnly;
  }

  /**
   * Queries run in a READ ONLY transaction: the database refuses any write a resolver might
   * attempt, and ending it needs no flush of the entities it loaded. A compiled query
   * (compiled/compiled-reads.ts) writes its access log in its one statement, so its transaction
   * may write, and commits.
   */
  async begin(kind: 'query' | 'mutation' | 'subscription', options: { logsInStatement?: boolean } = {}): Promise<void> {
    if (this.state !== 'idle') return;
    this.isReadOnly = kind !== 'mutation' && !options.logsInStatement;
    await this.em.begin({ readOnly: this.isReadOnly });
    this.state = 'open';
  }

  /** Commits when the operation succeeded; rolls back on any error so a refused operation changes nothing. */
  async end(succeeded: boolean): Promise<void> {
    if (this.state !== 'open') return;
    this.state = 'closed';
    if (this.isReadOnly && this.records.length > 0) return this.saveRecordsInPlace();
    if (succeeded && !this.isReadOnly) {
      try {
        await this.em.commit();
      } catch (error) {
        await this.em.rollback().catch(() => undefined);
        throw error;
      }
    } else {
      await this.em.rollback();
    }
    if (this.records.length > 0) await this.saveRecords();
  }

  /**
   * A read-only operation changed nothing, so its transaction ends (rolled back) and the records'
   * transaction begins on the same connection, in the same message as the first record's write.
   */
  private async saveRecordsInPlace(): Promise<void> {
    const writes = this.records.splice(0);
    this.em.clear();
    try {
      const connection = this.em.getConnection() as unknown as RoundTripConnectionManager;
      await connection.restartTransaction(this.em.getTransactionContext()!, 'rollback', this.em.getSessionContext());
      for (const write of writes) await write(this.em);
      await this.em.commit();
    } catch (error) {
      await this.em.rollback().catch(() => undefined);
      throw error;
    }
  }

  private async saveRecords(): Promise<void> {
    const writes = this.records.splice(0);
    // Detach what the operation loaded, so this commit flushes nothing but the records.
    this.em.clear();
    await this.em.begin();
    try {
      for (const write of writes) await write(this.em);
      await this.em.commit();
    } catch (error) {
      await this.em.rollback().catch(() => undefined);
      throw error;
    }
  }
}

export function createRequestContext(
  orm: MikroORM,
  principal: Principal,
  log: Logger,
  events: EventHub,
  statementTimeoutMs: number,
  settings: ModuleSettings,
): RequestContext {
  // The timeout rides in the same set_config statement as the principal's settings: no extra round trip,
  // and like them it ends with the transaction. A statement waiting on a lock counts too.
  const em = entityManagerAs(orm, principal, { statement_timeout: String(statementTimeoutMs) });
  return { principal, em, operation: new OperationTransaction(em), loaders: new Map(), log, orm, events, statementTimeoutMs, settings };
}

/**
 * Runs `work` as a read-only operation of its own for the same principal: a new transaction, new
 * loaders, its own records. Long-lived operations (subscriptions) use it for each read they make.
 */
export function inFreshQuery<T>(ctx: RequestContext, work: (fresh: RequestContext) => Promise<T>): Promise<T> {
  const fresh = createRequestContext(ctx.orm, ctx.principal, ctx.log, ctx.events, ctx.statementTimeoutMs, ctx.settings);
  return inOperation(fresh, 'query', () => work(fresh));
}

/** Runs `work` inside the context's operation transaction (WebSocket operations, scripts). */
export async function inOperation<T>(
  ctx: RequestContext,
  kind: 'query' | 'mutation' | 'subscription',
  work: () => Promise<T>,
  failed?: (result: T) => boolean,
): Promise<T> {
  await ctx.operation.begin(kind);
  let result: T;
  try {
    result = await work();
  } catch (error) {
    await ctx.operation.end(false).catch(() => undefined);
    throw error;
  }
  await ctx.operation.end(!(failed?.(result) ?? false));
  return result;
}

/**
 * The request's DataLoader called `name`, created on first use. Loaders live only as long as the
 * request, and run inside its transaction, so their caches never cross principals or tenants.
 */
export function loader<K, V>(ctx: RequestContext, name: string, batch: (keys: readonly K[]) => Promise<(V | Error)[]>): DataLoader<K, V> {
  let existing = ctx.loaders.get(name) as DataLoader<K, V> | undefined;
  if (!existing) {
    existing = new DataLoader<K, V>(batch, { maxBatchSize: 1000 });
    ctx.loaders.set(name, existing);
  }
  return existing;
}

/** Orders batch results by the requested keys; a missing key resolves to null. */
export function byKeys<K, V>(keys: readonly K[], rows: V[], keyOf: (row: V) => K): (V | null)[] {
  const map = new Map<K, V>();
  for (const row of rows) map.set(keyOf(row), row);
  return keys.map((key) => map.get(key) ?? null);
}

/** Groups batch results by the requested keys; a key with no rows gets an empty list. */
export function groupByKeys<K, V>(keys: readonly K[], rows: V[], keyOf: (row: V) => K): V[][] {
  const map = new Map<K, V[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const list = map.get(key);
    if (list) list.push(row);
    else map.set(key, [row]);
  }
  return keys.map((key) => map.get(key) ?? []);
}
