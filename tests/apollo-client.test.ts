import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createClient, type Client as WsClient } from 'graphql-ws';
import { filter, firstValueFrom, from, throwError, timeout, type ObservableInput, type Subscription } from 'rxjs';
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache, gql, type ObservableQuery } from '@apollo/client';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { isSubscriptionOperation, relayStylePagination } from '@apollo/client/utilities';
import { Role, startTestApp, type TestApp } from './support/app.js';
import { ownDemoDatabase, type OwnDatabase } from './support/own-database.js';
import { mutate, staff } from './support/fixtures.js';
import { todayInPoland } from '../src/modules/common/dates.js';
import { settle } from './support/subscriptions.js';

/**
 * A real client against the server (issue 16): Apollo Client 4 with its normalised InMemoryCache,
 * HTTP for queries and mutations and graphql-ws for subscriptions, as a dashboard would be built.
 * A coordinator of Wiązowna pages through the plans, reads a plan's history and a past revision next
 * to the live plan, changes the plan and receives the change live. The cache must stay true to the
 * server throughout: a past revision's goals and items are other objects than the live ones (defect
 * 5: with the live ids, reading revision 1 overwrote the live goals in every client cache), and every
 * value serialises (changedAt did not).
 *
 * The suite changes a demo plan, so it has a database of its own.
 */
const GMINA = '1417082';
const coordinator = staff(Role.COORDINATOR, GMINA);

const PLANS = gql`
  query DashboardPlans($first: Int!, $after: String) {
    plans(first: $first, after: $after) {
      edges { cursor node { id status revision coordinatorName periodStart periodEnd } }
      pageInfo { hasNextPage endCursor }
    }
  }
`;
const LIVE_PLAN = gql`
  query Plan($id: ID!) {
    ipus(id: $id) {
      id revision status
      goals { id position description outcome closingSummary }
      items { id position goalId providerKind placeKind startsAt endsAt weekdays sessionCount startOn endOn quantity quantityUnit note
        providerUnitName service { id } partner { id } commission { id } location { id } }
    }
  }
`;
const HISTORY = gql`
  query PlanHistory($id: ID!) {
    ipus(id: $id) { id revision revisions { revision kind changedBy changedByRole changedAt changes { path } } }
  }
`;
const AS_OF = gql`
  query PlanAsOf($id: ID!, $revision: Int!) {
    ipus(id: $id) {
      id revision
      goals { id description outcome closingSummary }
      items { id startsAt endsAt weekdays }
      asOfRevision(revision: $revision) {
        revision status
        goals { id description outcome closingSummary }
        items { id startsAt endsAt weekdays }
      }
    }
  }
`;
const AGREE = gql`
  mutation PlanChangeAgree($input: IpusActivateInput!) {
    ipusChangeAgree(input: $input) {
      ipus { id revision status goals { id position description outcome closingSummary } items { id startsAt endsAt weekdays } }
      userErrors { field code message }
    }
  }
`;
const FEED = gql`
  subscription Dashboard { ipusFeed { eventId ipusId revision kind changes occurredAt gmina } }
`;
const WATCH_PLAN = gql`
  subscription WatchPlan($id: ID!) { ipusUpdated(id: $id) { eventId revision kind changes ipus { id revision status } } }
`;

let database: OwnDatabase;
let app: TestApp;
let wsClient: WsClient;
let client: ApolloClient;
/** What Apollo warned or complained about (a cache write that lost data, a missing field): nothing, in the end. */
const complaints: unknown[][] = [];
const consoleWarn = console.warn;
const consoleError = console.error;

/** The client a dashboard would build: one cache, subscriptions over WebSocket, the rest over HTTP, the token on both. */
async function dashboardClient(): Promise<ApolloClient> {
  const token = await app.token(coordinator);
  wsClient = createClient({ url: app.wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${token}` } });
  const http = new HttpLink({ uri: app.url, headers: { authorization: `Bearer ${token}` } });
  const link = ApolloLink.split(({ query }) => isSubscriptionOperation(query), new GraphQLWsLink(wsClient), http);
  // The plans list is a Relay connection: pages fetched with fetchMore are merged into one list.
  const cache = new InMemoryCache({ typePolicies: { Query: { fields: { plans: relayStylePagination() } } } });
  return new ApolloClient({ link, cache });
}

beforeAll(async () => {
  database = await ownDemoDatabase('cus_apollo');
  app = await startTestApp({}, database.appUrl);
  console.warn = (...args: unknown[]) => {
    complaints.push(args);
    consoleWarn(...args);
  };
  console.error = (...args: unknown[]) => {
    complaints.push(args);
    consoleError(...args);
  };
  client = await dashboardClient();
}, 120_000);

afterAll(async () => {
  console.warn = consoleWarn;
  console.error = consoleError;
  client?.stop();
  await wsClient?.dispose();
  await app?.close();
  await database?.drop();
});

const ids = (list: { id: string }[]) => list.map((x) => x.id);

/** The first result of `source` (its current one included) that `ready` accepts, as a component would render it. */
function resultWhere<T>(source: ObservableInput<T>, ready: (result: T) => boolean, what: string): Promise<T> {
  return firstValueFrom(from(source).pipe(filter(ready), timeout({ first: 10_000, with: () => throwError(() => new Error(`no ${what} within 10 s`)) })));
}

/** The change of the demo's active plan: its first goal said more precisely, its care visits half an hour earlier. */
function changeOf(plan: any) {
  const care = plan.items.find((i: any) => i.startsAt);
  const goalNumber = (goalId: string | null) => (goalId ? ids(plan.goals).indexOf(goalId) + 1 : null);
  const input = {
    id: plan.id,
    revision: plan.revision,
    goals: plan.goals.map((g: any, i: number) => ({ id: g.id, description: i === 0 ? `${g.description} i bez upadków` : g.description })),
    // Lists replace: every item is given back with its id, the care visits moved half an hour earlier.
    items: plan.items.map((item: any) => ({
      id: item.id,
      goal: goalNumber(item.goalId),
      serviceId: item.service.id,
      provider: item.providerKind,
      place: item.placeKind,
      partnerId: item.partner?.id,
      commissionId: item.commission?.id,
      locationId: item.location?.id,
      providerUnitName: item.providerUnitName,
      note: item.note,
      startOn: item.startOn,
      endOn: item.endOn,
      quantity: item.quantity,
      quantityUnit: item.quantityUnit,
      sessionCount: item.sessionCount,
      weekly: item.weekdays
        ? { weekdays: item.weekdays, startsAt: item.id === care.id ? '08:30' : item.startsAt, endsAt: item.id === care.id ? '10:30' : item.endsAt }
        : null,
    })),
  };
  return { care, input };
}

describe("a coordinator's day on the dashboard, through Apollo Client's normalised cache", () => {
  let plans: ObservableQuery<any, any>;
  let watching: Subscription;
  let pages = 0;
  /** Helena's active plan and Krystyna's completed one, as the dashboard lists them. */
  let active: { id: string; revision: number };
  let completed: { id: string; revision: number };
  let updatedRevision: number;

  it('pages through the plans of its gmina with fetchMore, the pages merged into one list', async () => {
    plans = client.watchQuery({ query: PLANS, variables: { first: 2 } });
    // Watched as a component would: the merged list arrives as a new result after each page.
    watching = plans.subscribe(() => {});
    const edgesOf = (r: ObservableQuery.Result<any>) => (r.dataState === 'complete' ? r.data.plans.edges.length : -1);
    let result = await resultWhere(plans, (r) => edgesOf(r) >= 0, 'first page');
    pages = 1;
    while (result.data.plans.pageInfo.hasNextPage) {
      const more = await plans.fetchMore({ variables: { after: result.data.plans.pageInfo.endCursor } });
      expect(more.error).toBeUndefined();
      const merged = edgesOf(result) + more.data.plans.edges.length;
      result = await resultWhere(plans, (r) => edgesOf(r) === merged, `list of ${merged} plans`);
      pages += 1;
    }
    const listed = result.data.plans.edges.map((e: any) => e.node);
    // The same plans, in the same order, as one page asked of the server directly.
    const all = await client.query<any>({ query: PLANS, variables: { first: 100 }, fetchPolicy: 'no-cache' });
    expect(all.error).toBeUndefined();
    expect(ids(listed)).toEqual(ids(all.data.plans.edges.map((e: any) => e.node)));
    expect(pages).toBe(Math.ceil(listed.length / 2));
    expect(pages).toBeGreaterThan(1);
    expect(new Set(ids(listed)).size).toBe(listed.length);
    active = listed.find((p: any) => p.status === 'ACTIVE');
    completed = listed.find((p: any) => p.status === 'COMPLETED');
    expect(active && completed).toBeTruthy();
  });

  it("reads a plan's history: every revision with when, by whom and what changed", async () => {
    const { data, error } = await client.query<any>({ query: HISTORY, variables: { id: active.id } });
    expect(error).toBeUndefined();
    const revisions = data.ipus.revisions;
    expect(revisions.map((r: any) => r.revision)).toEqual(Array.from({ length: active.revision }, (_, i) => active.revision - i));
    for (const revision of revisions) {
      // ISO 8601 at UTC, which the DateTime scalar promises and any client parses.
      expect(revision.changedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(new Date(revision.changedAt).toISOString()).toBe(revision.changedAt);
    }
    expect(revisions.at(-1)).toMatchObject({ revision: 1, kind: 'CREATED', changedByRole: 'COORDINATOR' });
  });

  it('reads revision 1 of a completed plan next to the live plan, and the live goals keep their live values in the cache', async () => {
    const live = await client.query<any>({ query: LIVE_PLAN, variables: { id: completed.id } });
    expect(live.error).toBeUndefined();
    const liveGoals = live.data.ipus.goals;
    // Closed with a summary per goal; at revision 1 (the draft) there was none.
    expect(liveGoals.map((g: any) => g.outcome)).toEqual(['ACHIEVED', 'PARTLY_ACHIEVED']);

    const { data, error } = await client.query<any>({ query: AS_OF, variables: { id: completed.id, revision: 1 } });
    expect(error).toBeUndefined();
    const plan = data.ipus;
    expect(plan.asOfRevision.status).toBe('DRAFT');
    expect(plan.asOfRevision.goals.map((g: any) => [g.description, g.outcome, g.closingSummary])).toEqual(
      liveGoals.map((g: any) => [g.description, null, null]),
    );
    // Side by side in one answer: the live goals as they are now.
    expect(plan.goals.map((g: any) => [g.id, g.outcome, g.closingSummary])).toEqual(liveGoals.map((g: any) => [g.id, g.outcome, g.closingSummary]));
    // The historic goals are other objects than the live ones...
    expect(ids(plan.asOfRevision.goals).filter((id) => ids(liveGoals).includes(id))).toEqual([]);
    // ...so the live plan, read again from the cache as the dashboard would (cache-first), is unchanged.
    const again = await client.query<any>({ query: LIVE_PLAN, variables: { id: completed.id } });
    expect(again.data).toEqual(live.data);
  });

  it('changes the active plan and receives the change live; the cache shows the new revision, and revision 1 does not overwrite it', async () => {
    // A material change of an active plan is proposed and approved first (without the client); the resident's agreement, below, puts it in force.
    const { body: current } = await app.gql(coordinator, LIVE_PLAN.loc!.source.body, { id: active.id });
    const proposal = changeOf(current.data.ipus);
    const proposed = await mutate(app, coordinator, 'ipusChangePropose', 'IpusChangeProposeInput', 'ipus { revision }', {
      ...proposal.input,
      reason: 'Wizyty wcześniej, cel doprecyzowany',
    });
    await mutate(app, staff(Role.DIRECTOR, GMINA), 'ipusChangeApprove', 'IpusRevisionInput', 'ipus { revision }', {
      id: active.id,
      revision: proposed.ipus.revision,
    });
    const feed: any[] = [];
    const feedSubscription = client.subscribe({ query: FEED }).subscribe({ next: (r) => feed.push(r), error: (e) => feed.push({ error: e }) });
    const planEvents = client.subscribe({ query: WATCH_PLAN, variables: { id: active.id } });
    const planEvent = firstValueFrom(planEvents.pipe(filter((r: any) => r.error || r.data?.ipusUpdated)));
    // Live only: the change must come after both subscriptions are in place on the server.
    await app.untilOpenSubscriptions(2);

    const { data: before } = await client.query<any>({ query: LIVE_PLAN, variables: { id: active.id }, fetchPolicy: 'network-only' });
    const plan = before.ipus;
    const { care, input } = proposal;
    const { data: updated, error } = await client.mutate<any>({
      mutation: AGREE,
      variables: { input: { id: plan.id, revision: plan.revision, agreedOn: todayInPoland(), agreementHow: 'IN_WRITING' } },
    });
    expect(error).toBeUndefined();
    expect(updated.ipusChangeAgree.userErrors).toEqual([]);
    updatedRevision = updated.ipusChangeAgree.ipus.revision;
    expect(updatedRevision).toBe(plan.revision + 1);

    // The plan's own subscription, which reads the plan with the event, and the dashboard's feed.
    const event = await planEvent;
    expect(event.error).toBeUndefined();
    expect(event.data.ipusUpdated).toMatchObject({
      revision: updatedRevision,
      kind: 'CHANGE_AGREED',
      ipus: { id: plan.id, revision: updatedRevision, status: 'ACTIVE' },
    });
    expect([...event.data.ipusUpdated.changes].sort()).toEqual(expect.arrayContaining(['goals', 'items', 'pendingRevision']));
    const deadline = Date.now() + 10_000;
    while (!feed.some((r) => r.error || r.data?.ipusFeed?.ipusId === plan.id) && Date.now() < deadline) await settle(50);
    expect(feed.filter((r) => r.error)).toEqual([]);
    expect(feed.map((r) => r.data.ipusFeed)).toEqual([
      expect.objectContaining({ ipusId: plan.id, revision: updatedRevision, kind: 'CHANGE_AGREED', gmina: GMINA }),
    ]);
    expect(new Date(feed[0].data.ipusFeed.occurredAt).toISOString()).toBe(feed[0].data.ipusFeed.occurredAt);
    feedSubscription.unsubscribe();

    // The list the dashboard is watching and the plan in the cache both show the new revision.
    await resultWhere(
      plans,
      (r) => r.dataState === 'complete' && r.data.plans.edges.some((e: any) => e.node.id === plan.id && e.node.revision === updatedRevision),
      'watched list with the new revision',
    );
    const cached = await client.query<any>({ query: LIVE_PLAN, variables: { id: plan.id } });
    expect(cached.data.ipus.revision).toBe(updatedRevision);
    expect(cached.data.ipus.goals[0].description).toBe(input.goals[0].description);

    // Revision 1 next to the live plan: the goal as first written, the care visits at their first time...
    const { data: asOf, error: asOfError } = await client.query<any>({ query: AS_OF, variables: { id: plan.id, revision: 1 } });
    expect(asOfError).toBeUndefined();
    const first = asOf.ipus.asOfRevision;
    expect(first.goals[0].description).toBe(plan.goals[0].description);
    expect(first.items.find((i: any) => i.startsAt).startsAt).toBe(care.startsAt);
    // ...and the live plan still as it is now, in that answer and in the cache.
    expect(asOf.ipus.goals[0].description).toBe(input.goals[0].description);
    const after = await client.query<any>({ query: LIVE_PLAN, variables: { id: plan.id } });
    expect(after.data).toEqual(cached.data);
    expect(after.data.ipus.items.find((i: any) => i.id === care.id)).toMatchObject({
      startsAt: expect.stringMatching(/^08:30/),
      endsAt: expect.stringMatching(/^10:30/),
    });

    // The history, fetched again because the event said the plan changed, starts with the change.
    const history = await client.query<any>({ query: HISTORY, variables: { id: plan.id }, fetchPolicy: 'network-only' });
    expect(history.error).toBeUndefined();
    expect(history.data.ipus.revisions[0]).toMatchObject({ revision: updatedRevision, kind: 'CHANGE_AGREED', changedByRole: 'COORDINATOR' });
  });

  it('said nothing is wrong: no warning or error from the client or its cache', () => {
    watching?.unsubscribe();
    expect(complaints).toEqual([]);
  });
});
