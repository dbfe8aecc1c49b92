import { inject } from 'vitest';
import { withDatabase, withUser } from '../../src/platform/database/urls.js';
import { APP_ROLE } from '../../src/platform/database/app-role.js';
import { createDatabaseIfMissing } from '../../src/platform/database/database-setup.js';
import { migrateDatabase, seedDemo } from '../../src/app.js';
import { createLogger } from '../../src/platform/logger.js';
import { generateNational } from '../../seeds/national.js';
import { todayInPoland } from '../../src/modules/common/dates.js';
import { cloneDatabase, cloneName, dropTestDatabase } from './test-databases.js';
import { testConfig } from './app.js';

export interface OwnDatabase {
  /** As the schema owner (rawAsOwner's rights), for fixtures no API may make. */
  ownerUrl: string;
  /** As the server's role: startTestApp's `appUrl`. */
  appUrl: string;
  drop(): Promise<void>;
}

/**
 * A second demo database for a suite, cloned from the run's template like the suite's own (inject('ownerUrl')),
 * for a suite that wants one untouched by its other tests, or a fresh one mid-file. `prefix` names it; drop it
 * after (the global teardown drops it otherwise).
 */
export async function ownDemoDatabase(prefix: string): Promise<OwnDatabase> {
  const { adminUrl, template, prefix: run } = inject('testDatabases');
  const name = cloneName(run, prefix);
  await cloneDatabase(adminUrl, template, name);
  return ownDatabase(adminUrl, name);
}

/**
 * A demo database migrated and seeded now, not cloned: the template's demo was seeded when the run began,
 * which may have been yesterday in Poland by the time a suite runs, and its story's "today" with it.
 */
export async function freshDemoDatabase(prefix: string): Promise<OwnDatabase> {
  const { adminUrl, prefix: run } = inject('testDatabases');
  const name = cloneName(run, prefix);
  const log = createLogger('warn');
  await createDatabaseIfMissing(adminUrl, name);
  const database = ownDatabase(adminUrl, name);
  await migrateDatabase(database.ownerUrl, testConfig.appDbPassword, log);
  await seedDemo(database.ownerUrl, log);
  return database;
}

function ownDatabase(adminUrl: string, name: string): OwnDatabase {
  const ownerUrl = withDatabase(adminUrl, name);
  return { ownerUrl, appUrl: withUser(ownerUrl, APP_ROLE, testConfig.appDbPassword), drop: () => dropTestDatabase(adminUrl, name) };
}

/**
 * A clone of the demo with the national generator's rows added (seeds/national.ts at `scale`, its
 * "today" Poland's): partners with many weekly items, sessions and deliveries, for suites that need
 * more than the demo's few.
 */
export async function ownNationalDatabase(prefix: string, scale: number): Promise<OwnDatabase> {
  const database = await ownDemoDatabase(prefix);
  await generateNational(database.ownerUrl, { scale, seed: 23, today: todayInPoland() });
  return database;
}
