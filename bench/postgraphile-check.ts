/**
 * `npm run -s build && node dist/bench/postgraphile-check.js`: checks bench/postgraphile.ts against our
 * API. On a fresh database (DATABASE_URL's server, else postgres://postgres@127.0.0.1:5432/postgres):
 * migrations, the demo seed and the national dataset at a small scale (CHECK_NATIONAL_SCALE, default
 * 0.02). Our server runs in this process (startServer, as the tests run it), PostGraphile in its own;
 * each issue-7 scenario runs on both with the same principal and variables (those bench/scenarios.ts
 * picks, and a few more of this script's own), and the canonical forms must be equal. Then a quick,
 * sequential throughput comparison (CHECK_REQUESTS each, default 200, after a warm-up). The database
 * is dropped at the end. Exit code 1 when a scenario's answers differ or one side fails.
 *
 * Our answers are mapped to canonical form here, independently of bench/scenarios.ts, so a mistake in
 * either mapping shows up as a difference.
 */
import pg from 'pg';
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../src/platform/config.js';
import { createLogger } from '../src/platform/logger.js';
import { createDatabaseIfMissing, dropDatabase } from '../src/platform/database/database-setup.js';
import { withDatabase, withUser } from '../src/platform/database/urls.js';
import { APP_ROLE } from '../src/platform/database/app-role.js';
import { migrateDatabase, seedDemo } from '../src/app.js';
import { createOrm } from '../src/app.js';
import { createTokenVerifier, type DevTokenRequest } from '../src/platform/auth/tokens.js';
import { signDevTokenWithUnit } from '../src/platform/auth/token-door.js';
import { Role } from '../src/platform/auth/roles.js';
import { fromGlobalId } from '../src/platform/graphql/node.js';
import { startServer } from '../src/app.js';
import { todayInPoland } from '../src/modules/common/dates.js';
import { generateNational } from '../seeds/national.js';
import { CATALOGUE_SEARCH, COORDINATOR_DASHBOARD, MINISTRY_REPORT, PARTNER_WEEK } from './operations.js';
import { fixed, summarise, table } from './measure.js';
import { pickScenarioData, weekOf } from './scenarios.js';
import { demoClock } from '../seeds/demo/clock.js';
import { postgraphileScenarios, preparePostGraphile, startPostGraphile } from './postgraphile.js';

type Key = keyof typeof postgraphileScenarios;

const ADMIN_URL = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const SCALE = Number(process.env.CHECK_NATIONAL_SCALE ?? 0.02);
const REQUESTS = Number(process.env.CHECK_REQUESTS ?? 200);
const WARM_UP = 20;

/** The demo's Wiązowna coordinator and its mobile-rehabilitation partner (seeds/demo). */
const DEMO_COORDINATOR: DevTokenRequest = { role: Role.COORDINATOR, gminy: ['1417082'], subject: 'check-demo-coordinator' };
const DEMO_PARTNER: DevTokenRequest = { role: Role.PARTNER, partner_id: '0193a000-0000-7000-8010-000000000007', subject: 'check-demo-partner' };
const MINISTRY: DevTokenRequest = { role: Role.MINISTRY, subject: 'check-ministry' };

const OUR_QUERIES: Record<Key, string> = {
  dashboard: COORDINATOR_DASHBOARD,
  catalogue: CATALOGUE_SEARCH,
  'partner-week': PARTNER_WEEK,
  'ministry-report': MINISTRY_REPORT,
};

const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const uuidOf = (globalId: string) => fromGlobalId(globalId).key;

interface OurReport {
  total: { value: number | null; suppressed: boolean };
  cells: { keys: { code: string }[]; value: number | null; suppressed: boolean }[];
}

/** Our API's answers in the canonical forms of bench/postgraphile.ts. */
const OUR_CANONICAL: Record<Key, (data: any) => unknown> = {
  dashboard: (data) =>
    (data.plans.nodes as any[])
      .map((plan) => ({
        plan: uuidOf(plan.id),
        status: plan.status,
        resident: `${plan.resident.lastName} ${plan.resident.firstName}`,
        items: (plan.items as any[])
          .map((item) => ({ position: item.position, service: item.service?.name ?? null, partner: item.partner?.name ?? null, nextVisits: item.nextVisits }))
          .sort((a, b) => a.position - b.position),
      }))
      .sort((a, b) => byCodePoint(a.plan, b.plan)),
  catalogue: (data) =>
    (data.services.nodes as any[])
      .map((service) => ({
        service: uuidOf(service.id),
        name: service.name,
        area: service.area,
        targetGroups: [...service.targetGroups].sort(),
        gminy: (service.gminy as { terc: string }[]).map((g) => g.terc).sort(),
      }))
      .sort((a, b) => byCodePoint(a.service, b.service)),
  'partner-week': (data) =>
    (data.schedule.nodes as any[])
      .map((visit) => ({
        date: visit.date,
        startsAt: visit.startsAt.slice(0, 5),
        endsAt: visit.endsAt.slice(0, 5),
        person: `${visit.assignment.person.lastName} ${visit.assignment.person.firstName}`,
        service: visit.assignment.service?.name ?? null,
        delivered: visit.delivery?.outcome ?? null,
      }))
      .sort((a, b) => byCodePoint(`${a.date}|${a.startsAt}|${a.person}|${a.service}`, `${b.date}|${b.startsAt}|${b.person}|${b.service}`)),
  'ministry-report': (data) => {
    const report = (r: OurReport) => ({
      total: r.total.suppressed ? null : r.total.value,
      cells: r.cells
        .map((c) => ({ woj: c.keys[0].code, area: c.keys[1].code, value: c.suppressed ? null : c.value }))
        .sort((a, b) => byCodePoint(`${a.woj}|${a.area}`, `${b.woj}|${b.area}`)),
    });
    return { plans: report(data.plans), deliveries: report(data.deliveries) };
  },
};

interface Case {
  key: Key;
  label: string;
  who: DevTokenRequest;
  variables: Record<string, unknown>;
  /** The bench's own case: measured for throughput too. */
  measured?: boolean;
  /** Changes both sides' documents the same way (another grouping of the report). */
  rewrite?: (query: string) => string;
}

/** What a canonical answer holds, in a few words (so a match of two empty answers is not mistaken for a check). */
function sizeOf(key: Key, canonical: any): string {
  if (key === 'ministry-report') {
    const hidden = (r: { cells: { value: number | null }[] }) => r.cells.filter((c) => c.value === null).length;
    return `plans ${canonical.plans.cells.length} cells (${hidden(canonical.plans)} hidden), deliveries ${canonical.deliveries.cells.length} cells (${hidden(canonical.deliveries)} hidden)`;
  }
  return `${canonical.length} ${key === 'dashboard' ? 'plans' : key === 'catalogue' ? 'services' : 'visits'}`;
}

/** The first differences between two canonical forms (both sorted the same way), or null. */
function differences(ours: unknown, theirs: unknown, at = '$', out: string[] = []): string[] | null {
  if (out.length >= 5) return out;
  if (JSON.stringify(ours) === JSON.stringify(theirs)) return out.length ? out : null;
  if (Array.isArray(ours) && Array.isArray(theirs)) {
    if (ours.length !== theirs.length) out.push(`${at}: ${ours.length} entries (ours) against ${theirs.length} (PostGraphile)`);
    for (let i = 0; i < Math.max(ours.length, theirs.length) && out.length < 5; i++) differences(ours[i], theirs[i], `${at}[${i}]`, out);
  } else if (ours && theirs && typeof ours === 'object' && typeof theirs === 'object') {
    for (const k of new Set([...Object.keys(ours), ...Object.keys(theirs)])) differences((ours as any)[k], (theirs as any)[k], `${at}.${k}`, out);
  } else {
    out.push(`${at}: ${JSON.stringify(ours)?.slice(0, 300)} (ours) against ${JSON.stringify(theirs)?.slice(0, 300)} (PostGraphile)`);
  }
  return out;
}

const progress = (message: string) => process.stderr.write(`check: ${message}\n`);

async function main(): Promise<number> {
  const name = `cus_pgcheck_${Date.now().toString(36)}`;
  const config = loadConfig({
    ...process.env,
    DATABASE_URL: withDatabase(ADMIN_URL, name),
    LOG_LEVEL: process.env.CHECK_LOG_LEVEL ?? 'silent',
    DEV_KEY_FILE: '.data/bench-dev-jwt-key.json',
    JWKS_URL: '',
    NODE_ENV: 'development',
    SEED_ON_START: 'false',
    RATE_LIMIT_PER_PRINCIPAL: '0',
    RATE_LIMIT_PER_ADDRESS: '0',
    REPORT_REFRESH_SECONDS: '0',
    REDIS_URL: '',
  });
  const log = createLogger(config.logLevel);
  const cleanups: (() => Promise<unknown>)[] = [];
  let failed = false;
  try {
    progress(`database ${name}: migrations, demo seed, national dataset at scale ${SCALE}`);
    await createDatabaseIfMissing(ADMIN_URL, name);
    cleanups.push(() => dropDatabase(ADMIN_URL, name));
    const ownerUrl = withDatabase(ADMIN_URL, name);
    const appUrl = withUser(ownerUrl, APP_ROLE, config.appDbPassword);
    const today = todayInPoland();
    await migrateDatabase(ownerUrl, config.appDbPassword, log);
    await seedDemo(ownerUrl, log);
    await generateNational(ownerUrl, { scale: SCALE, seed: 1, today });

    progress('our server (in this process) and PostGraphile (in its own)');
    let ourStatements = 0;
    const orm = await createOrm(appUrl, {
      poolSize: config.dbPoolSize,
      // As bench/run.ts counted them: reads, writes and transaction control (MikroORM logs no begin of a read-only operation).
      onQuery: (message) => {
        if (/\b(select|insert|update|delete|begin|commit|rollback)\b/i.test(message.replace(/\x1B\[[0-9;]*m/g, ''))) ourStatements += 1;
      },
    });
    cleanups.push(() => orm.close());
    const verifier = await createTokenVerifier(config);
    const ours = await startServer({ config, orm, verifier, log }, 0);
    cleanups.push(() => ours.close());
    await preparePostGraphile(ownerUrl);
    const started = performance.now();
    // verifierConfig: PostGraphile's process verifies every token itself, with our verifier, as our server does.
    const theirs = await startPostGraphile({ appUrl, verifier, verifierConfig: config });
    cleanups.push(() => theirs.close());
    progress(`PostGraphile ready in ${fixed((performance.now() - started) / 1000, 1)} s`);

    const tokens = new Map<DevTokenRequest, string>();
    const lookups = new pg.Pool({ connectionString: appUrl, max: 1 });
    cleanups.push(() => lookups.end());
    const tokenFor = async (who: DevTokenRequest) => {
      if (!tokens.has(who)) tokens.set(who, await signDevTokenWithUnit(config, lookups, { ...who, expiresIn: '2h' }));
      return tokens.get(who)!;
    };
    const post = async (url: string, who: DevTokenRequest, query: string, variables: Record<string, unknown>) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenFor(who)}` },
        body: JSON.stringify({ query, variables }),
      });
      const text = await response.text();
      const body = JSON.parse(text) as { data?: any; errors?: unknown[] };
      if (response.status !== 200 || body.errors?.length) throw new Error(`HTTP ${response.status}: ${text.slice(0, 600)}`);
      return body.data;
    };
    const ask = {
      ours: (c: Case) => post(ours.url, c.who, (c.rewrite ?? String)(OUR_QUERIES[c.key]), c.variables),
      theirs: (c: Case) => post(theirs.url, c.who, (c.rewrite ?? String)(postgraphileScenarios[c.key].query), c.variables),
    };

    // An invalid token is refused by both.
    for (const [side, url] of [
      ['ours', ours.url],
      ['PostGraphile', theirs.url],
    ] as const) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer not.a.token' },
        body: '{"query":"{ __typename }"}',
      });
      if (response.status !== 401) {
        failed = true;
        process.stdout.write(`FAIL ${side} answered an invalid token with HTTP ${response.status}, not 401\n`);
      }
    }

    const picks = await pickScenarioData(ownerUrl, today);
    // The demo partner's week of the story, moved as the demo seed moved it (seeds/demo/clock.ts).
    const demoWeek = weekOf(demoClock()('2026-11-23'));
    const cases: Case[] = [
      { key: 'dashboard', label: `coordinator of ${picks.unit.name} (${picks.unit.plans} plans)`, who: picks.coordinator, variables: {}, measured: true },
      { key: 'dashboard', label: 'the demo coordinator (Wiązowna)', who: DEMO_COORDINATOR, variables: {} },
      {
        key: 'catalogue',
        label: `"${picks.catalogue.search}" in ${picks.catalogue.filter.areas.join('/')} for ${picks.catalogue.filter.targetGroups.join('/')}`,
        who: picks.coordinator,
        variables: picks.catalogue,
        measured: true,
      },
      {
        key: 'catalogue',
        label: '"USLUGI opiek" (no diacritics, a prefix), no filter, demo',
        who: DEMO_COORDINATOR,
        variables: { search: 'USLUGI opiek', filter: { areas: [], targetGroups: [] } },
      },
      {
        key: 'catalogue',
        label: 'blank search, SENIORS or CARERS, demo',
        who: DEMO_COORDINATOR,
        variables: { search: '  ', filter: { areas: null, targetGroups: ['SENIORS', 'CARERS'] } },
      },
      { key: 'catalogue', label: 'no search, no filter, largest CUS', who: picks.coordinator, variables: {} },
      {
        key: 'partner-week',
        label: `${picks.partnerName}, ${picks.week.from}..${picks.week.to}`,
        who: picks.partner,
        variables: { from: picks.week.from, to: picks.week.to },
        measured: true,
      },
      { key: 'partner-week', label: `the demo partner, ${demoWeek.from}..${demoWeek.to}`, who: DEMO_PARTNER, variables: demoWeek },
      { key: 'ministry-report', label: `${picks.year.from}..${picks.year.to}`, who: picks.ministry, variables: picks.year, measured: true },
      // Protected reports take calendar periods only: a half-year and a quarter besides the year.
      {
        key: 'ministry-report',
        label: `the second half of ${Number(picks.year.from.slice(0, 4)) - 1}`,
        who: MINISTRY,
        variables: { from: `${Number(picks.year.from.slice(0, 4)) - 1}-07-01`, to: `${Number(picks.year.from.slice(0, 4)) - 1}-12-31` },
      },
      {
        key: 'ministry-report',
        label: `the first quarter of ${picks.year.from.slice(0, 4)}`,
        who: MINISTRY,
        variables: { from: picks.year.from, to: `${picks.year.from.slice(0, 4)}-03-31` },
      },
      // Other tables (a field rewritten alike on both sides): the dimensions swapped, which changes the
      // order complementary suppression works deliveries' lines in, and applications by gmina kind.
      {
        key: 'ministry-report',
        label: `plans by month and województwo (swapped), ${picks.year.from}..${picks.year.to}`,
        who: MINISTRY,
        variables: picks.year,
        rewrite: (query) => query.replace(/WOJEWODZTWO("?), ("?)MONTH/, 'MONTH$1, $2WOJEWODZTWO'),
      },
      {
        key: 'ministry-report',
        label: `deliveries by area and województwo (swapped), ${picks.year.from}..${picks.year.to}`,
        who: MINISTRY,
        variables: picks.year,
        rewrite: (query) => query.replace(/WOJEWODZTWO("?), ("?)AREA/, 'AREA$1, $2WOJEWODZTWO'),
      },
      {
        key: 'ministry-report',
        label: `applications received by województwo and gmina kind, ${picks.year.from}..${picks.year.to}`,
        who: MINISTRY,
        variables: picks.year,
        rewrite: (query) => query.replace('PLANS_PREPARED', 'APPLICATIONS_RECEIVED').replace('MONTH', 'GMINA_KIND'),
      },
    ];

    process.stdout.write(`\nSame data (canonical forms, bench/postgraphile.ts), national dataset at scale ${SCALE}, today ${today}:\n`);
    for (const c of cases) {
      let line: string;
      try {
        const [a, b] = await Promise.all([ask.ours(c), ask.theirs(c)]);
        const canonicalOurs = OUR_CANONICAL[c.key](a);
        const canonicalTheirs = postgraphileScenarios[c.key].canonical(b);
        const diff = differences(canonicalOurs, canonicalTheirs);
        if (diff) failed = true;
        line = `${diff ? 'DIFFER' : 'match '} ${c.key.padEnd(16)} ${c.label}: ${sizeOf(c.key, canonicalOurs)}${diff ? `\n    ${diff.join('\n    ')}` : ''}`;
      } catch (error) {
        failed = true;
        line = `FAIL   ${c.key.padEnd(16)} ${c.label}: ${(error as Error).message}`;
      }
      process.stdout.write(`${line}\n`);
    }

    progress(`throughput: ${REQUESTS} sequential requests per scenario and side`);
    const rows: string[][] = [];
    for (const c of cases.filter((x) => x.measured)) {
      for (const side of ['ours', 'PostGraphile'] as const) {
        const once = side === 'ours' ? () => ask.ours(c) : () => ask.theirs(c);
        const count = side === 'ours' ? () => ourStatements : () => theirs.statements();
        try {
          for (let i = 0; i < WARM_UP; i++) await once();
          const before = count();
          const latencies: number[] = [];
          const start = performance.now();
          for (let i = 0; i < REQUESTS; i++) {
            const t = performance.now();
            await once();
            latencies.push(performance.now() - t);
          }
          const s = summarise(latencies, performance.now() - start);
          rows.push([c.key, side, fixed(s.perSecond, 0), fixed(s.p50, 2), fixed(s.p95, 2), fixed((count() - before) / REQUESTS, 1)]);
        } catch (error) {
          failed = true;
          rows.push([c.key, side, 'failed', (error as Error).message.slice(0, 60), '', '']);
        }
      }
    }
    process.stdout.write(`\n${table(['scenario', 'server', 'req/s', 'p50 ms', 'p95 ms', 'SQL/op'], rows)}\n`);
    process.stdout.write(
      '  (sequential, one client; our server shares this process with the client, PostGraphile runs in its own;\n' +
        '   SQL/op: ours as MikroORM logs them (no begin of a read-only operation), PostGraphile every statement incl. begin and set_config)\n',
    );
  } finally {
    for (const step of cleanups.reverse()) await step().catch((error) => progress(`cleanup: ${(error as Error).message}`));
  }
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`${(error as Error).stack ?? error}\n`);
    process.exit(1);
  },
);
