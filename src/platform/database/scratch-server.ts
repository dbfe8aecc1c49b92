import path from 'node:path';
import pg from 'pg';
import { projectRoot, type Config } from '../config.js';
import type { Logger } from '../logger.js';
import { startEmbeddedPostgres } from './embedded.js';
import { createDatabaseIfMissing, dropDatabase } from './database-setup.js';
import { withDatabase } from './urls.js';

export interface ScratchServer {
  /** A connection with the right to create and drop databases. */
  adminUrl: string;
  embedded: boolean;
  /** Stops the embedded server; DATABASE_URL's is left running. */
  stop(): Promise<void>;
}

/**
 * The server a tool run (the bench, the fuzz campaign) makes databases of its own on: DATABASE_URL's,
 * or else an embedded PostgreSQL at the config's EMBEDDED_PG_DIR and port, with `settings`. On the
 * embedded one, databases named `<leftovers>…` that nobody is connected to are dropped first: a run
 * that was interrupted stopped the embedded server too, so it could not drop its own.
 */
export async function scratchServer(
  config: Config,
  log: Logger,
  say: (message: string) => void,
  options: { leftovers?: string; settings?: string[] } = {},
): Promise<ScratchServer> {
  if (config.databaseUrl) return { adminUrl: config.databaseUrl, embedded: false, stop: async () => {} };
  say(`starting embedded PostgreSQL (${path.relative(projectRoot, config.embeddedPgDir)}, port ${config.embeddedPgPort})`);
  const server = await startEmbeddedPostgres(config.embeddedPgDir, config.embeddedPgPort, log, options.settings);
  if (options.leftovers) {
    for (const leftover of await idleDatabases(server.adminUrl, options.leftovers)) {
      say(`dropping ${leftover}, left by an interrupted run`);
      await dropDatabase(server.adminUrl, leftover);
    }
  }
  return { adminUrl: server.adminUrl, embedded: true, stop: server.stop };
}

/** A new database `<prefix><time>` on the server, and how to drop it. */
export async function scratchDatabase(adminUrl: string, prefix: string): Promise<{ name: string; ownerUrl: string; drop(): Promise<void> }> {
  const name = `${prefix}${Date.now().toString(36)}`;
  await createDatabaseIfMissing(adminUrl, name);
  return { name, ownerUrl: withDatabase(adminUrl, name), drop: () => dropDatabase(adminUrl, name) };
}

/** Databases whose names start with `prefix` that nobody is connected to. */
async function idleDatabases(adminUrl: string, prefix: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(
      `select datname from pg_database d where starts_with(datname, $1)
         and not exists (select 1 from pg_stat_activity a where a.datname = d.datname)`,
      [prefix],
    );
    return rows.map((r) => r.datname);
  } finally {
    await client.end();
  }
}
