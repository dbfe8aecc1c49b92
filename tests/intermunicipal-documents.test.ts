import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { rawAsApp, Role, startTestApp, unique, type TestApp } from './support/app.js';
import { createDiagnosis, createProgramme, openConsultation } from './support/programme-fixtures.js';
import { toGlobalId } from '../src/platform/graphql/node.js';
import { sessionVariables } from '../src/platform/auth/principal.js';
import { DEMO_UNITS } from '../seeds/demo-units.js';
import { DEMO_PARTNERS } from '../seeds/demo/catalogue.js';
import { ADMIN, createUnit, addDays, errorsOf, mutate, staff, today, tryMutate } from './support/fixtures.js';

/**
 * Issue 17 item 7: the demo's inter-municipal CUS serves Kołbiel (its seat, 1417052) and Celestynów
 * (1417032). A diagnosis, a consultation or a survey it makes concerns the gminy it names, by default
 * both, and the staff and officials of each of them see it, with everything under it. Wiązowna
 * (1417082) is a third gmina, served by another centre.
 */
const KOLBIEL = '1417052';
const CELESTYNOW = '1417032';
const WIAZOWNA = '1417082';
const unitId = toGlobalId('CusUnit', DEMO_UNITS.kolbielCelestynow);
const director = staff(Role.DIRECTOR, KOLBIEL, CELESTYNOW);
/** Staff and officials who work for Celestynów alone. */
const CELESTYNOW_READERS = [Role.COORDINATOR, Role.SERVICES_ORGANISER, Role.COMMUNITY_ORGANISER, Role.GMINA_OFFICIAL].map((role) => staff(role, CELESTYNOW));
const KOLBIEL_READERS = [Role.COORDINATOR, Role.GMINA_OFFICIAL].map((role) => staff(role, KOLBIEL));
const OUTSIDERS = [Role.DIRECTOR, Role.COORDINATOR, Role.GMINA_OFFICIAL].map((role) => staff(role, WIAZOWNA));

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app.close();
});

const SURVEY_QUESTIONS = [{ kind: 'SCALE', text: 'Jak ocenia Pan/Pani usługi CUS?', scaleMin: 1, scaleMax: 5 }];

async function createSurvey(who: any, extra: Record<string, unknown> = {}) {
  const payload = await mutate(app, who, 'surveyCreate', 'SurveyCreateInput', 'survey { id version }', {
    cusUnitId: unitId,
    title: unique('Ankieta'),
    opensOn: today(),
    closesOn: addDays(today(), 30),
    questions: SURVEY_QUESTIONS,
    ...extra,
  });
  return payload.survey;
}

/** What a principal sees of one diagnosis, consultation and survey, and whether the lists hold them. */
async function sightOf(who: any, ids: { diagnosis: string; consultation: string; survey: string }, gmina: string) {
  const res = await app.gql(
    who,
    `query($d: ID!, $c: ID!, $s: ID!) {
    diagnosis(id: $d) { id needs { description } consultations { id } }
    consultation(id: $c) { id diagnosis { id } submissions(first: 10) { nodes { text } } }
    survey(id: $s) { id questions { text } diagnosis { id } }
    diagnoses(first: 100) { nodes { id } }
    consultations(first: 100, filter: { gmina: "${gmina}" }) { nodes { id } }
    surveys(first: 100) { nodes { id } } }`,
    { d: ids.diagnosis, c: ids.consultation, s: ids.survey },
  );
  expect(res.body.errors).toBeUndefined();
  const data = res.body.data;
  return {
    diagnosis: data.diagnosis,
    consultation: data.consultation,
    survey: data.survey,
    listed: [
      data.diagnoses.nodes.some((n: any) => n.id === ids.diagnosis),
      data.consultations.nodes.some((n: any) => n.id === ids.consultation),
      data.surveys.nodes.some((n: any) => n.id === ids.survey),
    ],
  };
}

describe('documents of the unit serving Kołbiel and Celestynów', () => {
  test("made for the unit, they are seen by Celestynów's staff and officials, with what is under them", async () => {
    const diagnosis = await createDiagnosis(app, director, unitId, { periodStart: '2024-01-01', periodEnd: '2030-12-31' });
    await mutate(app, director, 'diagnosisNeedAdd', 'DiagnosisNeedAddInput', 'diagnosisNeed { id }', {
      diagnosisId: diagnosis.id,
      area: 'SOCIAL_ASSISTANCE',
      targetGroup: 'SENIORS',
      description: 'Dowozy z Celestynowa do Kołbieli',
      priority: 'HIGH',
    });
    const consultation = await openConsultation(app, director, { diagnosisId: diagnosis.id }, today(), addDays(today(), 14));
    await mutate(app, staff(Role.GMINA_OFFICIAL, KOLBIEL), 'consultationSubmit', 'ConsultationSubmitInput', 'consultationSubmission { id }', {
      consultationId: consultation.id,
      text: 'Uwaga z Kołbieli',
      channel: 'ONLINE',
    });
    const survey = await createSurvey(director, { diagnosisId: diagnosis.id });
    const ids = { diagnosis: diagnosis.id, consultation: consultation.id, survey: survey.id };

    for (const who of [...CELESTYNOW_READERS, ...KOLBIEL_READERS]) {
      const seen = await sightOf(who, ids, who.gminy![0]);
      expect({ who, seen }).toEqual({
        who,
        seen: {
          diagnosis: { id: diagnosis.id, needs: [{ description: 'Dowozy z Celestynowa do Kołbieli' }], consultations: [{ id: consultation.id }] },
          consultation: { id: consultation.id, diagnosis: { id: diagnosis.id }, submissions: { nodes: [{ text: 'Uwaga z Kołbieli' }] } },
          survey: { id: survey.id, questions: [{ text: SURVEY_QUESTIONS[0].text }], diagnosis: { id: diagnosis.id } },
          listed: [true, true, true],
        },
      });
    }
    // Celestynów's official takes part in the consultation of a diagnosis that concerns Celestynów.
    await mutate(app, staff(Role.GMINA_OFFICIAL, CELESTYNOW), 'consultationSubmit', 'ConsultationSubmitInput', 'consultationSubmission { id }', {
      consultationId: consultation.id,
      text: 'Uwaga z Celestynowa',
      channel: 'ONLINE',
    });
    const submissions = await app.gql(director, 'query($c: ID!) { consultation(id: $c) { submissionCount } }', { c: consultation.id });
    expect(submissions.body.data.consultation.submissionCount).toBe(2);

    for (const who of OUTSIDERS) {
      expect(await sightOf(who, ids, WIAZOWNA)).toEqual({ diagnosis: null, consultation: null, survey: null, listed: [false, false, false] });
    }
  });

  test('the database shows them, and their child rows, to raw SQL under the settings of a Celestynów official', async () => {
    const diagnosis = await createDiagnosis(app, director, unitId);
    await mutate(app, director, 'diagnosisNeedAdd', 'DiagnosisNeedAddInput', 'diagnosisNeed { id }', {
      diagnosisId: diagnosis.id,
      area: 'HEALTH',
      targetGroup: 'SENIORS',
      description: 'Rehabilitacja',
      priority: 'LOW',
    });
    const survey = await createSurvey(director);
    const uuid = (id: string) => Buffer.from(id, 'base64url').toString('utf8').split(':')[1];
    const settings = (terc: string) => sessionVariables({ subject: 't', role: Role.GMINA_OFFICIAL, gminy: [Number(terc)], partnerId: null });
    for (const [terc, n] of [
      [CELESTYNOW, 1],
      [KOLBIEL, 1],
      [WIAZOWNA, 0],
    ] as const) {
      const seen = async (sql: string, id: string) => (await rawAsApp(sql, [uuid(id)], settings(terc))).length;
      expect({ terc, n: await seen('select id from diagnosis where id = $1', diagnosis.id) }).toEqual({ terc, n });
      expect({ terc, n: await seen('select id from diagnosis_need where diagnosis_id = $1', diagnosis.id) }).toEqual({ terc, n });
      expect({ terc, n: await seen('select id from survey where id = $1', survey.id) }).toEqual({ terc, n });
      expect({ terc, n: await seen('select id from survey_question where survey_id = $1', survey.id) }).toEqual({ terc, n });
    }
  });
});

const GMINY = 'gminy { terc }';

describe('a document concerns the gminy it names', () => {
  test('by default all the unit serves; named, only those, and only their staff see it', async () => {
    const both = await mutate(app, director, 'diagnosisCreate', 'DiagnosisCreateInput', `diagnosis { id ${GMINY} }`, {
      cusUnitId: unitId,
      title: unique('Diagnoza'),
      periodStart: '2025-01-01',
      periodEnd: '2025-12-31',
    });
    expect(both.diagnosis.gminy).toEqual([{ terc: CELESTYNOW }, { terc: KOLBIEL }]);
    const kolbielOnly = await mutate(app, director, 'diagnosisCreate', 'DiagnosisCreateInput', `diagnosis { id ${GMINY} }`, {
      cusUnitId: unitId,
      title: unique('Diagnoza'),
      periodStart: '2025-01-01',
      periodEnd: '2025-12-31',
      gminy: [KOLBIEL],
    });
    expect(kolbielOnly.diagnosis.gminy).toEqual([{ terc: KOLBIEL }]);
    const survey = await mutate(app, director, 'surveyCreate', 'SurveyCreateInput', `survey { id ${GMINY} }`, {
      cusUnitId: unitId,
      title: unique('Ankieta'),
      opensOn: today(),
      closesOn: today(),
      questions: SURVEY_QUESTIONS,
      gminy: [KOLBIEL],
    });
    const consultation = await mutate(app, director, 'consultationOpen', 'ConsultationOpenInput', `consultation { id ${GMINY} }`, {
      diagnosisId: both.diagnosis.id,
      title: unique('Konsultacje'),
      startsOn: today(),
      endsOn: today(),
      channels: ['EMAIL'],
      gminy: [KOLBIEL],
    });
    expect(consultation.consultation.gminy).toEqual([{ terc: KOLBIEL }]);

    const read = async (who: any) =>
      (
        await app.gql(
          who,
          `query($a: ID!, $b: ID!, $s: ID!, $c: ID!) {
      a: diagnosis(id: $a) { id } b: diagnosis(id: $b) { id } s: survey(id: $s) { id } c: consultation(id: $c) { id } }`,
          { a: both.diagnosis.id, b: kolbielOnly.diagnosis.id, s: survey.survey.id, c: consultation.consultation.id },
        )
      ).body.data;
    const celestynow = await read(staff(Role.COORDINATOR, CELESTYNOW));
    expect(celestynow).toEqual({ a: { id: both.diagnosis.id }, b: null, s: null, c: null });
    const kolbiel = await read(staff(Role.GMINA_OFFICIAL, KOLBIEL));
    expect(Object.values(kolbiel).every((v) => v !== null)).toBe(true);

    // Changing the gminy moves who sees it.
    const moved = await mutate(app, director, 'diagnosisUpdate', 'DiagnosisUpdateInput', `diagnosis { ${GMINY} }`, {
      id: kolbielOnly.diagnosis.id,
      version: 1,
      gminy: [CELESTYNOW, KOLBIEL],
    });
    expect(moved.diagnosis.gminy).toEqual([{ terc: CELESTYNOW }, { terc: KOLBIEL }]);
    expect((await read(staff(Role.COORDINATOR, CELESTYNOW))).b).toEqual({ id: kolbielOnly.diagnosis.id });
  });

  test('a gmina the unit does not serve, an empty or repeated list, or none of your own, is refused and nothing is written', async () => {
    const count = async () =>
      (await app.gql(director, `query($u: ID!) { diagnoses(first: 100, filter: { cusUnitId: $u }) { totalCount } }`, { u: unitId })).body.data.diagnoses
        .totalCount;
    const before = await count();
    const attempt = (who: any, gminy: string[]) =>
      tryMutate(app, who, 'diagnosisCreate', 'DiagnosisCreateInput', 'diagnosis { id }', {
        cusUnitId: unitId,
        title: unique('Diagnoza'),
        periodStart: '2025-01-01',
        periodEnd: '2025-12-31',
        gminy,
      });
    expect(errorsOf(await attempt(director, [KOLBIEL, WIAZOWNA]), 'diagnosisCreate')).toEqual([['input.gminy.1', 'INVALID']]);
    expect(errorsOf(await attempt(director, []), 'diagnosisCreate')).toEqual([['input.gminy', 'REQUIRED']]);
    expect(errorsOf(await attempt(director, [KOLBIEL, KOLBIEL]), 'diagnosisCreate')).toEqual([['input.gminy', 'DUPLICATE']]);
    // Staff working for Celestynów alone would not see a document made for Kołbiel alone.
    expect(errorsOf(await attempt(staff(Role.DIRECTOR, CELESTYNOW), [KOLBIEL]), 'diagnosisCreate')).toEqual([['input.gminy', 'NOT_ALLOWED']]);
    expect(await count()).toBe(before);

    const survey = await tryMutate(app, director, 'surveyCreate', 'SurveyCreateInput', 'survey { id }', {
      cusUnitId: unitId,
      title: unique('Ankieta'),
      opensOn: today(),
      closesOn: today(),
      questions: SURVEY_QUESTIONS,
      gminy: [WIAZOWNA],
    });
    expect(errorsOf(survey, 'surveyCreate')).toEqual([['input.gminy.0', 'INVALID']]);
    // A consultation concerns the gminy of the draft it consults, or some of them.
    const diagnosis = await createDiagnosis(app, director, unitId, { gminy: [KOLBIEL], periodStart: '2025-01-01', periodEnd: '2030-12-31' });
    const consultation = await tryMutate(app, director, 'consultationOpen', 'ConsultationOpenInput', 'consultation { id }', {
      diagnosisId: diagnosis.id,
      title: unique('Konsultacje'),
      startsOn: today(),
      endsOn: today(),
      channels: ['EMAIL'],
      gminy: [CELESTYNOW],
    });
    expect(errorsOf(consultation, 'consultationOpen')).toEqual([['input.gminy.0', 'INVALID']]);
  });

  test("a consultation of Celestynów's programme concerns Celestynów, and partners working there see it", async () => {
    const programme = await createProgramme(app, director, unitId, CELESTYNOW);
    const consultation = await mutate(app, director, 'consultationOpen', 'ConsultationOpenInput', `consultation { id ${GMINY} }`, {
      programmeId: programme.id,
      title: unique('Konsultacje'),
      startsOn: today(),
      endsOn: addDays(today(), 7),
      channels: ['ONLINE'],
    });
    expect(consultation.consultation.gminy).toEqual([{ terc: CELESTYNOW }]);
    const read = async (who: any) =>
      (await app.gql(who, 'query($id: ID!) { consultation(id: $id) { id } }', { id: consultation.consultation.id })).body.data.consultation;
    expect(await read(staff(Role.GMINA_OFFICIAL, CELESTYNOW))).toEqual({ id: consultation.consultation.id });
    expect(await read(staff(Role.GMINA_OFFICIAL, KOLBIEL))).toBeNull();
    // Fundacja „Pomocna Dłoń” works in Wiązowna, Kołbiel and Celestynów.
    expect(await read({ role: Role.PARTNER, partner: DEMO_PARTNERS.pomocnaDlon })).toEqual({ id: consultation.consultation.id });
    const named = await tryMutate(app, director, 'consultationOpen', 'ConsultationOpenInput', 'consultation { id }', {
      programmeId: programme.id,
      title: unique('Konsultacje'),
      startsOn: today(),
      endsOn: today(),
      channels: ['ONLINE'],
      gminy: [KOLBIEL],
    });
    expect(errorsOf(named, 'consultationOpen')).toEqual([['input.gminy.0', 'INVALID']]);
  });

  test('a unit that stops serving a gmina can still change the documents it made for it', async () => {
    // Deszczno (0801032), Bogdaniec (0801022) and Kłodawa (0801042): a unit of this test's own, which gives up Kłodawa.
    const { unit } = await createUnit(app, '0801032', {
      servedGminy: ['0801032', '0801022', '0801042'],
      creationMode: 'INTERMUNICIPAL_AGREEMENT',
      agreement: { number: 'P/2', date: '2023-12-01' },
    });
    const all = staff(Role.DIRECTOR, '0801032', '0801022', '0801042');
    const diagnosis = await createDiagnosis(app, all, unit.id);
    const survey = await mutate(app, all, 'surveyCreate', 'SurveyCreateInput', 'survey { id version }', {
      cusUnitId: unit.id,
      title: unique('Ankieta'),
      opensOn: today(),
      closesOn: today(),
      questions: SURVEY_QUESTIONS,
    });
    await mutate(app, ADMIN, 'cusUnitUpdate', 'CusUnitUpdateInput', 'cusUnit { id }', {
      id: unit.id,
      version: unit.version,
      servedGminy: ['0801032', '0801022'],
    });
    const seat = staff(Role.DIRECTOR, '0801032');
    const renamed = await mutate(app, seat, 'diagnosisUpdate', 'DiagnosisUpdateInput', `diagnosis { title ${GMINY} }`, {
      id: diagnosis.id,
      version: diagnosis.version,
      title: 'Nowy tytuł',
    });
    expect(renamed.diagnosis).toEqual({ title: 'Nowy tytuł', gminy: [{ terc: '0801022' }, { terc: '0801032' }, { terc: '0801042' }] });
    await mutate(app, seat, 'surveyClose', 'SurveyStatusInput', 'survey { status }', { id: survey.survey.id, version: survey.survey.version });
    // Naming the gmina again is what the unit no longer may.
    const again = await tryMutate(app, seat, 'diagnosisUpdate', 'DiagnosisUpdateInput', 'diagnosis { id }', {
      id: diagnosis.id,
      version: diagnosis.version + 1,
      gminy: ['0801032', '0801042'],
    });
    expect(errorsOf(again, 'diagnosisUpdate')).toEqual([['input.gminy.1', 'INVALID']]);
    const served = await mutate(app, seat, 'diagnosisUpdate', 'DiagnosisUpdateInput', `diagnosis { ${GMINY} }`, {
      id: diagnosis.id,
      version: diagnosis.version + 1,
      gminy: ['0801032'],
    });
    expect(served.diagnosis.gminy).toEqual([{ terc: '0801032' }]);
  });

  test("staff working for Celestynów alone create the unit's documents, for both gminy by default", async () => {
    const mine = await mutate(app, staff(Role.SERVICES_ORGANISER, CELESTYNOW), 'diagnosisCreate', 'DiagnosisCreateInput', `diagnosis { id ${GMINY} }`, {
      cusUnitId: unitId,
      title: unique('Diagnoza'),
      periodStart: '2025-01-01',
      periodEnd: '2025-12-31',
    });
    expect(mine.diagnosis.gminy).toEqual([{ terc: CELESTYNOW }, { terc: KOLBIEL }]);
    const seenInKolbiel = await app.gql(staff(Role.GMINA_OFFICIAL, KOLBIEL), 'query($id: ID!) { diagnosis(id: $id) { id } }', { id: mine.diagnosis.id });
    expect(seenInKolbiel.body.data.diagnosis).toEqual({ id: mine.diagnosis.id });
  });
});
