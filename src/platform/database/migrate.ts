import pg from 'pg';
import type { Logger } from '../logger.js';
import { createOrm } from './orm.js';
import { ensureAppRole } from './app-role.js';
import { loadTerytRegister } from '../../../seeds/teryt.js';
import { DemoSeeder } from '../../../seeds/demo.seeder.js';
import { buildPtable, DEFAULT_MAX_DEVIATION, DEFAULT_VARIANCE, ptableSql } from '../../modules/report/report.ptable.js';

/** Any constant works; it only keeps two processes from migrating the same database at once. */
const MIGRATION_LOCK = 4_177_082;

/** Applies pending migrations as the schema owner, then refreshes the TERYT register and the report settings. */
export async function migrateDatabase(
  ownerUrl: string, appPassword: string, log: Logger, reportThreshold = 5,
  perturbation = { maxDeviation: Math.max(DEFAULT_MAX_DEVIATION, reportThreshold - 1), variance: DEFAULT_VARIANCE },
): Promise<string[]> {
  const lock = new pg.Client({ connectionString: ownerUrl });
  await lock.connect();
  try {
    await lock.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await ensureAppRole(ownerUrl, appPassword);
    const orm = await createOrm(ownerUrl, { poolSize: 2 });
    try {
      const applied = await orm.migrator.up();
      const gminy = await loadTerytRegister(orm);
      // Only the owner writes it, so a caller can never lower the threshold (the table's check keeps it at 5 or more).
      const connection = orm.em.getConnection();
      await connection.transactional(async (tx) => {
        await connection.execute('update report_config set threshold = ?', [reportThreshold], 'all', tx);
        // The perturbation table follows the threshold and parameters configured (README, "Reports").
        for (const sql of ptableSql(buildPtable({ ...perturbation, threshold: reportThreshold }))) await connection.execute(sql, [], 'all', tx);
      });
      log.info('database migrated', { applied: applied.map((m) => m.name), gminy });
      return applied.map((m) => m.name);
    } finally {
      await orm.close();
    }
  } finally {
    await lock.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await lock.end();
  }
}

/** Seeds the demo gminy' CUS data (once; a seeded database is left as it is). */
export async function seedDemo(ownerUrl: string, log: Logger): Promise<void> {
  const orm = await createOrm(ownerUrl, { poolSize: 2 });
  try {
    // Demo data goes in once, on first start: a database with any unit (the demo's, or real ones) is left alone,
    // and so is its report rollup, which can take minutes to rebuild at national scale.
    const [{ seeded }] = await orm.em.getConnection().execute<{ seeded: boolean }[]>('select exists (select 1 from cus_unit) as seeded');
    if (seeded) return;
    await orm.seeder.seed(DemoSeeder);
    // Dashboards have figures from the first start, before the scheduled rebuild comes round.
    const connection = orm.em.getConnection();
    await connection.transactional(async (tx) => {
      await connection.execute(`select set_config('app.role', 'REPORT_REFRESHER', true)`, [], 'all', tx);
      await connection.execute('select app.refresh_reports()', [], 'all', tx);
    });
    log.info('demo data seeded');
  } finally {
    await orm.close();
  }
}
