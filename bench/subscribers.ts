/**
 * Issue 7, scenario 6: N dashboards follow plans over WebSocket while plans change at a steady rate;
 * every delivery is timed from the change's commit, and every subscriber's events are checked
 * against what its principal may see.
 *
 * The load side: the subscribers' connections are spread over several child processes
 * (bench/subscriber-client.ts), so that no single client event loop queues the arrivals; their CPU
 * time and event-loop delay are reported (progress) next to the server's CPU time, since on a small
 * machine they share cores with the server and PostgreSQL.
 *
 * Who sees what is decided here, from each principal's role and gminy and the subscription's own
 * arguments, never from what arrives: a feed of staff sees every plan event of its gminy (or of
 * those of them it names), `ipusUpdated(id)` the events of that plan, a GMINA_OFFICIAL or a
 * COMMUNITY_ORGANISER nothing (its subscription is refused with FORBIDDEN).
 *
 * Commit instant: `outbox_event.committed_at`, set by a deferred trigger with clock_timestamp() at
 * COMMIT (migrations/Migration20261127001000OutboxCommitTime.ts), i.e. at most the commit record's
 * flush before the true commit: the latencies are upper bounds of commit to delivery. On a database
 * without that column the mutation's HTTP response (after its commit) is used instead, which makes
 * the latencies lower bounds; progress says which. Arrival: the client process's wall clock
 * (bench/wall-clock.ts, sub-millisecond) when the WebSocket message is handed to it: the same
 * machine's clock as PostgreSQL's.
 */
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { DevTokenRequest } from '../src/platform/auth/tokens.js';
import { Role } from '../src/platform/auth/roles.js';
import { idToTerc } from '../src/platform/auth/principal.js';
import { toGlobalId } from '../src/platform/graphql/node.js';
import { percentile } from './measure.js';
import { BENCH_METRICS_TOKEN } from './our-server.js';
import { wallClock } from './wall-clock.js';
import type { ClientCommand, ClientReply, SubscriberReceipts, SubscriberSpec } from './subscriber-client.js';

export interface SubscriberOptions {
  wsUrl: string;
  httpUrl: string;
  serverPid: number;
  /** The schema owner's connection: to find plans to change and to read the events' commit times. */
  ownerUrl: string;
  tokenFor: (who: DevTokenRequest) => Promise<string>;
  subscribers: number;
  mutationsPerSecond: number;
  seconds: number;
  progress: (m: string) => void;
}

export interface SubscriberResult {
  subscribers: number;
  /** WebSocket connections acknowledged by the server. */
  connections: number;
  /** Plan changes committed during the run (outbox events). */
  events: number;
  /** Deliveries due: for each event, the subscribers that may see it. */
  expected: number;
  /** Deliveries due that arrived (each counted once). */
  delivered: number;
  /** Events that arrived at a subscriber that may not see them. */
  unexpected: number;
  /** Repeated arrivals of an event at the same subscriber. */
  duplicates: number;
  missing: number;
  commitToDeliveryMs: { p50: number; p95: number; p99: number; max: number };
  serverRssMb: { before: number; peak: number; after: number };
  clientProcesses: number;
}

// ---- knobs (environment variables only tune the run)
const envInt = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be a positive integer`);
  return value;
};
/**
 * Unset: the changes are spread over every gmina with active plans, in proportion to them, and so are
 * the dashboards. k: they are concentrated on the k gminy with most plans (far more subscribers per change).
 */
const CHANGED_GMINY = process.env.BENCH_CHANGED_GMINY ? envInt('BENCH_CHANGED_GMINY', 1) : null;
/** Plans changed in turn in each of those k gminy (a plan has at most one change in flight). */
const PLANS_PER_GMINA = 3;
/** Plans changed in turn when spread: an even sample of the active plans. */
const MAX_CHANGED_PLANS = 600;
/** Connections one client process opens at a time. */
const CONNECT_CONCURRENCY = 50;
/** How long the connections stay idle before the changes start (the idle cost is measured meanwhile). */
const IDLE_MS = envInt('BENCH_IDLE_SECONDS', 5) * 1000;
/** How long to wait, after the last change, for the deliveries still due. */
const DRAIN_MS = 15_000;

// ---- what dashboards subscribe to
const FEED_FIELDS = 'eventId ipusId revision kind changes gmina occurredAt';
const DOCUMENTS = {
  /** A gmina dashboard: every plan of the principal's gminy. */
  dashboard: `subscription Dashboard { ipusFeed { ${FEED_FIELDS} } }`,
  /** The same dashboard narrowed to some of the principal's gminy. */
  dashboardOf: `subscription DashboardOf($gminy: [TerytCode!]) { ipusFeed(gminy: $gminy) { ${FEED_FIELDS} } }`,
  /** A smaller widget: what happened, without the details. */
  ticker: 'subscription Ticker { ipusFeed { eventId ipusId kind } }',
  /** One plan's page: its changes. */
  planChanges: 'subscription PlanChanges($id: ID!) { ipusUpdated(id: $id) { eventId revision kind changes } }',
  /** One plan's page showing its state: each event reads the plan under the subscriber's rights (and logs the read). */
  planStatus: 'subscription PlanStatus($id: ID!) { ipusUpdated(id: $id) { eventId revision ipus { status revision } } }',
};

/** What a subscriber may receive, decided from its principal and arguments. */
interface Scope {
  gminy: Set<number>;
  /** ipusUpdated: one plan only. */
  plan?: string;
  /** Its role may not follow plans: the subscription is refused, nothing arrives. */
  refused?: boolean;
}

interface Dashboard {
  index: number;
  who: DevTokenRequest;
  query: string;
  variables: Record<string, unknown>;
  scope: Scope;
  kind: string;
}

interface Plan {
  id: string;
  gminaId: number;
  revision: number;
  busy: boolean;
}

interface Mutation {
  planId: string;
  revision: number;
  sentAt: number;
  answeredAt: number;
}

interface OutboxRow {
  id: string;
  topic: string;
  gmina_id: number;
  subject_id: string;
  revision: number;
  committed_ms: number | null;
  occurred_ms: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function measureSubscribers(opts: SubscriberOptions): Promise<SubscriberResult> {
  const { progress } = opts;
  if (opts.subscribers < 1 || opts.mutationsPerSecond <= 0 || opts.seconds <= 0)
    throw new Error('subscribers, mutationsPerSecond and seconds must be positive');
  const owner = new pg.Client({ connectionString: opts.ownerUrl, application_name: 'bench subscribers' });
  await owner.connect();
  const children: ChildProcess[] = [];
  const rss = new RssSampler(opts.serverPid);
  try {
    // ---- the world: gminy with active plans, some changed during the run, some left quiet
    const world = await chooseWorld(owner, CHANGED_GMINY);
    const { changed, quiet, plans } = world;
    const commitColumn = await hasCommitTime(owner);
    progress(
      `subscribers: ${changed.size} gminy with changing plans (${plans.length} plans${CHANGED_GMINY ? '' : ', spread in proportion to their active plans'}), ${quiet.length} quiet gminy; ` +
        `commit instant: ${commitColumn ? 'outbox_event.committed_at (clock at COMMIT; latencies are upper bounds)' : "the mutation's HTTP response (no committed_at column; latencies are lower bounds)"}`,
    );
    const dashboards = planDashboards(opts.subscribers, world);
    const kinds = new Map<string, number>();
    for (const d of dashboards) kinds.set(d.kind, (kinds.get(d.kind) ?? 0) + 1);
    progress(`subscribers: mix ${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')}`);

    progress(`subscribers: minting ${dashboards.length} tokens`);
    const specs: (SubscriberSpec & { dashboard: Dashboard })[] = [];
    for (const dashboard of dashboards) {
      specs.push({ index: dashboard.index, token: await opts.tokenFor(dashboard.who), query: dashboard.query, variables: dashboard.variables, dashboard });
    }
    const mutators = new Map<number, string>();
    for (const gmina of changed.keys()) {
      mutators.set(
        gmina,
        await opts.tokenFor({ role: Role.COORDINATOR, gminy: [idToTerc(gmina)], subject: `bench-subscribers-coordinator-${idToTerc(gmina)}` }),
      );
    }

    // ---- connect, spread over client processes
    const openBefore = await openSubscriptions(opts.httpUrl);
    rss.start();
    const before = rss.sample();
    const processes = clientProcessCount(opts.subscribers);
    progress(`subscribers: server RSS ${before.toFixed(0)} MB before; opening ${specs.length} connections from ${processes} client processes`);
    const connectStarted = performance.now();
    const serverCpuBeforeConnect = processCpuMs(opts.serverPid);
    for (let p = 0; p < processes; p += 1) children.push(startClient());
    const pinned = PIN ? pinCores(opts.serverPid, children) : null;
    if (pinned) progress(`subscribers: ${pinned}`);
    const shares = children.map((_, p) => specs.filter((_, i) => i % processes === p));
    const ready = await Promise.all(
      children.map((child, p) =>
        ask(
          child,
          {
            type: 'start',
            wsUrl: opts.wsUrl,
            connectConcurrency: CONNECT_CONCURRENCY,
            subscribers: shares[p].map(({ index, token, query, variables }) => ({ index, token, query, variables })),
          },
          'ready',
          600_000,
        ),
      ),
    );
    const connections = ready.reduce((sum, r) => sum + r.connected, 0);
    const failures = ready.flatMap((r) => r.failures);
    progress(
      `subscribers: ${connections} connections acknowledged in ${((performance.now() - connectStarted) / 1000).toFixed(1)} s, ` +
        `server CPU ${((processCpuMs(opts.serverPid) - serverCpuBeforeConnect) / Math.max(1, connections)).toFixed(2)} ms per connection` +
        (failures.length ? `; ${ready.reduce((s, r) => s + r.failed, 0)} failed, e.g. ${failures.slice(0, 3).join('; ')}` : ''),
    );

    // Every live subscription registered on the server before the first change (graphql-ws does not acknowledge a subscribe).
    const due = dashboards.filter((d) => !d.scope.refused).length;
    const registered = await waitForSubscriptions(opts.httpUrl, openBefore + due, 60_000);
    progress(`subscribers: ${registered - openBefore} of ${due} live subscriptions registered on the server; server RSS ${rss.sample().toFixed(0)} MB`);
    // What holding the connections costs with nothing happening (keep-alive pings, timers), once the connecting has settled.
    await sleep(2000);
    const idleCpuBefore = processCpuMs(opts.serverPid);
    const idleStarted = performance.now();
    await sleep(IDLE_MS);
    progress(
      `subscribers: server CPU with every connection idle: ${(((processCpuMs(opts.serverPid) - idleCpuBefore) / (performance.now() - idleStarted)) * 100).toFixed(1)}% of one core`,
    );

    // ---- changes at a steady rate
    const startId = await maxEventId(owner);
    await serverMetrics(opts.httpUrl); // the server's event-loop delay histogram restarts at each scrape
    const serverCpuBefore = processCpuMs(opts.serverPid);
    const windowStarted = performance.now();
    const mutations = await changePlans(opts, plans, mutators);
    const endId = await maxEventId(owner);
    const rows = await eventsBetween(owner, startId, endId, commitColumn);
    const events = rows.filter((r) => r.topic === 'IPUS');

    // ---- what is due to whom
    const dueTo = specs.map((spec) => events.filter((e) => mayReceive(spec.dashboard.scope, e)).map((e) => e.id));
    const expected = dueTo.reduce((sum, ids) => sum + ids.length, 0);
    progress(
      `subscribers: ${mutations.committed} changes committed (${mutations.refused} refused, ${mutations.skipped} not sent: every plan busy), ` +
        `${events.length} events, ${expected} deliveries due (${(expected / Math.max(1, events.length)).toFixed(0)} per event); waiting for them`,
    );
    const drainDeadline = performance.now() + DRAIN_MS;
    for (;;) {
      const counts = await Promise.all(children.map((child) => ask(child, { type: 'count' }, 'count')));
      const arrived = counts.reduce((sum, c) => sum + c.received, 0);
      if (arrived >= expected || performance.now() > drainDeadline) break;
      await sleep(200);
    }
    await sleep(500); // anything more (a duplicate, an event not due) has time to arrive too
    const serverCpuMs = processCpuMs(opts.serverPid) - serverCpuBefore;
    const windowMs = performance.now() - windowStarted;
    const serverLoop = loopDelayOf(await serverMetrics(opts.httpUrl));
    const reports = await Promise.all(children.map((child) => ask(child, { type: 'report' }, 'report', 120_000)));

    // ---- check and time every delivery
    const committedAt = new Map<string, number>();
    const answered = new Map(mutations.list.map((m) => [`${m.planId}:${m.revision}`, m]));
    const uncommitted = events.filter((e) => commitColumn && e.committed_ms === null).length;
    if (uncommitted) progress(`subscribers: ${uncommitted} events without committed_at (not timed)`);
    for (const event of events) {
      const at = commitColumn ? event.committed_ms : answered.get(`${event.subject_id}:${event.revision}`)?.answeredAt;
      if (at !== null && at !== undefined) committedAt.set(event.id, at);
    }
    const inWindow = (id: string) => BigInt(id) > BigInt(startId) && BigInt(id) <= BigInt(endId);
    const bySubscriber = new Map<number, SubscriberReceipts>();
    for (const report of reports) for (const receipts of report.subscribers) bySubscriber.set(receipts.index, receipts);
    let delivered = 0;
    let unexpected = 0;
    let duplicates = 0;
    let missing = 0;
    let late = 0;
    const latencies: number[] = [];
    /** Per event, its first and last arrival: the way to the first subscriber, then the fan-out. */
    const arrivals = new Map<string, { first: number; last: number }>();
    const wrongErrors: string[] = [];
    const byKind = new Map<string, number[]>();
    for (let i = 0; i < specs.length; i += 1) {
      const { dashboard } = specs[i];
      const receipts = bySubscriber.get(dashboard.index);
      const wanted = new Set(dueTo[i]);
      const seen = new Set<string>();
      receipts?.eventIds.forEach((id, k) => {
        if (!inWindow(id)) {
          late += 1;
          return;
        }
        if (seen.has(id)) {
          duplicates += 1;
          return;
        }
        seen.add(id);
        if (!wanted.has(id)) {
          unexpected += 1;
          return;
        }
        delivered += 1;
        const committed = committedAt.get(id);
        if (committed !== undefined) {
          latencies.push(receipts.arrivedAt[k] - committed);
          let ofKind = byKind.get(dashboard.kind);
          if (!ofKind) byKind.set(dashboard.kind, (ofKind = []));
          ofKind.push(receipts.arrivedAt[k] - committed);
        }
        const span = arrivals.get(id) ?? { first: Infinity, last: -Infinity };
        span.first = Math.min(span.first, receipts.arrivedAt[k]);
        span.last = Math.max(span.last, receipts.arrivedAt[k]);
        arrivals.set(id, span);
      });
      for (const id of wanted) if (!seen.has(id)) missing += 1;
      const codes = receipts?.errorCodes ?? [];
      const rightCodes = dashboard.scope.refused ? codes.length === 1 && codes[0] === 'FORBIDDEN' : codes.length === 0;
      if (!rightCodes) wrongErrors.push(`${dashboard.kind} #${dashboard.index}: [${codes.join(', ')}]`);
    }
    if (late) progress(`subscribers: ${late} arrivals of events outside the run's window (not counted)`);
    if (wrongErrors.length)
      progress(`subscribers: ${wrongErrors.length} subscriptions ended otherwise than expected, e.g. ${wrongErrors.slice(0, 3).join('; ')}`);

    // ---- the load side, said plainly
    const clientCpu = reports.reduce((sum, r) => sum + r.cpuMs, 0);
    const clientWall = Math.max(...reports.map((r) => r.wallMs));
    progress(
      `subscribers: server CPU ${((serverCpuMs / windowMs) * 100).toFixed(0)}% of one core during the changes, ` +
        `${(serverCpuMs / Math.max(1, events.length)).toFixed(1)} ms per change (${((serverCpuMs * 1000) / Math.max(1, expected)).toFixed(0)} µs per delivery); ` +
        `its event-loop delay p99 ${serverLoop.p99} ms, max ${serverLoop.max} ms; load average ${os.loadavg()[0].toFixed(1)}; ` +
        `${processes} client processes used ${((clientCpu / clientWall) * 100).toFixed(0)}% of one core in all since connecting; ` +
        `their event-loop delay p99 ${Math.max(...reports.map((r) => r.loopDelayMs.p99)).toFixed(1)} ms, max ${Math.max(...reports.map((r) => r.loopDelayMs.max)).toFixed(1)} ms; ` +
        `client clocks drifted ≤ ${Math.max(...reports.map((r) => r.clockDriftMs)).toFixed(2)} ms from the wall clock; ${os.cpus().length} cores`,
    );
    const toFirst = [...arrivals]
      .filter(([id]) => committedAt.has(id))
      .map(([id, a]) => a.first - committedAt.get(id)!)
      .sort((a, b) => a - b);
    const fanOut = [...arrivals.values()].map((a) => a.last - a.first).sort((a, b) => a - b);
    progress(
      `subscribers: commit to an event's first arrival p50 ${percentile(toFirst, 50).toFixed(1)} ms, p99 ${percentile(toFirst, 99).toFixed(1)} ms; ` +
        `first to last arrival of an event p50 ${percentile(fanOut, 50).toFixed(1)} ms, p99 ${percentile(fanOut, 99).toFixed(1)} ms`,
    );
    progress(
      `subscribers: commit to delivery p50/p99 by dashboard: ${[...byKind]
        .map(([kind, list]) => {
          list.sort((a, b) => a - b);
          return `${kind} ${percentile(list, 50).toFixed(0)}/${percentile(list, 99).toFixed(0)} ms`;
        })
        .join(', ')}`,
    );
    const sent = mutations.list.map((m) => m.answeredAt - m.sentAt).sort((a, b) => a - b);
    progress(`subscribers: a change's own HTTP round trip p50 ${percentile(sent, 50).toFixed(1)} ms, p99 ${percentile(sent, 99).toFixed(1)} ms`);
    const peakDuring = rss.peak;
    const sorted = latencies.sort((a, b) => a - b);

    // ---- close, and the memory left behind
    await Promise.all(children.map((child) => closeClient(child)));
    children.length = 0;
    await sleep(2000);
    const after = rss.sample();
    rss.stop();
    return {
      subscribers: opts.subscribers,
      connections,
      events: events.length,
      expected,
      delivered,
      unexpected,
      duplicates,
      missing,
      commitToDeliveryMs: {
        p50: percentile(sorted, 50),
        p95: percentile(sorted, 95),
        p99: percentile(sorted, 99),
        max: sorted[sorted.length - 1] ?? Number.NaN,
      },
      serverRssMb: { before, peak: Math.max(peakDuring, after), after },
      clientProcesses: processes,
    };
  } finally {
    rss.stop();
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await owner.end();
  }
}

// ---- the world

interface World {
  /** Gminy whose plans change, each with how many of its plans do (their dashboards are allotted in proportion). */
  changed: Map<number, number>;
  /** Gminy served by a CUS where nothing changes during the run. */
  quiet: number[];
  /** The plans changed in turn. */
  plans: Plan[];
  /** Active plans of the changing gminy that do not change. */
  otherPlans: { id: string; gminaId: number }[];
  /** Two gminy one CUS serves (a staff token names the unit serving all its gminy), those with a changing gmina first. */
  pairs: [number, number][];
}

/**
 * By default the changed plans are spread over every gmina with active plans, in proportion to how
 * many it has (Warsaw's dashboards see many more changes than a village's); with
 * BENCH_CHANGED_GMINY=k they are concentrated on the k gminy with the most, 3 plans each, which makes
 * every change due to far more subscribers.
 */
async function chooseWorld(owner: pg.Client, concentrateOn: number | null): Promise<World> {
  // A fixed pseudo-random order (md5 of the id): a prefix of it is an even sample of all active plans.
  const { rows } = await owner.query<{ id: string; gmina_id: number; revision: number }>(
    `select id::text as id, gmina_id, revision from ipus where status = 'ACTIVE' order by md5(id::text) limit 20000`,
  );
  const byGmina = new Map<number, typeof rows>();
  for (const row of rows) {
    const list = byGmina.get(row.gmina_id);
    if (list) list.push(row);
    else byGmina.set(row.gmina_id, [row]);
  }
  if (byGmina.size < 2) throw new Error('subscribers: the database needs active plans in at least 2 gminy (seed the demo, and a national dataset for more)');
  const plans: Plan[] = [];
  const otherPlans: { id: string; gminaId: number }[] = [];
  if (concentrateOn !== null) {
    const top = [...byGmina].sort((a, b) => b[1].length - a[1].length || a[0] - b[0]).slice(0, Math.min(concentrateOn, byGmina.size - 1));
    for (const [gminaId, list] of top) {
      list.slice(0, PLANS_PER_GMINA).forEach((r) => plans.push({ id: r.id, gminaId, revision: r.revision, busy: false }));
      list.slice(PLANS_PER_GMINA, PLANS_PER_GMINA * 2).forEach((r) => otherPlans.push({ id: r.id, gminaId }));
    }
  } else {
    const count = Math.min(MAX_CHANGED_PLANS, Math.ceil(rows.length * 0.75));
    rows.slice(0, count).forEach((r) => plans.push({ id: r.id, gminaId: r.gmina_id, revision: r.revision, busy: false }));
    const changing = new Set(plans.map((p) => p.gminaId));
    rows
      .slice(count)
      .filter((r) => changing.has(r.gmina_id))
      .forEach((r) => otherPlans.push({ id: r.id, gminaId: r.gmina_id }));
  }
  const changed = new Map<number, number>();
  for (const plan of plans) changed.set(plan.gminaId, (changed.get(plan.gminaId) ?? 0) + 1);
  // Quiet: gminy served by a CUS with no active plan, else gminy whose plans are not among the changed ones.
  const { rows: served } = await owner.query<{ gmina_id: number }>(
    `select distinct g as gmina_id from cus_unit u cross join unnest(u.served_gmina_ids) g
      where not exists (select 1 from ipus p where p.gmina_id = g and p.status = 'ACTIVE') order by 1 limit 200`,
  );
  const quiet = served.length > 0 ? served.map((r) => r.gmina_id) : [...byGmina.keys()].filter((g) => !changed.has(g)).slice(0, 200);
  const { rows: units } = await owner.query<{ gminy: number[] }>(
    `select served_gmina_ids[1:2] as gminy from cus_unit where cardinality(served_gmina_ids) >= 2 order by id`,
  );
  const changing = (pair: number[]) => pair.some((g) => changed.has(g));
  const pairs = [...units.filter((u) => changing(u.gminy)), ...units.filter((u) => !changing(u.gminy))].map(
    (u) => [u.gminy[0], u.gminy[1]] as [number, number],
  );
  return { changed, quiet, plans, otherPlans, pairs };
}

async function hasCommitTime(owner: pg.Client): Promise<boolean> {
  const { rows } = await owner.query(`select 1 from information_schema.columns where table_name = 'outbox_event' and column_name = 'committed_at'`);
  return rows.length > 0;
}

const STAFF = [Role.DIRECTOR, Role.SERVICES_ORGANISER, Role.COORDINATOR];

/** `n` gminy, each as often as its weight says (largest remainder), in a fixed shuffled order. */
function allot(weights: Map<number, number>, n: number): number[] {
  const total = [...weights.values()].reduce((a, b) => a + b, 0);
  const entries = [...weights].map(([gmina, w]) => ({ gmina, exact: (n * w) / total }));
  const list: number[] = [];
  for (const e of entries) for (let k = 0; k < Math.floor(e.exact); k += 1) list.push(e.gmina);
  const byRemainder = [...entries].sort((a, b) => (b.exact % 1) - (a.exact % 1) || a.gmina - b.gmina);
  for (let k = 0; list.length < n; k += 1) list.push(byRemainder[k % byRemainder.length].gmina);
  let seed = 1;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
  for (let i = list.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [list[i], list[j]] = [list[j], list[i]];
  }
  return list;
}

/**
 * The dashboards, deterministic for a given N and world: most are staff of one changing gmina
 * (allotted in proportion to its changing plans); some serve the two gminy of a unit serving several,
 * half of those naming only one in the subscription; some are staff of quiet gminy; some follow one
 * plan (changing or not, a few reading the plan itself); a few have a role that may not follow plans.
 */
function planDashboards(n: number, world: World): Dashboard[] {
  const { quiet, plans, otherPlans } = world;
  const gminaOf = allot(world.changed, n);
  const share = (fraction: number, atLeast = 0) => Math.max(atLeast, Math.round(n * fraction));
  const counts = {
    refused: share(0.005, 3),
    planStatus: share(0.005, 1),
    planChanges: share(0.01, 1),
    quiet: quiet.length ? share(0.15, 1) : 0,
    twoGminy: world.pairs.length ? share(0.1, 2) : 0,
  };
  const dashboards: Dashboard[] = [];
  const add = (kind: string, who: Omit<DevTokenRequest, 'subject'>, query: string, variables: Record<string, unknown>, scope: Scope) => {
    if (dashboards.length >= n) return;
    const index = dashboards.length;
    dashboards.push({ index, kind, who: { ...who, subject: `bench-dashboard-${index}` }, query, variables, scope });
  };
  const terc = idToTerc;
  const cycle = <T>(list: T[], i: number) => list[i % list.length];
  for (let i = 0; i < counts.refused; i += 1) {
    add(
      'refused',
      { role: i % 2 ? Role.COMMUNITY_ORGANISER : Role.GMINA_OFFICIAL, gminy: [terc(cycle(gminaOf, i))] },
      DOCUMENTS.dashboard,
      {},
      { gminy: new Set(), refused: true },
    );
  }
  for (let i = 0; i < counts.planStatus; i += 1) {
    const plan = cycle(plans, i);
    add(
      'planStatus',
      { role: Role.COORDINATOR, gminy: [terc(plan.gminaId)] },
      DOCUMENTS.planStatus,
      { id: toGlobalId('Ipus', plan.id) },
      { gminy: new Set([plan.gminaId]), plan: plan.id },
    );
  }
  for (let i = 0; i < counts.planChanges; i += 1) {
    // Half follow a changing plan, half a plan of a changing gmina that does not change: its gmina's events pass it by.
    const unchanged = i % 2 === 1 && otherPlans.length > 0;
    const plan = unchanged ? cycle(otherPlans, i) : cycle(plans, i);
    add(
      unchanged ? 'planUnchanged' : 'planChanges',
      { role: cycle(STAFF, i), gminy: [terc(plan.gminaId)] },
      DOCUMENTS.planChanges,
      { id: toGlobalId('Ipus', plan.id) },
      { gminy: new Set([plan.gminaId]), plan: plan.id },
    );
  }
  for (let i = 0; i < counts.quiet; i += 1) {
    const gmina = cycle(quiet, i);
    add('quietGmina', { role: cycle(STAFF, i), gminy: [terc(gmina)] }, i % 4 === 3 ? DOCUMENTS.ticker : DOCUMENTS.dashboard, {}, { gminy: new Set([gmina]) });
  }
  for (let i = 0; i < counts.twoGminy; i += 1) {
    // Staff of a unit serving two gminy: a token names the unit that serves every gmina it names.
    const gminy = cycle(world.pairs, i);
    const [first, second] = gminy;
    const who = { role: cycle(STAFF, i), gminy: gminy.map(terc) };
    if (i % 2 === 0) add('twoGminy', who, DOCUMENTS.dashboard, {}, { gminy: new Set(gminy) });
    else {
      // Naming one of its two gminy: the other's events must not arrive.
      const named = i % 4 === 1 ? first : second;
      add('twoGminyNamingOne', who, DOCUMENTS.dashboardOf, { gminy: [terc(named)] }, { gminy: new Set([named]) });
    }
  }
  for (let i = 0; dashboards.length < n; i += 1) {
    const gmina = cycle(gminaOf, i);
    add('oneGmina', { role: cycle(STAFF, i), gminy: [terc(gmina)] }, i % 5 === 4 ? DOCUMENTS.ticker : DOCUMENTS.dashboard, {}, { gminy: new Set([gmina]) });
  }
  return dashboards;
}

function mayReceive(scope: Scope, event: OutboxRow): boolean {
  if (scope.refused) return false;
  if (!scope.gminy.has(event.gmina_id)) return false;
  return scope.plan === undefined || scope.plan === event.subject_id;
}

// ---- the changes

/**
 * `mutationsPerSecond` monitoring notes, each sent at its scheduled time (an open loop: a slow
 * server does not slow the schedule), to the next plan with no change in flight, as the COORDINATOR
 * of its gmina over GraphQL/HTTP.
 */
async function changePlans(opts: SubscriberOptions, plans: Plan[], mutators: Map<number, string>) {
  const total = Math.max(1, Math.round(opts.mutationsPerSecond * opts.seconds));
  const interval = 1000 / opts.mutationsPerSecond;
  const list: Mutation[] = [];
  const inFlight: Promise<void>[] = [];
  let refused = 0;
  let skipped = 0;
  let turn = 0;
  const started = performance.now();
  for (let k = 0; k < total; k += 1) {
    const wait = started + k * interval - performance.now();
    if (wait > 0) await sleep(wait);
    let plan: Plan | null = null;
    for (let tried = 0; tried < plans.length && !plan; tried += 1) {
      const candidate = plans[turn++ % plans.length];
      if (!candidate.busy) plan = candidate;
    }
    if (!plan) {
      skipped += 1;
      continue;
    }
    const target = plan;
    target.busy = true;
    inFlight.push(
      (async () => {
        const sentAt = wallClock();
        try {
          const response = await fetch(opts.httpUrl, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${mutators.get(target.gminaId)}` },
            body: JSON.stringify({
              query: 'mutation BenchNote($input: IpusNoteInput!) { ipusMonitoringNoteAdd(input: $input) { ipus { revision } userErrors { code message } } }',
              variables: { input: { id: toGlobalId('Ipus', target.id), revision: target.revision, note: 'Wizyta monitorująca (pomiar)' } },
            }),
          });
          const body = (await response.json()) as {
            data?: { ipusMonitoringNoteAdd: { ipus: { revision: number } | null; userErrors: { code: string; message: string }[] } };
            errors?: { message: string }[];
          };
          const answeredAt = wallClock();
          const result = body.data?.ipusMonitoringNoteAdd;
          if (!result?.ipus || result.userErrors.length) {
            refused += 1;
            if (refused <= 3) opts.progress(`subscribers: a change was refused: ${JSON.stringify(body.errors ?? result?.userErrors)}`);
            if (result?.userErrors.some((e) => e.code === 'CONFLICT')) target.revision = await currentRevision(opts, mutators, target);
            return;
          }
          target.revision = result.ipus.revision;
          list.push({ planId: target.id, revision: target.revision, sentAt, answeredAt });
        } catch (error) {
          refused += 1;
          if (refused <= 3) opts.progress(`subscribers: a change failed: ${(error as Error).message}`);
        } finally {
          target.busy = false;
        }
      })(),
    );
  }
  await Promise.all(inFlight);
  return { list, committed: list.length, refused, skipped };
}

async function currentRevision(opts: SubscriberOptions, mutators: Map<number, string>, plan: Plan): Promise<number> {
  const response = await fetch(opts.httpUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${mutators.get(plan.gminaId)}` },
    body: JSON.stringify({ query: 'query($id: ID!) { ipus(id: $id) { revision } }', variables: { id: toGlobalId('Ipus', plan.id) } }),
  });
  const body = (await response.json()) as { data?: { ipus: { revision: number } | null } };
  return body.data?.ipus?.revision ?? plan.revision;
}

async function maxEventId(owner: pg.Client): Promise<string> {
  const { rows } = await owner.query<{ id: string }>('select coalesce(max(id), 0)::text as id from outbox_event');
  return rows[0].id;
}

async function eventsBetween(owner: pg.Client, after: string, upTo: string, commitColumn: boolean): Promise<OutboxRow[]> {
  const { rows } = await owner.query<OutboxRow>(
    `select id::text as id, topic, gmina_id, subject_id::text as subject_id, revision,
            ${commitColumn ? 'extract(epoch from committed_at)::float8 * 1000' : 'null::float8'} as committed_ms,
            extract(epoch from occurred_at)::float8 * 1000 as occurred_ms
       from outbox_event where id > $1::bigint and id <= $2::bigint order by id`,
    [after, upTo],
  );
  return rows;
}

// ---- the server, seen from outside

async function serverMetrics(httpUrl: string): Promise<string> {
  try {
    return await (await fetch(new URL('/metrics', httpUrl), { headers: { authorization: `Bearer ${BENCH_METRICS_TOKEN}` } })).text();
  } catch {
    return '';
  }
}

async function openSubscriptions(httpUrl: string): Promise<number> {
  const match = /^cus_subscriptions_open\s+(\d+)/m.exec(await serverMetrics(httpUrl));
  return match ? Number(match[1]) : Number.NaN;
}

/** The server's event-loop delay since the previous scrape (prom-client's default metrics), in ms. */
function loopDelayOf(metrics: string): { p99: string; max: string } {
  const read = (name: string) => {
    const match = new RegExp(`^cus_nodejs_eventloop_lag_${name}_seconds\\s+([\\d.e+-]+)`, 'm').exec(metrics);
    return match ? (Number(match[1]) * 1000).toFixed(0) : '?';
  };
  return { p99: read('p99'), max: read('max') };
}

/** Polls the server's own count of live subscriptions until it reaches `target` (or a deadline). */
async function waitForSubscriptions(httpUrl: string, target: number, timeoutMs: number): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  let open = await openSubscriptions(httpUrl);
  if (Number.isNaN(target) || Number.isNaN(open)) {
    await sleep(5000); // no metrics to go by: give the subscribes time
    return target;
  }
  while (open < target && performance.now() < deadline) {
    await sleep(250);
    open = await openSubscriptions(httpUrl);
  }
  return open;
}

/** The server's resident memory (VmRSS), sampled every 200 ms between start and stop. */
class RssSampler {
  peak = 0;
  private timer: NodeJS.Timeout | null = null;
  constructor(private readonly pid: number) {}

  sample(): number {
    const status = fs.readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const kb = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1] ?? Number.NaN);
    const mb = kb / 1024;
    if (mb > this.peak) this.peak = mb;
    return mb;
  }

  start(): void {
    this.timer ??= setInterval(() => {
      try {
        this.sample();
      } catch {
        // the process ended; the run will say so
      }
    }, 200);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}

/** CPU time (user + system) a process has used, in ms, from /proc/<pid>/stat. */
function processCpuMs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // Fields 14 and 15 of stat (utime, stime), counted from the state field (3rd).
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / CLOCK_TICKS;
}
/** USER_HZ: 100 on every Linux build we run on. */
const CLOCK_TICKS = 100;

// ---- the client processes

/** One process per 2,500 connections, at least 2: each keeps its arrivals' queue short. */
function clientProcessCount(subscribers: number): number {
  const fromEnv = process.env.BENCH_CLIENT_PROCESSES;
  if (fromEnv) return envInt('BENCH_CLIENT_PROCESSES', 1);
  return Math.max(2, Math.min(8, Math.ceil(subscribers / 2500)));
}

/**
 * BENCH_PIN=1: the server's main thread on the first core and the client processes on the last, so
 * that neither preempts the other (the clients are woken by every message the server writes to
 * them); everything else on the machine, PostgreSQL included, goes where the scheduler puts it.
 */
const PIN = process.env.BENCH_PIN === '1';

function pinCores(serverPid: number, children: ChildProcess[]): string | null {
  const cores = os.cpus().length;
  if (cores < 2) return null;
  try {
    execFileSync('taskset', ['-p', '-c', '0', String(serverPid)], { stdio: 'ignore' });
    for (const child of children) execFileSync('taskset', ['-p', '-c', String(cores - 1), String(child.pid)], { stdio: 'ignore' });
    return `server main thread pinned to core 0, client processes to core ${cores - 1}`;
  } catch (error) {
    return `could not pin to cores (${(error as Error).message})`;
  }
}

function startClient(): ChildProcess {
  const script = fileURLToPath(new URL('./subscriber-client.js', import.meta.url));
  return fork(script, [], { execArgv: [], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

type ReplyOf<T extends ClientReply['type']> = Extract<ClientReply, { type: T }>;

function ask<T extends ClientReply['type']>(child: ChildProcess, command: ClientCommand, reply: T, timeoutMs = 30_000): Promise<ReplyOf<T>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.off('message', onMessage);
      reject(new Error(`a client process did not answer ${command.type} within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (message: ClientReply) => {
      if (message.type !== reply) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(message as ReplyOf<T>);
    };
    child.on('message', onMessage);
    child.send(command);
  });
}

function closeClient(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.once('disconnect', () => child.kill('SIGTERM'));
    child.send({ type: 'close' } satisfies ClientCommand);
  });
}
