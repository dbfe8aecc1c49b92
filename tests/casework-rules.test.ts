import { afterAll, beforeAll, describe, expect, inject, test, vi } from 'vitest';
import pg from 'pg';
import { codes, rawAsOwner, Role, startTestApp, type TestApp, type Who } from './support/app.js';
import { addDays, errorsOf, mutate, staff, today, tryMutate } from './support/fixtures.js';
import {
  addProgrammeService,
  completeStages,
  consultProgramme,
  createDiagnosis,
  createProgramme,
  createService,
  openConsultation,
} from './support/programme-fixtures.js';
import { planWorld, type PlanWorld } from './support/plan-world.js';
import { fromGlobalId } from '../src/platform/graphql/node.js';

/**
 * Issue 20, rules the casework cannot step around, attacked through the API: a backdated plan still
 * shows its lateness and counts in the month it was really prepared; a programme is adopted only after
 * its consultation; a diagnosis completed only with its stages done; an application qualified only
 * after its needs assessment. Each refusal has its code and changes nothing.
 * Gminy (śląskie): A Blachownia (2404013), B Dąbrowa Zielona (2404022).
 */
const A = '2404013';
const B = '2404022';
const ADMIN: Who = { role: Role.PLATFORM_ADMIN };

let app: TestApp;
let world: PlanWorld;

beforeAll(async () => {
  app = await startTestApp();
  world = await planWorld(app, A, B);
}, 60_000);
afterAll(async () => {
  await app.close();
});

const refresh = async () => expect((await app.gql(ADMIN, 'mutation { reportsRefresh { refreshedAt } }')).body.errors).toBeUndefined();
const REPORT = 'cells { keys { dimension code } value } total { value }';
const dashboard = async (who: Who, args: string) => {
  const res = await app.gql(who, `{ gminaReport(${args}) { ${REPORT} } }`);
  expect(res.body.errors).toBeUndefined();
  return res.body.data.gminaReport;
};
const monthStart = (day: string) => `${day.slice(0, 7)}-01`;

describe('the 30-day clock runs to the day the plan was really prepared', () => {
  test('a plan backdated into the 30 days keeps its declared date but is warned about and counted today', async () => {
    // An application filed 67 days ago; the coordinator says the plan was prepared on day 19.
    const { applicationId, filedOn } = await world.application(67);
    const declared = addDays(filedOn, 19);
    const created = await mutate(app, world.coordinator, 'ipusCreate', 'IpusCreateInput', 'ipus { id preparedOn recordedOn latePreparationWarning } warnings', {
      ...world.draftInput(applicationId),
      preparedOn: declared,
    });
    expect(created.ipus).toMatchObject({ preparedOn: declared, recordedOn: today() });
    expect(created.warnings).toEqual([
      `Prepared on ${today()} (declared as prepared on ${declared}), more than 30 days after the application of ${filedOn} (due by ${addDays(filedOn, 30)})`,
    ]);
    expect(created.ipus.latePreparationWarning).toBe(created.warnings[0]);

    // The real date is the database's: a client cannot send it, and not even the owner's update moves it.
    const sent = await tryMutate(app, world.coordinator, 'ipusCreate', 'IpusCreateInput', 'ipus { id }', {
      ...world.draftInput(applicationId),
      recordedOn: declared,
    });
    expect(codes(sent)).toEqual(['BAD_USER_INPUT']);
    const key = fromGlobalId(created.ipus.id).key;
    await rawAsOwner('update ipus set recorded_on = $2 where id = $1', [key, declared]);
    expect(await rawAsOwner<{ d: string }>(`select to_char(recorded_on, 'YYYY-MM-DD') as d from ipus where id = $1`, [key])).toEqual([{ d: today() }]);

    // Reports count it in this month, 67 days after the application, not in the declared month.
    await refresh();
    const period = `from: "${monthStart(filedOn)}", to: "${today()}"`;
    const prepared = await dashboard(world.director, `measure: PLANS_PREPARED, groupBy: [MONTH], ${period}`);
    expect(prepared.cells.filter((c: any) => c.value > 0)).toEqual([{ keys: [{ dimension: 'MONTH', code: today().slice(0, 7) }], value: 1 }]);
    const median = await dashboard(world.director, `measure: DAYS_TO_PLAN_MEDIAN, ${period}`);
    expect(median.total.value).toBe(67);
  });

  test('a plan saved within the 30 days has no warning, whatever date it declares', async () => {
    const { applicationId } = await world.application(10);
    const created = await mutate(
      app,
      world.coordinator,
      'ipusCreate',
      'IpusCreateInput',
      'ipus { recordedOn latePreparationWarning } warnings',
      world.draftInput(applicationId),
    );
    expect(created).toMatchObject({ ipus: { recordedOn: today(), latePreparationWarning: null }, warnings: [] });
  });

  test('terminated plans are reported by their coded reason', async () => {
    const plan = await world.activePlan();
    await mutate(app, world.coordinator, 'ipusTerminate', 'IpusTerminateInput', 'ipus { status terminationCode }', {
      id: plan.id,
      revision: plan.revision,
      reasonCode: 'MOVED_AWAY',
    });
    const dims = await app.gql(world.director, '{ reportDimensions(measure: PLANS_TERMINATED) }');
    expect(dims.body.data.reportDimensions).toContain('TERMINATION_REASON');
    await refresh();
    const byReason = await dashboard(
      world.director,
      `measure: PLANS_TERMINATED, groupBy: [TERMINATION_REASON], from: "${monthStart(today())}", to: "${today()}"`,
    );
    expect(byReason.cells).toEqual([{ keys: [{ dimension: 'TERMINATION_REASON', code: 'MOVED_AWAY' }], value: 1 }]);
    // Only terminations have a reason.
    const completed = await app.gql(world.director, `{ gminaReport(measure: PLANS_COMPLETED, groupBy: [TERMINATION_REASON]) { total { value } } }`);
    expect(codes(completed)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('a programme is adopted only after its public consultation has ended', () => {
  test('no consultation, or one still running: refused and the programme stays a draft', async () => {
    const director = staff(Role.DIRECTOR, A);
    const service = await createService(app, director, world.unitId);
    const programme = await createProgramme(app, director, world.unitId, A);
    await addProgrammeService(app, director, programme.id, service.id);
    const adopt = (who: Who) =>
      tryMutate(app, who, 'programmeAdopt', 'ProgrammeAdoptInput', 'programme { id status }', {
        id: programme.id,
        periodStart: '2027-01-01',
        periodEnd: '2030-12-31',
        resolution: { number: 'XII/7/2026', date: today() },
      });
    const status = async () => (await app.gql(director, 'query($id: ID!) { programme(id: $id) { status version } }', { id: programme.id })).body.data.programme;
    const before = await status();

    const bare = await adopt(director);
    expect(bare.body.data.programmeAdopt.programme).toBeNull();
    expect(errorsOf(bare, 'programmeAdopt')).toEqual([['input.id', 'PREREQUISITE_MISSING']]);
    expect(await status()).toEqual(before);

    await openConsultation(app, director, { programmeId: programme.id }, addDays(today(), -5), addDays(today(), 5));
    expect(errorsOf(await adopt(director), 'programmeAdopt')).toEqual([['input.id', 'NOT_ALLOWED']]);
    // Another gmina's director does not find it.
    expect(errorsOf(await adopt(staff(Role.DIRECTOR, B)), 'programmeAdopt')).toEqual([['input.id', 'NOT_FOUND']]);
    expect(await status()).toEqual(before);

    const other = await createProgramme(app, director, world.unitId, A);
    await addProgrammeService(app, director, other.id, service.id);
    await consultProgramme(app, director, other.id);
    const adopted = await mutate(app, director, 'programmeAdopt', 'ProgrammeAdoptInput', 'programme { status }', {
      id: other.id,
      periodStart: '2027-01-01',
      periodEnd: '2030-12-31',
      resolution: { number: 'XII/8/2026', date: today() },
    });
    expect(adopted.programme.status).toBe('ADOPTED');
  });
});

describe('a diagnosis is completed only with every stage done', () => {
  test('stages not recorded or not completed: refused, naming them, and the diagnosis stays in progress', async () => {
    const director = staff(Role.DIRECTOR, A);
    const diagnosis = await createDiagnosis(app, director, world.unitId);
    await mutate(app, director, 'researchActivityAdd', 'ResearchActivityAddInput', 'researchActivity { id }', {
      diagnosisId: diagnosis.id,
      kind: 'SURVEY',
      title: 'Ankieta',
      startDate: '2024-04-01',
      endDate: '2024-04-30',
      participants: 120,
    });
    await mutate(app, director, 'diagnosisNeedAdd', 'DiagnosisNeedAddInput', 'diagnosisNeed { id }', {
      diagnosisId: diagnosis.id,
      area: 'HEALTH',
      targetGroup: 'SENIORS',
      description: 'Rehabilitacja',
      priority: 'HIGH',
    });
    const complete = () => tryMutate(app, director, 'diagnosisComplete', 'DiagnosisIdInput', 'diagnosis { status }', { id: diagnosis.id });
    const state = async () => (await app.gql(director, 'query($id: ID!) { diagnosis(id: $id) { status version } }', { id: diagnosis.id })).body.data.diagnosis;
    const before = await state();

    const none = await complete();
    expect(none.body.data.diagnosisComplete.diagnosis).toBeNull();
    expect(none.body.data.diagnosisComplete.userErrors).toEqual([
      {
        field: ['input', 'id'],
        code: 'PREREQUISITE_MISSING',
        message: 'Record these stages as completed first (diagnosisStageSet): PLAN, METHODS, DATA_COLLECTION, ANALYSIS, CONCLUSIONS, REPORT',
      },
    ]);
    await completeStages(app, director, diagnosis.id);
    // The report recorded but not done is not enough.
    await mutate(app, director, 'diagnosisStageSet', 'DiagnosisStageSetInput', 'diagnosisStage { stage }', {
      diagnosisId: diagnosis.id,
      stage: 'REPORT',
      completed: false,
    });
    expect((await complete()).body.data.diagnosisComplete.userErrors[0].message).toMatch(/: REPORT$/);
    expect((await state()).status).toBe('IN_PROGRESS');
    expect((await state()).status).toBe(before.status);

    await mutate(app, director, 'diagnosisStageSet', 'DiagnosisStageSetInput', 'diagnosisStage { stage }', {
      diagnosisId: diagnosis.id,
      stage: 'REPORT',
      completed: true,
    });
    expect((await mutate(app, director, 'diagnosisComplete', 'DiagnosisIdInput', 'diagnosis { status }', { id: diagnosis.id })).diagnosis.status).toBe(
      'COMPLETED',
    );
  });
});

describe('an application is qualified only after its needs assessment', () => {
  /** A new resident of A and their application, filed in person ten days ago by the world's coordinator. */
  const filedTenDaysAgo = async (firstName: string, lastName: string) => {
    const resident = await mutate(app, world.coordinator, 'residentCreate', 'ResidentCreateInput', 'resident { id }', {
      firstName,
      lastName,
      gmina: A,
      address: { street: 'ul. Polna 5', postalCode: '42-290', city: 'Blachownia' },
    });
    const filedOn = addDays(today(), -10);
    const filed = await mutate(app, world.coordinator, 'applicationFile', 'ApplicationFileInput', 'application { id }', {
      residentId: resident.resident.id,
      filedOn,
      channel: 'IN_PERSON',
      filedBy: 'PERSON',
      requestedAreas: ['SOCIAL_ASSISTANCE'],
    });
    return { id: filed.application.id as string, filedOn };
  };

  test('no assessment, or one held after the qualification date: refused and the application stays filed', async () => {
    const coordinator = world.coordinator;
    const { id, filedOn } = await filedTenDaysAgo('Jan', 'Kwalifikowany');
    const state = async () =>
      (await app.gql(coordinator, 'query($id: ID!) { application(id: $id) { status version decision { decidedOn } } }', { id })).body.data.application;
    const qualify = async (who: Who, decidedOn: string) =>
      tryMutate(app, who, 'applicationQualify', 'ApplicationQualifyInput', 'application { status }', { id, version: (await state()).version, decidedOn });
    const before = await state();

    const bare = await qualify(coordinator, addDays(filedOn, 2));
    expect(bare.body.data.applicationQualify.application).toBeNull();
    expect(errorsOf(bare, 'applicationQualify')).toEqual([['input.id', 'PREREQUISITE_MISSING']]);
    expect(errorsOf(await qualify(staff(Role.COORDINATOR, B), addDays(filedOn, 2)), 'applicationQualify')).toEqual([['input.id', 'NOT_FOUND']]);
    expect(await state()).toEqual(before);

    const recorded = await mutate(app, coordinator, 'needsAssessmentRecord', 'NeedsAssessmentRecordInput', 'needsAssessment { id version }', {
      applicationId: id,
      conversationOn: addDays(filedOn, 5),
      place: 'RESIDENT_HOME',
      coordinatorName: 'Anna Koordynatorka',
      needs: [{ area: 'SOCIAL_ASSISTANCE', description: 'Pomoc w codziennych czynnościach' }],
    });
    // Qualified before the conversation took place: still refused.
    expect(errorsOf(await qualify(coordinator, addDays(filedOn, 2)), 'applicationQualify')).toEqual([['input.id', 'PREREQUISITE_MISSING']]);
    const after = await state();
    expect(after.status).toBe('FILED');

    const qualified = await mutate(app, coordinator, 'applicationQualify', 'ApplicationQualifyInput', 'application { status decision { decidedOn } }', {
      id,
      version: after.version,
      decidedOn: addDays(filedOn, 5),
    });
    expect(qualified.application).toEqual({ status: 'QUALIFIED', decision: { decidedOn: addDays(filedOn, 5) } });

    // Nor can the assessment be moved after the qualification it rests on (found in review).
    const moved = await tryMutate(app, coordinator, 'needsAssessmentUpdate', 'NeedsAssessmentUpdateInput', 'needsAssessment { conversationOn }', {
      id: recorded.needsAssessment.id,
      version: recorded.needsAssessment.version,
      conversationOn: addDays(filedOn, 6),
    });
    expect(errorsOf(moved, 'needsAssessmentUpdate')).toEqual([['input.conversationOn', 'OUT_OF_RANGE']]);
    const kept = await app.gql(coordinator, 'query($id: ID!) { node(id: $id) { ... on NeedsAssessment { conversationOn } } }', {
      id: recorded.needsAssessment.id,
    });
    expect(kept.body.data.node).toEqual({ conversationOn: addDays(filedOn, 5) });

    // A follow-up assessment held after the qualification, to prepare the plan, is edited as usual.
    const followUp = await mutate(app, coordinator, 'needsAssessmentRecord', 'NeedsAssessmentRecordInput', 'needsAssessment { id version }', {
      applicationId: id,
      conversationOn: addDays(filedOn, 8),
      place: 'CUS_OFFICE',
      needs: [{ area: 'SOCIAL_ASSISTANCE', description: 'Zakupy dwa razy w tygodniu' }],
    });
    const noted = await mutate(app, coordinator, 'needsAssessmentUpdate', 'NeedsAssessmentUpdateInput', 'needsAssessment { id version conversationOn notes }', {
      id: followUp.needsAssessment.id,
      version: followUp.needsAssessment.version,
      notes: 'Córka pomaga w weekendy',
    });
    expect(noted.needsAssessment).toMatchObject({ conversationOn: addDays(filedOn, 8), notes: 'Córka pomaga w weekendy' });
    // The follow-up may be moved before the decision day too.
    const earlier = await mutate(app, coordinator, 'needsAssessmentUpdate', 'NeedsAssessmentUpdateInput', 'needsAssessment { conversationOn }', {
      id: followUp.needsAssessment.id,
      version: noted.needsAssessment.version,
      conversationOn: addDays(filedOn, 4),
    });
    expect(earlier.needsAssessment).toEqual({ conversationOn: addDays(filedOn, 4) });
    // Now another assessment was held by the decision day, so the first may move past it.
    const movedNow = await mutate(app, coordinator, 'needsAssessmentUpdate', 'NeedsAssessmentUpdateInput', 'needsAssessment { conversationOn }', {
      id: recorded.needsAssessment.id,
      version: recorded.needsAssessment.version,
      conversationOn: addDays(filedOn, 6),
    });
    expect(movedNow.needsAssessment).toEqual({ conversationOn: addDays(filedOn, 6) });
    const lastGround = await tryMutate(app, coordinator, 'needsAssessmentUpdate', 'NeedsAssessmentUpdateInput', 'needsAssessment { conversationOn }', {
      id: followUp.needsAssessment.id,
      version: (await app.gql(coordinator, 'query($id: ID!) { node(id: $id) { ... on NeedsAssessment { version } } }', { id: followUp.needsAssessment.id }))
        .body.data.node.version,
      conversationOn: addDays(filedOn, 7),
    });
    expect(errorsOf(lastGround, 'needsAssessmentUpdate')).toEqual([['input.conversationOn', 'OUT_OF_RANGE']]);
    const stays = await app.gql(coordinator, 'query($id: ID!) { node(id: $id) { ... on NeedsAssessment { conversationOn } } }', {
      id: followUp.needsAssessment.id,
    });
    expect(stays.body.data.node).toEqual({ conversationOn: addDays(filedOn, 4) });
  });

  test('two assessments moved past the decision at once: the second move waits for the first and is refused', async () => {
    const coordinator = world.coordinator;
    const { id, filedOn } = await filedTenDaysAgo('Ewa', 'Równoczesna');
    const assess = (day: string) =>
      mutate(app, coordinator, 'needsAssessmentRecord', 'NeedsAssessmentRecordInput', 'needsAssessment { id version }', {
        applicationId: id,
        conversationOn: day,
        place: 'CUS_OFFICE',
        needs: [{ area: 'SOCIAL_ASSISTANCE', description: 'Pomoc w codziennych czynnościach' }],
      });
    const [first, second] = [await assess(addDays(filedOn, 2)), await assess(addDays(filedOn, 3))];
    const version = (await app.gql(coordinator, 'query($id: ID!) { application(id: $id) { version } }', { id })).body.data.application.version;
    await mutate(app, coordinator, 'applicationQualify', 'ApplicationQualifyInput', 'application { status }', { id, version, decidedOn: addDays(filedOn, 4) });

    // The other move, as another request would make it: the application's row taken first, the first assessment moved past the day.
    const other = new pg.Client({ connectionString: inject('ownerUrl') });
    await other.connect();
    try {
      await other.query('begin');
      await other.query('select 1 from application where id = $1 for update', [fromGlobalId(id).key]);
      await other.query('update needs_assessment set conversation_on = $2 where id = $1', [fromGlobalId(first.needsAssessment.id).key, addDays(filedOn, 6)]);
      const [{ pid }] = (await other.query('select pg_backend_pid() as pid')).rows;
      const pending = tryMutate(app, coordinator, 'needsAssessmentUpdate', 'NeedsAssessmentUpdateInput', 'needsAssessment { conversationOn }', {
        id: second.needsAssessment.id,
        version: second.needsAssessment.version,
        conversationOn: addDays(filedOn, 7),
      });
      await vi.waitFor(
        async () => expect(await rawAsOwner('select 1 from pg_stat_activity where $1 = any (pg_blocking_pids(pid))', [pid])).not.toHaveLength(0),
        {
          timeout: 10_000,
        },
      );
      await other.query('commit');
      expect(errorsOf(await pending, 'needsAssessmentUpdate')).toEqual([['input.conversationOn', 'OUT_OF_RANGE']]);
    } finally {
      await other.end();
    }
    const kept = await app.gql(coordinator, 'query($id: ID!) { node(id: $id) { ... on NeedsAssessment { conversationOn } } }', {
      id: second.needsAssessment.id,
    });
    expect(kept.body.data.node).toEqual({ conversationOn: addDays(filedOn, 3) });
  });
});
