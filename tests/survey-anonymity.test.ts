import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { rawAsApp, rawAsOwner, Role, startTestApp, unique, type TestApp } from './support/app.js';
import { createUnit } from './support/fixtures.js';
import { loadConfig } from '../src/platform/config.js';
import { sessionVariables } from '../src/platform/auth/principal.js';

/**
 * Issue 17 item 6, played as the attacker would. A gmina official who can read a survey's results
 * re-reads them after each response and so rebuilds what each person answered; the owner of the
 * database groups the stored answers into responses by the transaction that wrote them (xmin) and
 * orders them in time by it and by their physical position (ctid). Gmina: Kostrzyn nad Odrą (0801011).
 */
const G = '0801011';
const director = { role: Role.DIRECTOR, gminy: [G] };
const official = { role: Role.GMINA_OFFICIAL, gminy: [G] };

let app: TestApp;
let unit: any;
beforeAll(async () => {
  app = await startTestApp();
  ({ unit } = await createUnit(app, G));
});
afterAll(async () => {
  await app.close();
});

const QUESTIONS = [
  { kind: 'SINGLE_CHOICE', text: 'Czy korzysta Pan/Pani z usług opiekuńczych?', options: ['Tak', 'Nie'] },
  { kind: 'SCALE', text: 'Jak ocenia Pan/Pani pomoc?', scaleMin: 1, scaleMax: 5 },
  { kind: 'FREE_TEXT', text: 'Co chciałby Pan/Pani dodać?', required: false },
];
const RESULTS = 'results { question { position } answered options { count } distribution { count } mean median texts }';

async function publishedSurvey() {
  const created = await app.gql(
    director,
    `mutation($input: SurveyCreateInput!) { surveyCreate(input: $input) {
    survey { id version publicToken questions { id position } } userErrors { code } } }`,
    {
      input: { cusUnitId: unit.id, title: unique('Ankieta'), opensOn: '2025-01-01', closesOn: '2099-12-31', questions: QUESTIONS },
    },
  );
  expect(created.body.data.surveyCreate.userErrors).toEqual([]);
  const survey = created.body.data.surveyCreate.survey;
  const published = await app.gql(
    director,
    `mutation($input: SurveyStatusInput!) { surveyPublish(input: $input) { survey { version } userErrors { code } } }`,
    { input: { id: survey.id, version: survey.version } },
  );
  expect(published.body.data.surveyPublish.userErrors).toEqual([]);
  return { ...survey, version: published.body.data.surveyPublish.survey.version };
}

/** One response through the public link, as a resident's browser sends it. */
async function respond(survey: any, choice: number, scale: number, text?: string) {
  const [q1, q2, q3] = survey.questions;
  const answers = [{ questionId: q1.id, choices: [choice] }, { questionId: q2.id, scale }, ...(text ? [{ questionId: q3.id, text }] : [])];
  const res = await fetch(app.url.replace(/\/graphql$/, '/public/graphql'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: 'mutation($input: SurveyRespondInput!) { surveyRespond(input: $input) { accepted } }',
      variables: { input: { token: survey.publicToken, answers } },
    }),
  });
  expect((await res.json()).data.surveyRespond.accepted).toBe(true);
}

const results = async (survey: any) => {
  const res = await app.gql(official, `query($id: ID!) { survey(id: $id) { responseCount ${RESULTS} } }`, { id: survey.id });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.survey;
};
const close = (survey: any) =>
  app.gql(director, 'mutation($input: SurveyStatusInput!) { surveyClose(input: $input) { userErrors { code } } }', {
    input: { id: survey.id, version: survey.version },
  });
const withheld = { options: null, distribution: null, mean: null, median: null, texts: null };

describe('a gmina official re-reading the results after each response', () => {
  test('at n = 1 learns nothing of what the one respondent answered, and never reads the text', async () => {
    const survey = await publishedSurvey();
    const secret = 'Nazywam się Jan Kowalski, mieszkam sam przy ul. Leśnej 3 i nie radzę sobie';
    await respond(survey, 1, 2, secret);
    const read = await results(survey);
    expect(read.responseCount).toBe(1);
    expect(JSON.stringify(read)).not.toContain('Kowalski');
    for (const result of read.results) expect(result).toMatchObject(withheld);
  });

  test('reads no figure that steps with each response, even past the threshold, until the survey is closed', async () => {
    const survey = await publishedSurvey();
    const seen: string[] = [];
    for (let i = 0; i < 7; i++) {
      await respond(survey, i % 2, 1 + (i % 5), i < 3 ? `uwaga ${i}` : undefined);
      const { results: now } = await results(survey);
      for (const result of now) expect(result).toMatchObject(withheld);
      seen.push(JSON.stringify(now));
    }
    // Every reading while the survey took responses was the same: nothing in it tells one response from another.
    expect(new Set(seen).size).toBe(1);

    expect((await close(survey)).body.data.surveyClose.userErrors).toEqual([]);
    const [choice, scale, text] = (await results(survey)).results;
    expect(choice).toMatchObject({ answered: 7, options: [{ count: 4 }, { count: 3 }] });
    expect(scale).toMatchObject({ answered: 7, mean: 2.5714, median: 2 });
    // Three texts are fewer than SURVEY_MIN_RESPONSES (5): not shown even now, nor how many there are.
    expect(text).toMatchObject({ ...withheld, answered: null });
    const reasons = await app.gql(official, 'query($id: ID!) { survey(id: $id) { results { withheld } } }', { id: survey.id });
    expect(reasons.body.data.survey.results).toEqual([{ withheld: null }, { withheld: null }, { withheld: 'TOO_FEW_ANSWERS' }]);
  });

  test('while the survey is open every question says why its figures are withheld', async () => {
    const survey = await publishedSurvey();
    for (let i = 0; i < 5; i++) await respond(survey, 0, 3, `tekst ${i}`);
    const read = await app.gql(official, 'query($id: ID!) { survey(id: $id) { responseCount results { withheld answered } } }', { id: survey.id });
    expect(read.body.data.survey).toEqual({ responseCount: 5, results: Array(3).fill({ withheld: 'SURVEY_NOT_CLOSED', answered: null }) });
  });

  test('SURVEY_MIN_RESPONSES sets the threshold: 5 by default, never lower', async () => {
    expect(loadConfig({}).surveyMinResponses).toBe(5);
    expect(loadConfig({ SURVEY_MIN_RESPONSES: '10' }).surveyMinResponses).toBe(10);
    expect(() => loadConfig({ SURVEY_MIN_RESPONSES: '1' })).toThrow(/SURVEY_MIN_RESPONSES/);

    // Seven answers: enough for a server with the default, not for one that asks for ten.
    const survey = await publishedSurvey();
    for (let i = 0; i < 7; i++) await respond(survey, 0, 4);
    await close(survey);
    const strict = await startTestApp({ SURVEY_MIN_RESPONSES: '10' });
    try {
      const read = async (server: TestApp) =>
        (await server.gql(official, 'query($id: ID!) { survey(id: $id) { results { withheld answered } } }', { id: survey.id })).body.data.survey.results[0];
      expect(await read(app)).toEqual({ withheld: null, answered: 7 });
      expect(await read(strict)).toEqual({ withheld: 'TOO_FEW_ANSWERS', answered: null });
    } finally {
      await strict.close();
    }
  });
});

const fromGlobal = (id: string) => Buffer.from(id, 'base64url').toString('utf8').split(':')[1];

/** Tables that hold what respondents sent: every table with a survey_id, but the survey's own definition. */
async function responseTables(): Promise<string[]> {
  const rows = await rawAsOwner<{ table_name: string }>(
    `select c.table_name from information_schema.columns c join information_schema.tables t using (table_schema, table_name)
     where c.table_schema = 'public' and c.column_name = 'survey_id' and t.table_type = 'BASE TABLE'
       and c.table_name not in ('survey_question') order by 1`,
  );
  return rows.map((r) => r.table_name);
}

describe('the database holds the rules, whatever the server does', () => {
  const asOfficial = sessionVariables({ subject: 't', role: Role.GMINA_OFFICIAL, gminy: [Number(G)], partnerId: null });

  test('staff read no count or text of an open survey, nor of a question fewer than 5 answered', async () => {
    const survey = await publishedSurvey();
    for (let i = 0; i < 5; i++) await respond(survey, i % 2, 2, i < 2 ? `tekst ${i}` : undefined);
    const id = fromGlobal(survey.id);
    const visible = async () => ({
      tallies: (await rawAsApp<{ answered: number }>('select answered from survey_tally where survey_id = $1 order by answered', [id], asOfficial)).map(
        (r) => r.answered,
      ),
      texts: (await rawAsApp('select text_value from survey_text where survey_id = $1', [id], asOfficial)).length,
      days: (await rawAsApp<{ responses: number }>('select responses from survey_day where survey_id = $1', [id], asOfficial)).map((r) => r.responses),
    });
    expect(await visible()).toEqual({ tallies: [], texts: 0, days: [5] });
    await close(survey);
    // The choice and the scale: 5 answers each; the two texts stay hidden, and so does their count.
    expect(await visible()).toEqual({ tallies: [5, 5], texts: 0, days: [5] });
    // The application role writes none of these tables itself.
    await expect(rawAsApp('update survey_tally set answered = 0 where survey_id = $1', [id], asOfficial)).rejects.toThrow(/permission denied/);
    await expect(rawAsApp('delete from survey_text where survey_id = $1', [id], asOfficial)).rejects.toThrow(/permission denied/);
  });

  test('a response is taken only through an open link, and adds 0 or 1 to each count of every question', async () => {
    const survey = await publishedSurvey();
    const [{ id: q1 }, { id: q2 }, { id: q3 }] = survey.questions.map((q: any) => ({ id: fromGlobal(q.id) }));
    const asLink = { 'app.role': 'PUBLIC', 'app.survey_token': survey.publicToken };
    const call = (steps: unknown[], settings: Record<string, string> = asLink) =>
      rawAsApp('select app.survey_respond($1::jsonb)', [JSON.stringify(steps)], settings);
    const good = [
      { question_id: q1, answered: 1, counts: [1, 0], text: null },
      { question_id: q2, answered: 1, counts: [0, 0, 1, 0, 0], text: null },
      { question_id: q3, answered: 0, counts: [], text: null },
    ];
    await expect(call(good)).resolves.toHaveLength(1);
    await expect(call(good, asOfficial)).rejects.toThrow(/only through the link/);
    await expect(call(good, { 'app.role': 'PUBLIC', 'app.survey_token': 'x'.repeat(43) })).rejects.toThrow(/only through the link/);
    for (const wrong of [
      [{ ...good[0], counts: [5, 0] }, good[1], good[2]],
      [{ ...good[0], answered: 1, counts: [1, 1] }, good[1], good[2]],
      [good[0], good[1]],
      [good[0], good[1], good[1]],
      [good[0], good[1], { ...good[2], answered: 1, text: '  ' }],
      [good[0], { ...good[1], counts: [1, 0, 0] }, good[2]],
    ]) {
      await expect(call(wrong)).rejects.toThrow(/every question of its survey once/);
    }
    await close(survey);
    await expect(call(good)).rejects.toThrow(/only through the link/);
  });
});

describe('the owner of the database reading what is stored', () => {
  test('cannot group the answers into responses or order them in time by the transaction or place that wrote them', async () => {
    const survey = await publishedSurvey();
    const arrival = ['zebra', 'alfa', 'mango'];
    await respond(survey, 0, 5, arrival[0]);
    await respond(survey, 1, 1, arrival[1]);
    await respond(survey, 0, 3, arrival[2]);
    const id = fromGlobal(survey.id);
    const tables = await responseTables();
    expect(tables.length).toBeGreaterThan(0);

    // The attacker's query: every stored row of the survey with the id of the transaction that wrote it.
    const writers = new Set<string>();
    const texts: string[] = [];
    for (const table of tables) {
      const rows = await rawAsOwner<{ xid: string; row: Record<string, unknown> }>(
        `select xmin::text as xid, to_jsonb(t) as row from ${table} t where survey_id = $1 order by ctid`,
        [id],
      );
      for (const { xid, row } of rows) {
        writers.add(xid);
        texts.push(...Object.values(row).filter((v): v is string => typeof v === 'string' && arrival.includes(v)));
      }
    }
    // Three responses written by three transactions would be three groups of rows, in the order they came.
    expect(writers.size).toBe(1);
    // The texts lie in sorted order, not in the order they arrived.
    expect(texts).toEqual([...arrival].sort());
  });

  test('no stored row names a response, and nothing dates an answer: responses are counted per day', async () => {
    const columns = await rawAsOwner<{ table_name: string; column_name: string; data_type: string }>(
      `select table_name, column_name, data_type from information_schema.columns
       where table_schema = 'public' and table_name = any ($1) order by 1, 2`,
      [await responseTables()],
    );
    expect(columns.filter((c) => /response_id|respondent|address|user|token/.test(c.column_name))).toEqual([]);
    // Time of day is kept only by the flood guard, for the current clock hour (checked below).
    const timed = columns.filter((c) => c.table_name !== 'survey_rate' && /time|interval/.test(c.data_type));
    expect(timed).toEqual([]);
    // Tables of answers (they name a question) carry no date at all.
    const answerTables = new Set(columns.filter((c) => c.column_name === 'question_id').map((c) => c.table_name));
    expect(columns.filter((c) => answerTables.has(c.table_name) && c.data_type === 'date')).toEqual([]);
  });

  test('the flood guard keeps one count per link for the current hour, and past hours are erased', async () => {
    const survey = await publishedSurvey();
    await respond(survey, 0, 3);
    await respond(survey, 1, 4);
    const id = fromGlobal(survey.id);
    const rate = await rawAsOwner<{ current: boolean; responses: number }>(
      `select window_start = date_trunc('hour', now()) as current, responses from survey_rate where survey_id = $1`,
      [id],
    );
    expect(rate).toEqual([{ current: true, responses: 2 }]);
    // An hour gone by: its count is erased by the sweep every server runs (when it starts, and every 5 minutes).
    await rawAsOwner(`update survey_rate set window_start = window_start - interval '1 hour' where survey_id = $1`, [id]);
    const another = await startTestApp();
    await another.close();
    expect(await rawAsOwner('select * from survey_rate where survey_id = $1', [id])).toEqual([]);
    // A new hour starts again from one.
    await respond(survey, 0, 3);
    expect(await rawAsOwner('select responses from survey_rate where survey_id = $1', [id])).toEqual([{ responses: 1 }]);
  });
});
