import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawAsApp, Role, startTestApp, unique, type TestApp, type Who } from './support/app.js';
import { addDays, errorsOf, mutate, staff, today, tryMutate, USER_ERRORS } from './support/fixtures.js';
import { activatePlan, planWorld, type PlanWorld } from './support/plan-world.js';
import { DAYS_BACK, moveCommissionBack, movePlanBack, sessionDay } from './support/past-sessions.js';
import { settle, subscribe, subscribeAndWait } from './support/subscriptions.js';
import { fromGlobalId } from '../src/platform/graphql/node.js';
import { sessionVariables } from '../src/platform/auth/principal.js';
import { isPublicHoliday } from '../src/modules/calendar/public-holidays.js';
import { changeActivePlan } from './support/plan-change.js';
import { validNip } from './support/commissioned-world.js';

/**
 * Commissioning services to partners (DOMAIN.md, "Commissioning services to partners"), end to end
 * through GraphQL: commissions and their status rules, plan items assigned within a commission's
 * capacity, what a partner user sees (its own commissions and assigned items, and nothing else,
 * down to raw SQL under its settings), deliveries and their corrections, the coordinator's view of
 * progress, and live assignment events for partners.
 */
let app: TestApp;
let world: PlanWorld;
const GMINA = '0203011';
const OTHER = '0203022';
/** A gmina of a second CUS where the first partner works too. */
const THIRD = '0203032';

const COMMISSION =
  'commission { id version status title budget unitPrice maxRecipients volume volumeUnit agreementNumber periodStart periodEnd statusReason use { recipients recipientsLeft volumeAssigned volumeLeft volumeDelivered deliveredSessions budgetCommitted budgetUsed } }';
const PLAN = 'ipus { id revision status items { id commission { id } } }';

let partner: { id: string; key: string; who: Who; nip: string };
let otherPartner: { id: string; key: string; who: Who; nip: string };

/** A partner registered by the director of `gmina`'s unit. */
async function registerPartner(gmina: string) {
  const nip = validNip();
  const created = await mutate(app, staff(Role.DIRECTOR, gmina), 'partnerCreate', 'PartnerCreateInput', 'partner { id }', {
    name: unique('Stowarzyszenie Opiekunów'),
    kind: 'NGO',
    gminy: [gmina],
    nip,
  });
  const key = fromGlobalId(created.partner.id).key;
  return { id: created.partner.id as string, key, who: { role: Role.PARTNER, partner: key } satisfies Who, nip };
}

function commissionInput(partnerId: string, extra: Record<string, unknown> = {}) {
  return {
    cusUnitId: world.unitId,
    partnerId,
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
    qualityIndicators: ['Zadowolenie odbiorców'],
    ...extra,
  };
}

async function activeCommission(partnerId: string, extra: Record<string, unknown> = {}) {
  const created = await mutate(app, world.organiser, 'commissionCreate', 'CommissionCreateInput', COMMISSION, commissionInput(partnerId, extra));
  const activated = await mutate(app, world.organiser, 'commissionActivate', 'CommissionStatusInput', COMMISSION, {
    id: created.commission.id,
    version: created.commission.version,
  });
  return activated.commission;
}

/** A plan input with one item provided by `partnerId` (weekly, at the resident's home, from today). */
function partnerPlanInput(applicationId: string, partnerId: string, item: Record<string, unknown> = {}) {
  const input = world.draftInput(applicationId) as { items: Record<string, unknown>[] };
  input.items = [
    {
      goal: 1,
      serviceId: world.serviceId,
      provider: 'PARTNER',
      partnerId,
      place: 'RESIDENT_HOME',
      weekly: { weekdays: ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'], startsAt: '09:00', endsAt: '10:00' },
      startOn: today(),
      endOn: addDays(today(), 60),
      quantity: 3,
      quantityUnit: 'HOURS',
      ...item,
    },
  ];
  return input;
}

interface PartnerPlan {
  id: string;
  revision: number;
  items: { id: string; commission: { id: string } | null }[];
  residentId: string;
}

async function createPartnerPlan(partnerId: string, item: Record<string, unknown> = {}) {
  const { applicationId, residentId } = await world.application();
  const created = await mutate(app, world.coordinator, 'ipusCreate', 'IpusCreateInput', PLAN, partnerPlanInput(applicationId, partnerId, item));
  return { ...created.ipus, residentId } as PartnerPlan;
}

async function activate<T extends { id: string; revision: number }>(plan: T): Promise<T> {
  plan.revision = (await activatePlan<{ revision: number }>(app, world, plan, PLAN)).revision;
  return plan;
}

/** Submits a plan and has the director approve it: approval is where its items take capacity. */
async function submitAndApprove(plan: { id: string; revision: number }) {
  const submitted = await mutate(app, world.coordinator, 'ipusSubmit', 'IpusRevisionInput', PLAN, { id: plan.id, revision: plan.revision });
  return tryMutate(app, world.director, 'ipusApprove', 'IpusRevisionInput', PLAN, { id: plan.id, revision: submitted.ipus.revision });
}

const readCommission = async (who: Who, id: string) =>
  (await app.gql(who, `query($id: ID!) { commission(id: $id) { ${COMMISSION.slice('commission { '.length, -2)} } }`, { id })).body.data?.commission;

beforeAll(async () => {
  app = await startTestApp();
  world = await planWorld(app, GMINA, OTHER);
  partner = await registerPartner(GMINA);
  otherPartner = await registerPartner(GMINA);
}, 60_000);
afterAll(async () => {
  await app.close();
});

describe('commissions', () => {
  it('are created PLANNED, activated only with an agreement number, a period and a budget, and change status only by their mutations', async () => {
    const created = await mutate(app, world.organiser, 'commissionCreate', 'CommissionCreateInput', COMMISSION, {
      cusUnitId: world.unitId,
      partnerId: partner.id,
      title: 'Asystencja osobista',
      procedure: 'SMALL_GRANT',
      serviceIds: [world.serviceId],
      maxRecipients: 5,
    });
    const commission = created.commission;
    expect(commission).toMatchObject({ status: 'PLANNED', agreementNumber: null, budget: null, version: 1 });

    const refused = await tryMutate(app, world.organiser, 'commissionActivate', 'CommissionStatusInput', COMMISSION, { id: commission.id, version: 1 });
    expect(errorsOf(refused, 'commissionActivate')).toEqual([
      ['input.id', 'REQUIRED'],
      ['input.id', 'REQUIRED'],
      ['input.id', 'REQUIRED'],
    ]);
    expect(refused.body.data.commissionActivate.userErrors.map((e: { message: string }) => e.message).join(' ')).toMatch(/agreement number.*period.*budget/);
    expect((await readCommission(world.organiser, commission.id)).status).toBe('PLANNED');

    const updated = await mutate(app, world.organiser, 'commissionUpdate', 'CommissionUpdateInput', COMMISSION, {
      id: commission.id,
      version: 1,
      agreementNumber: 'CUS.526.12.2026',
      periodStart: '2026-01-01',
      periodEnd: '2026-12-31',
      budget: '12345.67',
    });
    expect(updated.commission).toMatchObject({ budget: '12345.67', version: 2 });
    const active = await mutate(app, world.organiser, 'commissionActivate', 'CommissionStatusInput', COMMISSION, { id: commission.id, version: 2 });
    expect(active.commission.status).toBe('ACTIVE');

    const noReason = await tryMutate(app, world.director, 'commissionSuspend', 'CommissionStatusInput', COMMISSION, { id: commission.id, version: 3 });
    expect(errorsOf(noReason, 'commissionSuspend')).toEqual([['input.reason', 'REQUIRED']]);
    const suspended = await mutate(app, world.director, 'commissionSuspend', 'CommissionStatusInput', COMMISSION, {
      id: commission.id,
      version: 3,
      reason: 'Kontrola',
    });
    expect(suspended.commission).toMatchObject({ status: 'SUSPENDED', statusReason: 'Kontrola' });
    const stale = await tryMutate(app, world.director, 'commissionResume', 'CommissionStatusInput', COMMISSION, { id: commission.id, version: 3 });
    expect(errorsOf(stale, 'commissionResume')).toEqual([['input.version', 'CONFLICT']]);
    const resumed = await mutate(app, world.director, 'commissionResume', 'CommissionStatusInput', COMMISSION, { id: commission.id, version: 4 });
    expect(resumed.commission).toMatchObject({ status: 'ACTIVE', statusReason: null });
    const early = await tryMutate(app, world.director, 'commissionComplete', 'CommissionStatusInput', COMMISSION, { id: commission.id, version: 5 });
    expect(errorsOf(early, 'commissionComplete')).toEqual([['input.id', 'NOT_ALLOWED']]);
    const ended = await mutate(app, world.director, 'commissionTerminate', 'CommissionStatusInput', COMMISSION, {
      id: commission.id,
      version: 5,
      reason: 'Rozwiązanie umowy',
    });
    expect(ended.commission.status).toBe('TERMINATED');
    const closed = await tryMutate(app, world.director, 'commissionUpdate', 'CommissionUpdateInput', COMMISSION, {
      id: commission.id,
      version: 6,
      title: 'Nowy',
    });
    expect(errorsOf(closed, 'commissionUpdate')).toEqual([['input.id', 'NOT_ALLOWED']]);
  });

  it('refuse bad terms clearly and write nothing', async () => {
    const before = (await app.gql(world.organiser, '{ commissions(first: 100) { totalCount } }')).body.data.commissions.totalCount;
    const cases: [Record<string, unknown>, [string, string][]][] = [
      [{ title: ' ' }, [['input.title', 'REQUIRED']]],
      [{ serviceIds: [] }, [['input.serviceIds', 'REQUIRED']]],
      [{ serviceIds: [world.serviceId, world.serviceId] }, [['input.serviceIds', 'DUPLICATE']]],
      [{ periodEnd: addDays(today(), -60) }, [['input.periodEnd', 'OUT_OF_RANGE']]],
      [{ volume: -1 }, [['input.volume', 'OUT_OF_RANGE']]],
      [{ volumeUnit: null }, [['input.volumeUnit', 'REQUIRED']]],
      [{ maxRecipients: 0 }, [['input.maxRecipients', 'OUT_OF_RANGE']]],
    ];
    for (const [change, expected] of cases) {
      const res = await tryMutate(app, world.organiser, 'commissionCreate', 'CommissionCreateInput', COMMISSION, commissionInput(partner.id, change));
      expect(errorsOf(res, 'commissionCreate'), JSON.stringify(change)).toEqual(expected);
    }
    const money = await app.gql(world.organiser, `mutation($input: CommissionCreateInput!) { commissionCreate(input: $input) { ${USER_ERRORS} } }`, {
      input: commissionInput(partner.id, { budget: '10.005' }),
    });
    expect(money.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect((await app.gql(world.organiser, '{ commissions(first: 100) { totalCount } }')).body.data.commissions.totalCount).toBe(before);
  });

  it('are managed by the director and the services organiser of their gminy only', async () => {
    const commission = await activeCommission(partner.id);
    for (const who of [world.coordinator, staff(Role.GMINA_OFFICIAL, GMINA), partner.who, { role: Role.MINISTRY }]) {
      const res = await tryMutate(app, who, 'commissionCreate', 'CommissionCreateInput', COMMISSION, commissionInput(partner.id));
      expect(res.body.errors?.[0].extensions?.code, JSON.stringify(who)).toBe('FORBIDDEN');
    }
    // Another gmina's director sees no such commission and cannot change it.
    expect(await readCommission(world.otherDirector, commission.id)).toBeNull();
    const res = await tryMutate(app, world.otherDirector, 'commissionSuspend', 'CommissionStatusInput', COMMISSION, {
      id: commission.id,
      version: commission.version,
      reason: 'x',
    });
    expect(errorsOf(res, 'commissionSuspend')).toEqual([['input.id', 'NOT_FOUND']]);
    expect((await readCommission(world.organiser, commission.id)).status).toBe('ACTIVE');
    // The gmina official reads it (a dashboard of the gmina's commissions).
    expect((await readCommission(staff(Role.GMINA_OFFICIAL, GMINA), commission.id)).id).toBe(commission.id);
  });
});

describe('assigning plan items to partners', () => {
  it('takes an active commission of the partner with capacity left, shows the use on it, and refuses beyond it', async () => {
    const commission = await activeCommission(partner.id, { volume: 10, maxRecipients: 2, budget: '500.00', unitPrice: '50.00' });
    const first = await activate(await createPartnerPlan(partner.id, { quantity: 6, commissionId: commission.id }));
    expect(first.items[0].commission?.id).toBe(commission.id);
    expect((await readCommission(world.organiser, commission.id)).use).toEqual({
      recipients: 1,
      recipientsLeft: 1,
      volumeAssigned: 6,
      volumeLeft: 4,
      volumeDelivered: 0,
      deliveredSessions: 0,
      budgetCommitted: '300.00',
      budgetUsed: '0.00',
    });

    // A draft beyond what is left is saved (it reserves nothing); its approval is refused.
    const tooMuch = await createPartnerPlan(partner.id, { quantity: 6, commissionId: commission.id });
    const refusedApproval = await submitAndApprove(tooMuch);
    expect(errorsOf(refusedApproval, 'ipusApprove')).toEqual([['input.id', 'CAPACITY_EXCEEDED']]);
    expect(refusedApproval.body.data.ipusApprove.userErrors[0].message).toMatch(/4 HOURS left/);

    const second = await activate(await createPartnerPlan(partner.id, { quantity: 4, commissionId: commission.id }));
    expect(second.items[0].commission?.id).toBe(commission.id);
    const full = await readCommission(world.organiser, commission.id);
    expect(full.use).toMatchObject({ recipients: 2, recipientsLeft: 0, volumeLeft: 0, budgetCommitted: '500.00' });

    // No place left: a third resident's plan is not approved, whatever the quantity.
    const refused = await submitAndApprove(await createPartnerPlan(partner.id, { quantity: 1, commissionId: commission.id }));
    expect(errorsOf(refused, 'ipusApprove')).toEqual([['input.id', 'CAPACITY_EXCEEDED']]);

    // Lowering the first plan's item (a change the resident agrees to) frees volume, which the commission shows at once.
    const lowered = await changeActivePlan(
      app,
      world,
      first,
      { items: [{ ...partnerPlanInput('x', partner.id, { quantity: 2, commissionId: commission.id }).items[0], id: first.items[0].id }] },
      PLAN,
    );
    expect(lowered.ipus.items[0].commission.id).toBe(commission.id);
    expect((await readCommission(world.organiser, commission.id)).use).toMatchObject({ volumeAssigned: 6, volumeLeft: 4, budgetCommitted: '300.00' });
    // The commission's terms cannot fall below what is assigned.
    const shrink = await tryMutate(app, world.organiser, 'commissionUpdate', 'CommissionUpdateInput', COMMISSION, {
      id: commission.id,
      version: commission.version,
      volume: 5,
    });
    expect(errorsOf(shrink, 'commissionUpdate')).toEqual([['input.volume', 'OUT_OF_RANGE']]);
  });

  it('weighs budgets and volumes exactly, never as binary floats', async () => {
    // 3 hours at 33.10 cost exactly 99.30 (as floats, 99.30000000000001): the budget may come down to it, and no lower.
    const commission = await activeCommission(partner.id, { volume: 10, maxRecipients: 5, budget: '500.00', unitPrice: '33.10' });
    await activate(await createPartnerPlan(partner.id, { quantity: 3, commissionId: commission.id }));
    const exact = await mutate(app, world.organiser, 'commissionUpdate', 'CommissionUpdateInput', COMMISSION, {
      id: commission.id,
      version: commission.version,
      budget: '99.30',
    });
    expect(exact.commission).toMatchObject({ budget: '99.30', use: { budgetCommitted: '99.30' } });
    const below = await tryMutate(app, world.organiser, 'commissionUpdate', 'CommissionUpdateInput', COMMISSION, {
      id: commission.id,
      version: exact.commission.version,
      budget: '99.29',
    });
    expect(errorsOf(below, 'commissionUpdate')).toEqual([['input.budget', 'OUT_OF_RANGE']]);

    // 17 hours at 1000000.18 take a budget of 17000003.06 whole (as floats, 2e-9 more than it).
    const large = await activeCommission(partner.id, { volume: 17, maxRecipients: 5, budget: '17000003.06', unitPrice: '1000000.18' });
    const plan = await activate(await createPartnerPlan(partner.id, { quantity: 17, commissionId: large.id }));
    expect(plan.items[0].commission?.id).toBe(large.id);
    expect((await readCommission(world.organiser, large.id)).use).toMatchObject({ volumeLeft: 0, budgetCommitted: '17000003.06' });
  });

  it("needs a commission that fits: the partner's, active, for the service, covering the dates, in the item's unit", async () => {
    const fitting = await activeCommission(partner.id);
    const others = await activeCommission(otherPartner.id);
    const planned = (await mutate(app, world.organiser, 'commissionCreate', 'CommissionCreateInput', COMMISSION, commissionInput(partner.id))).commission;
    const short = await activeCommission(partner.id, { periodEnd: addDays(today(), 10) });
    const { applicationId } = await world.application();
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ commissionId: others.id }, 'NOT_ALLOWED', /another partner's commission/],
      [{ commissionId: planned.id }, 'NOT_ALLOWED', /PLANNED/],
      [{ commissionId: short.id }, 'NOT_ALLOWED', /must fall within it/],
      [{ commissionId: fitting.id, quantityUnit: 'SESSIONS' }, 'NOT_ALLOWED', /counts HOURS/],
      [{ provider: 'CUS', partnerId: null, commissionId: fitting.id }, 'INVALID', /Only a PARTNER provider/],
    ];
    for (const [item, code, message] of cases) {
      const res = await tryMutate(app, world.coordinator, 'ipusCreate', 'IpusCreateInput', PLAN, partnerPlanInput(applicationId, partner.id, item));
      const errors = res.body.data.ipusCreate.userErrors;
      expect(
        errors.map((e: { code: string }) => e.code),
        JSON.stringify(item),
      ).toEqual([code]);
      expect(errors[0].message).toMatch(message);
    }
    // A partner with no commission at all for the service.
    const uncommissioned = await registerPartner(GMINA);
    const none = await tryMutate(app, world.coordinator, 'ipusCreate', 'IpusCreateInput', PLAN, partnerPlanInput(applicationId, uncommissioned.id));
    expect(errorsOf(none, 'ipusCreate')).toEqual([['input.items.0.commissionId', 'NOT_ALLOWED']]);
    expect(none.body.data.ipusCreate.userErrors[0].message).toMatch(/no ACTIVE commission/);
  });

  it('decides concurrent plans on the last capacity one after the other: never more than the commission holds', async () => {
    const commission = await activeCommission(otherPartner.id, { volume: 10, maxRecipients: 10 });
    const plans = await Promise.all(Array.from({ length: 5 }, () => createPartnerPlan(otherPartner.id, { quantity: 3, commissionId: commission.id })));
    const submitted = await Promise.all(
      plans.map((plan) => mutate(app, world.coordinator, 'ipusSubmit', 'IpusRevisionInput', PLAN, { id: plan.id, revision: plan.revision })),
    );
    const results = await Promise.all(
      submitted.map(({ ipus }) => tryMutate(app, world.director, 'ipusApprove', 'IpusRevisionInput', PLAN, { id: ipus.id, revision: ipus.revision })),
    );
    for (const res of results) expect(res.body.errors).toBeUndefined();
    const won = results.filter((res) => res.body.data.ipusApprove.ipus !== null);
    const lost = results.filter((res) => res.body.data.ipusApprove.ipus === null);
    expect(won).toHaveLength(3);
    for (const res of lost) expect(errorsOf(res, 'ipusApprove')).toEqual([['input.id', 'CAPACITY_EXCEEDED']]);
    expect((await readCommission(world.organiser, commission.id)).use).toMatchObject({ recipients: 3, volumeAssigned: 9, volumeLeft: 1 });
  });
});

describe('what a partner user sees', () => {
  let plan: Awaited<ReturnType<typeof createPartnerPlan>>;
  let draft: Awaited<ReturnType<typeof createPartnerPlan>>;
  let foreign: Awaited<ReturnType<typeof createPartnerPlan>>;
  let thirdCommission: { id: string };

  beforeAll(async () => {
    await activeCommission(partner.id);
    await activeCommission(otherPartner.id);
    plan = await activate(await createPartnerPlan(partner.id));
    draft = await createPartnerPlan(partner.id);
    foreign = await activate(await createPartnerPlan(otherPartner.id));
    // The partner also works for the CUS of a third gmina, which joins it by its NIP.
    const third = await planWorld(app, THIRD, OTHER);
    await mutate(app, third.director, 'partnerJoin', 'PartnerJoinInput', 'partner { id }', { nip: partner.nip });
    const created = await mutate(app, third.organiser, 'commissionCreate', 'CommissionCreateInput', COMMISSION, {
      ...commissionInput(partner.id),
      cusUnitId: third.unitId,
      serviceIds: [third.serviceId],
    });
    thirdCommission = created.commission;
  }, 60_000);

  it("reads its own commissions across every gmina it works in, with their use, and no one else's", async () => {
    const res = await app.gql(partner.who, '{ commissions(first: 100) { nodes { id partner { id } gminy use { recipients } } } }');
    expect(res.body.errors).toBeUndefined();
    const nodes = res.body.data.commissions.nodes as { id: string; partner: { id: string }; gminy: string[] }[];
    expect(nodes.every((c) => c.partner.id === partner.id)).toBe(true);
    expect(new Set(nodes.flatMap((c) => c.gminy))).toEqual(new Set([GMINA, THIRD]));
    expect(nodes.map((c) => c.id)).toContain(thirdCommission.id);
    const all = (await app.gql(world.organiser, '{ commissions(first: 100) { nodes { id partner { id } } } }')).body.data.commissions.nodes as {
      id: string;
      partner: { id: string };
    }[];
    const othersIds = all.filter((c) => c.partner.id !== partner.id).map((c) => c.id);
    expect(othersIds.length).toBeGreaterThan(0);
    for (const id of othersIds) expect(await readCommission(partner.who, id)).toBeNull();
  });

  it('reads exactly the items assigned to it in approved and active plans, with only what the service needs about the person', async () => {
    const res = await app.gql(
      partner.who,
      `{ assignments(first: 100) { totalCount nodes { id planStatus placeKind startOn quantity coordinatorName
      person { firstName lastName phone email address { street postalCode city } } service { id } commission { id } } } }`,
    );
    expect(res.body.errors).toBeUndefined();
    const ids = res.body.data.assignments.nodes.map((a: { id: string }) => fromGlobalId(a.id).key);
    expect(ids).toContain(fromGlobalId(plan.items[0].id).key);
    expect(ids).not.toContain(fromGlobalId(draft.items[0].id).key);
    expect(ids).not.toContain(fromGlobalId(foreign.items[0].id).key);
    const mine = res.body.data.assignments.nodes.find((a: { id: string }) => fromGlobalId(a.id).key === fromGlobalId(plan.items[0].id).key);
    expect(mine).toMatchObject({
      planStatus: 'ACTIVE',
      placeKind: 'RESIDENT_HOME',
      person: { firstName: 'Helena', lastName: 'Planowa', address: { street: 'ul. Polna 3', postalCode: '42-290', city: 'Blachownia' } },
      service: { id: world.serviceId },
    });
    // The type itself has no field for anything else about the person or the plan.
    const fields = (await app.gql(partner.who, '{ __type(name: "PartnerAssignment") { fields { name } } }')).body.data.__type.fields.map(
      (f: { name: string }) => f.name,
    );
    for (const field of ['pesel', 'note', 'householdNotes', 'goals', 'monitoringNotes', 'resident', 'ipus']) expect(fields).not.toContain(field);
    const person = (await app.gql(partner.who, '{ __type(name: "AssignedPerson") { fields { name } } }')).body.data.__type.fields.map(
      (f: { name: string }) => f.name,
    );
    expect(person.sort()).toEqual(['address', 'email', 'firstName', 'lastName', 'phone']);

    const theirs = await app.gql(otherPartner.who, '{ assignments(first: 100) { nodes { id } } }');
    const theirIds = theirs.body.data.assignments.nodes.map((a: { id: string }) => fromGlobalId(a.id).key);
    expect(theirIds).toContain(fromGlobalId(foreign.items[0].id).key);
    expect(theirIds).not.toContain(fromGlobalId(plan.items[0].id).key);
  });

  it('never learns of a plan terminated before its approval', async () => {
    await mutate(app, world.coordinator, 'ipusTerminate', 'IpusTerminateInput', PLAN, {
      id: draft.id,
      revision: draft.revision,
      reasonCode: 'RESIDENT_RESIGNED',
      reason: 'Rezygnacja',
    });
    const itemKey = fromGlobalId(draft.items[0].id).key;
    const ids = (await app.gql(partner.who, '{ assignments(first: 100) { nodes { id } } }')).body.data.assignments.nodes.map(
      (a: { id: string }) => fromGlobalId(a.id).key,
    );
    expect(ids).not.toContain(itemKey);
    const settings = sessionVariables({ subject: 'dev-partner', role: Role.PARTNER, gminy: [], partnerId: partner.key });
    expect(await rawAsApp('select id from outbox_event where subject_id = $1', [itemKey], settings)).toEqual([]);
    // The plan that was approved does reach it, with its ASSIGNED event.
    const approvedItem = fromGlobalId(plan.items[0].id).key;
    expect(await rawAsApp<{ kind: string }>('select kind from outbox_event where subject_id = $1', [approvedItem], settings)).toEqual([{ kind: 'ASSIGNED' }]);
  });

  it('reaches no plan, resident or other item through any root field, and node() of a foreign item is null', async () => {
    const assignmentId = (await app.gql(otherPartner.who, '{ assignments(first: 100) { nodes { id } } }')).body.data.assignments.nodes[0].id;
    expect((await app.gql(partner.who, 'query($id: ID!) { node(id: $id) { id } }', { id: assignmentId })).body.data.node).toBeNull();
    expect((await app.gql(partner.who, 'query($id: ID!) { node(id: $id) { id } }', { id: plan.items[0].id })).body.data.node).toBeNull();
    for (const query of [
      `{ plans(first: 5) { nodes { id } } }`,
      `{ residents(first: 5) { nodes { id } } }`,
      `query { ipus(id: "${plan.id}") { id } }`,
      `query { resident(id: "${plan.residentId}") { id } }`,
    ]) {
      const res = await app.gql(partner.who, query);
      expect(res.body.errors?.[0].extensions?.code, query).toBe('FORBIDDEN');
    }
    // Staff do not use the partner's door.
    const staffTry = await app.gql(world.coordinator, '{ assignments(first: 5) { nodes { id } } }');
    expect(staffTry.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('cannot reach restricted columns or rows even through raw SQL under its own settings', async () => {
    const settings = sessionVariables({ subject: 'dev-partner', role: Role.PARTNER, gminy: [], partnerId: partner.key });
    const residentKey = fromGlobalId(plan.residentId).key;
    const planKey = fromGlobalId(plan.id).key;
    for (const sql of [
      'select pesel, household_notes from resident',
      'select * from resident_sensitive',
      'select * from ipus',
      'select * from ipus_item',
      'select * from ipus_goal',
      'select * from ipus_monitoring_note',
      'select * from ipus_revision',
      'select * from application',
      'select * from needs_assessment',
      "select * from outbox_event where topic = 'IPUS'",
    ]) {
      expect({ sql, rows: await rawAsApp(sql, [], settings) }).toEqual({ sql, rows: [] });
    }
    // The one door: the view, with its limited columns, and only this partner's rows.
    const rows = await rawAsApp<Record<string, unknown>>('select * from partner_assignment', [], settings);
    expect(rows.length).toBeGreaterThan(0);
    expect(Object.keys(rows[0]).sort()).toEqual([
      'city',
      'commission_id',
      'commission_status',
      'coordinator_name',
      'email',
      'end_on',
      'ends_at',
      'first_name',
      'gmina_id',
      'id',
      'keeps_holidays',
      'last_name',
      'location_id',
      'partner_id',
      'phone',
      'place_kind',
      'plan_activated_on',
      'plan_closed_on',
      'plan_status',
      'postal_code',
      'quantity',
      'quantity_unit',
      'service_id',
      'session_count',
      'start_on',
      'starts_at',
      'street',
      'weekdays',
    ]);
    expect(rows.every((row) => row.partner_id === partner.key)).toBe(true);
    await expect(rawAsApp('select pesel from partner_assignment', [], settings)).rejects.toThrow(/column "pesel" does not exist/);
    // The view has no path to the resident or the plan: no resident id or plan id is there to join on.
    expect(JSON.stringify(rows)).not.toContain(residentKey);
    expect(JSON.stringify(rows)).not.toContain(planKey);
    // Under another partner's settings, or a staff member's, none of these rows.
    const other = sessionVariables({ subject: 'x', role: Role.PARTNER, gminy: [], partnerId: otherPartner.key });
    const otherRows = await rawAsApp<{ partner_id: string }>('select partner_id from partner_assignment', [], other);
    expect(otherRows.every((row) => row.partner_id === otherPartner.key)).toBe(true);
    const staffSettings = sessionVariables({ subject: 'x', role: Role.COORDINATOR, gminy: [Number(GMINA)], partnerId: null });
    expect(await rawAsApp('select * from partner_assignment', [], staffSettings)).toEqual([]);
    // And nothing to write: a partner cannot change a plan item or a commission.
    const itemKey = fromGlobalId(plan.items[0].id).key;
    const updated = await rawAsApp(`update ipus_item set quantity = 99 where id = $1 returning id`, [itemKey], settings);
    expect(updated).toEqual([]);
    expect(await rawAsApp('update commission set budget = 1 returning id', [], settings)).toEqual([]);
  });
});

describe('deliveries', () => {
  let plan: Awaited<ReturnType<typeof createPartnerPlan>>;
  let assignmentId: string;
  let commissionId: string;
  const RECORD =
    'delivery { id version deliveredOn startsAt durationMinutes outcome note hours recordedBy corrections { version changedBy durationMinutes outcome } }';

  beforeAll(async () => {
    commissionId = (await activeCommission(partner.id, { volume: 400 })).id;
    plan = await activate(await createPartnerPlan(partner.id, { commissionId }));
    // Begun a week ago, so sessions are recorded on a past day whatever the time of day.
    await movePlanBack(plan.id);
    await moveCommissionBack(commissionId);
    assignmentId = (await app.gql(partner.who, `query($c: ID!) { assignments(first: 10, filter: { commissionId: $c }) { nodes { id } } }`, { c: commissionId }))
      .body.data.assignments.nodes[0].id;
  }, 60_000);

  const record = (who: Who, input: Record<string, unknown>) =>
    tryMutate(app, who, 'deliveryRecord', 'DeliveryRecordInput', RECORD, {
      assignmentId,
      deliveredOn: sessionDay(),
      startsAt: '09:00',
      durationMinutes: 60,
      outcome: 'DELIVERED',
      ...input,
    });

  it("are recorded by the partner and appear on the coordinator's view of the plan, with progress and the commission's use", async () => {
    const res = await record(partner.who, { note: 'Pomoc w kąpieli i zakupach' });
    expect(errorsOf(res, 'deliveryRecord')).toEqual([]);
    expect(res.body.data.deliveryRecord.delivery).toMatchObject({
      deliveredOn: sessionDay(),
      durationMinutes: 60,
      hours: 1,
      outcome: 'DELIVERED',
      version: 1,
      recordedBy: 'dev-partner',
    });
    expect(errorsOf(await record(partner.who, { startsAt: '11:00', durationMinutes: 90 }), 'deliveryRecord')).toEqual([]);
    expect(errorsOf(await record(partner.who, { startsAt: '13:00', outcome: 'RESIDENT_ABSENT', durationMinutes: 15 }), 'deliveryRecord')).toEqual([]);

    const seen = await app.gql(
      world.coordinator,
      `query($id: ID!) { ipus(id: $id) { items { deliveries { outcome durationMinutes note }
      progress { planned delivered deliveredSessions deliveredHours residentAbsent cancelled lastDeliveredOn } } } }`,
      { id: plan.id },
    );
    expect(seen.body.errors).toBeUndefined();
    const item = seen.body.data.ipus.items[0];
    expect(item.deliveries.map((d: { outcome: string }) => d.outcome)).toEqual(['DELIVERED', 'DELIVERED', 'RESIDENT_ABSENT']);
    expect(item.progress).toEqual({
      planned: 3,
      delivered: 2.5,
      deliveredSessions: 2,
      deliveredHours: 2.5,
      residentAbsent: 1,
      cancelled: 0,
      lastDeliveredOn: sessionDay(),
    });
    expect((await readCommission(world.organiser, commissionId)).use).toMatchObject({ volumeDelivered: 2.5, deliveredSessions: 2, budgetUsed: '125.00' });
    // Another gmina's coordinator sees none of it.
    const outside = await app.gql(world.otherCoordinator, '{ deliveries(first: 100) { nodes { id } } }');
    expect(outside.body.data.deliveries.nodes).toEqual([]);
  });

  it("are refused clearly outside the item's period, for an item not assigned to the partner, in duplicate, or ahead of time, and nothing is written", async () => {
    const count = async () =>
      (await app.gql(partner.who, `query($c: ID!) { deliveries(first: 100, filter: { commissionId: $c }) { totalCount } }`, { c: commissionId })).body.data
        .deliveries.totalCount;
    const before = await count();
    expect(errorsOf(await record(partner.who, { deliveredOn: addDays(today(), -DAYS_BACK - 1), startsAt: '07:00' }), 'deliveryRecord')).toEqual([
      ['input.deliveredOn', 'OUT_OF_RANGE'],
    ]);
    expect(
      errorsOf(await record(partner.who, { deliveredOn: addDays(today(), 61), startsAt: '07:00', outcome: 'CANCELLED_BY_RESIDENT' }), 'deliveryRecord'),
    ).toEqual([['input.deliveredOn', 'OUT_OF_RANGE']]);
    expect(errorsOf(await record(partner.who, { deliveredOn: addDays(today(), 1), startsAt: '07:00' }), 'deliveryRecord')).toEqual([
      ['input.deliveredOn', 'IN_FUTURE'],
    ]);
    expect(errorsOf(await record(partner.who, { startsAt: '09:00' }), 'deliveryRecord')).toEqual([['input.startsAt', 'DUPLICATE']]);
    expect(errorsOf(await record(otherPartner.who, { startsAt: '07:00' }), 'deliveryRecord')).toEqual([['input.assignmentId', 'NOT_FOUND']]);
    expect(errorsOf(await record(partner.who, { startsAt: '07:00', durationMinutes: 0 }), 'deliveryRecord')).toEqual([
      ['input.durationMinutes', 'OUT_OF_RANGE'],
    ]);
    // A plan that is approved but not yet active takes no deliveries.
    const approvedPlan = await createPartnerPlan(partner.id, { commissionId });
    const submitted = await mutate(app, world.coordinator, 'ipusSubmit', 'IpusRevisionInput', PLAN, { id: approvedPlan.id, revision: approvedPlan.revision });
    await mutate(app, world.director, 'ipusApprove', 'IpusRevisionInput', PLAN, { id: approvedPlan.id, revision: submitted.ipus.revision });
    const approvedAssignment = Buffer.from(`PartnerAssignment:${fromGlobalId(approvedPlan.items[0].id).key}`).toString('base64url');
    const early = await tryMutate(app, partner.who, 'deliveryRecord', 'DeliveryRecordInput', RECORD, {
      assignmentId: approvedAssignment,
      deliveredOn: today(),
      startsAt: '09:00',
      durationMinutes: 60,
      outcome: 'DELIVERED',
    });
    expect(errorsOf(early, 'deliveryRecord')).toEqual([['input.assignmentId', 'NOT_ALLOWED']]);
    // Staff do not record on the partner's behalf (they record in-house items: tests/deliveries-every-provider.test.ts).
    expect(errorsOf(await record(world.coordinator, { startsAt: '07:00' }), 'deliveryRecord')).toEqual([['input.assignmentId', 'NOT_ALLOWED']]);
    expect(await count()).toBe(before);
    // The database refuses the same even from raw SQL under the partner's settings.
    const settings = sessionVariables({ subject: 'dev-partner', role: Role.PARTNER, gminy: [], partnerId: partner.key });
    const itemKey = fromGlobalId(plan.items[0].id).key;
    await expect(
      rawAsApp(
        `insert into delivery (gmina_id, ipus_item_id, commission_id, partner_id, delivered_on, starts_at, duration_minutes, outcome, recorded_by)
      values ($1, $2, $3, $4, $5, '07:00', 60, 'DELIVERED', 'dev-partner')`,
        [Number(GMINA), itemKey, fromGlobalId(commissionId).key, partner.key, addDays(today(), -DAYS_BACK - 1)],
        settings,
      ),
    ).rejects.toThrow(/outside the item's period/);
    const otherSettings = sessionVariables({ subject: 'x', role: Role.PARTNER, gminy: [], partnerId: otherPartner.key });
    await expect(
      rawAsApp(
        `insert into delivery (gmina_id, ipus_item_id, commission_id, partner_id, delivered_on, starts_at, duration_minutes, outcome, recorded_by)
      values ($1, $2, $3, $4, $5, '07:00', 60, 'DELIVERED', 'x')`,
        [Number(GMINA), itemKey, fromGlobalId(commissionId).key, otherPartner.key, today()],
        otherSettings,
      ),
    ).rejects.toThrow(/not assigned to this partner/);
  });

  it('keep the previous values when corrected: who changed what, and when', async () => {
    const created = await record(partner.who, { startsAt: '15:00', durationMinutes: 45 });
    const delivery = created.body.data.deliveryRecord.delivery;
    const corrected = await mutate(app, partner.who, 'deliveryCorrect', 'DeliveryCorrectInput', RECORD, { id: delivery.id, version: 1, durationMinutes: 50 });
    expect(corrected.delivery).toMatchObject({
      version: 2,
      durationMinutes: 50,
      corrections: [{ version: 1, changedBy: 'dev-partner', durationMinutes: 45, outcome: 'DELIVERED' }],
    });
    const stale = await tryMutate(app, partner.who, 'deliveryCorrect', 'DeliveryCorrectInput', RECORD, { id: delivery.id, version: 1, durationMinutes: 55 });
    expect(errorsOf(stale, 'deliveryCorrect')).toEqual([['input.version', 'CONFLICT']]);
    const clash = await tryMutate(app, partner.who, 'deliveryCorrect', 'DeliveryCorrectInput', RECORD, { id: delivery.id, version: 2, startsAt: '09:00' });
    expect(errorsOf(clash, 'deliveryCorrect')).toEqual([['input.startsAt', 'DUPLICATE']]);
    const notMine = await tryMutate(app, otherPartner.who, 'deliveryCorrect', 'DeliveryCorrectInput', RECORD, {
      id: delivery.id,
      version: 2,
      durationMinutes: 5,
    });
    expect(errorsOf(notMine, 'deliveryCorrect')).toEqual([['input.id', 'NOT_FOUND']]);
    // The coordinator sees the correction history too.
    const seen = await app.gql(
      world.coordinator,
      'query($id: ID!) { node(id: $id) { ... on Delivery { durationMinutes corrections { durationMinutes changedBy } } } }',
      { id: delivery.id },
    );
    expect(seen.body.data.node).toEqual({ durationMinutes: 50, corrections: [{ durationMinutes: 45, changedBy: 'dev-partner' }] });
  });

  it('keep their item in the plan: an item with deliveries cannot be removed or given to another partner', async () => {
    const current = await app.gql(world.coordinator, 'query($id: ID!) { ipus(id: $id) { revision } }', { id: plan.id });
    const removed = await tryMutate(app, world.coordinator, 'ipusUpdate', 'IpusUpdateInput', PLAN, {
      id: plan.id,
      revision: current.body.data.ipus.revision,
      items: [],
    });
    expect(errorsOf(removed, 'ipusUpdate')).toEqual([['input.items', 'NOT_ALLOWED']]);
  });

  it("are listed for the partner's report by month, page by page, and its week is laid out as a schedule", async () => {
    const all = await app.gql(
      partner.who,
      `query($from: LocalDate, $to: LocalDate) { deliveries(first: 100, filter: { from: $from, to: $to }) { totalCount nodes { id } } }`,
      { from: `${sessionDay().slice(0, 7)}-01`, to: today() },
    );
    const ids = all.body.data.deliveries.nodes.map((d: { id: string }) => d.id);
    expect(ids.length).toBe(all.body.data.deliveries.totalCount);
    expect(ids.length).toBeGreaterThanOrEqual(4);
    const walked: string[] = [];
    let after: string | null = null;
    do {
      const page: any = await app.gql(
        partner.who,
        `query($after: String, $from: LocalDate, $to: LocalDate) { deliveries(first: 2, after: $after, filter: { from: $from, to: $to }) {
        nodes { id } pageInfo { hasNextPage endCursor } } }`,
        { after, from: `${sessionDay().slice(0, 7)}-01`, to: today() },
      );
      walked.push(...page.body.data.deliveries.nodes.map((d: { id: string }) => d.id));
      after = page.body.data.deliveries.pageInfo.hasNextPage ? page.body.data.deliveries.pageInfo.endCursor : null;
    } while (after);
    expect(walked).toEqual(ids);

    const week = await app.gql(
      partner.who,
      `query($from: LocalDate!, $to: LocalDate!) { schedule(from: $from, to: $to, first: 100) {
      totalCount nodes { date startsAt endsAt assignment { id person { lastName } } delivery { outcome } } } }`,
      { from: sessionDay(), to: addDays(sessionDay(), 6) },
    );
    expect(week.body.errors).toBeUndefined();
    const visits = week.body.data.schedule.nodes as { date: string; startsAt: string; assignment: { id: string }; delivery: { outcome: string } | null }[];
    const ofPlan = visits.filter((v) => v.assignment.id === assignmentId);
    // Every day of the week but public holidays (issue 20).
    const days = Array.from({ length: 7 }, (_, i) => addDays(sessionDay(), i)).filter((day) => !isPublicHoliday(day));
    expect(ofPlan.map((v) => v.date)).toEqual(days);
    if (!isPublicHoliday(sessionDay())) expect(ofPlan[0].delivery).toEqual({ outcome: 'DELIVERED' });
    const sorted = [...visits].sort((a, b) => `${a.date}${a.startsAt}`.localeCompare(`${b.date}${b.startsAt}`));
    expect(visits.map((v) => v.date + v.startsAt)).toEqual(sorted.map((v) => v.date + v.startsAt));
    const tooLong = await app.gql(partner.who, `{ schedule(from: "${today()}", to: "${addDays(today(), 40)}") { totalCount } }`);
    expect(tooLong.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');

    // A day the gmina declares closed leaves the partner's schedule too; the partner reads it, and it comes back when withdrawn.
    // Of the five days after today at most three in a row are holidays (24-26 December), so one is left.
    const closed = days.find((day) => day > today()) as string;
    expect(closed).toBeTruthy();
    const declared = await mutate(app, world.director, 'gminaClosedDayDeclare', 'GminaClosedDayDeclareInput', 'closedDay { id }', {
      gmina: GMINA,
      day: closed,
      reason: 'Dzień wolny urzędu',
    });
    const weekNow = async () => {
      const res = await app.gql(
        partner.who,
        `query($from: LocalDate!, $to: LocalDate!) { schedule(from: $from, to: $to, first: 100) { nodes { date assignment { id } } } }`,
        {
          from: sessionDay(),
          to: addDays(sessionDay(), 6),
        },
      );
      expect(res.body.errors).toBeUndefined();
      return res.body.data.schedule.nodes.filter((v: { assignment: { id: string } }) => v.assignment.id === assignmentId).map((v: { date: string }) => v.date);
    };
    expect(await weekNow()).toEqual(days.filter((day) => day !== closed));
    const seen = await app.gql(partner.who, `{ gminaClosedDays(from: "${today()}", to: "${addDays(today(), 7)}") { day } }`);
    expect(seen.body.data.gminaClosedDays).toEqual([{ day: closed }]);
    await mutate(app, world.director, 'gminaClosedDayWithdraw', 'GminaClosedDayWithdrawInput', 'closedDay { id }', { id: declared.closedDay.id });
    expect(await weekNow()).toEqual(days);
  });

  it('skips a public holiday on the schedule, except for an item that keeps holidays', async () => {
    // No two Polish public holidays lie more than 110 days apart (6 January to Easter Monday at the latest).
    const holiday = Array.from({ length: 110 }, (_, i) => addDays(today(), i + 1)).find(isPublicHoliday) as string;
    const endOn = addDays(holiday, 7);
    const ownCommission = (await activeCommission(partner.id, { volume: 100 })).id;
    await activate(await createPartnerPlan(partner.id, { commissionId: ownCommission, endOn }));
    await activate(
      await createPartnerPlan(partner.id, {
        commissionId: ownCommission,
        endOn,
        weekly: { weekdays: ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'], startsAt: '11:00', endsAt: '12:00', keepsHolidays: true },
      }),
    );
    // The partner does not see plan ids; the two items are told apart by their hours.
    const assignments = await app.gql(partner.who, `query($c: ID!) { assignments(first: 10, filter: { commissionId: $c }) { nodes { id startsAt } } }`, {
      c: ownCommission,
    });
    expect(assignments.body.errors).toBeUndefined();
    expect(assignments.body.data.assignments.nodes).toHaveLength(2);
    const assignmentAt = (startsAt: string) =>
      assignments.body.data.assignments.nodes.find((a: { startsAt: string }) => a.startsAt.startsWith(startsAt)).id as string;
    const window = Array.from({ length: 7 }, (_, i) => addDays(holiday, i - 3)).filter((day) => day >= today());
    const res = await app.gql(
      partner.who,
      `query($from: LocalDate!, $to: LocalDate!) { schedule(from: $from, to: $to, first: 100) { totalCount nodes { date assignment { id } } } }`,
      {
        from: window[0],
        to: window[window.length - 1],
      },
    );
    expect(res.body.errors).toBeUndefined();
    const datesOf = (startsAt: string) =>
      res.body.data.schedule.nodes
        .filter((v: { assignment: { id: string } }) => v.assignment.id === assignmentAt(startsAt))
        .map((v: { date: string }) => v.date);
    expect(datesOf('09:00')).toEqual(window.filter((day) => !isPublicHoliday(day)));
    expect(datesOf('09:00')).not.toContain(holiday);
    expect(datesOf('11:00')).toEqual(window);
  });
});

describe('live assignments for partners', () => {
  const SUB = `subscription($after: String) { assignmentUpdated(after: $after) { eventId kind changes assignmentId assignment { person { lastName } startsAt } } }`;

  it('tells the partner of a new assignment, a schedule change and a withdrawal, and another partner nothing; a resume replays what was missed once', async () => {
    const client = app.ws(partner.who);
    const otherClient = app.ws(otherPartner.who);
    const mine = await subscribeAndWait(app, client, SUB);
    const theirs = await subscribeAndWait(app, otherClient, SUB);
    const commission = await activeCommission(partner.id);
    const plan = await activate(await createPartnerPlan(partner.id, { commissionId: commission.id }));
    const [assigned] = await mine.waitFor(1);
    expect(assigned.assignmentUpdated).toMatchObject({ kind: 'ASSIGNED', assignment: { person: { lastName: 'Planowa' }, startsAt: '09:00' } });
    expect(fromGlobalId(assigned.assignmentUpdated.assignmentId).key).toBe(fromGlobalId(plan.items[0].id).key);

    const item = partnerPlanInput('x', partner.id, { commissionId: commission.id, weekly: { weekdays: ['MO'], startsAt: '12:00', endsAt: '13:00' } }).items[0];
    const moved = await changeActivePlan(app, world, plan, { items: [{ ...item, id: plan.items[0].id }] }, PLAN);
    const [, changed] = await mine.waitFor(2);
    expect(changed.assignmentUpdated).toMatchObject({ kind: 'CHANGED', assignment: { startsAt: '12:00' } });
    expect(changed.assignmentUpdated.changes.sort()).toEqual(['endsAt', 'startsAt', 'weekdays']);
    mine.stop();

    // While the partner is away: the item is withdrawn.
    await changeActivePlan(app, world, { id: plan.id, revision: moved.ipus.revision }, { items: [] }, PLAN);
    const resumed = subscribe(app.ws(partner.who), SUB, { after: changed.assignmentUpdated.eventId });
    const [withdrawn] = await resumed.waitFor(1);
    expect(withdrawn.assignmentUpdated).toMatchObject({ kind: 'WITHDRAWN', assignment: null });
    await settle();
    expect(resumed.received).toHaveLength(1);
    expect(theirs.received).toEqual([]);
    resumed.stop();
    theirs.stop();
  });

  it('is for partner users only', async () => {
    const sub = subscribe(app.ws(world.coordinator), SUB);
    await sub.ended;
    expect(JSON.stringify(sub.error ?? sub.results)).toMatch(/FORBIDDEN|partner users/);
  });
});
