import { inject } from 'vitest';
import { withDatabase, withUser } from '../../src/platform/database/urls.js';
import { APP_ROLE } from '../../src/platform/database/app-role.js';
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
  const ownerUrl = withDatabase(adminUrl, name);
  return { ownerUrl, appUrl: withUser(ownerUrl, APP_ROLE, testConfig.appDbPassword), drop: () => dropTestDatabase(adminUrl, name) };
}
