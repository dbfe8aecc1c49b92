import { createHash } from 'node:crypto';
import type pg from 'pg';
import { CompiledQuery, PostgresDialect, PostgresDriver, type DatabaseConnection, type Driver, type QueryResult, type TransactionSettings } from 'kysely';
import { AbstractSqlConnection, PostgreSqlConnection, PostgreSqlDriver, type Configuration } from '@mikro-orm/postgresql';
import { assertOrmInternals } from './internals.js';

/**
 * Fewer round trips to PostgreSQL for the same statements (issue 7). On this kind of machine a round
 * trip costs the server about as much CPU as building a small page of a response, so an operation's
 * statements travel together wherever their order allows:
 *
 * - `begin` and the principal's `set_config` are not sent on their own: they wait on the connection
 *   and go in front of the transaction's first statement, in one simple-protocol message. A
 *   transaction that ends before any statement sends nothing at all.
 * - Statements of one transaction issued in the same turn of the event loop (the DataLoaders of one
 *   level of a GraphQL selection) go as one message, and each gets its own result back.
 *
 * Both rely on what MikroORM sends: every statement with its values inlined as escaped literals, no
 * parameters, so PostgreSQL's simple protocol carries several statements in one message and answers
 * each in turn. Statements run in the order they were issued, in the same transaction, exactly as
 * they would one by one; if one fails, PostgreSQL skips the rest of the message, and the transaction
 * is aborted, as it would have been for the statements that followed.
 *
 * MikroORM has no public hook for this: the internals it relies on are listed, and checked when the
 * ORM is created, in internals.ts.
 */

let messagesSent = 0;

/** Messages (round trips) this process has sent to PostgreSQL through the ORM since it started. */
export function databaseMessages(): number {
  return messagesSent;
}

/** One statement's result in Kysely's shape. */
function kyselyResult(result: pg.QueryResult): QueryResult<unknown> {
  const { command, rowCount, rows } = result;
  const changes = command === 'INSERT' || command === 'UPDATE' || command === 'DELETE' || command === 'MERGE';
  return { numAffectedRows: changes ? BigInt(rowCount ?? 0) : undefined, rows: rows ?? [] };
}

/** A query that only queues its statement on the connection, to go in front of the next one sent. */
interface DeferredQuery extends CompiledQuery {
  deferred: true;
}

/** Several statements to send as one message; the answer carries one result per statement. */
interface BatchQuery extends CompiledQuery {
  batch: number;
}

/** A parameterised statement sent under a name: PostgreSQL parses and plans it once per connection. */
interface PreparedQuery extends CompiledQuery {
  prepared: string;
}

/**
 * The most statements prepared by name, across the process: each costs memory in every pooled
 * connection that runs it, so statements beyond these run unnamed. A text is prepared once it has
 * come PREPARE_AFTER times, so shapes a client sends once (new aliases each time) do not take the
 * places of those sent all day; the sightings are forgotten when MAX_SIGHTINGS texts were seen.
 */
const MAX_PREPARED = 200;
const PREPARE_AFTER = 3;
const MAX_SIGHTINGS = 10_000;
const preparedNames = new Set<string>();
const sightings = new Map<string, number>();

/** The statement's name: from its text, so the same text is one prepared statement; null while it is not (yet) prepared. */
function preparedName(sql: string): string | null {
  const name = `c_${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`;
  if (preparedNames.has(name)) return name;
  if (preparedNames.size >= MAX_PREPARED) return null;
  const seen = (sightings.get(name) ?? 0) + 1;
  if (seen < PREPARE_AFTER) {
    if (sightings.size >= MAX_SIGHTINGS) sightings.clear();
    sightings.set(name, seen);
    return null;
  }
  sightings.delete(name);
  preparedNames.add(name);
  return name;
}

interface BatchResult extends QueryResult<unknown> {
  batch: QueryResult<unknown>[];
}

function deferredQuery(sql: string): DeferredQuery {
  return { ...CompiledQuery.raw(sql), deferred: true };
}

/** A pooled pg client, with the statements waiting to go in front of its next message. */
class RoundTripConnection implements DatabaseConnection {
  private readonly waiting: string[] = [];
  constructor(readonly client: pg.PoolClient) {}

  get hasWaiting(): boolean {
    return this.waiting.length > 0;
  }

  /** Drops what waits: a transaction that never sent a statement has nothing to end. */
  discardWaiting(): void {
    this.waiting.length = 0;
  }

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    if ((compiled as DeferredQuery).deferred) {
      this.waiting.push(compiled.sql);
      return { rows: [] };
    }
    const parameters = compiled.parameters as unknown[];
    if (parameters.length > 0) {
      // A parameterised statement needs the extended protocol, one statement per message.
      if (this.waiting.length > 0) {
        messagesSent += 1;
        await this.client.query(this.waiting.splice(0).join(';\n'));
      }
      messagesSent += 1;
      const name = (compiled as PreparedQuery).prepared;
      const answer = name ? await this.client.query({ name, text: compiled.sql, values: parameters }) : await this.client.query(compiled.sql, parameters);
      return kyselyResult(answer) as QueryResult<R>;
    }
    const prefix = this.waiting.splice(0);
    const text = prefix.length > 0 ? `${prefix.join(';\n')};\n${compiled.sql}` : compiled.sql;
    messagesSent += 1;
    const answer = (await this.client.query(text)) as unknown as pg.QueryResult | pg.QueryResult[];
    const results = (Array.isArray(answer) ? answer : [answer]).slice(prefix.length);
    const batch = (compiled as BatchQuery).batch;
    if (batch !== undefined) {
      if (results.length !== batch) throw new Error(`a batch of ${batch} statements answered with ${results.length} results`);
      return { rows: [], batch: results.map(kyselyResult) } as BatchResult as unknown as QueryResult<R>;
    }
    // A statement text holding several statements answers like Kysely's own driver: no rows.
    return (results.length === 1 ? kyselyResult(results[0]) : { rows: [] }) as QueryResult<R>;
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming query results is not used by cus-platform');
  }
}

const BEGIN_SQL = (settings: TransactionSettings) =>
  settings.isolationLevel || settings.accessMode
    ? ['start transaction', settings.isolationLevel && `isolation level ${settings.isolationLevel}`, settings.accessMode].filter(Boolean).join(' ')
    : 'begin';

/** Kysely's PostgreSQL driver, with connections that defer `begin` and carry batches. */
class RoundTripDriver extends PostgresDriver {
  constructor(private readonly pool: pg.Pool) {
    super({ pool });
  }

  /** A wrapper per checkout: nothing waiting is ever handed on with the pooled client. */
  override async acquireConnection(): Promise<DatabaseConnection> {
    return new RoundTripConnection(await this.pool.connect());
  }

  override async releaseConnection(connection: DatabaseConnection): Promise<void> {
    (connection as RoundTripConnection).client.release();
  }

  override async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    await connection.executeQuery(deferredQuery(BEGIN_SQL(settings)));
  }

  override async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await this.endTransaction(connection as RoundTripConnection, 'commit');
  }

  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await this.endTransaction(connection as RoundTripConnection, 'rollback');
  }

  private async endTransaction(connection: RoundTripConnection, sql: 'commit' | 'rollback'): Promise<void> {
    if (connection.hasWaiting) {
      // Nothing but the begin (and settings) was ever due: the server has no transaction to end.
      connection.discardWaiting();
      return;
    }
    await connection.executeQuery(CompiledQuery.raw(sql));
  }
}

/** Kysely's PostgreSQL dialect with the round-trip driver. */
class RoundTripDialect extends PostgresDialect {
  constructor(private readonly pool: pg.Pool) {
    super({ pool });
  }

  override createDriver(): Driver {
    return new RoundTripDriver(this.pool);
  }
}

interface Pending {
  sql: string;
  resolve: (result: QueryResult<unknown>) => void;
  reject: (error: unknown) => void;
}

/** What MikroORM's connection keeps to itself but a subclass needs. */
interface Internals {
  prepareQuery(query: unknown, params: unknown[]): { query: string; params: unknown[]; formatted: string };
}

type Transaction = { executeQuery(query: CompiledQuery): Promise<QueryResult<unknown>> };
type SessionContext = { variables?: Record<string, unknown>; role?: string };

/** MikroORM's PostgreSQL connection on the round-trip driver, batching each transaction's statements. */
export class RoundTripConnectionManager extends PostgreSqlConnection {
  private readonly batches = new WeakMap<object, Pending[]>();

  constructor(...args: ConstructorParameters<typeof PostgreSqlConnection>) {
    super(...args);
    // MikroORM's typings keep applySessionContext private; it is the step that sends the settings.
    (this as unknown as { applySessionContext: RoundTripConnectionManager['deferSessionContext'] }).applySessionContext = (
      trx,
      sessionContext,
      loggerContext,
    ) => this.deferSessionContext(trx, sessionContext, loggerContext);
  }

  override createKyselyDialect(overrides: pg.PoolConfig): PostgresDialect {
    // MikroORM builds the pool (its options, type parsers and error handlers) and hands it over here.
    let pool: pg.Pool | undefined;
    const { onPoolCreated } = (overrides ?? {}) as { onPoolCreated?: (pool: pg.Pool) => unknown };
    super.createKyselyDialect({
      ...overrides,
      onPoolCreated: (created: pg.Pool) => {
        pool = created;
        return onPoolCreated?.(created);
      },
    } as pg.PoolConfig);
    if (!pool) throw new Error('MikroORM did not hand over its pg pool');
    return new RoundTripDialect(pool);
  }

  /** The principal's settings wait for the transaction's first statement, like its begin. */
  private async deferSessionContext(trx: Transaction, sessionContext: SessionContext, loggerContext?: unknown): Promise<void> {
    const variables = Object.entries(sessionContext.variables ?? {});
    if (variables.length > 0) {
      const parts = variables.map(() => 'set_config(?, ?, true)').join(', ');
      const params = variables.flatMap(([key, value]) => [key, this.stringifySessionVariable(value)]);
      const query = `select ${parts}`;
      const formatted = this.platform.formatQuery(query, params);
      await trx.executeQuery(deferredQuery(formatted));
      this.logQuery(this.getSql(query, formatted, loggerContext as never), loggerContext as never);
    }
    if (sessionContext.role) {
      const sql = `set local role ${AbstractSqlConnection.quoteRole(sessionContext.role)}`;
      await trx.executeQuery(deferredQuery(sql));
      this.logQuery(sql, loggerContext as never);
    }
  }

  /**
   * Ends the transaction `trx` holds and begins another on the same connection with the same
   * settings; all three wait for the new transaction's first statement, so they cost no round trip.
   */
  async restartTransaction(trx: Transaction, end: 'commit' | 'rollback', sessionContext: SessionContext | undefined, loggerContext?: unknown): Promise<void> {
    for (const sql of [end, 'begin']) {
      await trx.executeQuery(deferredQuery(sql));
      this.logQuery(sql, loggerContext as never);
    }
    if (sessionContext) await this.deferSessionContext(trx, sessionContext, loggerContext);
  }

  /**
   * Sends `sql` (parameters `$1`..`$n`) as a prepared statement with a generic plan: the server makes
   * such statements over and over (compiled reads), and planning one was a third of its time. What
   * waits (begin, the settings) goes first, in a message of its own; the transaction's statements so
   * far must have been sent.
   */
  async executePrepared<T>(ctx: Transaction, sql: string, params: unknown[]): Promise<T[]> {
    await this.ensureConnection();
    const name = preparedName(sql);
    // Custom plans would plan every execution again; the statement's plan does not depend on its values.
    if (name) await ctx.executeQuery(deferredQuery('set local plan_cache_mode = force_generic_plan'));
    const raw = CompiledQuery.raw(sql, params);
    const query: CompiledQuery | PreparedQuery = name ? { ...raw, prepared: name } : raw;
    const result = await this.executeQuery(sql, () => ctx.executeQuery(query), { query: sql, params });
    return result.rows as T[];
  }

  /**
   * Statements of a transaction are collected for the rest of this turn of the event loop and sent
   * together. Statements outside a transaction, with an abort signal, or whose text may hold several
   * statements (a ';' anywhere) go on their own, as MikroORM sends them.
   */
  override async execute(
    query: unknown,
    params: unknown[] = [],
    method: 'all' | 'get' | 'run' = 'all',
    ctx?: Transaction,
    loggerContext?: Record<string, unknown>,
  ): Promise<any> {
    const aborts = loggerContext?.signal != null || loggerContext?.inflightQueryAbortStrategy != null;
    if (!ctx || aborts) return super.execute(query as string, params, method, ctx, loggerContext);
    await this.ensureConnection();
    const prepared = (this as unknown as Internals).prepareQuery(query, params);
    if (prepared.formatted.includes(';')) return super.execute(query as string, params, method, ctx, loggerContext);
    const sql = this.getSql(prepared.query, prepared.formatted, loggerContext);
    return this.executeQuery(sql, async () => this.transformRawResult(await this.inBatch(ctx, prepared.formatted), method), { ...prepared, ...loggerContext });
  }

  private inBatch(ctx: Transaction, sql: string): Promise<QueryResult<unknown>> {
    return new Promise((resolve, reject) => {
      let batch = this.batches.get(ctx);
      if (!batch) {
        const created: Pending[] = [];
        batch = created;
        this.batches.set(ctx, created);
        setImmediate(() => void this.sendBatch(ctx, created));
      }
      batch.push({ sql, resolve, reject });
    });
  }

  private async sendBatch(ctx: Transaction, batch: Pending[]): Promise<void> {
    this.batches.delete(ctx);
    try {
      if (batch.length === 1) {
        batch[0].resolve(await ctx.executeQuery(CompiledQuery.raw(batch[0].sql)));
        return;
      }
      const query: BatchQuery = { ...CompiledQuery.raw(batch.map((p) => p.sql).join(';\n')), batch: batch.length };
      const { batch: results } = (await ctx.executeQuery(query)) as BatchResult;
      batch.forEach((pending, i) => pending.resolve(results[i]));
    } catch (error) {
      for (const pending of batch) pending.reject(error);
    }
  }
}

/** MikroORM's PostgreSQL driver on the round-trip connection (the ORM's `driver` option). */
export class RoundTripPostgreSqlDriver extends PostgreSqlDriver {
  constructor(config: Configuration) {
    super(config);
    // Fails at start-up, naming what changed, if this MikroORM lacks an internal the extension relies on.
    assertOrmInternals({ driver: this, connection: this.connection });
    // The base constructor builds a PostgreSqlConnection; ours replaces it before anything connects.
    (this as unknown as { connection: PostgreSqlConnection }).connection = new RoundTripConnectionManager(config);
  }
}
