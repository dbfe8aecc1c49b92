import path from 'node:path';
import { afterAll, inject } from 'vitest';
import { loadConfig } from '../../src/platform/config.js';
import { createLogger } from '../../src/platform/logger.js';
import { withDatabase, withUser } from '../../src/platform/database/urls.js';
import { APP_ROLE } from '../../src/platform/database/app-role.js';
import { cloneDatabase, cloneName, dropTestDatabase } from './test-databases.js';
import { testConfig } from './app.js';

/*
 * A vitest setup file: it runs in the worker before each test file is loaded. It clones the run's template
 * (migrated and seeded once by tests/support/global-setup.ts) into a database of the file's own, points
 * inject('ownerUrl') and inject('appUrl') at it, and drops it after the file's last afterAll. So no suite
 * sees another's rows: a suite may count, list and change the demo data as it likes.
 */

const { adminUrl, template, prefix } = inject('testDatabases');
const file = path.basename(workerState().filepath ?? 'suite', '.test.ts');
const name = cloneName(prefix, file);
const ms = await cloneDatabase(adminUrl, template, name);
createLogger(loadConfig({ LOG_LEVEL: process.env.TEST_DB_LOG_LEVEL ?? 'warn' }).logLevel).debug('suite database cloned', { file, database: name, ms });

const ownerUrl = withDatabase(adminUrl, name);
const appUrl = withUser(ownerUrl, APP_ROLE, testConfig.appDbPassword);
provideToThisFile({ ownerUrl, appUrl });

// Registered before the file's own hooks, so it runs after them (vitest runs afterAll hooks in reverse):
// the suite has closed its servers and pools by then, and `with (force)` ends any connection left over.
afterAll(() => dropTestDatabase(adminUrl, name));

interface WorkerState {
  filepath?: string;
  providedContext: Record<string, unknown>;
}

/**
 * vitest lets only the main process provide values (globalSetup's `provide`); a worker has no public way
 * to change what inject() returns. Suites read their database with inject('ownerUrl') and inject('appUrl'),
 * at any point, so this sets both in the worker's provided context, which vitest parses afresh for every
 * file it runs (vitest 5: globalThis.__vitest_worker__.providedContext). If an upgrade moves it, the check
 * below stops every suite at once with this sentence, rather than letting them run on the wrong database.
 */
function workerState(): WorkerState {
  const state = (globalThis as { __vitest_worker__?: WorkerState }).__vitest_worker__;
  if (!state?.providedContext) throw new Error("vitest's worker state (__vitest_worker__.providedContext) is gone: see tests/support/suite-database.ts");
  return state;
}

function provideToThisFile(values: { ownerUrl: string; appUrl: string }): void {
  Object.assign(workerState().providedContext, values);
  if (inject('ownerUrl') !== values.ownerUrl || inject('appUrl') !== values.appUrl) {
    throw new Error("inject() does not read vitest's worker state any more: see tests/support/suite-database.ts");
  }
}
