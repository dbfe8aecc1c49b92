import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { codes, rawAsApp, Role, startTestApp, type GraphQLResponse, type TestApp, type Who } from './support/app.js';
import { addDays, errorsOf, mutate, today, tryMutate } from './support/fixtures.js';
import { createService } from './support/programme-fixtures.js';
import { planWorld, type PlanRef, type PlanWorld } from './support/plan-world.js';
import { sessionVariables } from '../src/platform/auth/principal.js';
import { fromGlobalId } from '../src/platform/graphql/node.js';

/**
 * Individual plans (IPUS) through HTTP, per role: the lifecycle from draft to completion, every
 * rule refused with its code and nothing changed, revisions read back whole, optimistic locking
 * under concurrency, tenant isolation and batching.
 * Gminy (śląskie): A Blachownia (2404013), B Dąbrowa Zielona (2404022).
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

const PLAN = `id status revision periodStart periodEnd preparedOn latePreparationWarning coordinatorName approvedOn approvedBy agreedOn agreementHow
  activatedOn closedOn closingConversationOn terminationReason terminationCode
  resident { id lastName } application { id status }
  goals { id position description outcome closingSummary }
  items { id position goalId service { id name } providerKind place: placeKind weekdays startsAt endsAt sessionCount startOn endOn quantity quantityUnit }
  supportingActions { description giverKind giverName } monitoringNotes { notedOn note authorName }`;
const READ = `query($id: ID!) { ipus(id: $id) { ${PLAN} } }`;

const read = async (who: Who, id: string) => {
  const res = await app.gql(who, READ, { id });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.ipus;
};
const change = (who: Who, field: string, inputType: string, input: Record<string, unknown>) =>
  tryMutate(app, who, field, inputType, `ipus { ${PLAN} } warnings`, input);
const ok = async (who: Who, field: string, inputType: string, input: Record<string, unknown>) =>
  (await mutate(app, who, field, inputType, `ipus { ${PLAN} } warnings`, input)).ipus;

/** Asserts a refusal with these [field, code] pairs, and that the plan is exactly as before. */
async function refused(res: GraphQLResponse, field: string, expected: [string, string][], planId?: string, before?: unknown) {
  expect(res.body.errors).toBeUndefined();
  expect(errorsOf(res, field)).toEqual(expected);
  expect(res.body.data[field].ipus).toBeNull();
  if (planId) expect(await read(world.coordinator, planId)).toEqual(before);
}

describe('from application to a completed plan', () => {
  test('a coordinator prepares, the director approves, the resident agrees, the plan is updated, monitored and completed', async () => {
    const { applicationId, residentId } = await world.application(3);
    const input = world.draftInput(applicationId);
    const created = await mutate(app, world.coordinator, 'ipusCreate', 'IpusCreateInput', `ipus { ${PLAN} } warnings`, input);
    expect(created.warnings).toEqual([]);
    let plan = created.ipus;
    expect(plan).toMatchObject({
      status: 'DRAFT',
      revision: 1,
      preparedOn: today(),
      latePreparationWarning: null,
      coordinatorName: 'Anna Koordynatorka',
      resident: { id: residentId },
      application: { id: applicationId, status: 'QUALIFIED' },
      goals: [
        { position: 1, description: 'Samodzielne funkcjonowanie w domu', outcome: null },
        { position: 2, description: 'Kontakt z sąsiadami' },
      ],
      items: [
        {
          service: { id: world.serviceId },
          providerKind: 'CUS',
          place: 'RESIDENT_HOME',
          weekdays: ['TU', 'TH'],
          startsAt: '10:00:00',
          endsAt: '12:00:00',
          quantity: 4,
          quantityUnit: 'HOURS',
        },
      ],
      supportingActions: [{ description: 'Zakupy raz w tygodniu', giverKind: 'NEIGHBOUR', giverName: 'Pani Zofia' }],
    });
    expect(plan.items[0].goalId).toBe(plan.goals[0].id);

    // Edit the draft: keep goal 1 (by id), replace goal 2, add a number-of-sessions item for the new goal.
    plan = await ok(world.coordinator, 'ipusUpdate', 'IpusUpdateInput', {
      id: plan.id,
      revision: 1,
      goals: [{ id: plan.goals[0].id, description: plan.goals[0].description }, { description: 'Udział w klubie seniora' }],
      items: [
        { ...(input.items as Record<string, unknown>[])[0], id: plan.items[0].id },
        {
          goal: 2,
          serviceId: world.serviceId,
          place: 'ONLINE',
          sessionCount: 8,
          startOn: today(),
          endOn: addDays(today(), 60),
          quantity: 8,
          quantityUnit: 'SESSIONS',
        },
      ],
    });
    expect(plan.revision).toBe(2);
    expect(plan.goals.map((g: any) => g.description)).toEqual(['Samodzielne funkcjonowanie w domu', 'Udział w klubie seniora']);
    expect(plan.items.map((i: any) => [i.sessionCount, i.goalId])).toEqual([
      [null, plan.goals[0].id],
      [8, plan.goals[1].id],
    ]);

    plan = await ok(world.coordinator, 'ipusSubmit', 'IpusRevisionInput', { id: plan.id, revision: 2 });
    expect(plan.status).toBe('AWAITING_APPROVAL');
    plan = await ok(world.organiser, 'ipusApprove', 'IpusRevisionInput', { id: plan.id, revision: 3 });
    expect(plan).toMatchObject({ status: 'APPROVED', approvedOn: today() });
    plan = await ok(world.coordinator, 'ipusActivate', 'IpusActivateInput', { id: plan.id, revision: 4, agreedOn: today(), agreementHow: 'IN_WRITING' });
    expect(plan).toMatchObject({ status: 'ACTIVE', agreedOn: today(), agreementHow: 'IN_WRITING', activatedOn: today() });
    // An active plan takes a change that is not material at once (a material one: tests/ipus-pending-revision.test.ts).
    plan = await ok(world.coordinator, 'ipusUpdate', 'IpusUpdateInput', { id: plan.id, revision: 5, coordinatorName: 'Anna Nowak' });
    plan = await ok(world.coordinator, 'ipusMonitoringNoteAdd', 'IpusNoteInput', {
      id: plan.id,
      revision: 6,
      note: 'Pani Helena chętnie korzysta z usług',
      authorName: 'Anna K.',
    });
    expect(plan.monitoringNotes).toEqual([{ notedOn: today(), note: 'Pani Helena chętnie korzysta z usług', authorName: 'Anna K.' }]);
    plan = await ok(world.coordinator, 'ipusComplete', 'IpusCompleteInput', {
      id: plan.id,
      revision: 7,
      closingConversationOn: today(),
      goals: [
        { goalId: plan.goals[0].id, outcome: 'ACHIEVED', summary: 'Radzi sobie sama z codziennymi czynnościami' },
        { goalId: plan.goals[1].id, outcome: 'PARTLY_ACHIEVED', summary: 'Bywa w klubie co drugi tydzień' },
      ],
    });
    expect(plan).toMatchObject({ status: 'COMPLETED', revision: 8, closedOn: today(), closingConversationOn: today() });
    expect(plan.goals.map((g: any) => g.outcome)).toEqual(['ACHIEVED', 'PARTLY_ACHIEVED']);

    // Every change is a revision: who, when, what kind and what changed, newest first...
    const history = await app.gql(
      world.director,
      `query($id: ID!) { ipus(id: $id) { revisions { revision kind changedBy changedByRole changes { path before after } } } }`,
      { id: plan.id },
    );
    const revisions = history.body.data.ipus.revisions;
    expect(revisions.map((r: any) => [r.revision, r.kind, r.changedByRole])).toEqual([
      [8, 'COMPLETED', 'COORDINATOR'],
      [7, 'NOTE_ADDED', 'COORDINATOR'],
      [6, 'UPDATED', 'COORDINATOR'],
      [5, 'ACTIVATED', 'COORDINATOR'],
      [4, 'APPROVED', 'SERVICES_ORGANISER'],
      [3, 'SUBMITTED', 'COORDINATOR'],
      [2, 'EDITED', 'COORDINATOR'],
      [1, 'CREATED', 'COORDINATOR'],
    ]);
    const extended = revisions.find((r: any) => r.revision === 6);
    expect(extended.changes).toEqual([{ path: 'coordinatorName', before: 'Anna Koordynatorka', after: 'Anna Nowak' }]);
    expect(revisions.find((r: any) => r.revision === 2).changes.map((c: any) => c.path)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^goals\[[^\]]+\]$/), expect.stringMatching(/^items\[[^\]]+\]$/)]),
    );

    // ...and any revision reads back whole.
    const first = await app.gql(
      world.coordinator,
      `query($id: ID!) { ipus(id: $id) { asOfRevision(revision: 1) { revision status periodEnd
      goals { description outcome } items { sessionCount service { name } } supportingActions { giverKind } monitoringNotes { note } } } }`,
      { id: plan.id },
    );
    expect(first.body.data.ipus.asOfRevision).toMatchObject({
      revision: 1,
      status: 'DRAFT',
      periodEnd: addDays(today(), 180),
      goals: [
        { description: 'Samodzielne funkcjonowanie w domu', outcome: null },
        { description: 'Kontakt z sąsiadami', outcome: null },
      ],
      items: [{ sessionCount: null, service: { name: expect.stringContaining('Usługi opiekuńcze') } }],
      supportingActions: [{ giverKind: 'NEIGHBOUR' }],
      monitoringNotes: [],
    });
    const missing = await app.gql(world.coordinator, `query($id: ID!) { ipus(id: $id) { asOfRevision(revision: 99) { revision } } }`, { id: plan.id });
    expect(missing.body.data.ipus.asOfRevision).toBeNull();

    // The resident's and the application's plans.
    const resident = await app.gql(world.coordinator, `query($id: ID!) { resident(id: $id) { plans { id status } applications { plans { id } } } }`, {
      id: residentId,
    });
    expect(resident.body.data.resident).toEqual({ plans: [{ id: plan.id, status: 'COMPLETED' }], applications: [{ plans: [{ id: plan.id }] }] });

    // The subject-access export holds the plan, its contents and its whole history.
    const exported = await app.gql(world.director, `query($id: ID!) { residentDataExport(id: $id) }`, { id: residentId });
    const [held] = exported.body.data.residentDataExport.plans;
    expect(held).toMatchObject({ id: fromGlobalId(plan.id).key, status: 'COMPLETED', revision: 8 });
    expect(held.goals.map((g: any) => g.outcome)).toEqual(['ACHIEVED', 'PARTLY_ACHIEVED']);
    expect(held.items).toHaveLength(2);
    expect(held.monitoringNotes).toHaveLength(1);
    expect(held.revisions.map((r: any) => r.kind)).toEqual(['CREATED', 'EDITED', 'SUBMITTED', 'APPROVED', 'ACTIVATED', 'UPDATED', 'NOTE_ADDED', 'COMPLETED']);
  });

  test('a plan prepared more than 30 days after the application is accepted with a recorded warning', async () => {
    const { applicationId, filedOn } = await world.application(40);
    const created = await mutate(app, world.coordinator, 'ipusCreate', 'IpusCreateInput', `ipus { ${PLAN} } warnings`, world.draftInput(applicationId));
    expect(created.warnings).toHaveLength(1);
    expect(created.warnings[0]).toContain(filedOn);
    expect(created.ipus.latePreparationWarning).toBe(created.warnings[0]);
    expect((await read(world.director, created.ipus.id)).latePreparationWarning).toBe(created.warnings[0]);
  });
});

describe('rules refuse bad input clearly and change nothing', () => {
  const planCount = async (applicationId: string) => {
    const [row] = await rawAsApp<{ n: number }>(
      'select count(*)::int as n from ipus where application_id = $1',
      [fromGlobalId(applicationId).key],
      sessionVariables({ role: Role.COORDINATOR, gminy: [Number(A)], partnerId: null, subject: 'test' }),
    );
    return row.n;
  };

  test('the period is at least 3 and at most 12 months; items lie within it', async () => {
    const { applicationId } = await world.application();
    const base = world.draftInput(applicationId);
    const start = base.periodStart as string;
    for (const [periodEnd, expected] of [
      [addDays(start, 80), 'periodEnd'],
      [addDays(start, 400), 'periodEnd'],
    ] as const) {
      const res = await change(world.coordinator, 'ipusCreate', 'IpusCreateInput', { ...base, periodEnd });
      await refused(res, 'ipusCreate', [[`input.${expected}`, 'OUT_OF_RANGE']]);
    }
    const items = [{ ...(base.items as Record<string, unknown>[])[0], endOn: addDays(start, 365) }];
    const res = await change(world.coordinator, 'ipusCreate', 'IpusCreateInput', { ...base, items });
    await refused(res, 'ipusCreate', [['input.items.0.startOn', 'OUT_OF_RANGE']]);
    expect(await planCount(applicationId)).toBe(0);
  });

  test("an item's service must be active and in force under an adopted programme; a schedule is weekly or sessions; a partner is named", async () => {
    const { applicationId } = await world.application();
    const base = world.draftInput(applicationId);
    const item = (base.items as Record<string, unknown>[])[0];
    const planned = await createService(app, world.director, world.unitId, { description: 'Nowa usługa' });
    const outside = await createService(app, world.director, world.unitId, { description: 'Poza programem' });
    await mutate(app, world.director, 'serviceActivate', 'ServiceStatusChangeInput', 'service { id }', { id: outside.id, version: outside.version });
    const cases: [Record<string, unknown>, [string, string][]][] = [
      [{ serviceId: planned.id }, [['input.items.0.serviceId', 'NOT_ALLOWED']]],
      [{ serviceId: outside.id }, [['input.items.0.serviceId', 'NOT_ALLOWED']]],
      [{ sessionCount: 5 }, [['input.items.0.weekly', 'REQUIRED']]],
      [{ weekly: null }, [['input.items.0.weekly', 'REQUIRED']]],
      [{ provider: 'PARTNER' }, [['input.items.0.partnerId', 'REQUIRED']]],
      [{ place: 'LOCATION' }, [['input.items.0.locationId', 'REQUIRED']]],
      [{ quantity: 0 }, [['input.items.0.quantity', 'OUT_OF_RANGE']]],
      [{ goal: 3 }, [['input.items.0.goal', 'OUT_OF_RANGE']]],
    ];
    for (const [patch, expected] of cases) {
      const res = await change(world.coordinator, 'ipusCreate', 'IpusCreateInput', { ...base, items: [{ ...item, ...patch }] });
      await refused(res, 'ipusCreate', expected);
    }
    expect(await planCount(applicationId)).toBe(0);
  });

  test('a plan follows a qualified application, one live plan per application', async () => {
    const { applicationId } = await world.application();
    await mutate(app, world.coordinator, 'ipusCreate', 'IpusCreateInput', 'ipus { id }', world.draftInput(applicationId));
    const again = await change(world.coordinator, 'ipusCreate', 'IpusCreateInput', world.draftInput(applicationId));
    await refused(again, 'ipusCreate', [['input.applicationId', 'DUPLICATE']]);
    expect(await planCount(applicationId)).toBe(1);

    const filed = await app.gql(
      world.coordinator,
      `mutation($input: ApplicationFileInput!) { applicationFile(input: $input) { application { id } userErrors { code } } }`,
      {
        input: { residentId: (await world.application()).residentId, channel: 'IN_PERSON', filedBy: 'PERSON', requestText: 'Pomoc' },
      },
    );
    const unqualified = filed.body.data.applicationFile.application.id;
    await refused(await change(world.coordinator, 'ipusCreate', 'IpusCreateInput', world.draftInput(unqualified)), 'ipusCreate', [
      ['input.applicationId', 'NOT_ALLOWED'],
    ]);
  });

  test('each lifecycle step checks the status and says why it cannot apply', async () => {
    const empty = await ok(world.coordinator, 'ipusCreate', 'IpusCreateInput', {
      ...world.draftInput((await world.application()).applicationId),
      goals: [],
      items: [],
      supportingActions: [],
    });
    const before = await read(world.coordinator, empty.id);
    await refused(
      await change(world.coordinator, 'ipusSubmit', 'IpusRevisionInput', { id: empty.id, revision: 1 }),
      'ipusSubmit',
      [
        ['input.id', 'REQUIRED'],
        ['input.id', 'REQUIRED'],
      ],
      empty.id,
      before,
    );
    const res = await change(world.director, 'ipusApprove', 'IpusRevisionInput', { id: empty.id, revision: 1 });
    await refused(res, 'ipusApprove', [['input.id', 'NOT_ALLOWED']], empty.id, before);
    expect(res.body.data.ipusApprove.userErrors[0].message).toBe('The plan is DRAFT; approval applies to a plan that is AWAITING_APPROVAL');
    await refused(
      await change(world.coordinator, 'ipusMonitoringNoteAdd', 'IpusNoteInput', { id: empty.id, revision: 1, note: 'x' }),
      'ipusMonitoringNoteAdd',
      [['input.id', 'NOT_ALLOWED']],
      empty.id,
      before,
    );
    await refused(
      await change(world.coordinator, 'ipusTerminate', 'IpusTerminateInput', { id: empty.id, revision: 1, reasonCode: 'OTHER', reason: '  ' }),
      'ipusTerminate',
      [['input.reason', 'REQUIRED']],
      empty.id,
      before,
    );
    // A draft may be terminated too (and this one leaves no itemless draft for the statement count below).
    expect(
      (await ok(world.coordinator, 'ipusTerminate', 'IpusTerminateInput', { id: empty.id, revision: 1, reasonCode: 'OTHER', reason: 'Zbędny szkic' })).status,
    ).toBe('TERMINATED');

    const plan = await world.draft();
    await ok(world.coordinator, 'ipusSubmit', 'IpusRevisionInput', { id: plan.id, revision: 1 });
    const approved = await ok(world.director, 'ipusApprove', 'IpusRevisionInput', { id: plan.id, revision: 2 });
    const waiting = await read(world.coordinator, plan.id);
    await refused(
      await change(world.coordinator, 'ipusActivate', 'IpusActivateInput', {
        id: plan.id,
        revision: approved.revision,
        agreedOn: addDays(today(), 2),
        agreementHow: 'BY_PHONE',
      }),
      'ipusActivate',
      [['input.agreedOn', 'OUT_OF_RANGE']],
      plan.id,
      waiting,
    );
    await refused(
      await change(world.coordinator, 'ipusUpdate', 'IpusUpdateInput', { id: plan.id, revision: approved.revision, coordinatorName: 'X' }),
      'ipusUpdate',
      [['input.id', 'NOT_ALLOWED']],
      plan.id,
      waiting,
    );
    const active = await ok(world.coordinator, 'ipusActivate', 'IpusActivateInput', {
      id: plan.id,
      revision: approved.revision,
      agreedOn: today(),
      agreementHow: 'BY_PHONE',
    });
    const running = await read(world.coordinator, plan.id);
    await refused(
      await change(world.coordinator, 'ipusComplete', 'IpusCompleteInput', {
        id: plan.id,
        revision: active.revision,
        closingConversationOn: today(),
        goals: [{ goalId: plan.goalIds[0], outcome: 'ACHIEVED', summary: 'Tak' }],
      }),
      'ipusComplete',
      [['input.goals', 'REQUIRED']],
      plan.id,
      running,
    );
    // The closing conversation ends the plan's work: not on a day before the plan was activated.
    await refused(
      await change(world.coordinator, 'ipusComplete', 'IpusCompleteInput', {
        id: plan.id,
        revision: active.revision,
        closingConversationOn: addDays(today(), -400),
        goals: plan.goalIds.map((goalId) => ({ goalId, outcome: 'ACHIEVED', summary: 'Tak' })),
      }),
      'ipusComplete',
      [['input.closingConversationOn', 'OUT_OF_RANGE']],
      plan.id,
      running,
    );
    const ended = await ok(world.director, 'ipusTerminate', 'IpusTerminateInput', {
      id: plan.id,
      revision: active.revision,
      reasonCode: 'MOVED_AWAY',
      reason: 'Przeprowadzka do innej gminy',
    });
    expect(ended).toMatchObject({ status: 'TERMINATED', terminationCode: 'MOVED_AWAY', terminationReason: 'Przeprowadzka do innej gminy', closedOn: today() });
    const closed = await read(world.coordinator, plan.id);
    await refused(
      await change(world.director, 'ipusTerminate', 'IpusTerminateInput', { id: plan.id, revision: ended.revision, reasonCode: 'DEATH' }),
      'ipusTerminate',
      [['input.id', 'NOT_ALLOWED']],
      plan.id,
      closed,
    );
  });

  test('an approver returns a submitted plan to the coordinator with the reason, and it can be submitted again', async () => {
    const plan = await world.draft();
    await ok(world.coordinator, 'ipusSubmit', 'IpusRevisionInput', { id: plan.id, revision: 1 });
    const waiting = await read(world.coordinator, plan.id);
    await refused(
      await change(world.director, 'ipusReturnToDraft', 'IpusReturnInput', { id: plan.id, revision: 2, reason: ' ' }),
      'ipusReturnToDraft',
      [['input.reason', 'REQUIRED']],
      plan.id,
      waiting,
    );
    const returned = await ok(world.organiser, 'ipusReturnToDraft', 'IpusReturnInput', { id: plan.id, revision: 2, reason: 'Dodać cel dotyczący zdrowia' });
    expect(returned).toMatchObject({ status: 'DRAFT', revision: 3, monitoringNotes: [{ note: 'Returned for changes: Dodać cel dotyczący zdrowia' }] });
    expect((await ok(world.coordinator, 'ipusSubmit', 'IpusRevisionInput', { id: plan.id, revision: 3 })).status).toBe('AWAITING_APPROVAL');
  });

  test('a stale revision is refused with CONFLICT and changes nothing', async () => {
    const plan = await world.activePlan();
    await world.note(plan);
    const before = await read(world.coordinator, plan.id);
    const res = await change(world.coordinator, 'ipusMonitoringNoteAdd', 'IpusNoteInput', { id: plan.id, revision: plan.revision - 1, note: 'Spóźniona' });
    await refused(res, 'ipusMonitoringNoteAdd', [['input.revision', 'CONFLICT']], plan.id, before);
  });

  test('the deprecated ipusAddMonitoringNote still adds a note, as ipusMonitoringNoteAdd does', async () => {
    const plan = await world.activePlan();
    const noted = await ok(world.coordinator, 'ipusAddMonitoringNote', 'IpusNoteInput', { id: plan.id, revision: plan.revision, note: 'Przez starą nazwę' });
    expect(noted).toMatchObject({ revision: plan.revision + 1, monitoringNotes: [{ note: 'Przez starą nazwę' }] });
    const field = await app.gql(world.coordinator, `{ __type(name: "Mutation") { fields(includeDeprecated: true) { name isDeprecated deprecationReason } } }`);
    const alias = field.body.data.__type.fields.find((f: { name: string }) => f.name === 'ipusAddMonitoringNote');
    expect(alias).toMatchObject({ isDeprecated: true, deprecationReason: expect.stringContaining('ipusMonitoringNoteAdd') });
  });
});

describe('optimistic locking under concurrency', () => {
  test('of concurrent plans prepared on one application exactly one is created; the others get DUPLICATE', async () => {
    const { applicationId } = await world.application();
    const results = await Promise.all(
      Array.from({ length: 6 }, () => change(world.coordinator, 'ipusCreate', 'IpusCreateInput', world.draftInput(applicationId))),
    );
    expect(results.map((r) => r.body.errors)).toEqual(results.map(() => undefined));
    const outcomes = results.map((r) => r.body.data.ipusCreate.userErrors.map((e: any) => e.code).join() || 'OK');
    expect(outcomes.filter((o) => o === 'OK')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'DUPLICATE')).toHaveLength(5);
    const plans = await app.gql(world.coordinator, `query($id: ID!) { application(id: $id) { plans { id revision } } }`, { id: applicationId });
    expect(plans.body.data.application.plans).toHaveLength(1);
  });

  test('of many concurrent changes to the same revision exactly one wins; the others get CONFLICT', async () => {
    const plan = await world.activePlan();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        change(world.coordinator, 'ipusMonitoringNoteAdd', 'IpusNoteInput', { id: plan.id, revision: plan.revision, note: `Równoczesna ${i}` }),
      ),
    );
    expect(results.map((r) => r.body.errors)).toEqual(results.map(() => undefined));
    const outcomes = results.map((r) => r.body.data.ipusMonitoringNoteAdd.userErrors.map((e: any) => e.code).join() || 'OK');
    expect(outcomes.filter((o) => o === 'OK')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'CONFLICT')).toHaveLength(19);
    const after = await read(world.coordinator, plan.id);
    expect(after.revision).toBe(plan.revision + 1);
    expect(after.monitoringNotes).toHaveLength(1);
  });

  test('clients that retry on CONFLICT lose no update, and no revision number repeats or is skipped', async () => {
    const plan = await world.activePlan();
    const start = plan.revision;
    const writers = 8;
    await Promise.all(
      Array.from({ length: writers }, async (_, i) => {
        for (let attempt = 0; attempt < 100; attempt += 1) {
          const current = await read(world.coordinator, plan.id);
          const res = await change(world.coordinator, 'ipusMonitoringNoteAdd', 'IpusNoteInput', {
            id: plan.id,
            revision: current.revision,
            note: `Pisarz ${i}`,
          });
          const errors = res.body.data.ipusMonitoringNoteAdd.userErrors;
          if (errors.length === 0) return;
          expect(errors.map((e: any) => e.code)).toEqual(['CONFLICT']);
        }
        throw new Error(`writer ${i} never got through`);
      }),
    );
    const after = await read(world.coordinator, plan.id);
    expect(after.revision).toBe(start + writers);
    expect(after.monitoringNotes.map((n: any) => n.note).sort()).toEqual(Array.from({ length: writers }, (_, i) => `Pisarz ${i}`).sort());
    const history = await app.gql(world.coordinator, `query($id: ID!) { ipus(id: $id) { revisions { revision } } }`, { id: plan.id });
    expect(history.body.data.ipus.revisions.map((r: any) => r.revision)).toEqual(Array.from({ length: start + writers }, (_, i) => start + writers - i));
  });
});

describe('who may do what', () => {
  let plan: PlanRef;
  beforeAll(async () => {
    plan = await world.activePlan();
  });

  test('only a coordinator prepares and edits; only the director or a services organiser approves', async () => {
    const { applicationId } = await world.application();
    for (const who of [world.organiser, world.director]) {
      expect(codes(await change(who, 'ipusCreate', 'IpusCreateInput', world.draftInput(applicationId)))).toEqual(['FORBIDDEN']);
      expect(codes(await change(who, 'ipusMonitoringNoteAdd', 'IpusNoteInput', { id: plan.id, revision: plan.revision, note: 'x' }))).toEqual(['FORBIDDEN']);
    }
    const draft = await world.draft();
    await ok(world.coordinator, 'ipusSubmit', 'IpusRevisionInput', { id: draft.id, revision: draft.revision });
    expect(codes(await change(world.coordinator, 'ipusApprove', 'IpusRevisionInput', { id: draft.id, revision: draft.revision + 1 }))).toEqual(['FORBIDDEN']);
    expect((await read(world.director, draft.id)).status).toBe('AWAITING_APPROVAL');
  });

  /** Every root field of the module, with an input that would be valid for the plan's own staff. */
  const everyField = (applicationId: string): [string, string, Record<string, unknown>][] => {
    const target = { id: plan.id, revision: plan.revision };
    return [
      ['ipusCreate', 'IpusCreateInput', world.draftInput(applicationId)],
      ['ipusUpdate', 'IpusUpdateInput', { ...target, coordinatorName: 'Obcy' }],
      ['ipusSubmit', 'IpusRevisionInput', target],
      ['ipusApprove', 'IpusRevisionInput', target],
      ['ipusReturnToDraft', 'IpusReturnInput', { ...target, reason: 'x' }],
      ['ipusActivate', 'IpusActivateInput', { ...target, agreedOn: today(), agreementHow: 'IN_WRITING' }],
      ['ipusMonitoringNoteAdd', 'IpusNoteInput', { ...target, note: 'x' }],
      ['ipusComplete', 'IpusCompleteInput', { ...target, closingConversationOn: today(), goals: [] }],
      ['ipusTerminate', 'IpusTerminateInput', { ...target, reasonCode: 'OTHER', reason: 'x' }],
    ];
  };

  test('roles that do not work with individuals read and change no plan, through any root field', async () => {
    const { applicationId } = await world.application();
    const before = await read(world.coordinator, plan.id);
    for (const who of world.outsiders) {
      const reads = [await app.gql(who, READ, { id: plan.id }), await app.gql(who, '{ plans(first: 5) { nodes { id } } }')];
      for (const res of reads) expect({ role: who.role, codes: codes(res) }).toEqual({ role: who.role, codes: ['FORBIDDEN'] });
      for (const [field, inputType, input] of everyField(applicationId)) {
        expect({ role: who.role, field, codes: codes(await change(who, field, inputType, input)) }).toEqual({ role: who.role, field, codes: ['FORBIDDEN'] });
      }
    }
    expect(await read(world.coordinator, plan.id)).toEqual(before);
  });

  test("another gmina's staff get NOT_FOUND on every change of the plan, and nothing changes", async () => {
    const { applicationId } = await world.application();
    const before = await read(world.coordinator, plan.id);
    for (const [field, inputType, input] of everyField(applicationId)) {
      const who = ['ipusApprove', 'ipusReturnToDraft'].includes(field) ? world.otherDirector : world.otherCoordinator;
      const res = await change(who, field, inputType, input);
      const expected = field === 'ipusCreate' ? 'input.applicationId' : 'input.id';
      expect({ field, errors: errorsOf(res, field) }).toEqual({ field, errors: [[expected, 'NOT_FOUND']] });
    }
    expect(await read(world.coordinator, plan.id)).toEqual(before);
  });

  test("another gmina's staff cannot see or touch the plan, through the API or as raw SQL", async () => {
    expect((await app.gql(world.otherCoordinator, READ, { id: plan.id })).body.data.ipus).toBeNull();
    expect((await app.gql(world.otherDirector, `query($id: ID!) { node(id: $id) { id } }`, { id: plan.id })).body.data.node).toBeNull();
    const listed = await app.gql(world.otherDirector, '{ plans(first: 100) { nodes { id } } }');
    expect(listed.body.data.plans.nodes.map((n: any) => n.id)).not.toContain(plan.id);
    const res = await change(world.otherCoordinator, 'ipusMonitoringNoteAdd', 'IpusNoteInput', { id: plan.id, revision: plan.revision, note: 'Obcy' });
    await refused(res, 'ipusMonitoringNoteAdd', [['input.id', 'NOT_FOUND']]);
    const key = fromGlobalId(plan.id).key;
    const as = sessionVariables({ role: Role.DIRECTOR, gminy: [Number(B)], partnerId: null, subject: 'other' });
    for (const sql of [
      'select id from ipus where id = $1',
      'select ipus_id from ipus_item where ipus_id = $1',
      'select ipus_id from ipus_revision where ipus_id = $1',
      'select ipus_id from ipus_monitoring_note where ipus_id = $1',
      'select subject_id from outbox_event where subject_id = $1',
    ]) {
      expect({ sql, rows: await rawAsApp(sql, [key], as) }).toEqual({ sql, rows: [] });
    }
    // The same reads as the plan's own director find it, so the sweep above is not vacuous.
    const mine = sessionVariables({ role: Role.DIRECTOR, gminy: [Number(A)], partnerId: null, subject: 'mine' });
    expect(await rawAsApp('select ipus_id from ipus_revision where ipus_id = $1', [key], mine)).not.toEqual([]);
    expect(await rawAsApp('select subject_id from outbox_event where subject_id = $1', [key], mine)).not.toEqual([]);
    // Nor can anyone rewrite history: revisions and outbox events are append-only.
    await expect(rawAsApp('update ipus_revision set kind = $2 where ipus_id = $1', [key, 'EDITED'], mine)).rejects.toThrow(/permission denied/);
    await expect(rawAsApp('delete from outbox_event where subject_id = $1', [key], mine)).rejects.toThrow(/permission denied/);
  });

  test("goals and items are nodes, for the plan's staff only", async () => {
    const full = await read(world.coordinator, plan.id);
    const NODE = `query($id: ID!) { node(id: $id) { id ... on IpusItem { quantityUnit } ... on IpusGoal { description } } }`;
    for (const id of [full.goals[0].id, full.items[0].id]) {
      expect((await app.gql(world.director, NODE, { id })).body.data.node.id).toBe(id);
      expect((await app.gql(world.otherDirector, NODE, { id })).body.data.node).toBeNull();
    }
  });

  test("reading a plan is reading the resident's record: the read is logged", async () => {
    const subject = `audit-${Date.now().toString(36)}`;
    await app.gql(await app.token(world.organiser, { subject }), `query ReadPlanForAudit($id: ID!) { ipus(id: $id) { status } }`, { id: plan.id });
    const log = await app.gql(world.director, '{ residentAccessLog(first: 50) { nodes { subject operation role } } }');
    // The reason is the path that read the plan, not the name the client gave its operation.
    expect(log.body.data.residentAccessLog.nodes).toContainEqual({ subject, operation: 'query ipus', role: 'SERVICES_ORGANISER' });
  });
});

describe('no N+1', () => {
  test('plans with resident, goals, items with service, actions and revisions: the same statements for 1 and for many', async () => {
    for (let i = 0; i < 3; i += 1) await world.draft();
    const QUERY = `query($first: Int!) { plans(first: $first, filter: { statuses: [DRAFT] }) { nodes {
      resident { lastName } goals { description } items { service { name } } supportingActions { giverKind } revisions { revision } cusUnit { name } } } }`;
    const counted = async (first: number) => {
      app.statements.length = 0;
      const res = await app.gql(world.director, QUERY, { first });
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.plans.nodes).toHaveLength(first);
      for (const node of res.body.data.plans.nodes) {
        expect(node.resident.lastName).toBe('Planowa');
        expect(node.revisions.length).toBeGreaterThan(0);
        for (const item of node.items) expect(item.service.name).toContain('Usługi opiekuńcze');
      }
      return app.statements.length;
    };
    expect(await counted(3)).toBe(await counted(1));
  });
});

describe('the demo plans', () => {
  test("Wiązowna has plans in every state, and each one's latest revision reads back exactly as the plan stands", async () => {
    const director = { role: Role.DIRECTOR, gminy: ['1417082'] };
    const res = await app.gql(
      director,
      `{ plans(first: 50) { nodes { id status revision latePreparationWarning
      goals { description outcome } items { service { name } quantity sessionCount weekdays } monitoringNotes { note }
      revisions { revision kind } } } }`,
    );
    expect(res.body.errors).toBeUndefined();
    const plans = res.body.data.plans.nodes;
    expect(new Set(plans.map((p: any) => p.status))).toEqual(new Set(['DRAFT', 'AWAITING_APPROVAL', 'ACTIVE', 'COMPLETED', 'TERMINATED']));
    expect(plans.find((p: any) => p.status === 'AWAITING_APPROVAL').latePreparationWarning).toContain('more than 30 days');
    for (const plan of plans) {
      expect(plan.revisions.map((r: any) => r.revision)).toEqual(Array.from({ length: plan.revision }, (_, i) => plan.revision - i));
      const latest = await app.gql(
        director,
        `query($id: ID!, $r: Int!) { ipus(id: $id) { asOfRevision(revision: $r) {
        status goals { description outcome } items { service { name } quantity sessionCount weekdays } monitoringNotes { note } } } }`,
        { id: plan.id, r: plan.revision },
      );
      const { status, goals, items, monitoringNotes } = plan;
      expect(latest.body.data.ipus.asOfRevision).toEqual({ status, goals, items, monitoringNotes });
    }
  });
});
