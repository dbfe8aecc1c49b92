import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { inject } from 'vitest';
import { projectRoot } from '../../src/platform/config.js';

const BUILT_FROM = path.join(projectRoot, 'dist', '.built-from-sources-of');
const SOURCES = ['src', 'migrations', 'seeds', 'scripts', 'bench', 'tsconfig.json', 'tsconfig.build.json', 'package.json'];

/**
 * Compiles the server for the tests that run it as a separate process, the way `npm start` does;
 * skipped when no source changed since the start of the last build (suites share one build).
 */
export function buildServer(): void {
  const startedAt = Date.now();
  if (fs.existsSync(BUILT_FROM) && newestSource() < fs.statSync(BUILT_FROM).mtimeMs) return;
  execFileSync(process.execPath, [path.join(projectRoot, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: projectRoot,
    stdio: 'inherit',
  });
  // Stamped with the build's start: a source saved while it ran makes the next call build again.
  fs.writeFileSync(BUILT_FROM, `${new Date(startedAt).toISOString()}\n`);
  fs.utimesSync(BUILT_FROM, startedAt / 1000, startedAt / 1000);
}

function newestSource(): number {
  let newest = 0;
  const visit = (entry: string) => {
    const stat = fs.statSync(entry);
    newest = Math.max(newest, stat.mtimeMs);
    if (stat.isDirectory()) for (const name of fs.readdirSync(entry)) visit(path.join(entry, name));
  };
  for (const source of SOURCES) {
    const entry = path.join(projectRoot, source);
    if (fs.existsSync(entry)) visit(entry);
  }
  return newest;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  url: string;
  wsUrl: string;
  /** http://127.0.0.1:<port>, for /readyz and the like. */
  origin: string;
  child: ChildProcess;
  /** The process's log lines so far (JSON, one per line), which also go to this process's stderr. */
  log: string[];
  /** Resolves with the exit code (null when a signal ended it) once the process has exited. */
  exited: Promise<number | null>;
  /** Stops it: SIGTERM drains; SIGKILL is a crash. Resolves when the process has exited. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export interface ServerProcessOptions {
  port?: number;
  /** The schema owner's URL of the database to serve (default: the test run's database). */
  databaseUrl?: string;
  /** Settings beyond the defaults below (LOG_LEVEL, say). */
  env?: Record<string, string>;
  /** Resolve as soon as the process is spawned, without waiting for /readyz (to signal it while it starts). */
  ready?: boolean;
}

const running = new Set<ChildProcess>();

/** Kills every server process a test started and did not stop (a failed test must not leave one behind). */
export async function killServerProcesses(): Promise<void> {
  await Promise.all(
    [...running].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
}

/** A second server, in its own process, on the test run's database (migrated and seeded already) unless told another. */
export async function startServerProcess(options: number | ServerProcessOptions = {}): Promise<ServerProcess> {
  const { port, databaseUrl, env = {}, ready = true } = typeof options === 'number' ? { port: options } : options;
  const chosen = port ?? (await freePort());
  const child = spawn(process.execPath, ['--enable-source-maps', 'dist/src/main.js'], {
    cwd: projectRoot,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl ?? inject('ownerUrl'),
      PORT: String(chosen),
      HOST: '127.0.0.1',
      SEED_ON_START: 'false',
      DEV_KEY_FILE: '.data/test-dev-jwt-key.json',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'test',
      ...env,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  running.add(child);
  const log: string[] = [];
  let partial = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    process.stderr.write(chunk);
    const lines = (partial + chunk.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    log.push(...lines.filter(Boolean));
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  const origin = `http://127.0.0.1:${chosen}`;
  const url = `${origin}/graphql`;
  const handle: ServerProcess = {
    url,
    wsUrl: url.replace(/^http/, 'ws'),
    origin,
    child,
    log,
    exited,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
  if (!ready) return handle;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server process exited with ${child.exitCode}`);
    try {
      const response = await fetch(`${origin}/readyz`);
      if (response.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('the server process did not become ready in 30 s');
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return handle;
}
