import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role, startTestApp, unique, type TestApp } from './support/app.js';
import { fromGlobalId, toGlobalId } from '../src/platform/graphql/node.js';
import { moveCommissionBack, movePlanBack, sessionDay } from './support/past-sessions.js';
import { addDays, errorsOf, mutate, today, tryMutate } from './support/fixtures.js';
import { planWorld, type PlanWorld } from './support/plan-world.js';
import { partnerItemInput } from './support/commissioned-world.js';

/**
 * Issue 17, gap c: a commission's maxRecipients counts persons. Two records of one person merged
 * (residentMerge) are one recipient, however many of their plans have items under the commission:
 * the count follows the survivor (`coalesce(merged_into, id)`), in the database's use of the
 * commission and in the check that approves plans under it (a plan holds a place from its approval:
 * tests/commission-capacity.test.ts).
 * Gminy (lubuskie, powiat wschowski): Sława (0812013), and Szlichtyngowa (0812023) with a unit of its own.
 */
const GMINA = '0812013';
const OTHER = '0812023';

const COMMISSION = 'commission { id version maxRecipients use { recipients recipientsLeft } }';
const PLAN = 'ipus { id revision status items { commission { id } } }';

let app: TestApp;
let world: PlanWorld;
let partnerId: string;

beforeAll(async () => {
  app = await startTestApp();
  world = await planWorld(app, GMINA, OTHER);
  const created = await mutate(app, world.director, 'partnerCreate', 'PartnerCreateInput', 'partner { id }', {
    name: unique('Stowarzyszenie Jednej Osoby'),
    kind: 'NGO',
    gminy: [GMINA],
  });
  partnerId = created.partner.id;
}, 60_000);
afterAll(async () => {
  await app.close();
});

async function activeCommission(maxRecipients: number) {
  const created = await mutate(app, world.organiser, 'commissionCreate', 'CommissionCreateInput', COMMISSION, {
    cusUnitId: world.unitId,
    partnerId,
    title: unique('Usługi opiekuńcze'),
    procedure: 'OPEN_CALL',
    serviceIds: [world.serviceId],
    agreementNumber: unique('CUS.17'),
    periodStart: addDays(today(), -30),
    periodEnd: addDays(today(), 330),
    budget: '50000.00',
    unitPrice: '50.00',
    volume: 500,
    volumeUnit: 'HOURS',
    maxRecipients,
  });
  return (
    await mutate(app, world.organiser, 'commissionActivate', 'CommissionStatusInput', COMMISSION, {
      id: created.commission.id,
      version: created.commission.version,
    })
  ).commission;
}

function planInput(applicationId: string, commissionId: string) {
  const input = world.draftInput(applicationId) as { items: Record<string, unknown>[] };
  input.items = [partnerItemInput(world, partnerId, commissionId, { weekly: { weekdays: ['MO', 'WE'], startsAt: '09:00', endsAt: '10:00' }, quantity: 3 })];
  return input;
}

/** A plan for the application with one item under the commission, submitted for approval. */
async function submittedPlan(applicationId: string, commissionId: string) {
  const created = await mutate(app, world.coordinator, 'ipusCreate', 'IpusCreateInput', PLAN, planInput(applicationId, commissionId));
  expect(created.ipus.items[0].commission.id).toBe(commissionId);
  return (await mutate(app, world.coordinator, 'ipusSubmit', 'IpusRevisionInput', PLAN, { id: created.ipus.id, revision: created.ipus.revision })).ipus;
}

const approve = (plan: { id: string; revision: number }) =>
  tryMutate(app, world.director, 'ipusApprove', 'IpusRevisionInput', PLAN, { id: plan.id, revision: plan.revision });

/** A plan approved: it holds its resident's place under the commission. */
async function approvedPlan(applicationId: string, commissionId: string) {
  const res = await approve(await submittedPlan(applicationId, commissionId));
  expect(errorsOf(res, 'ipusApprove')).toEqual([]);
}

const recipients = async (id: string) =>
  (await app.gql(world.organiser, `query($id: ID!) { commission(id: $id) { use { recipients recipientsLeft } } }`, { id })).body.data.commission.use;

async function merge(keepId: string, mergeId: string) {
  await mutate(app, world.director, 'residentMerge', 'ResidentMergeInput', 'resident { id mergedIds }', {
    keepId,
    mergeId,
    reason: 'Ta sama osoba, zarejestrowana dwa razy',
  });
}

describe("a commission's recipients are persons: merged records count once", () => {
  it('two records with items under a commission, merged, are one recipient, and the place the second took is free again', async () => {
    const commission = await activeCommission(2);
    const first = await world.application();
    const second = await world.application();
    await approvedPlan(first.applicationId, commission.id);
    await approvedPlan(second.applicationId, commission.id);
    expect(await recipients(commission.id)).toEqual({ recipients: 2, recipientsLeft: 0 });

    await merge(first.residentId, second.residentId);
    expect(await recipients(commission.id)).toEqual({ recipients: 1, recipientsLeft: 1 });

    // The place is there for another person.
    const third = await world.application();
    await approvedPlan(third.applicationId, commission.id);
    expect(await recipients(commission.id)).toEqual({ recipients: 2, recipientsLeft: 0 });
  });

  it("under a cap of one, a plan for the merged record's application joins the survivor's place; another person is still refused", async () => {
    const commission = await activeCommission(1);
    const survivor = await world.application();
    const merged = await world.application();
    await approvedPlan(survivor.applicationId, commission.id);
    await merge(survivor.residentId, merged.residentId);

    const res = await approve(await submittedPlan(merged.applicationId, commission.id));
    expect(res.body.errors).toBeUndefined();
    expect(errorsOf(res, 'ipusApprove')).toEqual([]);
    expect(await recipients(commission.id)).toEqual({ recipients: 1, recipientsLeft: 0 });

    const other = await world.application();
    const refused = await approve(await submittedPlan(other.applicationId, commission.id));
    expect(errorsOf(refused, 'ipusApprove')).toEqual([['input.id', 'CAPACITY_EXCEEDED']]);
  });

  it('the cap of a commission whose two recipients were one person can be lowered to one', async () => {
    const commission = await activeCommission(2);
    const a = await world.application();
    const b = await world.application();
    await approvedPlan(a.applicationId, commission.id);
    await approvedPlan(b.applicationId, commission.id);
    await merge(a.residentId, b.residentId);
    const current = (await app.gql(world.organiser, `query($id: ID!) { commission(id: $id) { version } }`, { id: commission.id })).body.data.commission;
    const lowered = await mutate(app, world.organiser, 'commissionUpdate', 'CommissionUpdateInput', COMMISSION, {
      id: commission.id,
      version: current.version,
      maxRecipients: 1,
    });
    expect(lowered.commission).toMatchObject({ maxRecipients: 1, use: { recipients: 1, recipientsLeft: 0 } });
  });
});

describe('a merged person is one person for the plausibility of deliveries', () => {
  it("a session on the merged record's plan may not overlap the survivor's: the overlap is checked across both records", async () => {
    const commission = await activeCommission(5);
    const survivor = await world.application();
    const merged = await world.application();
    const partner = { role: Role.PARTNER, partner: fromGlobalId(partnerId).key };
    const activePlan = async (applicationId: string) => {
      const submitted = await submittedPlan(applicationId, commission.id);
      const approved = (await mutate(app, world.director, 'ipusApprove', 'IpusRevisionInput', PLAN, { id: submitted.id, revision: submitted.revision })).ipus;
      const active = (
        await mutate(app, world.coordinator, 'ipusActivate', 'IpusActivateInput', 'ipus { id items { id } }', {
          id: approved.id,
          revision: approved.revision,
          agreedOn: today(),
          agreementHow: 'IN_WRITING',
        })
      ).ipus;
      await movePlanBack(active.id);
      return toGlobalId('PartnerAssignment', fromGlobalId(active.items[0].id).key);
    };
    const first = await activePlan(survivor.applicationId);
    const second = await activePlan(merged.applicationId);
    await moveCommissionBack(commission.id);
    await merge(survivor.residentId, merged.residentId);

    const record = (assignmentId: string, startsAt: string) =>
      tryMutate(app, partner, 'deliveryRecord', 'DeliveryRecordInput', 'delivery { id }', {
        assignmentId,
        deliveredOn: sessionDay(),
        startsAt,
        durationMinutes: 60,
        outcome: 'DELIVERED',
      });
    expect(errorsOf(await record(first, '09:00'), 'deliveryRecord')).toEqual([]);
    // The same hour on the other record's plan is the same person's hour.
    expect(errorsOf(await record(second, '09:30'), 'deliveryRecord')).toEqual([['input.startsAt', 'OVERLAPPING']]);
    expect(errorsOf(await record(second, '10:00'), 'deliveryRecord')).toEqual([]);
  });
});
