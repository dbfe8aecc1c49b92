import pg from 'pg';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { startEmbeddedPostgres } from './embedded.js';
import { withDatabase, withUser } from './urls.js';
import { APP_ROLE } from './app-role.js';

export interface DatabaseTarget {
  /** The schema owner's connection: migrations and seeds. */
  ownerUrl: string;
  /** The non-owner application role's connection: everything the server does. */
  appUrl: string;
  embedded: boolean;
  stop(): Promise<void>;
}

const EMBEDDED_DATABASE = 'cus';

/** DATABASE_URL when set; otherwise the embedded PostgreSQL, started on demand with a `cus` database. */
export async function resolveDatabase(config: Config, log: Logger): Promise<DatabaseTarget> {
  if (config.databaseUrl) {
    return {
      ownerUrl: config.databaseUrl,
      appUrl: config.appDatabaseUrl ?? withUser(config.databaseUrl, APP_ROLE, config.appDbPassword),
      embedded: false,
      stop: async () => {},
    };
  }
  const server = await startEmbeddedPostgres(config.embeddedPgDir, config.embeddedPgPort, log);
  await createDatabaseIfMissing(server.adminUrl, EMBEDDED_DATABASE);
  const ownerUrl = withDatabase(server.adminUrl, EMBEDDED_DATABASE);
  return {
    ownerUrl,
    appUrl: config.appDatabaseUrl ?? withUser(ownerUrl, APP_ROLE, config.appDbPassword),
    embedded: true,
    stop: server.stop,
  };
}

/** Creates a database through an administrative connection to another database of the same server. */
export async function createDatabaseIfMissing(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (!rowCount) await client.query(`create database ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`drop database if exists ${client.escapeIdentifier(name)} with (force)`);
  } finally {
    await client.end();
  }
}
