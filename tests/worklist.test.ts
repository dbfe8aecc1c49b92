import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawAsApp, rawAsOwner, Role, startTestApp, type GraphQLResponse, type TestApp, type Who } from './support/app.js';
import { addDays, errorsOf, mutate, staff, today, tryMutate } from './support/fixtures.js';
import { planWorld, type PlanWorld } from './support/plan-world.js';
import { settle, stopAndWait, subscribe, subscribeAndWait } from './support/subscriptions.js';
import { fromGlobalId, toGlobalId } from '../src/platform/graphql/node.js';
import { addMonths } from '../src/modules/common/dates.js';
import { sessionVariables } from '../src/platform/auth/principal.js';

/**
 * The worklist (issue 20), through GraphQL over HTTP and WebSocket as each role: what a coordinator,
 * a director and a services organiser must act on, by due date; the director's counts per unit;
 * the live subscription; another gmina's staff seeing none of it; a partner refused.
 */
let app: TestApp;
let world: PlanWorld;
const GMINA = '2609043';
const OTHER = '2609052';
/** The demo's Wiązowna, whose centre holds a partner's submitted settlement (seeds/demo/settlements.ts). */
const WIAZOWNA = '1417082';
const DEMO_SETTLEMENT = toGlobalId('Settlement', '0193a000-0000-7000-803d-000000000001');

const SHORT_END = addDays(addMonths(today(), 3), -1);
const ITEM = 'kind dueOn overdue subjectId title actorRoles actorName cusUnitId';
const PLAN = 'ipus { id revision status }';

interface Item {
  kind: string;
  dueOn: string;
  overdue: boolean;
  subjectId: string;
  title: string;
  actorRoles: string[];
  actorName: string | null;
}

async function worklist(who: Who | string, dueWithin?: number): Promise<Item[]> {
  const res = await app.gql(who, `query($d: Int) { worklist(first: 100, dueWithin: $d) { nodes { ${ITEM} } totalCount } }`, { d: dueWithin });
  expect(res.body.errors).toBeUndefined();
  expect(res.body.data.worklist.totalCount).toBe(res.body.data.worklist.nodes.length);
  return res.body.data.worklist.nodes;
}

const kindsOf = (items: Item[], subjectId: string) => items.filter((i) => i.subjectId === subjectId).map((i) => i.kind);

let overdueApplication: string;
let freshApplication: string;
/** The applications that have a plan (whatever its state): none of them is due for one. */
const planned: string[] = [];
let awaitingApproval: { id: string; revision: number };
let awaitingAgreement: { id: string; revision: number };
let ending: { id: string; revision: number };

beforeAll(async () => {
  app = await startTestApp();
  world = await planWorld(app, GMINA, OTHER);
  overdueApplication = (await world.application(40)).applicationId;
  freshApplication = (await world.application(5)).applicationId;

  const submit = async (input: Record<string, unknown>) => {
    planned.push(input.applicationId as string);
    const created = (await mutate(app, world.coordinator, 'ipusCreate', 'IpusCreateInput', PLAN, input)).ipus;
    return (await mutate(app, world.coordinator, 'ipusSubmit', 'IpusRevisionInput', PLAN, { id: created.id, revision: created.revision })).ipus;
  };
  const approve = async (plan: { id: string; revision: number }) =>
    (await mutate(app, world.director, 'ipusApprove', 'IpusRevisionInput', PLAN, { id: plan.id, revision: plan.revision })).ipus;

  awaitingApproval = await submit(world.draftInput((await world.application(10)).applicationId));
  awaitingAgreement = await approve(await submit(world.draftInput((await world.application(20)).applicationId)));
  // A plan of the shortest period allowed, three months: it ends within a horizon of 100 days.
  const short = world.draftInput((await world.application(3)).applicationId) as { periodEnd: string; items: { endOn: string }[] };
  short.periodEnd = SHORT_END;
  short.items[0].endOn = short.periodEnd;
  const approved = await approve(await submit(short));
  ending = (
    await mutate(app, world.coordinator, 'ipusActivate', 'IpusActivateInput', PLAN, {
      id: approved.id,
      revision: approved.revision,
      agreedOn: today(),
      agreementHow: 'IN_WRITING',
    })
  ).ipus;
}, 120_000);

afterAll(async () => {
  await app?.close();
});

describe('the coordinator', () => {
  it('sees the applications of the unit without a plan, due 30 days after filing, the overdue one first', async () => {
    const items = await worklist(world.coordinator);
    const due = items.filter((i) => i.kind === 'PLAN_DUE');
    expect(due.map((i) => i.subjectId)).toEqual(expect.arrayContaining([overdueApplication, freshApplication]));
    const old = due.find((i) => i.subjectId === overdueApplication) as Item;
    expect(old).toMatchObject({ dueOn: addDays(today(), -10), overdue: true, actorRoles: ['COORDINATOR'], actorName: null });
    expect(old.title).toMatch(/^Application no\. \d+ of .*: no plan yet$/);
    expect(items[0].subjectId).toBe(overdueApplication);
    expect(due.find((i) => i.subjectId === freshApplication)).toMatchObject({ dueOn: addDays(today(), 25), overdue: false });
    // An application with a plan (whatever its state) is not listed as due.
    expect(planned).toHaveLength(3);
    expect(due.map((i) => i.subjectId).filter((id) => planned.includes(id))).toEqual([]);
    expect(kindsOf(items, awaitingApproval.id)).toEqual([]);
    // The list is in due-date order.
    expect(items.map((i) => i.dueOn)).toEqual([...items.map((i) => i.dueOn)].sort());
  });

  it("sees their own plans awaiting the resident's agreement and ending, but not the approvals", async () => {
    expect(kindsOf(await worklist(world.coordinator), ending.id)).toEqual([]);
    const items = await worklist(world.coordinator, 100);
    expect(kindsOf(items, awaitingAgreement.id)).toEqual(['PLAN_AGREEMENT']);
    expect(items.find((i) => i.subjectId === awaitingAgreement.id)).toMatchObject({ actorName: 'Anna Koordynatorka', dueOn: addDays(today(), 10) });
    expect(kindsOf(items, ending.id)).toContain('PLAN_ENDING');
    expect(items.find((i) => i.subjectId === ending.id)?.dueOn).toBe(SHORT_END);
    expect(items.some((i) => i.kind === 'PLAN_APPROVAL' || i.kind === 'SETTLEMENT_ACCEPTANCE')).toBe(false);
  });

  it("another coordinator of the unit shares the applications but not a colleague's plans", async () => {
    const colleague = await app.token(world.coordinator, { subject: 'dev-coordinator-2' });
    const items = await worklist(colleague);
    expect(items.map((i) => i.subjectId)).toEqual(expect.arrayContaining([overdueApplication, freshApplication]));
    expect(items.filter((i) => i.subjectId === awaitingAgreement.id || i.subjectId === ending.id)).toEqual([]);
  });

  it('dueWithin widens and narrows the horizon; overdue items stay; a bad one is refused', async () => {
    const narrow = await worklist(world.coordinator, 0);
    expect(narrow.every((i) => i.dueOn <= today())).toBe(true);
    expect(narrow.map((i) => i.subjectId)).toContain(overdueApplication);
    const wide = await worklist(world.coordinator, 200);
    // The monitoring of the active plan, due 90 days (the default interval) after its activation.
    expect(wide.find((i) => i.subjectId === ending.id && i.kind === 'MONITORING_DUE')?.dueOn).toBe(addDays(today(), 90));
    const bad = await app.gql(world.coordinator, `{ worklist(dueWithin: 400) { nodes { kind } } }`);
    expect(bad.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('pages with the house keyset cursors, the same items in the same order as one page', async () => {
    const all = await worklist(world.coordinator, 200);
    const paged: string[] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 50; guard++) {
      const res: GraphQLResponse = await app.gql(
        world.coordinator,
        `query($after: String) { worklist(first: 2, after: $after, dueWithin: 200) { nodes { kind subjectId } pageInfo { hasNextPage endCursor } } }`,
        {
          after,
        },
      );
      expect(res.body.errors).toBeUndefined();
      const page: { nodes: Item[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } = res.body.data.worklist;
      paged.push(...page.nodes.map((n: Item) => `${n.kind} ${n.subjectId}`));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(paged).toEqual(all.map((n) => `${n.kind} ${n.subjectId}`));
    const forged = await app.gql(world.coordinator, `{ worklist(after: "eyJ4IjoxfQ") { nodes { kind } } }`);
    expect(forged.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('reads the whole list in one statement, whatever its length', async () => {
    app.statements.length = 0;
    await worklist(world.coordinator, 200);
    const reads = app.statements.filter((s) => /from application a/.test(s));
    // The page and its totalCount.
    expect(reads).toHaveLength(2);
  });

  it('a monitoring note moves the monitoring due date, by the interval the unit sets', async () => {
    const unit = (
      await app.gql(world.director, `query($id: ID!) { node(id: $id) { ... on CusUnit { version monitoringIntervalDays } } }`, { id: world.unitId })
    ).body.data.node;
    expect(unit.monitoringIntervalDays).toBe(90);
    const refused = await tryMutate(app, world.director, 'cusUnitUpdate', 'CusUnitUpdateInput', 'cusUnit { monitoringIntervalDays }', {
      id: world.unitId,
      version: unit.version,
      monitoringIntervalDays: 0,
    });
    expect(errorsOf(refused, 'cusUnitUpdate')).toEqual([['input.monitoringIntervalDays', 'OUT_OF_RANGE']]);
    const unchanged = (
      await app.gql(world.director, `query($id: ID!) { node(id: $id) { ... on CusUnit { version monitoringIntervalDays } } }`, { id: world.unitId })
    ).body.data.node;
    expect(unchanged).toEqual(unit);

    await mutate(app, world.director, 'cusUnitUpdate', 'CusUnitUpdateInput', 'cusUnit { monitoringIntervalDays }', {
      id: world.unitId,
      version: unit.version,
      monitoringIntervalDays: 7,
    });
    let items = await worklist(world.coordinator);
    expect(items.find((i) => i.subjectId === ending.id && i.kind === 'MONITORING_DUE')?.dueOn).toBe(addDays(today(), 7));
    // Activated 5 days ago (the API activates today only): due in 2 days, until today's note moves it to 7.
    await rawAsOwner(`update ipus set activated_on = activated_on - 5 where id = $1`, [fromGlobalId(ending.id).key]);
    items = await worklist(world.coordinator);
    expect(items.find((i) => i.subjectId === ending.id && i.kind === 'MONITORING_DUE')).toMatchObject({
      dueOn: addDays(today(), 2),
      title: `Plan active since ${addDays(today(), -5)} has no monitoring note`,
    });
    ending.revision = await world.note(ending as never);
    items = await worklist(world.coordinator);
    expect(items.find((i) => i.subjectId === ending.id && i.kind === 'MONITORING_DUE')).toMatchObject({
      dueOn: addDays(today(), 7),
      title: `Plan's last monitoring note was on ${today()}`,
    });
  });
});

describe('the director and the services organiser', () => {
  it('see the plans awaiting approval, and not the coordinator’s items', async () => {
    for (const who of [world.director, world.organiser]) {
      const items = await worklist(who);
      expect(kindsOf(items, awaitingApproval.id)).toEqual(['PLAN_APPROVAL']);
      expect(items.find((i) => i.subjectId === awaitingApproval.id)).toMatchObject({
        actorRoles: ['DIRECTOR', 'SERVICES_ORGANISER'],
        dueOn: addDays(today(), 20),
      });
      expect(items.filter((i) => ['PLAN_DUE', 'PLAN_AGREEMENT', 'PLAN_ENDING', 'MONITORING_DUE'].includes(i.kind))).toEqual([]);
    }
  });

  it("see the partner's submitted settlement to accept (the demo's Wiązowna)", async () => {
    for (const role of [Role.DIRECTOR, Role.SERVICES_ORGANISER]) {
      const items = await worklist(staff(role, WIAZOWNA));
      expect(kindsOf(items, DEMO_SETTLEMENT)).toEqual(['SETTLEMENT_ACCEPTANCE']);
      expect(items.find((i) => i.subjectId === DEMO_SETTLEMENT)?.title).toMatch(/^Settlement of \d{4}-\d{2} for .* awaits acceptance$/);
    }
    expect(kindsOf(await worklist(staff(Role.COORDINATOR, WIAZOWNA)), DEMO_SETTLEMENT)).toEqual([]);
  });

  it('the director counts every unit’s items per kind; others may not', async () => {
    const res = await app.gql(
      world.director,
      `{ worklistCounts(dueWithin: 200) { cusUnitId unitName total overdue kinds { kind count overdue } cusUnit { id } } }`,
    );
    expect(res.body.errors).toBeUndefined();
    const units = res.body.data.worklistCounts;
    expect(units.map((u: { cusUnitId: string }) => u.cusUnitId)).toEqual([world.unitId]);
    const [unit] = units;
    expect(unit.cusUnit.id).toBe(world.unitId);
    const count = (kind: string) => unit.kinds.find((k: { kind: string }) => k.kind === kind);
    expect(count('PLAN_DUE').count).toBeGreaterThanOrEqual(2);
    expect(count('PLAN_DUE').overdue).toBeGreaterThanOrEqual(1);
    expect(count('PLAN_APPROVAL').count).toBe(1);
    expect(count('PLAN_AGREEMENT').count).toBe(1);
    expect(count('PLAN_ENDING').count).toBe(1);
    expect(unit.total).toBe(unit.kinds.reduce((n: number, k: { count: number }) => n + k.count, 0));
    for (const who of [world.coordinator, world.organiser]) {
      const refused = await app.gql(who, `{ worklistCounts { total } }`);
      expect(refused.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
  });
});

describe('a change of an active plan', () => {
  it('waits for the approvers, then for the coordinator to record the agreement', async () => {
    const proposed = (
      await mutate(app, world.coordinator, 'ipusChangePropose', 'IpusChangeProposeInput', PLAN, {
        id: ending.id,
        revision: ending.revision,
        periodEnd: addDays(SHORT_END, 30),
        reason: 'Rehabilitacja przedłużona',
      })
    ).ipus;
    const forApprovers = await worklist(world.organiser);
    expect(kindsOf(forApprovers, ending.id)).toEqual(['CHANGE_APPROVAL']);
    expect(forApprovers.find((i) => i.subjectId === ending.id)).toMatchObject({
      dueOn: addDays(today(), 14),
      title: `Change of the plan proposed on ${today()} awaits approval`,
    });
    expect(kindsOf(await worklist(world.coordinator), ending.id)).not.toContain('CHANGE_AGREEMENT');

    const approved = (await mutate(app, world.director, 'ipusChangeApprove', 'IpusRevisionInput', PLAN, { id: ending.id, revision: proposed.revision })).ipus;
    ending.revision = approved.revision;
    expect(kindsOf(await worklist(world.director), ending.id)).toEqual([]);
    expect(kindsOf(await worklist(world.coordinator), ending.id)).toContain('CHANGE_AGREEMENT');
    expect(kindsOf(await worklist(world.otherCoordinator, 366), ending.id)).toEqual([]);
  });
});

describe('tenants and roles', () => {
  it("another gmina's staff see none of it", async () => {
    const ours = new Set([overdueApplication, freshApplication, awaitingApproval.id, awaitingAgreement.id, ending.id]);
    for (const who of [world.otherCoordinator, world.otherDirector, staff(Role.SERVICES_ORGANISER, OTHER)]) {
      const items = await worklist(who, 366);
      expect(items.filter((i) => ours.has(i.subjectId))).toEqual([]);
    }
    const counts = await app.gql(world.otherDirector, `{ worklistCounts(dueWithin: 366) { cusUnitId total } }`);
    expect(counts.body.data.worklistCounts.map((u: { cusUnitId: string }) => u.cusUnitId)).not.toContain(world.unitId);
    expect(kindsOf(await worklist(staff(Role.DIRECTOR, OTHER)), DEMO_SETTLEMENT)).toEqual([]);
  });

  it('a partner and other roles without casework are refused', async () => {
    for (const who of world.outsiders) {
      const res = await app.gql(who, `{ worklist { nodes { kind } } }`);
      expect(res.body.errors?.[0].extensions?.code).toMatch(/FORBIDDEN|UNAUTHENTICATED/);
      expect(res.body.data?.worklist ?? null).toBeNull();
    }
    const open = await app.openSubscriptions();
    const partner = { role: Role.PARTNER, partner: '0193a000-0000-7000-8010-000000000007' };
    const refused = subscribe(app.ws(partner), `subscription { worklistChanged { eventId total } }`);
    await refused.ended;
    expect(JSON.stringify(refused.error ?? refused.results)).toContain('FORBIDDEN');
    expect(await app.openSubscriptions()).toBe(open);
  });
});

describe('live', () => {
  const SUBSCRIPTION = `subscription($after: String) { worklistChanged(after: $after) { eventId subjectId total overdue kinds { kind count overdue } } }`;

  it('tells the coordinator and the director when an approval changes their worklists, and not another gmina', async () => {
    const coordinator = await subscribeAndWait(app, app.ws(world.coordinator), SUBSCRIPTION);
    const director = await subscribeAndWait(app, app.ws(world.director), SUBSCRIPTION);
    const other = await subscribeAndWait(app, app.ws(world.otherCoordinator), SUBSCRIPTION);
    const before = await worklist(world.coordinator);

    const approved = (
      await mutate(app, world.director, 'ipusApprove', 'IpusRevisionInput', PLAN, { id: awaitingApproval.id, revision: awaitingApproval.revision })
    ).ipus;
    const [toCoordinator] = await coordinator.waitFor(1);
    const [toDirector] = await director.waitFor(1);
    expect(toCoordinator.worklistChanged.subjectId).toBe(approved.id);
    expect(toCoordinator.worklistChanged.total).toBe(before.length + 1);
    expect(toCoordinator.worklistChanged.kinds.find((k: { kind: string }) => k.kind === 'PLAN_AGREEMENT').count).toBe(2);
    expect(toDirector.worklistChanged.kinds.find((k: { kind: string }) => k.kind === 'PLAN_APPROVAL')).toBeUndefined();
    expect(toDirector.worklistChanged.eventId).toBe(toCoordinator.worklistChanged.eventId);

    // A second monitoring note the same day changes no one's worklist: nothing is sent for it. The
    // resident's agreement then does change the coordinator's, and is the next thing they receive.
    ending.revision = await world.note(ending as never);
    const activated = (
      await mutate(app, world.coordinator, 'ipusActivate', 'IpusActivateInput', PLAN, {
        id: approved.id,
        revision: approved.revision,
        agreedOn: today(),
        agreementHow: 'ORALLY_IN_PERSON',
      })
    ).ipus;
    const [, next] = await coordinator.waitFor(2);
    expect(next.worklistChanged.subjectId).toBe(activated.id);
    expect(next.worklistChanged.kinds.find((k: { kind: string }) => k.kind === 'PLAN_AGREEMENT').count).toBe(1);
    await settle();
    expect(director.results).toHaveLength(1);
    expect(other.results).toEqual([]);

    // Resumed from before the approval: the counts as they are now, once, with the newest event since.
    const eventId = BigInt(toCoordinator.worklistChanged.eventId);
    app.statements.length = 0;
    const resumed = await subscribeAndWait(app, app.ws(world.coordinator), SUBSCRIPTION, { after: String(eventId - 1n) });
    const [again] = await resumed.waitFor(1);
    expect(again.worklistChanged.eventId).toBe(next.worklistChanged.eventId);
    expect(again.worklistChanged.subjectId).toBe(activated.id);
    expect(again.worklistChanged.kinds).toEqual(next.worklistChanged.kinds);
    // Three events were replayed (the approval, the note, the agreement): the worklist was read once for them all.
    expect(app.statements.filter((s) => /from application a/.test(s))).toHaveLength(1);
    await settle();
    expect(resumed.results).toHaveLength(1);
    await stopAndWait(app, coordinator, director, other, resumed);
  });

  it('tells the coordinators of a new application at once, with its id, and on resume; not the director, nor another gmina', async () => {
    const coordinator = await subscribeAndWait(app, app.ws(world.coordinator), SUBSCRIPTION);
    const director = await subscribeAndWait(app, app.ws(world.director), SUBSCRIPTION);
    const other = await subscribeAndWait(app, app.ws(world.otherCoordinator), SUBSCRIPTION);
    const dueBefore = (await worklist(world.coordinator)).filter((item) => item.kind === 'PLAN_DUE').length;
    const { applicationId } = await world.application(3);
    const [change] = await coordinator.waitFor(1);
    expect(change.worklistChanged.subjectId).toBe(applicationId);
    expect(change.worklistChanged.kinds.find((k: { kind: string }) => k.kind === 'PLAN_DUE').count).toBe(dueBefore + 1);
    // What the subscription said is what the worklist now holds.
    const now = await worklist(world.coordinator);
    expect(now.filter((item) => item.kind === 'PLAN_DUE')).toHaveLength(dueBefore + 1);
    expect(kindsOf(now, applicationId)).toEqual(['PLAN_DUE']);
    await settle();
    // Its qualification (the same item, due the same day) sends nothing more.
    expect(coordinator.results).toHaveLength(1);
    expect(director.results).toEqual([]);
    expect(other.results).toEqual([]);
    await stopAndWait(app, coordinator, director, other);

    // Resumed from before the filing: the counts now, once, with the application's newest event.
    const resumed = await subscribeAndWait(app, app.ws(world.coordinator), SUBSCRIPTION, { after: String(BigInt(change.worklistChanged.eventId) - 1n) });
    const [again] = await resumed.waitFor(1);
    expect(again.worklistChanged.subjectId).toBe(applicationId);
    expect(again.worklistChanged.kinds).toEqual(change.worklistChanged.kinds);
    await stopAndWait(app, resumed);

    // The events themselves, as raw SQL under each role's settings: the filing and the qualification, for the staff who
    // read applications in that gmina only.
    const eventsAs = async (role: Role, gmina: string) =>
      rawAsApp<{ kind: string; changes: string[] }>(
        `select kind, changes from outbox_event where topic = 'APPLICATION' and subject_id = $1 order by id`,
        [fromGlobalId(applicationId).key],
        sessionVariables({ subject: 'raw', role, gminy: [Number(gmina)], partnerId: null }),
      );
    const expected = [
      { kind: 'FILED', changes: [] },
      { kind: 'QUALIFIED', changes: ['status'] },
    ];
    for (const role of [Role.COORDINATOR, Role.DIRECTOR, Role.SERVICES_ORGANISER])
      expect({ role, events: await eventsAs(role, GMINA) }).toEqual({ role, events: expected });
    for (const [role, gmina] of [
      [Role.GMINA_OFFICIAL, GMINA],
      [Role.COMMUNITY_ORGANISER, GMINA],
      [Role.MINISTRY, GMINA],
      [Role.PARTNER, GMINA],
      [Role.COORDINATOR, OTHER],
    ] as const) {
      expect({ role, gmina, events: await eventsAs(role, gmina) }).toEqual({ role, gmina, events: [] });
    }
  });

  it("does not recount the director's worklist for a monitoring note, which cannot change it", async () => {
    const sub = await subscribeAndWait(app, app.ws(world.director), SUBSCRIPTION);
    const feed = await subscribeAndWait(app, app.ws(world.director), `subscription { ipusFeed { eventId } }`);
    app.statements.length = 0;
    ending.revision = await world.note(ending as never);
    await feed.waitFor(1);
    await settle();
    // The worklist's statement, whose first branch lists the applications due for a plan.
    expect(app.statements.filter((s) => /'PLAN_DUE'::text as kind/.test(s))).toEqual([]);
    expect(sub.results).toEqual([]);
    await stopAndWait(app, sub, feed);
  });

  it('tells the director when a settlement is returned', async () => {
    const director = staff(Role.DIRECTOR, WIAZOWNA);
    const sub = await subscribeAndWait(app, app.ws(director), SUBSCRIPTION);
    const read = await app.gql(director, `query($id: ID!) { settlement(id: $id) { version } }`, { id: DEMO_SETTLEMENT });
    await mutate(app, director, 'settlementReturn', 'SettlementDecisionInput', 'settlement { status }', {
      id: DEMO_SETTLEMENT,
      version: read.body.data.settlement.version,
      reason: 'Brak podpisu',
    });
    const [change] = await sub.waitFor(1);
    expect(change.worklistChanged.subjectId).toBe(DEMO_SETTLEMENT);
    expect(change.worklistChanged.kinds.find((k: { kind: string }) => k.kind === 'SETTLEMENT_ACCEPTANCE')).toBeUndefined();
    expect(kindsOf(await worklist(director), DEMO_SETTLEMENT)).toEqual([]);
    await stopAndWait(app, sub);
  });
});
