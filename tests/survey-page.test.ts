import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestApp, type TestApp } from './support/app.js';

/**
 * The page behind a survey link. No browser runs here, so the test checks what the page is made
 * of: its headers, and that the two GraphQL documents its script sends work against the public
 * endpoint for the demo survey (seeds/demo/planning.ts), exactly as the page sends them.
 */
const TOKEN = 'demo-wiazowna-ankieta-satysfakcji-2026';
let app: TestApp;
let origin: string;
beforeAll(async () => {
  app = await startTestApp();
  origin = new URL(app.url).origin;
});
afterAll(async () => {
  await app.close();
});

const documentsOf = (html: string) => [...html.matchAll(/ask\('((?:query|mutation)[^']+)'/g)].map((m) => m[1]);

describe('the public survey page', () => {
  test('is served without a token, with a strict content-security policy and no referrer', async () => {
    const res = await fetch(`${origin}/public/surveys/${TOKEN}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/script-src 'nonce-[A-Za-z0-9+/=]{20,}'/);
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await res.text();
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)![1];
    expect(html).toContain(`<script nonce="${nonce}">`);
    // The page carries no survey data of its own: it loads it from the public endpoint.
    expect(html).not.toContain(TOKEN);
  });

  test('a path that cannot be a survey link is not found', async () => {
    expect((await fetch(`${origin}/public/surveys/short`)).status).toBe(404);
    expect((await fetch(`${origin}/public/surveys/${TOKEN}`, { method: 'POST' })).status).toBe(404);
  });

  test("the page's own documents load the survey and submit an answer", async () => {
    const html = await (await fetch(`${origin}/public/surveys/${TOKEN}`)).text();
    const [load, respond] = documentsOf(html);
    expect(load).toMatch(/^query/);
    expect(respond).toMatch(/^mutation/);
    const post = (query: string, variables: Record<string, unknown>) =>
      fetch(`${origin}/public/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables }),
      }).then((r) => r.json());
    const loaded = await post(load, { token: TOKEN });
    expect(loaded.errors).toBeUndefined();
    const survey = loaded.data.survey;
    expect(survey).toMatchObject({ title: 'Ankieta satysfakcji z usług CUS w Wiązownie', acceptsResponses: true });
    const scale = survey.questions.find((q: any) => q.kind === 'SCALE');
    const sent = await post(respond, { input: { token: TOKEN, answers: [{ questionId: scale.id, scale: scale.scaleMax }] } });
    expect(sent.data.surveyRespond).toEqual({ accepted: true, userErrors: [] });
  });
});
