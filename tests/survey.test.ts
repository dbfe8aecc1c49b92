import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { codes, rawAsApp, rawAsOwner, Role, startTestApp, testConfig, unique, type GraphQLResponse, type TestApp } from './support/app.js';
import { ADMIN, createUnit } from './support/fixtures.js';
import { createLogger } from '../src/platform/logger.js';
import { createOrm } from '../src/app.js';
import { publicSurveyRoutes, type PublicSurveyLimits } from '../src/modules/survey/survey.routes.js';
import { loadConfig, type Config } from '../src/platform/config.js';
import { secondsToNextHour } from '../src/modules/survey/survey-rate-limit.js';
import type { MikroORM } from '@mikro-orm/postgresql';

/**
 * Anonymous surveys: staff prepare and publish them, residents answer through the public link
 * without an account, staff read aggregates only. Gmina A: Borzytuchom (2201012), gmina B: Chojnice (2202011).
 */
const A = '2201012';
const B = '2202011';
const director = { role: Role.DIRECTOR, gminy: [A] };
const servicesOrganiser = { role: Role.SERVICES_ORGANISER, gminy: [A] };
const communityOrganiser = { role: Role.COMMUNITY_ORGANISER, gminy: [A] };
const coordinator = { role: Role.COORDINATOR, gminy: [A] };
const official = { role: Role.GMINA_OFFICIAL, gminy: [A] };
const directorB = { role: Role.DIRECTOR, gminy: [B] };
const OUTSIDERS = [ADMIN, { role: Role.MINISTRY }, { role: Role.PARTNER, partner: '0193a000-0000-7000-8000-0000000000aa' }];

let app: TestApp;
let unitA: any;
let unitB: any;

beforeAll(async () => {
  app = await startTestApp();
  ({ unit: unitA } = await createUnit(app, A));
  ({ unit: unitB } = await createUnit(app, B));
});
afterAll(async () => {
  await app.close();
});

const SURVEY_FIELDS = `id title description opensOn closesOn status version publicToken publicUrl responseCount cusUnit { id }
  questions { id position kind text options scaleMin scaleMax required }`;
const RESULT_FIELDS = `results { question { position } answered options { index option count share } distribution { value count share } mean median texts }`;
const CREATE = `mutation($input: SurveyCreateInput!) { surveyCreate(input: $input) { survey { ${SURVEY_FIELDS} } userErrors { field message code } } }`;
const UPDATE = `mutation($input: SurveyUpdateInput!) { surveyUpdate(input: $input) { survey { ${SURVEY_FIELDS} } userErrors { field message code } } }`;
const PUBLISH = `mutation($input: SurveyStatusInput!) { surveyPublish(input: $input) { survey { status version } userErrors { field message code } } }`;
const CLOSE = `mutation($input: SurveyStatusInput!) { surveyClose(input: $input) { survey { status version } userErrors { field message code } } }`;
const READ = `query($id: ID!) { survey(id: $id) { ${SURVEY_FIELDS} ${RESULT_FIELDS} } }`;

const QUESTIONS = [
  { kind: 'SINGLE_CHOICE', text: 'Jak często korzysta Pan/Pani z usług CUS?', options: ['Co tydzień', 'Co miesiąc', 'Rzadziej'] },
  { kind: 'MULTIPLE_CHOICE', text: 'Jakich usług brakuje w gminie?', options: ['Opieka wytchnieniowa', 'Transport', 'Klub seniora'] },
  { kind: 'SCALE', text: 'Jak ocenia Pan/Pani dostęp do usług?', scaleMin: 1, scaleMax: 5 },
  { kind: 'FREE_TEXT', text: 'Co jeszcze chciałby Pan/Pani przekazać?', required: false },
];

const surveyInput = (unit: any, over: Record<string, unknown> = {}) => ({
  cusUnitId: unit.id,
  title: unique('Ankieta potrzeb'),
  description: 'Diagnoza potrzeb mieszkańców',
  opensOn: '2025-01-01',
  closesOn: '2099-12-31',
  questions: QUESTIONS,
  ...over,
});

async function createSurvey(who: any, unit: any, over: Record<string, unknown> = {}) {
  const res = await app.gql(who, CREATE, { input: surveyInput(unit, over) });
  expect(res.body.errors).toBeUndefined();
  expect(res.body.data.surveyCreate.userErrors).toEqual([]);
  return res.body.data.surveyCreate.survey;
}

async function publishedSurvey(who: any = director, unit: any = unitA, over: Record<string, unknown> = {}) {
  const survey = await createSurvey(who, unit, over);
  const res = await app.gql(who, PUBLISH, { input: { id: survey.id, version: survey.version } });
  expect(res.body.data.surveyPublish.userErrors).toEqual([]);
  return { ...survey, status: 'PUBLISHED', version: res.body.data.surveyPublish.survey.version };
}

const readAs = async (who: any, id: string) => (await app.gql(who, READ, { id })).body.data.survey;
/** Surveys of a unit, as its own director sees them. */
const surveyCount = async (unit: any) =>
  (await app.gql(unit === unitA ? director : directorB, 'query($u: ID!) { surveys(first: 100, filter: { cusUnitId: $u }) { totalCount } }', { u: unit.id }))
    .body.data.surveys.totalCount;

// --- the public link

interface PublicResponse extends GraphQLResponse {
  retryAfter: string | null;
}

const publicUrl = (base: string = app.url) => base.replace(/\/graphql$/, '/public/graphql');

/** A call to the public endpoint, as a resident's browser makes it: no Authorization header. */
async function pub(
  query: string,
  variables: Record<string, unknown> = {},
  url: string = publicUrl(),
  headers: Record<string, string> = {},
): Promise<PublicResponse> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: (await response.json()) as GraphQLResponse['body'] };
}

const PUBLIC_SURVEY = `query($token: String!) { survey(token: $token) { title description opensOn closesOn acceptsResponses
  questions { id position kind text options scaleMin scaleMax required } } }`;
const RESPOND = `mutation($input: SurveyRespondInput!) { surveyRespond(input: $input) { accepted userErrors { field message code } } }`;

/** Answers by question position: a number[] for choices, a number for a scale, a string for text. */
function answersFor(questions: any[], byPosition: Record<number, number[] | number | string>) {
  return Object.entries(byPosition).map(([position, value]) => {
    const questionId = questions.find((q) => q.position === Number(position)).id;
    if (Array.isArray(value)) return { questionId, choices: value };
    return typeof value === 'number' ? { questionId, scale: value } : { questionId, text: value };
  });
}

async function respond(
  token: string,
  questions: any[],
  byPosition: Record<number, number[] | number | string>,
  url?: string,
  headers?: Record<string, string>,
) {
  return pub(RESPOND, { input: { token, answers: answersFor(questions, byPosition) } }, url, headers);
}

describe('staff prepare, publish and close surveys', () => {
  test('each manager role creates a draft with its questions in order and an unguessable public link', async () => {
    for (const who of [director, servicesOrganiser, communityOrganiser]) {
      const survey = await createSurvey(who, unitA);
      expect(survey).toMatchObject({ status: 'DRAFT', version: 1, responseCount: 0, cusUnit: { id: unitA.id } });
      expect(survey.publicToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(survey.publicUrl).toBe(`/public/surveys/${survey.publicToken}`);
      expect(survey.questions.map((q: any) => [q.position, q.kind])).toEqual([
        [1, 'SINGLE_CHOICE'],
        [2, 'MULTIPLE_CHOICE'],
        [3, 'SCALE'],
        [4, 'FREE_TEXT'],
      ]);
      expect(survey.questions[2]).toMatchObject({ scaleMin: 1, scaleMax: 5, options: [], required: true });
      expect(survey.questions[3]).toMatchObject({ required: false, scaleMin: null });
    }
    const tokens = new Set(
      (await app.gql(director, '{ surveys(first: 100) { nodes { publicToken } } }')).body.data.surveys.nodes.map((s: any) => s.publicToken),
    );
    expect(tokens.size).toBeGreaterThanOrEqual(3);
  });

  test('publish and close are status changes with the version; a closed survey changes no more', async () => {
    const survey = await createSurvey(communityOrganiser, unitA);
    const published = await app.gql(servicesOrganiser, PUBLISH, { input: { id: survey.id, version: survey.version } });
    expect(published.body.data.surveyPublish).toEqual({ survey: { status: 'PUBLISHED', version: 2 }, userErrors: [] });
    const again = await app.gql(director, PUBLISH, { input: { id: survey.id, version: 2 } });
    expect(again.body.data.surveyPublish.userErrors).toEqual([expect.objectContaining({ code: 'NOT_ALLOWED' })]);
    const stale = await app.gql(director, CLOSE, { input: { id: survey.id, version: 1 } });
    expect(stale.body.data.surveyClose.userErrors).toEqual([expect.objectContaining({ field: ['input', 'version'], code: 'CONFLICT' })]);
    const closed = await app.gql(director, CLOSE, { input: { id: survey.id, version: 2 } });
    expect(closed.body.data.surveyClose).toEqual({ survey: { status: 'CLOSED', version: 3 }, userErrors: [] });
    const update = await app.gql(director, UPDATE, { input: { id: survey.id, version: 3, title: 'Nowy tytuł' } });
    expect(update.body.data.surveyUpdate.userErrors).toEqual([expect.objectContaining({ code: 'NOT_ALLOWED' })]);
    expect((await readAs(official, survey.id)).title).toBe(survey.title);
  });

  test('questions change only while a draft; a published survey can still move its dates', async () => {
    const survey = await createSurvey(director, unitA);
    const draft = await app.gql(director, UPDATE, {
      input: {
        id: survey.id,
        version: 1,
        questions: [{ kind: 'SCALE', text: 'Ocena od 0 do 10', scaleMin: 0, scaleMax: 10 }],
      },
    });
    expect(draft.body.data.surveyUpdate.userErrors).toEqual([]);
    expect(draft.body.data.surveyUpdate.survey.version).toBe(2);
    expect(draft.body.data.surveyUpdate.survey.questions).toEqual([expect.objectContaining({ position: 1, kind: 'SCALE', scaleMin: 0, scaleMax: 10 })]);
    await app.gql(director, PUBLISH, { input: { id: survey.id, version: 2 } });
    const locked = await app.gql(director, UPDATE, { input: { id: survey.id, version: 3, questions: QUESTIONS } });
    expect(locked.body.data.surveyUpdate.userErrors).toEqual([expect.objectContaining({ field: ['input', 'questions'], code: 'NOT_ALLOWED' })]);
    const dates = await app.gql(director, UPDATE, { input: { id: survey.id, version: 3, closesOn: '2098-06-30', description: null } });
    expect(dates.body.data.surveyUpdate.userErrors).toEqual([]);
    expect(dates.body.data.surveyUpdate.survey).toMatchObject({ closesOn: '2098-06-30', description: null, version: 4 });
    expect((await readAs(director, survey.id)).questions).toHaveLength(1);
  });

  test('coordinators and gmina officials read surveys but change nothing', async () => {
    const survey = await createSurvey(director, unitA);
    for (const who of [coordinator, official]) {
      expect((await readAs(who, survey.id)).title).toBe(survey.title);
      expect(codes(await app.gql(who, CREATE, { input: surveyInput(unitA) }))).toEqual(['FORBIDDEN']);
      expect(codes(await app.gql(who, UPDATE, { input: { id: survey.id, version: 1, title: 'X' } }))).toEqual(['FORBIDDEN']);
      expect(codes(await app.gql(who, PUBLISH, { input: { id: survey.id, version: 1 } }))).toEqual(['FORBIDDEN']);
      expect(codes(await app.gql(who, CLOSE, { input: { id: survey.id, version: 1 } }))).toEqual(['FORBIDDEN']);
    }
    expect(await readAs(director, survey.id)).toMatchObject({ status: 'DRAFT', version: 1, title: survey.title });
  });

  test('the platform administrator, the ministry and partners are refused every survey field', async () => {
    const survey = await createSurvey(director, unitA);
    for (const who of OUTSIDERS) {
      expect(codes(await app.gql(who, '{ surveys { totalCount } }'))).toEqual(['FORBIDDEN']);
      expect(codes(await app.gql(who, READ, { id: survey.id }))).toEqual(['FORBIDDEN']);
      expect(codes(await app.gql(who, CREATE, { input: surveyInput(unitA) }))).toEqual(['FORBIDDEN']);
      expect(codes(await app.gql(who, UPDATE, { input: { id: survey.id, version: 1, title: 'X' } }))).toEqual(['FORBIDDEN']);
      expect(codes(await app.gql(who, PUBLISH, { input: { id: survey.id, version: 1 } }))).toEqual(['FORBIDDEN']);
      expect(codes(await app.gql(who, CLOSE, { input: { id: survey.id, version: 1 } }))).toEqual(['FORBIDDEN']);
      const node = await app.gql(who, 'query($id: ID!) { node(id: $id) { id } }', { id: survey.id });
      expect(node.body.data.node).toBeNull();
    }
    expect(await readAs(director, survey.id)).toMatchObject({ status: 'DRAFT', version: 1 });
  });
});

describe('a survey serves a diagnosis of the same unit', () => {
  const diagnosisOf = async (unit: any, terc: string) => {
    const [row] = await rawAsOwner<{ id: string }>(
      `insert into diagnosis (gmina_id, cus_unit_id, title, period_start, period_end) values ($1, $2, $3, '2025-01-01', '2025-12-31') returning id`,
      [Number(terc), fromGlobal(unit.id), unique('Diagnoza potrzeb')],
    );
    return Buffer.from(`Diagnosis:${row.id}`, 'utf8').toString('base64url');
  };

  test("linked at create, detached by update; another gmina's diagnosis is not found", async () => {
    const diagnosis = await diagnosisOf(unitA, A);
    const survey = await createSurvey(director, unitA, { diagnosisId: diagnosis });
    const read = await app.gql(official, 'query($id: ID!) { survey(id: $id) { diagnosis { id } } }', { id: survey.id });
    expect(read.body.data.survey.diagnosis).toEqual({ id: diagnosis });
    const detached = await app.gql(director, UPDATE, { input: { id: survey.id, version: 1, diagnosisId: null } });
    expect(detached.body.data.surveyUpdate.userErrors).toEqual([]);
    expect((await app.gql(director, 'query($id: ID!) { survey(id: $id) { diagnosis { id } } }', { id: survey.id })).body.data.survey.diagnosis).toBeNull();

    const foreign = await diagnosisOf(unitB, B);
    const res = await app.gql(director, CREATE, { input: surveyInput(unitA, { diagnosisId: foreign }) });
    expect(res.body.data.surveyCreate.userErrors).toEqual([expect.objectContaining({ field: ['input', 'diagnosisId'], code: 'NOT_FOUND' })]);
  });
});

describe('invalid surveys are refused with user errors and nothing is written', () => {
  test('scale max not above min, a choice with one option, closing before opening', async () => {
    const before = await surveyCount(unitA);
    const res = await app.gql(director, CREATE, {
      input: surveyInput(unitA, {
        opensOn: '2025-06-01',
        closesOn: '2025-05-31',
        questions: [
          { kind: 'SCALE', text: 'Ocena', scaleMin: 5, scaleMax: 5 },
          { kind: 'SINGLE_CHOICE', text: 'Wybór', options: ['Tak'] },
          { kind: 'SCALE', text: 'Za długa skala', scaleMin: 0, scaleMax: 11 },
          { kind: 'MULTIPLE_CHOICE', text: 'Powtórka', options: ['Tak', 'tak '] },
          { kind: 'FREE_TEXT', text: ' ', options: ['a', 'b'] },
          { kind: 'SCALE', text: 'Bez zakresu' },
        ],
      }),
    });
    expect(res.body.data.surveyCreate.survey).toBeNull();
    expect(res.body.data.surveyCreate.userErrors.map((e: any) => [e.field.join('.'), e.code])).toEqual([
      ['input.closesOn', 'OUT_OF_RANGE'],
      ['input.questions.0.scaleMax', 'OUT_OF_RANGE'],
      ['input.questions.1.options', 'OUT_OF_RANGE'],
      ['input.questions.2.scaleMax', 'OUT_OF_RANGE'],
      ['input.questions.3.options', 'DUPLICATE'],
      ['input.questions.4.text', 'REQUIRED'],
      ['input.questions.4.options', 'INVALID'],
      ['input.questions.5.scaleMax', 'REQUIRED'],
    ]);
    const none = await app.gql(director, CREATE, { input: surveyInput(unitA, { title: ' ', questions: [] }) });
    expect(none.body.data.surveyCreate.userErrors.map((e: any) => [e.field.join('.'), e.code])).toEqual([
      ['input.title', 'REQUIRED'],
      ['input.questions', 'REQUIRED'],
    ]);
    expect(await surveyCount(unitA)).toBe(before);
  });

  test('an invalid update changes nothing', async () => {
    const survey = await createSurvey(director, unitA);
    const res = await app.gql(director, UPDATE, {
      input: {
        id: survey.id,
        version: 1,
        title: 'Zmieniony',
        closesOn: '2024-12-31',
        questions: [{ kind: 'SINGLE_CHOICE', text: 'Jedna opcja', options: ['A'] }],
      },
    });
    expect(res.body.data.surveyUpdate.userErrors.map((e: any) => e.code)).toEqual(['OUT_OF_RANGE', 'OUT_OF_RANGE']);
    const after = await readAs(director, survey.id);
    expect(after).toMatchObject({ title: survey.title, closesOn: survey.closesOn, version: 1 });
    expect(after.questions).toEqual(survey.questions);
  });
});

describe('the public link', () => {
  test('shows a published survey to anyone without a token; unknown, draft and closed links show nothing', async () => {
    const survey = await publishedSurvey();
    const res = await pub(PUBLIC_SURVEY, { token: survey.publicToken });
    expect(res.status).toBe(200);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.survey).toMatchObject({ title: survey.title, opensOn: '2025-01-01', closesOn: '2099-12-31', acceptsResponses: true });
    expect(res.body.data.survey.questions.map((q: any) => q.id)).toEqual(survey.questions.map((q: any) => q.id));

    const draft = await createSurvey(director, unitA);
    for (const token of [draft.publicToken, 'x'.repeat(43), 'not a token', survey.publicToken.slice(0, 42)]) {
      const none = await pub(PUBLIC_SURVEY, { token });
      expect(none.body).toEqual({ data: { survey: null } });
    }
    await app.gql(director, CLOSE, { input: { id: survey.id, version: survey.version } });
    expect((await pub(PUBLIC_SURVEY, { token: survey.publicToken })).body.data.survey).toBeNull();
  });

  test('the public schema holds the survey link operations and nothing of the staff API', async () => {
    const staffField = await pub('{ surveys { totalCount } }');
    expect(codes(staffField)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    const types = await pub('{ __schema { queryType { fields { name } } mutationType { fields { name } } types { name } } }');
    expect(types.body.data.__schema.queryType.fields.map((f: any) => f.name)).toEqual(['survey']);
    expect(types.body.data.__schema.mutationType.fields.map((f: any) => f.name)).toEqual(['surveyRespond']);
    const names = types.body.data.__schema.types.map((t: any) => t.name);
    for (const staffType of ['Survey', 'CusUnit', 'Node', 'QuestionResult', 'Gmina']) expect(names).not.toContain(staffType);
    // A token sent along changes nothing: the endpoint never reads it.
    const withToken = await fetch(publicUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await app.token(director)}` },
      body: JSON.stringify({ query: '{ surveys { totalCount } }' }),
    });
    expect(withToken.status).toBe(400);
  });

  test('GET serves queries (with the CSRF preflight header); a cross-site simple request is refused', async () => {
    const survey = await publishedSurvey();
    const url = `${publicUrl()}?query=${encodeURIComponent('query($t: String!) { survey(token: $t) { title } }')}&variables=${encodeURIComponent(JSON.stringify({ t: survey.publicToken }))}`;
    const get = await fetch(url, { headers: { 'apollo-require-preflight': 'true' } });
    expect(get.status).toBe(200);
    expect(await get.json()).toEqual({ data: { survey: { title: survey.title } } });
    const simple = await fetch(url);
    expect(simple.status).toBe(400);
    // A form-like POST is refused as the wrong media type (415) before Apollo's CSRF check would see it.
    const form = await fetch(publicUrl(), { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query: '{ __typename }' }) });
    expect(form.status).toBe(415);
  });
});

describe('anonymous responses and aggregate results', () => {
  test('responses are accepted and, once the survey is closed, results aggregate counts, shares, mean, median and sorted texts', async () => {
    const survey = await publishedSurvey(communityOrganiser);
    const q = survey.questions;
    const responses = [
      { 1: [0], 2: [0, 1], 3: 5, 4: 'Żłobek' },
      { 1: [1], 2: [1], 3: 2, 4: 'basen' },
      { 1: [0], 2: [2, 0], 3: 4, 4: 'Dom "Pod Lipą" i ogród O\'Briena \\ tak' },
      { 1: [0], 2: [1], 3: 4, 4: '   ' },
      { 1: [0], 2: [1], 3: 3, 4: 'aula' },
      { 1: [1], 2: [0], 3: 4, 4: 'łąka' },
    ];
    for (const answers of responses) {
      const res = await respond(survey.publicToken, q, answers);
      expect(res.status).toBe(200);
      expect(res.body.data.surveyRespond).toEqual({ accepted: true, userErrors: [] });
    }
    // While it takes responses, no figure is shown (tests/survey-anonymity.test.ts says why).
    expect((await readAs(official, survey.id)).results.map((r: any) => r.answered)).toEqual([null, null, null, null]);
    const closed = await app.gql(communityOrganiser, CLOSE, { input: { id: survey.id, version: survey.version } });
    expect(closed.body.data.surveyClose.userErrors).toEqual([]);
    const read = await readAs(official, survey.id);
    expect(read.responseCount).toBe(6);
    const [single, multiple, scale, text] = read.results;
    expect(single).toEqual({
      question: { position: 1 },
      answered: 6,
      distribution: null,
      mean: null,
      median: null,
      texts: null,
      options: [
        { index: 0, option: 'Co tydzień', count: 4, share: 0.6667 },
        { index: 1, option: 'Co miesiąc', count: 2, share: 0.3333 },
        { index: 2, option: 'Rzadziej', count: 0, share: 0 },
      ],
    });
    // Multiple choice: shares of the respondents, so they add up to more than 1.
    expect(multiple).toMatchObject({ answered: 6, distribution: null, texts: null });
    expect(multiple.options).toEqual([
      { index: 0, option: 'Opieka wytchnieniowa', count: 3, share: 0.5 },
      { index: 1, option: 'Transport', count: 4, share: 0.6667 },
      { index: 2, option: 'Klub seniora', count: 1, share: 0.1667 },
    ]);
    expect(scale).toEqual({
      question: { position: 3 },
      answered: 6,
      options: null,
      texts: null,
      mean: 3.6667,
      median: 4,
      distribution: [
        { value: 1, count: 0, share: 0 },
        { value: 2, count: 1, share: 0.1667 },
        { value: 3, count: 1, share: 0.1667 },
        { value: 4, count: 3, share: 0.5 },
        { value: 5, count: 1, share: 0.1667 },
      ],
    });
    // Free texts: sorted (Polish order), never in the order they came, and nothing else of their response.
    expect(text).toEqual({
      question: { position: 4 },
      answered: 5,
      options: null,
      distribution: null,
      mean: null,
      median: null,
      texts: ['aula', 'basen', 'Dom "Pod Lipą" i ogród O\'Briena \\ tak', 'łąka', 'Żłobek'],
    });
  });

  test('shares are rounded to 4 places; the median of an even count is the mean of the middle two', async () => {
    const survey = await publishedSurvey(director, unitA, {
      questions: [
        { kind: 'SINGLE_CHOICE', text: 'Tak czy nie?', options: ['Tak', 'Nie'] },
        { kind: 'SCALE', text: 'Ocena 0-10', scaleMin: 0, scaleMax: 10, required: false },
      ],
    });
    const responses = [{ 1: [0], 2: 1 }, { 1: [0], 2: 2 }, { 1: [1], 2: 1 }, { 1: [0], 2: 2 }, { 1: [1], 2: 1 }, { 1: [0], 2: 2 }, { 1: [1] }];
    for (const answers of responses as Record<number, number[] | number>[]) {
      expect((await respond(survey.publicToken, survey.questions, answers)).body.data.surveyRespond.accepted).toBe(true);
    }
    await app.gql(director, CLOSE, { input: { id: survey.id, version: survey.version } });
    const [choice, scale] = (await readAs(director, survey.id)).results;
    expect(choice.options.map((o: any) => o.share)).toEqual([0.5714, 0.4286]);
    expect(scale).toMatchObject({ answered: 6, mean: 1.5, median: 1.5 });
    expect(scale.distribution).toHaveLength(11);
  });

  test('answers are checked against the questions; a refused response stores nothing', async () => {
    const survey = await publishedSurvey();
    const q = survey.questions;
    const cases: [Record<string, unknown>[], [string, string][]][] = [
      [answersFor(q, { 2: [0], 3: 3 }), [['input.answers', 'REQUIRED']]],
      [answersFor(q, { 1: [3], 2: [0], 3: 3 }), [['input.answers.0.choices', 'OUT_OF_RANGE']]],
      [answersFor(q, { 1: [0, 1], 2: [0], 3: 3 }), [['input.answers.0.choices', 'INVALID']]],
      [answersFor(q, { 1: [0], 2: [], 3: 3 }), [['input.answers.1.choices', 'INVALID']]],
      [answersFor(q, { 1: [0], 2: [1, 1], 3: 3 }), [['input.answers.1.choices', 'DUPLICATE']]],
      [answersFor(q, { 1: [0], 2: [0], 3: 6 }), [['input.answers.2.scale', 'OUT_OF_RANGE']]],
      [answersFor(q, { 1: [0], 2: [0], 3: 3, 4: 'x'.repeat(2001) }), [['input.answers.3.text', 'OUT_OF_RANGE']]],
      [[...answersFor(q, { 1: [0], 2: [0] }), { questionId: q[2].id, text: 'pięć' }], [['input.answers.2', 'INVALID']]],
      [[...answersFor(q, { 1: [0], 2: [0], 3: 3 }), { questionId: q[0].id, choices: [1] }], [['input.answers.3.questionId', 'DUPLICATE']]],
      [
        [...answersFor(q, { 1: [0], 2: [0], 3: 3 }), { questionId: 'U3VydmV5UXVlc3Rpb246MDAwMDAwMDAtMDAwMC00MDAwLTgwMDAtMDAwMDAwMDAwMDAw', scale: 1 }],
        [['input.answers.3.questionId', 'INVALID']],
      ],
      [[...answersFor(q, { 1: [0], 2: [0], 3: 3 }), { questionId: 'nonsense', scale: 1 }], [['input.answers.3.questionId', 'INVALID']]],
    ];
    for (const [answers, expected] of cases) {
      const res = await pub(RESPOND, { input: { token: survey.publicToken, answers } });
      expect(res.body.data.surveyRespond.accepted).toBe(false);
      expect(res.body.data.surveyRespond.userErrors.map((e: any) => [e.field.join('.'), e.code])).toEqual(expected);
    }
    // A question of another survey is not this survey's question.
    const other = await publishedSurvey();
    const foreign = await pub(RESPOND, { input: { token: survey.publicToken, answers: answersFor(other.questions, { 1: [0], 2: [0], 3: 3 }) } });
    expect(foreign.body.data.surveyRespond.userErrors.map((e: any) => e.code)).toContain('INVALID');
    expect((await readAs(director, survey.id)).responseCount).toBe(0);
    for (const table of ['survey_tally', 'survey_text', 'survey_day']) {
      expect({ table, rows: await rawAsOwner(`select * from ${table} where survey_id = $1`, [fromGlobal(survey.id)]) }).toEqual({ table, rows: [] });
    }
  });

  test('a survey outside its dates, a closed survey and an unknown link take no response', async () => {
    const past = await publishedSurvey(director, unitA, { opensOn: '2020-01-01', closesOn: '2020-01-31' });
    expect((await pub(PUBLIC_SURVEY, { token: past.publicToken })).body.data.survey).toMatchObject({ acceptsResponses: false });
    const late = await respond(past.publicToken, past.questions, { 1: [0], 2: [0], 3: 3 });
    expect(late.body.data.surveyRespond).toEqual({
      accepted: false,
      userErrors: [expect.objectContaining({ field: ['input', 'token'], code: 'NOT_ALLOWED' })],
    });
    const future = await publishedSurvey(director, unitA, { opensOn: '2098-01-01', closesOn: '2098-01-31' });
    const early = await respond(future.publicToken, future.questions, { 1: [0], 2: [0], 3: 3 });
    expect(early.body.data.surveyRespond.userErrors).toEqual([expect.objectContaining({ code: 'NOT_ALLOWED' })]);

    const open = await publishedSurvey();
    expect((await respond(open.publicToken, open.questions, { 1: [0], 2: [0], 3: 3 })).body.data.surveyRespond.accepted).toBe(true);
    await app.gql(director, CLOSE, { input: { id: open.id, version: open.version } });
    const closed = await respond(open.publicToken, open.questions, { 1: [0], 2: [0], 3: 3 });
    expect(closed.body.data.surveyRespond).toEqual({ accepted: false, userErrors: [expect.objectContaining({ code: 'NOT_FOUND' })] });
    const draft = await createSurvey(director, unitA);
    expect((await respond(draft.publicToken, draft.questions, { 1: [0], 2: [0], 3: 3 })).body.data.surveyRespond.accepted).toBe(false);
    const unknown = await pub(RESPOND, { input: { token: 'a'.repeat(43), answers: [] } });
    expect(unknown.body.data.surveyRespond.userErrors).toEqual([expect.objectContaining({ code: 'NOT_FOUND' })]);

    for (const s of [past, future, draft]) expect((await readAs(director, s.id)).responseCount).toBe(0);
    expect((await readAs(director, open.id)).responseCount).toBe(1);
  });
});

const fromGlobal = (id: string) => Buffer.from(id, 'base64url').toString('utf8').split(':')[1];

describe('what is stored, and what the PUBLIC principal can reach', () => {
  test('what is kept of responses has no column for an address, a principal, a time or a response: counts, texts and days', async () => {
    const columns = async (table: string) =>
      (
        await rawAsOwner<{ column_name: string }>(
          'select column_name from information_schema.columns where table_schema = current_schema() and table_name = $1 order by column_name',
          [table],
        )
      ).map((c) => c.column_name);
    expect(await columns('survey_tally')).toEqual(['answered', 'counts', 'gmina_id', 'question_id', 'survey_id']);
    expect(await columns('survey_text')).toEqual(['gmina_id', 'question_id', 'survey_id', 'text_value']);
    expect(await columns('survey_day')).toEqual(['day', 'gmina_id', 'responses', 'survey_id']);
    const types = await rawAsOwner<{ data_type: string }>(
      "select data_type from information_schema.columns where table_schema = current_schema() and table_name = 'survey_day' and column_name = 'day'",
    );
    expect(types).toEqual([{ data_type: 'date' }]);
  });

  test('as PUBLIC, raw SQL reads no response or answer, and no other survey than the link names', async () => {
    const mine = await publishedSurvey();
    const other = await publishedSurvey(directorB, unitB);
    expect((await respond(mine.publicToken, mine.questions, { 1: [0], 2: [0], 3: 3, 4: 'tajne' })).body.data.surveyRespond.accepted).toBe(true);
    expect((await respond(other.publicToken, other.questions, { 1: [0], 2: [0], 3: 3 })).body.data.surveyRespond.accepted).toBe(true);
    const asPublic = { 'app.role': 'PUBLIC', 'app.survey_token': mine.publicToken };
    const id = fromGlobal(mine.id);
    expect(await rawAsOwner('select count(*)::int as n from survey_tally where survey_id = $1', [id])).toEqual([{ n: 4 }]);
    expect(await rawAsOwner("select count(*)::int as n from survey_text where survey_id = $1 and text_value = 'tajne'", [id])).toEqual([{ n: 1 }]);
    for (const table of ['survey_tally', 'survey_text', 'survey_day']) expect(await rawAsApp(`select * from ${table}`, [], asPublic)).toEqual([]);
    expect(await rawAsApp("select * from survey_text where text_value = 'tajne'", [], asPublic)).toEqual([]);
    const surveys = await rawAsApp<{ id: string }>('select id from survey', [], asPublic);
    expect(surveys).toEqual([{ id }]);
    expect(await rawAsApp('select id from survey where id = $1', [fromGlobal(other.id)], asPublic)).toEqual([]);
    expect(await rawAsApp('select id from survey_question where survey_id = $1', [fromGlobal(other.id)], asPublic)).toEqual([]);
    expect(await rawAsApp('select * from survey_rate where survey_id = $1', [fromGlobal(other.id)], asPublic)).toEqual([]);
    // PUBLIC cannot change a survey or slip a response into another survey.
    expect(await rawAsApp("update survey set title = 'x' returning id", [], asPublic)).toEqual([]);
    const other_ = await rawAsOwner<{ id: string; gmina_id: number }>('select id, gmina_id from survey where id = $1', [fromGlobal(other.id)]);
    await expect(
      rawAsApp(`insert into survey_day (survey_id, gmina_id, day, responses) values ($1, $2, current_date, 1)`, [other_[0].id, other_[0].gmina_id], asPublic),
    ).rejects.toThrow(/permission denied/);
    // Its one way in, app.survey_respond, takes the survey from the link's token: the other survey cannot be named.
    await expect(
      rawAsApp('select app.survey_respond($1::jsonb)', [JSON.stringify([])], { ...asPublic, 'app.survey_token': other.publicToken.slice(1) }),
    ).rejects.toThrow(/only through the link/);
    // Without the PUBLIC role (no principal at all), nothing is visible.
    expect(await rawAsApp('select id from survey', [], { 'app.survey_token': mine.publicToken })).toEqual([]);
  });
});

/**
 * Serves the public survey route alone, on a server of its own (same database, as a second instance
 * would), with the limits set low through the configuration or the factory's options.
 */
async function startLimitedServer(config: Partial<Config>, limits: PublicSurveyLimits = {}) {
  const log = createLogger(testConfig.logLevel);
  const orm: MikroORM = await createOrm(inject('appUrl'), { poolSize: 2 });
  const { routes, close } = await publicSurveyRoutes(limits)({ config: { ...testConfig, ...config }, orm, log });
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const params = routes[0].match(req.method ?? 'GET', url.pathname);
    if (!params) return void res.writeHead(404).end();
    void routes[0].handle({ req, res, url, params });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/public/graphql`,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await close?.();
      await orm.close();
    },
  };
}

/** The per-hour counters restart on the hour: a test near the boundary waits for the next hour first. */
async function awayFromTheHour() {
  const left = secondsToNextHour();
  if (left < 15) await new Promise((resolve) => setTimeout(resolve, (left + 1) * 1000));
}

describe('one link cannot be used to flood', () => {
  test('SURVEY_RESPONSES_PER_HOUR sets the per-link limit (default 300)', () => {
    expect(loadConfig({}).surveyResponsesPerHour).toBe(300);
    expect(loadConfig({ SURVEY_RESPONSES_PER_HOUR: '3' }).surveyResponsesPerHour).toBe(3);
    expect(() => loadConfig({ SURVEY_RESPONSES_PER_HOUR: 'many' })).toThrow(/SURVEY_RESPONSES_PER_HOUR/);
  });

  test('per link: after SURVEY_RESPONSES_PER_HOUR responses in the hour, 429 with Retry-After, and nothing more is stored', async () => {
    await awayFromTheHour();
    const limited = await startLimitedServer({ surveyResponsesPerHour: 3 });
    try {
      const survey = await publishedSurvey();
      for (let i = 0; i < 3; i++) {
        const ok = await respond(survey.publicToken, survey.questions, { 1: [0], 2: [0], 3: 3 }, limited.url);
        expect(ok.body.data.surveyRespond.accepted).toBe(true);
      }
      for (let i = 0; i < 2; i++) {
        const refused = await respond(survey.publicToken, survey.questions, { 1: [1], 2: [1], 3: 4 }, limited.url);
        expect(refused.status).toBe(429);
        expect(codes(refused)).toEqual(['TOO_MANY_REQUESTS']);
        const retryAfter = Number(refused.retryAfter);
        expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 3600).toBe(true);
      }
      // Another instance with a higher limit (the main test server, 300) counts in the same database row ...
      const elsewhere = await respond(survey.publicToken, survey.questions, { 1: [1], 2: [1], 3: 4 });
      expect(elsewhere.body.data.surveyRespond.accepted).toBe(true);
      const id = fromGlobal(survey.id);
      expect(await rawAsOwner('select responses from survey_rate where survey_id = $1', [id])).toEqual([{ responses: 4 }]);
      // ... so this instance, whose limit is spent, still refuses.
      const after = await respond(survey.publicToken, survey.questions, { 1: [1], 2: [1], 3: 4 }, limited.url);
      expect(after.status).toBe(429);
      expect(await rawAsOwner('select responses from survey_rate where survey_id = $1', [id])).toEqual([{ responses: 4 }]);
      expect(await rawAsOwner('select sum(responses)::int as n from survey_day where survey_id = $1', [id])).toEqual([{ n: 4 }]);
      expect(await rawAsOwner('select sum(answered)::int as n from survey_tally where survey_id = $1', [id])).toEqual([{ n: 12 }]);
      // Another link has its own budget.
      const another = await publishedSurvey();
      expect((await respond(another.publicToken, another.questions, { 1: [0], 2: [0], 3: 3 }, limited.url)).body.data.surveyRespond.accepted).toBe(true);
    } finally {
      await limited.close();
    }
  });

  test('per address: at most the limit per client and link in an hour, kept in memory only', async () => {
    const limited = await startLimitedServer({}, { responsesPerAddressPerHour: 2 });
    try {
      const survey = await publishedSurvey();
      const invalid = await respond(survey.publicToken, survey.questions, { 1: [9], 2: [0], 3: 3 }, limited.url);
      expect(invalid.body.data.surveyRespond.accepted).toBe(false);
      for (let i = 0; i < 2; i++) {
        expect((await respond(survey.publicToken, survey.questions, { 1: [0], 2: [0], 3: 3 }, limited.url)).body.data.surveyRespond.accepted).toBe(true);
      }
      const refused = await respond(survey.publicToken, survey.questions, { 1: [0], 2: [0], 3: 3 }, limited.url);
      expect(refused.status).toBe(429);
      expect(codes(refused)).toEqual(['TOO_MANY_REQUESTS']);
      expect(Number(refused.retryAfter)).toBeGreaterThan(3500);
      expect((await readAs(director, survey.id)).responseCount).toBe(2);
      // The same client on another link is not affected.
      const another = await publishedSurvey();
      expect((await respond(another.publicToken, another.questions, { 1: [0], 2: [0], 3: 3 }, limited.url)).body.data.surveyRespond.accepted).toBe(true);
    } finally {
      await limited.close();
    }
  });
});

describe('the client address behind a reverse proxy', () => {
  const forwardedFor = (address: string) => ({ 'x-forwarded-for': `${address}, 10.0.0.1` });
  const accepted = async (survey: any, url: string, headers: Record<string, string>) =>
    (await respond(survey.publicToken, survey.questions, { 1: [0], 2: [0], 3: 3 }, url, headers)).status === 200;

  test('TRUST_PROXY is off by default and takes true or false only', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(() => loadConfig({ TRUST_PROXY: 'yes' })).toThrow(/TRUST_PROXY/);
  });

  test('with TRUST_PROXY the first X-Forwarded-For entry is the client; without it the header is ignored', async () => {
    const trusting = await startLimitedServer({ trustProxy: true }, { responsesPerAddressPerHour: 1 });
    const ignoring = await startLimitedServer({ trustProxy: false }, { responsesPerAddressPerHour: 1 });
    try {
      const survey = await publishedSurvey();
      expect(await accepted(survey, trusting.url, forwardedFor('203.0.113.7'))).toBe(true);
      expect(await accepted(survey, trusting.url, forwardedFor('203.0.113.8'))).toBe(true);
      expect(await accepted(survey, trusting.url, forwardedFor('203.0.113.7'))).toBe(false);

      // Without the setting every request of this socket address is one client, whatever the header claims.
      expect(await accepted(survey, ignoring.url, forwardedFor('198.51.100.1'))).toBe(true);
      expect(await accepted(survey, ignoring.url, forwardedFor('198.51.100.2'))).toBe(false);
      expect((await readAs(director, survey.id)).responseCount).toBe(3);
    } finally {
      await trusting.close();
      await ignoring.close();
    }
  });
});

describe('across the tenant boundary', () => {
  test("staff of gmina A read nothing of gmina B's surveys", async () => {
    const survey = await publishedSurvey(directorB, unitB);
    expect((await respond(survey.publicToken, survey.questions, { 1: [0], 2: [0], 3: 3, 4: 'B' })).body.data.surveyRespond.accepted).toBe(true);
    for (const who of [director, servicesOrganiser, coordinator, communityOrganiser, official]) {
      const res = await app.gql(
        who,
        `query($id: ID!, $u: ID!) {
        survey(id: $id) { id ${RESULT_FIELDS} } node(id: $id) { id }
        surveys(first: 100, filter: { cusUnitId: $u }) { totalCount nodes { id } }
        all: surveys(first: 100) { nodes { id } } }`,
        { id: survey.id, u: unitB.id },
      );
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data).toMatchObject({ survey: null, node: null, surveys: { totalCount: 0, nodes: [] } });
      expect(res.body.data.all.nodes.map((s: any) => s.id)).not.toContain(survey.id);
    }
  });

  test("staff of gmina A cannot create in B's unit, nor update, publish or close B's survey", async () => {
    const before = await surveyCount(unitB);
    const create = await app.gql(director, CREATE, { input: surveyInput(unitB) });
    expect(create.body.data.surveyCreate.userErrors).toEqual([expect.objectContaining({ field: ['input', 'cusUnitId'], code: 'NOT_FOUND' })]);
    expect(await surveyCount(unitB)).toBe(before);

    const draft = await createSurvey(directorB, unitB);
    const published = await publishedSurvey(directorB, unitB);
    for (const [mutation, input] of [
      [UPDATE, { id: draft.id, version: 1, title: 'Przejęta' }],
      [PUBLISH, { id: draft.id, version: 1 }],
      [CLOSE, { id: published.id, version: published.version }],
    ] as const) {
      const res = await app.gql(director, mutation, { input });
      const payload = Object.values(res.body.data)[0] as any;
      expect(payload).toEqual({ survey: null, userErrors: [expect.objectContaining({ field: ['input', 'id'], code: 'NOT_FOUND' })] });
    }
    expect(await readAs(directorB, draft.id)).toMatchObject({ title: draft.title, status: 'DRAFT', version: 1 });
    expect(await readAs(directorB, published.id)).toMatchObject({ status: 'PUBLISHED', version: published.version });
  });
});

describe('no N+1', () => {
  test('surveys with questions, response counts, results and unit: the same statements for 1 survey and many', async () => {
    for (let i = 0; i < 3; i++) {
      const s = await publishedSurvey(directorB, unitB);
      await respond(s.publicToken, s.questions, { 1: [i % 3], 2: [0, 2], 3: 2 + i, 4: `tekst ${i}` });
    }
    const QUERY = `query($first: Int!, $u: ID!) { surveys(first: $first, filter: { cusUnitId: $u }) { nodes {
      title cusUnit { name } questions { text } responseCount ${RESULT_FIELDS} } } }`;
    const count = async (first: number) => {
      app.statements.length = 0;
      const res = await app.gql(directorB, QUERY, { first, u: unitB.id });
      expect(res.body.errors).toBeUndefined();
      const statements = [...app.statements];
      expect(statements.some((s) => /survey_tally/.test(s))).toBe(true);
      return { nodes: res.body.data.surveys.nodes, statements };
    };
    const one = await count(1);
    const many = await count(100);
    expect(one.nodes).toHaveLength(1);
    expect(many.nodes.length).toBeGreaterThanOrEqual(4);
    expect(many.nodes.filter((n: any) => n.responseCount > 0).length).toBeGreaterThanOrEqual(3);
    expect(many.statements.length).toBe(one.statements.length);
  });
});
