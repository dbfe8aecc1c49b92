/**
 * `npm run bench` (issue 7): our server against PostGraphile and raw SQL, on the same national-scale
 * data, in one run. It prints figures and the ratios the issue sets as targets; it asserts nothing
 * beyond "every response was a success" and "every side returned the same data".
 *
 * 1. A fresh database `cus_bench_<time>` on DATABASE_URL's server, or else on an embedded PostgreSQL
 *    of its own (.data/postgres-bench, port 54332, started with pg_stat_statements): migrations, the
 *    demo seed and the national dataset (BENCH_NATIONAL_SCALE, default 0.1; --full or BENCH_FULL=1:
 *    scale 1), with its report rollup.
 * 2. Our server from the production build in a process of its own (bench/our-server.ts), PostGraphile
 *    in another (bench/postgraphile.ts), the load generator (autocannon) in a third (bench/load.ts);
 *    the raw-SQL baseline runs here, on node-postgres pools of the server's size.
 * 3. One request per read scenario on every side, compared in canonical form (bench/scenarios.ts);
 *    SQL statements per operation counted from outside with pg_stat_statements.
 * 4. Each scenario at each concurrency on every side, for BENCH_SECONDS after a warm-up; the plan
 *    update on our server; N WebSocket subscribers to the dashboard feed (bench/subscribers.ts); the
 *    ministry reports one by one (bench/reports.ts).
 * 5. A table, the ratios with PASS or MISS against each target, and bench/results/latest.json.
 */
import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { loadConfig, projectRoot } from '../src/platform/config.js';
import { createLogger } from '../src/platform/logger.js';
import { scratchDatabase, scratchServer } from '../src/platform/database/scratch-server.js';
import { withDatabase, withUser } from '../src/platform/database/urls.js';
import { APP_ROLE } from '../src/platform/database/app-role.js';
import { migrateDatabase, seedDemo } from '../src/app.js';
import { createTokenVerifier, type DevTokenRequest } from '../src/platform/auth/tokens.js';
import { signDevTokenWithUnit } from '../src/platform/auth/token-door.js';
import { Role } from '../src/platform/auth/roles.js';
import { todayInPoland } from '../src/modules/common/dates.js';
import { uuidFromGlobalId } from '../src/platform/graphql/node.js';
import { generateNational, type NationalCounts } from '../seeds/national.js';
import { closedLoopFor, fixed, LoadGenerator, percentile, table, type LoadResult, type PlanSlot } from './measure.js';
import { PLAN_UPDATE } from './operations.js';
import { startOurServer, type OurServer } from './our-server.js';
import { preparePostGraphile, startPostGraphile, postgraphileScenarios, type PostGraphileServer } from './postgraphile.js';
import { bypassProblem, RAW_QUERIES, RAW_STATEMENTS, rawOperation, runRaw, type Variant } from './raw-sql.js';
import { measureReports, measureUtility, REPORT_PERIOD, type ReportResult, type Truth, type UtilityResult } from './reports.js';
import { difference, pickScenarioData, READ_KEYS, readScenarios, type Picks, type ReadKey, type ReadScenario } from './scenarios.js';
import { measureSubscribers, type SubscriberResult } from './subscribers.js';

// ---- knobs (environment variables and --full only tune the run; the defaults take about 10 minutes on 2 cores)
const positive = (name: string, fallback: number, integer = true) => {
  const value = Number(process.env[name] ?? fallback);
  if (!(value > 0) || (integer && !Number.isInteger(value))) throw new Error(`${name} must be a positive ${integer ? 'integer' : 'number'}`);
  return value;
};
const FULL = process.argv.includes('--full') || process.env.BENCH_FULL === '1';
/** Scale of the national dataset (1: a million residents, ten million deliveries). */
const NATIONAL_SCALE = FULL ? 1 : positive('BENCH_NATIONAL_SCALE', 0.1, false);
const CONCURRENCY = (process.env.BENCH_CONCURRENCY ?? '1,8').split(',').map(Number);
if (!CONCURRENCY.every((c) => Number.isInteger(c) && c > 0)) throw new Error('BENCH_CONCURRENCY must list positive integers, e.g. 1,8');
/** Measured seconds per cell (scenario, concurrency, side), after BENCH_WARMUP_SECONDS of warm-up. */
const SECONDS = positive('BENCH_SECONDS', 8);
const WARM_UP_SECONDS = positive('BENCH_WARMUP_SECONDS', 2);
const SUBSCRIBERS = positive('BENCH_SUBSCRIBERS', 10_000);
const MUTATIONS_PER_SECOND = positive('BENCH_MUTATIONS_PER_SECOND', 10);
const SUBSCRIBER_SECONDS = positive('BENCH_SUBSCRIBER_SECONDS', 20);
const REPORT_REQUESTS = positive('BENCH_REPORT_REQUESTS', 10);
/** Operations per side whose statements are counted (their mean is SQL/op). */
const COUNTED_OPERATIONS = 10;
const PARTS = ['dashboard', 'catalogue', 'partner-week', 'ministry-report', 'plan-update', 'subscribers', 'reports', 'utility'] as const;
type Part = (typeof PARTS)[number];
/** Comma-separated parts to run (all when unset), e.g. BENCH_ONLY=dashboard,subscribers. */
const ONLY = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',')) : null;
if (ONLY) for (const part of ONLY) if (!PARTS.includes(part as Part)) throw new Error(`BENCH_ONLY: unknown part ${part}; parts: ${PARTS.join(', ')}`);
const runs = (part: Part) => !ONLY || ONLY.has(part);

const config = loadConfig({
  ...process.env,
  LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'silent',
  DEV_KEY_FILE: '.data/bench-dev-jwt-key.json',
  // Never the dev server's or the tests' cluster, whatever the shell has set.
  EMBEDDED_PG_DIR: process.env.BENCH_PG_DIR ?? '.data/postgres-bench',
  EMBEDDED_PG_PORT: process.env.BENCH_PG_PORT ?? '54332',
  JWKS_URL: '',
  NODE_ENV: 'development',
});
const log = createLogger(config.logLevel);
const progress = (message: string) => process.stderr.write(`bench: ${message}\n`);

type Side = 'ours' | 'postgraphile' | 'raw' | 'raw-bypass';
const SIDES: Side[] = ['ours', 'postgraphile', 'raw', 'raw-bypass'];
const SIDE_LABEL: Record<Side, string> = { ours: 'ours', postgraphile: 'PostGraphile', raw: 'raw SQL (RLS)', 'raw-bypass': 'raw SQL bypass' };

interface Cell {
  scenario: ReadKey | 'plan-update';
  side: Side;
  concurrency: number;
  requests: number;
  perSecond: number;
  latencyMs: LoadResult['latencyMs'];
  errors: number;
  statementsPerOperation: number | null;
  /** PostgreSQL's planning and execution ms per operation (pg_stat_statements, operations one at a time); null where not measured. */
  databaseMsPerOperation: number | null;
  /** CPU ms the server process spent per request (ours and PostGraphile; null for raw SQL, which has no server). */
  serverCpuMsPerRequest: number | null;
}

interface Target {
  target: string;
  pass: boolean;
  detail: string;
}

async function main(): Promise<void> {
  const benchStarted = performance.now();
  const machine = {
    date: new Date().toISOString(),
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
  process.stdout.write(
    `cus-platform benchmark  ${machine.date}\n` +
      `CPU: ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB; Node ${machine.node}; ${machine.platform}\n`,
  );

  // Undone in reverse order, once, whether the run ends, fails or is interrupted.
  const cleanups: (() => Promise<void>)[] = [];
  let cleaning: Promise<void> | null = null;
  const cleanup = () =>
    (cleaning ??= (async () => {
      progress('cleaning up');
      while (cleanups.length) {
        const step = cleanups.pop()!;
        await step().catch((error) => progress(`cleanup step failed: ${(error as Error).message}`));
      }
    })());
  let interrupted = false;
  const onSignal = (signal: string) => {
    if (interrupted) return;
    interrupted = true;
    progress(`${signal}: cleaning up`);
    void cleanup().finally(() => process.exit(130));
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));

  try {
    // ---- 1. the database
    const server = await scratchServer(config, log, progress, {
      leftovers: 'cus_bench_',
      settings: ['shared_preload_libraries=pg_stat_statements', 'pg_stat_statements.track_planning=on'],
    });
    cleanups.push(server.stop);
    const { adminUrl, embedded } = server;
    const { name, ownerUrl, drop } = await scratchDatabase(adminUrl, 'cus_bench_');
    cleanups.push(drop);
    // Every side runs with JIT off, as our server's connections do (src/platform/database/orm.ts): a server with LLVM would
    // otherwise compile some statements on one side and not on another.
    const appUrl = withJitOff(config.appDatabaseUrl ? withDatabase(config.appDatabaseUrl, name) : withUser(ownerUrl, APP_ROLE, config.appDbPassword));
    const owner = new pg.Client({ connectionString: ownerUrl, application_name: 'cus-platform bench' });
    await owner.connect();
    cleanups.push(() => owner.end());
    const postgres = (await owner.query('show server_version')).rows[0].server_version as string;
    process.stdout.write(`PostgreSQL: ${postgres} (${embedded ? 'embedded' : 'DATABASE_URL'}), database ${name}, pool ${config.dbPoolSize} per side\n`);

    progress('migrating and seeding the demo');
    await migrateDatabase(ownerUrl, config.appDbPassword, log, config.reportSuppressionThreshold);
    await seedDemo(ownerUrl, log);
    const today = todayInPoland();
    progress(`generating the national dataset at scale ${NATIONAL_SCALE} (today ${today})`);
    const counts: NationalCounts = await generateNational(ownerUrl, { scale: NATIONAL_SCALE, seed: 1, today, log: (m) => progress(`  ${m}`) });
    process.stdout.write(
      `National dataset at scale ${NATIONAL_SCALE}: ${counts.units} CUS units, ${counts.residents} residents, ${counts.applications} applications, ` +
        `${counts.plans} plans, ${counts.items} items, ${counts.deliveries} deliveries, generated with its report rollup in ${fixed(counts.ms / 1000, 1)} s\n`,
    );
    const statementSamples: Record<string, string[]> = {};
    const counting = await statementCounter(owner, statementSamples);
    if (!counting) {
      process.stdout.write(
        "pg_stat_statements is not loaded on this server (the embedded one loads it): SQL/op is PostGraphile's own count, " +
          `${RAW_STATEMENTS} for raw SQL, and not counted for ours\n`,
      );
    }

    const picks = await pickScenarioData(ownerUrl, today);
    const scenarios = readScenarios(picks).filter((s) => runs(s.key));
    process.stdout.write(
      `\nScenarios:\n${readScenarios(picks)
        .map((s) => `  ${s.key.padEnd(16)} ${s.label}`)
        .join('\n')}\n` +
        `  ${'plan-update'.padEnd(16)} ipusUpdate of the same coordinator, each request a different plan of ${picks.plans.length} (coordinator changed, optimistic locking)\n` +
        `  ${'subscribers'.padEnd(16)} ${SUBSCRIBERS} WebSocket subscribers to the dashboard feed, ${MUTATIONS_PER_SECOND} plan changes a second for ${SUBSCRIBER_SECONDS} s\n\n`,
    );

    // ---- 2. the servers, the load generator and the raw-SQL pools
    progress('starting our server and PostGraphile');
    const ours: OurServer = await startOurServer({ ownerUrl, devKeyFile: config.devKeyFile, poolSize: config.dbPoolSize, logLevel: 'error' });
    cleanups.push(() => ours.stop());
    await preparePostGraphile(ownerUrl);
    const verifier = await createTokenVerifier(config);
    const postgraphile: PostGraphileServer = await startPostGraphile({ appUrl, verifier });
    cleanups.push(() => postgraphile.close());
    const load = new LoadGenerator();
    cleanups.push(() => load.close());
    const problem = await bypassProblem(ownerUrl);
    if (problem) throw new Error(`the raw-SQL bypass variant needs a role that bypasses RLS: ${problem}`);
    const pools: Record<Variant, pg.Pool> = {
      rls: new pg.Pool({ connectionString: appUrl, max: config.dbPoolSize, application_name: 'cus-platform bench raw SQL' }),
      bypass: new pg.Pool({ connectionString: withJitOff(ownerUrl), max: config.dbPoolSize, application_name: 'cus-platform bench raw SQL bypass' }),
    };
    cleanups.push(() => Promise.all([pools.rls.end(), pools.bypass.end()]).then(() => undefined));

    const tokens = new Map<DevTokenRequest, string>();
    const tokenFor = async (who: DevTokenRequest) => {
      if (!tokens.has(who)) tokens.set(who, await signDevTokenWithUnit(config, pools.rls, { ...who, expiresIn: '4h' }));
      return tokens.get(who)!;
    };
    const post = async (url: string, who: DevTokenRequest, query: string, variables?: Record<string, unknown>) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor(who)}` },
        body: JSON.stringify({ query, variables }),
      });
      const text = await response.text();
      let body: { data?: any; errors?: unknown[] } = {};
      try {
        body = JSON.parse(text);
      } catch {
        // reported below with the text
      }
      if (response.status !== 200 || body.errors?.length || !body.data) throw new Error(`HTTP ${response.status} from ${url}: ${text.slice(0, 600)}`);
      return body.data;
    };
    const raw = (scenario: ReadScenario, variant: Variant) => {
      const operation = rawOperation(RAW_QUERIES[scenario.key](picks), variant);
      return () => runRaw(pools[variant], operation);
    };
    /** One operation of a read scenario on one side, returning the answer's canonical form. */
    const answer = async (scenario: ReadScenario, side: Side): Promise<unknown> => {
      switch (side) {
        case 'ours': {
          const data = await post(ours.url, scenario.who, scenario.query, scenario.variables);
          scenario.check(data);
          return scenario.canonical(data);
        }
        case 'postgraphile': {
          const theirs = postgraphileScenarios[scenario.key];
          return theirs.canonical(await post(postgraphile.url, scenario.who, theirs.query, scenario.variables));
        }
        case 'raw':
        case 'raw-bypass':
          return RAW_QUERIES[scenario.key](picks).canonical(await raw(scenario, side === 'raw' ? 'rls' : 'bypass')());
      }
    };

    // ---- 3. the same data on every side, and the statements each sends
    progress('checking that every side returns the same data');
    const statements = new Map<string, StatementCount | null>();
    /** PostGraphile's own statement count per operation, next to pg_stat_statements' (a cross-check). */
    const postgraphileOwnCount: Record<string, number> = {};
    const problems: string[] = [];
    for (const scenario of scenarios) {
      const reference = await answer(scenario, 'ours');
      for (const side of SIDES.slice(1)) {
        const diff = difference(reference, await answer(scenario, side));
        if (diff) problems.push(`${scenario.key}: ${SIDE_LABEL[side]} returns other data than ours\n${diff.replace(/^/gm, '    ')}`);
      }
      for (const side of SIDES) {
        const key = `${scenario.key}|${side}`;
        const seen = postgraphile.statements();
        if (counting) {
          const role = side === 'raw-bypass' ? await currentUser(ownerUrl) : APP_ROLE;
          statements.set(key, await counting(key, role, () => answer(scenario, side)));
        } else if (side === 'postgraphile') {
          // Without pg_stat_statements: PostGraphile's own count of what its pool sent, over one operation.
          await answer(scenario, side);
          statements.set(key, { statements: postgraphile.statements() - seen, databaseMs: null });
        } else {
          statements.set(key, side === 'ours' ? null : { statements: RAW_STATEMENTS, databaseMs: null });
        }
        if (side === 'postgraphile') postgraphileOwnCount[scenario.key] = (postgraphile.statements() - seen) / (counting ? 2 * COUNTED_OPERATIONS : 1);
      }
    }
    if (problems.length) throw new Error(`the sides disagree, so comparing them means nothing:\n${problems.join('\n')}`);

    // ---- 4. the load
    const cells: Cell[] = [];
    const record = (scenario: Cell['scenario'], side: Side, concurrency: number, result: LoadResult, sql: StatementCount | null) => {
      cells.push({
        scenario,
        side,
        concurrency,
        requests: result.requests,
        perSecond: result.perSecond,
        latencyMs: result.latencyMs,
        errors: result.errors,
        statementsPerOperation: sql?.statements ?? null,
        databaseMsPerOperation: sql?.databaseMs ?? null,
        serverCpuMsPerRequest: result.serverCpuMsPerRequest,
      });
      progress(
        `  ${scenario} ${SIDE_LABEL[side]} c${concurrency}: ${fixed(result.perSecond, 0)} req/s, p95 ${fixed(result.latencyMs.p95, 1)} ms` +
          (result.errors ? `, ${result.errors} errors: ${result.failures[0] ?? ''}` : ''),
      );
    };
    for (const scenario of scenarios) {
      for (const concurrency of CONCURRENCY) {
        progress(`${scenario.key} at concurrency ${concurrency}`);
        for (const side of SIDES) {
          const sql = statements.get(`${scenario.key}|${side}`) ?? null;
          if (side === 'ours' || side === 'postgraphile') {
            const url = side === 'ours' ? ours.url : postgraphile.url;
            const query = side === 'ours' ? scenario.query : postgraphileScenarios[scenario.key].query;
            const result = await load.run({
              kind: 'query',
              url,
              token: await tokenFor(scenario.who),
              query,
              variables: scenario.variables,
              connections: concurrency,
              seconds: SECONDS,
              warmUpSeconds: WARM_UP_SECONDS,
              serverPid: side === 'ours' ? ours.pid : postgraphile.pid,
            });
            record(scenario.key, side, concurrency, result, sql);
          } else {
            const operation = raw(scenario, side === 'raw' ? 'rls' : 'bypass');
            await closedLoopFor(WARM_UP_SECONDS, concurrency, async () => void (await operation()));
            let errors = 0;
            const { latencies, wallMs } = await closedLoopFor(SECONDS, concurrency, async () => {
              try {
                await operation();
              } catch {
                errors += 1;
              }
            });
            record(scenario.key, side, concurrency, summary(latencies, wallMs, errors), sql);
          }
        }
      }
    }

    if (runs('plan-update')) {
      const mutation = PLAN_UPDATE;
      const slot = picks.plans[0];
      const sql = counting
        ? await counting('plan-update|ours', APP_ROLE, async () => {
            const [current] = await currentPlans(owner, [slot], false);
            const data = await post(ours.url, picks.coordinator, mutation, {
              input: { id: current.id, revision: current.revision, coordinatorName: 'Koordynator' },
            });
            if (data.ipusUpdate.userErrors.length) throw new Error(`plan-update: ${JSON.stringify(data.ipusUpdate.userErrors)}`);
          })
        : null;
      for (const concurrency of CONCURRENCY) {
        progress(`plan-update at concurrency ${concurrency}`);
        const plans = await currentPlans(owner, picks.plans);
        const result = await load.run({
          kind: 'plan-update',
          url: ours.url,
          token: await tokenFor(picks.coordinator),
          query: mutation,
          plans,
          connections: concurrency,
          seconds: SECONDS,
          warmUpSeconds: WARM_UP_SECONDS,
          serverPid: ours.pid,
        });
        record('plan-update', 'ours', concurrency, result, sql);
      }
      // The updates a stopped run left in flight commit before anyone else reads those plans.
      await currentPlans(owner, picks.plans);
    }

    // ---- scenario 6: subscribers
    let subscribers: SubscriberResult | null = null;
    if (runs('subscribers')) {
      progress(`subscribers: ${SUBSCRIBERS} WebSocket subscribers, ${MUTATIONS_PER_SECOND} changes a second for ${SUBSCRIBER_SECONDS} s`);
      subscribers = await measureSubscribers({
        wsUrl: ours.wsUrl,
        httpUrl: ours.url,
        serverPid: ours.pid,
        ownerUrl,
        tokenFor,
        subscribers: SUBSCRIBERS,
        mutationsPerSecond: MUTATIONS_PER_SECOND,
        seconds: SUBSCRIBER_SECONDS,
        progress: (m) => progress(`  ${m}`),
      });
    }

    // ---- the ministry's other reports, one by one as an analyst clicks through them
    let reports: ReportResult[] = [];
    if (runs('reports')) {
      progress('ministry reports');
      const warsawDirector: DevTokenRequest = { role: Role.DIRECTOR, gminy: ['1465011'], subject: 'bench-warsaw-director' };
      reports = await measureReports((dashboard, query) => post(ours.url, dashboard ? warsawDirector : picks.ministry, query), REPORT_REQUESTS, 3);
    }

    // ---- the utility of protected reports: published cells against the truth (issue 18)
    let utility: UtilityResult[] = [];
    if (runs('utility')) {
      progress('utility of ministry reports (published against true values)');
      utility = await measureUtility((query) => post(ours.url, picks.ministry, query), exactReport(owner));
    }

    // ---- 5. the report
    const totalSeconds = (performance.now() - benchStarted) / 1000;
    const targets = evaluateTargets(cells, subscribers);
    printResults(cells, targets, subscribers, reports, picks);
    printUtility(utility);
    process.stdout.write(`\nTotal run time: ${fixed(totalSeconds, 1)} s\n`);

    const out = path.join(projectRoot, 'bench', 'results', 'latest.json');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(
      out,
      `${JSON.stringify(
        {
          machine,
          postgres: { version: postgres, embedded, poolSize: config.dbPoolSize, statementsCounted: Boolean(counting) },
          parameters: {
            nationalScale: NATIONAL_SCALE,
            concurrency: CONCURRENCY,
            seconds: SECONDS,
            warmUpSeconds: WARM_UP_SECONDS,
            subscribers: SUBSCRIBERS,
            mutationsPerSecond: MUTATIONS_PER_SECOND,
            subscriberSeconds: SUBSCRIBER_SECONDS,
          },
          national: counts,
          picks: { ...picks, plans: picks.plans.length },
          cells,
          ratios: ratios(cells),
          targets,
          subscribers,
          reports,
          utility,
          postgraphileOwnCount,
          statementSamples,
          totalSeconds,
        },
        null,
        2,
      )}\n`,
    );
    process.stdout.write(`Results written to ${path.relative(process.cwd(), out)}\n`);
  } finally {
    await cleanup();
  }
}

function summary(latencies: number[], wallMs: number, errors: number): LoadResult {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    requests: sorted.length,
    durationMs: wallMs,
    perSecond: sorted.length / (wallMs / 1000),
    latencyMs: {
      mean: sorted.reduce((sum, v) => sum + v, 0) / sorted.length,
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
      max: sorted[sorted.length - 1] ?? NaN,
    },
    errors,
    failures: [],
    serverCpuMsPerRequest: null,
  };
}

/**
 * The plans of the update scenario with the revision each holds now: earlier runs moved them on, and
 * the requests a run left in flight when it stopped may still commit, so it reads until two reads
 * half a second apart agree.
 */
async function currentPlans(owner: pg.Client, plans: PlanSlot[], settle = true): Promise<PlanSlot[]> {
  const ids = plans.map((p) => uuidFromGlobalId(p.id, 'Ipus'));
  const read = async () =>
    (await owner.query<{ id: string; revision: number }>('select id::text, revision from ipus where id = any ($1::uuid[]) order by id', [ids])).rows;
  let rows = await read();
  for (let tries = 0; settle && tries < 20; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const again = await read();
    const settled = JSON.stringify(again) === JSON.stringify(rows);
    rows = again;
    if (settled) break;
  }
  const revisions = new Map(rows.map((r) => [r.id, r.revision]));
  return plans.map((p, i) => ({ ...p, revision: revisions.get(ids[i]) ?? p.revision }));
}

/** What one operation costs PostgreSQL, from pg_stat_statements. */
interface StatementCount {
  /** Top-level statements, begin and commit included. */
  statements: number;
  /** Planning and execution time of those statements, ms (functions they call included); null where not measured. */
  databaseMs: number | null;
}

/**
 * SQL statements per operation and the time PostgreSQL spent planning and executing them, from
 * pg_stat_statements (top-level statements, begin and commit included, with track_planning) for one
 * role in this database, over COUNTED_OPERATIONS operations sent one after another after as many to
 * warm up (a statement is prepared on its third sighting, and PostgreSQL plans it generically from the
 * sixth). Our server's outbox listener also reads as the application role every 2 s (four statements,
 * one of them reading outbox_event): its reads are taken out. Null when the module is not loaded.
 */
async function statementCounter(
  owner: pg.Client,
  samples: Record<string, string[]>,
): Promise<((key: string, role: string, operation: () => Promise<unknown>) => Promise<StatementCount>) | null> {
  const loaded = (await owner.query(`select current_setting('shared_preload_libraries') ~ 'pg_stat_statements' as loaded`)).rows[0].loaded as boolean;
  if (!loaded) return null;
  try {
    await owner.query('create extension if not exists pg_stat_statements');
  } catch {
    return null; // a role that may not create it
  }
  return async (key, role, operation) => {
    for (let i = 0; i < COUNTED_OPERATIONS; i++) await operation();
    await owner.query('select pg_stat_statements_reset()');
    for (let i = 0; i < COUNTED_OPERATIONS; i++) await operation();
    const { rows } = await owner.query<{ calls: string; ms: number; query: string }>(
      `select s.calls, s.total_plan_time + s.total_exec_time as ms, s.query from pg_stat_statements s join pg_roles r on r.oid = s.userid
       where r.rolname = $1 and s.dbid = (select oid from pg_database where datname = current_database())
         and s.query !~* 'pg_stat_statements' order by s.calls desc, s.query`,
      [role],
    );
    const listener = rows.filter((r) => /from outbox_event/i.test(r.query));
    const sum = (list: typeof rows, value: (r: (typeof rows)[number]) => number) => list.reduce((total, r) => total + value(r), 0);
    // What one operation sends, for whoever makes it send less (bench/results/latest.json).
    samples[key] = rows.map(
      (r) => `${fixed(Number(r.calls) / COUNTED_OPERATIONS, 1)}x ${fixed(r.ms / Number(r.calls), 3)} ms ${r.query.replace(/\s+/g, ' ').slice(0, 300)}`,
    );
    return {
      statements: (sum(rows, (r) => Number(r.calls)) - 4 * sum(listener, (r) => Number(r.calls))) / COUNTED_OPERATIONS,
      databaseMs: (sum(rows, (r) => r.ms) - sum(listener, (r) => r.ms)) / COUNTED_OPERATIONS,
    };
  };
}

async function currentUser(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query('select current_user as name')).rows[0].name as string;
  } finally {
    await client.end();
  }
}

interface Ratio {
  scenario: ReadKey;
  concurrency: number;
  /** ours / PostGraphile, throughput. */
  oursOverPostgraphile: number;
  /** ours p95 / PostGraphile p95 (at most 1 is the target). */
  p95OverPostgraphile: number;
  /** ours / raw SQL under RLS, throughput. */
  oursOverRaw: number;
  /** What RLS costs the raw SQL: bypass throughput / RLS throughput − 1. */
  rlsCost: number;
}

function ratios(cells: Cell[]): Ratio[] {
  const find = (scenario: string, side: Side, concurrency: number) =>
    cells.find((c) => c.scenario === scenario && c.side === side && c.concurrency === concurrency);
  const out: Ratio[] = [];
  for (const scenario of READ_KEYS) {
    for (const concurrency of CONCURRENCY) {
      const [o, p, r, b] = SIDES.map((side) => find(scenario, side, concurrency));
      if (!o || !p || !r || !b) continue;
      out.push({
        scenario,
        concurrency,
        oursOverPostgraphile: o.perSecond / p.perSecond,
        p95OverPostgraphile: o.latencyMs.p95 / p.latencyMs.p95,
        oursOverRaw: o.perSecond / r.perSecond,
        rlsCost: b.perSecond / r.perSecond - 1,
      });
    }
  }
  return out;
}

/** `url` with the connection option that turns JIT off (read by node-postgres, so by PostGraphile's pool too). */
function withJitOff(url: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent('-c jit=off')}`;
}

/** Issue 23: our throughput against PostGraphile's, at least, by scenario (at every concurrency). */
const THROUGHPUT_TARGETS: [ReadKey, number][] = [
  ['dashboard', 1.5],
  ['catalogue', 1.5],
  ['partner-week', 1.2],
  ['ministry-report', 1.2],
];

/** Issue 23: the Node CPU our server may spend per request, by scenario. */
const NODE_CPU_TARGETS: [ReadKey, number][] = [
  ['dashboard', 2],
  ['partner-week', 0.6],
];

function evaluateTargets(cells: Cell[], subscribers: SubscriberResult | null): Target[] {
  const all = ratios(cells);
  const targets: Target[] = [];
  const worst = (rows: Ratio[], value: (r: Ratio) => number, best: 'max' | 'min') =>
    rows.reduce((w, r) => ((best === 'min' ? value(r) < value(w) : value(r) > value(w)) ? r : w));
  const where = (r: Ratio) => `${r.scenario} c${r.concurrency}`;
  for (const [scenario, ratio] of THROUGHPUT_TARGETS) {
    const rows = all.filter((r) => r.scenario === scenario);
    if (!rows.length) continue;
    const t = worst(rows, (r) => r.oursOverPostgraphile, 'min');
    targets.push({
      target: `${scenario}: throughput >= ${fixed(ratio, 1)}x PostGraphile`,
      pass: t.oursOverPostgraphile >= ratio,
      detail: `lowest ${fixed(t.oursOverPostgraphile, 2)}x (c${t.concurrency})`,
    });
  }
  if (all.length) {
    const p = worst(all, (r) => r.p95OverPostgraphile, 'max');
    targets.push({
      target: "every scenario: p95 <= PostGraphile's p95",
      pass: p.p95OverPostgraphile <= 1,
      detail: `highest ${fixed(p.p95OverPostgraphile, 2)}x of theirs (${where(p)})`,
    });
    const r = worst(all, (x) => x.oursOverRaw, 'min');
    targets.push({
      target: 'every scenario: throughput >= 0.8x raw SQL',
      pass: r.oursOverRaw >= 0.8,
      detail: `lowest ${fixed(r.oursOverRaw, 2)}x (${where(r)})`,
    });
    const c = worst(all, (x) => x.rlsCost, 'max');
    targets.push({
      target: 'row-level security costs <= 10% (raw SQL, RLS against bypass)',
      pass: c.rlsCost <= 0.1,
      detail: `highest ${fixed(c.rlsCost * 100, 1)}% (${where(c)})`,
    });
  }
  for (const [scenario, limit] of NODE_CPU_TARGETS) {
    const read = cells.filter((c) => c.scenario === scenario && c.side === 'ours' && c.serverCpuMsPerRequest !== null);
    if (!read.length) continue;
    const most = read.reduce((w, c) => (c.serverCpuMsPerRequest! > w.serverCpuMsPerRequest! ? c : w));
    const theirs = cells.find((c) => c.scenario === scenario && c.side === 'postgraphile' && c.concurrency === most.concurrency)?.serverCpuMsPerRequest;
    targets.push({
      target: `${scenario}: our server's CPU per request <= ${limit} ms`,
      pass: most.serverCpuMsPerRequest! <= limit,
      detail: `highest ${fixed(most.serverCpuMsPerRequest!, 2)} ms (c${most.concurrency}; PostGraphile ${theirs == null ? '-' : fixed(theirs, 2)} ms)`,
    });
  }
  const errors = cells.reduce((sum, c) => sum + c.errors, 0);
  targets.push({ target: 'no errors under load', pass: errors === 0, detail: `${errors} errors` });
  if (subscribers) {
    const s = subscribers;
    targets.push({
      target: `scenario 6: ${SUBSCRIBERS} subscribers, p99 commit-to-delivery < 100 ms`,
      pass: s.connections === SUBSCRIBERS && s.commitToDeliveryMs.p99 < 100,
      detail: `${s.connections} connected, p99 ${fixed(s.commitToDeliveryMs.p99, 1)} ms`,
    });
    targets.push({ target: 'scenario 6: server RSS < 1 GB', pass: s.serverRssMb.peak < 1024, detail: `peak ${fixed(s.serverRssMb.peak, 0)} MB` });
    targets.push({
      target: 'scenario 6: every event due delivered, none other, none twice',
      pass: s.delivered === s.expected && s.unexpected === 0 && s.duplicates === 0 && s.events > 0,
      detail: `${s.delivered}/${s.expected} delivered, ${s.unexpected} unexpected, ${s.duplicates} duplicates (${s.events} events)`,
    });
  }
  return targets;
}

function printResults(cells: Cell[], targets: Target[], subscribers: SubscriberResult | null, reports: ReportResult[], picks: Picks): void {
  const sql = (value: number | null) => (value === null ? '-' : fixed(value, 1));
  process.stdout.write(
    `\n${table(
      ['scenario', 'conc', 'side', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'SQL/op', 'DB ms/op', 'CPU ms/op', 'errors'],
      cells.map((c) => [
        c.scenario,
        String(c.concurrency),
        SIDE_LABEL[c.side],
        fixed(c.perSecond, 0),
        fixed(c.latencyMs.p50, 2),
        fixed(c.latencyMs.p95, 2),
        fixed(c.latencyMs.p99, 2),
        sql(c.statementsPerOperation),
        c.databaseMsPerOperation === null ? '-' : fixed(c.databaseMsPerOperation, 2),
        c.serverCpuMsPerRequest === null ? '-' : fixed(c.serverCpuMsPerRequest, 2),
        String(c.errors),
      ]),
    )}\n  (${SECONDS} s per row after ${WARM_UP_SECONDS} s of warm-up, closed loop with conc connections; ` +
      `ours and PostGraphile through autocannon in its own process, raw SQL from node-postgres pools; ` +
      `DB ms/op: PostgreSQL's planning and execution time per operation, from pg_stat_statements over ${COUNTED_OPERATIONS} operations one at a time, after as many to warm up; ` +
      `CPU ms/op: the server process's user + system time per request (/proc), PostGraphile's without the token check, which the bench process does for it)\n`,
  );

  const all = ratios(cells);
  if (all.length) {
    process.stdout.write(
      `\n${table(
        ['scenario', 'conc', 'ours/PG req/s', 'ours/PG p95', 'ours/raw req/s', 'RLS cost'],
        all.map((r) => [
          r.scenario,
          String(r.concurrency),
          `${fixed(r.oursOverPostgraphile, 2)}x`,
          `${fixed(r.p95OverPostgraphile, 2)}x`,
          `${fixed(r.oursOverRaw, 2)}x`,
          `${fixed(r.rlsCost * 100, 1)}%`,
        ]),
      )}\n  (RLS cost: raw SQL bypass req/s over raw SQL under RLS, minus 1)\n`,
    );
  }
  if (subscribers) {
    const s = subscribers;
    process.stdout.write(
      `\nsubscribers: ${s.connections}/${s.subscribers} connected, ${s.events} events, ${s.delivered}/${s.expected} deliveries due arrived ` +
        `(${s.missing} missing, ${s.unexpected} unexpected, ${s.duplicates} duplicates); commit to delivery p50 ${fixed(s.commitToDeliveryMs.p50, 1)} ms, ` +
        `p95 ${fixed(s.commitToDeliveryMs.p95, 1)} ms, p99 ${fixed(s.commitToDeliveryMs.p99, 1)} ms, max ${fixed(s.commitToDeliveryMs.max, 1)} ms; ` +
        `server RSS ${fixed(s.serverRssMb.before, 0)} MB before, ${fixed(s.serverRssMb.peak, 0)} MB at peak\n`,
    );
  }
  if (reports.length) {
    process.stdout.write(
      `\n${table(
        ['report (MINISTRY unless dashboard)', 'cells', 'hidden', 'p50 ms', 'p95 ms', 'max ms'],
        reports.map((r) => [r.report, String(r.cells), String(r.suppressed), fixed(r.latencyMs.p50, 1), fixed(r.latencyMs.p95, 1), fixed(r.latencyMs.max, 1)]),
      )}\n  (${REPORT_REQUESTS} sequential requests each after 3 warm-up, on our server; the dashboards as the director of the Warsaw CUS)\n`,
    );
  }
  process.stdout.write(`\nTargets (issues 7 and 23), from this run (coordinator of ${picks.unit.name}):\n`);
  for (const t of targets) process.stdout.write(`  ${t.pass ? 'PASS' : 'MISS'}  ${t.target}: ${t.detail}\n`);
}

/**
 * The truth a ministry report is compared with: app.report as CUS staff read it (exact figures), for
 * a director over every gmina, in a read-only transaction of the owner's connection.
 */
function exactReport(owner: pg.Client): Truth {
  return async (measure, level) => {
    await owner.query('begin read only');
    try {
      await owner.query(
        `select set_config('app.role', $1, true), set_config('app.gminy', (select string_agg(id::text, ',') from gmina), true),
        set_config('app.partner_id', '', true), set_config('app.user_id', 'bench-utility', true)`,
        [Role.DIRECTOR],
      );
      const rows = (
        await owner.query<{ code: string | null; value: number }>(
          `select keys[1] as code, value::float8 as value from app.report($1, array[$2]::text[], $3::date, $4::date)`,
          [measure, level, REPORT_PERIOD.from, REPORT_PERIOD.to],
        )
      ).rows;
      return { cells: new Map(rows.filter((r) => r.code !== null).map((r) => [r.code!, r.value])), total: rows.find((r) => r.code === null)?.value ?? 0 };
    } finally {
      await owner.query('commit');
    }
  };
}

function printUtility(utility: UtilityResult[]): void {
  if (!utility.length) return;
  const n = (v: number | null, digits: number) => (v === null ? '-' : fixed(v, digits));
  process.stdout.write(`
${table(
  [`utility (MINISTRY, ${REPORT_PERIOD.from.slice(0, 4)})`, 'level', 'cells', 'hidden', 'mean abs. error', 'mean rel. error', 'total error'],
  utility.map((u) => [
    u.measure,
    u.level,
    String(u.cells),
    String(u.hidden),
    n(u.meanAbsoluteError, 2),
    u.meanRelativeError === null ? '-' : `${fixed(u.meanRelativeError * 100, 1)}%`,
    n(u.totalError, 2),
  ]),
)}
  (published cells against app.report's exact figures; errors over the cells shown, relative ones over those whose true value is above 0)
`);
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`bench failed: ${(error as Error).stack ?? error}\n`);
    process.exit(1);
  },
);
