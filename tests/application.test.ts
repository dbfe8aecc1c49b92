import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { codes, rawAsApp, rawAsOwner, Role, startTestApp, unique, type GraphQLResponse, type TestApp, type Who } from './support/app.js';
import { createUnit } from './support/fixtures.js';
import { sessionVariables } from '../src/platform/auth/principal.js';
import { fromGlobalId, toGlobalId } from '../src/platform/graphql/node.js';
import { todayInPoland } from '../src/modules/common/dates.js';

/**
 * Applications and needs assessments, through HTTP, per role: filing, assessing, the three outcomes
 * (each once), filing order, tenant isolation, the access log and batching.
 * Gminy (Małopolskie): A Jerzmanowice-Przeginia (1206042), B Kocmyrzów-Luborzyca (1206052),
 * C Limanowa (1207011; a coordinator serving A and C, and the statement count).
 */
const A = '1206042';
const B = '1206052';
const C = '1207011';

const staff = (role: Role, ...gminy: string[]): Who => ({ role, gminy });
const coordinatorA = staff(Role.COORDINATOR, A);
const directorA = staff(Role.DIRECTOR, A);
const organiserA = staff(Role.SERVICES_ORGANISER, A);
const coordinatorB = staff(Role.COORDINATOR, B);
const directorB = staff(Role.DIRECTOR, B);
const organiserB = staff(Role.SERVICES_ORGANISER, B);
const directorC = staff(Role.DIRECTOR, C);
const OUTSIDERS: Who[] = [
  staff(Role.GMINA_OFFICIAL, A),
  staff(Role.COMMUNITY_ORGANISER, A),
  // A real partner (the demo's „Razem dla Wiązowny”): one not in the register is refused at the door.
  { role: Role.PARTNER, partner: '0193a000-0000-7000-8000-0000000000aa' },
  { role: Role.MINISTRY },
  { role: Role.PLATFORM_ADMIN },
];

const ERRORS = 'userErrors { field message code }';
const NEEDS = 'needs { area description }';
const ASSESSMENT = `id conversationOn place placeNote coordinatorName notes version ${NEEDS}`;
const APPLICATION = `id status filedOn filingNumber channel filedBy filerName requestedAreas requestText version
  resident { id lastName } cusUnit { id name } requestedServices { id name }
  decision { decidedOn decidedBy number date refusalReason forwardedTo consentOn consentHow }
  needsAssessments { ${ASSESSMENT} }`;

const mutation = (name: string, inputType: string, selection: string) =>
  `mutation($input: ${inputType}!) { ${name}(input: $input) { ${selection} ${ERRORS} } }`;
const FILE = mutation('applicationFile', 'ApplicationFileInput', `application { ${APPLICATION} }`);
const UPDATE = mutation('applicationUpdate', 'ApplicationUpdateInput', `application { ${APPLICATION} }`);
const QUALIFY = mutation('applicationQualify', 'ApplicationQualifyInput', `application { ${APPLICATION} }`);
const REFUSE = mutation('applicationRefuse', 'ApplicationRefuseInput', `application { ${APPLICATION} }`);
// The rest of a refusal decision (KPA art. 107), tested in tests/refusal-decision.test.ts.
const DECISION_PARTS = {
  legalBasis: 'art. 104 KPA',
  factualReasoning: 'Fakty',
  legalReasoning: 'Prawo',
  appealBody: 'SKO w Krakowie',
  signatoryName: 'Anna Nowak',
  signatoryPosition: 'Dyrektor',
};
const FORWARD = mutation('applicationForward', 'ApplicationForwardInput', `application { ${APPLICATION} }`);
const RECORD = mutation('needsAssessmentRecord', 'NeedsAssessmentRecordInput', `needsAssessment { ${ASSESSMENT} application { id status } }`);
const ASSESSMENT_UPDATE = mutation('needsAssessmentUpdate', 'NeedsAssessmentUpdateInput', `needsAssessment { ${ASSESSMENT} application { id status } }`);
const READ = `query($id: ID!) { application(id: $id) { ${APPLICATION} } }`;

const TODAY = todayInPoland();
const dayAfter = (day: string, days: number) => new Date(Date.parse(`${day}T12:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const TOMORROW = dayAfter(TODAY, 1);

let app: TestApp;
let unitA: any;
let unitB: any;
let unitC: any;
let careA: any; // "Usługi opiekuńcze" in A's catalogue
let transportA: any; // "Transport" in A's catalogue
let serviceB: any;
let serviceC: any;

const rawId = (globalId: string) => fromGlobalId(globalId).key;

/** Residents are inserted as the schema owner: this file tests applications, not the resident module. */
async function insertResident(gmina: string, lastName = unique('Wnioskodawczyni').replace(' ', '')): Promise<string> {
  const [row] = await rawAsOwner<{ id: string }>(`insert into resident (gmina_id, first_name, last_name) values ($1, 'Janina', $2) returning id`, [
    Number(gmina),
    lastName,
  ]);
  return toGlobalId('Resident', row.id);
}

async function createService(who: Who, unit: any, name: string) {
  const res = await app.gql(who, `mutation($input: ServiceCreateInput!) { serviceCreate(input: $input) { service { id name } ${ERRORS} } }`, {
    input: { cusUnitId: unit.id, name: unique(name), area: 'SOCIAL_ASSISTANCE', targetGroups: ['SENIORS'], provider: { kind: 'CUS' }, online: true },
  });
  expect(res.body.errors).toBeUndefined();
  expect(res.body.data.serviceCreate.userErrors).toEqual([]);
  return res.body.data.serviceCreate.service;
}

/** Runs a mutation that must pass no top-level error and returns its payload. */
async function run(who: Who | string, query: string, input: Record<string, unknown>): Promise<any> {
  const res = await app.gql(who, query, { input });
  expect(res.body.errors).toBeUndefined();
  return Object.values(res.body.data)[0];
}

/** Runs a mutation that must succeed and returns the object it changed. */
async function ok(who: Who | string, query: string, input: Record<string, unknown>): Promise<any> {
  const result = await run(who, query, input);
  expect(result.userErrors).toEqual([]);
  return result.application ?? result.needsAssessment;
}

const fileInput = (residentId: string, extra: Record<string, unknown> = {}) => ({
  residentId,
  filedOn: '2026-10-01',
  channel: 'IN_PERSON',
  filedBy: 'PERSON',
  requestedAreas: ['SOCIAL_ASSISTANCE'],
  ...extra,
});
const file = (who: Who, residentId: string, extra: Record<string, unknown> = {}) => ok(who, FILE, fileInput(residentId, extra));
const assessmentInput = (applicationId: string, extra: Record<string, unknown> = {}) => ({
  applicationId,
  conversationOn: '2026-10-05',
  place: 'CUS_OFFICE',
  needs: [{ area: 'SOCIAL_ASSISTANCE', description: 'Pomoc w zakupach' }],
  ...extra,
});
const read = async (id: string, who: Who = directorA) => (await app.gql(who, READ, { id })).body.data.application;
/** Qualification needs a needs assessment held by its date: records one on `conversationOn`, then qualifies. */
async function assessAndQualify(who: Who, application: { id: string }, conversationOn: string, input: Record<string, unknown> = {}) {
  await ok(coordinatorA, RECORD, assessmentInput(application.id, { conversationOn }));
  return ok(who, QUALIFY, { id: application.id, version: 1, ...input });
}

/** The rows as the owner sees them (no RLS): an application with its assessments and their needs. */
async function rawState(applicationId: string) {
  const [row] = await rawAsOwner<{ state: unknown }>(
    `select jsonb_build_object(
      'application', (select to_jsonb(a) from application a where a.id = $1),
      'assessments', (select coalesce(jsonb_agg(to_jsonb(na) order by na.id), '[]') from needs_assessment na where na.application_id = $1),
      'needs', (select coalesce(jsonb_agg(to_jsonb(n) order by n.id), '[]') from needs_assessment_need n
                join needs_assessment na on na.id = n.assessment_id where na.application_id = $1)) as state`,
    [rawId(applicationId)],
  );
  return row.state;
}

const countOfResident = async (residentId: string) =>
  Number((await rawAsOwner<{ n: string }>('select count(*) as n from application where resident_id = $1', [rawId(residentId)]))[0].n);

beforeAll(async () => {
  app = await startTestApp();
  ({ unit: unitA } = await createUnit(app, A));
  ({ unit: unitB } = await createUnit(app, B));
  ({ unit: unitC } = await createUnit(app, C));
  // The coordinator serving A and C belongs to a unit serving both (staff name gminy of their own unit).
  await createUnit(app, C, {
    servedGminy: [A, C],
    creationMode: 'INTERMUNICIPAL_AGREEMENT',
    agreement: { number: 'POR.7.2023', date: '2023-12-01' },
    statutory: false,
  });
  careA = await createService(directorA, unitA, 'Usługi opiekuńcze');
  transportA = await createService(directorA, unitA, 'Transport do lekarza');
  serviceB = await createService(directorB, unitB, 'Usługi opiekuńcze B');
  serviceC = await createService(directorC, unitC, 'Usługi opiekuńcze C');
});
afterAll(async () => {
  await app.close();
});

describe('from application to qualification', () => {
  test('a coordinator files an application, assesses the needs, qualifies it and assesses again', async () => {
    const residentId = await insertResident(A, 'Kowalska');
    const filed = await file(coordinatorA, residentId, {
      channel: 'EPUAP',
      filedBy: 'DE_FACTO_CARER',
      filerName: '  Maria Nowak  ',
      requestedAreas: ['SOCIAL_ASSISTANCE', 'HEALTH'],
      requestedServiceIds: [careA.id, transportA.id],
      requestText: ' Pomoc w domu po wyjściu ze szpitala. ',
    });
    expect(filed).toMatchObject({
      status: 'FILED',
      filedOn: '2026-10-01',
      channel: 'EPUAP',
      filedBy: 'DE_FACTO_CARER',
      filerName: 'Maria Nowak',
      requestedAreas: ['SOCIAL_ASSISTANCE', 'HEALTH'],
      requestText: 'Pomoc w domu po wyjściu ze szpitala.',
      version: 1,
      resident: { id: residentId, lastName: 'Kowalska' },
      cusUnit: { id: unitA.id, name: unitA.name },
      requestedServices: [
        { id: careA.id, name: careA.name },
        { id: transportA.id, name: transportA.name },
      ],
      decision: null,
      needsAssessments: [],
    });
    expect(Number.isInteger(filed.filingNumber)).toBe(true);

    const assessed = await ok(
      coordinatorA,
      RECORD,
      assessmentInput(filed.id, {
        conversationOn: '2026-10-03',
        place: 'RESIDENT_HOME',
        notes: 'Mieszka sama, schody.',
        needs: [
          { area: 'HEALTH', description: 'Rehabilitacja' },
          { area: 'SOCIAL_ASSISTANCE', description: 'Zakupy i sprzątanie' },
        ],
      }),
    );
    // The coordinator's name defaults to the principal's user id.
    expect(assessed).toMatchObject({
      conversationOn: '2026-10-03',
      place: 'RESIDENT_HOME',
      placeNote: null,
      coordinatorName: 'dev-coordinator',
      notes: 'Mieszka sama, schody.',
      version: 1,
      needs: [
        { area: 'SOCIAL_ASSISTANCE', description: 'Zakupy i sprzątanie' },
        { area: 'HEALTH', description: 'Rehabilitacja' },
      ],
      application: { id: filed.id, status: 'FILED' },
    });

    // Replacing only the needs is a change of the assessment: its version moves on.
    const corrected = await ok(coordinatorA, ASSESSMENT_UPDATE, {
      id: assessed.id,
      version: 1,
      coordinatorName: 'Anna Koordynatorka',
      needs: [{ area: 'DISABILITY_SUPPORT', description: 'Orzeczenie w toku' }],
    });
    expect(corrected).toMatchObject({
      version: 2,
      coordinatorName: 'Anna Koordynatorka',
      notes: 'Mieszka sama, schody.',
      needs: [{ area: 'DISABILITY_SUPPORT', description: 'Orzeczenie w toku' }],
    });
    const needsOnly = await ok(coordinatorA, ASSESSMENT_UPDATE, {
      id: assessed.id,
      version: 2,
      needs: [{ area: 'HOUSING', description: 'Wilgoć w mieszkaniu' }],
    });
    expect(needsOnly).toMatchObject({ version: 3, needs: [{ area: 'HOUSING', description: 'Wilgoć w mieszkaniu' }] });
    const stale = await run(coordinatorA, ASSESSMENT_UPDATE, { id: assessed.id, version: 2, notes: 'x' });
    expect(stale.userErrors).toEqual([{ field: ['input', 'version'], message: expect.stringContaining('now version 3'), code: 'CONFLICT' }]);

    const qualified = await ok(coordinatorA, QUALIFY, { id: filed.id, version: filed.version });
    expect(qualified).toMatchObject({
      status: 'QUALIFIED',
      version: 2,
      decision: {
        decidedOn: TODAY,
        decidedBy: 'dev-coordinator',
        number: null,
        date: null,
        refusalReason: null,
        forwardedTo: null,
        consentOn: null,
        consentHow: null,
      },
    });

    // An assessment may follow the qualification (to prepare the plan).
    const second = await ok(coordinatorA, RECORD, assessmentInput(filed.id, { conversationOn: '2026-10-20', place: 'OTHER', placeNote: 'Świetlica wiejska' }));
    expect(second).toMatchObject({ placeNote: 'Świetlica wiejska', application: { id: filed.id, status: 'QUALIFIED' } });

    const back = await read(filed.id, coordinatorA);
    expect(back.needsAssessments.map((a: any) => [a.id, a.conversationOn, a.needs])).toEqual([
      [assessed.id, '2026-10-03', [{ area: 'HOUSING', description: 'Wilgoć w mieszkaniu' }]],
      [second.id, '2026-10-20', [{ area: 'SOCIAL_ASSISTANCE', description: 'Pomoc w zakupach' }]],
    ]);
    const nodes = await app.gql(
      organiserA,
      `query($a: ID!, $n: ID!, $r: ID!) {
      a: node(id: $a) { ... on Application { status } }
      n: node(id: $n) { ... on NeedsAssessment { coordinatorName application { id } } }
      r: resident(id: $r) { applications { id status } } }`,
      { a: filed.id, n: assessed.id, r: residentId },
    );
    expect(nodes.body.errors).toBeUndefined();
    expect(nodes.body.data).toEqual({
      a: { status: 'QUALIFIED' },
      n: { coordinatorName: 'Anna Koordynatorka', application: { id: filed.id } },
      r: { applications: [{ id: filed.id, status: 'QUALIFIED' }] },
    });
  });

  test('defaults: filed today with the one unit of yours serving the resident; a person filing needs no filer name', async () => {
    const residentId = await insertResident(A);
    const filed = await ok(coordinatorA, FILE, { residentId, channel: 'PHONE', filedBy: 'PERSON', requestText: 'Proszę o kontakt.' });
    expect(filed).toMatchObject({
      filedOn: TODAY,
      cusUnit: { id: unitA.id },
      filerName: null,
      requestedAreas: [],
      requestedServices: [],
      requestText: 'Proszę o kontakt.',
    });
  });

  test('an application is corrected while FILED; a stale version changes nothing', async () => {
    const residentId = await insertResident(A);
    const filed = await file(coordinatorA, residentId, { requestedServiceIds: [careA.id] });
    const updated = await ok(directorA, UPDATE, {
      id: filed.id,
      version: 1,
      channel: 'POST',
      filedBy: 'LEGAL_REPRESENTATIVE',
      filerName: 'Jan Opiekun',
      requestedServiceIds: [transportA.id],
      filedOn: '2026-09-30',
    });
    expect(updated).toMatchObject({
      version: 2,
      channel: 'POST',
      filedBy: 'LEGAL_REPRESENTATIVE',
      filerName: 'Jan Opiekun',
      filedOn: '2026-09-30',
      requestedAreas: ['SOCIAL_ASSISTANCE'],
      requestedServices: [{ id: transportA.id }],
    });
    const before = await rawState(filed.id);
    const stale = await run(directorA, UPDATE, { id: filed.id, version: 1, requestText: 'x' });
    expect(stale).toEqual({
      application: null,
      userErrors: [{ field: ['input', 'version'], message: expect.stringContaining('now version 2'), code: 'CONFLICT' }],
    });
    const invalid = await run(directorA, UPDATE, { id: filed.id, version: 2, filerName: ' ', requestedAreas: [], requestedServiceIds: [], filedOn: TOMORROW });
    expect(invalid.userErrors.map((e: any) => [e.field.join('.'), e.code])).toEqual([
      ['input.filedOn', 'OUT_OF_RANGE'],
      ['input.filerName', 'REQUIRED'],
      ['input.requestedAreas', 'REQUIRED'],
    ]);
    // The filing cannot move after a conversation already held.
    await ok(coordinatorA, RECORD, assessmentInput(filed.id, { conversationOn: '2026-10-02' }));
    const middle = await rawState(filed.id);
    const late = await run(directorA, UPDATE, { id: filed.id, version: 2, filedOn: '2026-10-10' });
    expect(late.userErrors).toEqual([
      { field: ['input', 'filedOn'], message: 'The needs were assessed on 2026-10-02, before 2026-10-10', code: 'OUT_OF_RANGE' },
    ]);
    expect(await rawState(filed.id)).toEqual(middle);
    expect((before as any).application).toEqual((middle as any).application);
  });

  test('filing refuses a future date, a missing filer, an empty request, services and units that do not fit: nothing written', async () => {
    const residentId = await insertResident(A);
    const bad = await run(coordinatorA, FILE, {
      residentId,
      filedOn: TOMORROW,
      channel: 'POST',
      filedBy: 'LEGAL_REPRESENTATIVE',
      filerName: '  ',
      requestedAreas: [],
      requestText: ' ',
    });
    expect(bad.application).toBeNull();
    expect(bad.userErrors.map((e: any) => [e.field.join('.'), e.code])).toEqual([
      ['input.filedOn', 'OUT_OF_RANGE'],
      ['input.filerName', 'REQUIRED'],
      ['input.requestedAreas', 'REQUIRED'],
    ]);
    // Another gmina's service is not found; so is a service of another unit of the coordinator, and a twice-named one is a duplicate.
    const coordinatorAC = staff(Role.COORDINATOR, A, C);
    const services = await run(
      coordinatorAC,
      FILE,
      fileInput(residentId, { cusUnitId: unitA.id, requestedServiceIds: [serviceB.id, serviceC.id, careA.id, careA.id] }),
    );
    expect(services.userErrors).toEqual([
      { field: ['input', 'requestedServiceIds'], message: 'A service is listed twice', code: 'DUPLICATE' },
      { field: ['input', 'requestedServiceIds', '0'], message: `No such service in the catalogue of ${unitA.name}`, code: 'NOT_FOUND' },
      { field: ['input', 'requestedServiceIds', '1'], message: `No such service in the catalogue of ${unitA.name}`, code: 'NOT_FOUND' },
    ]);
    const wrongUnit = await run(coordinatorAC, FILE, fileInput(residentId, { cusUnitId: unitC.id }));
    expect(wrongUnit.userErrors).toEqual([
      { field: ['input', 'cusUnitId'], message: `${unitC.name} does not serve gmina ${A}, where the resident lives`, code: 'NOT_ALLOWED' },
    ]);
    const otherGminaUnit = await run(coordinatorA, FILE, fileInput(residentId, { cusUnitId: unitB.id }));
    expect(otherGminaUnit.userErrors).toEqual([{ field: ['input', 'cusUnitId'], message: 'No such CUS unit', code: 'NOT_FOUND' }]);
    const wrongType = await app.gql(coordinatorA, FILE, { input: fileInput(residentId, { requestedServiceIds: [unitA.id] }) });
    expect(codes(wrongType)).toEqual(['BAD_USER_INPUT']);
    expect(await countOfResident(residentId)).toBe(0);
  });

  test('assessing refuses a conversation before the filing or in the future, no needs, a blank need, an unnamed other place', async () => {
    const filed = await file(coordinatorA, await insertResident(A));
    const before = await rawState(filed.id);
    const early = await run(coordinatorA, RECORD, assessmentInput(filed.id, { conversationOn: '2026-09-30', needs: [], place: 'OTHER' }));
    expect(early).toEqual({
      needsAssessment: null,
      userErrors: [
        {
          field: ['input', 'conversationOn'],
          message: 'The conversation date (2026-09-30) must not be before the application was filed (2026-10-01)',
          code: 'OUT_OF_RANGE',
        },
        { field: ['input', 'placeNote'], message: 'Say where the conversation took place', code: 'REQUIRED' },
        { field: ['input', 'needs'], message: 'Record at least one need found', code: 'REQUIRED' },
      ],
    });
    const future = await run(coordinatorA, RECORD, assessmentInput(filed.id, { conversationOn: TOMORROW, needs: [{ area: 'HEALTH', description: ' ' }] }));
    expect(future.userErrors.map((e: any) => [e.field.join('.'), e.code])).toEqual([
      ['input.conversationOn', 'OUT_OF_RANGE'],
      ['input.needs.0.description', 'REQUIRED'],
    ]);
    const assessed = await ok(coordinatorA, RECORD, assessmentInput(filed.id));
    const recorded = await rawState(filed.id);
    const emptied = await run(coordinatorA, ASSESSMENT_UPDATE, { id: assessed.id, version: 1, needs: [], place: 'OTHER', coordinatorName: ' ' });
    expect(emptied.userErrors.map((e: any) => [e.field.join('.'), e.code])).toEqual([
      ['input.placeNote', 'REQUIRED'],
      ['input.coordinatorName', 'REQUIRED'],
      ['input.needs', 'REQUIRED'],
    ]);
    expect(await rawState(filed.id)).toEqual(recorded);
    expect((before as any).assessments).toEqual([]);
  });
});

describe('filing order', () => {
  test('applications are listed by filed date, then in the order filed; cursors page through them', async () => {
    const residentId = await insertResident(A);
    // Filed out of date order; three on one day.
    const late = await file(coordinatorA, residentId, { filedOn: '2026-04-02' });
    const first = await file(coordinatorA, residentId, { filedOn: '2026-04-01' });
    const early = await file(coordinatorA, await insertResident(A), { filedOn: '2026-03-31' });
    const second = await file(directorA, residentId, { filedOn: '2026-04-01' });
    const third = await file(coordinatorA, await insertResident(A), { filedOn: '2026-04-01' });
    const expected = [early, first, second, third, late].map((a) => a.id);
    expect(first.filingNumber).toBeLessThan(second.filingNumber);
    expect(second.filingNumber).toBeLessThan(third.filingNumber);

    const LIST = `query($first: Int, $after: String, $filter: ApplicationFilter) {
      applications(first: $first, after: $after, filter: $filter) { totalCount nodes { id filedOn } pageInfo { hasNextPage endCursor } } }`;
    const filter = { cusUnitId: unitA.id, filedFrom: '2026-03-31', filedTo: '2026-04-02' };
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const res: GraphQLResponse = await app.gql(organiserA, LIST, { first: 2, after, filter });
      expect(res.body.errors).toBeUndefined();
      const page = res.body.data.applications;
      expect(page.totalCount).toBe(5);
      seen.push(...page.nodes.map((n: any) => n.id));
      pages += 1;
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(expected);

    await assessAndQualify(coordinatorA, second, '2026-04-01');
    const only = await app.gql(organiserA, LIST, { first: 10, filter: { ...filter, statuses: ['QUALIFIED'] } });
    expect(only.body.data.applications.nodes.map((n: any) => n.id)).toEqual([second.id]);
    const ofResident = await app.gql(organiserA, LIST, { first: 10, filter: { residentId } });
    expect(ofResident.body.data.applications.nodes.map((n: any) => n.id)).toEqual([first.id, second.id, late.id]);
    const resident = await app.gql(coordinatorA, `query($id: ID!) { resident(id: $id) { applications { id } } }`, { id: residentId });
    expect(resident.body.data.resident.applications.map((a: any) => a.id)).toEqual([first.id, second.id, late.id]);
    const bad = await app.gql(organiserA, LIST, { first: 2, after: 'not-a-cursor', filter });
    expect(codes(bad)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('outcomes: qualified, refused or forwarded, once', () => {
  test('a refusal without number, date and reason gives REQUIRED for each and writes nothing; the director refuses with all three', async () => {
    const filed = await file(coordinatorA, await insertResident(A));
    const before = await rawState(filed.id);
    const empty = await run(directorA, REFUSE, { id: filed.id, version: 1, decisionNumber: ' ', reason: '' });
    expect(empty).toEqual({
      application: null,
      userErrors: [
        { field: ['input', 'decisionNumber'], message: 'A refusal is an administrative decision: its number is required', code: 'REQUIRED' },
        { field: ['input', 'decisionDate'], message: 'A refusal is an administrative decision: its date is required', code: 'REQUIRED' },
        { field: ['input', 'reason'], message: 'A refusal must state its reason', code: 'REQUIRED' },
        ...['legalBasis', 'factualReasoning', 'legalReasoning', 'appealBody', 'signatoryName', 'signatoryPosition'].map((field) =>
          expect.objectContaining({ field: ['input', field], code: 'REQUIRED' }),
        ),
      ],
    });
    const early = await run(directorA, REFUSE, {
      id: filed.id,
      version: 1,
      decisionNumber: 'CUS.1.2026',
      decisionDate: '2026-09-15',
      reason: 'Brak podstaw',
      ...DECISION_PARTS,
    });
    expect(early.userErrors).toEqual([
      {
        field: ['input', 'decisionDate'],
        message: 'The decision date (2026-09-15) must not be before the application was filed (2026-10-01)',
        code: 'OUT_OF_RANGE',
      },
    ]);
    expect(await rawState(filed.id)).toEqual(before);
    expect((await read(filed.id)).status).toBe('FILED');

    const refused = await ok(directorA, REFUSE, {
      id: filed.id,
      version: 1,
      decisionNumber: ' CUS.413.7.2026 ',
      decisionDate: '2026-10-20',
      reason: 'Usługa nie jest świadczona w gminie.',
      ...DECISION_PARTS,
    });
    expect(refused).toMatchObject({
      status: 'REFUSED',
      version: 2,
      decision: {
        decidedOn: '2026-10-20',
        decidedBy: 'dev-director',
        number: 'CUS.413.7.2026',
        date: '2026-10-20',
        refusalReason: 'Usługa nie jest świadczona w gminie.',
        forwardedTo: null,
        consentOn: null,
        consentHow: null,
      },
    });
  });

  test('forwarding records where to and the consent; missing ones are REQUIRED, consent after forwarding OUT_OF_RANGE', async () => {
    const filed = await file(coordinatorA, await insertResident(A));
    const before = await rawState(filed.id);
    const empty = await run(coordinatorA, FORWARD, { id: filed.id, version: 1 });
    expect(empty.userErrors.map((e: any) => [e.field.join('.'), e.code])).toEqual([
      ['input.forwardedTo', 'REQUIRED'],
      ['input.consentOn', 'REQUIRED'],
      ['input.consentHow', 'REQUIRED'],
    ]);
    const late = await run(coordinatorA, FORWARD, {
      id: filed.id,
      version: 1,
      forwardedTo: 'Zespół ds. pomocy społecznej',
      consentOn: '2026-10-10',
      consentHow: 'pisemnie',
      decidedOn: '2026-10-08',
    });
    expect(late.userErrors).toEqual([
      { field: ['input', 'consentOn'], message: 'Consent (2026-10-10) must come by the day of forwarding (2026-10-08)', code: 'OUT_OF_RANGE' },
    ]);
    expect(await rawState(filed.id)).toEqual(before);
    const forwarded = await ok(coordinatorA, FORWARD, {
      id: filed.id,
      version: 1,
      forwardedTo: 'Zespół ds. pomocy społecznej',
      consentOn: '2026-10-02',
      consentHow: 'pisemnie',
    });
    expect(forwarded).toMatchObject({
      status: 'FORWARDED',
      decision: {
        decidedOn: TODAY,
        decidedBy: 'dev-coordinator',
        forwardedTo: 'Zespół ds. pomocy społecznej',
        consentOn: '2026-10-02',
        consentHow: 'pisemnie',
        number: null,
      },
    });
  });

  test('after any first outcome a second one, a correction or (after refusal or forwarding) an assessment is NOT_ALLOWED and changes nothing', async () => {
    const decided = [
      { status: 'QUALIFIED', on: '2026-10-20', decide: (a: any) => assessAndQualify(coordinatorA, a, '2026-10-05', { decidedOn: '2026-10-20' }) },
      {
        status: 'REFUSED',
        on: '2026-10-20',
        decide: (a: any) =>
          ok(directorA, REFUSE, { id: a.id, version: 1, decisionNumber: 'D/1', decisionDate: '2026-10-20', reason: 'Brak podstaw', ...DECISION_PARTS }),
      },
      {
        status: 'FORWARDED',
        on: '2026-10-20',
        decide: (a: any) =>
          ok(directorA, FORWARD, {
            id: a.id,
            version: 1,
            forwardedTo: 'Powiatowe Centrum Pomocy Rodzinie',
            consentOn: '2026-10-19',
            consentHow: 'ustnie, notatka',
            decidedOn: '2026-10-20',
          }),
      },
    ];
    for (const { status, on, decide } of decided) {
      const application = await decide(await file(coordinatorA, await insertResident(A)));
      expect(application).toMatchObject({ status, version: 2, decision: { decidedOn: on } });
      const before = await rawState(application.id);
      const refused = [{ field: ['input', 'id'], message: `The application was already decided on ${on} (${status})`, code: 'NOT_ALLOWED' }];
      const again = [
        [QUALIFY, { id: application.id, version: 2 }],
        [REFUSE, { id: application.id, version: 2, decisionNumber: 'D/2', decisionDate: '2026-10-21', reason: 'Inny powód' }],
        [FORWARD, { id: application.id, version: 2, forwardedTo: 'Zespół', consentOn: '2026-10-21', consentHow: 'pisemnie' }],
        [UPDATE, { id: application.id, version: 2, requestText: 'Zmiana' }],
      ] as const;
      for (const [query, input] of again) {
        expect(await run(directorA, query, input)).toEqual({ application: null, userErrors: refused });
      }
      const assess = await run(coordinatorA, RECORD, assessmentInput(application.id));
      if (status === 'QUALIFIED') expect(assess.userErrors).toEqual([]);
      else {
        expect(assess.userErrors).toEqual([
          {
            field: ['input', 'applicationId'],
            message: `The application was ${status.toLowerCase()} on ${on}; its needs are no longer assessed here`,
            code: 'NOT_ALLOWED',
          },
        ]);
        expect(await rawState(application.id)).toEqual(before);
      }
      expect(await read(application.id)).toMatchObject({ status, version: 2, decision: { decidedOn: on } });
    }
  });

  test('the database refuses a second decision written as raw SQL by the director, but lets a first one through', async () => {
    const director = sessionVariables({ subject: 'dev-director', role: Role.DIRECTOR, gminy: [Number(A)], partnerId: null });
    const undecided = await file(coordinatorA, await insertResident(A));
    const decided = await assessAndQualify(coordinatorA, await file(coordinatorA, await insertResident(A)), '2026-10-05');
    const before = await rawState(decided.id);
    const redecide = `update application set status = 'REFUSED', decided_on = filed_on, decision_number = 'X', decision_date = filed_on,
      refusal_reason = 'Y' where id = $1 returning id`;
    // The same statement passes row-level security and the checks on an undecided application (rawAsApp rolls it back) ...
    expect(await rawAsApp(redecide, [rawId(undecided.id)], director)).toHaveLength(1);
    // ... and the trigger stops it on a decided one, as it stops moving the decision date.
    await expect(rawAsApp(redecide, [rawId(decided.id)], director)).rejects.toThrow(/already decided/);
    await expect(rawAsApp(`update application set decided_on = filed_on where id = $1`, [rawId(decided.id)], director)).rejects.toThrow(/already decided/);
    await expect(rawAsApp(`update application set status = 'FILED', decided_on = null where id = $1`, [rawId(decided.id)], director)).rejects.toThrow(
      /already decided/,
    );
    expect(await rawState(decided.id)).toEqual(before);
    expect((await read(undecided.id)).status).toBe('FILED');
  });
});

describe('who may do what', () => {
  let application: any;
  let assessment: any;
  beforeAll(async () => {
    application = await file(coordinatorA, await insertResident(A));
    assessment = await ok(coordinatorA, RECORD, assessmentInput(application.id));
  });

  /** Every root field of the module, with inputs that would pass for an authorised principal. */
  const roots = () =>
    ({
      applications: [`query($f: ApplicationFilter) { applications(first: 5, filter: $f) { nodes { id } } }`, { f: { cusUnitId: unitA.id } }],
      application: [`query($id: ID!) { application(id: $id) { id } }`, { id: application.id }],
      applicationFile: [FILE, { input: fileInput(application.resident.id) }],
      applicationUpdate: [UPDATE, { input: { id: application.id, version: 1, requestText: 'Zmiana' } }],
      applicationQualify: [QUALIFY, { input: { id: application.id, version: 1 } }],
      applicationRefuse: [REFUSE, { input: { id: application.id, version: 1, decisionNumber: 'D/9', decisionDate: '2026-10-20', reason: 'Powód' } }],
      applicationForward: [FORWARD, { input: { id: application.id, version: 1, forwardedTo: 'Zespół', consentOn: '2026-10-02', consentHow: 'pisemnie' } }],
      needsAssessmentRecord: [RECORD, { input: assessmentInput(application.id) }],
      needsAssessmentUpdate: [ASSESSMENT_UPDATE, { input: { id: assessment.id, version: 1, notes: 'Zmiana' } }],
    }) as Record<string, [string, Record<string, unknown>]>;
  const WRITES = [
    'applicationFile',
    'applicationUpdate',
    'applicationQualify',
    'applicationRefuse',
    'applicationForward',
    'needsAssessmentRecord',
    'needsAssessmentUpdate',
  ];

  test('a services organiser reads applications and assessments but every write is FORBIDDEN', async () => {
    const before = await rawState(application.id);
    const res = await app.gql(
      organiserA,
      `query($id: ID!, $n: ID!) {
      application(id: $id) { id needsAssessments { id needs { area } } } node(id: $n) { ... on NeedsAssessment { id } } }`,
      { id: application.id, n: assessment.id },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data).toEqual({
      application: { id: application.id, needsAssessments: [{ id: assessment.id, needs: [{ area: 'SOCIAL_ASSISTANCE' }] }] },
      node: { id: assessment.id },
    });
    for (const field of WRITES) {
      const [query, variables] = roots()[field];
      expect({ field, codes: codes(await app.gql(organiserA, query, variables)) }).toEqual({ field, codes: ['FORBIDDEN'] });
    }
    expect(await rawState(application.id)).toEqual(before);
    expect(await countOfResident(application.resident.id)).toBe(1);
  });

  test("a coordinator may not refuse: that is the director's administrative decision", async () => {
    const before = await rawState(application.id);
    const [query, variables] = roots().applicationRefuse;
    const res = await app.gql(coordinatorA, query, variables);
    expect(codes(res)).toEqual(['FORBIDDEN']);
    expect(res.body.data).toBeNull();
    expect(await rawState(application.id)).toEqual(before);
  });

  test('gmina officials, community organisers, partners, the ministry and the platform administrator: FORBIDDEN on every root field, null through node', async () => {
    const before = await rawState(application.id);
    for (const who of OUTSIDERS) {
      for (const [field, [query, variables]] of Object.entries(roots())) {
        const res = await app.gql(who, query, variables);
        expect({ who: who.role, field, codes: codes(res) }).toEqual({ who: who.role, field, codes: ['FORBIDDEN'] });
      }
      const nodes = await app.gql(who, `query($a: ID!, $n: ID!) { a: node(id: $a) { id } n: node(id: $n) { id } }`, { a: application.id, n: assessment.id });
      expect(nodes.body.errors).toBeUndefined();
      expect(nodes.body.data).toEqual({ a: null, n: null });
    }
    expect(await rawState(application.id)).toEqual(before);
    expect(await countOfResident(application.resident.id)).toBe(1);
  });
});

describe('tenant isolation', () => {
  test("staff of gmina B see nothing of A's applications and assessments through any root field or node, and cannot change them", async () => {
    const application = await file(coordinatorA, await insertResident(A), { requestedServiceIds: [careA.id] });
    const assessment = await ok(coordinatorA, RECORD, assessmentInput(application.id));
    const ownResident = await insertResident(B);
    const before = await rawState(application.id);

    for (const who of [directorB, coordinatorB, organiserB]) {
      const reads = await app.gql(
        who,
        `query($id: ID!, $n: ID!, $unit: ID!) {
        application(id: $id) { id } a: node(id: $id) { id } n: node(id: $n) { id }
        all: applications(first: 100) { nodes { id cusUnit { id } } }
        ofUnit: applications(first: 100, filter: { cusUnitId: $unit }) { totalCount nodes { id } } }`,
        { id: application.id, n: assessment.id, unit: unitA.id },
      );
      expect(reads.body.errors).toBeUndefined();
      expect(reads.body.data).toMatchObject({ application: null, a: null, n: null, ofUnit: { totalCount: 0, nodes: [] } });
      expect(reads.body.data.all.nodes.every((n: any) => n.cusUnit.id !== unitA.id)).toBe(true);
    }

    const notFound = (field: string) => [{ field: ['input', field], message: expect.stringMatching(/^No such/), code: 'NOT_FOUND' }];
    const writes: [Who, string, Record<string, unknown>, string][] = [
      [coordinatorB, UPDATE, { id: application.id, version: 1, requestText: 'Przejęte' }, 'id'],
      [coordinatorB, QUALIFY, { id: application.id, version: 1 }, 'id'],
      [directorB, REFUSE, { id: application.id, version: 1, decisionNumber: 'B/1', decisionDate: '2026-10-20', reason: 'Obca gmina' }, 'id'],
      [directorB, FORWARD, { id: application.id, version: 1, forwardedTo: 'Zespół', consentOn: '2026-10-02', consentHow: 'pisemnie' }, 'id'],
      [coordinatorB, RECORD, assessmentInput(application.id), 'applicationId'],
      [coordinatorB, ASSESSMENT_UPDATE, { id: assessment.id, version: 1, notes: 'Przejęte' }, 'id'],
      [coordinatorB, FILE, fileInput(application.resident.id), 'residentId'],
    ];
    for (const [who, query, input, field] of writes) {
      const result = await run(who, query, input);
      expect(result.userErrors).toEqual(notFound(field));
    }
    // Filing for B's own resident with A's service: the service is not found either.
    const foreignService = await run(coordinatorB, FILE, fileInput(ownResident, { requestedServiceIds: [careA.id] }));
    expect(foreignService.userErrors).toEqual([
      { field: ['input', 'requestedServiceIds', '0'], message: `No such service in the catalogue of ${unitB.name}`, code: 'NOT_FOUND' },
    ]);
    expect(await countOfResident(ownResident)).toBe(0);
    expect(await rawState(application.id)).toEqual(before);
    expect(await countOfResident(application.resident.id)).toBe(1);
  });
});

describe('the access log', () => {
  const logOf = (subject: string) =>
    rawAsOwner<{ resident_id: string; subject: string; role: string; operation: string }>(
      'select resident_id, subject, role, operation from resident_access_log where subject = $1 order by id',
      [subject],
    );

  test('listing, reading and node(id) of applications and assessments log the resident read, with who, role and the path that read it', async () => {
    const residentId = await insertResident(A);
    const otherId = await insertResident(A);
    const application = await file(coordinatorA, residentId);
    const other = await file(coordinatorA, otherId);
    const assessment = await ok(coordinatorA, RECORD, assessmentInput(other.id));

    const coordinator = `kipus-${Date.now().toString(36)}`;
    const token = await app.token(coordinatorA, { subject: coordinator });
    const list = await app.gql(token, `query ListApplications($r: ID!) { applications(first: 10, filter: { residentId: $r }) { nodes { id } } }`, {
      r: residentId,
    });
    expect(list.body.data.applications.nodes).toEqual([{ id: application.id }]);
    const one = await app.gql(token, `query ReadApplication($id: ID!) { application(id: $id) { status } }`, { id: other.id });
    expect(one.body.data.application).toEqual({ status: 'FILED' });
    expect(await logOf(coordinator)).toEqual([
      { resident_id: rawId(residentId), subject: coordinator, role: 'COORDINATOR', operation: 'query applications' },
      { resident_id: rawId(otherId), subject: coordinator, role: 'COORDINATOR', operation: 'query application' },
    ]);

    const organiser = `ous-${Date.now().toString(36)}`;
    const node = await app.gql(await app.token(organiserA, { subject: organiser }), `query($id: ID!) { node(id: $id) { ... on NeedsAssessment { notes } } }`, {
      id: assessment.id,
    });
    expect(node.body.data.node).toEqual({ notes: null });
    expect(await logOf(organiser)).toEqual([{ resident_id: rawId(otherId), subject: organiser, role: 'SERVICES_ORGANISER', operation: 'query node' }]);

    // Reading nothing (another gmina's staff) logs nothing.
    const outsider = `obcy-${Date.now().toString(36)}`;
    const none = await app.gql(await app.token(directorB, { subject: outsider }), `query($id: ID!) { application(id: $id) { id } }`, { id: application.id });
    expect(none.body.data.application).toBeNull();
    expect(await logOf(outsider)).toEqual([]);
  });

  test('a mutation returning the application logs the read too', async () => {
    const residentId = await insertResident(A);
    const subject = `kipus-file-${Date.now().toString(36)}`;
    // Only the application's own fields: the read is logged even when the resident is not asked for.
    const filed = await ok(
      await app.token(coordinatorA, { subject }),
      mutation('applicationFile', 'ApplicationFileInput', 'application { id status }'),
      fileInput(residentId),
    );
    expect(filed.status).toBe('FILED');
    expect(await logOf(subject)).toEqual([{ resident_id: rawId(residentId), subject, role: 'COORDINATOR', operation: 'mutation applicationFile.application' }]);
  });
});

describe('no N+1', () => {
  test('applications with resident, requested services, assessments with needs and unit: the same statements for 1 and for many', async () => {
    const coordinatorC = staff(Role.COORDINATOR, C);
    const another = await createService(directorC, unitC, 'Dowóz posiłków');
    for (let i = 0; i < 4; i += 1) {
      const filed = await file(coordinatorC, await insertResident(C, `Limanowska${i}`), { requestedServiceIds: [serviceC.id, another.id] });
      await ok(
        coordinatorC,
        RECORD,
        assessmentInput(filed.id, {
          needs: [
            { area: 'HEALTH', description: 'Rehabilitacja' },
            { area: 'HOUSING', description: 'Remont' },
          ],
        }),
      );
      await ok(coordinatorC, RECORD, assessmentInput(filed.id, { conversationOn: '2026-10-06' }));
    }
    const QUERY = `query($first: Int!, $unit: ID!) { applications(first: $first, filter: { cusUnitId: $unit }) { nodes {
      resident { lastName } requestedServices { name } needsAssessments { needs { area } } cusUnit { name } } } }`;
    const counted = async (first: number) => {
      app.statements.length = 0;
      const res = await app.gql(directorC, QUERY, { first, unit: unitC.id });
      const statements = app.statements.map((line) => line.replace(/\x1b\[[0-9;]*m/g, ''));
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.applications.nodes).toHaveLength(first);
      for (const node of res.body.data.applications.nodes) {
        expect(node.requestedServices).toHaveLength(2);
        expect(node.needsAssessments.map((a: any) => a.needs.length)).toEqual([2, 1]);
        expect(node.cusUnit.name).toBe(unitC.name);
      }
      // Not vacuous: each loader ran exactly once, and the access log was written once.
      for (const table of ['resident', 'service', 'needs_assessment', 'needs_assessment_need', 'cus_unit']) {
        expect({ table, n: statements.filter((s) => new RegExp(`\\[query\\] select\\b.* from "?${table}"? `).test(s)).length }).toEqual({ table, n: 1 });
      }
      expect(statements.filter((s) => /insert into resident_access_log/.test(s))).toHaveLength(1);
      return statements;
    };
    const one = await counted(1);
    const many = await counted(4);
    expect(many.length).toBe(one.length);
  });
});
