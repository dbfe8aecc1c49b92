/**
 * `node dist/bench/subscribers-main.js --subscribers 10000`: scenario 6 of issue 7 on its own
 * (bench/subscribers.ts), against the server running as a separate process, as in production.
 *
 * Setup: a fresh database on DATABASE_URL's server, or else on an embedded PostgreSQL of its own
 * (.data/postgres-subscribers, port 54334); migrations, the demo seed and a small national dataset
 * (more gminy with active plans). Then `node dist/src/main.js` as a child process, without abuse
 * limits, and the measurement. The database is dropped at the end unless --keep; --reuse <name> runs
 * on a database kept earlier.
 *
 * Options: --subscribers N (10000), --rate changes/s (10), --seconds S (30), --national-scale X (0.01).
 * SERVER_NODE_OPTIONS adds flags to the server's node (e.g. "--cpu-prof --cpu-prof-dir=.data/prof");
 * SERVER_MAIN runs another build of the server (a copy of the tree compiled elsewhere, for before/after runs).
 */
import pg from 'pg';
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { loadConfig, projectRoot } from '../src/platform/config.js';
import { createLogger } from '../src/platform/logger.js';
import { scratchServer } from '../src/platform/database/scratch-server.js';
import { createDatabaseIfMissing, dropDatabase } from '../src/platform/database/database-setup.js';
import { withDatabase, withUser } from '../src/platform/database/urls.js';
import { migrateDatabase, seedDemo } from '../src/app.js';
import type { DevTokenRequest } from '../src/platform/auth/tokens.js';
import { signDevTokenWithUnit } from '../src/platform/auth/token-door.js';
import { APP_ROLE } from '../src/platform/database/app-role.js';
import { generateNational } from '../seeds/national.js';
import { measureSubscribers, type SubscriberResult } from './subscribers.js';

/** Absolute, so that a server built elsewhere (SERVER_MAIN) reads the same key. */
const DEV_KEY_FILE = path.resolve(projectRoot, '.data/bench-subscribers-dev-jwt-key.json');

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 && process.argv[at + 1] !== undefined ? process.argv[at + 1] : fallback;
}
const flag = (name: string) => process.argv.includes(`--${name}`);
const positive = (name: string, fallback: string) => {
  const value = Number(option(name, fallback));
  if (!(value > 0)) throw new Error(`--${name} must be a positive number`);
  return value;
};

const SUBSCRIBERS = Math.round(positive('subscribers', '10000'));
const RATE = positive('rate', '10');
const SECONDS = positive('seconds', '30');
const NATIONAL_SCALE = Number(option('national-scale', '0.01'));
const REUSE = option('reuse', '');
const KEEP = flag('keep') || REUSE !== '';

const config = loadConfig({
  ...process.env,
  LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
  DEV_KEY_FILE,
  EMBEDDED_PG_DIR: '.data/postgres-subscribers',
  EMBEDDED_PG_PORT: process.env.BENCH_PG_PORT ?? '54334',
  JWKS_URL: '',
  NODE_ENV: 'development',
});
const log = createLogger(config.logLevel);
const progress = (message: string) => process.stderr.write(`bench: ${message}\n`);

async function main(): Promise<void> {
  const cleanups: (() => Promise<void>)[] = [];
  const cleanup = async () => {
    while (cleanups.length) await cleanups.pop()!().catch((error) => progress(`cleanup step failed: ${(error as Error).message}`));
  };
  process.on('SIGINT', () => void cleanup().finally(() => process.exit(130)));
  try {
    const postgres = await scratchServer(config, log, progress);
    cleanups.push(postgres.stop);
    const { adminUrl } = postgres;
    const name = REUSE || `cus_subscribers_${Date.now().toString(36)}`;
    const ownerUrl = withDatabase(adminUrl, name);
    if (!REUSE) {
      await createDatabaseIfMissing(adminUrl, name);
      if (!KEEP) cleanups.push(() => dropDatabase(adminUrl, name));
      progress(`database ${name}: migrating, seeding the demo${NATIONAL_SCALE > 0 ? ` and a national dataset at scale ${NATIONAL_SCALE}` : ''}`);
      await migrateDatabase(ownerUrl, config.appDbPassword, log);
      await seedDemo(ownerUrl, log);
      if (NATIONAL_SCALE > 0) await generateNational(ownerUrl, { scale: NATIONAL_SCALE, seed: 1, today: new Date().toISOString().slice(0, 10) });
    } else {
      progress(`database ${name} (reused): migrating`);
      await migrateDatabase(ownerUrl, config.appDbPassword, log);
    }
    if (KEEP) progress(`database ${name} is kept: --reuse ${name} runs on it again`);

    const server = await startServerProcess(ownerUrl);
    cleanups.push(() => server.stop());
    progress(`server process ${server.child.pid} on ${server.url}`);

    const tokens = new Map<DevTokenRequest, string>();
    const lookups = new pg.Pool({ connectionString: withUser(ownerUrl, APP_ROLE, config.appDbPassword), max: 1 });
    cleanups.push(() => lookups.end());
    const tokenFor = async (who: DevTokenRequest) => {
      if (!tokens.has(who)) tokens.set(who, await signDevTokenWithUnit(config, lookups, { ...who, expiresIn: '2h' }));
      return tokens.get(who)!;
    };
    const result = await measureSubscribers({
      wsUrl: server.url.replace(/^http/, 'ws'),
      httpUrl: server.url,
      serverPid: server.child.pid!,
      ownerUrl,
      tokenFor,
      subscribers: SUBSCRIBERS,
      mutationsPerSecond: RATE,
      seconds: SECONDS,
      progress,
    });
    process.stdout.write(`${describe(result)}\n${JSON.stringify(result)}\n`);
  } finally {
    await cleanup();
  }
}

function describe(r: SubscriberResult): string {
  const ms = (v: number) => v.toFixed(1);
  return [
    `subscribers ${r.subscribers} (${r.connections} connections, ${r.clientProcesses} client processes), ${r.events} changes at ${RATE}/s over ${SECONDS} s`,
    `deliveries ${r.delivered}/${r.expected}; unexpected ${r.unexpected}, duplicates ${r.duplicates}, missing ${r.missing}`,
    `commit to delivery: p50 ${ms(r.commitToDeliveryMs.p50)} ms, p95 ${ms(r.commitToDeliveryMs.p95)} ms, p99 ${ms(r.commitToDeliveryMs.p99)} ms, max ${ms(r.commitToDeliveryMs.max)} ms`,
    `server RSS: ${r.serverRssMb.before.toFixed(0)} MB before, ${r.serverRssMb.peak.toFixed(0)} MB peak, ${r.serverRssMb.after.toFixed(0)} MB after the clients left`,
  ].join('\n');
}

interface ServerProcess {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** `node dist/src/main.js` on the database, without the abuse limits (one address opens thousands of connections). */
async function startServerProcess(ownerUrl: string): Promise<ServerProcess> {
  const port = await freePort();
  const extra = (process.env.SERVER_NODE_OPTIONS ?? '').split(' ').filter(Boolean);
  const main = process.env.SERVER_MAIN ?? 'dist/src/main.js';
  const child = spawn(process.execPath, [...extra, '--enable-source-maps', main], {
    cwd: projectRoot,
    env: {
      ...process.env,
      DATABASE_URL: ownerUrl,
      PORT: String(port),
      HOST: '127.0.0.1',
      SEED_ON_START: 'false',
      DEV_KEY_FILE,
      JWKS_URL: '',
      NODE_ENV: 'development',
      LOG_LEVEL: process.env.SERVER_LOG_LEVEL ?? 'warn',
      RATE_LIMIT_PER_PRINCIPAL: '0',
      RATE_LIMIT_PER_ADDRESS: '0',
      WS_MAX_CONNECTIONS_PER_PRINCIPAL: '0',
      WS_MAX_SUBSCRIPTIONS_PER_CONNECTION: '0',
      REPORT_REFRESH_SECONDS: '0',
    },
    // SERVER_STDOUT=inherit shows what node prints there (--trace-gc, say).
    stdio: ['ignore', process.env.SERVER_STDOUT === 'inherit' ? 'inherit' : 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}/graphql`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server process exited with ${child.exitCode}`);
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('the server process did not become ready in 60 s');
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url,
    child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      // SIGTERM: the server drains and exits, writing its CPU profile when asked for one.
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  process.exitCode = 1;
});
