import type { TestProject } from 'vitest/node';
import { loadConfig } from '../../src/platform/config.js';
import { createLogger } from '../../src/platform/logger.js';
import { startEmbeddedPostgres } from '../../src/platform/database/embedded.js';
import { createDatabaseIfMissing, dropDatabase } from '../../src/platform/database/database-setup.js';
import { withDatabase, withUser } from '../../src/platform/database/urls.js';
import { APP_ROLE } from '../../src/platform/database/app-role.js';
import { migrateDatabase, seedDemo } from '../../src/app.js';

declare module 'vitest' {
  export interface ProvidedContext {
    ownerUrl: string;
    appUrl: string;
  }
}

/**
 * One fresh database per test run, built from migrations/ and the demo seed: on DATABASE_URL's
 * server when it is set, otherwise on an embedded PostgreSQL kept apart from the one `npm start` uses.
 */
export default async function setup(project: TestProject) {
  const config = loadConfig({ ...process.env, LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn' });
  const log = createLogger(config.logLevel);
  let adminUrl: string;
  let stopServer = async () => {};
  if (config.databaseUrl) {
    adminUrl = config.databaseUrl;
  } else {
    const port = Number(process.env.TEST_PG_PORT ?? 54330);
    const server = await startEmbeddedPostgres(`${config.embeddedPgDir}-test-${port}`, port, log);
    adminUrl = server.adminUrl;
    stopServer = server.stop;
  }
  const name = `cus_test_${Date.now().toString(36)}_${process.pid}`;
  await createDatabaseIfMissing(adminUrl, name);
  const ownerUrl = withDatabase(adminUrl, name);
  await migrateDatabase(ownerUrl, config.appDbPassword, log);
  await seedDemo(ownerUrl, log);
  project.provide('ownerUrl', ownerUrl);
  project.provide('appUrl', withUser(ownerUrl, APP_ROLE, config.appDbPassword));

  return async () => {
    await dropDatabase(adminUrl, name).catch((error) => log.warn('could not drop test database', { error: String(error) }));
    await stopServer();
  };
}
