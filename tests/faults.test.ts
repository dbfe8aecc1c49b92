import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import pg from 'pg';
import WebSocket from 'ws';
import { createClient, type Client } from 'graphql-ws';
import { projectRoot } from '../src/platform/config.js';
import { createLogger } from '../src/platform/logger.js';
import { startEmbeddedPostgres, type EmbeddedServer } from '../src/platform/database/embedded.js';
import { createDatabaseIfMissing } from '../src/platform/database/database-setup.js';
import { withDatabase, withUser } from '../src/platform/database/urls.js';
import { APP_ROLE } from '../src/platform/database/app-role.js';
import { createOrm } from '../src/app.js';
import { startServer } from '../src/app.js';
import { migrateDatabase, seedDemo } from '../src/app.js';
import { createTokenVerifier, signDevToken } from '../src/platform/auth/tokens.js';
import { toGlobalId, uuidFromGlobalId } from '../src/platform/graphql/node.js';
import { Role, rawAsOwner, staffUnit, startTestApp, testConfig, type TestApp, type Who } from './support/app.js';
import { planWorld, type PlanWorld } from './support/plan-world.js';
import { settle, subscribe, subscribeAndWait, subscriptionGauge, type Subscriber, type SubscriptionGauge } from './support/subscriptions.js';
import { staff } from './support/fixtures.js';
import { buildServer, freePort, killServerProcesses, startServerProcess, type ServerProcess } from './support/server-process.js';

/**
 * Faults, and nothing lost (issue 8): a server process killed in the middle of a burst of plan
 * changes, PostgreSQL going away under a running server and coming back, and SIGTERM. Each time,
 * what was acknowledged is kept, nothing is half-written, and subscribers that resume from their
 * last event id get every committed event exactly once.
 */
/** Wiązowna: its demo unit, plans and residents (the embedded database is seeded with them too). */
const GMINA = '1417082';
const coordinator = staff(Role.COORDINATOR, GMINA);
const director = staff(Role.DIRECTOR, GMINA);
/** Gminy no other suite uses, where the burst builds its own unit, service and programme (a second unit in Wiązowna would trouble suites that rely on it being the only one). */
const BURST_GMINA = '1417072';
const BURST_OTHER = '1417063';
/**
 * Server processes of this file: quiet, no report rebuilds behind other suites' backs, no rate limits on
 * a burst, and not NODE_ENV=test, under which libraries (Apollo's signal handlers) behave otherwise.
 */
const PROCESS_ENV = { LOG_LEVEL: 'error', REPORT_REFRESH_SECONDS: '0', RATE_LIMIT_PER_PRINCIPAL: '0', RATE_LIMIT_PER_ADDRESS: '0', NODE_ENV: 'development' };
const FEED = 'subscription($after: String) { ipusFeed(after: $after) { eventId ipusId revision kind } }';
const PLAN = 'ipus { id revision }';
const USER_ERRORS = 'userErrors { field code message }';

const clients: Client[] = [];
beforeAll(() => buildServer(), 120_000);
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await killServerProcesses();
});

/** The suite's database, where a staff member's unit is looked up (the demo's units have the same ids in every database). */
const lookups = new pg.Pool({ connectionString: inject('appUrl'), max: 1 });
afterAll(() => lookups.end());
const token = async (who: Who) =>
  signDevToken(testConfig, { role: who.role, gminy: who.gminy, cus_unit: await staffUnit(lookups, who), partner_id: who.partner });

interface Answer {
  status: number;
  body: { data?: any; errors?: { message: string; extensions?: { code?: string } }[] };
}

/** One GraphQL request over HTTP to any server; rejects when the connection fails or nothing comes back within `timeoutMs`. */
async function gqlAt(url: string, who: Who, query: string, variables: Record<string, unknown> = {}, timeoutMs = 15_000): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await token(who)}` },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}

const mutation = (field: string, inputType: string, selection: string) =>
  `mutation($input: ${inputType}!) { ${field}(input: $input) { ${selection} ${USER_ERRORS} } }`;
const NOTE = mutation('ipusMonitoringNoteAdd', 'IpusNoteInput', PLAN);
const EDIT = mutation('ipusUpdate', 'IpusUpdateInput', PLAN);
const CREATE = mutation('ipusCreate', 'IpusCreateInput', PLAN);

/** A mutation's payload when it succeeded with no error of any kind; otherwise the test fails with what came back. */
function accepted(answer: Answer, field: string): any {
  expect({ status: answer.status, errors: answer.body.errors, userErrors: answer.body.data?.[field]?.userErrors }).toEqual({
    status: 200,
    errors: undefined,
    userErrors: [],
  });
  return answer.body.data[field];
}

const codesOf = (answer: Answer) => (answer.body.errors ?? []).map((e) => e.extensions?.code);

function wsClient(url: string, who: Who): Client {
  const client = createClient({
    url,
    webSocketImpl: WebSocket,
    lazy: false,
    retryAttempts: 0,
    connectionParams: async () => ({ authorization: `Bearer ${await token(who)}` }),
    onNonLazyError: () => {},
  });
  clients.push(client);
  return client;
}

/** Waits until `check` holds (it may throw meanwhile); fails with `what` after `timeoutMs`. */
async function until(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      if (await check()) return;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Event ids a subscriber received, of the plans in `plans` (global ids) only. */
const eventIdsOf = (sub: Subscriber, plans: Set<string>) =>
  sub.received
    .map((r) => r.ipusFeed)
    .filter((e) => plans.has(e.ipusId))
    .map((e) => e.eventId as string);

async function waitForEvent(sub: Subscriber, eventId: string, timeoutMs = 15_000): Promise<void> {
  await until(`the subscriber has event ${eventId}`, async () => sub.received.some((r) => BigInt(r.ipusFeed.eventId) >= BigInt(eventId)), timeoutMs);
}

/**
 * Every plan of `planIds` is whole: its revision counter, its history (revisions 1..n, each with
 * exactly one outbox event and no event without a revision) and its rows (goals, items with their
 * quantities, supporting actions, notes, status, coordinator) agree with the last revision's snapshot.
 * Read as the owner, past row-level security. Returns the plans that are not.
 */
type Sql = (sql: string, params?: unknown[]) => Promise<unknown[]>;

async function halfWrittenPlans(query: Sql, planIds: string[]): Promise<unknown[]> {
  /** The rows of `table` for the plan, as `row`, against the entries of the snapshot's `list`, as `entry`. */
  const agree = (table: string, row: string, list: string, entry: string) => `
    (select coalesce(array_agg(${row} order by ${row}), '{}') from ${table} t where t.ipus_id = p.id)
      = (select coalesce(array_agg(${entry} order by ${entry}), '{}') from jsonb_array_elements(p.snapshot->'${list}') e)`;
  return query(
    `
    with p as (
      select i.id, i.revision, i.status, i.coordinator_name, r.snapshot,
        (select count(*)::int from ipus_revision x where x.ipus_id = i.id) as revisions,
        (select max(x.revision) from ipus_revision x where x.ipus_id = i.id) as last_revision,
        (select count(*)::int from ipus_revision x where x.ipus_id = i.id and
          (select count(*) from outbox_event o where o.topic = 'IPUS' and o.subject_id = x.ipus_id and o.revision = x.revision and o.kind = x.kind) <> 1) as revisions_without_one_event,
        (select count(*)::int from outbox_event o where o.topic = 'IPUS' and o.subject_id = i.id and
          not exists (select 1 from ipus_revision x where x.ipus_id = o.subject_id and x.revision = o.revision)) as events_without_revision
      from ipus i left join ipus_revision r on r.ipus_id = i.id and r.revision = i.revision
      where i.id = any($1::uuid[])
    )
    select * from (
      select p.id::text, p.revision, p.revisions, p.last_revision, p.revisions_without_one_event, p.events_without_revision,
        p.snapshot is not null and p.snapshot->>'status' = p.status and p.snapshot->>'coordinatorName' = p.coordinator_name as plan_agrees,
        ${agree('ipus_goal', 't.id::text', 'goals', "(e->>'id')")} as goals_agree,
        ${agree('ipus_item', "t.id::text || ' ' || t.quantity::numeric(10, 2)::text", 'items', "(e->>'id') || ' ' || (e->>'quantity')::numeric(10, 2)::text")} as items_agree,
        ${agree('ipus_supporting_action', 't.id::text', 'supportingActions', "(e->>'id')")} as actions_agree,
        ${agree('ipus_monitoring_note', 't.id::text', 'monitoringNotes', "(e->>'id')")} as notes_agree
      from p
    ) checked
    where not (revision = revisions and revision = last_revision and revisions_without_one_event = 0 and events_without_revision = 0
      and plan_agrees and goals_agree and items_agree and actions_agree and notes_agree)`,
    [planIds],
  );
}

describe('a server killed with SIGKILL in the middle of a burst of plan changes', () => {
  let app: TestApp;
  let world: PlanWorld;
  beforeAll(async () => {
    app = await startTestApp();
    world = await planWorld(app, BURST_GMINA, BURST_OTHER);
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  interface Ack {
    planId: string;
    revision: number;
    kind: string;
    note?: string;
    coordinatorName?: string;
  }

  it('keeps every acknowledged change, half-writes no plan, and resumed subscribers get every committed event exactly once', async () => {
    // Through the API beforehand: active plans to add notes to, drafts to edit, qualified applications to plan for.
    const range = (n: number) => Array.from({ length: n }, (_, i) => i);
    const [active, drafts, applications] = await Promise.all([
      Promise.all(range(5).map(() => world.activePlan())),
      Promise.all(range(5).map(() => world.draft())),
      Promise.all(range(12).map(() => world.application())),
    ]);
    const [{ id: baseline }] = await rawAsOwner<{ id: string }>('select coalesce(max(id), 0)::text as id from outbox_event');

    const doomed = await startServerProcess({ env: PROCESS_ENV });
    // One dashboard on the in-process server, which lives on; one on the process about to be killed.
    const survivor = subscribe(wsClient(app.wsUrl, world.director), FEED, { after: baseline });
    const victim = subscribe(wsClient(doomed.wsUrl, world.director), FEED, { after: baseline });

    const acks: Ack[] = [];
    /** Mutations never answered: sent before the kill, it caught them in flight; sent after, the server was gone. */
    const inFlight: { planId?: string; applicationId?: string; sentBeforeKill: boolean }[] = [];
    const KILL_AFTER = 40;
    let killed = false;
    /** Sends one change; false when the server is gone (the chain stops), any other failure fails the test. */
    const send = async (
      query: string,
      field: string,
      input: Record<string, unknown>,
      ack: (payload: any) => Ack,
      lost: { planId?: string; applicationId?: string },
    ) => {
      let answer: Answer;
      const sentBeforeKill = !killed;
      try {
        answer = await gqlAt(doomed.url, world.coordinator, query, { input });
      } catch {
        expect(killed).toBe(true);
        inFlight.push({ ...lost, sentBeforeKill });
        return false;
      }
      acks.push(ack(accepted(answer, field)));
      if (acks.length >= KILL_AFTER && !killed) {
        killed = true;
        doomed.child.kill('SIGKILL');
      }
      return true;
    };
    const item = (world.draftInput('unused').items as Record<string, unknown>[])[0];
    const MAX_STEPS = 40;
    const chains = [
      // Monitoring notes on active plans, each on the revision the previous one returned.
      ...active.map(async (plan, p) => {
        let revision = plan.revision;
        for (let n = 1; n <= MAX_STEPS; n++) {
          const note = `Wizyta ${p}.${n}`;
          const ok = await send(
            NOTE,
            'ipusMonitoringNoteAdd',
            { id: plan.id, revision, note },
            (payload) => ({ planId: plan.id, revision: (revision = payload.ipus.revision), kind: 'NOTE_ADDED', note }),
            { planId: plan.id },
          );
          if (!ok) return;
        }
      }),
      // Drafts whose coordinator and items (a new item each time) are edited.
      ...drafts.map(async (plan, p) => {
        let revision = plan.revision;
        for (let n = 1; n <= MAX_STEPS; n++) {
          const coordinatorName = `Koordynatorka ${p}.${n}`;
          const ok = await send(
            EDIT,
            'ipusUpdate',
            { id: plan.id, revision, coordinatorName, items: [{ ...item, goal: 1, quantity: n + 1 }] },
            (payload) => ({ planId: plan.id, revision: (revision = payload.ipus.revision), kind: 'EDITED', coordinatorName }),
            { planId: plan.id },
          );
          if (!ok) return;
        }
      }),
      // New plans, three chains of four.
      ...range(3).map(async (c) => {
        for (const { applicationId } of applications.slice(c * 4, c * 4 + 4)) {
          const ok = await send(
            CREATE,
            'ipusCreate',
            world.draftInput(applicationId),
            (payload) => ({ planId: payload.ipus.id, revision: payload.ipus.revision, kind: 'CREATED' }),
            { applicationId },
          );
          if (!ok) return;
        }
      }),
    ];
    await Promise.all(chains);
    expect(killed).toBe(true);
    await doomed.exited;
    // The kill came in the middle: changes were in flight, and the dashboard on that process was cut off.
    expect(inFlight.filter((l) => l.sentBeforeKill).length).toBeGreaterThan(0);
    await victim.ended;
    const lastSeen: string = victim.received.at(-1)?.ipusFeed.eventId ?? baseline;

    const restarted = await startServerProcess({ env: PROCESS_ENV });

    // Every plan the burst touched (a plan created in flight has no id yet: found by its application).
    const createdInFlight = await rawAsOwner<{ id: string }>('select id::text from ipus where application_id = any($1::uuid[])', [
      inFlight.filter((l) => l.applicationId).map((l) => uuidFromGlobalId(l.applicationId as string, 'Application')),
    ]);
    const planIds = new Set([...active, ...drafts].map((p) => p.id).concat(acks.map((a) => a.planId)));
    const planUuids = [...new Set([...[...planIds].map((id) => uuidFromGlobalId(id, 'Ipus')), ...createdInFlight.map((r) => r.id)])];
    for (const { id } of createdInFlight) planIds.add(toGlobalId('Ipus', id));

    // 1. Every acknowledged change is there, as acknowledged, read back through the restarted server.
    for (const planId of new Set(acks.map((a) => a.planId))) {
      const answer = await gqlAt(
        restarted.url,
        world.director,
        `query($id: ID!) { ipus(id: $id) { revision monitoringNotes { note } revisions { revision kind } } }`,
        { id: planId },
      );
      expect(answer.body.errors).toBeUndefined();
      const plan = answer.body.data.ipus;
      const mine = acks.filter((a) => a.planId === planId);
      const lastAcked = Math.max(...mine.map((a) => a.revision));
      // At most the one change in flight when the process died was committed without its answer.
      const wasInFlight = inFlight.some((l) => l.planId === planId);
      expect([lastAcked, ...(wasInFlight ? [lastAcked + 1] : [])]).toContain(plan.revision);
      for (const ack of mine) {
        expect(plan.revisions).toContainEqual({ revision: ack.revision, kind: ack.kind });
        if (ack.note) expect(plan.monitoringNotes.filter((n: { note: string }) => n.note === ack.note)).toHaveLength(1);
        if (ack.coordinatorName) {
          const then = await gqlAt(
            restarted.url,
            world.director,
            `query($id: ID!, $r: Int!) { ipus(id: $id) { asOfRevision(revision: $r) { coordinatorName } } }`,
            { id: planId, r: ack.revision },
          );
          expect(then.body.data.ipus.asOfRevision.coordinatorName).toBe(ack.coordinatorName);
        }
      }
    }
    const acksByKind = (kind: string) => acks.filter((a) => a.kind === kind).length;
    expect(acksByKind('NOTE_ADDED') * acksByKind('EDITED') * acksByKind('CREATED')).toBeGreaterThan(0);
    // A plan created in flight exists whole or not at all, and never twice for one application.
    const plansPerApplication = await rawAsOwner<{ n: number }>(
      'select count(*)::int as n from ipus where application_id = any($1::uuid[]) group by application_id',
      [applications.map((a) => uuidFromGlobalId(a.applicationId, 'Application'))],
    );
    expect(plansPerApplication.every((r) => r.n === 1)).toBe(true);
    expect(plansPerApplication.length).toBe(acksByKind('CREATED') + createdInFlight.length);

    // 2. No plan is half-written: neither those the burst touched nor any other of the gmina.
    expect(await halfWrittenPlans(rawAsOwner, planUuids)).toEqual([]);
    const gminaPlans = await rawAsOwner<{ id: string }>(`select id::text from ipus where gmina_id = ${Number(BURST_GMINA)}`);
    expect(
      await halfWrittenPlans(
        rawAsOwner,
        gminaPlans.map((r) => r.id),
      ),
    ).toEqual([]);

    // 3. The subscriber cut off by the kill resumes on the restarted server from the last event it saw,
    // then a change made after the restart arrives live, to it and to the dashboard that never left.
    const resumed = subscribe(wsClient(restarted.wsUrl, world.director), FEED, { after: lastSeen });
    const notePlan = active[0];
    const { revision } = (await gqlAt(restarted.url, world.director, 'query($id: ID!) { ipus(id: $id) { revision } }', { id: notePlan.id })).body.data.ipus;
    accepted(await gqlAt(restarted.url, world.coordinator, NOTE, { input: { id: notePlan.id, revision, note: 'Po restarcie' } }), 'ipusMonitoringNoteAdd');

    const committed = (
      await rawAsOwner<{ id: string }>(
        `select id::text from outbox_event where id > $1 and topic = 'IPUS' and subject_id = any($2::uuid[]) order by outbox_event.id`,
        [baseline, planUuids],
      )
    ).map((r) => r.id);
    expect(committed.length).toBeGreaterThanOrEqual(acks.length + 1);
    const newest = committed.at(-1) as string;
    await waitForEvent(survivor, newest);
    await waitForEvent(resumed, newest);
    await settle();
    expect(eventIdsOf(survivor, planIds)).toEqual(committed);
    expect([...eventIdsOf(victim, planIds), ...eventIdsOf(resumed, planIds)]).toEqual(committed);
    survivor.stop();
    resumed.stop();
    await restarted.stop();
  }, 60_000);
});

describe('PostgreSQL stopped under a running server, and started again', () => {
  // A PostgreSQL of this file's own: the shared one is never stopped.
  const dir = path.join(projectRoot, '.data', `faults-postgres-${process.pid}`);
  const log = createLogger(testConfig.logLevel);
  let port: number;
  let database: EmbeddedServer | null = null;
  let ownerUrl: string;
  let admin: pg.Client | null = null;

  beforeAll(async () => {
    port = await freePort();
    database = await startEmbeddedPostgres(dir, port, log);
    await createDatabaseIfMissing(database.adminUrl, 'cus_faults');
    ownerUrl = withDatabase(database.adminUrl, 'cus_faults');
    await migrateDatabase(ownerUrl, testConfig.appDbPassword, log);
    await seedDemo(ownerUrl, log);
  }, 60_000);
  afterAll(async () => {
    await killServerProcesses();
    await admin?.end().catch(() => undefined);
    await database?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** SQL as the embedded server's superuser, on a connection that is made again after a restart. */
  async function asAdmin<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    if (!admin) {
      admin = new pg.Client({ connectionString: ownerUrl });
      admin.on('error', () => {
        admin = null;
      });
      await admin.connect();
    }
    return (await admin.query(sql, params)).rows as T[];
  }
  const listenerOf = async (server: ServerProcess) =>
    asAdmin('select pid from pg_stat_activity where application_name = $1', [`cus-platform outbox listener ${server.child.pid}`]);

  it('fails fast while it is away, then recovers by itself: pool, LISTEN connection, and the events it missed meanwhile', async () => {
    const first = await startServerProcess({ databaseUrl: ownerUrl, env: PROCESS_ENV });
    // A second instance on the same database, in this process.
    const orm = await createOrm(withUser(ownerUrl, APP_ROLE, testConfig.appDbPassword), { poolSize: 3 });
    const second = await startServer({ config: testConfig, orm, verifier: await createTokenVerifier(testConfig), log }, 0);
    const plans = await gqlAt(first.url, coordinator, '{ plans(first: 50) { nodes { id status revision } } }');
    const plan = plans.body.data.plans.nodes.find((p: { status: string }) => p.status === 'ACTIVE');
    expect(plan).toBeTruthy();
    let revision: number = plan.revision;
    const noteThrough = async (server: { url: string }, note: string): Promise<Answer> => {
      const answer = await gqlAt(server.url, coordinator, NOTE, { input: { id: plan.id, revision, note } }, 5000);
      if (answer.status === 200 && !answer.body.errors) revision = accepted(answer, 'ipusMonitoringNoteAdd').ipus.revision;
      return answer;
    };
    const [{ id: baseline }] = await asAdmin<{ id: string }>('select coalesce(max(id), 0)::text as id from outbox_event');
    const feedClient = wsClient(first.wsUrl, coordinator);
    const feed = subscribe(feedClient, FEED, { after: baseline });
    accepted(await noteThrough(first, 'Przed awarią bazy'), 'ipusMonitoringNoteAdd');
    await feed.waitFor(1);

    await (database as EmbeddedServer).stop();

    // While it is away: an answer within seconds (the AbortSignal would fail the request otherwise), with a code.
    const read = await gqlAt(first.url, coordinator, '{ plans(first: 1) { nodes { id } } }', {}, 4000);
    expect({ status: read.status, codes: codesOf(read) }).toEqual({ status: 503, codes: ['SERVICE_UNAVAILABLE'] });
    const change = await noteThrough(first, 'W czasie awarii bazy');
    expect({ status: change.status, codes: codesOf(change) }).toEqual({ status: 503, codes: ['SERVICE_UNAVAILABLE'] });
    const ready = await fetch(`${first.origin}/readyz`, { signal: AbortSignal.timeout(4000) });
    expect(ready.status).toBe(503);
    // Over WebSocket the operation gets the code too, and the connection with its subscription stays open.
    const overWs = subscribe(feedClient, '{ plans(first: 1) { nodes { id } } }');
    await overWs.ended;
    expect(overWs.results.flatMap((r) => r.errors ?? []).map((e) => e.extensions?.code)).toEqual(['SERVICE_UNAVAILABLE']);
    expect(overWs.error).toBeUndefined();
    expect(feed.error).toBeUndefined();
    expect(first.child.exitCode).toBeNull();

    // The first server is paused while the database comes back and the second one commits a change:
    // its LISTEN connection cannot be there for the NOTIFY, so only its catching up can deliver the event.
    first.child.kill('SIGSTOP');
    database = await startEmbeddedPostgres(dir, port, log);
    await until('the second server accepts a change again', async () => (await noteThrough(second, 'Po powrocie bazy (druga instancja)')).status === 200);
    expect(await listenerOf(first)).toEqual([]);
    first.child.kill('SIGCONT');

    // Without a restart: ready again, requests served, the LISTEN connection back, the missed event delivered.
    await until('the first server is ready', async () => (await fetch(`${first.origin}/readyz`)).status === 200);
    await until('the first server listens again', async () => (await listenerOf(first)).length === 1);
    accepted(await noteThrough(first, 'Po powrocie bazy (pierwsza instancja)'), 'ipusMonitoringNoteAdd');
    accepted(await noteThrough(second, 'Na żywo z drugiej instancji'), 'ipusMonitoringNoteAdd');

    const committed = (
      await asAdmin<{ id: string }>('select id::text from outbox_event where id > $1 and subject_id = $2 order by outbox_event.id', [
        baseline,
        uuidFromGlobalId(plan.id, 'Ipus'),
      ])
    ).map((r) => r.id);
    expect(committed).toHaveLength(4);
    await feed.waitFor(4, 15_000);
    await settle();
    expect(eventIdsOf(feed, new Set([plan.id]))).toEqual(committed);
    // The change refused while the database was away was not written.
    const notes = await gqlAt(first.url, coordinator, 'query($id: ID!) { ipus(id: $id) { monitoringNotes { note } } }', { id: plan.id });
    expect(notes.body.data.ipus.monitoringNotes.map((n: { note: string }) => n.note)).not.toContain('W czasie awarii bazy');
    expect(await halfWrittenPlans(asAdmin, [uuidFromGlobalId(plan.id, 'Ipus')])).toEqual([]);

    feed.stop();
    await second.close();
    await orm.close();
    await first.stop();
    expect(await first.exited).toBe(0);
  }, 60_000);
});

describe('SIGTERM', () => {
  /** A resident whose row a test can hold locked, so that a change of it stays in flight as long as the test wants. */
  async function residentThrough(server: ServerProcess): Promise<{ id: string; version: number }> {
    const created = await gqlAt(server.url, coordinator, mutation('residentCreate', 'ResidentCreateInput', 'resident { id version }'), {
      input: { firstName: 'Teresa', lastName: 'Zamknięta', gmina: GMINA },
    });
    return accepted(created, 'residentCreate').resident;
  }
  const RENAME = mutation('residentUpdate', 'ResidentUpdateInput', 'resident { firstName version }');

  /** Holds the resident's row locked (as the owner) until `release`; the server's UPDATE waits behind it. */
  async function lockResident(residentId: string) {
    const locker = new pg.Client({ connectionString: inject('ownerUrl') });
    await locker.connect();
    await locker.query('begin');
    await locker.query('select 1 from resident where id = $1 for update', [uuidFromGlobalId(residentId, 'Resident')]);
    const [{ pid }] = (await locker.query('select pg_backend_pid() as pid')).rows;
    return {
      /** Whether a statement of the server waits for this lock: the request is in flight for sure. */
      blocking: async () => (await rawAsOwner('select 1 from pg_stat_activity where $1 = any (pg_blocking_pids(pid))', [pid])).length > 0,
      release: async () => {
        await locker.query('rollback');
        await locker.end();
      },
    };
  }
  const firstNameOf = async (residentId: string) =>
    (await rawAsOwner<{ first_name: string }>('select first_name from resident where id = $1', [uuidFromGlobalId(residentId, 'Resident')]))[0].first_name;
  /** Refused: answered 503 SERVICE_UNAVAILABLE, or the connection is not accepted at all. */
  async function refused(request: () => Promise<Response>): Promise<boolean> {
    try {
      const response = await request();
      const body = await response.text();
      return response.status === 503 && /SERVICE_UNAVAILABLE|draining/.test(body);
    } catch (error) {
      // Not answering in time is hanging, not refusing.
      return (error as Error).name !== 'TimeoutError';
    }
  }

  // Started together, as starting is what takes the time.
  let draining: ServerProcess;
  let forced: ServerProcess;
  /** The draining server's count of the subscriptions it follows (its metrics, on a port of their own). */
  let drainingGauge: SubscriptionGauge;
  beforeAll(async () => {
    const metricsPort = await freePort();
    [draining, forced] = await Promise.all([
      startServerProcess({ env: { ...PROCESS_ENV, METRICS_PORT: String(metricsPort) } }),
      startServerProcess({ env: PROCESS_ENV }),
    ]);
    drainingGauge = subscriptionGauge(`http://127.0.0.1:${metricsPort}/metrics`);
  }, 60_000);
  afterAll(killServerProcesses);

  it('drains: the request in flight completes, new ones are refused, WebSockets close with 1001, and the process exits with 0', async () => {
    const server = draining;
    const resident = await residentThrough(server);
    // Followed by the server before the signal, so that the drain has subscriptions to end.
    const dashboards = [
      await subscribeAndWait(drainingGauge, wsClient(server.wsUrl, director), FEED),
      await subscribeAndWait(drainingGauge, wsClient(server.wsUrl, coordinator), FEED),
    ];
    const lock = await lockResident(resident.id);
    const inFlight = gqlAt(server.url, coordinator, RENAME, { input: { id: resident.id, version: resident.version, firstName: 'Zofia' } });
    await until('the change waits on the lock', lock.blocking);

    server.child.kill('SIGTERM');
    await until('new requests are refused', () => refused(() => fetch(`${server.origin}/readyz`, { signal: AbortSignal.timeout(2000) })), 5000);
    expect(
      await refused(() =>
        fetch(server.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: 'Bearer x' },
          body: '{"query":"{ viewer { role } }"}',
          signal: AbortSignal.timeout(2000),
        }),
      ),
    ).toBe(true);
    // Still draining: the process waits for the request in flight.
    expect(server.child.exitCode).toBeNull();

    await lock.release();
    const answer = await inFlight;
    expect(accepted(answer, 'residentUpdate').resident.firstName).toBe('Zofia');
    expect(await server.exited).toBe(0);
    await Promise.all(dashboards.map((d) => d.ended));
    expect(dashboards.map((d) => (d.error as { code?: number } | undefined)?.code)).toEqual([1001, 1001]);
    expect(await firstNameOf(resident.id)).toBe('Zofia');
  }, 30_000);

  it('a second signal ends the process at once (code 1), and the change it cut off is not written', async () => {
    const server = forced;
    const resident = await residentThrough(server);
    const lock = await lockResident(resident.id);
    const inFlight = gqlAt(server.url, coordinator, RENAME, { input: { id: resident.id, version: resident.version, firstName: 'Janina' } }).then(
      () => 'answered',
      () => 'cut off',
    );
    await until('the change waits on the lock', lock.blocking);
    server.child.kill('SIGTERM');
    await until('it drains', () => refused(() => fetch(`${server.origin}/readyz`, { signal: AbortSignal.timeout(2000) })), 5000);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(1);
    expect(await inFlight).toBe('cut off');
    await lock.release();
    // Its transaction ends with its connection: once nothing waits any more, the name is as it was.
    await until(
      'the cut-off transaction is gone',
      async () =>
        (
          await rawAsOwner(
            `select 1 from pg_stat_activity where state in ('active', 'idle in transaction') and query ilike 'update "resident"%' and datname = current_database()`,
          )
        ).length === 0,
    );
    expect(await firstNameOf(resident.id)).toBe('Teresa');
  }, 30_000);

  it('while it is still starting, ends cleanly with code 0 once the step under way is done', async () => {
    const server = await startServerProcess({ env: { ...PROCESS_ENV, LOG_LEVEL: 'info' }, ready: false });
    await until('it has begun starting', async () => server.log.some((line) => line.includes('"database migrated"')));
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(server.log.some((line) => line.includes('"stopped"'))).toBe(true);
  }, 30_000);
});
