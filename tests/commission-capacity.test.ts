import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawAsApp, rawAsOwner, Role, startTestApp, unique, type TestApp, type Who } from './support/app.js';
import { addDays, errorsOf, mutate, staff, today, tryMutate } from './support/fixtures.js';
import { planWorld, type PlanWorld } from './support/plan-world.js';
import { moveCommissionBack, movePlanBack, sessionDay } from './support/past-sessions.js';
import { fromGlobalId } from '../src/platform/graphql/node.js';
import { sessionVariables } from '../src/platform/auth/principal.js';
import { changeActivePlan } from './support/plan-change.js';
import { activeCommission as activeCommissionOf, validNip } from './support/commissioned-world.js';

/**
 * Capacity that follows reality (issue 19): a plan's items reserve their commission's volume, and its
 * resident a place, from approval until the plan closes; a draft names its commission and holds
 * nothing; completion, termination and updates release what will not be delivered; `use(on:)` gives
 * the figures as they stood on any day. Through the API as the coordinator (plans), the director and
 * the services organiser (approval; commissions), the partner (deliveries, its commission's use) and
 * a gmina official (reads).
 */
let app: TestApp;
let world: PlanWorld;
const GMINA = '0208051';
const OTHER = '0208063';

const USE = 'use { on recipients recipientsLeft volumeReserved volumeAssigned volumeLeft volumeDelivered deliveredSessions budgetCommitted budgetUsed }';
const PLAN = 'ipus { id revision status items { id commission { id } } }';

interface Plan {
  id: string;
  revision: number;
  status: string;
  items: { id: string; commission: { id: string } | null }[];
}

let partner: { id: string; who: Who };
let otherPartner: { id: string; who: Who };

async function registerPartner() {
  const created = await mutate(app, world.director, 'partnerCreate', 'PartnerCreateInput', 'partner { id }', {
    name: unique('Fundacja Opieki'),
    kind: 'NGO',
    gminy: [GMINA],
    nip: validNip(),
  });
  return { id: created.partner.id as string, who: { role: Role.PARTNER, partner: fromGlobalId(created.partner.id).key } satisfies Who };
}

/** An ACTIVE commission: 100 hours for ten recipients unless `terms` say otherwise; its id. */
const activeCommission = async (terms: Record<string, unknown>, partnerId = partner.id) =>
  (await activeCommissionOf(app, world, partnerId, { volume: 100, maxRecipients: 10, ...terms })).id;

function partnerItem(commissionId: string, extra: Record<string, unknown> = {}) {
  return {
    goal: 1,
    serviceId: world.serviceId,
    provider: 'PARTNER',
    partnerId: partner.id,
    commissionId,
    place: 'RESIDENT_HOME',
    weekly: { weekdays: ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'], startsAt: '09:00', endsAt: '10:00' },
    startOn: today(),
    endOn: addDays(today(), 60),
    quantity: 6,
    quantityUnit: 'HOURS',
    ...extra,
  };
}

async function draft(commissionId: string, item: Record<string, unknown> = {}): Promise<Plan> {
  const { applicationId } = await world.application();
  const input = world.draftInput(applicationId) as { items: unknown[] };
  input.items = [partnerItem(commissionId, item)];
  return (await mutate(app, world.coordinator, 'ipusCreate', 'IpusCreateInput', PLAN, input)).ipus;
}

async function step(plan: Plan, who: Who, field: string, inputType: string, input: Record<string, unknown> = {}): Promise<Plan> {
  const payload = await mutate(app, who, field, inputType, PLAN, { id: plan.id, revision: plan.revision, ...input });
  Object.assign(plan, payload.ipus);
  return plan;
}

const submit = (plan: Plan) => step(plan, world.coordinator, 'ipusSubmit', 'IpusRevisionInput');
const approve = (plan: Plan, who: Who = world.director) => step(plan, who, 'ipusApprove', 'IpusRevisionInput');
const activate = (plan: Plan) => step(plan, world.coordinator, 'ipusActivate', 'IpusActivateInput', { agreedOn: today(), agreementHow: 'IN_WRITING' });

async function activePlan(commissionId: string, item: Record<string, unknown> = {}): Promise<Plan> {
  return activate(await approve(await submit(await draft(commissionId, item))));
}

async function use(who: Who, commissionId: string, on?: string) {
  const res = await app.gql(who, `query($id: ID!, $on: LocalDate) { commission(id: $id) { use(on: $on) { ${USE.slice('use { '.length, -2)} } } }`, {
    id: commissionId,
    on,
  });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.commission.use;
}

async function planState(id: string) {
  return (await app.gql(world.coordinator, `query($id: ID!) { ipus(id: $id) { status revision } }`, { id })).body.data.ipus;
}

beforeAll(async () => {
  app = await startTestApp();
  world = await planWorld(app, GMINA, OTHER);
  partner = await registerPartner();
  otherPartner = await registerPartner();
}, 60_000);
afterAll(async () => {
  await app.close();
});

describe('capacity is reserved from approval', () => {
  it('a draft holds nothing, even on a full commission, and approval reserves its volume and its place', async () => {
    const commissionId = await activeCommission({ volume: 10, maxRecipients: 1 });
    const first = await draft(commissionId, { quantity: 6 });
    expect(first.items[0].commission?.id).toBe(commissionId);
    expect(await use(world.organiser, commissionId)).toMatchObject({
      on: today(),
      recipients: 0,
      recipientsLeft: 1,
      volumeReserved: 0,
      volumeLeft: 10,
      budgetCommitted: '0.00',
    });

    // A second draft more than the commission holds is saved all the same: it reserves nothing.
    const second = await draft(commissionId, { quantity: 8 });
    expect(second.items[0].commission?.id).toBe(commissionId);
    await submit(first);
    expect((await use(world.organiser, commissionId)).volumeReserved).toBe(0);

    await approve(first);
    expect(first.status).toBe('APPROVED');
    expect(await use(world.organiser, commissionId)).toEqual({
      on: today(),
      recipients: 1,
      recipientsLeft: 0,
      volumeReserved: 6,
      volumeAssigned: 6,
      volumeLeft: 4,
      volumeDelivered: 0,
      deliveredSessions: 0,
      budgetCommitted: '300.00',
      budgetUsed: '0.00',
    });
    // The partner and a gmina official read the same figures.
    expect((await use(partner.who, commissionId)).volumeReserved).toBe(6);
    expect((await use(staff(Role.GMINA_OFFICIAL, GMINA), commissionId)).recipients).toBe(1);
  });

  it('refuses approval with CAPACITY_EXCEEDED when the commission has no room left, changes nothing, and the draft can still be corrected', async () => {
    const commissionId = await activeCommission({ volume: 10, maxRecipients: 5 });
    await activePlan(commissionId, { quantity: 6 });
    const late = await submit(await draft(commissionId, { quantity: 5 }));
    const before = await use(world.organiser, commissionId);

    const refused = await tryMutate(app, world.director, 'ipusApprove', 'IpusRevisionInput', PLAN, { id: late.id, revision: late.revision });
    expect(errorsOf(refused, 'ipusApprove')).toEqual([['input.id', 'CAPACITY_EXCEEDED']]);
    expect(refused.body.data.ipusApprove.userErrors[0].message).toMatch(/4 HOURS left; the item needs 5/);
    expect(await planState(late.id)).toEqual({ status: 'AWAITING_APPROVAL', revision: late.revision });
    expect(await use(world.organiser, commissionId)).toEqual(before);

    // Returned, lowered to what is left, and approved.
    await step(late, world.director, 'ipusReturnToDraft', 'IpusReturnInput', { reason: 'Zostały 4 godziny w zleceniu' });
    await step(late, world.coordinator, 'ipusUpdate', 'IpusUpdateInput', { items: [{ ...partnerItem(commissionId, { quantity: 4 }), id: late.items[0].id }] });
    await approve(await submit(late), world.organiser);
    expect(await use(world.organiser, commissionId)).toMatchObject({ recipients: 2, volumeReserved: 10, volumeLeft: 0 });
  });

  it('refuses approval for a resident when every place is taken', async () => {
    const commissionId = await activeCommission({ volume: 100, maxRecipients: 1 });
    await activePlan(commissionId, { quantity: 1 });
    const late = await submit(await draft(commissionId, { quantity: 1 }));
    const refused = await tryMutate(app, world.director, 'ipusApprove', 'IpusRevisionInput', PLAN, { id: late.id, revision: late.revision });
    expect(errorsOf(refused, 'ipusApprove')).toEqual([['input.id', 'CAPACITY_EXCEEDED']]);
    expect(refused.body.data.ipusApprove.userErrors[0].message).toMatch(/no place left: 1 residents at most/);
    expect(await planState(late.id)).toEqual({ status: 'AWAITING_APPROVAL', revision: late.revision });
    expect(await use(world.organiser, commissionId)).toMatchObject({ recipients: 1, volumeReserved: 1 });
  });

  it('decides two concurrent approvals for the last place one after the other: one wins, the other is refused and unchanged', async () => {
    const commissionId = await activeCommission({ volume: 100, maxRecipients: 1 });
    const plans = [await submit(await draft(commissionId, { quantity: 2 })), await submit(await draft(commissionId, { quantity: 2 }))];
    const results = await Promise.all([
      tryMutate(app, world.director, 'ipusApprove', 'IpusRevisionInput', PLAN, { id: plans[0].id, revision: plans[0].revision }),
      tryMutate(app, world.organiser, 'ipusApprove', 'IpusRevisionInput', PLAN, { id: plans[1].id, revision: plans[1].revision }),
    ]);
    for (const res of results) expect(res.body.errors).toBeUndefined();
    const won = results.filter((res) => res.body.data.ipusApprove.ipus !== null);
    const lost = results.findIndex((res) => res.body.data.ipusApprove.ipus === null);
    expect(won).toHaveLength(1);
    expect(errorsOf(results[lost], 'ipusApprove')).toEqual([['input.id', 'CAPACITY_EXCEEDED']]);
    expect(await planState(plans[lost].id)).toEqual({ status: 'AWAITING_APPROVAL', revision: plans[lost].revision });
    expect(await use(world.organiser, commissionId)).toMatchObject({ recipients: 1, recipientsLeft: 0, volumeReserved: 2 });
  });
});

describe('capacity is released by what will not be delivered', () => {
  /**
   * The partner records a delivered hour of the plan's item yesterday, the plan and the commission
   * begun a week ago: a session on a past day is recorded at any time of day.
   */
  async function deliverAnHour(commissionId: string, planId: string) {
    await movePlanBack(planId);
    await moveCommissionBack(commissionId);
    const assignments = await app.gql(partner.who, `query($c: ID!) { assignments(first: 10, filter: { commissionId: $c }) { nodes { id } } }`, {
      c: commissionId,
    });
    const assignmentId = assignments.body.data.assignments.nodes[0].id;
    const recorded = await tryMutate(app, partner.who, 'deliveryRecord', 'DeliveryRecordInput', 'delivery { id }', {
      assignmentId,
      deliveredOn: sessionDay(),
      startsAt: '09:00',
      durationMinutes: 60,
      outcome: 'DELIVERED',
    });
    expect(errorsOf(recorded, 'deliveryRecord')).toEqual([]);
  }

  it('completion early keeps only what was delivered, and frees the place for the next resident', async () => {
    const commissionId = await activeCommission({ volume: 20, maxRecipients: 1 });
    const plan = await activePlan(commissionId, { quantity: 15 });
    await deliverAnHour(commissionId, plan.id);
    expect(await use(world.organiser, commissionId)).toMatchObject({ recipients: 1, volumeReserved: 15, volumeDelivered: 1, volumeLeft: 5 });

    const goals = (await app.gql(world.coordinator, `query($id: ID!) { ipus(id: $id) { goals { id } } }`, { id: plan.id })).body.data.ipus.goals;
    await step(plan, world.coordinator, 'ipusComplete', 'IpusCompleteInput', {
      closingConversationOn: today(),
      goals: goals.map((g: { id: string }) => ({ goalId: g.id, outcome: 'PARTLY_ACHIEVED', summary: 'Zakończone wcześniej' })),
    });
    expect(plan.status).toBe('COMPLETED');
    expect(await use(world.organiser, commissionId)).toEqual({
      on: today(),
      recipients: 0,
      recipientsLeft: 1,
      volumeReserved: 1,
      volumeAssigned: 1,
      volumeLeft: 19,
      volumeDelivered: 1,
      deliveredSessions: 1,
      budgetCommitted: '50.00',
      budgetUsed: '50.00',
    });
    // The place is free: the next resident's plan is approved under the same commission.
    const next = await approve(await submit(await draft(commissionId, { quantity: 19 })));
    expect(next.status).toBe('APPROVED');
    expect(await use(world.organiser, commissionId)).toMatchObject({ recipients: 1, volumeReserved: 20, volumeLeft: 0 });
  });

  it('termination releases what was not delivered, and the place', async () => {
    const commissionId = await activeCommission({ volume: 20, maxRecipients: 3 });
    const plan = await activePlan(commissionId, { quantity: 8 });
    expect(await use(world.organiser, commissionId)).toMatchObject({ recipients: 1, volumeReserved: 8 });
    await step(plan, world.coordinator, 'ipusTerminate', 'IpusTerminateInput', { reasonCode: 'MOVED_AWAY', reason: 'Przeprowadzka do innej gminy' });
    expect(await use(world.organiser, commissionId)).toMatchObject({
      recipients: 0,
      recipientsLeft: 3,
      volumeReserved: 0,
      volumeLeft: 20,
      budgetCommitted: '0.00',
    });
  });

  it('an update shortening an item releases the rest, and removing the item releases it all', async () => {
    const commissionId = await activeCommission({ volume: 20, maxRecipients: 3 });
    const plan = await activePlan(commissionId, { quantity: 12 });
    // Changes of an active plan the resident agreed to (proposed, approved, agreed).
    Object.assign(
      plan,
      (
        await changeActivePlan(
          app,
          world,
          plan,
          { items: [{ ...partnerItem(commissionId, { quantity: 5, endOn: addDays(today(), 30) }), id: plan.items[0].id }] },
          PLAN,
        )
      ).ipus,
    );
    expect(await use(world.organiser, commissionId)).toMatchObject({ recipients: 1, volumeReserved: 5, volumeLeft: 15 });

    // The partner's item gives way to the centre's own service: the commission holds nothing of the plan.
    Object.assign(
      plan,
      (await changeActivePlan(app, world, plan, { items: [{ ...partnerItem(commissionId), provider: 'CUS', partnerId: null, commissionId: null }] }, PLAN))
        .ipus,
    );
    expect(plan.items[0].commission).toBeNull();
    expect(await use(world.organiser, commissionId)).toMatchObject({ recipients: 0, volumeReserved: 0, volumeLeft: 20 });
  });

  it('an active plan still cannot grow beyond the room left', async () => {
    const commissionId = await activeCommission({ volume: 10, maxRecipients: 3 });
    await activePlan(commissionId, { quantity: 6 });
    const plan = await activePlan(commissionId, { quantity: 2 });
    const before = await use(world.organiser, commissionId);
    const grown = await tryMutate(app, world.coordinator, 'ipusUpdate', 'IpusUpdateInput', PLAN, {
      id: plan.id,
      revision: plan.revision,
      items: [{ ...partnerItem(commissionId, { quantity: 5 }), id: plan.items[0].id }],
    });
    expect(errorsOf(grown, 'ipusUpdate')).toEqual([['input.items.0.commissionId', 'CAPACITY_EXCEEDED']]);
    expect(await planState(plan.id)).toEqual({ status: 'ACTIVE', revision: plan.revision });
    expect(await use(world.organiser, commissionId)).toEqual(before);
  });
});

describe('use(on:)', () => {
  it("gives the figures as they stood at the end of a past day, and today's for a later day", async () => {
    const commissionId = await activeCommission({ volume: 20, maxRecipients: 2 });
    const plan = await activePlan(commissionId, { quantity: 10 });
    const goals = (await app.gql(world.coordinator, `query($id: ID!) { ipus(id: $id) { goals { id } } }`, { id: plan.id })).body.data.ipus.goals;
    await step(plan, world.coordinator, 'ipusComplete', 'IpusCompleteInput', {
      closingConversationOn: today(),
      goals: goals.map((g: { id: string }) => ({ goalId: g.id, outcome: 'ACHIEVED', summary: 'Cel osiągnięty' })),
    });
    // The plan's history, moved back in time: drafted and submitted 20 days ago, approved and activated 10 days ago, completed today.
    const key = fromGlobalId(plan.id).key;
    await rawAsOwner(`update ipus_revision set changed_at = changed_at - interval '20 days' where ipus_id = $1 and kind in ('CREATED', 'SUBMITTED')`, [key]);
    await rawAsOwner(`update ipus_revision set changed_at = changed_at - interval '10 days' where ipus_id = $1 and kind in ('APPROVED', 'ACTIVATED')`, [key]);

    const empty = {
      recipients: 0,
      recipientsLeft: 2,
      volumeReserved: 0,
      volumeLeft: 20,
      volumeDelivered: 0,
      deliveredSessions: 0,
      budgetCommitted: '0.00',
      budgetUsed: '0.00',
    };
    expect(await use(world.organiser, commissionId, addDays(today(), -30))).toMatchObject({ on: addDays(today(), -30), ...empty });
    // A draft and a plan awaiting approval held nothing.
    expect(await use(world.organiser, commissionId, addDays(today(), -15))).toMatchObject({ on: addDays(today(), -15), ...empty });
    // Approved and active: the whole quantity and the place.
    const active = { recipients: 1, recipientsLeft: 1, volumeReserved: 10, volumeAssigned: 10, volumeLeft: 10, budgetCommitted: '500.00' };
    expect(await use(world.organiser, commissionId, addDays(today(), -10))).toMatchObject(active);
    expect(await use(world.coordinator, commissionId, addDays(today(), -1))).toMatchObject(active);
    expect(await use(partner.who, commissionId, addDays(today(), -5))).toMatchObject(active);
    // Completed today without a delivery: nothing reserved, today and on any later day.
    expect(await use(world.organiser, commissionId, today())).toMatchObject({ on: today(), ...empty });
    expect(await use(world.organiser, commissionId)).toMatchObject({ on: today(), ...empty });
    expect(await use(staff(Role.GMINA_OFFICIAL, GMINA), commissionId, addDays(today(), 30))).toMatchObject({ on: addDays(today(), 30), ...empty });
  });

  it('counts for commissions the caller reads only, even through raw SQL', async () => {
    const commissionId = await activeCommission({ volume: 20, maxRecipients: 2 });
    await activePlan(commissionId, { quantity: 3 });
    const key = fromGlobalId(commissionId).key;
    const sql = `select recipients, volume_reserved::text as reserved from app.commission_use_on(array[$1]::uuid[], $2::date)`;
    const day = addDays(today(), -1);
    expect(
      await rawAsApp(sql, [key, day], sessionVariables({ subject: 'dev-partner', role: Role.PARTNER, gminy: [], partnerId: fromGlobalId(partner.id).key })),
    ).toHaveLength(1);
    expect(
      await rawAsApp(
        sql,
        [key, day],
        sessionVariables({ subject: 'dev-partner', role: Role.PARTNER, gminy: [], partnerId: fromGlobalId(otherPartner.id).key }),
      ),
    ).toEqual([]);
    expect(
      await rawAsApp(sql, [key, day], sessionVariables({ subject: 'dev-coordinator', role: Role.COORDINATOR, gminy: [Number(OTHER)], partnerId: null })),
    ).toEqual([]);
    // Through the API another gmina's staff do not reach the commission at all.
    const foreign = await app.gql(staff(Role.DIRECTOR, OTHER), `query($id: ID!) { commission(id: $id) { use(on: "${day}") { recipients } } }`, {
      id: commissionId,
    });
    expect(foreign.body.data.commission).toBeNull();
  });
});

describe("a commission's count of recipients, asked in SQL", () => {
  it("answers only for commissions of the caller's gminy: another gmina's commission id gives no count", async () => {
    const commissionId = await activeCommission({});
    await world.application();
    // A coordinator of Wiązowna (the demo), asking with a resident of its own and this suite's commission of another gmina.
    const [own] = await rawAsOwner<{ id: string }>('select id from resident where gmina_id = 1417082 and merged_into is null order by id limit 1');
    const settings = sessionVariables({ subject: 'dev-coordinator', role: Role.COORDINATOR, gminy: [1417082], partnerId: null });
    const asked = await rawAsApp(
      'select commission_id, others from app.commission_other_recipients($1::uuid[], $2)',
      [[fromGlobalId(commissionId).key], own.id],
      settings,
    );
    expect(asked).toEqual([]);
    // Its own gmina's director gets the count.
    const [mine] = await rawAsOwner<{ id: string }>('select id from resident where gmina_id = $1 and merged_into is null order by id limit 1', [Number(GMINA)]);
    const counted = await rawAsApp(
      'select others from app.commission_other_recipients($1::uuid[], $2)',
      [[fromGlobalId(commissionId).key], mine.id],
      sessionVariables({ subject: 'dev-director', role: Role.DIRECTOR, gminy: [Number(GMINA)], partnerId: null }),
    );
    expect(counted).toEqual([{ others: 0 }]);
  });
});
