import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createClient, type Client } from 'graphql-ws';
import { startTestApp, type TestApp, type Who } from './support/app.js';
import { settle, stopAndWait, subscribe, subscribeAndWait, subscriptionGauge, type SubscriptionGauge } from './support/subscriptions.js';
import { buildServer, freePort, killServerProcesses, startServerProcess, type ServerProcess } from './support/server-process.js';
import { planWorld, type PlanWorld } from './support/plan-world.js';

/**
 * Live plan updates (README, "The event's walk"): every change of a plan reaches the
 * subscribers who may read it, on every server instance, and a subscriber that comes back with
 * the last event id it saw receives everything it missed, once, then live events.
 */
let app: TestApp;
let world: PlanWorld;
const clients: Client[] = [];

beforeAll(async () => {
  app = await startTestApp();
  world = await planWorld(app, '2404032', '2404042');
}, 60_000);
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await app.close();
});

const EVENT = 'eventId ipusId revision kind changes gmina';
const PLAN_SUB = `subscription($id: ID!, $after: String) { ipusUpdated(id: $id, after: $after) { ${EVENT} } }`;
const FEED_SUB = `subscription($after: String, $gminy: [TerytCode!]) { ipusFeed(after: $after, gminy: $gminy) { ${EVENT} } }`;

/** A graphql-ws client of any server (this process's or another's), as `who`. */
function wsClient(url: string, who: Who): Client {
  const client = createClient({
    url,
    webSocketImpl: WebSocket,
    lazy: false,
    retryAttempts: 0,
    connectionParams: async () => ({ authorization: `Bearer ${await app.token(who)}` }),
    onNonLazyError: () => {},
  });
  clients.push(client);
  return client;
}

const revisions = (events: any[], field = 'ipusUpdated') => events.map((e) => e[field].revision);
const errorCodes = (sub: { results: any[] }) => sub.results.flatMap((r) => (r.errors ?? []).map((e: any) => e.extensions?.code));

describe('ipusUpdated: one plan, live', () => {
  it('delivers every change of the plan in order, with its revision, kind and changed fields, and nothing of other plans', async () => {
    const plan = await world.activePlan();
    const other = await world.activePlan();
    const sub = await subscribeAndWait(app, wsClient(app.wsUrl, world.coordinator), PLAN_SUB, { id: plan.id });
    const first = await world.note(plan);
    await world.note(other);
    const second = await world.note(plan);
    const events = await sub.waitFor(2);
    await settle();
    expect(sub.results).toHaveLength(2);
    expect(revisions(events)).toEqual([first, second]);
    expect(events[0].ipusUpdated).toMatchObject({ ipusId: plan.id, kind: 'NOTE_ADDED', gmina: world.gmina });
    expect(events[0].ipusUpdated.changes.length).toBeGreaterThan(0);
    expect(BigInt(events[1].ipusUpdated.eventId)).toBeGreaterThan(BigInt(events[0].ipusUpdated.eventId));
    await stopAndWait(app, sub);
  });

  it("reads the plan itself with the event, under the subscriber's own rights", async () => {
    const plan = await world.activePlan();
    const sub = await subscribeAndWait(
      app,
      wsClient(app.wsUrl, world.coordinator),
      `subscription($id: ID!) { ipusUpdated(id: $id) { revision ipus { id status revision } } }`,
      { id: plan.id },
    );
    const revision = await world.note(plan);
    const [event] = await sub.waitFor(1);
    expect(event.ipusUpdated).toEqual({ revision, ipus: { id: plan.id, status: 'ACTIVE', revision } });
    await stopAndWait(app, sub);
  });

  it('reads the plan through a named fragment too, and logs each read of the record', async () => {
    const plan = await world.activePlan();
    const sub = await subscribeAndWait(
      app,
      wsClient(app.wsUrl, world.coordinator),
      `subscription WatchThroughFragment($id: ID!) { ipusUpdated(id: $id) { ...Change } } fragment Change on IpusEvent { revision ipus { status revision } }`,
      { id: plan.id },
    );
    const revision = await world.note(plan);
    const [event] = await sub.waitFor(1);
    expect(event.ipusUpdated).toEqual({ revision, ipus: { status: 'ACTIVE', revision } });
    // The read is logged in the event's own transaction, committed before the event is sent.
    await stopAndWait(app, sub);
    const log = await app.gql(world.director, '{ residentAccessLog(first: 100) { nodes { operation role } } }');
    // Through the named fragment too, the path is the fields' (the client named the operation and the fragment).
    expect(log.body.data.residentAccessLog.nodes).toContainEqual({ operation: 'subscription ipusUpdated.ipus', role: 'COORDINATOR' });
  });

  it('resumes after a reconnect with every change it missed, exactly once, then live ones', async () => {
    const plan = await world.activePlan();
    const firstClient = wsClient(app.wsUrl, world.coordinator);
    const before = await subscribeAndWait(app, firstClient, PLAN_SUB, { id: plan.id });
    await world.note(plan);
    const [seen] = await before.waitFor(1);
    const open = await app.openSubscriptions();
    await firstClient.dispose();
    await app.untilOpenSubscriptions(open - 1);

    const missed = [await world.note(plan), await world.note(plan), await world.note(plan)];
    const after = subscribe(wsClient(app.wsUrl, world.coordinator), PLAN_SUB, { id: plan.id, after: seen.ipusUpdated.eventId });
    await after.waitFor(3);
    const live = await world.note(plan);
    const events = await after.waitFor(4);
    await settle();
    expect(revisions(events)).toEqual([...missed, live]);
    expect(new Set(events.map((e) => e.ipusUpdated.eventId)).size).toBe(4);
    await stopAndWait(app, after);
  });

  it('refuses a plan of another gmina as not found, other roles as forbidden, and a malformed cursor', async () => {
    const plan = await world.activePlan();
    const stranger = subscribe(wsClient(app.wsUrl, world.otherDirector), PLAN_SUB, { id: plan.id });
    await stranger.ended;
    expect(errorCodes(stranger)).toEqual(['NOT_FOUND']);
    for (const who of world.outsiders) {
      const sub = subscribe(wsClient(app.wsUrl, who), PLAN_SUB, { id: plan.id });
      await sub.ended;
      expect({ role: who.role, codes: errorCodes(sub) }).toEqual({ role: who.role, codes: ['FORBIDDEN'] });
    }
    const bad = subscribe(wsClient(app.wsUrl, world.coordinator), PLAN_SUB, { id: plan.id, after: 'yesterday' });
    await bad.ended;
    expect(errorCodes(bad)).toEqual(['BAD_USER_INPUT']);
    // None of them received an event of the plan.
    await world.note(plan);
    await settle();
    expect(stranger.received).toEqual([]);
  });
});

describe('ipusFeed: every plan of a scope, for dashboards', () => {
  it('shows a dashboard every step of a plan from draft to completion, live', async () => {
    const feed = await subscribeAndWait(app, wsClient(app.wsUrl, world.director), FEED_SUB, {});
    const plan = await world.planThroughLifecycle();
    const events = (await feed.waitFor(plan.kinds.length)).map((e) => e.ipusFeed).filter((e) => e.ipusId === plan.id);
    expect(events.map((e) => e.kind)).toEqual(plan.kinds);
    expect(events.map((e) => e.revision)).toEqual(plan.kinds.map((_: string, i: number) => i + 1));
    await stopAndWait(app, feed);
  });

  it("never shows another gmina's plans; asking for a gmina outside one's scope is forbidden", async () => {
    const mine = await subscribeAndWait(app, wsClient(app.wsUrl, world.director), FEED_SUB, {});
    const theirs = await subscribeAndWait(app, wsClient(app.wsUrl, world.otherDirector), FEED_SUB, {});
    const outsiders = world.outsiders.map((who: Who) => ({ who, sub: subscribe(wsClient(app.wsUrl, who), FEED_SUB, {}) }));
    await Promise.all(outsiders.map(({ sub }) => sub.ended));
    const plan = await world.activePlan();
    const revision = await world.note(plan);
    await mine.waitFor(1);
    await settle();
    expect(
      mine.received
        .map((e) => e.ipusFeed)
        .filter((e) => e.ipusId === plan.id)
        .map((e) => e.revision),
    ).toContain(revision);
    expect(theirs.received.filter((e) => e.ipusFeed.gmina === world.gmina)).toEqual([]);
    for (const { who, sub } of outsiders) {
      expect({ role: who.role, codes: errorCodes(sub), received: sub.received }).toEqual({ role: who.role, codes: ['FORBIDDEN'], received: [] });
    }
    const reaching = subscribe(wsClient(app.wsUrl, world.otherDirector), FEED_SUB, { gminy: [world.gmina] });
    await reaching.ended;
    expect(errorCodes(reaching)).toEqual(['FORBIDDEN']);
    await stopAndWait(app, mine, theirs);
  });

  it('replays only what the subscriber may read', async () => {
    const plan = await world.activePlan();
    const revision = await world.note(plan);
    // From the very first event: the other gmina's director replays none of this gmina's events.
    const theirs = await subscribeAndWait(app, wsClient(app.wsUrl, world.otherDirector), FEED_SUB, { after: '0' });
    const mine = await subscribeAndWait(app, wsClient(app.wsUrl, world.director), FEED_SUB, { after: '0' });
    await mine.waitFor(1);
    await settle(500);
    expect(mine.received.some((e) => e.ipusFeed.ipusId === plan.id && e.ipusFeed.revision === revision)).toBe(true);
    expect(theirs.received.filter((e) => e.ipusFeed.gmina === world.gmina)).toEqual([]);
    await stopAndWait(app, mine, theirs);
  });

  it('reaches hundreds of dashboards at once, each change exactly once and in order', async () => {
    const plans = [];
    for (let i = 0; i < 5; i += 1) plans.push(await world.activePlan());
    const before = await app.openSubscriptions();
    // More dashboards than the hub hands an event to in one turn of the event loop, so a fan-out spans
    // several, and changes committed together are handed over while earlier ones still are.
    const feeds = Array.from({ length: 300 }, () => subscribe(wsClient(app.wsUrl, world.director), FEED_SUB, {}));
    await app.untilOpenSubscriptions(before + feeds.length, 20_000);
    const ours = new Set(plans.map((p) => p.id));
    const noted = new Map<string, number>();
    await Promise.all(plans.map(async (p) => noted.set(p.id, await world.note(p))));
    const ofPlans = (feed: (typeof feeds)[number]) => feed.received.map((e) => e.ipusFeed).filter((e) => ours.has(e.ipusId));
    const delivered = Date.now() + 20_000;
    while (feeds.some((feed) => ofPlans(feed).length < plans.length) && Date.now() < delivered) await settle(100);
    await settle();
    for (const feed of feeds) {
      const events = ofPlans(feed);
      // Each change once, with its revision, in the order of the events' ids.
      expect(events.map((e) => [e.ipusId, e.revision]).sort()).toEqual([...noted].sort());
      expect(events.map((e) => BigInt(e.eventId))).toEqual(events.map((e) => BigInt(e.eventId)).sort((a, b) => (a < b ? -1 : 1)));
    }
    await stopAndWait(app, ...feeds);
  }, 60_000);
});

describe('several server processes on one database', () => {
  let other: ServerProcess | null = null;
  beforeAll(() => buildServer(), 120_000);
  afterAll(killServerProcesses);

  /** Settings that serve a server process's metrics on a port of their own, and the gauge that reads them there. */
  async function ownMetrics(): Promise<{ env: Record<string, string>; gauge: SubscriptionGauge }> {
    const port = await freePort();
    return { env: { METRICS_PORT: String(port) }, gauge: subscriptionGauge(`http://127.0.0.1:${port}/metrics`) };
  }

  it('a change made through one process reaches a subscriber on another', async () => {
    const metrics = await ownMetrics();
    other = await startServerProcess({ env: metrics.env });
    const plan = await world.activePlan();
    const sub = await subscribeAndWait(metrics.gauge, wsClient(other.wsUrl, world.coordinator), PLAN_SUB, { id: plan.id });
    const revision = await world.note(plan);
    const [event] = await sub.waitFor(1);
    expect(event.ipusUpdated.revision).toBe(revision);
    sub.stop();
    await other.stop();
    other = null;
  }, 60_000);

  it('a subscriber whose server crashed resumes on a restarted one with nothing lost or repeated', async () => {
    const metrics = await ownMetrics();
    other = await startServerProcess({ env: metrics.env });
    const plan = await world.activePlan();
    const before = await subscribeAndWait(metrics.gauge, wsClient(other.wsUrl, world.coordinator), PLAN_SUB, { id: plan.id });
    const seenRevision = await world.note(plan);
    const [seen] = await before.waitFor(1);
    expect(seen.ipusUpdated.revision).toBe(seenRevision);

    await other.stop('SIGKILL');
    await before.ended;
    // While it is down, the plan changes through the other instance.
    const missed = [await world.note(plan), await world.note(plan)];

    other = await startServerProcess();
    const after = subscribe(wsClient(other.wsUrl, world.coordinator), PLAN_SUB, { id: plan.id, after: seen.ipusUpdated.eventId });
    await after.waitFor(2);
    const live = await world.note(plan);
    const events = await after.waitFor(3);
    await settle();
    expect(revisions(events)).toEqual([...missed, live]);
    after.stop();
  }, 90_000);
});
