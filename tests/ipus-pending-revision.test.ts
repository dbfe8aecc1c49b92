import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Role, startTestApp, type TestApp, type Who } from './support/app.js';
import { activatePlan, activeCommission, partnerItemInput, registerPartner } from './support/commissioned-world.js';
import { addDays, errorsOf, mutate, staff, today, tryMutate } from './support/fixtures.js';
import { planWorld, type PlanRef, type PlanWorld } from './support/plan-world.js';
import { fromGlobalId } from '../src/platform/graphql/node.js';

/**
 * A material change of an ACTIVE plan (issue 20) waits as a pending revision: proposed with a reason
 * by the coordinator, approved or returned by the director or a services organiser, agreed by the
 * resident (recorded by the coordinator), or withdrawn; the plan in force does not change before the
 * agreement, and capacity is checked again when the change takes effect. Terminations carry a coded
 * reason. Through the API, per role. Gminy (śląskie): A Blachownia (2404013), B Dąbrowa Zielona (2404022).
 */
const A = '2404013';
const B = '2404022';

let app: TestApp;
let world: PlanWorld;

beforeAll(async () => {
  app = await startTestApp();
  world = await planWorld(app, A, B);
}, 60_000);
afterAll(async () => {
  await app.close();
});

const PENDING = `pendingRevision { state reason proposedBy proposedOn approvedBy approvedOn returnedReason changes { path }
  plan { periodEnd items { weekdays quantity } goals { description } } }`;
const PLAN = `id status revision periodEnd agreedOn agreementHow terminationCode terminationReason
  goals { id description } items { id weekdays quantity note } supportingActions { description }
  ${PENDING}`;
const READ = `query($id: ID!) { ipus(id: $id) { ${PLAN} } }`;

const read = async (who: Who, id: string) => {
  const res = await app.gql(who, READ, { id });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.ipus;
};
const attempt = (who: Who, field: string, inputType: string, input: Record<string, unknown>) =>
  tryMutate(app, who, field, inputType, `ipus { ${PLAN} }`, input);
const ok = async (who: Who, field: string, inputType: string, plan: PlanRef, input: Record<string, unknown> = {}) => {
  const done = (await mutate(app, who, field, inputType, `ipus { ${PLAN} }`, { id: plan.id, revision: plan.revision, ...input })).ipus;
  plan.revision = done.revision;
  return done;
};

/** The input of ipusChangeAgree: the resident agreed today, in writing. */
const agreedToday = (plan: PlanRef) => ({ id: plan.id, revision: plan.revision, agreedOn: today(), agreementHow: 'IN_WRITING' });

/** Attempts `field` as `who` and asserts the refusal's [field, code] pairs and that the plan reads exactly as before. */
async function refused(
  who: Who,
  field: string,
  inputType: string,
  input: Record<string, unknown>,
  expected: [string, string][],
  planId: string,
  before: unknown,
) {
  const res = await attempt(who, field, inputType, input);
  expect(res.body.errors).toBeUndefined();
  expect(errorsOf(res, field)).toEqual(expected);
  expect(res.body.data[field].ipus).toBeNull();
  expect(await read(world.coordinator, planId)).toEqual(before);
}

/** The plan's one item, as the API takes it, with changes. */
function itemInput(plan: { items: { id: string }[] }, extra: Record<string, unknown> = {}) {
  return {
    id: plan.items[0].id,
    goal: 1,
    serviceId: world.serviceId,
    provider: 'CUS',
    place: 'RESIDENT_HOME',
    weekly: { weekdays: ['TU', 'TH'], startsAt: '10:00', endsAt: '12:00' },
    startOn: today(),
    endOn: addDays(today(), 90),
    quantity: 4,
    quantityUnit: 'HOURS',
    ...extra,
  };
}

/** The attack of issue 20: 50 more hours and a new weekday. */
const moreHours = (plan: { items: { id: string }[] }) =>
  itemInput(plan, { quantity: 54, weekly: { weekdays: ['MO', 'TU', 'TH'], startsAt: '10:00', endsAt: '12:00' } });

describe('a material change of an active plan', () => {
  test('ipusUpdate of 50 more hours and a new weekday is refused and changes nothing; a note and a supporting action still apply at once', async () => {
    const plan = await world.activePlan();
    const before = await read(world.coordinator, plan.id);
    expect(before.items[0]).toMatchObject({ weekdays: ['TU', 'TH'], quantity: 4 });
    for (const change of [
      { items: [moreHours(before)] },
      { periodEnd: addDays(before.periodEnd, -10) },
      {
        goals: [
          { id: before.goals[0].id, description: 'Inny cel' },
          { id: before.goals[1].id, description: before.goals[1].description },
        ],
      },
    ]) {
      await refused(
        world.coordinator,
        'ipusUpdate',
        'IpusUpdateInput',
        { id: plan.id, revision: plan.revision, ...change },
        [['input.id', 'NOT_ALLOWED']],
        plan.id,
        before,
      );
    }
    // Not material: the item's note, supporting actions, the coordinator's name.
    const noted = await ok(world.coordinator, 'ipusUpdate', 'IpusUpdateInput', plan, {
      coordinatorName: 'Anna Nowak',
      items: [itemInput(before, { note: 'Klucz u sąsiadki' })],
      supportingActions: [{ description: 'Zakupy dwa razy w tygodniu', giverKind: 'NEIGHBOUR' }],
    });
    expect(noted).toMatchObject({
      items: [{ note: 'Klucz u sąsiadki', quantity: 4 }],
      supportingActions: [{ description: 'Zakupy dwa razy w tygodniu' }],
      pendingRevision: null,
    });
  });

  test('proposed with a reason, approved, agreed by the resident: only then in force; each step a revision and an event kind', async () => {
    const plan = await world.activePlan();
    const before = await read(world.coordinator, plan.id);

    // A reason is required; nothing written without it.
    await refused(
      world.coordinator,
      'ipusChangePropose',
      'IpusChangeProposeInput',
      {
        id: plan.id,
        revision: plan.revision,
        reason: ' ',
        items: [moreHours(before)],
      },
      [['input.reason', 'REQUIRED']],
      plan.id,
      before,
    );
    // Nothing material: ipusUpdate is the way.
    await refused(
      world.coordinator,
      'ipusChangePropose',
      'IpusChangeProposeInput',
      {
        id: plan.id,
        revision: plan.revision,
        reason: 'Notatka',
        coordinatorName: 'X',
      },
      [['input.id', 'INVALID']],
      plan.id,
      before,
    );

    const proposed = await ok(world.coordinator, 'ipusChangePropose', 'IpusChangeProposeInput', plan, {
      reason: 'Pogorszenie stanu zdrowia: potrzeba więcej godzin',
      items: [moreHours(before)],
    });
    // The plan in force is as it was; the proposal shows what would change.
    expect(proposed.items).toEqual(before.items);
    expect(proposed.pendingRevision).toMatchObject({
      state: 'AWAITING_APPROVAL',
      reason: 'Pogorszenie stanu zdrowia: potrzeba więcej godzin',
      proposedOn: today(),
      approvedBy: null,
      plan: { items: [{ weekdays: ['MO', 'TU', 'TH'], quantity: 54 }] },
    });
    expect(proposed.pendingRevision.changes.map((c: { path: string }) => c.path).sort()).toEqual([
      `items[${fromGlobalId(before.items[0].id).key}].quantity`,
      `items[${fromGlobalId(before.items[0].id).key}].weekdays`,
    ]);
    // The item's next visits still follow the plan in force (Tuesdays and Thursdays).
    const visits = await app.gql(world.coordinator, `query($id: ID!) { ipus(id: $id) { items { nextVisits(first: 6) } } }`, { id: plan.id });
    for (const day of visits.body.data.ipus.items[0].nextVisits) expect([2, 4]).toContain(new Date(`${day}T12:00:00Z`).getUTCDay());

    // A second proposal waits for the first; the coordinator cannot approve; the resident cannot agree before approval.
    const pending = await read(world.coordinator, plan.id);
    await refused(
      world.coordinator,
      'ipusChangePropose',
      'IpusChangeProposeInput',
      {
        id: plan.id,
        revision: plan.revision,
        reason: 'Jeszcze',
        items: [itemInput(before, { quantity: 10 })],
      },
      [['input.id', 'NOT_ALLOWED']],
      plan.id,
      pending,
    );
    const notApprover = await app.gql(world.coordinator, `mutation($input: IpusRevisionInput!) { ipusChangeApprove(input: $input) { ipus { id } } }`, {
      input: { id: plan.id, revision: plan.revision },
    });
    expect(notApprover.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    await refused(world.coordinator, 'ipusChangeAgree', 'IpusActivateInput', agreedToday(plan), [['input.id', 'NOT_ALLOWED']], plan.id, pending);

    const approved = await ok(world.organiser, 'ipusChangeApprove', 'IpusRevisionInput', plan);
    expect(approved.pendingRevision).toMatchObject({ state: 'APPROVED', approvedOn: today() });
    expect(approved.items).toEqual(before.items);

    // Another gmina's coordinator sees nothing and changes nothing.
    const approvedNow = await read(world.coordinator, plan.id);
    await refused(world.otherCoordinator, 'ipusChangeAgree', 'IpusActivateInput', agreedToday(plan), [['input.id', 'NOT_FOUND']], plan.id, approvedNow);
    // An edit while the change is pending would be undone when the change takes effect: refused (found in review).
    await refused(
      world.coordinator,
      'ipusUpdate',
      'IpusUpdateInput',
      { id: plan.id, revision: plan.revision, coordinatorName: 'Nowa Koordynatorka' },
      [['input.id', 'NOT_ALLOWED']],
      plan.id,
      approvedNow,
    );
    await refused(
      world.coordinator,
      'ipusChangeAgree',
      'IpusActivateInput',
      {
        id: plan.id,
        revision: plan.revision,
        agreedOn: addDays(today(), 1),
        agreementHow: 'IN_WRITING',
      },
      [['input.agreedOn', 'OUT_OF_RANGE']],
      plan.id,
      approvedNow,
    );

    const agreed = await ok(world.coordinator, 'ipusChangeAgree', 'IpusActivateInput', plan, { agreedOn: today(), agreementHow: 'BY_PHONE' });
    expect(agreed).toMatchObject({
      status: 'ACTIVE',
      agreementHow: 'BY_PHONE',
      pendingRevision: null,
      items: [{ weekdays: ['MO', 'TU', 'TH'], quantity: 54 }],
    });

    const history = await app.gql(world.coordinator, `query($id: ID!) { ipus(id: $id) { revisions { kind changedByRole } } }`, { id: plan.id });
    expect(history.body.data.ipus.revisions.slice(0, 3)).toEqual([
      { kind: 'CHANGE_AGREED', changedByRole: 'COORDINATOR' },
      { kind: 'CHANGE_APPROVED', changedByRole: 'SERVICES_ORGANISER' },
      { kind: 'CHANGE_PROPOSED', changedByRole: 'COORDINATOR' },
    ]);
  });

  test('a proposed change that also replaces the coordinated help shows the new help, and brings it when agreed (found in review)', async () => {
    const plan = await world.activePlan();
    const before = await read(world.coordinator, plan.id);
    const HELP = 'coordinatedHelp { system providerName }';
    const help = [{ system: 'HEALTH_CARE', providerName: 'Przychodnia Rehabilitacyjna NFZ', description: 'Rehabilitacja ruchowa' }];
    const proposed = (
      await mutate(
        app,
        world.coordinator,
        'ipusChangePropose',
        'IpusChangeProposeInput',
        `ipus { revision ${HELP} pendingRevision { changes { path } plan { ${HELP} } } }`,
        {
          id: plan.id,
          revision: plan.revision,
          reason: 'Więcej godzin i rehabilitacja',
          items: [moreHours(before)],
          coordinatedHelp: help,
        },
      )
    ).ipus;
    plan.revision = proposed.revision;
    expect(proposed.coordinatedHelp).toEqual([]);
    expect(proposed.pendingRevision.plan.coordinatedHelp).toEqual([{ system: 'HEALTH_CARE', providerName: 'Przychodnia Rehabilitacyjna NFZ' }]);
    expect(proposed.pendingRevision.changes.some((c: { path: string }) => c.path.startsWith('coordinatedHelp['))).toBe(true);
    await ok(world.organiser, 'ipusChangeApprove', 'IpusRevisionInput', plan);
    await ok(world.coordinator, 'ipusChangeAgree', 'IpusActivateInput', plan, { agreedOn: today(), agreementHow: 'IN_WRITING' });
    const agreed = await app.gql(world.coordinator, `query($id: ID!) { ipus(id: $id) { ${HELP} } }`, { id: plan.id });
    expect(agreed.body.data.ipus.coordinatedHelp).toEqual([{ system: 'HEALTH_CARE', providerName: 'Przychodnia Rehabilitacyjna NFZ' }]);
  });

  test('returned with a reason, proposed anew, withdrawn: the plan in force never changes', async () => {
    const plan = await world.activePlan();
    const before = await read(world.coordinator, plan.id);
    await ok(world.coordinator, 'ipusChangePropose', 'IpusChangeProposeInput', plan, { reason: 'Dłuższy plan', periodEnd: addDays(before.periodEnd, 30) });
    const proposed = await read(world.coordinator, plan.id);
    await refused(
      world.director,
      'ipusChangeReturn',
      'IpusReturnInput',
      { id: plan.id, revision: plan.revision, reason: '' },
      [['input.reason', 'REQUIRED']],
      plan.id,
      proposed,
    );
    const returned = await ok(world.director, 'ipusChangeReturn', 'IpusReturnInput', plan, { reason: 'Najpierw ocena postępów' });
    expect(returned.pendingRevision).toMatchObject({
      state: 'RETURNED',
      returnedReason: 'Najpierw ocena postępów',
      plan: { periodEnd: addDays(before.periodEnd, 30) },
    });
    expect(returned.periodEnd).toBe(before.periodEnd);

    // A returned change cannot be approved; a new proposal replaces it.
    const now = await read(world.coordinator, plan.id);
    await refused(
      world.director,
      'ipusChangeApprove',
      'IpusRevisionInput',
      { id: plan.id, revision: plan.revision },
      [['input.id', 'NOT_ALLOWED']],
      plan.id,
      now,
    );
    const anew = await ok(world.coordinator, 'ipusChangePropose', 'IpusChangeProposeInput', plan, {
      reason: 'Dłuższy plan, po ocenie',
      periodEnd: addDays(before.periodEnd, 14),
    });
    expect(anew.pendingRevision).toMatchObject({ state: 'AWAITING_APPROVAL', returnedReason: null, plan: { periodEnd: addDays(before.periodEnd, 14) } });

    const withdrawn = await ok(world.coordinator, 'ipusChangeWithdraw', 'IpusRevisionInput', plan);
    expect(withdrawn).toEqual({ ...before, revision: plan.revision });
    const after = await read(world.coordinator, plan.id);
    await refused(
      world.coordinator,
      'ipusChangeWithdraw',
      'IpusRevisionInput',
      { id: plan.id, revision: plan.revision },
      [['input.id', 'NOT_ALLOWED']],
      plan.id,
      after,
    );
  });

  test('an APPROVED change is withdrawn before the agreement: dropped, the plan in force unchanged', async () => {
    const plan = await world.activePlan();
    const before = await read(world.coordinator, plan.id);
    await ok(world.coordinator, 'ipusChangePropose', 'IpusChangeProposeInput', plan, { reason: 'Więcej godzin', items: [moreHours(before)] });
    const approved = await ok(world.director, 'ipusChangeApprove', 'IpusRevisionInput', plan);
    expect(approved.pendingRevision).toMatchObject({ state: 'APPROVED' });
    const withdrawn = await ok(world.coordinator, 'ipusChangeWithdraw', 'IpusRevisionInput', plan);
    expect(withdrawn).toEqual({ ...before, revision: plan.revision });
    // Nothing is left to agree to.
    await refused(world.coordinator, 'ipusChangeAgree', 'IpusActivateInput', agreedToday(plan), [['input.id', 'NOT_ALLOWED']], plan.id, withdrawn);
  });

  test('completing the plan drops a pending change; the completed plan keeps what was in force', async () => {
    const plan = await world.activePlan();
    const before = await read(world.coordinator, plan.id);
    await ok(world.coordinator, 'ipusChangePropose', 'IpusChangeProposeInput', plan, { reason: 'Więcej godzin', items: [moreHours(before)] });
    await ok(world.director, 'ipusChangeApprove', 'IpusRevisionInput', plan);
    const completed = await ok(world.coordinator, 'ipusComplete', 'IpusCompleteInput', plan, {
      closingConversationOn: today(),
      goals: before.goals.map((g: { id: string }) => ({ goalId: g.id, outcome: 'ACHIEVED', summary: 'Cel osiągnięty' })),
    });
    expect(completed).toMatchObject({ status: 'COMPLETED', pendingRevision: null, items: before.items });
  });

  test('capacity is checked again when the change takes effect: CAPACITY_EXCEEDED, nothing written', async () => {
    const partner = await registerPartner(app, A, 'Fundacja Zmiany');
    const { id: commissionId } = await activeCommission(app, world, partner.id, { volume: 20, maxRecipients: 10 });
    const partnerItem = (quantity: number, id?: string) => partnerItemInput(world, partner.id, commissionId, { ...(id ? { id } : {}), quantity });
    const activeWith = async (quantity: number) => {
      const plan = await world.draft();
      const draft = await ok(world.coordinator, 'ipusUpdate', 'IpusUpdateInput', plan, { items: [partnerItem(quantity)] });
      plan.revision = (await activatePlan<{ revision: number }>(app, world, plan, 'ipus { revision }')).revision;
      return { plan, itemId: draft.items[0].id as string };
    };
    const { plan, itemId } = await activeWith(5);
    await ok(world.coordinator, 'ipusChangePropose', 'IpusChangeProposeInput', plan, { reason: 'Więcej godzin', items: [partnerItem(12, itemId)] });
    await ok(world.director, 'ipusChangeApprove', 'IpusRevisionInput', plan);
    // Meanwhile another plan takes most of what is left (20 - 5 = 15; it takes 10, leaving 5 for 7 more hours).
    await activeWith(10);
    const before = await read(world.coordinator, plan.id);
    await refused(
      world.coordinator,
      'ipusChangeAgree',
      'IpusActivateInput',
      agreedToday(plan),
      [['input.items.0.commissionId', 'CAPACITY_EXCEEDED']],
      plan.id,
      before,
    );
    expect(before.items[0].quantity).toBe(5);
  });
});

describe('terminations carry a coded reason', () => {
  test('OTHER needs the free text, the other codes do not; a pending change ends with the plan', async () => {
    const plan = await world.activePlan();
    const before = await read(world.coordinator, plan.id);
    await ok(world.coordinator, 'ipusChangePropose', 'IpusChangeProposeInput', plan, { reason: 'Więcej godzin', items: [moreHours(before)] });
    const pending = await read(world.coordinator, plan.id);
    await refused(
      world.director,
      'ipusTerminate',
      'IpusTerminateInput',
      { id: plan.id, revision: plan.revision, reasonCode: 'OTHER' },
      [['input.reason', 'REQUIRED']],
      plan.id,
      pending,
    );
    const bad = await app.gql(world.director, `mutation($input: IpusTerminateInput!) { ipusTerminate(input: $input) { ipus { id } } }`, {
      input: { id: plan.id, revision: plan.revision, reasonCode: 'BORED' },
    });
    expect(bad.body.errors?.length).toBeGreaterThan(0);
    expect(await read(world.coordinator, plan.id)).toEqual(pending);

    const ended = await ok(world.director, 'ipusTerminate', 'IpusTerminateInput', plan, { reasonCode: 'GOALS_REACHED_EARLY' });
    expect(ended).toMatchObject({ status: 'TERMINATED', terminationCode: 'GOALS_REACHED_EARLY', terminationReason: null, pendingRevision: null });

    const other = await world.draft();
    const ended2 = await ok(world.coordinator, 'ipusTerminate', 'IpusTerminateInput', other, { reasonCode: 'OTHER', reason: 'Pomyłka w szkicu' });
    expect(ended2).toMatchObject({ terminationCode: 'OTHER', terminationReason: 'Pomyłka w szkicu' });
  });

  test('a user of another gmina reads nothing of it', async () => {
    const plan = await world.activePlan();
    const res = await app.gql(staff(Role.COORDINATOR, B), READ, { id: plan.id });
    expect(res.body.data.ipus).toBeNull();
    // The same id read in the plan's own gmina is there: the null above is the other gmina's, not a wrong id.
    expect(await read(world.coordinator, plan.id)).toMatchObject({ id: plan.id, status: 'ACTIVE' });
  });
});
