import type { TestProject } from 'vitest/node';
import { loadConfig } from '../../src/platform/config.js';
import { createLogger } from '../../src/platform/logger.js';
import { startEmbeddedPostgres } from '../../src/platform/database/embedded.js';
import { createDatabaseIfMissing } from '../../src/platform/database/database-setup.js';
import { withDatabase } from '../../src/platform/database/urls.js';
import { migrateDatabase, seedDemo } from '../../src/app.js';
import { dropRunDatabases, runPrefix, sealTemplate, type TestDatabases } from './test-databases.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where each test file's database is cloned from (tests/support/suite-database.ts). */
    testDatabases: TestDatabases;
    /** The test file's own database, as the schema owner and as the server's role: set per file by suite-database.ts. */
    ownerUrl: string;
    appUrl: string;
  }
}

/**
 * Builds the run's template database from migrations/ and the demo seed, once: on DATABASE_URL's server
 * when it is set, otherwise on an embedded PostgreSQL kept apart from the one `npm start` uses. Each test
 * file then gets a copy of it (tests/support/suite-database.ts); the teardown drops them all.
 */
export default async function setup(project: TestProject) {
  const config = loadConfig({ ...process.env, LOG_LEVEL: process.env.TEST_DB_LOG_LEVEL ?? process.env.TEST_LOG_LEVEL ?? 'warn' });
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
  const prefix = runPrefix();
  const leftovers = await dropRunDatabases(adminUrl, prefix, { localServer: !config.databaseUrl });
  if (leftovers.length) log.info('dropped databases of interrupted test runs', { databases: leftovers });

  const started = performance.now();
  const template = `${prefix}template`;
  await createDatabaseIfMissing(adminUrl, template);
  const templateUrl = withDatabase(adminUrl, template);
  await migrateDatabase(templateUrl, config.appDbPassword, log);
  await seedDemo(templateUrl, log);
  await sealTemplate(adminUrl, template);
  log.debug('test template database built', { template, ms: Math.round(performance.now() - started) });
  project.provide('testDatabases', { adminUrl, template, prefix });

  return async () => {
    await dropRunDatabases(adminUrl, prefix).catch((error) => log.warn('could not drop the test databases', { error: String(error) }));
    await stopServer();
  };
}
