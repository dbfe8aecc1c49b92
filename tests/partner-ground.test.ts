import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawAsApp, rawAsOwner, Role, startTestApp, unique, type TestApp, type Who } from './support/app.js';
import { addDays, errorsOf, mutate, staff, today, tryMutate } from './support/fixtures.js';
import { activatePlan, planWorld, type PlanWorld } from './support/plan-world.js';
import { moveCommissionBack, movePlanBack, sessionDay } from './support/past-sessions.js';
import { fromGlobalId } from '../src/platform/graphql/node.js';
import { sessionVariables } from '../src/platform/auth/principal.js';
import { PARTNER_ACCESS_WINDOW_DAYS } from '../src/modules/delivery/partner-ground.js';
import { validNip } from './support/commissioned-world.js';

/**
 * A partner's access to a person ends with the ground for it (issue 17, item 5). It kept a person's
 * address after its commission was terminated or it was retired, and could still record deliveries
 * that drew on the commission's budget. Now the contact goes with an ACTIVE commission and an approved
 * or active plan; the item itself (the name, the schedule) stays for PARTNER_ACCESS_WINDOW_DAYS after
 * the ground ended, for the partner's records, then goes; deliveries need an ACTIVE commission; and a
 * retired partner sees nothing. Played through the API as the partner, and under its settings in raw
 * SQL, since the database is the door.
 */
const JANOW = '0605053';
const BATORZ = '0605012';

let app: TestApp;
let world: PlanWorld;

const COMMISSION = 'commission { id version status use { volumeDelivered deliveredSessions budgetUsed } }';
const PLAN = 'ipus { id revision status items { id } goals { id } }';
const ASSIGNMENT = 'id planStatus person { firstName lastName phone email address { street city } }';
const DELIVERY = 'delivery { id version durationMinutes }';

interface Setup {
  partner: { id: string; key: string; who: Who; version: number };
  commission: { id: string; version: number };
  plan: { id: string; revision: number; goals: { id: string }[] };
  itemKey: string;
  assignmentId: string;
}

beforeAll(async () => {
  app = await startTestApp();
  world = await planWorld(app, JANOW, BATORZ);
}, 120_000);
afterAll(async () => {
  await app.close();
});

/** A partner of Janów with an ACTIVE commission, and an active plan with one of its items at the resident's home. */
async function setup(nip?: string): Promise<Setup> {
  const registered = await mutate(app, world.director, 'partnerCreate', 'PartnerCreateInput', 'partner { id version }', {
    name: unique('Stowarzyszenie Opieki'),
    kind: 'NGO',
    gminy: [JANOW],
    nip,
  });
  const key = fromGlobalId(registered.partner.id).key;
  const partner = { id: registered.partner.id, key, who: { role: Role.PARTNER, partner: key } satisfies Who, version: registered.partner.version };
  const created = await mutate(app, world.organiser, 'commissionCreate', 'CommissionCreateInput', COMMISSION, {
    cusUnitId: world.unitId,
    partnerId: partner.id,
    title: unique('Usługi opiekuńcze'),
    procedure: 'OPEN_CALL',
    serviceIds: [world.serviceId],
    agreementNumber: unique('CUS.526'),
    periodStart: addDays(today(), -30),
    periodEnd: addDays(today(), 330),
    budget: '50000.00',
    unitPrice: '50.00',
    volume: 500,
    volumeUnit: 'HOURS',
    maxRecipients: 50,
  });
  const active = await mutate(app, world.organiser, 'commissionActivate', 'CommissionStatusInput', COMMISSION, {
    id: created.commission.id,
    version: created.commission.version,
  });
  const { applicationId } = await world.application();
  const input = world.draftInput(applicationId) as { items: Record<string, unknown>[] };
  input.items = [
    {
      goal: 1,
      serviceId: world.serviceId,
      provider: 'PARTNER',
      partnerId: partner.id,
      place: 'RESIDENT_HOME',
      weekly: { weekdays: ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'], startsAt: '09:00', endsAt: '10:00' },
      startOn: today(),
      endOn: addDays(today(), 60),
      quantity: 30,
      quantityUnit: 'HOURS',
    },
  ];
  const draft = (await mutate(app, world.coordinator, 'ipusCreate', 'IpusCreateInput', PLAN, input)).ipus;
  const activated = { ipus: await activatePlan<{ id: string; revision: number; items: { id: string }[]; goals: { id: string }[] }>(app, world, draft, PLAN) };
  const itemKey = fromGlobalId(activated.ipus.items[0].id).key;
  // Begun a week ago, so sessions are recorded on a past day whatever the time of day.
  await movePlanBack(activated.ipus.id);
  await moveCommissionBack(created.commission.id);
  return {
    partner,
    commission: active.commission,
    plan: activated.ipus,
    itemKey,
    assignmentId: (await assignmentOf(partner.who, itemKey))!.id,
  };
}

/** The item as the partner's API shows it, or null. */
async function assignmentOf(who: Who, itemKey: string) {
  const res = await app.gql(who, `{ assignments(first: 100) { nodes { ${ASSIGNMENT} } } }`);
  expect(res.body.errors).toBeUndefined();
  return res.body.data.assignments.nodes.find((a: { id: string }) => fromGlobalId(a.id).key === itemKey) ?? null;
}

const record = (s: Setup, input: Record<string, unknown> = {}) =>
  tryMutate(app, s.partner.who, 'deliveryRecord', 'DeliveryRecordInput', DELIVERY, {
    assignmentId: s.assignmentId,
    deliveredOn: sessionDay(),
    startsAt: '09:00',
    durationMinutes: 60,
    outcome: 'DELIVERED',
    ...input,
  });

const partnerSettings = (s: Setup) => sessionVariables({ subject: 'ground-test', role: Role.PARTNER, gminy: [], partnerId: s.partner.key });

/** The view's row for the item under the partner's own settings (raw SQL, as the server's role), or undefined. */
const rawRow = async (s: Setup) =>
  (
    await rawAsApp<Record<string, unknown>>(
      'select first_name, last_name, phone, email, street, postal_code, city from partner_assignment where id = $1',
      [s.itemKey],
      partnerSettings(s),
    )
  )[0];

/** A delivery written straight into the table under the partner's settings: the database's own answer. */
const rawDelivery = (s: Setup, startsAt: string) =>
  rawAsApp(
    `insert into delivery (gmina_id, ipus_item_id, commission_id, partner_id, delivered_on, starts_at, duration_minutes, outcome, recorded_by)
   values ($1, $2, $3, $4, $5, $6, 60, 'DELIVERED', 'ground-test') returning id`,
    [Number(JANOW), s.itemKey, fromGlobalId(s.commission.id).key, s.partner.key, sessionDay(), startsAt],
    partnerSettings(s),
  );

const deliveriesOf = async (s: Setup) => (await rawAsOwner<{ n: number }>('select count(*)::int as n from delivery where ipus_item_id = $1', [s.itemKey]))[0].n;

async function changeCommission(s: Setup, field: string, reason?: string) {
  const changed = await mutate(app, world.director, field, 'CommissionStatusInput', COMMISSION, { id: s.commission.id, version: s.commission.version, reason });
  s.commission = changed.commission;
  return changed.commission;
}

describe('while the ground holds', () => {
  it('the partner sees the address of a home service and records deliveries', async () => {
    const s = await setup();
    expect(await assignmentOf(s.partner.who, s.itemKey)).toMatchObject({
      planStatus: 'ACTIVE',
      person: { lastName: 'Planowa', address: { street: 'ul. Polna 3' } },
    });
    expect(errorsOf(await record(s), 'deliveryRecord')).toEqual([]);
    expect(await rawRow(s)).toMatchObject({ last_name: 'Planowa', street: 'ul. Polna 3' });
  });
});

describe('a commission that is no longer ACTIVE', () => {
  it.each([
    ['terminated', 'commissionTerminate', 'Rozwiązanie umowy'],
    ['suspended', 'commissionSuspend', 'Kontrola rozliczeń'],
  ])('%s: the address is withheld, deliveries and corrections are refused, and its budget is not drawn on', async (_label, field, reason) => {
    const s = await setup();
    const first = await record(s);
    expect(errorsOf(first, 'deliveryRecord')).toEqual([]);
    const delivery = first.body.data.deliveryRecord.delivery;
    const before = (await changeCommission(s, field, reason)).use;

    // Within the window the partner still sees whom the item was for, but no longer how to reach them.
    const seen = await assignmentOf(s.partner.who, s.itemKey);
    expect(seen).toMatchObject({ person: { lastName: 'Planowa', phone: null, email: null, address: null } });
    expect(await rawRow(s)).toMatchObject({ last_name: 'Planowa', phone: null, email: null, street: null, postal_code: null, city: null });

    const refused = await record(s, { startsAt: '11:00' });
    expect(errorsOf(refused, 'deliveryRecord')).toEqual([['input.assignmentId', 'NOT_ALLOWED']]);
    expect(refused.body.data.deliveryRecord.userErrors[0].message).toMatch(/commission is (TERMINATED|SUSPENDED)/);
    const correction = await tryMutate(app, s.partner.who, 'deliveryCorrect', 'DeliveryCorrectInput', DELIVERY, {
      id: delivery.id,
      version: delivery.version,
      durationMinutes: 240,
    });
    expect(errorsOf(correction, 'deliveryCorrect')).toEqual([['input.id', 'NOT_ALLOWED']]);
    // The database refuses it too, whatever the application checks.
    await expect(rawDelivery(s, '13:00')).rejects.toThrow(/ACTIVE commission/);
    expect(await deliveriesOf(s)).toBe(1);
    const after = (
      await app.gql(world.director, `query($id: ID!) { commission(id: $id) { ${COMMISSION.slice('commission { '.length, -2)} } }`, { id: s.commission.id })
    ).body.data.commission;
    expect(after.use).toEqual(before);
  });

  it('resumed: the address and deliveries come back', async () => {
    const s = await setup();
    await changeCommission(s, 'commissionSuspend', 'Kontrola');
    expect(errorsOf(await record(s), 'deliveryRecord')).toEqual([['input.assignmentId', 'NOT_ALLOWED']]);
    await changeCommission(s, 'commissionResume');
    expect(await assignmentOf(s.partner.who, s.itemKey)).toMatchObject({ person: { address: { street: 'ul. Polna 3' } } });
    expect(errorsOf(await record(s), 'deliveryRecord')).toEqual([]);
  });

  it(`ended more than ${PARTNER_ACCESS_WINDOW_DAYS} days ago: the item is gone, the partner's own deliveries stay, without the person`, async () => {
    const s = await setup();
    expect(errorsOf(await record(s), 'deliveryRecord')).toEqual([]);
    await changeCommission(s, 'commissionTerminate', 'Rozwiązanie umowy');
    expect(await assignmentOf(s.partner.who, s.itemKey)).not.toBeNull();
    // As if it had ended the window's length and a day ago.
    await rawAsOwner('update commission set status_changed_on = $2 where id = $1', [
      fromGlobalId(s.commission.id).key,
      addDays(today(), -PARTNER_ACCESS_WINDOW_DAYS - 1),
    ]);
    expect(await assignmentOf(s.partner.who, s.itemKey)).toBeNull();
    expect(await rawRow(s)).toBeUndefined();
    const own = await app.gql(s.partner.who, `{ deliveries(first: 10) { nodes { id assignment { id person { lastName } } } } }`);
    expect(own.body.errors).toBeUndefined();
    const mine = own.body.data.deliveries.nodes.filter((d: { assignment: unknown }) => d.assignment === null);
    expect(mine.length).toBeGreaterThan(0);
    expect(JSON.stringify(own.body.data)).not.toContain('Planowa');
  });
});

describe('a plan that ended', () => {
  it(`completed: no address, late deliveries within the window, then after ${PARTNER_ACCESS_WINDOW_DAYS} days the item is gone`, async () => {
    const s = await setup();
    const completed = await mutate(app, world.coordinator, 'ipusComplete', 'IpusCompleteInput', PLAN, {
      id: s.plan.id,
      revision: s.plan.revision,
      closingConversationOn: today(),
      goals: s.plan.goals.map((g) => ({ goalId: g.id, outcome: 'ACHIEVED', summary: 'Cel osiągnięty' })),
    });
    expect(completed.ipus.status).toBe('COMPLETED');
    expect(await assignmentOf(s.partner.who, s.itemKey)).toMatchObject({ planStatus: 'COMPLETED', person: { lastName: 'Planowa', address: null } });
    // The session of the last day is recorded late, as the window allows.
    expect(errorsOf(await record(s), 'deliveryRecord')).toEqual([]);

    await rawAsOwner('update ipus set closed_on = $2 where id = $1', [fromGlobalId(s.plan.id).key, addDays(today(), -PARTNER_ACCESS_WINDOW_DAYS - 1)]);
    expect(await assignmentOf(s.partner.who, s.itemKey)).toBeNull();
    expect(errorsOf(await record(s, { startsAt: '11:00' }), 'deliveryRecord')).toEqual([['input.assignmentId', 'NOT_FOUND']]);
    await expect(rawDelivery(s, '13:00')).rejects.toThrow(/no longer has access/);
    expect(await deliveriesOf(s)).toBe(1);
  });
});

describe('a partner retired by the commissioning centre', () => {
  it("while it still works for another centre: its token is admitted, and that centre's people are gone from its view", async () => {
    const nip = validNip();
    const s = await setup(nip);
    await mutate(app, world.otherDirector, 'partnerJoin', 'PartnerJoinInput', 'partner { id }', { nip });
    await mutate(app, world.director, 'partnerRetire', 'PartnerStatusChangeInput', 'partner { id }', { id: s.partner.id, version: s.partner.version + 1 });
    const res = await app.gql(s.partner.who, '{ myPartner { id } }');
    expect({ status: res.status, errors: res.body.errors }).toEqual({ status: 200, errors: undefined });
    expect(await assignmentOf(s.partner.who, s.itemKey)).toBeNull();
    expect(errorsOf(await record(s), 'deliveryRecord')).toEqual([['input.assignmentId', 'NOT_FOUND']]);
    await expect(rawDelivery(s, '15:00')).rejects.toThrow(/no longer has access/);
    expect(await deliveriesOf(s)).toBe(0);
  });
});

describe('a partner retired from the register', () => {
  it('is refused at the door, and under its own settings reads nothing and writes nothing', async () => {
    const s = await setup();
    await mutate(app, world.director, 'partnerRetire', 'PartnerStatusChangeInput', 'partner { status }', { id: s.partner.id, version: s.partner.version });
    const res = await app.gql(s.partner.who, '{ assignments(first: 10) { nodes { id } } }');
    expect(res.status).toBe(401);
    expect(await rawRow(s)).toBeUndefined();
    expect(await rawAsApp('select * from partner_assignment', [], partnerSettings(s))).toEqual([]);
    await expect(rawDelivery(s, '15:00')).rejects.toThrow(/no longer has access/);
    expect(await deliveriesOf(s)).toBe(0);
  });
});

describe('staff', () => {
  it('still see the deliveries and the person after the ground ended', async () => {
    const s = await setup();
    expect(errorsOf(await record(s), 'deliveryRecord')).toEqual([]);
    await changeCommission(s, 'commissionTerminate', 'Rozwiązanie umowy');
    const seen = await app.gql(staff(Role.COORDINATOR, JANOW), `query($id: ID!) { ipus(id: $id) { resident { lastName } items { deliveries { outcome } } } }`, {
      id: s.plan.id,
    });
    expect(seen.body.errors).toBeUndefined();
    expect(seen.body.data.ipus).toMatchObject({ resident: { lastName: 'Planowa' }, items: [{ deliveries: [{ outcome: 'DELIVERED' }] }] });
  });
});
