import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import puppeteer, { type Browser, type HTTPResponse, type Page } from 'puppeteer-core';
import { Role, startTestApp, type TestApp } from './support/app.js';
import { mutate } from './support/fixtures.js';
import { ownDemoDatabase } from './support/own-database.js';

/**
 * The IDE at GET /graphql (issue 22 item 2): served whole from this server, and used in a real
 * browser (Debian's chromium, headless) with no internet: everything but this machine goes to a
 * proxy that is not there, and every request the page makes is recorded; one to any other host
 * fails the test. The user's path: the token into the Headers tab, a query and its result, a
 * subscription and the event a change of a plan sends it.
 */
const chromium = findChromium();
const inCi = !!process.env.CI && !['false', '0'].includes(process.env.CI);
if (!chromium && !inCi) {
  console.warn('tests/ide-browser.test.ts skipped: no chromium on PATH (apt-get install chromium, or set CHROMIUM_PATH)');
}

const coordinator = { role: Role.COORDINATOR, gminy: ['1417082'] };
// GraphiQL's editors (Monaco): the Headers tab (the Variables editor beside it is hidden), the query, the result.
const HEADERS = '.graphiql-editor-tool .graphiql-editor:not(.hidden)';
const QUERY = '.graphiql-query-editor .graphiql-editor';
const RESULT = '.graphiql-response';

// A demo database of its own: the note this suite adds to Wiązowna's active plan, and the feed of
// Wiązowna's plans it follows, must meet no other suite's (they run in parallel on the shared one).
let app: TestApp;
let dropDatabase: (() => Promise<void>) | undefined;
beforeAll(async () => {
  const database = await ownDemoDatabase('cus_ide');
  dropDatabase = database.drop;
  app = await startTestApp({}, database.appUrl);
}, 120_000);
afterAll(async () => {
  await app?.close();
  await dropDatabase?.();
});

describe('the IDE over HTTP', () => {
  test('its page names only its own assets, and each is served from here', async () => {
    const page = await get(app.url, { accept: 'text/html' });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toMatch(/^default-src 'self';/);
    expect(page.body.toString()).not.toMatch(/https?:\/\//);
    const assets = [...page.body.toString().matchAll(/(?:src|href)="([^"]+)"/g)].map(([, address]) => address);
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) {
      expect(asset).toMatch(/^\/graphql\/ide\//);
      expect((await get(new URL(asset, app.url).href)).status).toBe(200);
    }
  });

  test('an asset comes compressed when the client takes brotli, plain otherwise, and not again when unchanged', async () => {
    const script = `${new URL(app.url).origin}/graphql/ide/ruru.js`;
    const compressed = await get(script, { 'accept-encoding': 'gzip, br' });
    expect(compressed.headers['content-encoding']).toBe('br');
    const plain = await get(script, { 'accept-encoding': 'gzip' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['content-type']).toMatch(/^text\/javascript/);
    expect(plain.body.length).toBeGreaterThan(compressed.body.length);
    expect(plain.headers.etag).not.toBe(compressed.headers.etag);
    for (const [encoding, tagged] of [
      ['br', compressed],
      ['gzip', plain],
    ] as const) {
      expect((await get(script, { 'accept-encoding': encoding, 'if-none-match': tagged.headers.etag as string })).status).toBe(304);
    }
    expect((await get(script, { 'accept-encoding': 'gzip', 'if-none-match': compressed.headers.etag as string })).status).toBe(200);
  });

  test("anything else under the IDE's path is not found, source maps included", async () => {
    for (const name of ['nothing.js', 'ruru.js.map', 'constructor', '']) {
      expect((await get(`${new URL(app.url).origin}/graphql/ide/${name}`)).status).toBe(404);
    }
  });
});

describe.skipIf(!chromium && !inCi)('the IDE in a browser, offline', () => {
  let browser: Browser;
  let userDataDir: string;

  beforeAll(async () => {
    if (!chromium) throw new Error('CI=true and no chromium found: .ci/run installs it (apt-get install chromium)');
    userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cus-ide-chromium-'));
    browser = await puppeteer.launch({
      executablePath: chromium,
      userDataDir,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        // Offline: whatever is not this machine goes to a proxy that is not there.
        '--proxy-server=http://127.0.0.1:9',
      ],
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
  });

  test('loads from this server alone, under a policy that allows nothing else', async () => {
    const ide = await openIde(browser, app.url);
    ide.expectNothingElsewhere();
    const policy = ide.response.headers()['content-security-policy'] ?? '';
    expect(policy).toMatch(/default-src 'self'/);
    expect(policy).toMatch(/connect-src 'self'(;|$)/);
    // Every source the policy names is this server, a data: URL or an inline script's hash.
    const sources = policy.split(';').flatMap((directive) => directive.trim().split(/\s+/).slice(1));
    expect(sources.filter((source) => !/^('self'|'none'|'unsafe-inline'|data:|'sha256-[A-Za-z0-9+/=]+')$/.test(source))).toEqual([]);
    await ide.page.waitForSelector(`${QUERY} .monaco-editor`);
    expect(ide.requests.some((url) => url.endsWith('/graphql/ide/ruru.js'))).toBe(true);
    await ide.page.browserContext().close();
  }, 60_000);

  test('runs a query and a subscription with the token from the Headers tab, and shows the event a change of a plan sends', async () => {
    const token = await app.token(coordinator);
    const ide = await openIde(browser, app.url);
    const { page } = ide;
    await page.locator('.graphiql-editor-tools ::-p-text(Headers)').click();
    await typeInto(page, HEADERS, `{"Authorization": "Bearer ${token}"}`);

    await typeInto(page, QUERY, 'query Me { viewer { role subject gminy { terc } } }');
    await run(page, 'Me');
    const answer = await waitForResult(page, (text) => text.includes('"role"'));
    expect(answer).toEqual({ data: { viewer: { role: 'COORDINATOR', subject: 'dev-coordinator', gminy: [{ terc: '1417082' }] } } });
    expect(ide.authorizations).toContain(`Bearer ${token}`);

    // The schema, read again with the token (the page's first reading had none), feeds the docs.
    await page.click('.graphiql-sidebar button[aria-label^="Re-fetch GraphQL schema"]');
    await page.click('.graphiql-sidebar button[aria-label="Show Documentation Explorer"]');
    await page.waitForFunction(() => /subscription:\s*Subscription/.test(document.querySelector('.graphiql-doc-explorer-content')?.textContent ?? ''));

    await typeInto(page, QUERY, 'subscription PlanFeed { ipusFeed(gminy: ["1417082"]) { ipusId revision kind } }');
    await run(page, 'PlanFeed');
    // The change is made once the server holds the subscription: one made before would not be live.
    let shown = '';
    await until(
      async () => ((shown = await editorText(page, RESULT)), (await openSubscriptions(app)) >= 1),
      () => `the subscription to be open on the server; the result pane shows ${JSON.stringify(shown)}, the WebSocket sent ${JSON.stringify(ide.framesSent)}`,
    );
    await until(async () => ide.framesSent.length >= 2, "the browser's WebSocket frames");
    expect(ide.sockets).toEqual([app.wsUrl]);
    const [init, subscribe] = ide.framesSent.map((frame) => JSON.parse(frame));
    expect(init).toEqual({ type: 'connection_init', payload: { Authorization: `Bearer ${token}` } });
    expect(subscribe).toMatchObject({ type: 'subscribe', payload: { operationName: 'PlanFeed' } });

    const { id, revision } = await noteOnActivePlan(app);
    const event = await waitForResult(page, (text) => text.includes(id)).catch((e) => {
      throw new Error(`${e.message}; the WebSocket received ${JSON.stringify(ide.framesReceived)}; note on ${id} r${revision}`);
    });
    expect(event).toEqual({ data: { ipusFeed: { ipusId: id, revision, kind: 'NOTE_ADDED' } } });
    ide.expectNothingElsewhere();
    await page.browserContext().close();
  }, 60_000);
});

interface OpenIde {
  page: Page;
  response: HTTPResponse;
  /** Every address the page asked for, WebSocket and workers included. */
  requests: string[];
  /** The Authorization headers of its HTTP requests. */
  authorizations: string[];
  sockets: string[];
  framesSent: string[];
  framesReceived: string[];
  /** No request went to another host, and the browser reported no breach of the page's policy and no uncaught error. */
  expectNothingElsewhere(): void;
}

/** The IDE in a new tab of its own (storage of its own), every request it makes recorded, and one to any other host stopped. */
async function openIde(browser: Browser, url: string): Promise<OpenIde> {
  const page = await (await browser.createBrowserContext()).newPage();
  await page.setViewport({ width: 1280, height: 900 });
  const origins = [new URL(url).origin, new URL(url).origin.replace(/^http/, 'ws')];
  const ide = {
    page,
    requests: [] as string[],
    authorizations: [] as string[],
    sockets: [] as string[],
    framesSent: [] as string[],
    framesReceived: [] as string[],
  };
  const foreign: string[] = [];
  const problems: string[] = [];
  // Recorded twice over: by request interception (which stops a request to elsewhere), and by the
  // DevTools protocol's network events, which also see the WebSocket and the workers' requests.
  const record = (address: string) => {
    ide.requests.push(address);
    if (!/^(data|blob):/.test(address) && !origins.includes(new URL(address).origin) && !foreign.includes(address)) foreign.push(address);
  };
  await page.setRequestInterception(true);
  page.on('request', (request) => {
    record(request.url());
    if (request.headers().authorization) ide.authorizations.push(request.headers().authorization);
    if (foreign.includes(request.url())) return void request.abort();
    return void request.continue();
  });
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(`Uncaught ${String(error)}`));
  const cdp = await page.createCDPSession();
  await cdp.send('Network.enable');
  cdp.on('Network.requestWillBeSent', (event) => record(event.request.url));
  cdp.on('Network.webSocketCreated', (event) => {
    record(event.url);
    ide.sockets.push(event.url);
  });
  cdp.on('Network.webSocketFrameSent', (event) => ide.framesSent.push(event.response.payloadData));
  cdp.on('Network.webSocketFrameReceived', (event) => ide.framesReceived.push(event.response.payloadData));
  cdp.on('Network.webSocketClosed', () => ide.framesReceived.push('(closed)'));

  const response = await page.goto(url, { waitUntil: 'networkidle0' });
  expect(response?.status()).toBe(200);
  return {
    ...ide,
    response: response as HTTPResponse,
    expectNothingElsewhere() {
      expect(foreign).toEqual([]);
      expect(problems.filter((p) => /Content.Security.Policy|Refused to|Uncaught/i.test(p))).toEqual([]);
    },
  };
}

/** Replaces the text of the Monaco editor inside `container` by typing, as a user would. */
async function typeInto(page: Page, container: string, text: string): Promise<void> {
  await page.click(`${container} .monaco-editor .view-lines`);
  await page.keyboard.down('Control');
  await page.keyboard.press('KeyA');
  await page.keyboard.up('Control');
  await page.keyboard.press('Backspace');
  await page.keyboard.type(text);
  await page.keyboard.press('Escape');
  // Typed as is: no completion the editor offered was taken instead of a character.
  expect(await editorText(page, container)).toBe(text);
}

/**
 * Runs the operation in the query editor once GraphiQL has read it: its name on the tab says so
 * (pressed sooner, GraphiQL would run it as the operation typed before, a subscription over HTTP).
 */
async function run(page: Page, operationName: string): Promise<void> {
  await page.waitForFunction((name) => document.querySelector('.graphiql-tab-active .graphiql-tab-button')?.textContent?.trim() === name, {}, operationName);
  await page.click('.graphiql-execute-button');
}

/** What the Monaco editor inside `container` shows. */
async function editorText(page: Page, container: string): Promise<string> {
  return page.$eval(`${container} .monaco-editor .view-lines`, (lines) => (lines as HTMLElement).innerText.replace(/\u00a0/g, ' '));
}

/**
 * The result pane's JSON once `ready` accepts its text. Its whitespace is dropped: Monaco wraps a
 * long line (an id) where the pane ends, and no value these tests read has a space.
 */
async function waitForResult(page: Page, ready: (text: string) => boolean): Promise<unknown> {
  let text = '';
  await until(
    async () => ready((text = (await editorText(page, RESULT)).replace(/\s+/g, ''))),
    () => `the result pane to show the result; it shows ${JSON.stringify(text)}`,
  );
  return JSON.parse(text);
}

async function until(condition: () => Promise<boolean>, what: string | (() => string), timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function openSubscriptions(app: TestApp): Promise<number> {
  const text = await (await fetch(app.metricsUrl)).text();
  return Number(/^cus_subscriptions_open (\d+)/m.exec(text)?.[1] ?? 0);
}

/** A monitoring note on Wiązowna's active demo plan, through the API; the plan's id and new revision. */
async function noteOnActivePlan(app: TestApp): Promise<{ id: string; revision: number }> {
  const plans = await app.gql(coordinator, '{ plans(first: 1, filter: { statuses: [ACTIVE] }) { nodes { id revision } } }');
  const [plan] = plans.body.data.plans.nodes;
  const noted = await mutate(app, coordinator, 'ipusMonitoringNoteAdd', 'IpusNoteInput', 'ipus { id revision }', {
    id: plan.id,
    revision: plan.revision,
    note: 'Rozmowa telefoniczna: bez zmian',
  });
  return noted.ipus;
}

/** A GET with exactly these headers (fetch would ask for and undo compression itself). */
function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

/** Debian's chromium (or CHROMIUM_PATH), if this machine has it. */
function findChromium(): string | null {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    for (const name of ['chromium', 'chromium-browser']) {
      const candidate = path.join(dir, name);
      if (fs.existsSync(candidate)) return candidate;
    }
  }
  return null;
}
