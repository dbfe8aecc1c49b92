import { Utils } from '@mikro-orm/core';
import { AbstractSqlConnection, PostgreSqlConnection, type PostgreSqlDriver } from '@mikro-orm/postgresql';

/**
 * This folder extends MikroORM where it has no public hook (issue 7's profiles showed the round trips
 * and the managed entities of read-only operations were the largest costs):
 *
 * - round-trips.ts: MikroORM's PostgreSQL driver and connection, with `begin` and the principal's
 *   settings deferred to the first statement and each transaction's statements of one event-loop turn
 *   sent as one message;
 * - read-rows.ts: loaders' rows read as plain instances in read-only operations.
 *
 * Every MikroORM internal the two rely on is listed below with a check of its shape. The driver runs
 * the checks when the ORM is created (RoundTripPostgreSqlDriver's constructor), so a MikroORM upgrade
 * that renames, removes or reshapes one fails at start-up, naming it, instead of silently changing
 * what is sent. Protected members are also checked by the compiler (we call them from a subclass);
 * private ones and behaviour only here. read-rows.ts otherwise uses public, typed API (the entity
 * metadata's props, kind, persist, formula, fieldNames, customType and tableName; driver.mapResult),
 * which the compiler checks. An upgrade of MikroORM (or of Kysely, whose PostgresDriver
 * round-trips.ts extends through public methods) should also run tests/read-rows.test.ts,
 * tests/statement-count.test.ts and tests/batching.test.ts, which measure what this folder saves.
 */

/** What the checks look at: the ORM's driver, the connection it built and its platform. */
export interface OrmInternalsSubject {
  driver: PostgreSqlDriver;
  connection: PostgreSqlConnection;
}

interface Internal {
  /** As MikroORM names it: Class#member (instance) or Class.member (static). */
  name: string;
  /** What of ours relies on it, and how. */
  reliedOnBy: string;
  /** Expected shape, as read in the error. */
  expected: string;
  holds(subject: OrmInternalsSubject): boolean;
}

type Members = Record<string, unknown>;
const members = (value: object) => value as unknown as Members;
const isFunction = (value: unknown, arity?: number) => typeof value === 'function' && (arity === undefined || value.length === arity);
/** A method's source text, to check a call MikroORM makes inside it. */
const sourceOf = (value: unknown) => (typeof value === 'function' ? Function.prototype.toString.call(value) : '');

export const ORM_INTERNALS: readonly Internal[] = [
  {
    name: 'AbstractSqlConnection#applySessionContext (private)',
    reliedOnBy: "round-trips.ts replaces it on each connection so the principal's set_config waits for the first statement",
    expected: 'a method (trx, sessionContext, loggerContext)',
    holds: ({ connection }) => isFunction(members(connection).applySessionContext, 3),
  },
  {
    name: 'AbstractSqlConnection#begin calls this.applySessionContext',
    reliedOnBy: 'round-trips.ts: the replacement only takes effect if begin reaches it through `this`',
    expected: "begin's source to call this.applySessionContext(",
    holds: ({ connection }) => sourceOf(members(connection).begin).includes('this.applySessionContext('),
  },
  {
    name: 'AbstractSqlConnection#prepareQuery (private)',
    reliedOnBy: 'round-trips.ts execute: the statement text with its values inlined, as MikroORM would send it',
    expected: 'a method (query, params) returning { query, params, formatted }',
    holds: ({ driver, connection }) => {
      const prepare = members(connection).prepareQuery;
      if (!isFunction(prepare)) return false;
      // The check runs while the ORM is being built, before the connection is handed its platform.
      const withPlatform = Object.create(connection, { platform: { value: driver.getPlatform() } }) as object;
      const prepared = (prepare as (query: string, params: unknown[]) => Members).call(withPlatform, 'select ?', [1]);
      return prepared?.query === 'select ?' && Array.isArray(prepared.params) && prepared.formatted === 'select 1';
    },
  },
  {
    name: 'AbstractSqlDriver#connection (protected readonly)',
    reliedOnBy: 'round-trips.ts RoundTripPostgreSqlDriver replaces it in its constructor with its own connection',
    expected: 'an own field holding the PostgreSqlConnection that getConnection() returns',
    holds: ({ driver }) =>
      Object.hasOwn(driver, 'connection') &&
      members(driver).connection instanceof PostgreSqlConnection &&
      driver.getConnection() === members(driver).connection,
  },
  {
    name: 'PostgreSqlConnection#createKyselyDialect hands its pool to overrides.onPoolCreated',
    reliedOnBy: 'round-trips.ts builds its own Kysely dialect on the pg pool MikroORM configured',
    expected: "createKyselyDialect's source to call onPoolCreated",
    holds: ({ connection }) => sourceOf(members(connection).createKyselyDialect).includes('onPoolCreated'),
  },
  ...['stringifySessionVariable', 'getSql', 'logQuery', 'executeQuery', 'transformRawResult', 'ensureConnection'].map((member): Internal => ({
    name: `AbstractSqlConnection#${member} (protected)`,
    reliedOnBy: 'round-trips.ts RoundTripConnectionManager, to send, log and shape results as MikroORM does',
    expected: 'a method',
    holds: ({ connection }) => isFunction(members(connection)[member]),
  })),
  {
    name: 'AbstractSqlConnection.quoteRole (protected static)',
    reliedOnBy: 'round-trips.ts: the deferred `set local role`',
    expected: 'a static method (role)',
    holds: () => isFunction((AbstractSqlConnection as unknown as Members).quoteRole, 1),
  },
  {
    name: 'Platform#formatQuery inlines values as escaped literals, lists expanded',
    reliedOnBy: 'round-trips.ts joins statements into one simple-protocol message (no parameters); read-rows.ts writes `in (?)` with a list',
    expected: `formatQuery("select ?, ? in (?)", ["it's", 1, [1, 2]]) to be "select 'it''s', 1 in (1, 2)"`,
    holds: ({ driver }) => driver.getPlatform().formatQuery('select ?, ? in (?)', ["it's", 1, [1, 2]]) === "select 'it''s', 1 in (1, 2)",
  },
];

/** The internals that do not hold on `subject`, with what was expected. */
export function missingOrmInternals(subject: OrmInternalsSubject): string[] {
  return ORM_INTERNALS.filter((internal) => {
    try {
      return !internal.holds(subject);
    } catch {
      return true;
    }
  }).map((internal) => `${internal.name}: expected ${internal.expected}; ${internal.reliedOnBy}`);
}

/** Throws, naming each internal that is missing or reshaped and the installed MikroORM version. */
export function assertOrmInternals(subject: OrmInternalsSubject): void {
  const missing = missingOrmInternals(subject);
  if (missing.length === 0) return;
  throw new Error(
    `MikroORM ${Utils.getORMVersion()} lacks internals that src/platform/database/orm-extension relies on ` +
      `(see its internals.ts; adapt the extension or pin MikroORM):\n- ${missing.join('\n- ')}`,
  );
}
