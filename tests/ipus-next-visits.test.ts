import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { codes, rawAsApp, rawAsOwner, Role, startTestApp, type TestApp, type Who } from './support/app.js';
import { addDays, mutate, today } from './support/fixtures.js';
import { planWorld, type PlanWorld } from './support/plan-world.js';
import { sessionVariables } from '../src/platform/auth/principal.js';
import { fromGlobalId } from '../src/platform/graphql/node.js';
import { isPublicHoliday } from '../src/modules/calendar/public-holidays.js';

/**
 * `IpusItem.nextVisits(first:)`: the next days of an item's weekly schedule from today (in Poland),
 * within the item's dates and the plan's period, read through the SQL function
 * `ipus_item_next_visits` under the caller's row-level security, for every item of a request in one
 * statement. Expected dates are worked out here from today's date, so the suite holds on any day. Public
 * holidays and days the gmina declared closed are skipped, unless the item keeps holidays (issue 20).
 * Gminy (opolskie): Brzeg (1601011), and Skarbimierz (1601022) to try to cross over from.
 */
const GMINA = '1601011';
const OTHER = '1601022';
const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

let app: TestApp;
let world: PlanWorld;

beforeAll(async () => {
  app = await startTestApp();
  world = await planWorld(app, GMINA, OTHER);
}, 60_000);
afterAll(async () => {
  await app.close();
});

/** Days this suite declared closed in GMINA. */
const closedDays = new Set<string>();

/**
 * The first `n` days from `from` to `to` (inclusive) whose weekday is one of `weekdays`, worked out day by day,
 * without public holidays and GMINA's closed days unless `keepsHolidays`.
 */
function visitsBetween(from: string, to: string, weekdays: string[], n: number, keepsHolidays = false): string[] {
  const days: string[] = [];
  for (let day = from; day <= to && days.length < n; day = addDays(day, 1)) {
    const isoIndex = (new Date(`${day}T12:00:00Z`).getUTCDay() + 6) % 7;
    const off = !keepsHolidays && (isPublicHoliday(day) || closedDays.has(day));
    if (weekdays.includes(WEEKDAYS[isoIndex]) && !off) days.push(day);
  }
  return days;
}

const weekly = (weekdays: string[], startOn: string, endOn: string, keepsHolidays = false) => ({
  goal: 1,
  serviceId: world.serviceId,
  provider: 'CUS',
  place: 'RESIDENT_HOME',
  weekly: { weekdays, startsAt: '10:00', endsAt: '11:00', keepsHolidays },
  startOn,
  endOn,
  quantity: 1,
  quantityUnit: 'HOURS',
});

const PLAN = 'ipus { id revision status items { id position } }';
/** The plan's period starts up to two weeks ago, yet not before the year's programme (adopted from 1 January). */
const periodStart = () => [addDays(today(), -14), `${today().slice(0, 4)}-01-01`].sort()[1];

/** A DRAFT plan with these items; returns its id, revision and item ids in order. */
async function planWith(items: Record<string, unknown>[]) {
  const { applicationId } = await world.application(20);
  const start = periodStart();
  const input = { ...world.draftInput(applicationId), periodStart: start, periodEnd: addDays(start, 180), items };
  const created = await mutate(app, world.coordinator, 'ipusCreate', 'IpusCreateInput', PLAN, input);
  return { id: created.ipus.id as string, revision: created.ipus.revision as number, items: created.ipus.items.map((i: { id: string }) => i.id) as string[] };
}

const VISITS = `query($id: ID!, $first: Int!) { ipus(id: $id) { items { position weekdays sessionCount nextVisits(first: $first) defaultVisits: nextVisits } } }`;

async function visitsOf(who: Who, planId: string, first = 3): Promise<{ nextVisits: string[]; defaultVisits: string[] }[]> {
  const res = await app.gql(who, VISITS, { id: planId, first });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.ipus.items;
}

describe('the next visits of a plan item', () => {
  test('weekly items give their next days from today within their dates; sessions give none', async () => {
    const start = periodStart();
    const t = today();
    const plan = await planWith([
      // Started before today: past days are not visits to come.
      weekly(['MO', 'TH'], start, addDays(start, 150)),
      // Ends within the week: any 7 days hold one Monday and one Thursday, so two visits are left, not three.
      weekly(['MO', 'TH'], t, addDays(t, 6)),
      // Starts in ten days.
      weekly(['TU', 'SA', 'SU'], addDays(t, 10), addDays(t, 100)),
      {
        goal: 1,
        serviceId: world.serviceId,
        provider: 'CUS',
        place: 'ONLINE',
        sessionCount: 6,
        startOn: t,
        endOn: addDays(t, 60),
        quantity: 6,
        quantityUnit: 'SESSIONS',
      },
    ]);
    const expected = [
      visitsBetween(t, addDays(start, 150), ['MO', 'TH'], 10),
      visitsBetween(t, addDays(t, 6), ['MO', 'TH'], 10),
      visitsBetween(addDays(t, 10), addDays(t, 100), ['TU', 'SA', 'SU'], 10),
      [],
    ];
    expect(expected[1]).toHaveLength(2);

    const items = await visitsOf(world.coordinator, plan.id, 10);
    expect(items.map((i) => i.nextVisits)).toEqual(expected);
    // By default three.
    expect(items.map((i) => i.defaultVisits)).toEqual(expected.map((days) => days.slice(0, 3)));
    expect(items[0].nextVisits[0] >= t).toBe(true);
    // The maximum, 31: a weekly item's days continue week after week.
    const most = await visitsOf(world.director, plan.id, 31);
    expect(most[0].nextVisits).toEqual(visitsBetween(t, addDays(start, 150), ['MO', 'TH'], 31));
    expect(most[0].nextVisits).toHaveLength(31);
  });

  test('a plan in progress or on its way shows its visits; a completed or terminated one has none to come', async () => {
    const plan = await planWith([weekly(['WE'], today(), addDays(today(), 90))]);
    const expected = visitsBetween(today(), addDays(today(), 90), ['WE'], 3);
    expect((await visitsOf(world.coordinator, plan.id))[0].nextVisits).toEqual(expected);

    const step = async (who: Who, field: string, inputType: string, input: Record<string, unknown> = {}) => {
      const payload = await mutate(app, who, field, inputType, PLAN, { id: plan.id, revision: plan.revision, ...input });
      plan.revision = payload.ipus.revision;
      return payload.ipus.status as string;
    };
    expect(await step(world.coordinator, 'ipusSubmit', 'IpusRevisionInput')).toBe('AWAITING_APPROVAL');
    expect((await visitsOf(world.director, plan.id))[0].nextVisits).toEqual(expected);
    expect(await step(world.director, 'ipusApprove', 'IpusRevisionInput')).toBe('APPROVED');
    expect((await visitsOf(world.coordinator, plan.id))[0].nextVisits).toEqual(expected);
    expect(await step(world.coordinator, 'ipusActivate', 'IpusActivateInput', { agreedOn: today(), agreementHow: 'IN_WRITING' })).toBe('ACTIVE');
    expect((await visitsOf(world.organiser, plan.id))[0].nextVisits).toEqual(expected);
    expect(await step(world.director, 'ipusTerminate', 'IpusTerminateInput', { reasonCode: 'MOVED_AWAY', reason: 'Przeprowadzka' })).toBe('TERMINATED');
    expect((await visitsOf(world.coordinator, plan.id))[0].nextVisits).toEqual([]);
  });

  test('first must be between 1 and 31: 0 and 32 are refused with BAD_USER_INPUT', async () => {
    const plan = await planWith([weekly(['FR'], today(), addDays(today(), 30))]);
    for (const first of [0, 32, -1]) {
      const res = await app.gql(world.coordinator, `query($id: ID!, $first: Int!) { ipus(id: $id) { id items { nextVisits(first: $first) } } }`, {
        id: plan.id,
        first,
      });
      expect({ first, codes: codes(res) }).toEqual({ first, codes: ['BAD_USER_INPUT'] });
      expect(res.body.errors?.[0].message).toBe('nextVisits(first:) must be between 1 and 31');
      expect(res.body.data?.ipus ?? null).toBeNull();
    }
    expect((await visitsOf(world.coordinator, plan.id, 1))[0].nextVisits).toEqual(visitsBetween(today(), addDays(today(), 30), ['FR'], 1));
  });

  test("another gmina's coordinator cannot read the item or its visits, through the API or as raw SQL", async () => {
    const plan = await planWith([weekly(['MO', 'TU', 'WE', 'TH', 'FR'], today(), addDays(today(), 60))]);
    const itemId = plan.items[0];
    expect((await app.gql(world.otherCoordinator, VISITS, { id: plan.id, first: 3 })).body.data.ipus).toBeNull();
    const node = await app.gql(world.otherCoordinator, `query($id: ID!) { node(id: $id) { id ... on IpusItem { nextVisits } } }`, { id: itemId });
    expect(node.body.errors).toBeUndefined();
    expect(node.body.data.node).toBeNull();
    const listed = await app.gql(world.otherCoordinator, '{ plans(first: 100) { nodes { id items { nextVisits } } } }');
    expect(listed.body.data.plans.nodes.map((n: { id: string }) => n.id)).not.toContain(plan.id);

    // The function runs with the caller's rights: even handed the whole row, it reads the plan under
    // row-level security and returns nothing for a plan the caller may not see.
    const [{ row }] = await rawAsOwner<{ row: unknown }>('select to_jsonb(i) as row from ipus_item i where id = $1', [fromGlobalId(itemId).key]);
    const sql = 'select d::text as day from ipus_item_next_visits(jsonb_populate_record(null::ipus_item, $1), 3) as d';
    const as = (gmina: string) => sessionVariables({ role: Role.COORDINATOR, gminy: [Number(gmina)], partnerId: null, subject: 'raw' });
    expect(await rawAsApp(sql, [row], as(OTHER))).toEqual([]);
    expect(await rawAsApp('select id from ipus_item where id = $1', [fromGlobalId(itemId).key], as(OTHER))).toEqual([]);
    // The same call as the plan's own coordinator finds the visits, so the refusals above are not vacuous.
    const mine = (await rawAsApp<{ day: string }>(sql, [row], as(GMINA))).map((r) => r.day);
    expect(mine).toEqual(visitsBetween(today(), addDays(today(), 60), ['MO', 'TU', 'WE', 'TH', 'FR'], 3));
    expect((await visitsOf(world.coordinator, plan.id))[0].nextVisits).toEqual(mine);
  });

  test('every item of a request is answered by one statement per first, whatever the number of plans and items', async () => {
    const made: string[] = [];
    for (let i = 0; i < 3; i += 1)
      made.push((await planWith([weekly(['MO'], today(), addDays(today(), 40)), weekly(['SA', 'SU'], today(), addDays(today(), 40))])).id);
    const QUERY = `query($first: Int!) { plans(first: $first, filter: { statuses: [DRAFT] }) { nodes { id
      items { position soon: nextVisits(first: 2) later: nextVisits(first: 5) again: nextVisits(first: 2) } } } }`;
    const counted = async (first: number) => {
      app.statements.length = 0;
      const res = await app.gql(world.coordinator, QUERY, { first });
      expect(res.body.errors).toBeUndefined();
      const items = res.body.data.plans.nodes.flatMap((n: { items: unknown[] }) => n.items);
      expect(items.length).toBeGreaterThanOrEqual(first);
      // Drafts of the other tests come along (sessions, an item ending within the week): each item's lists agree.
      for (const item of items) {
        expect(item.later.slice(0, 2)).toEqual(item.soon);
        expect(item.again).toEqual(item.soon);
      }
      const statements = app.statements.map((line) => line.replace(/\x1b\[[0-9;]*m/g, ''));
      expect(statements.filter((s) => s.includes('ipus_item_next_visits'))).toHaveLength(2);
      return { statements: statements.length, items: items.length };
    };
    const one = await counted(1);
    const many = await counted(5);
    expect(many.items).toBeGreaterThan(one.items);
    expect(many.statements).toBe(one.statements);
    // The drafts this test made have visits to list. (Which drafts a page brings is not fixed: every draft
    // here starts on the same day, and a page of one may bring another test's, with sessions only.)
    for (const id of made) expect((await visitsOf(world.coordinator, id, 5)).map((item) => item.nextVisits.length)).toEqual([5, 5]);
  });

  /** Declares `day` closed in a gmina, as its director. */
  async function declareClosed(who: Who, gmina: string, day: string) {
    await mutate(app, who, 'gminaClosedDayDeclare', 'GminaClosedDayDeclareInput', 'closedDay { id }', { gmina, day, reason: 'Dzień wolny urzędu' });
    if (gmina === GMINA) closedDays.add(day);
  }
  /** The first day after `day` that is not a public holiday nor closed. */
  const workingDayAfter = (day: string) => {
    let next = addDays(day, 1);
    while (isPublicHoliday(next) || closedDays.has(next)) next = addDays(next, 1);
    return next;
  };

  test("public holidays and the gmina's closed days fall away, unless the item keeps holidays; another gmina's closed days do not count", async () => {
    // The next public holiday: one comes within 80 days of any day, so within the plan's period.
    let holiday = addDays(today(), 1);
    while (!isPublicHoliday(holiday)) holiday = addDays(holiday, 1);
    const closed = workingDayAfter(holiday);
    await declareClosed(world.director, GMINA, closed);
    const elsewhere = workingDayAfter(closed);
    await declareClosed(world.otherDirector, OTHER, elsewhere);

    const every = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
    const from = [addDays(holiday, -3), today()].sort()[1];
    const to = addDays(elsewhere, 3);
    const plan = await planWith([weekly(every, from, to), weekly(every, from, to, true)]);
    const res = await app.gql(world.coordinator, `query($id: ID!) { ipus(id: $id) { items { keepsHolidays nextVisits(first: 31) } } }`, { id: plan.id });
    expect(res.body.errors).toBeUndefined();
    const [usual, allDay] = res.body.data.ipus.items;
    expect([usual.keepsHolidays, allDay.keepsHolidays]).toEqual([false, true]);
    expect(usual.nextVisits).toEqual(visitsBetween(from, to, every, 31));
    expect(allDay.nextVisits).toEqual(visitsBetween(from, to, every, 31, true));
    expect(usual.nextVisits).not.toContain(holiday);
    expect(usual.nextVisits).not.toContain(closed);
    expect(usual.nextVisits).toContain(elsewhere);
    expect(allDay.nextVisits).toEqual(expect.arrayContaining([holiday, closed, elsewhere]));
  });

  test('closed days in a row push the visits on past them: the n-th visit is found however many are skipped', async () => {
    const plan = await planWith([weekly(['WE'], today(), addDays(today(), 150))]);
    const wednesdays = visitsBetween(addDays(today(), 1), addDays(today(), 150), ['WE'], 5);
    for (const day of wednesdays) await declareClosed(world.director, GMINA, day);
    const expected = visitsBetween(today(), addDays(today(), 150), ['WE'], 3);
    // Past the five closed Wednesdays (today aside, which was not declared closed).
    expect(expected.filter((day) => day > today())[0] > wednesdays[4]).toBe(true);
    expect((await visitsOf(world.coordinator, plan.id))[0].nextVisits).toEqual(expected);
    expect(expected).toHaveLength(3);
  });
});
