/**
 * `npm run fuzz -- --minutes 30`: the long fuzz campaign of issue 8 ("Bad input, fuzzed"), with the
 * arbitraries and properties of tests/fuzz.test.ts (scripts/fuzz/), for as many cases as the time
 * or --runs allows rather than the few hundred CI runs.
 *
 * Setup: a fresh database `cus_fuzz_<time>` on DATABASE_URL's server, or else on an embedded
 * PostgreSQL of its own (.data/postgres-fuzz, port 54336, FUZZ_PG_PORT to change); migrations and
 * the demo seed; the server in this process on a random port, without abuse limits (the campaign is
 * one client sending thousands of requests a minute). The database is dropped at the end.
 *
 * Options: --runs N (default 2000, or unbounded with --minutes), --minutes M, --seed S (default: from
 * the clock, printed), --path P (with --seed, replays the failure fast-check reported), --heap-growth MB
 * (retained heap allowed to grow over the run after the first quarter, default 64).
 * It prints progress, the answers it got, the retained heap and RSS over time, and on a failure the
 * case, its seed and path. Exit code 1 on any failure: a property, a heap that kept growing, or a
 * server that no longer answers /healthz.
 */
import { inspect } from 'node:util';
import fc from 'fast-check';
import pg from 'pg';
import { loadConfig } from '../src/platform/config.js';
import { createLogger } from '../src/platform/logger.js';
import { scratchDatabase, scratchServer } from '../src/platform/database/scratch-server.js';
import { withDatabase, withUser } from '../src/platform/database/urls.js';
import { APP_ROLE } from '../src/platform/database/app-role.js';
import { migrateDatabase, seedDemo } from '../src/app.js';
import { createOrm } from '../src/app.js';
import { createTokenVerifier, signDevToken } from '../src/platform/auth/tokens.js';
import { startServer } from '../src/app.js';
import { platformSchema } from '../src/app.js';
import { fuzzCaseArbitrary, ROLE_TOKENS, type RoleKey } from './fuzz/cases.js';
import { describeStats, FuzzSession, type FuzzTarget } from './fuzz/runner.js';
import { dataTables } from './fuzz/fingerprint.js';
import { prepareFuzz } from './fuzz/setup.js';
import { settledMemory, type MemoryReading } from './fuzz/memory.js';

function option(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : undefined;
}
function positive(name: string, fallback: number | undefined): number | undefined {
  const text = option(name);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!(value > 0)) throw new Error(`--${name} must be a positive number, not ${text}`);
  return value;
}

const MINUTES = positive('minutes', undefined);
const RUNS = Math.round(positive('runs', MINUTES === undefined ? 2_000 : Number.MAX_SAFE_INTEGER)!);
const SEED = Number(option('seed') ?? Date.now() % 2_147_483_647);
const PATH = option('path');
const HEAP_GROWTH_MB = positive('heap-growth', 64)!;
const PROGRESS_EVERY_MS = 10_000;
const MEMORY_EVERY_MS = 30_000;
if (!Number.isInteger(SEED)) throw new Error('--seed must be an integer');

const config = loadConfig({
  ...process.env,
  LOG_LEVEL: process.env.FUZZ_LOG_LEVEL ?? 'error',
  DEV_KEY_FILE: '.data/fuzz-dev-jwt-key.json',
  // Never the dev server's, the tests' or the bench's cluster, whatever the shell has set.
  EMBEDDED_PG_DIR: '.data/postgres-fuzz',
  EMBEDDED_PG_PORT: process.env.FUZZ_PG_PORT ?? '54336',
  JWKS_URL: '',
  NODE_ENV: 'development',
  SEED_ON_START: 'false',
  REPORT_REFRESH_SECONDS: '0',
  RATE_LIMIT_PER_PRINCIPAL: '0',
  RATE_LIMIT_PER_ADDRESS: '0',
  WS_MAX_CONNECTIONS_PER_PRINCIPAL: '0',
});
const log = createLogger(config.logLevel);
const say = (message: string) => process.stderr.write(`fuzz: ${message}\n`);

async function main(): Promise<number> {
  const cleanups: (() => Promise<unknown>)[] = [];
  const cleanup = async () => {
    while (cleanups.length) await cleanups.pop()!().catch((error) => say(`cleanup step failed: ${(error as Error).message}`));
  };
  process.on('SIGINT', () => void cleanup().finally(() => process.exit(130)));
  try {
    const postgres = await scratchServer(config, log, say, { leftovers: 'cus_fuzz_' });
    cleanups.push(postgres.stop);
    const { name, ownerUrl, drop } = await scratchDatabase(postgres.adminUrl, 'cus_fuzz_');
    cleanups.push(drop);
    say(`database ${name}: migrating and seeding the demo`);
    await migrateDatabase(ownerUrl, config.appDbPassword, log, config.reportSuppressionThreshold);
    await seedDemo(ownerUrl, log);

    const orm = await createOrm(config.appDatabaseUrl ? withDatabase(config.appDatabaseUrl, name) : withUser(ownerUrl, APP_ROLE, config.appDbPassword), {
      poolSize: config.dbPoolSize,
    });
    cleanups.push(() => orm.close());
    const server = await startServer({ config, orm, verifier: await createTokenVerifier(config), log }, 0);
    cleanups.push(() => server.close());
    const owner = new pg.Client({ connectionString: ownerUrl, application_name: 'cus-platform fuzz' });
    await owner.connect();
    cleanups.push(() => owner.end());

    const tokens = { anonymous: null } as Record<RoleKey, string | null>;
    for (const [who, request] of Object.entries(ROLE_TOKENS)) tokens[who as RoleKey] = await signDevToken(config, { ...request, expiresIn: '48h' });
    const target: FuzzTarget = { origin: new URL(server.url).origin, tokens };
    const { schemas, ids } = await prepareFuzz(target, await platformSchema());
    const idCount = Object.values(ids.byType).reduce((sum, list) => sum + list.length, 0);
    say(
      `${idCount} ids of ${Object.keys(ids.byType).length} types, ${ids.cursors.length} cursors, ${ids.tokens.length} survey links; public schema ${schemas.public ? 'read' : 'NOT read'}`,
    );
    const session = new FuzzSession(target, owner, await dataTables(owner));
    cleanups.push(() => session.stop());

    const started = Date.now();
    const memory: { cases: number; minutes: number; reading: MemoryReading }[] = [];
    const sample = async () => memory.push({ cases: session.stats.cases, minutes: (Date.now() - started) / 60_000, reading: await settledMemory() });
    await sample();
    let lastProgress = Date.now();
    let lastMemory = Date.now();
    say(
      `seed ${SEED}${PATH ? `, path ${PATH}` : ''}; ${MINUTES ? `${MINUTES} minutes` : ''}${MINUTES && RUNS < Number.MAX_SAFE_INTEGER ? ' or ' : ''}${RUNS < Number.MAX_SAFE_INTEGER ? `${RUNS} cases` : ''}`,
    );

    const details = await fc.check(
      fc.asyncProperty(fuzzCaseArbitrary(schemas, ids), async (c) => {
        await session.check(c);
        if (Date.now() - lastMemory >= MEMORY_EVERY_MS) {
          lastMemory = Date.now();
          await sample();
        }
        if (Date.now() - lastProgress >= PROGRESS_EVERY_MS) {
          lastProgress = Date.now();
          const rate = session.stats.cases / ((Date.now() - started) / 1000);
          const m = memory[memory.length - 1].reading;
          say(`${session.stats.cases} cases (${rate.toFixed(0)}/s), ${session.stats.accepted} accepted mutations; heap ${m.heapUsedMb} MB, rss ${m.rssMb} MB`);
        }
      }),
      {
        seed: SEED,
        path: PATH,
        numRuns: RUNS,
        ...(MINUTES ? { interruptAfterTimeLimit: MINUTES * 60_000, markInterruptAsFailure: false } : {}),
      },
    );
    await sample();

    const failures: string[] = [];
    if (details.failed) {
      failures.push(
        `a property failed:\n${fc.defaultReportMessage(details) ?? ''}\n${inspect(details.errorInstance, { depth: 3 })}\n` +
          `replay: npm run fuzz -- --seed ${details.seed} --path ${details.counterexamplePath}`,
      );
    }
    const health = await fetch(`${target.origin}/healthz`)
      .then((r) => r.status)
      .catch((error: Error) => error.message);
    if (health !== 200) failures.push(`/healthz answered ${health} at the end`);

    // The retained heap after the first quarter of the run (caches filled, code compiled) against the end.
    const reference = memory[Math.floor(memory.length / 4)] ?? memory[0];
    const end = memory[memory.length - 1];
    const growth = end.reading.heapUsedMb - reference.reading.heapUsedMb;
    if (memory.length >= 3 && growth > HEAP_GROWTH_MB) {
      failures.push(`the retained heap grew by ${growth.toFixed(1)} MB from case ${reference.cases} to case ${end.cases} (limit ${HEAP_GROWTH_MB} MB)`);
    }

    const minutes = (Date.now() - started) / 60_000;
    const out = process.stdout;
    out.write(
      `\nFuzz campaign: seed ${SEED}, ${session.stats.cases} cases in ${minutes.toFixed(1)} min (${(session.stats.cases / minutes / 60).toFixed(1)}/s)` +
        `${details.interrupted ? ', stopped by the time limit' : ''}\n`,
    );
    out.write(`  by kind (mean time per case): ${describeStats(session.stats)}\n`);
    out.write(
      `  cases with a mutation that went through (or may have): ${session.stats.accepted}; by root field: ${Object.entries(session.stats.acceptedFields)
        .sort((a, b) => b[1] - a[1])
        .map(([field, n]) => `${field} ${n}`)
        .join(', ')}\n`,
    );
    out.write(
      `  answers (status or outcome, error codes):\n${Object.entries(session.stats.outcomes)
        .sort((a, b) => b[1] - a[1])
        .map(([outcome, n]) => `    ${String(n).padStart(7)}  ${outcome}`)
        .join('\n')}\n`,
    );
    out.write(
      `  memory after GC (cases, minutes: heap used / rss / external MB):\n${memory
        .map(
          (m) =>
            `    ${String(m.cases).padStart(7)}  ${m.minutes.toFixed(1).padStart(5)} min: ${m.reading.heapUsedMb} / ${m.reading.rssMb} / ${m.reading.externalMb}`,
        )
        .join('\n')}\n`,
    );
    out.write(`  heap growth after the first quarter: ${growth.toFixed(1)} MB (limit ${HEAP_GROWTH_MB} MB); /healthz at the end: ${health}\n`);
    for (const failure of failures) out.write(`\nFAILURE: ${failure}\n`);
    out.write(failures.length === 0 ? '\nno failures\n' : `\n${failures.length} failure(s)\n`);
    return failures.length === 0 ? 0 : 1;
  } finally {
    await cleanup();
  }
}

/** Databases of earlier campaigns on the campaign's own embedded cluster that nobody is connected to. */
main().then(
  (code) => process.exit(code),
  (error) => {
    say(`failed: ${(error as Error | undefined)?.stack ?? String(error)}`);
    process.exit(1);
  },
);
