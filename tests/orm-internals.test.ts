import { describe, expect, it } from 'vitest';
import { Configuration, PostgreSqlConnection, PostgreSqlDriver, Utils } from '@mikro-orm/postgresql';
import { assertOrmInternals, missingOrmInternals, ORM_INTERNALS } from '../src/platform/database/orm-extension/internals.js';
import { RoundTripPostgreSqlDriver } from '../src/platform/database/orm-extension/round-trips.js';

/**
 * The ORM extension (src/platform/database/orm-extension) relies on MikroORM internals; the driver
 * checks them when the ORM is created. These tests need no database: nothing here connects.
 */
const config = () => new Configuration({ clientUrl: 'postgresql://nobody@127.0.0.1:1/none', driver: PostgreSqlDriver, entities: [] }, false);
const version = Utils.getORMVersion();

/** A stand-in for `target` with `member` replaced (undefined: missing), the rest as installed. */
function replaced<T extends object>(target: T, member: string, value: unknown): T {
  return Object.create(target, { [member]: { value } }) as T;
}

describe('the MikroORM internals the ORM extension relies on', () => {
  it('all hold on the installed MikroORM, and the round-trip driver is built', () => {
    const plain = new PostgreSqlDriver(config());
    expect(missingOrmInternals({ driver: plain, connection: plain.getConnection() })).toEqual([]);
    const driver = new RoundTripPostgreSqlDriver(config());
    expect(missingOrmInternals({ driver, connection: driver.getConnection() })).toEqual([]);
  });

  it('a connection lacking the private applySessionContext fails, naming it and the version', () => {
    const driver = new PostgreSqlDriver(config());
    const connection = replaced(driver.getConnection(), 'applySessionContext', undefined);
    expect(() => assertOrmInternals({ driver, connection })).toThrowError(
      `MikroORM ${version} lacks internals that src/platform/database/orm-extension relies on (see its internals.ts; adapt the extension or pin MikroORM):\n` +
        '- AbstractSqlConnection#applySessionContext (private): expected a method (trx, sessionContext, loggerContext); ' +
        "round-trips.ts replaces it on each connection so the principal's set_config waits for the first statement",
    );
  });

  it('a reshaped prepareQuery, a begin that no longer calls applySessionContext, parameters sent apart: each is named', () => {
    const driver = new PostgreSqlDriver(config());
    let connection = replaced(driver.getConnection(), 'prepareQuery', (query: string) => ({ sql: query }));
    connection = replaced(connection, 'begin', async function begin() {});
    const platform = replaced(driver.getPlatform(), 'formatQuery', (query: string) => query);
    Object.defineProperty(driver, 'getPlatform', { value: () => platform });
    const missing = missingOrmInternals({ driver, connection }).map((line) => line.split(':')[0]);
    expect(missing).toEqual([
      'AbstractSqlConnection#begin calls this.applySessionContext',
      'AbstractSqlConnection#prepareQuery (private)',
      'Platform#formatQuery inlines values as escaped literals, lists expanded',
    ]);
  });

  it('a driver whose getConnection no longer reads its connection field fails (replacing the field would do nothing)', () => {
    const driver = new PostgreSqlDriver(config());
    const connection = driver.getConnection();
    Object.defineProperty(driver, 'getConnection', { value: () => new PostgreSqlConnection(config()) });
    expect(missingOrmInternals({ driver, connection })).toEqual([expect.stringMatching(/^AbstractSqlDriver#connection \(protected readonly\)/)]);
  });

  it('creating the ORM fails at once when an internal is gone from the installed MikroORM', () => {
    const prototype = PostgreSqlConnection.prototype as unknown as Record<string, unknown>;
    Object.defineProperty(prototype, 'prepareQuery', { value: undefined, configurable: true });
    try {
      expect(() => new RoundTripPostgreSqlDriver(config())).toThrowError(/AbstractSqlConnection#prepareQuery \(private\)/);
    } finally {
      delete prototype.prepareQuery;
    }
    expect(() => new RoundTripPostgreSqlDriver(config())).not.toThrow();
  });

  it('every listed internal has a name, a user and an expected shape', () => {
    for (const internal of ORM_INTERNALS) {
      expect(internal.name).toMatch(/^[A-Z]\w+[#.]\w+/);
      expect(internal.reliedOnBy).toMatch(/^(round-trips|read-rows)\.ts/);
      expect(internal.expected.length).toBeGreaterThan(0);
    }
  });
});
