import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawAsApp, rawAsOwner, Role, startTestApp, type TestApp, type Who } from './support/app.js';
import { addDays, errorsOf, mutate, staff, today, tryMutate } from './support/fixtures.js';
import { planWorld, type PlanWorld } from './support/plan-world.js';
import { activatePlan, activeCommission, registerPartner, type PartnerRef } from './support/commissioned-world.js';
import { DAYS_BACK, moveCommissionBack, movePlanBack, sessionDay } from './support/past-sessions.js';
import { subscribeAndWait } from './support/subscriptions.js';
import { fromGlobalId, toGlobalId } from '../src/platform/graphql/node.js';
import { sessionVariables } from '../src/platform/auth/principal.js';

/**
 * Deliveries for every provider, and their plausibility (issue 19): the centre's staff record and
 * correct sessions of items the CUS or a gmina unit provides, partners of the items assigned to
 * them, and one set of rules refuses, with its own code and nothing written, for either: an overlap
 * for the item or the person, a session too long for its item or past the person's daily maximum,
 * one in the future, outside the item's period, or on a day its commission was not ACTIVE. In-house
 * work counts in progress, in the reports and on the plan's live events.
 */
let app: TestApp;
let world: PlanWorld;
const GMINA = '3001011';
const OTHER = '3001023';

const PLAN = 'ipus { id revision status items { id providerKind } }';
const RECORD = 'delivery { id version deliveredOn startsAt durationMinutes outcome recordedBy note corrections { version changedBy durationMinutes } }';
/** Times of the session day (yesterday: sessions are recorded on a past day, so at any time of day). */
const AT = (hour: number, minute = 0) => `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;

let partner: PartnerRef;
let commissionId: string;

/** An active plan of a new resident: an in-house item in HOURS, one in SESSIONS, and (with a partner) a partner's item. */
async function activePlan(withPartner = true) {
  const { applicationId } = await world.application();
  const input = world.draftInput(applicationId) as { items: Record<string, unknown>[] };
  const base = { goal: 1, serviceId: world.serviceId, place: 'RESIDENT_HOME', startOn: today(), endOn: addDays(today(), 60) };
  input.items = [
    {
      ...base,
      provider: 'CUS',
      weekly: { weekdays: ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'], startsAt: '01:00', endsAt: '02:00' },
      quantity: 20,
      quantityUnit: 'HOURS',
    },
    { ...base, provider: 'GMINA_UNIT', providerUnitName: 'Gminny Ośrodek Kultury', sessionCount: 10, quantity: 10, quantityUnit: 'SESSIONS' },
    ...(withPartner
      ? [
          {
            ...base,
            provider: 'PARTNER',
            partnerId: partner.id,
            commissionId,
            weekly: { weekdays: ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'], startsAt: '01:00', endsAt: '02:00' },
            quantity: 20,
            quantityUnit: 'HOURS',
          },
        ]
      : []),
  ];
  const created = await mutate(app, world.coordinator, 'ipusCreate', 'IpusCreateInput', PLAN, input);
  const plan = await activatePlan<{ id: string; items: { id: string; providerKind: string }[] }>(app, world, created.ipus, PLAN);
  // Begun a week ago, so sessions are recorded on a past day whatever the time of day.
  await movePlanBack(plan.id);
  const byKind = (kind: string) => plan.items.find((i) => i.providerKind === kind)?.id as string;
  const partnerItem = byKind('PARTNER');
  return {
    id: plan.id,
    cusItem: byKind('CUS'),
    unitItem: byKind('GMINA_UNIT'),
    partnerItem,
    assignment: partnerItem ? toGlobalId('PartnerAssignment', fromGlobalId(partnerItem).key) : '',
  };
}

const recordAs = (who: Who, input: Record<string, unknown>) =>
  tryMutate(app, who, 'deliveryRecord', 'DeliveryRecordInput', RECORD, {
    deliveredOn: sessionDay(),
    startsAt: AT(1),
    durationMinutes: 60,
    outcome: 'DELIVERED',
    ...input,
  });

/** Every delivery of an item, read back as the coordinator: what a refused write must leave unchanged. */
async function itemDeliveries(itemId: string) {
  const res = await app.gql(
    world.coordinator,
    `query($f: DeliveryFilter) { deliveries(first: 100, filter: $f) { totalCount nodes { id version startsAt durationMinutes outcome } } }`,
    { f: { itemId } },
  );
  expect(res.body.errors).toBeUndefined();
  return res.body.data.deliveries;
}

beforeAll(async () => {
  app = await startTestApp();
  world = await planWorld(app, GMINA, OTHER);
  partner = await registerPartner(app, GMINA, 'Fundacja Opieki');
  commissionId = (await activeCommission(app, world, partner.id, { maxRecipients: 50 })).id;
  await moveCommissionBack(commissionId);
}, 120_000);

afterAll(async () => {
  await app?.close();
});

describe('in-house deliveries', () => {
  it('are recorded and corrected by the centre, with progress, corrections and notes, and count in the reports', async () => {
    const plan = await activePlan(false);
    const recorded = await recordAs(world.coordinator, { itemId: plan.cusItem, startsAt: AT(1), durationMinutes: 90, note: 'Pomoc w kąpieli' });
    expect(errorsOf(recorded, 'deliveryRecord')).toEqual([]);
    const delivery = recorded.body.data.deliveryRecord.delivery;
    expect(delivery).toMatchObject({ deliveredOn: sessionDay(), durationMinutes: 90, outcome: 'DELIVERED', version: 1, note: 'Pomoc w kąpieli' });
    // The services organiser records too (a gmina unit's item), and corrects; the history keeps who and what.
    // (The organiser reads no notes: the notes' wall.)
    const unitSession = await tryMutate(app, world.organiser, 'deliveryRecord', 'DeliveryRecordInput', 'delivery { id recordedBy }', {
      itemId: plan.unitItem,
      deliveredOn: sessionDay(),
      startsAt: AT(3),
      durationMinutes: 45,
      outcome: 'DELIVERED',
    });
    expect(unitSession.body.errors).toBeUndefined();
    expect(errorsOf(unitSession, 'deliveryRecord')).toEqual([]);
    const corrected = await mutate(app, world.coordinator, 'deliveryCorrect', 'DeliveryCorrectInput', RECORD, {
      id: delivery.id,
      version: 1,
      durationMinutes: 60,
    });
    expect(corrected.delivery).toMatchObject({ version: 2, durationMinutes: 60, note: 'Pomoc w kąpieli', corrections: [{ version: 1, durationMinutes: 90 }] });

    const seen = await app.gql(
      world.coordinator,
      `query($id: ID!) { ipus(id: $id) { items { providerKind progress { planned delivered deliveredSessions deliveredHours } } } }`,
      { id: plan.id },
    );
    expect(seen.body.errors).toBeUndefined();
    expect(seen.body.data.ipus.items).toEqual([
      { providerKind: 'CUS', progress: { planned: 20, delivered: 1, deliveredSessions: 1, deliveredHours: 1 } },
      { providerKind: 'GMINA_UNIT', progress: { planned: 10, delivered: 1, deliveredSessions: 1, deliveredHours: 0.75 } },
    ]);

    // The ministry's measures count in-house work: the gmina's deliveries and hours with no partner.
    expect((await app.gql({ role: Role.PLATFORM_ADMIN }, 'mutation { reportsRefresh { refreshedAt } }')).body.errors).toBeUndefined();
    const report = async (measure: string) => {
      const res = await app.gql(
        world.director,
        `query($g: [TerytCode!]) { gminaReport(measure: ${measure}, gminy: $g, from: "${sessionDay()}", to: "${sessionDay()}") { total { value } } }`,
        { g: [GMINA] },
      );
      expect(res.body.errors).toBeUndefined();
      return Number(res.body.data.gminaReport.total.value);
    };
    expect(await report('DELIVERIES')).toBeGreaterThanOrEqual(2);
    expect(await report('DELIVERY_HOURS')).toBeGreaterThanOrEqual(1.75);
    const rows = await rawAsOwner<{ n: number }>(
      `select count(*)::int as n from report_delivery_person where gmina_id = $1 and partner_id is null and month = date_trunc('month', $2::date)`,
      [Number(GMINA), sessionDay()],
    );
    expect(rows[0].n).toBeGreaterThanOrEqual(1);
  });

  it('are live events of the plan, as the coordinator follows it', async () => {
    const plan = await activePlan(false);
    const sub = await subscribeAndWait(app, app.ws(world.coordinator), `subscription($id: ID!) { ipusUpdated(id: $id) { kind changes ipusId } }`, {
      id: plan.id,
    });
    expect(errorsOf(await recordAs(world.coordinator, { itemId: plan.cusItem, startsAt: AT(0, 30) }), 'deliveryRecord')).toEqual([]);
    const [event] = await sub.waitFor(1);
    expect(event.ipusUpdated).toEqual({ kind: 'UPDATED', changes: ['deliveries'], ipusId: plan.id });
    sub.stop();
  });

  it("are recorded only by the centre of the item's gmina, and a partner's item only by its partner", async () => {
    const plan = await activePlan();
    const outsiders: [Who, Record<string, unknown>, string[]][] = [
      [world.otherCoordinator, { itemId: plan.cusItem }, ['input.itemId', 'NOT_FOUND']],
      [partner.who, { assignmentId: toGlobalId('PartnerAssignment', fromGlobalId(plan.cusItem).key) }, ['input.assignmentId', 'NOT_FOUND']],
      [world.coordinator, { itemId: plan.partnerItem }, ['input.itemId', 'NOT_ALLOWED']],
      [world.coordinator, { assignmentId: plan.assignment }, ['input.assignmentId', 'NOT_ALLOWED']],
    ];
    for (const [who, input, error] of outsiders) expect(errorsOf(await recordAs(who, input), 'deliveryRecord')).toEqual([error]);
    expect((await recordAs(staff(Role.COMMUNITY_ORGANISER, GMINA), { itemId: plan.cusItem })).body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await itemDeliveries(plan.cusItem)).totalCount).toBe(0);
    expect((await itemDeliveries(plan.partnerItem)).totalCount).toBe(0);
    // The database holds it too: another gmina's coordinator inserts nothing, even from raw SQL.
    const settings = sessionVariables({ subject: 'x', role: Role.COORDINATOR, gminy: [Number(OTHER)], partnerId: null });
    await expect(
      rawAsApp(
        `insert into delivery (gmina_id, ipus_item_id, delivered_on, starts_at, duration_minutes, outcome, recorded_by)
      values ($1, $2, $3, '00:05', 30, 'DELIVERED', 'x')`,
        [Number(GMINA), fromGlobalId(plan.cusItem).key, sessionDay()],
        settings,
      ),
    ).rejects.toThrow();
    expect((await itemDeliveries(plan.cusItem)).totalCount).toBe(0);
  });
});

describe('plausibility', () => {
  it('refuses each rule with its own code, for the centre and for a partner, and writes nothing', async () => {
    const plan = await activePlan();
    const asStaff = (input: Record<string, unknown>) => recordAs(world.coordinator, { itemId: plan.cusItem, ...input });
    const asPartner = (input: Record<string, unknown>) => recordAs(partner.who, { assignmentId: plan.assignment, ...input });
    expect(errorsOf(await asStaff({ startsAt: AT(1), durationMinutes: 60 }), 'deliveryRecord')).toEqual([]);
    expect(errorsOf(await asPartner({ startsAt: AT(3), durationMinutes: 60 }), 'deliveryRecord')).toEqual([]);
    const before = [await itemDeliveries(plan.cusItem), await itemDeliveries(plan.unitItem), await itemDeliveries(plan.partnerItem)];

    for (const record of [asStaff, asPartner]) {
      // One item: an overlapping session. One person: a partner's session over the centre's, and the other way.
      expect(errorsOf(await record({ startsAt: AT(1, 30) }), 'deliveryRecord')).toEqual([['input.startsAt', 'OVERLAPPING']]);
      expect(errorsOf(await record({ startsAt: AT(3, 30), durationMinutes: 10 }), 'deliveryRecord')).toEqual([['input.startsAt', 'OVERLAPPING']]);
      expect(errorsOf(await record({ startsAt: AT(0, 30), durationMinutes: 45 }), 'deliveryRecord')).toEqual([['input.startsAt', 'OVERLAPPING']]);
      // Later today, or tomorrow, is in the future for a session said to have happened (23:59: but in the day's last minute).
      expect(errorsOf(await record({ deliveredOn: today(), startsAt: '23:59' }), 'deliveryRecord')).toEqual([['input.deliveredOn', 'IN_FUTURE']]);
      expect(errorsOf(await record({ deliveredOn: addDays(today(), 1), outcome: 'RESIDENT_ABSENT' }), 'deliveryRecord')).toEqual([
        ['input.deliveredOn', 'IN_FUTURE'],
      ]);
      // Outside the item's dates (and the plan's active time).
      expect(errorsOf(await record({ deliveredOn: addDays(today(), -DAYS_BACK - 1) }), 'deliveryRecord')).toEqual([['input.deliveredOn', 'OUT_OF_RANGE']]);
      // A whole day of "hours": past the daily maximum of the person's minutes (720 by default).
      expect(errorsOf(await record({ startsAt: AT(0), durationMinutes: 1440 }), 'deliveryRecord')).toEqual([['input.durationMinutes', 'OUT_OF_RANGE']]);
    }
    // A session-based item takes a sane session length.
    expect(errorsOf(await recordAs(world.coordinator, { itemId: plan.unitItem, startsAt: AT(5), durationMinutes: 300 }), 'deliveryRecord')).toEqual([
      ['input.durationMinutes', 'OUT_OF_RANGE'],
    ]);
    // Two sessions that fit alone, together past the daily maximum of the person.
    expect(errorsOf(await asStaff({ startsAt: AT(4), durationMinutes: 660 }), 'deliveryRecord')).toEqual([['input.durationMinutes', 'DAILY_LIMIT_EXCEEDED']]);
    // The partner is refused too, but not told the person's total: it counts the centre's sessions, not the partner's to know.
    const partnerRefused = await asPartner({ startsAt: AT(4), durationMinutes: 660 });
    expect(errorsOf(partnerRefused, 'deliveryRecord')).toEqual([['input.durationMinutes', 'DAILY_LIMIT_EXCEEDED']]);
    const [told] = partnerRefused.body.data.deliveryRecord.userErrors;
    expect(told.message).toContain('720');
    expect(told.message).not.toMatch(/receive \d+ minutes/);

    expect([await itemDeliveries(plan.cusItem), await itemDeliveries(plan.unitItem), await itemDeliveries(plan.partnerItem)]).toEqual(before);
  });

  it('checks corrections the same way', async () => {
    const plan = await activePlan();
    const first = await recordAs(world.coordinator, { itemId: plan.cusItem, startsAt: AT(1) });
    const second = await recordAs(partner.who, { assignmentId: plan.assignment, startsAt: AT(2, 30) });
    expect([errorsOf(first, 'deliveryRecord'), errorsOf(second, 'deliveryRecord')]).toEqual([[], []]);
    const mine = first.body.data.deliveryRecord.delivery;
    const theirs = second.body.data.deliveryRecord.delivery;
    const correct = (who: Who, input: Record<string, unknown>) => tryMutate(app, who, 'deliveryCorrect', 'DeliveryCorrectInput', RECORD, input);
    expect(errorsOf(await correct(world.coordinator, { id: mine.id, version: 1, durationMinutes: 100 }), 'deliveryCorrect')).toEqual([
      ['input.startsAt', 'OVERLAPPING'],
    ]);
    expect(errorsOf(await correct(partner.who, { id: theirs.id, version: 1, startsAt: AT(1, 45) }), 'deliveryCorrect')).toEqual([
      ['input.startsAt', 'OVERLAPPING'],
    ]);
    expect(errorsOf(await correct(world.coordinator, { id: mine.id, version: 1, deliveredOn: today(), startsAt: '23:58' }), 'deliveryCorrect')).toEqual([
      ['input.deliveredOn', 'IN_FUTURE'],
    ]);
    // Staff do not correct a partner's delivery, nor a partner the centre's (it does not see it).
    expect(errorsOf(await correct(world.coordinator, { id: theirs.id, version: 1, durationMinutes: 30 }), 'deliveryCorrect')).toEqual([
      ['input.id', 'NOT_ALLOWED'],
    ]);
    expect(errorsOf(await correct(partner.who, { id: mine.id, version: 1, durationMinutes: 30 }), 'deliveryCorrect')).toEqual([['input.id', 'NOT_FOUND']]);
    const after = await itemDeliveries(plan.cusItem);
    expect(after.nodes).toMatchObject([{ version: 1, durationMinutes: 60 }]);
    expect((await itemDeliveries(plan.partnerItem)).nodes).toMatchObject([{ version: 1, durationMinutes: 60 }]);
    // A correction that moves the session clear of the other is taken.
    expect(errorsOf(await correct(world.coordinator, { id: mine.id, version: 1, durationMinutes: 75 }), 'deliveryCorrect')).toEqual([]);
  });

  it("takes a partner's delivery only on a day its commission was ACTIVE", async () => {
    const plan = await activePlan();
    const key = fromGlobalId(commissionId).key;
    // The commission's history says it was suspended on the day (as a suspension and resumption would leave it for earlier days).
    await rawAsOwner(`insert into commission_status_history (commission_id, gmina_id, status, since) values ($1, $2, 'SUSPENDED', $3)`, [
      key,
      Number(GMINA),
      sessionDay(),
    ]);
    try {
      const refused = await recordAs(partner.who, { assignmentId: plan.assignment, startsAt: AT(0, 10), durationMinutes: 20 });
      expect(errorsOf(refused, 'deliveryRecord')).toEqual([['input.deliveredOn', 'COMMISSION_NOT_ACTIVE']]);
      expect((await itemDeliveries(plan.partnerItem)).totalCount).toBe(0);
      // The database refuses it too, whatever the application checked.
      const settings = sessionVariables({ subject: 'dev-partner', role: Role.PARTNER, gminy: [], partnerId: partner.key });
      await expect(
        rawAsApp(
          `insert into delivery (gmina_id, ipus_item_id, commission_id, partner_id, delivered_on, starts_at, duration_minutes, outcome, recorded_by)
        values ($1, $2, $3, $4, $5, '00:10', 20, 'DELIVERED', 'dev-partner')`,
          [Number(GMINA), fromGlobalId(plan.partnerItem).key, key, partner.key, sessionDay()],
          settings,
        ),
      ).rejects.toThrow(/was SUSPENDED/);
    } finally {
      await rawAsOwner(`insert into commission_status_history (commission_id, gmina_id, status, since) values ($1, $2, 'ACTIVE', $3)`, [
        key,
        Number(GMINA),
        sessionDay(),
      ]);
    }
    expect(errorsOf(await recordAs(partner.who, { assignmentId: plan.assignment, startsAt: AT(0, 10), durationMinutes: 20 }), 'deliveryRecord')).toEqual([]);
  });

  it('lets the database refuse an overlap the application did not check', async () => {
    const plan = await activePlan(false);
    expect(errorsOf(await recordAs(world.coordinator, { itemId: plan.cusItem, startsAt: AT(1) }), 'deliveryRecord')).toEqual([]);
    const settings = sessionVariables({ subject: 'dev-coordinator', role: Role.COORDINATOR, gminy: [Number(GMINA)], partnerId: null });
    await expect(
      rawAsApp(
        `insert into delivery (gmina_id, ipus_item_id, delivered_on, starts_at, duration_minutes, outcome, recorded_by)
      values ($1, $2, $3, '01:15', 30, 'DELIVERED', 'dev-coordinator')`,
        [Number(GMINA), fromGlobalId(plan.unitItem).key, sessionDay()],
        settings,
      ),
    ).rejects.toThrow(/overlaps another session of the same person/);
    expect((await itemDeliveries(plan.unitItem)).totalCount).toBe(0);
  });
});
