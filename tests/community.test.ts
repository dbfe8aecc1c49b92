import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { codes, rawAsOwner, Role, startTestApp, unique, type GraphQLResponse, type TestApp } from './support/app.js';
import { ADMIN, createUnit } from './support/fixtures.js';
import { toGlobalId } from '../src/platform/graphql/node.js';

/**
 * Community organising (OSL): plans and activities, listed per CUS and per place.
 * Gmina A: Będzin (2401011), gmina B: Szczyrk (2402011).
 */
const A = '2401011';
const B = '2402011';
const director = { role: Role.DIRECTOR, gminy: [A] };
const organiser = { role: Role.COMMUNITY_ORGANISER, gminy: [A] };
const coordinator = { role: Role.COORDINATOR, gminy: [A] };
const servicesOrganiser = { role: Role.SERVICES_ORGANISER, gminy: [A] };
const official = { role: Role.GMINA_OFFICIAL, gminy: [A] };
const organiserB = { role: Role.COMMUNITY_ORGANISER, gminy: [B] };
const STAFF_A = [director, organiser, coordinator, servicesOrganiser, official];
const OUTSIDERS = [ADMIN, { role: Role.MINISTRY }, { role: Role.PARTNER, partner: '0193a000-0000-7000-8000-0000000000aa' }];

let app: TestApp;
let unitA: any;
let unitB: any;
let roomA: string;
let retiredRoomA: string;
let roomB: string;

/** A place made directly in the database (the catalogue's own mutations are tested there). */
async function createLocation(terc: string, name: string, retired = false): Promise<string> {
  const [row] = await rawAsOwner<{ id: string }>(
    `insert into location (gmina_id, name, kind, street, postal_code, city, retired_at)
     values ($1, $2, 'COMMUNITY_ROOM', 'ul. Wiejska 1', '42-500', 'Będzin', $3) returning id`,
    [Number(terc), name, retired ? new Date() : null],
  );
  return toGlobalId('Location', row.id);
}

beforeAll(async () => {
  app = await startTestApp();
  ({ unit: unitA } = await createUnit(app, A));
  ({ unit: unitB } = await createUnit(app, B));
  roomA = await createLocation(A, unique('Świetlica wiejska w Grodźcu'));
  retiredRoomA = await createLocation(A, unique('Dawna świetlica'), true);
  roomB = await createLocation(B, unique('Świetlica w Szczyrku'));
});
afterAll(async () => {
  await app.close();
});

const PLAN_FIELDS = 'id title periodStart periodEnd aims status version activityCount participantsTotal cusUnit { id }';
const ACTIVITY_FIELDS = `id title kind startsOn endsOn startsAt endsAt recurrence { weekdays startsAt endsAt validFrom validTo }
  organiser volunteers participantsCount outcome status version plan { id } location { id name } cusUnit { id }`;
const ERRORS = 'userErrors { field message code }';
const PLAN_CREATE = `mutation($input: CommunityPlanCreateInput!) { communityPlanCreate(input: $input) { communityPlan { ${PLAN_FIELDS} } ${ERRORS} } }`;
const PLAN_UPDATE = `mutation($input: CommunityPlanUpdateInput!) { communityPlanUpdate(input: $input) { communityPlan { ${PLAN_FIELDS} } ${ERRORS} } }`;
const PLAN_ARCHIVE = `mutation($input: CommunityPlanArchiveInput!) { communityPlanArchive(input: $input) { communityPlan { ${PLAN_FIELDS} } ${ERRORS} } }`;
const ACTIVITY_CREATE = `mutation($input: CommunityActivityCreateInput!) { communityActivityCreate(input: $input) { communityActivity { ${ACTIVITY_FIELDS} } ${ERRORS} } }`;
const ACTIVITY_UPDATE = `mutation($input: CommunityActivityUpdateInput!) { communityActivityUpdate(input: $input) { communityActivity { ${ACTIVITY_FIELDS} } ${ERRORS} } }`;
const ACTIVITY_OUTCOME = `mutation($input: CommunityActivityRecordOutcomeInput!) { communityActivityRecordOutcome(input: $input) { communityActivity { ${ACTIVITY_FIELDS} } ${ERRORS} } }`;
const ACTIVITY_CANCEL = `mutation($input: CommunityActivityCancelInput!) { communityActivityCancel(input: $input) { communityActivity { ${ACTIVITY_FIELDS} } ${ERRORS} } }`;
const READ_PLAN = `query($id: ID!) { communityPlan(id: $id) { ${PLAN_FIELDS} activities(first: 100) { totalCount nodes { id title status } } } }`;
const READ_ACTIVITY = `query($id: ID!) { communityActivity(id: $id) { ${ACTIVITY_FIELDS} } }`;

const planInput = (unit: any, over: Record<string, unknown> = {}) => ({
  cusUnitId: unit.id,
  title: unique('Plan organizowania społeczności lokalnej'),
  periodStart: '2025-01-01',
  periodEnd: '2026-12-31',
  aims: ['Aktywizacja seniorów', 'Wzmocnienie sąsiedzkiej pomocy'],
  ...over,
});

const activityInput = (unit: any, over: Record<string, unknown> = {}) => ({
  cusUnitId: unit.id,
  title: unique('Piknik sąsiedzki'),
  kind: 'EVENT',
  startsOn: '2025-06-14',
  startsAt: '14:00',
  endsAt: '18:00',
  organiser: 'Organizatorka społeczności lokalnej',
  volunteers: ['Anna Nowak', 'Jan "Kowal" Kowalski, sołtys'],
  ...over,
});

const payloadOf = (res: GraphQLResponse) => Object.values(res.body.data ?? {})[0] as any;
const fieldsAndCodes = (res: GraphQLResponse) => payloadOf(res).userErrors.map((e: any) => [e.field.join('.'), e.code]);

async function create(who: any, mutation: string, input: Record<string, unknown>) {
  const res = await app.gql(who, mutation, { input });
  expect(res.body.errors).toBeUndefined();
  expect(payloadOf(res).userErrors).toEqual([]);
  return payloadOf(res).communityPlan ?? payloadOf(res).communityActivity;
}

const readPlan = async (who: any, id: string) => (await app.gql(who, READ_PLAN, { id })).body.data.communityPlan;
const readActivity = async (who: any, id: string) => (await app.gql(who, READ_ACTIVITY, { id })).body.data.communityActivity;

describe('the community organiser plans and records community activities', () => {
  test('a plan with activities: single, recurring in a village room, outcome recorded, totals for dashboards', async () => {
    const plan = await create(organiser, PLAN_CREATE, planInput(unitA, { periodEnd: '2099-12-31' }));
    expect(plan).toMatchObject({ status: 'ACTIVE', version: 1, activityCount: 0, participantsTotal: 0, cusUnit: { id: unitA.id } });

    const picnic = await create(organiser, ACTIVITY_CREATE, activityInput(unitA, { planId: plan.id, locationId: roomA }));
    expect(picnic).toMatchObject({
      kind: 'EVENT',
      startsOn: '2025-06-14',
      endsOn: null,
      startsAt: '14:00',
      endsAt: '18:00',
      recurrence: null,
      status: 'PLANNED',
      volunteers: ['Anna Nowak', 'Jan "Kowal" Kowalski, sołtys'],
      plan: { id: plan.id },
      location: { id: roomA },
      participantsCount: null,
    });
    const club = await create(
      director,
      ACTIVITY_CREATE,
      activityInput(unitA, {
        planId: plan.id,
        locationId: roomA,
        title: unique('Klub seniora'),
        kind: 'GROUP',
        startsOn: '2025-02-01',
        endsOn: '2025-11-30',
        startsAt: undefined,
        endsAt: undefined,
        recurrence: { weekdays: ['TH', 'TU'], startsAt: '10:00', endsAt: '12:00' },
      }),
    );
    expect(club).toMatchObject({
      startsAt: '10:00',
      endsAt: '12:00',
      recurrence: { weekdays: ['TU', 'TH'], startsAt: '10:00', endsAt: '12:00', validFrom: '2025-02-01', validTo: '2025-11-30' },
    });
    const workshop = await create(
      organiser,
      ACTIVITY_CREATE,
      activityInput(unitA, { planId: plan.id, title: unique('Warsztaty'), kind: 'WORKSHOP', startsOn: '2025-03-10' }),
    );

    const held = await app.gql(organiser, ACTIVITY_OUTCOME, {
      input: { id: picnic.id, version: picnic.version, participantsCount: 85, outcome: 'Powstała grupa sąsiedzka' },
    });
    expect(payloadOf(held)).toMatchObject({
      userErrors: [],
      communityActivity: { status: 'HELD', participantsCount: 85, outcome: 'Powstała grupa sąsiedzka', version: 2 },
    });
    const again = await app.gql(organiser, ACTIVITY_OUTCOME, { input: { id: picnic.id, version: 2, participantsCount: 90, outcome: 'x' } });
    expect(fieldsAndCodes(again)).toEqual([['input.id', 'NOT_ALLOWED']]);
    const heldWorkshop = await app.gql(director, ACTIVITY_OUTCOME, {
      input: { id: workshop.id, version: 1, participantsCount: 12, outcome: 'Warsztaty z pierwszej pomocy' },
    });
    expect(payloadOf(heldWorkshop).userErrors).toEqual([]);
    const cancelHeld = await app.gql(organiser, ACTIVITY_CANCEL, { input: { id: workshop.id, version: 2 } });
    expect(fieldsAndCodes(cancelHeld)).toEqual([['input.id', 'NOT_ALLOWED']]);

    const future = await create(organiser, ACTIVITY_CREATE, activityInput(unitA, { planId: plan.id, title: unique('Festyn'), startsOn: '2099-09-01' }));
    const early = await app.gql(organiser, ACTIVITY_OUTCOME, { input: { id: future.id, version: 1, participantsCount: 10, outcome: 'x' } });
    expect(fieldsAndCodes(early)).toEqual([['input.id', 'NOT_ALLOWED']]);
    const cancelled = await app.gql(organiser, ACTIVITY_CANCEL, { input: { id: future.id, version: 1 } });
    expect(payloadOf(cancelled).communityActivity).toMatchObject({ status: 'CANCELLED', version: 2 });
    const changeCancelled = await app.gql(organiser, ACTIVITY_UPDATE, { input: { id: future.id, version: 2, title: 'Jednak' } });
    expect(fieldsAndCodes(changeCancelled)).toEqual([['input.id', 'NOT_ALLOWED']]);

    const read = await readPlan(official, plan.id);
    // Cancelled activities stay on the list but not in the totals.
    expect(read).toMatchObject({ activityCount: 3, participantsTotal: 97 });
    expect(read.activities.totalCount).toBe(4);
    expect(read.activities.nodes.map((a: any) => a.id)).toEqual([club.id, workshop.id, picnic.id, future.id]);
  });

  test('updates take the version; a stale one is refused and changes nothing', async () => {
    const plan = await create(director, PLAN_CREATE, planInput(unitA));
    const updated = await app.gql(organiser, PLAN_UPDATE, { input: { id: plan.id, version: 1, aims: ['Jedno zadanie'], periodEnd: '2027-06-30' } });
    expect(payloadOf(updated)).toMatchObject({ userErrors: [], communityPlan: { aims: ['Jedno zadanie'], periodEnd: '2027-06-30', version: 2 } });
    const stale = await app.gql(organiser, PLAN_UPDATE, { input: { id: plan.id, version: 1, title: 'Stary' } });
    expect(fieldsAndCodes(stale)).toEqual([['input.version', 'CONFLICT']]);

    const activity = await create(organiser, ACTIVITY_CREATE, activityInput(unitA, { planId: plan.id }));
    const moved = await app.gql(organiser, ACTIVITY_UPDATE, {
      input: {
        id: activity.id,
        version: 1,
        title: 'Piknik rodzinny',
        kind: 'NEIGHBOURHOOD_INITIATIVE',
        locationId: roomA,
        volunteers: [],
        startsAt: null,
        endsAt: null,
      },
    });
    expect(payloadOf(moved)).toMatchObject({
      userErrors: [],
      communityActivity: {
        title: 'Piknik rodzinny',
        kind: 'NEIGHBOURHOOD_INITIATIVE',
        location: { id: roomA },
        volunteers: [],
        startsAt: null,
        endsAt: null,
        version: 2,
      },
    });
    const detached = await app.gql(organiser, ACTIVITY_UPDATE, { input: { id: activity.id, version: 2, planId: null, locationId: null } });
    expect(payloadOf(detached).communityActivity).toMatchObject({ plan: null, location: null, version: 3 });
    const staleActivity = await app.gql(organiser, ACTIVITY_UPDATE, { input: { id: activity.id, version: 2, title: 'Stary' } });
    expect(fieldsAndCodes(staleActivity)).toEqual([['input.version', 'CONFLICT']]);
    expect(await readActivity(director, activity.id)).toMatchObject({ title: 'Piknik rodzinny', version: 3 });

    const archived = await app.gql(director, PLAN_ARCHIVE, { input: { id: plan.id, version: 2 } });
    expect(payloadOf(archived).communityPlan).toMatchObject({ status: 'ARCHIVED', version: 3 });
    const changeArchived = await app.gql(director, PLAN_UPDATE, { input: { id: plan.id, version: 3, title: 'Po archiwizacji' } });
    expect(fieldsAndCodes(changeArchived)).toEqual([['input.id', 'NOT_ALLOWED']]);
    const intoArchived = await app.gql(organiser, ACTIVITY_CREATE, { input: activityInput(unitA, { planId: plan.id }) });
    expect(fieldsAndCodes(intoArchived)).toEqual([['input.planId', 'NOT_ALLOWED']]);
    const archivedAgain = await app.gql(director, PLAN_ARCHIVE, { input: { id: plan.id, version: 3 } });
    expect(fieldsAndCodes(archivedAgain)).toEqual([['input.id', 'NOT_ALLOWED']]);
  });

  test('coordinators and services organisers read only; gmina officials read', async () => {
    const plan = await create(organiser, PLAN_CREATE, planInput(unitA));
    const activity = await create(organiser, ACTIVITY_CREATE, activityInput(unitA, { planId: plan.id }));
    for (const who of [coordinator, servicesOrganiser, official]) {
      expect(await readPlan(who, plan.id)).toMatchObject({ id: plan.id, activities: { totalCount: 1 } });
      expect(await readActivity(who, activity.id)).toMatchObject({ id: activity.id, plan: { id: plan.id } });
      for (const [mutation, input] of [
        [PLAN_CREATE, planInput(unitA)],
        [PLAN_UPDATE, { id: plan.id, version: 1, title: 'X' }],
        [PLAN_ARCHIVE, { id: plan.id, version: 1 }],
        [ACTIVITY_CREATE, activityInput(unitA)],
        [ACTIVITY_UPDATE, { id: activity.id, version: 1, title: 'X' }],
        [ACTIVITY_OUTCOME, { id: activity.id, version: 1, participantsCount: 1, outcome: 'X' }],
        [ACTIVITY_CANCEL, { id: activity.id, version: 1 }],
      ] as const) {
        expect(codes(await app.gql(who, mutation, { input }))).toEqual(['FORBIDDEN']);
      }
    }
    expect(await readPlan(director, plan.id)).toMatchObject({ title: plan.title, version: 1, status: 'ACTIVE' });
    expect(await readActivity(director, activity.id)).toMatchObject({ title: activity.title, version: 1, status: 'PLANNED' });
  });

  test('the platform administrator, the ministry and partners are refused every community field', async () => {
    const plan = await create(organiser, PLAN_CREATE, planInput(unitA));
    const activity = await create(organiser, ACTIVITY_CREATE, activityInput(unitA));
    for (const who of OUTSIDERS) {
      expect(codes(await app.gql(who, '{ communityPlans { totalCount } }'))).toEqual(['FORBIDDEN']);
      expect(codes(await app.gql(who, '{ communityActivities { totalCount } }'))).toEqual(['FORBIDDEN']);
      expect(codes(await app.gql(who, READ_PLAN, { id: plan.id }))).toEqual(['FORBIDDEN']);
      expect(codes(await app.gql(who, READ_ACTIVITY, { id: activity.id }))).toEqual(['FORBIDDEN']);
      expect(codes(await app.gql(who, PLAN_CREATE, { input: planInput(unitA) }))).toEqual(['FORBIDDEN']);
      expect(codes(await app.gql(who, PLAN_ARCHIVE, { input: { id: plan.id, version: 1 } }))).toEqual(['FORBIDDEN']);
      expect(codes(await app.gql(who, ACTIVITY_CREATE, { input: activityInput(unitA) }))).toEqual(['FORBIDDEN']);
      expect(codes(await app.gql(who, ACTIVITY_CANCEL, { input: { id: activity.id, version: 1 } }))).toEqual(['FORBIDDEN']);
    }
  });
});

describe('invalid input is refused with user errors and nothing is written', () => {
  const planCount = async () =>
    (await app.gql(director, 'query($u: ID!) { communityPlans(filter: { cusUnitId: $u }) { totalCount } }', { u: unitA.id })).body.data.communityPlans
      .totalCount;
  const activityCount = async () =>
    (await app.gql(director, 'query($u: ID!) { communityActivities(filter: { cusUnitId: $u }) { totalCount } }', { u: unitA.id })).body.data.communityActivities
      .totalCount;

  test('a plan ending before it starts, without aims or with a blank one', async () => {
    const before = await planCount();
    const res = await app.gql(organiser, PLAN_CREATE, {
      input: planInput(unitA, { title: ' ', periodStart: '2026-01-01', periodEnd: '2025-12-31', aims: ['Cel', '  '] }),
    });
    expect(payloadOf(res).communityPlan).toBeNull();
    expect(fieldsAndCodes(res)).toEqual([
      ['input.title', 'REQUIRED'],
      ['input.periodEnd', 'OUT_OF_RANGE'],
      ['input.aims.1', 'REQUIRED'],
    ]);
    const noAims = await app.gql(organiser, PLAN_CREATE, { input: planInput(unitA, { aims: [] }) });
    expect(fieldsAndCodes(noAims)).toEqual([['input.aims', 'REQUIRED']]);
    expect(await planCount()).toBe(before);
  });

  test("a plan's period cannot shrink past its activities", async () => {
    const plan = await create(organiser, PLAN_CREATE, planInput(unitA));
    await create(organiser, ACTIVITY_CREATE, activityInput(unitA, { planId: plan.id, startsOn: '2026-10-01' }));
    const res = await app.gql(organiser, PLAN_UPDATE, { input: { id: plan.id, version: 1, periodEnd: '2026-06-30' } });
    expect(fieldsAndCodes(res)).toEqual([['input.periodStart', 'OUT_OF_RANGE']]);
    expect(await readPlan(director, plan.id)).toMatchObject({ periodEnd: '2026-12-31', version: 1 });
  });

  test('an activity outside the plan period, a recurrence without an end, bad times and counts', async () => {
    const plan = await create(organiser, PLAN_CREATE, planInput(unitA));
    const before = await activityCount();
    const cases: [Record<string, unknown>, [string, string][]][] = [
      [{ planId: plan.id, startsOn: '2024-12-31' }, [['input.startsOn', 'OUT_OF_RANGE']]],
      [{ planId: plan.id, startsOn: '2026-12-01', endsOn: '2027-01-15' }, [['input.endsOn', 'OUT_OF_RANGE']]],
      [{ startsOn: '2025-05-01', endsOn: '2025-04-30' }, [['input.endsOn', 'OUT_OF_RANGE']]],
      [{ startsAt: undefined, endsAt: undefined, recurrence: { weekdays: ['MO'], startsAt: '17:00', endsAt: '19:00' } }, [['input.endsOn', 'REQUIRED']]],
      [
        { endsOn: '2025-12-31', startsAt: undefined, endsAt: undefined, recurrence: { weekdays: ['MO', 'MO'], startsAt: '19:00', endsAt: '17:00' } },
        [
          ['input.recurrence.weekdays', 'DUPLICATE'],
          ['input.recurrence.endsAt', 'OUT_OF_RANGE'],
        ],
      ],
      [{ endsOn: '2025-12-31', recurrence: { weekdays: ['MO'], startsAt: '17:00', endsAt: '19:00' } }, [['input.startsAt', 'INVALID']]],
      [{ startsAt: '18:00', endsAt: '16:00' }, [['input.endsAt', 'OUT_OF_RANGE']]],
      [{ startsAt: undefined, endsAt: '16:00' }, [['input.startsAt', 'REQUIRED']]],
      [
        { title: ' ', organiser: '', volunteers: ['Ola', ' '], participantsCount: -1 },
        [
          ['input.title', 'REQUIRED'],
          ['input.organiser', 'REQUIRED'],
          ['input.volunteers.1', 'REQUIRED'],
          ['input.participantsCount', 'OUT_OF_RANGE'],
        ],
      ],
      [{ locationId: retiredRoomA }, [['input.locationId', 'NOT_ALLOWED']]],
    ];
    for (const [over, expected] of cases) {
      const res = await app.gql(organiser, ACTIVITY_CREATE, { input: activityInput(unitA, over) });
      expect(res.body.errors).toBeUndefined();
      expect(payloadOf(res).communityActivity).toBeNull();
      expect(fieldsAndCodes(res)).toEqual(expected);
    }
    const outcome = await create(organiser, ACTIVITY_CREATE, activityInput(unitA));
    const badOutcome = await app.gql(organiser, ACTIVITY_OUTCOME, { input: { id: outcome.id, version: 1, participantsCount: -3, outcome: ' ' } });
    expect(fieldsAndCodes(badOutcome)).toEqual([
      ['input.participantsCount', 'OUT_OF_RANGE'],
      ['input.outcome', 'REQUIRED'],
    ]);
    const badMove = await app.gql(organiser, ACTIVITY_UPDATE, { input: { id: outcome.id, version: 1, planId: plan.id, startsOn: '2030-01-01' } });
    expect(fieldsAndCodes(badMove)).toEqual([['input.startsOn', 'OUT_OF_RANGE']]);
    expect(await activityCount()).toBe(before + 1);
    expect(await readActivity(director, outcome.id)).toMatchObject({ status: 'PLANNED', version: 1, plan: null, startsOn: '2025-06-14' });
  });

  test("a place or plan of another gmina is not found; another unit's plan is refused", async () => {
    const planB = await create(organiserB, PLAN_CREATE, planInput(unitB));
    const before = await activityCount();
    const place = await app.gql(organiser, ACTIVITY_CREATE, { input: activityInput(unitA, { locationId: roomB }) });
    expect(fieldsAndCodes(place)).toEqual([['input.locationId', 'NOT_FOUND']]);
    const plan = await app.gql(organiser, ACTIVITY_CREATE, { input: activityInput(unitA, { planId: planB.id }) });
    expect(fieldsAndCodes(plan)).toEqual([['input.planId', 'NOT_FOUND']]);
    // A second unit in gmina A (both visible to A's staff) keeps its own plans.
    const { unit: otherUnitA } = await createUnit(app, A);
    const otherPlan = await create(organiser, PLAN_CREATE, planInput(otherUnitA));
    const crossUnit = await app.gql(organiser, ACTIVITY_CREATE, { input: activityInput(unitA, { planId: otherPlan.id }) });
    expect(fieldsAndCodes(crossUnit)).toEqual([['input.planId', 'INVALID']]);
    expect(await activityCount()).toBe(before);
  });
});

describe('listed per CUS and per place', () => {
  test('communityActivities by unit, place, kind, period and status, sorted by startsOn then id, with cursors', async () => {
    const { unit } = await createUnit(app, A);
    const room = await createLocation(A, unique('Świetlica w Łagiszy'));
    const made: any[] = [];
    for (const [startsOn, kind, locationId] of [
      ['2025-04-10', 'EVENT', room],
      ['2025-03-01', 'GROUP', room],
      ['2025-04-10', 'WORKSHOP', null],
      ['2025-09-01', 'EVENT', room],
    ] as const) {
      made.push(await create(organiser, ACTIVITY_CREATE, activityInput(unit, { startsOn, kind, locationId })));
    }
    const list = async (filter: Record<string, unknown>, first = 100, after?: string) => {
      const res = await app.gql(
        official,
        `query($f: CommunityActivityFilter, $first: Int, $after: String) {
        communityActivities(first: $first, after: $after, filter: $f) { totalCount pageInfo { hasNextPage endCursor } nodes { id startsOn } } }`,
        { f: { cusUnitId: unit.id, ...filter }, first, after },
      );
      expect(res.body.errors).toBeUndefined();
      return res.body.data.communityActivities;
    };
    const all = await list({});
    expect(all.totalCount).toBe(4);
    const sameDay = [made[0].id, made[2].id].sort((x, y) => (fromGlobal(x) < fromGlobal(y) ? -1 : 1));
    expect(all.nodes.map((n: any) => n.id)).toEqual([made[1].id, ...sameDay, made[3].id]);
    expect((await list({ locationId: room })).nodes.map((n: any) => n.id)).toEqual(all.nodes.map((n: any) => n.id).filter((id: string) => id !== made[2].id));
    expect((await list({ kind: 'EVENT' })).totalCount).toBe(2);
    expect((await list({ from: '2025-04-01', to: '2025-04-30' })).nodes.map((n: any) => n.startsOn)).toEqual(['2025-04-10', '2025-04-10']);
    await app.gql(organiser, ACTIVITY_CANCEL, { input: { id: made[3].id, version: 1 } });
    expect((await list({ status: 'CANCELLED' })).nodes.map((n: any) => n.id)).toEqual([made[3].id]);

    const first = await list({}, 2);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const rest = await list({}, 2, first.pageInfo.endCursor);
    expect([...first.nodes, ...rest.nodes].map((n: any) => n.id)).toEqual(all.nodes.map((n: any) => n.id));
    expect(rest.pageInfo.hasNextPage).toBe(false);

    // The place lists its activities too, paged the same way.
    const PLACE = `query($id: ID!, $after: String) { communityActivities(first: 1, filter: { locationId: $id }) { nodes { location { id
      communityActivities(first: 2, after: $after) { totalCount pageInfo { hasNextPage hasPreviousPage endCursor } nodes { id } } } } } }`;
    const placeList = async (after?: string) => {
      const res = await app.gql(official, PLACE, { id: room, after });
      expect(res.body.errors).toBeUndefined();
      return res.body.data.communityActivities.nodes[0].location.communityActivities;
    };
    const page1 = await placeList();
    expect(page1).toMatchObject({ totalCount: 3, pageInfo: { hasNextPage: true, hasPreviousPage: false } });
    const page2 = await placeList(page1.pageInfo.endCursor);
    expect(page2.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    expect([...page1.nodes, ...page2.nodes].map((n: any) => n.id)).toEqual([made[1].id, made[0].id, made[3].id]);
    const badCursor = await app.gql(official, PLACE, { id: room, after: 'bm90IGEgY3Vyc29y' });
    expect(codes(badCursor)).toEqual(['BAD_USER_INPUT']);
  });
});

const fromGlobal = (id: string) => Buffer.from(id, 'base64url').toString('utf8').split(':')[1];

describe('across the tenant boundary', () => {
  let planB: any;
  let activityB: any;
  beforeAll(async () => {
    planB = await create(organiserB, PLAN_CREATE, planInput(unitB));
    activityB = await create(organiserB, ACTIVITY_CREATE, activityInput(unitB, { planId: planB.id, locationId: roomB }));
  });

  test("every read root field returns nothing of gmina B's plans and activities", async () => {
    for (const who of STAFF_A) {
      const res = await app.gql(
        who,
        `query($p: ID!, $a: ID!, $u: ID!, $l: ID!) {
        communityPlan(id: $p) { id } communityActivity(id: $a) { id } plan: node(id: $p) { id } activity: node(id: $a) { id }
        communityPlans(first: 100, filter: { cusUnitId: $u }) { totalCount nodes { id } }
        communityActivities(first: 100, filter: { cusUnitId: $u }) { totalCount nodes { id } }
        byPlace: communityActivities(first: 100, filter: { locationId: $l }) { totalCount }
        allPlans: communityPlans(first: 100) { nodes { id } }
        allActivities: communityActivities(first: 100) { nodes { id } } }`,
        { p: planB.id, a: activityB.id, u: unitB.id, l: roomB },
      );
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data).toMatchObject({
        communityPlan: null,
        communityActivity: null,
        plan: null,
        activity: null,
        communityPlans: { totalCount: 0, nodes: [] },
        communityActivities: { totalCount: 0, nodes: [] },
        byPlace: { totalCount: 0 },
      });
      expect(res.body.data.allPlans.nodes.map((p: any) => p.id)).not.toContain(planB.id);
      expect(res.body.data.allActivities.nodes.map((a: any) => a.id)).not.toContain(activityB.id);
    }
  });

  test("every write root field answers NOT_FOUND for gmina B's rows and changes nothing", async () => {
    const attempts = [
      [PLAN_CREATE, planInput(unitB), 'input.cusUnitId'],
      [PLAN_UPDATE, { id: planB.id, version: 1, title: 'Przejęty' }, 'input.id'],
      [PLAN_ARCHIVE, { id: planB.id, version: 1 }, 'input.id'],
      [ACTIVITY_CREATE, activityInput(unitB), 'input.cusUnitId'],
      [ACTIVITY_UPDATE, { id: activityB.id, version: 1, title: 'Przejęta' }, 'input.id'],
      [ACTIVITY_OUTCOME, { id: activityB.id, version: 1, participantsCount: 1, outcome: 'X' }, 'input.id'],
      [ACTIVITY_CANCEL, { id: activityB.id, version: 1 }, 'input.id'],
    ] as const;
    const plansOfB = async () =>
      (
        await app.gql(
          organiserB,
          'query($u: ID!) { communityPlans(filter: { cusUnitId: $u }) { totalCount } communityActivities(filter: { cusUnitId: $u }) { totalCount } }',
          { u: unitB.id },
        )
      ).body.data;
    const before = await plansOfB();
    for (const who of [director, organiser]) {
      for (const [mutation, input, field] of attempts) {
        const res = await app.gql(who, mutation, { input });
        expect(res.body.errors).toBeUndefined();
        expect(fieldsAndCodes(res)).toEqual([[field, 'NOT_FOUND']]);
      }
    }
    expect(await readPlan(organiserB, planB.id)).toMatchObject({ title: planB.title, version: 1, status: 'ACTIVE', activities: { totalCount: 1 } });
    expect(await readActivity(organiserB, activityB.id)).toMatchObject({ title: activityB.title, version: 1, status: 'PLANNED' });
    expect(await plansOfB()).toEqual(before);
  });
});

describe('no N+1', () => {
  test('plans with their activities, places and totals: the same statements for 1 plan and many', async () => {
    const { unit } = await createUnit(app, B);
    for (let i = 0; i < 3; i++) {
      const plan = await create(organiserB, PLAN_CREATE, planInput(unit, { periodStart: `202${i}-01-01`, periodEnd: `202${i}-12-31` }));
      for (let j = 0; j < 2; j++) {
        const room = await createLocation(B, unique(`Świetlica ${i}.${j}`));
        const activity = await create(
          organiserB,
          ACTIVITY_CREATE,
          activityInput(unit, { planId: plan.id, startsOn: `202${i}-0${j + 3}-01`, locationId: room }),
        );
        await app.gql(organiserB, ACTIVITY_OUTCOME, { input: { id: activity.id, version: 1, participantsCount: 10 * (i + 1) + j, outcome: 'Odbyło się' } });
      }
    }
    const QUERY = `query($first: Int!, $u: ID!) { communityPlans(first: $first, filter: { cusUnitId: $u }) { nodes {
      title activities { nodes { title location { name } plan { title } } } activityCount participantsTotal } } }`;
    const count = async (first: number) => {
      app.statements.length = 0;
      const res = await app.gql(organiserB, QUERY, { first, u: unit.id });
      expect(res.body.errors).toBeUndefined();
      const statements = [...app.statements];
      expect(statements.some((s) => /from "?location"?/.test(s))).toBe(true);
      expect(statements.some((s) => /community_activity/.test(s))).toBe(true);
      return { nodes: res.body.data.communityPlans.nodes, statements };
    };
    const one = await count(1);
    const many = await count(100);
    expect(one.nodes).toHaveLength(1);
    expect(many.nodes).toHaveLength(3);
    // The latest period first; each plan with its own two activities and totals.
    expect(many.nodes.map((p: any) => [p.activityCount, p.participantsTotal])).toEqual([
      [2, 61],
      [2, 41],
      [2, 21],
    ]);
    for (const plan of many.nodes) {
      expect(plan.activities.nodes).toHaveLength(2);
      for (const a of plan.activities.nodes) expect(a.plan.title).toBe(plan.title);
      expect(plan.activities.nodes.every((a: any) => a.location.name.startsWith('Świetlica'))).toBe(true);
    }
    expect(many.statements.length).toBe(one.statements.length);
  });
});
