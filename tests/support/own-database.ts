import { inject } from 'vitest';
import { createLogger } from '../../src/platform/logger.js';
import { scratchDatabase } from '../../src/platform/database/scratch-server.js';
import { withUser } from '../../src/platform/database/urls.js';
import { APP_ROLE } from '../../src/platform/database/app-role.js';
import { migrateDatabase, seedDemo } from '../../src/app.js';
import { testConfig } from './app.js';

export interface OwnDatabase {
  /** As the schema owner (rawAsOwner's rights), for fixtures no API may make. */
  ownerUrl: string;
  /** As the server's role: startTestApp's `appUrl`. */
  appUrl: string;
  drop(): Promise<void>;
}

/**
 * A database of a suite's own on the run's server, migrated and seeded with the demo, for a suite that
 * changes what others read (the demo plans, the outbox sequence). `prefix` names it; drop it after.
 */
export async function ownDemoDatabase(prefix: string): Promise<OwnDatabase> {
  const database = await scratchDatabase(inject('ownerUrl'), `${prefix}_${process.pid}_`);
  const log = createLogger('warn');
  await migrateDatabase(database.ownerUrl, testConfig.appDbPassword, log);
  await seedDemo(database.ownerUrl, log);
  return { ownerUrl: database.ownerUrl, appUrl: withUser(database.ownerUrl, APP_ROLE, testConfig.appDbPassword), drop: database.drop };
}
