import pg from 'pg';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from '../logger.js';
import { createOrm, type OrmModel } from './orm.js';
import { ensureAppRole } from './app-role.js';

/** Any constant works; it only keeps two processes from migrating the same database at once. */
const MIGRATION_LOCK = 4_177_082;

export interface MigrateOptions {
  ownerUrl: string;
  appPassword: string;
  log: Logger;
  model: OrmModel;
  /** Runs as the schema owner once the migrations are applied, still under the lock (reference data, settings); what it returns is logged. */
  afterMigrations?: (orm: MikroORM) => Promise<Record<string, unknown>>;
}

/** Applies pending migrations as the schema owner, then `afterMigrations`; returns the names applied. */
export async function migrateDatabase({ ownerUrl, appPassword, log, model, afterMigrations }: MigrateOptions): Promise<string[]> {
  const lock = new pg.Client({ connectionString: ownerUrl });
  await lock.connect();
  try {
    await lock.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await ensureAppRole(ownerUrl, appPassword);
    const orm = await createOrm(ownerUrl, model, { poolSize: 2 });
    try {
      const applied = await orm.migrator.up();
      const after = (await afterMigrations?.(orm)) ?? {};
      log.info('database migrated', { applied: applied.map((m) => m.name), ...after });
      return applied.map((m) => m.name);
    } finally {
      await orm.close();
    }
  } finally {
    await lock.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await lock.end();
  }
}
