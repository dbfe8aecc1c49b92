import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { codes, rawAsOwner, Role, startTestApp, unique, type TestApp } from './support/app.js';
import { createUnit, errorsOf, mutate, pageThrough, staff, staff as staffIn, tryMutate } from './support/fixtures.js';
import { completeStages, createDiagnosis } from './support/programme-fixtures.js';
import { toGlobalId } from '../src/platform/graphql/node.js';

/**
 * The diagnosis of needs and potential: stages, research activities, needs and resources, its
 * lifecycle, and who may do what. Gmina A: Dzierżoniów 0202021 (this file's unit). Gmina B: Pieszyce 0202033.
 */
// Gminy without a demo unit: a staff token's unit is the one serving its gminy, and this file makes its own.
const A = '0202021';
const B = '0202033';
const directorA = staff(Role.DIRECTOR, A);
const directorB = staff(Role.DIRECTOR, B);
const MANAGERS = [Role.DIRECTOR, Role.SERVICES_ORGANISER, Role.COMMUNITY_ORGANISER];
const READERS_ONLY = [Role.COORDINATOR, Role.GMINA_OFFICIAL];
/** A real partner (the demo's „Razem dla Wiązowny”): one not in the register is refused at the door. */
const PARTNER_ID = '0193a000-0000-7000-8000-0000000000aa';
const OUTSIDERS = [{ role: Role.MINISTRY }, { role: Role.PLATFORM_ADMIN }, { role: Role.PARTNER, partner: PARTNER_ID }];

const FULL = `id title status version periodStart periodEnd summary
  cusUnit { id }
  stages { stage startDate endDate completed notes }
  researchActivities { id kind title startDate endDate targetGroups groupDescription participants }
  needs { id area targetGroup description priority }
  resources { id kind holder description partner { id name } }`;

let app: TestApp;
let unitA: any;
let partnerA: string;
let partnerB: string;

async function insertPartner(gmina: string): Promise<string> {
  const [row] = await rawAsOwner<{ id: string }>(`insert into partner (gmina_id, gmina_ids, name, kind) values ($1, $2, $3, 'NGO') returning id`, [
    Number(gmina),
    [Number(gmina)],
    unique('Stowarzyszenie'),
  ]);
  return toGlobalId('Partner', row.id);
}

const read = async (id: string, who = directorA) => (await app.gql(who, `query($id: ID!) { diagnosis(id: $id) { ${FULL} } }`, { id })).body.data.diagnosis;

beforeAll(async () => {
  app = await startTestApp();
  ({ unit: unitA } = await createUnit(app, A));
  await createUnit(app, B);
  partnerA = await insertPartner(A);
  partnerB = await insertPartner(B);
});
afterAll(async () => {
  await app.close();
});

describe('preparing a diagnosis', () => {
  test('each managing role starts a diagnosis; coordinators and gmina officials read it', async () => {
    for (const role of MANAGERS) {
      const created = await createDiagnosis(app, staff(role, A), unitA.id, { summary: `  Diagnoza ${role}  ` });
      expect(created).toMatchObject({ status: 'IN_PROGRESS', version: 1, periodStart: '2024-01-01', periodEnd: '2024-12-31' });
      for (const reader of READERS_ONLY) {
        const res = await app.gql(
          staff(reader, A),
          `query($id: ID!, $unit: ID!) {
          diagnosis(id: $id) { id summary cusUnit { id } }
          diagnoses(first: 100, filter: { cusUnitId: $unit }) { nodes { id } } }`,
          { id: created.id, unit: unitA.id },
        );
        expect(res.body.errors).toBeUndefined();
        expect(res.body.data.diagnosis).toEqual({ id: created.id, summary: `Diagnoza ${role}`, cusUnit: { id: unitA.id } });
        expect(res.body.data.diagnoses.nodes.map((n: any) => n.id)).toContain(created.id);
      }
    }
  });

  test('stages are upserted per stage and listed in the order they are worked through', async () => {
    const diagnosis = await createDiagnosis(app, directorA, unitA.id);
    const set = (input: Record<string, unknown>) =>
      mutate(app, directorA, 'diagnosisStageSet', 'DiagnosisStageSetInput', 'diagnosisStage { stage startDate endDate completed notes } diagnosis { id }', {
        diagnosisId: diagnosis.id,
        ...input,
      });
    await set({ stage: 'REPORT', startDate: '2024-11-01' });
    await set({ stage: 'PLAN', startDate: '2024-01-02', endDate: '2024-01-31', notes: 'Harmonogram' });
    const again = await set({ stage: 'PLAN', startDate: '2024-01-02', endDate: '2024-02-15', completed: true });
    expect(again.diagnosisStage).toEqual({ stage: 'PLAN', startDate: '2024-01-02', endDate: '2024-02-15', completed: true, notes: null });
    await set({ stage: 'METHODS', completed: false });
    const { stages } = await read(diagnosis.id);
    expect(stages.map((s: any) => s.stage)).toEqual(['PLAN', 'METHODS', 'REPORT']);
    expect(stages[0]).toMatchObject({ endDate: '2024-02-15', completed: true });

    const wrong = await tryMutate(app, directorA, 'diagnosisStageSet', 'DiagnosisStageSetInput', 'diagnosisStage { stage }', {
      diagnosisId: diagnosis.id,
      stage: 'ANALYSIS',
      startDate: '2024-05-01',
      endDate: '2024-04-01',
    });
    expect(errorsOf(wrong, 'diagnosisStageSet')).toEqual([['input.endDate', 'OUT_OF_RANGE']]);
    expect((await read(diagnosis.id)).stages).toEqual(stages);
  });

  test('research activities, needs and resources: add, update, remove, ordered', async () => {
    const diagnosis = await createDiagnosis(app, staff(Role.COMMUNITY_ORGANISER, A), unitA.id);
    const organiser = staff(Role.SERVICES_ORGANISER, A);
    const fgi = await mutate(app, organiser, 'researchActivityAdd', 'ResearchActivityAddInput', 'researchActivity { id diagnosis { id } }', {
      diagnosisId: diagnosis.id,
      kind: 'FGI',
      title: 'FGI z seniorami',
      startDate: '2024-03-05',
      endDate: '2024-03-05',
      targetGroups: ['SENIORS'],
      groupDescription: 'Seniorzy z sołectw',
      participants: 9,
    });
    expect(fgi.researchActivity.diagnosis).toEqual({ id: diagnosis.id });
    const idi = await mutate(app, organiser, 'researchActivityAdd', 'ResearchActivityAddInput', 'researchActivity { id }', {
      diagnosisId: diagnosis.id,
      kind: 'IDI',
      title: 'Wywiady z liderami',
      startDate: '2024-02-01',
      endDate: '2024-02-20',
      participants: 6,
    });
    const updated = await mutate(
      app,
      organiser,
      'researchActivityUpdate',
      'ResearchActivityUpdateInput',
      'researchActivity { title participants targetGroups }',
      {
        id: fgi.researchActivity.id,
        participants: 11,
        targetGroups: ['SENIORS', 'CARERS'],
      },
    );
    expect(updated.researchActivity).toEqual({ title: 'FGI z seniorami', participants: 11, targetGroups: ['SENIORS', 'CARERS'] });

    const need = (area: string, priority: string, description: string) =>
      mutate(app, organiser, 'diagnosisNeedAdd', 'DiagnosisNeedAddInput', 'diagnosisNeed { id }', {
        diagnosisId: diagnosis.id,
        area,
        targetGroup: 'SENIORS',
        description,
        priority,
      });
    await need('HEALTH', 'LOW', 'Dietetyk');
    const respite = await need('SOCIAL_ASSISTANCE', 'HIGH', 'Opieka wytchnieniowa');
    await need('FAMILY_POLICY', 'HIGH', 'Zajęcia dla rodziców');
    await need('CULTURE', 'MEDIUM', 'Klub seniora');
    await mutate(app, organiser, 'diagnosisNeedUpdate', 'DiagnosisNeedUpdateInput', 'diagnosisNeed { id }', {
      id: respite.diagnosisNeed.id,
      description: 'Opieka wytchnieniowa dla opiekunów',
    });

    const resource = await mutate(app, organiser, 'diagnosisResourceAdd', 'DiagnosisResourceAddInput', 'diagnosisResource { id partner { id } }', {
      diagnosisId: diagnosis.id,
      kind: 'NGO',
      holder: 'Stowarzyszenie',
      description: 'Wolontariusze',
      partnerId: partnerA,
    });
    expect(resource.diagnosisResource.partner).toEqual({ id: partnerA });
    await mutate(app, organiser, 'diagnosisResourceAdd', 'DiagnosisResourceAddInput', 'diagnosisResource { id }', {
      diagnosisId: diagnosis.id,
      kind: 'INFRASTRUCTURE',
      holder: 'Gmina',
      description: 'Świetlica wiejska w Gołkowie',
    });
    const unlinked = await mutate(app, organiser, 'diagnosisResourceUpdate', 'DiagnosisResourceUpdateInput', 'diagnosisResource { partner { id } holder }', {
      id: resource.diagnosisResource.id,
      partnerId: null,
      holder: 'Koło Gospodyń Wiejskich',
    });
    expect(unlinked.diagnosisResource).toEqual({ partner: null, holder: 'Koło Gospodyń Wiejskich' });

    let full = await read(diagnosis.id);
    expect(full.researchActivities.map((a: any) => a.kind)).toEqual(['IDI', 'FGI']);
    expect(full.needs.map((n: any) => [n.priority, n.area])).toEqual([
      ['HIGH', 'FAMILY_POLICY'],
      ['HIGH', 'SOCIAL_ASSISTANCE'],
      ['MEDIUM', 'CULTURE'],
      ['LOW', 'HEALTH'],
    ]);
    expect(full.needs[1].description).toBe('Opieka wytchnieniowa dla opiekunów');
    expect(full.resources.map((r: any) => r.holder)).toEqual(['Koło Gospodyń Wiejskich', 'Gmina']);

    const removed = await mutate(app, organiser, 'researchActivityRemove', 'DiagnosisItemRemoveInput', 'removedId diagnosis { id }', {
      id: idi.researchActivity.id,
    });
    expect(removed).toMatchObject({ removedId: idi.researchActivity.id, diagnosis: { id: diagnosis.id } });
    await mutate(app, organiser, 'diagnosisNeedRemove', 'DiagnosisItemRemoveInput', 'removedId', { id: respite.diagnosisNeed.id });
    await mutate(app, organiser, 'diagnosisResourceRemove', 'DiagnosisItemRemoveInput', 'removedId', { id: resource.diagnosisResource.id });
    full = await read(diagnosis.id);
    expect(full.researchActivities.map((a: any) => a.id)).toEqual([fgi.researchActivity.id]);
    expect(full.needs).toHaveLength(3);
    expect(full.resources.map((r: any) => r.holder)).toEqual(['Gmina']);
    const viaNode = await app.gql(directorA, 'query($id: ID!) { node(id: $id) { ... on ResearchActivity { title } } }', { id: fgi.researchActivity.id });
    expect(viaNode.body.data.node).toEqual({ title: 'FGI z seniorami' });
  });

  test('complete needs research and a need; a completed diagnosis is fixed; archive retires it', async () => {
    const diagnosis = await createDiagnosis(app, directorA, unitA.id);
    await completeStages(app, directorA, diagnosis.id);
    const early = await tryMutate(app, directorA, 'diagnosisComplete', 'DiagnosisIdInput', 'diagnosis { status }', { id: diagnosis.id });
    expect(early.body.data.diagnosisComplete.diagnosis).toBeNull();
    expect(errorsOf(early, 'diagnosisComplete')).toEqual([
      ['input.id', 'REQUIRED'],
      ['input.id', 'REQUIRED'],
    ]);
    expect((await read(diagnosis.id)).status).toBe('IN_PROGRESS');

    await mutate(app, directorA, 'researchActivityAdd', 'ResearchActivityAddInput', 'researchActivity { id }', {
      diagnosisId: diagnosis.id,
      kind: 'SURVEY',
      title: 'Ankieta',
      startDate: '2024-04-01',
      endDate: '2024-04-30',
      participants: 214,
    });
    const onlyResearch = await tryMutate(app, directorA, 'diagnosisComplete', 'DiagnosisIdInput', 'diagnosis { status }', { id: diagnosis.id });
    expect(onlyResearch.body.data.diagnosisComplete.userErrors).toEqual([
      { field: ['input', 'id'], message: 'Record at least one need before completing the diagnosis', code: 'REQUIRED' },
    ]);
    const need = await mutate(app, directorA, 'diagnosisNeedAdd', 'DiagnosisNeedAddInput', 'diagnosisNeed { id }', {
      diagnosisId: diagnosis.id,
      area: 'HEALTH',
      targetGroup: 'SENIORS',
      description: 'Rehabilitacja',
      priority: 'HIGH',
    });
    const done = await mutate(app, directorA, 'diagnosisComplete', 'DiagnosisIdInput', 'diagnosis { status version }', { id: diagnosis.id });
    expect(done.diagnosis.status).toBe('COMPLETED');

    const before = await read(diagnosis.id);
    const attempts = [
      await tryMutate(app, directorA, 'diagnosisNeedAdd', 'DiagnosisNeedAddInput', 'diagnosisNeed { id }', {
        diagnosisId: diagnosis.id,
        area: 'HEALTH',
        targetGroup: 'SENIORS',
        description: 'x',
        priority: 'LOW',
      }),
      await tryMutate(app, directorA, 'diagnosisNeedRemove', 'DiagnosisItemRemoveInput', 'removedId', { id: need.diagnosisNeed.id }),
      await tryMutate(app, directorA, 'diagnosisUpdate', 'DiagnosisUpdateInput', 'diagnosis { id }', {
        id: diagnosis.id,
        version: done.diagnosis.version,
        title: 'Nowy',
      }),
      await tryMutate(app, directorA, 'diagnosisComplete', 'DiagnosisIdInput', 'diagnosis { id }', { id: diagnosis.id }),
    ];
    for (const res of attempts) {
      const [field] = Object.keys(res.body.data);
      expect(errorsOf(res, field).map(([, code]: string[]) => code)).toEqual(['NOT_ALLOWED']);
    }
    expect(await read(diagnosis.id)).toEqual(before);

    const archived = await mutate(app, directorA, 'diagnosisArchive', 'DiagnosisIdInput', 'diagnosis { status }', { id: diagnosis.id });
    expect(archived.diagnosis.status).toBe('ARCHIVED');
    const twice = await tryMutate(app, directorA, 'diagnosisArchive', 'DiagnosisIdInput', 'diagnosis { status }', { id: diagnosis.id });
    expect(errorsOf(twice, 'diagnosisArchive')).toEqual([['input.id', 'NOT_ALLOWED']]);
    const listed = await app.gql(
      directorA,
      `query($unit: ID!) { diagnoses(first: 100, filter: { cusUnitId: $unit, status: ARCHIVED }) { nodes { id status } } }`,
      { unit: unitA.id },
    );
    expect(listed.body.data.diagnoses.nodes).toEqual([{ id: diagnosis.id, status: 'ARCHIVED' }]);
  });
});

test('diagnoses page by period, latest first, with stable cursors', async () => {
  for (const year of [2021, 2022]) await createDiagnosis(app, directorA, unitA.id, { periodStart: `${year}-01-01`, periodEnd: `${year}-12-31` });
  const filter = `{ cusUnitId: "${unitA.id}" }`;
  const all = (await app.gql(directorA, `{ diagnoses(first: 100, filter: ${filter}) { nodes { id periodStart } } }`)).body.data.diagnoses.nodes;
  expect(all.length).toBeGreaterThanOrEqual(5);
  const starts = all.map((d: any) => d.periodStart);
  expect(starts).toEqual([...starts].sort().reverse());
  expect(await pageThrough(app, directorA, 'diagnoses', filter)).toEqual(all.map((d: any) => d.id));
});

describe('invalid input is refused and changes nothing', () => {
  const countOfUnit = async () =>
    (await app.gql(directorA, `query($unit: ID!) { diagnoses(filter: { cusUnitId: $unit }) { totalCount } }`, { unit: unitA.id })).body.data.diagnoses
      .totalCount;

  test('a period ending before it starts, and a blank title', async () => {
    const before = await countOfUnit();
    const res = await tryMutate(app, directorA, 'diagnosisCreate', 'DiagnosisCreateInput', 'diagnosis { id }', {
      cusUnitId: unitA.id,
      title: '  ',
      periodStart: '2024-06-01',
      periodEnd: '2024-05-31',
    });
    expect(res.body.data.diagnosisCreate.diagnosis).toBeNull();
    expect(errorsOf(res, 'diagnosisCreate')).toEqual([
      ['input.title', 'REQUIRED'],
      ['input.periodEnd', 'OUT_OF_RANGE'],
    ]);
    expect(await countOfUnit()).toBe(before);
  });

  test('an unknown area or stage is BAD_USER_INPUT', async () => {
    const diagnosis = await createDiagnosis(app, directorA, unitA.id);
    const res = await app.gql(directorA, `mutation($input: DiagnosisNeedAddInput!) { diagnosisNeedAdd(input: $input) { diagnosisNeed { id } } }`, {
      input: { diagnosisId: diagnosis.id, area: 'ASTROLOGY', targetGroup: 'SENIORS', description: 'x', priority: 'HIGH' },
    });
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    const stage = await app.gql(
      directorA,
      `mutation { diagnosisStageSet(input: { diagnosisId: "${diagnosis.id}", stage: PARTY }) { diagnosisStage { stage } } }`,
    );
    expect(codes(stage)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect((await read(diagnosis.id)).needs).toEqual([]);
  });

  test('research activities outside the period, or with negative participants; the period cannot shrink past them', async () => {
    const diagnosis = await createDiagnosis(app, directorA, unitA.id);
    const res = await tryMutate(app, directorA, 'researchActivityAdd', 'ResearchActivityAddInput', 'researchActivity { id }', {
      diagnosisId: diagnosis.id,
      kind: 'WORKSHOP',
      title: 'Warsztat',
      startDate: '2023-12-30',
      endDate: '2025-01-02',
      participants: -1,
    });
    expect(errorsOf(res, 'researchActivityAdd')).toEqual([
      ['input.startDate', 'OUT_OF_RANGE'],
      ['input.endDate', 'OUT_OF_RANGE'],
      ['input.participants', 'OUT_OF_RANGE'],
    ]);
    expect(res.body.data.researchActivityAdd.userErrors[0].message).toBe('Must fall within the diagnosis period, 2024-01-01 to 2024-12-31');
    expect((await read(diagnosis.id)).researchActivities).toEqual([]);

    const added = await mutate(app, directorA, 'researchActivityAdd', 'ResearchActivityAddInput', 'researchActivity { id }', {
      diagnosisId: diagnosis.id,
      kind: 'DESK_RESEARCH',
      title: 'Dane GUS',
      startDate: '2024-09-01',
      endDate: '2024-09-30',
    });
    const badUpdate = await tryMutate(app, directorA, 'researchActivityUpdate', 'ResearchActivityUpdateInput', 'researchActivity { id }', {
      id: added.researchActivity.id,
      endDate: '2024-08-01',
    });
    expect(errorsOf(badUpdate, 'researchActivityUpdate')).toEqual([['input.endDate', 'OUT_OF_RANGE']]);

    const before = await read(diagnosis.id);
    const shrink = await tryMutate(app, directorA, 'diagnosisUpdate', 'DiagnosisUpdateInput', 'diagnosis { id }', {
      id: diagnosis.id,
      version: before.version,
      periodEnd: '2024-06-30',
    });
    expect(errorsOf(shrink, 'diagnosisUpdate')).toEqual([['input.periodEnd', 'OUT_OF_RANGE']]);
    const stale = await tryMutate(app, directorA, 'diagnosisUpdate', 'DiagnosisUpdateInput', 'diagnosis { id }', {
      id: diagnosis.id,
      version: before.version + 1,
      title: 'Inny',
    });
    expect(errorsOf(stale, 'diagnosisUpdate')).toEqual([['input.version', 'CONFLICT']]);
    expect(await read(diagnosis.id)).toEqual(before);

    const fine = await mutate(app, directorA, 'diagnosisUpdate', 'DiagnosisUpdateInput', 'diagnosis { title version periodEnd }', {
      id: diagnosis.id,
      version: before.version,
      title: 'Diagnoza 2024',
      periodEnd: '2024-10-31',
    });
    expect(fine.diagnosis).toEqual({ title: 'Diagnoza 2024', version: before.version + 1, periodEnd: '2024-10-31' });
  });

  test('a resource names only a partner the principal can see', async () => {
    const diagnosis = await createDiagnosis(app, directorA, unitA.id);
    const res = await tryMutate(app, directorA, 'diagnosisResourceAdd', 'DiagnosisResourceAddInput', 'diagnosisResource { id }', {
      diagnosisId: diagnosis.id,
      kind: 'NGO',
      holder: 'Obca fundacja',
      description: 'x',
      partnerId: partnerB,
    });
    expect(errorsOf(res, 'diagnosisResourceAdd')).toEqual([['input.partnerId', 'NOT_FOUND']]);
    expect((await read(diagnosis.id)).resources).toEqual([]);
  });
});

describe('roles and the tenant boundary', () => {
  let diagnosisA: any;
  let items: { activity: string; need: string; resource: string };

  beforeAll(async () => {
    diagnosisA = await createDiagnosis(app, directorA, unitA.id);
    const activity = await mutate(app, directorA, 'researchActivityAdd', 'ResearchActivityAddInput', 'researchActivity { id }', {
      diagnosisId: diagnosisA.id,
      kind: 'IDI',
      title: 'IDI',
      startDate: '2024-02-01',
      endDate: '2024-02-02',
    });
    const need = await mutate(app, directorA, 'diagnosisNeedAdd', 'DiagnosisNeedAddInput', 'diagnosisNeed { id }', {
      diagnosisId: diagnosisA.id,
      area: 'HOUSING',
      targetGroup: 'FAMILIES',
      description: 'Mieszkania',
      priority: 'MEDIUM',
    });
    const resource = await mutate(app, directorA, 'diagnosisResourceAdd', 'DiagnosisResourceAddInput', 'diagnosisResource { id }', {
      diagnosisId: diagnosisA.id,
      kind: 'RESIDENTS',
      holder: 'Sąsiedzi',
      description: 'Pomoc sąsiedzka',
    });
    await mutate(app, directorA, 'diagnosisStageSet', 'DiagnosisStageSetInput', 'diagnosisStage { stage }', { diagnosisId: diagnosisA.id, stage: 'PLAN' });
    items = { activity: activity.researchActivity.id, need: need.diagnosisNeed.id, resource: resource.diagnosisResource.id };
  });

  test("staff of gmina B read nothing of gmina A's diagnoses", async () => {
    for (const role of [...MANAGERS, ...READERS_ONLY]) {
      const res = await app.gql(
        staff(role, B),
        `query($id: ID!, $unit: ID!, $a: ID!, $n: ID!, $r: ID!) {
        diagnosis(id: $id) { id } node(id: $id) { id }
        diagnoses(first: 100) { nodes { id cusUnit { id } } }
        byUnit: diagnoses(filter: { cusUnitId: $unit }) { totalCount nodes { id } }
        nodes(ids: [$a, $n, $r]) { id } }`,
        { id: diagnosisA.id, unit: unitA.id, a: items.activity, n: items.need, r: items.resource },
      );
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.diagnosis).toBeNull();
      expect(res.body.data.node).toBeNull();
      expect(res.body.data.diagnoses.nodes.map((n: any) => n.id)).not.toContain(diagnosisA.id);
      expect(res.body.data.byUnit).toEqual({ totalCount: 0, nodes: [] });
      expect(res.body.data.nodes).toEqual([null, null, null]);
    }
  });

  test("writes by gmina B's director on gmina A's diagnosis are NOT_FOUND and change nothing", async () => {
    const before = await read(diagnosisA.id);
    const attempts: [string, string, string, Record<string, unknown>, string][] = [
      [
        'diagnosisCreate',
        'DiagnosisCreateInput',
        'diagnosis { id }',
        { cusUnitId: unitA.id, title: 'X', periodStart: '2024-01-01', periodEnd: '2024-02-01' },
        'cusUnitId',
      ],
      ['diagnosisUpdate', 'DiagnosisUpdateInput', 'diagnosis { id }', { id: diagnosisA.id, version: before.version, title: 'Przejęta' }, 'id'],
      ['diagnosisComplete', 'DiagnosisIdInput', 'diagnosis { id }', { id: diagnosisA.id }, 'id'],
      ['diagnosisArchive', 'DiagnosisIdInput', 'diagnosis { id }', { id: diagnosisA.id }, 'id'],
      [
        'diagnosisStageSet',
        'DiagnosisStageSetInput',
        'diagnosisStage { stage }',
        { diagnosisId: diagnosisA.id, stage: 'PLAN', completed: true },
        'diagnosisId',
      ],
      [
        'researchActivityAdd',
        'ResearchActivityAddInput',
        'researchActivity { id }',
        { diagnosisId: diagnosisA.id, kind: 'FGI', title: 'X', startDate: '2024-03-01', endDate: '2024-03-01' },
        'diagnosisId',
      ],
      ['researchActivityUpdate', 'ResearchActivityUpdateInput', 'researchActivity { id }', { id: items.activity, title: 'Y' }, 'id'],
      ['researchActivityRemove', 'DiagnosisItemRemoveInput', 'removedId', { id: items.activity }, 'id'],
      [
        'diagnosisNeedAdd',
        'DiagnosisNeedAddInput',
        'diagnosisNeed { id }',
        { diagnosisId: diagnosisA.id, area: 'HEALTH', targetGroup: 'SENIORS', description: 'X', priority: 'LOW' },
        'diagnosisId',
      ],
      ['diagnosisNeedUpdate', 'DiagnosisNeedUpdateInput', 'diagnosisNeed { id }', { id: items.need, priority: 'LOW' }, 'id'],
      ['diagnosisNeedRemove', 'DiagnosisItemRemoveInput', 'removedId', { id: items.need }, 'id'],
      [
        'diagnosisResourceAdd',
        'DiagnosisResourceAddInput',
        'diagnosisResource { id }',
        { diagnosisId: diagnosisA.id, kind: 'OTHER', holder: 'X', description: 'Y' },
        'diagnosisId',
      ],
      ['diagnosisResourceUpdate', 'DiagnosisResourceUpdateInput', 'diagnosisResource { id }', { id: items.resource, holder: 'Z' }, 'id'],
      ['diagnosisResourceRemove', 'DiagnosisItemRemoveInput', 'removedId', { id: items.resource }, 'id'],
    ];
    for (const [field, type, selection, input, errorField] of attempts) {
      const res = await tryMutate(app, directorB, field, type, selection, input);
      expect(res.body.errors).toBeUndefined();
      expect(errorsOf(res, field)).toEqual([[`input.${errorField}`, 'NOT_FOUND']]);
    }
    expect(await read(diagnosisA.id)).toEqual(before);
  });

  test('coordinators and gmina officials may not write; ministry, platform admin and partners are FORBIDDEN everywhere', async () => {
    const before = await read(diagnosisA.id);
    for (const who of [...READERS_ONLY.map((role) => staff(role, A)), ...OUTSIDERS]) {
      const create = await tryMutate(app, who, 'diagnosisCreate', 'DiagnosisCreateInput', 'diagnosis { id }', {
        cusUnitId: unitA.id,
        title: 'X',
        periodStart: '2024-01-01',
        periodEnd: '2024-02-01',
      });
      const need = await tryMutate(app, who, 'diagnosisNeedAdd', 'DiagnosisNeedAddInput', 'diagnosisNeed { id }', {
        diagnosisId: diagnosisA.id,
        area: 'HEALTH',
        targetGroup: 'SENIORS',
        description: 'X',
        priority: 'LOW',
      });
      const stage = await tryMutate(app, who, 'diagnosisStageSet', 'DiagnosisStageSetInput', 'diagnosisStage { stage }', {
        diagnosisId: diagnosisA.id,
        stage: 'REPORT',
      });
      const archive = await tryMutate(app, who, 'diagnosisArchive', 'DiagnosisIdInput', 'diagnosis { id }', { id: diagnosisA.id });
      for (const res of [create, need, stage, archive]) {
        expect(codes(res)).toEqual(['FORBIDDEN']);
        expect(res.body.data).toBeNull();
      }
    }
    for (const who of OUTSIDERS) {
      expect(codes(await app.gql(who, '{ diagnoses { nodes { id } } }'))).toEqual(['FORBIDDEN']);
      expect(codes(await app.gql(who, 'query($id: ID!) { diagnosis(id: $id) { id } }', { id: diagnosisA.id }))).toEqual(['FORBIDDEN']);
      expect((await app.gql(who, 'query($id: ID!) { node(id: $id) { id } }', { id: diagnosisA.id })).body.data.node).toBeNull();
    }
    expect(await read(diagnosisA.id)).toEqual(before);
  });

  test("a unit's staff acting only for another of its gminy make its diagnosis for the gminy they may see (issue 17 item 7)", async () => {
    const { unit } = await createUnit(app, '1802022', {
      servedGminy: ['1802022', '1802013'],
      creationMode: 'INTERMUNICIPAL_AGREEMENT',
      agreement: { number: 'D/1', date: '2023-12-01' },
    });
    const input = { cusUnitId: unit.id, title: 'X', periodStart: '2024-01-01', periodEnd: '2024-02-01' };
    // Staff of this unit, named by id: documents are made for one's own unit only.
    const staff = (role: Role, terc: string) => ({ ...staffIn(role, terc), unit: Buffer.from(unit.id, 'base64url').toString('utf8').split(':')[1] });
    // For the seat alone, outside their scope: they would not see it.
    const seatOnly = await tryMutate(app, staff(Role.DIRECTOR, '1802013'), 'diagnosisCreate', 'DiagnosisCreateInput', 'diagnosis { id }', {
      ...input,
      gminy: ['1802022'],
    });
    expect(errorsOf(seatOnly, 'diagnosisCreate')).toEqual([['input.gminy', 'NOT_ALLOWED']]);
    const list = async (terc: string) =>
      (await app.gql(staff(Role.DIRECTOR, terc), `query($unit: ID!) { diagnoses(filter: { cusUnitId: $unit }) { totalCount } }`, { unit: unit.id })).body.data
        .diagnoses.totalCount;
    expect(await list('1802022')).toBe(0);
    // By default the diagnosis concerns both gminy, and the seat's staff see it as well.
    const both = await tryMutate(app, staff(Role.DIRECTOR, '1802013'), 'diagnosisCreate', 'DiagnosisCreateInput', 'diagnosis { gminy { terc } }', input);
    expect(both.body.data.diagnosisCreate).toEqual({ diagnosis: { gminy: [{ terc: '1802013' }, { terc: '1802022' }] }, userErrors: [] });
    expect(await list('1802022')).toBe(1);
  });
});
