import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/app.js';

/**
 * The public survey endpoint needs no token, so it is the first place an attacker tries: it keeps
 * the same operation limits as /graphql. 2,000 aliased survey lookups were answered with 8,000 SQL
 * statements before (found in the review of issue 22's limits).
 */
let app: TestApp;
let publicUrl: string;

beforeAll(async () => {
  app = await startTestApp();
  publicUrl = app.url.replace('/graphql', '/public/graphql');
});
afterAll(() => app?.close());

const post = async (query: string) => {
  const response = await fetch(publicUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  return { status: response.status, body: (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] } };
};

describe('/public/graphql keeps the operation limits', () => {
  it('many aliases are refused before anything is read', async () => {
    app.statements.length = 0;
    const token = 'a'.repeat(43);
    const query = `{ ${Array.from({ length: 200 }, (_, i) => `a${i}: survey(token: "${token}") { title }`).join(' ')} }`;
    const { status, body } = await post(query);
    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions?.code).toBe('TOO_MANY_ALIASES');
    expect(body.data).toBeUndefined();
    // Not one statement reached the database.
    expect(app.statements).toEqual([]);
  });

  it('a document past the token limit is refused', async () => {
    const query = `{ __typename ${' __typename'.repeat(6000)} }`;
    const { body } = await post(query);
    expect(body.errors?.[0]?.extensions?.code).toBe('TOO_MANY_TOKENS');
  });

  it('a NUL in an answer or a token is BAD_USER_INPUT, not an internal error', async () => {
    const respond = await fetch(publicUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: 'mutation($input: SurveyRespondInput!) { surveyRespond(input: $input) { accepted } }',
        variables: { input: { token: 'a'.repeat(43), answers: [{ questionId: 'x', text: 'a\u0000' }] } },
      }),
    });
    const body = (await respond.json()) as { errors?: { extensions?: { code?: string } }[] };
    expect(body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    const lookup = await post(`{ survey(token: "a\u0000") { title } }`);
    expect(lookup.body.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  });

  it('an ordinary lookup still works', async () => {
    const { status, body } = await post('{ __typename }');
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
  });
});
