import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSchema, execute, GraphQLError, GraphQLObjectType, GraphQLNonNull, GraphQLSchema, GraphQLString, parse } from 'graphql';
import { Role, startTestApp, type TestApp, type Who } from './support/app.js';
import { subscribe, subscribeAndWait } from './support/subscriptions.js';
import { planWorld, type PlanWorld, type PlanRef } from './support/plan-world.js';
import { toClientError } from '../src/platform/graphql/errors.js';
import { DateTimeScalar } from '../src/platform/graphql/scalars.js';

/**
 * Issue 16: answers a client can trust. Timestamps read by raw SQL serialise; a value the server
 * cannot serialise is its own fault (INTERNAL_SERVER_ERROR), not the client's; every refusal of the
 * HTTP layer comes before anything runs; a plan's historic copy has ids of its own, so client caches
 * keep it apart from the live plan; subscriptions are counted like any operation.
 */
let app: TestApp;
let world: PlanWorld;
const GMINA = '3218043';
const OTHER = '3218053';
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

beforeAll(async () => {
  app = await startTestApp();
  world = await planWorld(app, GMINA, OTHER);
}, 90_000);
afterAll(() => app?.close());

const NOTE = `mutation($input: IpusNoteInput!) { ipusMonitoringNoteAdd(input: $input) { ipus { revision } userErrors { code } } }`;
const noteBody = (plan: PlanRef) => JSON.stringify({ query: NOTE, variables: { input: { id: plan.id, revision: plan.revision, note: 'Wizyta' } } });

async function revisionOf(plan: PlanRef): Promise<number> {
  const read = await app.gql(world.coordinator, 'query($id: ID!) { ipus(id: $id) { revision } }', { id: plan.id });
  return read.body.data.ipus.revision;
}

describe('timestamps read by raw SQL', () => {
  it("a plan's history and its replayed events carry ISO 8601 instants, equal to what the database holds", async () => {
    const plan = await world.activePlan();
    await world.note(plan);
    const history = await app.gql(world.coordinator, 'query($id: ID!) { ipus(id: $id) { revisions { revision changedAt } } }', { id: plan.id });
    expect(history.body.errors).toBeUndefined();
    const revisions = history.body.data.ipus.revisions as { revision: number; changedAt: string }[];
    expect(revisions.length).toBeGreaterThan(2);
    for (const r of revisions) {
      expect(r.changedAt).toMatch(ISO_INSTANT);
      expect(DateTimeScalar.serialize(DateTimeScalar.parseValue(r.changedAt))).toBe(r.changedAt);
    }

    const sub = subscribe(app.ws(world.coordinator), 'subscription($id: ID!) { ipusUpdated(id: $id, after: "0") { eventId revision occurredAt } }', {
      id: plan.id,
    });
    const events = await sub.waitFor(revisions.length);
    sub.stop();
    expect(sub.results.every((r) => !r.errors)).toBe(true);
    for (const e of events) expect(e.ipusUpdated.occurredAt).toMatch(ISO_INSTANT);
    // Each event's instant is its revision's: the same commit wrote both.
    const changedAt = new Map(revisions.map((r) => [r.revision, r.changedAt]));
    for (const e of events)
      expect(Math.abs(Date.parse(e.ipusUpdated.occurredAt) - Date.parse(changedAt.get(e.ipusUpdated.revision) as string))).toBeLessThan(1000);
  });

  it("a partner's delivery corrections of the demo serialise", async () => {
    const partner: Who = { role: Role.PARTNER, partner: '0193a000-0000-7000-8010-000000000004' };
    const read = await app.gql(partner, '{ assignments(first: 50) { nodes { deliveries { version corrections { version changedAt } } } } }');
    expect(read.body.errors).toBeUndefined();
    const corrections = read.body.data.assignments.nodes.flatMap((a: any) => a.deliveries.flatMap((d: any) => d.corrections));
    expect(corrections.length).toBeGreaterThan(0);
    for (const c of corrections) expect(c.changedAt).toMatch(ISO_INSTANT);
  });
});

describe('who is at fault', () => {
  // A field whose value the scalar refuses to serialise, and an argument the client left null.
  const schema = new GraphQLSchema({
    query: new GraphQLObjectType({
      name: 'Query',
      fields: {
        broken: { type: DateTimeScalar, resolve: () => 'the day after tomorrow' },
        echo: { type: GraphQLString, args: { text: { type: new GraphQLNonNull(GraphQLString) } }, resolve: (_, args) => args.text },
      },
    }),
  });

  it('a value the server cannot serialise is INTERNAL_SERVER_ERROR, with nothing of it shown', async () => {
    const result = await execute({ schema, document: parse('{ broken }') });
    expect(result.errors).toHaveLength(1);
    expect(toClientError(result.errors?.[0])).toEqual({ message: 'Internal server error', code: 'INTERNAL_SERVER_ERROR' });
  });

  it('an argument the client got wrong is still BAD_USER_INPUT, before execution or during it', async () => {
    const during = await execute({ schema, document: parse('query($t: String) { echo(text: $t) }'), variableValues: { t: null } });
    expect(toClientError(during.errors?.[0]).code).toBe('BAD_USER_INPUT');
    const before = await execute({
      schema: buildSchema('type Query { a(n: Int!): Int }'),
      document: parse('query($n: Int!) { a(n: $n) }'),
      variableValues: { n: 'x' },
    });
    expect(toClientError(before.errors?.[0]).code).toBe('BAD_USER_INPUT');
    expect(toClientError(new GraphQLError('Int cannot represent non-integer value: "x"')).code).toBe('BAD_USER_INPUT');
  });
});

describe('every refusal of the HTTP layer comes before anything runs', () => {
  let plan: PlanRef;
  let token: string;
  beforeAll(async () => {
    plan = await world.activePlan();
    token = await app.token(world.coordinator);
  });

  const post = (headers: Record<string, string>, body: string) => fetch(app.url, { method: 'POST', headers, body });
  const getUrl = () => `${app.url}?query=${encodeURIComponent(NOTE)}&variables=${encodeURIComponent(JSON.stringify(JSON.parse(noteBody(plan)).variables))}`;
  const refusals: [string, () => Promise<Response>, number][] = [
    [
      '406: an Accept the server cannot answer',
      () => post({ 'content-type': 'application/json', accept: 'text/html', authorization: `Bearer ${token}` }, noteBody(plan)),
      406,
    ],
    [
      '406: Accept of XML only',
      () => post({ 'content-type': 'application/json', accept: 'application/xml', authorization: `Bearer ${token}` }, noteBody(plan)),
      406,
    ],
    ['415: a body that is not JSON by its type', () => post({ 'content-type': 'application/xml', authorization: `Bearer ${token}` }, noteBody(plan)), 415],
    ['415: a form-like body (what CSRF would send)', () => post({ 'content-type': 'text/plain', authorization: `Bearer ${token}` }, noteBody(plan)), 415],
    [
      '413: a body over the limit',
      () => post({ 'content-type': 'application/json', authorization: `Bearer ${token}` }, noteBody(plan).replace('"Wizyta"', `"${'x'.repeat(1_100_000)}"`)),
      413,
    ],
    ['401: no token', () => post({ 'content-type': 'application/json' }, noteBody(plan)), 401],
    ['401: a forged token', () => post({ 'content-type': 'application/json', authorization: `Bearer ${token.slice(0, -4)}AAAA` }, noteBody(plan)), 401],
    ['400: CSRF, a mutation by GET without a preflight header', () => fetch(getUrl(), { headers: { authorization: `Bearer ${token}` } }), 400],
    ['405: a mutation by GET', () => fetch(getUrl(), { headers: { authorization: `Bearer ${token}`, 'apollo-require-preflight': 'true' } }), 405],
  ];

  for (const [name, send, status] of refusals) {
    it(`${name}: refused, and the plan is unchanged`, async () => {
      const before = await revisionOf(plan);
      const response = await send();
      expect(response.status).toBe(status);
      const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
      expect(body.errors?.[0]?.extensions?.code).toBeTruthy();
      expect(await revisionOf(plan)).toBe(before);
    });
  }

  it('429: over the per-principal limit, refused, and the plan is unchanged', async () => {
    // A server of its own with a small limit, on the same database.
    const limitedApp = await startTestApp({ RATE_LIMIT_PER_PRINCIPAL: '3' });
    try {
      const own = await limitedApp.token(world.coordinator);
      const before = await revisionOf(plan);
      const statuses: number[] = [];
      for (let i = 0; i < 4; i += 1) {
        const response = await fetch(limitedApp.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${own}` },
          body: noteBody({ ...plan, revision: before + i }),
        });
        statuses.push(response.status);
        await response.arrayBuffer();
      }
      // Three notes went through; the fourth, on the current revision, was refused and wrote nothing.
      expect(statuses).toEqual([200, 200, 200, 429]);
      expect(await revisionOf(plan)).toBe(before + 3);
    } finally {
      await limitedApp.close();
    }
  });

  it('the same mutation with acceptable headers does change the plan (the refusals above were not vacuous)', async () => {
    const before = await revisionOf(plan);
    const response = await post(
      {
        'content-type': 'application/json; charset=utf-8',
        accept: 'application/graphql-response+json, application/json;q=0.9',
        authorization: `Bearer ${token}`,
      },
      noteBody({ ...plan, revision: before }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/graphql-response\+json/);
    expect(await revisionOf(plan)).toBe(before + 1);
  });
});

describe('the IDE page and GraphQL over GET', () => {
  // Issue 17, item 13: `Accept: application/json, text/html` skipped the 401 and the rate limiter and got a 500.
  it('a client that accepts JSON as well as HTML gets GraphQL: without a token, 401', async () => {
    const response = await fetch(`${app.url}?query=${encodeURIComponent('{ viewer { role } }')}`, { headers: { accept: 'application/json, text/html' } });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it("a browser's address bar gets the IDE page", async () => {
    const response = await fetch(app.url, { headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
  });
});

describe("a plan's historic copy has an identity of its own", () => {
  it('goals and items as of a revision have ids that name the revision; node(id:) gives back that copy', async () => {
    const plan = await world.activePlan();
    const live = await app.gql(
      world.coordinator,
      `query($id: ID!) {
      ipus(id: $id) { revision goals { id description } items { id goalId }
        asOfRevision(revision: 1) { revision goals { id description } items { id goalId } } } }`,
      { id: plan.id },
    );
    expect(live.body.errors).toBeUndefined();
    const { goals, items, asOfRevision } = live.body.data.ipus;
    expect(asOfRevision.goals.length).toBeGreaterThan(0);
    const liveIds = new Set([...goals, ...items].map((p: { id: string }) => p.id));
    for (const copy of [...asOfRevision.goals, ...asOfRevision.items]) expect(liveIds.has(copy.id)).toBe(false);
    // An item of revision 1 points at the goal of revision 1, not at the live one.
    const copyGoalIds = new Set(asOfRevision.goals.map((g: { id: string }) => g.id));
    for (const item of asOfRevision.items) if (item.goalId) expect(copyGoalIds.has(item.goalId)).toBe(true);

    const copy = asOfRevision.goals[0];
    const fetched = await app.gql(world.coordinator, 'query($id: ID!) { node(id: $id) { id ... on IpusGoal { description } } }', { id: copy.id });
    expect(fetched.body.errors).toBeUndefined();
    expect(fetched.body.data.node).toEqual({ id: copy.id, description: copy.description });
    const liveGoal = await app.gql(world.coordinator, 'query($id: ID!) { node(id: $id) { id } }', { id: goals[0].id });
    expect(liveGoal.body.data.node.id).toBe(goals[0].id);
    // Another gmina's coordinator gets nothing for the copy either.
    const outsider = await app.gql(world.otherCoordinator, 'query($id: ID!) { node(id: $id) { id } }', { id: copy.id });
    expect(outsider.body.data?.node ?? null).toBeNull();
  });
});

describe('subscriptions are visible to operators', () => {
  it('a WebSocket subscription is counted in cus_graphql_operations_total with its type and transport', async () => {
    const name = `FeedWatch${Date.now().toString(36)}`;
    // Counted when it starts, in the same turn as the server begins to follow it.
    const sub = await subscribeAndWait(app, app.ws(world.coordinator), `subscription ${name} { ipusFeed { eventId } }`);
    const metrics = await (await fetch(app.metricsUrl)).text();
    sub.stop();
    expect(metrics).toContain(`cus_graphql_operations_total{operation="${name}",type="subscription",transport="ws"} 1`);
  });
});
