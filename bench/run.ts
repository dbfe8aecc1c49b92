/**
 * `npm run bench`: a throughput and latency benchmark of the GraphQL server against its own, fresh
 * database. It prints figures; it asserts nothing beyond "every response was a success".
 *
 * Setup: a database `cus_bench_<time>` on DATABASE_URL's server, or else on an embedded PostgreSQL
 * kept apart from the dev server's and the tests' (.data/postgres-bench, port 54332); migrations and
 * the demo seed; ~200 more CUS units with 2 funding projects each, created through the API.
 * Then each scenario runs at each concurrency level (closed loop, Node's fetch, after a warm-up),
 * and a raw-SQL comparison measures what row-level security costs. The database is dropped at the end.
 *
 * The server runs in this process (as the tests run it), so the load generator shares its event loop
 * and its CPU: figures are for comparing runs on the same machine, not capacity planning.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { loadConfig, projectRoot } from '../src/platform/config.js';
import { createLogger } from '../src/platform/logger.js';
import { startEmbeddedPostgres } from '../src/platform/database/embedded.js';
import { createDatabaseIfMissing, dropDatabase } from '../src/platform/database/database-setup.js';
import { withDatabase, withUser } from '../src/platform/database/urls.js';
import { APP_ROLE } from '../src/platform/database/app-role.js';
import { migrateDatabase, seedDemo } from '../src/platform/database/migrate.js';
import { createOrm } from '../src/platform/database/orm.js';
import { createTokenVerifier, signDevToken, principalFromClaims, type DevTokenRequest } from '../src/platform/auth/tokens.js';
import { Role } from '../src/platform/auth/roles.js';
import { startServer } from '../src/platform/http/server.js';
import { readRegister } from '../seeds/teryt.js';
import { closedLoop, fixed, summarise, table, type Summary } from './measure.js';
import { bypassProblem, compareRls, type RlsComparison } from './rls.js';
import { measureLive, type LiveResult } from './live.js';
import { measureReports, type ReportResult } from './reports.js';
import { generateNational, type NationalCounts } from '../seeds/national.js';

// ---- knobs (environment variables only tune the run; defaults keep it under ~3 minutes on 2 cores)
const num = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer`);
  return value;
};
const REQUESTS = num('BENCH_REQUESTS', 300);
const WARM_UP = num('BENCH_WARMUP', 50);
const CONCURRENCY = (process.env.BENCH_CONCURRENCY ?? '1,8').split(',').map(Number);
if (!CONCURRENCY.every((c) => Number.isInteger(c) && c > 0)) throw new Error('BENCH_CONCURRENCY must list positive integers, e.g. 1,8');
const UNITS = num('BENCH_UNITS', 200);
const PROJECTS_PER_UNIT = 2;
const RLS_ITERATIONS = num('BENCH_RLS_ITERATIONS', 500);
const LIVE_SUBSCRIBERS = num('BENCH_SUBSCRIBERS', 200);
const LIVE_CHANGES = num('BENCH_LIVE_CHANGES', 30);
/** Scale of the national dataset the reports run on (1: a million residents, ten million deliveries; 0: skip). */
const NATIONAL_SCALE = Number(process.env.BENCH_NATIONAL_SCALE ?? '0.1');
const REPORT_REQUESTS = num('BENCH_REPORT_REQUESTS', 20);
/** Comma-separated scenario keys to run (all when unset), e.g. BENCH_ONLY=cusUnits-admin for profiling. */
const ONLY = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',')) : null;

/** The demo director's and coordinator's gmina (Wiązowna; README's token examples use it). */
const DEMO_GMINA = '1417082';
const ADMIN: DevTokenRequest = { role: Role.PLATFORM_ADMIN, subject: 'bench-admin' };
const DIRECTOR: DevTokenRequest = { role: Role.DIRECTOR, gminy: [DEMO_GMINA], subject: 'bench-director' };
const COORDINATOR: DevTokenRequest = { role: Role.COORDINATOR, gminy: [DEMO_GMINA], subject: 'bench-coordinator' };
const MINISTRY: DevTokenRequest = { role: Role.MINISTRY, subject: 'bench-ministry' };
/** The director of the national dataset's Warsaw CUS: the largest gmina dashboard. */
const WARSAW_DIRECTOR: DevTokenRequest = { role: Role.DIRECTOR, gminy: ['1465011'], subject: 'bench-warsaw-director' };
/** The demo's mobile rehabilitation partner, with a weekly item in Wiązowna (seeds/demo/commissions.ts). */
const PARTNER: DevTokenRequest = { role: Role.PARTNER, partner_id: '0193a000-0000-7000-8010-000000000007', subject: 'bench-partner' };

const config = loadConfig({
  ...process.env,
  LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'silent',
  DEV_KEY_FILE: '.data/bench-dev-jwt-key.json',
  // Never the dev server's or the tests' cluster, whatever the shell has set.
  EMBEDDED_PG_DIR: '.data/postgres-bench',
  EMBEDDED_PG_PORT: process.env.BENCH_PG_PORT ?? '54332',
  // Tokens are signed here with the bench's development key.
  JWKS_URL: '',
  NODE_ENV: 'development',
  SEED_ON_START: 'true',
  // The bench measures the server, not its abuse limits: one principal sends thousands of requests a minute.
  RATE_LIMIT_PER_PRINCIPAL: '0',
  RATE_LIMIT_PER_ADDRESS: '0',
  WS_MAX_CONNECTIONS_PER_PRINCIPAL: '0',
});
const log = createLogger(config.logLevel);
const progress = (message: string) => process.stderr.write(`bench: ${message}\n`);

interface Scenario {
  key: string;
  label: string;
  who: DevTokenRequest;
  query: string;
  /** Throws when the data is not what the scenario is about (a wrong count would make figures meaningless). */
  check: (data: any) => void;
}

interface ScenarioResult {
  scenario: string;
  label: string;
  concurrency: number;
  requests: number;
  requestsPerSecond: number;
  latencyMs: Omit<Summary, 'count' | 'perSecond' | 'wallMs'>;
  wallMs: number;
  statementsPerOperation: number;
}

const CUS_UNITS_QUERY = `{ cusUnits(first: 50) { nodes { name gminy { name } fundingProjects { title totalValue } } } }`;

function scenarios(): Scenario[] {
  return allScenarios().filter((s) => !ONLY || ONLY.has(s.key));
}

function allScenarios(): Scenario[] {
  return [
    {
      key: 'gminy',
      label: 'gminy(first: 50, orderBy: NAME) as COORDINATOR',
      who: COORDINATOR,
      query: `{ gminy(first: 50, orderBy: NAME) { totalCount nodes { terc name powiat { name } } } }`,
      check: (data) => {
        if (data.gminy.nodes.length !== 50 || data.gminy.totalCount < 2400) throw new Error(`gminy: ${data.gminy.nodes.length} nodes of ${data.gminy.totalCount}`);
      },
    },
    {
      key: 'cusUnits-admin',
      label: 'cusUnits(first: 50) + gminy + fundingProjects as PLATFORM_ADMIN',
      who: ADMIN,
      query: CUS_UNITS_QUERY,
      check: (data) => {
        const nodes = data.cusUnits.nodes as { fundingProjects: unknown[] }[];
        if (nodes.length !== 50) throw new Error(`cusUnits as admin: ${nodes.length} nodes`);
        if (nodes.filter((n) => n.fundingProjects.length > 0).length < 40) throw new Error('cusUnits as admin: units without projects');
      },
    },
    {
      key: 'cusUnits-director',
      label: `the same as DIRECTOR of ${DEMO_GMINA} (RLS filters)`,
      who: DIRECTOR,
      query: CUS_UNITS_QUERY,
      check: (data) => {
        const nodes = data.cusUnits.nodes as { gminy: { name: string }[] }[];
        if (nodes.length < 1 || nodes.length > 5) throw new Error(`cusUnits as director: ${nodes.length} nodes`);
      },
    },
    {
      key: 'plans',
      label: `plans(first: 20) + resident + items + revisions as COORDINATOR (each read logged)`,
      who: COORDINATOR,
      query: `{ plans(first: 20) { nodes { status resident { lastName } goals { description } items { service { name } weekdays } revisions { revision kind } } } }`,
      check: (data) => {
        const nodes = data.plans.nodes as { revisions: unknown[] }[];
        if (nodes.length < 5 || nodes.some((n) => n.revisions.length === 0)) throw new Error(`plans: ${nodes.length} plans`);
      },
    },
    {
      key: 'partner-week',
      label: 'a PARTNER\'s week: schedule(7 days) + person + service + delivery, and its commissions with use',
      who: PARTNER,
      query: `{ schedule(from: "2026-11-23", to: "2026-11-29", first: 100) { nodes { date startsAt endsAt
        assignment { person { firstName lastName phone address { street city } } service { name } progress { planned delivered } }
        delivery { outcome durationMinutes } } } commissions(first: 20) { nodes { title status use { volumeLeft budgetUsed } } } }`,
      check: (data) => {
        if (data.schedule.nodes.length < 1 || data.commissions.nodes.length < 1) throw new Error(`partner-week: ${data.schedule.nodes.length} visits`);
      },
    },
    {
      key: 'viewer',
      label: 'viewer { role } (floor: auth + transaction)',
      who: COORDINATOR,
      query: `{ viewer { role } }`,
      check: (data) => {
        if (data.viewer.role !== Role.COORDINATOR) throw new Error(`viewer: ${JSON.stringify(data)}`);
      },
    },
  ];
}

/** The statements tests/support/app.ts counts: reads, writes and transaction control. */
const COUNTED = /\b(select|insert|update|delete|begin|commit|rollback)\b/i;
/**
 * MikroORM's default logger colours its lines (unless NO_COLOR or MIKRO_ORM_NO_COLOR is set), and an
 * escape sequence glued to the SQL ("\x1B[39mselect ...") leaves no word boundary for COUNTED to match.
 */
const plain = (message: string) => message.replace(/\x1B\[[0-9;]*m/g, '');

async function main(): Promise<void> {
  const benchStarted = performance.now();
  const machine = {
    date: new Date().toISOString(),
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
  };
  process.stdout.write(
    `cus-platform benchmark  ${machine.date}\n` +
      `CPU: ${machine.cpu}, ${machine.cores} cores; Node ${machine.node}; ${machine.platform}\n`,
  );

  // ---- database: a fresh one, dropped at the end
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
    let adminUrl: string;
    let embedded = false;
    if (config.databaseUrl) {
      adminUrl = config.databaseUrl;
    } else {
      progress(`starting embedded PostgreSQL (${path.relative(projectRoot, config.embeddedPgDir)}, port ${config.embeddedPgPort})`);
      const server = await startEmbeddedPostgres(config.embeddedPgDir, config.embeddedPgPort, log);
      adminUrl = server.adminUrl;
      embedded = true;
      cleanups.push(server.stop);
      // An interrupted run cannot drop its database (Ctrl-C stops the embedded server too); the next run does.
      for (const leftover of await leftoverBenchDatabases(adminUrl)) {
        progress(`dropping ${leftover}, left by an interrupted run`);
        await dropDatabase(adminUrl, leftover);
      }
    }
    const name = `cus_bench_${Date.now().toString(36)}`;
    await createDatabaseIfMissing(adminUrl, name);
    cleanups.push(() => dropDatabase(adminUrl, name));
    const ownerUrl = withDatabase(adminUrl, name);
    const appUrl = config.appDatabaseUrl
      ? withDatabase(config.appDatabaseUrl, name)
      : withUser(ownerUrl, APP_ROLE, config.appDbPassword);
    const postgres = await serverVersion(ownerUrl);
    process.stdout.write(`PostgreSQL: ${postgres} (${embedded ? 'embedded' : 'DATABASE_URL'}), database ${name}\n\n`);

    progress('migrating and seeding');
    await migrateDatabase(ownerUrl, config.appDbPassword, log);
    await seedDemo(ownerUrl, log);

    // ---- the server, configured as main.ts configures it, plus a statement counter
    let statements = 0;
    let recording: string[] | null = null;
    const orm = await createOrm(appUrl, {
      poolSize: config.dbPoolSize,
      onQuery: (message) => {
        const sql = plain(message);
        if (!COUNTED.test(sql)) return;
        statements += 1;
        recording?.push(sql);
      },
    });
    cleanups.push(() => orm.close());
    const verifier = await createTokenVerifier(config);
    const server = await startServer({ config, orm, verifier, log }, 0);
    cleanups.push(() => server.close());

    const tokens = new Map<DevTokenRequest, string>();
    const tokenFor = async (who: DevTokenRequest) => {
      if (!tokens.has(who)) tokens.set(who, await signDevToken(config, { ...who, expiresIn: '2h' }));
      return tokens.get(who)!;
    };
    const gql = async (who: DevTokenRequest, query: string, variables?: Record<string, unknown>) => {
      const response = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor(who)}` },
        body: JSON.stringify({ query, variables }),
      });
      const text = await response.text();
      return { status: response.status, text };
    };
    const gqlData = async (who: DevTokenRequest, query: string, variables?: Record<string, unknown>) => {
      const { status, text } = await gql(who, query, variables);
      const body = JSON.parse(text) as { data?: any; errors?: unknown[] };
      if (status !== 200 || body.errors?.length) throw new Error(`HTTP ${status}: ${text.slice(0, 500)}`);
      return body.data;
    };

    // ---- volume through the API
    progress(`creating ${UNITS} CUS units with ${PROJECTS_PER_UNIT} funding projects each`);
    const setupStarted = performance.now();
    const statementsBefore = statements;
    const volume = await addVolume(gqlData);
    const setup = {
      units: volume.units,
      fundingProjects: volume.projects,
      mutations: volume.units + volume.projects,
      seconds: (performance.now() - setupStarted) / 1000,
      statementsPerMutation: (statements - statementsBefore) / (volume.units + volume.projects),
    };
    process.stdout.write(
      `Setup: ${setup.units} units + ${setup.fundingProjects} funding projects via the API (concurrency 8) ` +
        `in ${fixed(setup.seconds, 1)} s, ${fixed(setup.mutations / setup.seconds, 0)} mutations/s, ` +
        `${fixed(setup.statementsPerMutation, 1)} statements/mutation\n\n`,
    );

    // ---- scenarios
    const results: ScenarioResult[] = [];
    const samples: Record<string, string[]> = {};
    for (const scenario of scenarios()) {
      // One operation on its own: checks the data and records the statements it sends.
      recording = [];
      scenario.check(await gqlData(scenario.who, scenario.query));
      samples[scenario.key] = recording.map((s) => s.replace(/\s+/g, ' ').slice(0, 300));
      recording = null;

      for (const concurrency of CONCURRENCY) {
        progress(`${scenario.key} at concurrency ${concurrency}`);
        const operation = async () => {
          const { status, text } = await gql(scenario.who, scenario.query);
          if (status !== 200 || text.includes('"errors"')) throw new Error(`${scenario.key}: HTTP ${status}: ${text.slice(0, 300)}`);
        };
        await closedLoop(WARM_UP, concurrency, operation);
        const before = statements;
        const { latencies, wallMs } = await closedLoop(REQUESTS, concurrency, operation);
        const summary = summarise(latencies, wallMs);
        results.push({
          scenario: scenario.key,
          label: scenario.label,
          concurrency,
          requests: REQUESTS,
          requestsPerSecond: summary.perSecond,
          latencyMs: { mean: summary.mean, p50: summary.p50, p95: summary.p95, p99: summary.p99, max: summary.max },
          wallMs,
          statementsPerOperation: (statements - before) / REQUESTS,
        });
      }
    }

    // ---- plan changes reaching dashboards over WebSocket
    progress(`live updates: ${LIVE_SUBSCRIBERS} feed subscribers, ${LIVE_CHANGES} plan changes`);
    const [active] = (await gqlData(COORDINATOR, `{ plans(first: 1, filter: { statuses: [ACTIVE] }) { nodes { id revision } } }`)).plans.nodes;
    const live: LiveResult = await measureLive(server.url.replace(/^http/, 'ws'), await tokenFor(DIRECTOR), async (revision) => {
      const data = await gqlData(COORDINATOR, `mutation($input: IpusNoteInput!) { ipusAddMonitoringNote(input: $input) { ipus { revision } userErrors { code } } }`,
        { input: { id: active.id, revision, note: 'Notatka z pomiaru' } });
      if (data.ipusAddMonitoringNote.userErrors.length) throw new Error(`live: ${JSON.stringify(data.ipusAddMonitoringNote.userErrors)}`);
      return data.ipusAddMonitoringNote.ipus.revision as number;
    }, active.revision, LIVE_SUBSCRIBERS, LIVE_CHANGES);

    // ---- what RLS costs, in raw SQL
    progress('raw-SQL comparison of row-level security');
    const bypassUrl = ownerUrl; // the superuser for the embedded server; DATABASE_URL's role otherwise
    const problem = await bypassProblem(bypassUrl);
    let rls: RlsComparison[] = [];
    if (problem) {
      process.stdout.write(`RLS comparison skipped: ${problem}\n`);
    } else {
      const principal = (who: DevTokenRequest) => principalFromClaims({ sub: who.subject, role: who.role, gminy: who.gminy });
      rls = [
        await compareRls(appUrl, bypassUrl, principal(ADMIN), RLS_ITERATIONS),
        await compareRls(appUrl, bypassUrl, principal(DIRECTOR), RLS_ITERATIONS),
      ];
    }

    // ---- ministry reports on the national-scale dataset, loaded into the same database
    let national: (NationalCounts & { scale: number; refreshMs: number }) | null = null;
    let reports: ReportResult[] = [];
    if (NATIONAL_SCALE > 0) {
      progress(`generating the national dataset at scale ${NATIONAL_SCALE}`);
      const counts = await generateNational(ownerUrl, { scale: NATIONAL_SCALE, seed: 1, today: '2026-11-27', log: (m) => progress(m) });
      const refreshed = await gqlData(ADMIN, 'mutation { reportsRefresh { tookMs } }');
      national = { ...counts, scale: NATIONAL_SCALE, refreshMs: refreshed.reportsRefresh.tookMs };
      progress('ministry reports');
      reports = await measureReports((dashboard, query) => gqlData(dashboard ? WARSAW_DIRECTOR : MINISTRY, query), REPORT_REQUESTS, 3);
    }

    // ---- report
    const scenarioTable = table(
      ['scenario', 'conc', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'SQL/op'],
      results.map((r) => [
        r.scenario,
        String(r.concurrency),
        fixed(r.requestsPerSecond, 0),
        fixed(r.latencyMs.p50, 2),
        fixed(r.latencyMs.p95, 2),
        fixed(r.latencyMs.p99, 2),
        fixed(r.statementsPerOperation, 1),
      ]),
    );
    const legend = scenarios().map((s) => `  ${s.key.padEnd(18)} ${s.label}`).join('\n');
    process.stdout.write(
      `${scenarioTable}\n\n${legend}\n` +
        `  (${REQUESTS} requests per row after ${WARM_UP} warm-up; SQL/op counts set_config, selects and the commit or rollback; a read-only query's begin is not logged)\n\n`,
    );
    process.stdout.write(
      `live: ${live.subscribers} ipusFeed subscribers, ${live.changes} plan changes: ${live.delivered}/${live.expected} events delivered; ` +
        `mutation sent to event received p50 ${fixed(live.deliveryMs.p50, 2)} ms, p95 ${fixed(live.deliveryMs.p95, 2)} ms, ` +
        `p99 ${fixed(live.deliveryMs.p99, 2)} ms, max ${fixed(live.deliveryMs.max, 2)} ms (the mutation itself: p50 ${fixed(live.mutationMs.p50, 2)} ms)\n\n`,
    );
    if (rls.length) {
      const rlsTable = table(
        ['raw SQL of cusUnits as', 'rows (u/g/p)', 'RLS tx ms', 'bypass tx ms', 'ratio', 'RLS selects ms', 'bypass selects ms', 'ratio'],
        rls.map((c) => [
          c.principal,
          `${c.rls.units}/${c.rls.gminy}/${c.rls.projects}`,
          fixed(c.rls.transactionMs, 3),
          fixed(c.bypass.transactionMs, 3),
          `${fixed(c.transactionRatio, 2)}x`,
          fixed(c.rls.selectsMs, 3),
          fixed(c.bypass.selectsMs, 3),
          `${fixed(c.selectsRatio, 2)}x`,
        ]),
      );
      process.stdout.write(
        `${rlsTable}\n` +
          `  (medians of ${RLS_ITERATIONS} sequential transactions each, alternating; RLS = ${APP_ROLE} under the policies, ` +
          `bypass = superuser with the tenant filter as an explicit WHERE; tx = begin + set_config + 3 selects + commit)\n` +
          `RLS ratio (PLATFORM_ADMIN, whole transaction): ${fixed(rls[0].transactionRatio, 2)}x\n`,
      );
    }
    if (national) {
      process.stdout.write(
        `\nNational dataset at scale ${national.scale}: ${national.units} CUS units, ${national.residents} residents, ` +
          `${national.applications} applications, ${national.plans} plans, ${national.items} items, ${national.deliveries} deliveries, ` +
          `generated in ${fixed(national.ms / 1000, 1)} s; report rollup rebuilt in ${fixed(national.refreshMs / 1000, 1)} s\n\n`,
      );
      process.stdout.write(`${table(['report (MINISTRY unless dashboard)', 'cells', 'hidden', 'p50 ms', 'p95 ms', 'max ms'], reports.map((r) => [
        r.report, String(r.cells), String(r.suppressed), fixed(r.latencyMs.p50, 1), fixed(r.latencyMs.p95, 1), fixed(r.latencyMs.max, 1),
      ]))}\n  (${REPORT_REQUESTS} sequential requests each after 3 warm-up; the dashboards as the director of the Warsaw CUS)\n`);
    }
    const totalSeconds = (performance.now() - benchStarted) / 1000;
    process.stdout.write(`\nTotal run time: ${fixed(totalSeconds, 1)} s\n`);

    const out = path.join(projectRoot, 'bench', 'results', 'latest.json');
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(
      out,
      `${JSON.stringify(
        {
          machine,
          postgres: { version: postgres, embedded, poolSize: config.dbPoolSize },
          parameters: { requests: REQUESTS, warmUp: WARM_UP, concurrency: CONCURRENCY, rlsIterations: RLS_ITERATIONS },
          setup,
          scenarios: results,
          rls,
          live,
          national,
          reports,
          sampleStatements: samples,
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

/** Databases of earlier bench runs on the bench's own embedded cluster that nobody is connected to. */
async function leftoverBenchDatabases(adminUrl: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query(
      `select datname from pg_database d where datname like 'cus\\_bench\\_%'
         and not exists (select 1 from pg_stat_activity a where a.datname = d.datname)`,
    );
    return rows.map((r) => r.datname as string);
  } finally {
    await client.end();
  }
}

async function serverVersion(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query('show server_version')).rows[0].server_version as string;
  } finally {
    await client.end();
  }
}

/**
 * Creates UNITS single-gmina units (OPS_TRANSFORMED) spread evenly over the TERYT register, skipping
 * gminy the demo seed already serves, each with PROJECTS_PER_UNIT funding projects; 8 at a time.
 */
async function addVolume(
  gqlData: (who: DevTokenRequest, query: string, variables?: Record<string, unknown>) => Promise<any>,
): Promise<{ units: number; projects: number }> {
  const demo = new Set(['1417082', '0611102', '2806102', '2808062', '1434011', '1417052', '1417032']);
  const register = readRegister().filter((g) => !demo.has(g.terc));
  const step = register.length / UNITS;
  const gminy = Array.from({ length: Math.min(UNITS, register.length) }, (_, i) => register[Math.floor(i * step)]);
  let projects = 0;
  await closedLoop(gminy.length, 8, async (i) => {
    const gmina = gminy[i];
    const created = await gqlData(
      ADMIN,
      `mutation ($input: CusUnitCreateInput!) { cusUnitCreate(input: $input) { cusUnit { id } userErrors { field message } } }`,
      {
        input: {
          name: `Centrum Usług Społecznych w gminie ${gmina.name} (${gmina.terc})`,
          seatGmina: gmina.terc,
          seatAddress: {
            street: `ul. Główna ${1 + (i % 120)}`,
            postalCode: `${String(10 + (i % 90))}-${String((i * 37) % 1000).padStart(3, '0')}`,
            city: gmina.name,
          },
          creationMode: 'OPS_TRANSFORMED',
          foundingResolution: { number: `${i + 1}/XX/2021`, date: '2020-11-30' },
          startDate: `${2021 + (i % 4)}-0${1 + (i % 9)}-01`,
        },
      },
    );
    const payload = created.cusUnitCreate;
    if (payload.userErrors.length) throw new Error(`cusUnitCreate ${gmina.terc}: ${JSON.stringify(payload.userErrors)}`);
    for (let p = 0; p < PROJECTS_PER_UNIT; p++) {
      const added = await gqlData(
        ADMIN,
        `mutation ($input: FundingProjectAddInput!) { fundingProjectAdd(input: $input) { fundingProject { id } userErrors { field message } } }`,
        {
          input: {
            cusUnitId: payload.cusUnit.id,
            programme: p === 0 ? 'Program Operacyjny Wiedza Edukacja Rozwój 2014-2020 (PO WER)' : 'Fundusze Europejskie dla Rozwoju Społecznego 2021-2027 (FERS)',
            action: p === 0 ? '2.8' : '4.12',
            title: `Rozwój usług społecznych w gminie ${gmina.name}, etap ${p + 1}`,
            periodStart: p === 0 ? '2021-01-01' : '2024-01-01',
            periodEnd: p === 0 ? '2023-05-31' : '2027-12-31',
            totalValue: `${1_000_000 + ((i * 7919 + p * 104_729) % 3_000_000)}.${String((i * 13) % 100).padStart(2, '0')}`,
            coFinancingPercent: 100,
          },
        },
      );
      if (added.fundingProjectAdd.userErrors.length) throw new Error(`fundingProjectAdd: ${JSON.stringify(added.fundingProjectAdd.userErrors)}`);
      projects += 1;
    }
  });
  return { units: gminy.length, projects };
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`bench failed: ${(error as Error).stack ?? error}\n`);
    process.exit(1);
  },
);
