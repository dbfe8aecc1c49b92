import 'reflect-metadata';
import { MikroORM, defineConfig, type Options } from '@mikro-orm/postgresql';
import type { MigrationObject } from '@mikro-orm/core';
import { ReflectMetadataProvider } from '@mikro-orm/decorators/legacy';
import { Migrator } from '@mikro-orm/migrations';
import { SeedManager } from '@mikro-orm/seeder';
import type { Logger } from '../logger.js';
import { RoundTripPostgreSqlDriver } from './orm-extension/round-trips.js';

/** Longest wait for a pooled connection: a new one to connect, or a busy one to come free. */
const CONNECT_TIMEOUT_MS = 5000;

/** What the application keeps in the database: its entities and the migrations that make their tables (src/app.ts). */
export interface OrmModel {
  entities: NonNullable<Options['entities']>;
  migrations: MigrationObject[];
}

export interface OrmOptions {
  poolSize?: number;
  log?: Logger;
  /** Called with every SQL statement the ORM sends (tests count statements with it). */
  onQuery?: (sql: string) => void;
}

/** Builds the MikroORM configuration shared by the server, the migrator and the seeders. */
export function ormConfig(clientUrl: string, { entities, migrations }: OrmModel, options: OrmOptions = {}): Options {
  return defineConfig({
    clientUrl,
    // Begin and settings ride with the first statement; one level of DataLoaders goes as one message.
    driver: RoundTripPostgreSqlDriver,
    entities,
    metadataProvider: ReflectMetadataProvider,
    extensions: [Migrator, SeedManager],
    // Migrations are written by hand, so no schema snapshot is kept for diffing.
    migrations: { migrationsList: migrations, transactional: true, allOrNothing: true, snapshot: false },
    pool: { min: 0, max: options.poolSize ?? 10 },
    // While the database is away an operation fails within this long (SERVICE_UNAVAILABLE), whether
    // connecting hangs or every connection is busy, instead of piling up; keep-alive finds dead peers.
    // JIT off from the connection's start (no statement of its own): where the server has LLVM, it compiled
    // the dashboard's next-visits read for ~60 ms of a 70 ms statement, to run it faster by little (issue 23).
    driverOptions: { connectionTimeoutMillis: CONNECT_TIMEOUT_MS, keepAlive: true, options: '-c jit=off' },
    // Every operation runs in an explicit transaction that first applies the principal's settings.
    sessionContext: 'transaction',
    // Entities are never read from a global context: each operation uses its own fork.
    allowGlobalContext: false,
    debug: options.onQuery !== undefined || options.log !== undefined ? ['query'] : false,
    logger: (message: string) => {
      options.onQuery?.(message);
      options.log?.debug('sql', { message });
    },
    forceUtcTimezone: true,
    // Our entities hold foreign keys as plain columns (no relations to propagate), and changes are found
    // by comparing snapshots at flush. The per-property accessors this would define on every loaded
    // entity were the largest single cost of reading a 50-plan dashboard (a CPU profile, issue 7).
    propagationOnPrototype: false,
    colors: false,
  });
}

export async function createOrm(clientUrl: string, model: OrmModel, options: OrmOptions = {}): Promise<MikroORM> {
  return MikroORM.init(ormConfig(clientUrl, model, options));
}

/** The names of the migrations this ORM was given (a server is ready once all of them have run). */
export function migrationNames(orm: MikroORM): string[] {
  return (orm.config.get('migrations').migrationsList ?? []).map((migration) => migration.name);
}
