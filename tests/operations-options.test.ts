import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { codes, Role, startTestApp, unique, type TestApp } from './support/app.js';

/**
 * Issue 8's deployment options: the statement timeout of an operation, CORS for browsers on other
 * origins, and OpenTelemetry tracing sent to a collector (here a stand-in that keeps what it gets).
 */
const DIRECTOR = { role: Role.DIRECTOR, gminy: ['1417082'] };
const PARTNER_CREATE = `mutation($input: PartnerCreateInput!) { partnerCreate(input: $input) { partner { id name version } userErrors { code } } }`;
const PARTNER_UPDATE = `mutation PartnerRename($input: PartnerUpdateInput!) { partnerUpdate(input: $input) { partner { name version } userErrors { code } } }`;

describe('statement timeout (STATEMENT_TIMEOUT_MS)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ STATEMENT_TIMEOUT_MS: '300' });
  });
  afterAll(async () => {
    await app.close();
  });

  it('cancels a statement that waits past the limit with TIMEOUT, changes nothing, and leaves the next operation unaffected', async () => {
    const created = await app.gql(DIRECTOR, PARTNER_CREATE, { input: { name: unique('Fundacja Zegar'), kind: 'NGO' } });
    const partner = created.body.data.partnerCreate.partner;
    expect(partner.version).toBe(1);
    const uuid = Buffer.from(partner.id, 'base64url').toString('utf8').split(':')[1];

    // Another session holds the partner's row: the update waits for it, then is cancelled at 300 ms.
    const holder = new pg.Client({ connectionString: inject('ownerUrl') });
    await holder.connect();
    try {
      await holder.query('begin');
      await holder.query('select 1 from partner where id = $1 for update', [uuid]);
      const started = Date.now();
      const blocked = await app.gql(DIRECTOR, PARTNER_UPDATE, { input: { id: partner.id, version: 1, name: 'Fundacja po czasie' } });
      const waited = Date.now() - started;
      expect(codes(blocked)).toEqual(['TIMEOUT']);
      expect(blocked.body.errors?.[0].message).toMatch(/took too long.*nothing was changed/);
      expect(waited).toBeGreaterThanOrEqual(250);
      await holder.query('rollback');
    } finally {
      await holder.end();
    }

    const read = await app.gql(DIRECTOR, `query($id: ID!) { partner(id: $id) { name version } }`, { id: partner.id });
    expect(read.body.data.partner).toEqual({ name: partner.name, version: 1 });
    const renamed = await app.gql(DIRECTOR, PARTNER_UPDATE, { input: { id: partner.id, version: 1, name: 'Fundacja na czas' } });
    expect(renamed.body.data.partnerUpdate).toEqual({ partner: { name: 'Fundacja na czas', version: 2 }, userErrors: [] });
  });

  it('holds only inside the operation: a pooled connection carries no limit into other work', async () => {
    // The limit is set with the principal's settings (set_config(..., true)) and ends with the transaction.
    const client = new pg.Client({ connectionString: inject('appUrl') });
    await client.connect();
    try {
      expect((await client.query('show statement_timeout')).rows[0].statement_timeout).toBe('0');
    } finally {
      await client.end();
    }
    app.statements.length = 0;
    expect((await app.gql(DIRECTOR, '{ viewer { role } }')).body.data.viewer.role).toBe('DIRECTOR');
    // One statement sets the four settings of the principal and the timeout: no extra round trip.
    expect(app.statements.filter((s) => /set_config/.test(s))).toHaveLength(1);
    expect(app.statements.find((s) => /set_config/.test(s))).toMatch(/(set_config\(\?, \?, true\).*){5}/);
  });
});

describe('CORS (CORS_ORIGINS)', () => {
  let app: TestApp;
  const PANEL = 'https://panel.wiazowna.example.gov.pl';
  beforeAll(async () => {
    app = await startTestApp({ CORS_ORIGINS: `${PANEL}, https://ngo.example.org` });
  });
  afterAll(async () => {
    await app.close();
  });

  const preflight = (origin: string) =>
    fetch(app.url, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    });

  it("answers a listed origin's preflight and lets it read the response", async () => {
    const res = await preflight(PANEL);
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(PANEL);
    expect(res.headers.get('access-control-allow-methods')).toMatch(/POST/);
    expect(res.headers.get('access-control-allow-headers')).toMatch(/authorization/);
    expect(res.headers.get('vary')).toMatch(/Origin/);

    const token = await app.token(DIRECTOR);
    const post = await fetch(app.url, {
      method: 'POST',
      headers: { origin: PANEL, 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ viewer { role } }' }),
    });
    expect(post.headers.get('access-control-allow-origin')).toBe(PANEL);
    expect(post.headers.get('access-control-expose-headers')).toMatch(/x-request-id/);
    expect((await post.json()).data.viewer.role).toBe('DIRECTOR');
  });

  it('gives another origin no CORS header, so its page can neither send nor read', async () => {
    const res = await preflight('https://evil.example.com');
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('access-control-allow-methods')).toBeNull();
    const post = await fetch(app.url, {
      method: 'POST',
      headers: { origin: 'https://evil.example.com', 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ viewer { role } }' }),
    });
    expect(post.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('still refuses a simple cross-site request that skips the preflight (CSRF prevention)', async () => {
    const token = await app.token(DIRECTOR);
    const form = await fetch(`${app.url}?query=${encodeURIComponent('{ viewer { role } }')}`, {
      headers: { origin: PANEL, authorization: `Bearer ${token}` },
    });
    expect(form.status).toBe(400);
    expect(JSON.stringify(await form.json())).toMatch(/CSRF|preflight/i);
  });

  it('refuses a misspelt origin at start, so a typo never opens the API to everyone', async () => {
    await expect(startTestApp({ CORS_ORIGINS: 'https://panel.example.gov.pl/' })).rejects.toThrow(/not an origin/);
  });

  /** The request headers a preflight allows, as a browser compares them (case-insensitively). */
  const allowedHeaders = (res: Response) => new Set((res.headers.get('access-control-allow-headers') ?? '').split(',').map((h) => h.trim().toLowerCase()));

  it("lets a page send the trace context and Apollo Client's client name and version by default", async () => {
    const sent = [
      'authorization',
      'content-type',
      'traceparent',
      'tracestate',
      'apollographql-client-name',
      'apollographql-client-version',
      'apollo-require-preflight',
    ];
    const res = await fetch(app.url, {
      method: 'OPTIONS',
      headers: { origin: PANEL, 'access-control-request-method': 'POST', 'access-control-request-headers': sent.join(',') },
    });
    const allowed = allowedHeaders(res);
    expect(sent.filter((header) => !allowed.has(header))).toEqual([]);
    // And the request itself goes through with them.
    const post = await fetch(app.url, {
      method: 'POST',
      headers: {
        origin: PANEL,
        'content-type': 'application/json',
        authorization: `Bearer ${await app.token(DIRECTOR)}`,
        traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
        'apollographql-client-name': 'panel',
        'apollographql-client-version': '1.4.0',
      },
      body: JSON.stringify({ query: '{ viewer { role } }' }),
    });
    expect(post.headers.get('access-control-allow-origin')).toBe(PANEL);
    expect((await post.json()).data.viewer.role).toBe('DIRECTOR');
  });

  it('allows the headers CORS_ALLOWED_HEADERS lists instead (the token and content type always), and refuses a bad name at start', async () => {
    const custom = await startTestApp({ CORS_ORIGINS: PANEL, CORS_ALLOWED_HEADERS: 'X-Panel-Build, traceparent' });
    try {
      const res = await fetch(custom.url, {
        method: 'OPTIONS',
        headers: { origin: PANEL, 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-panel-build' },
      });
      expect([...allowedHeaders(res)].sort()).toEqual(['authorization', 'content-type', 'traceparent', 'x-panel-build']);
    } finally {
      await custom.close();
    }
    await expect(startTestApp({ CORS_ORIGINS: PANEL, CORS_ALLOWED_HEADERS: 'x-panel build' })).rejects.toThrow(
      /CORS_ALLOWED_HEADERS: "x-panel build" is not a header name/,
    );
  });
});

interface Collected {
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  attributes: { key: string; value: Record<string, unknown> }[];
}

describe('OpenTelemetry tracing (OTEL_TRACES_EXPORTER=otlp)', () => {
  let collector: http.Server;
  const bodies: string[] = [];
  let endpoint = '';
  beforeAll(async () => {
    // A stand-in OTLP/HTTP collector: it keeps every JSON body it receives.
    collector = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => {
        body += chunk;
      });
      req.on('end', () => {
        bodies.push(body);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}/v1/traces`;
  });
  afterAll(async () => {
    await new Promise((resolve) => collector.close(resolve));
  });

  it("sends a span per request and per operation, joined to the caller's trace, without variables or tokens", async () => {
    const app = await startTestApp({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: endpoint, OTEL_SERVICE_NAME: 'cus-test' });
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const callerSpan = '00f067aa0ba902b7';
    const token = await app.token(DIRECTOR);
    const secretName = unique('Fundacja Tajna');
    const res = await fetch(app.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, traceparent: `00-${traceId}-${callerSpan}-01` },
      body: JSON.stringify({ query: PARTNER_CREATE.replace('mutation(', 'mutation PartnerAdd('), variables: { input: { name: secretName, kind: 'NGO' } } }),
    });
    expect((await res.json()).data.partnerCreate.userErrors).toEqual([]);
    // Over WebSocket too: the operation's span, without a request span around it.
    const client = app.ws(DIRECTOR);
    await new Promise<void>((resolve, reject) => {
      client.subscribe({ query: 'query WhoAmI { viewer { role } }' }, { next: () => undefined, error: reject, complete: resolve });
    });
    await app.close(); // flushes the spans

    const spans: Collected[] = bodies.flatMap((body) =>
      (JSON.parse(body).resourceSpans ?? []).flatMap((r: { scopeSpans: { spans: Collected[] }[] }) => r.scopeSpans.flatMap((s) => s.spans)),
    );
    const attribute = (span: Collected, key: string) => span.attributes.find((a) => a.key === key)?.value;
    const request = spans.find((s) => s.name === 'POST /graphql' && s.traceId === traceId);
    expect(request, JSON.stringify(spans.map((s) => s.name))).toBeDefined();
    expect(request!.parentSpanId).toBe(callerSpan);
    expect(attribute(request!, 'http.response.status_code')).toEqual({ intValue: 200 });
    const operation = spans.find((s) => s.name === 'mutation PartnerAdd');
    expect(operation?.traceId).toBe(traceId);
    expect(operation?.parentSpanId).toBe(request!.spanId);
    expect(attribute(operation!, 'cus.role')).toEqual({ stringValue: 'DIRECTOR' });
    expect(spans.some((s) => s.name === 'query WhoAmI' && attribute(s, 'cus.transport')?.stringValue === 'ws')).toBe(true);
    const everything = bodies.join('\n');
    expect(everything).toContain('cus-test');
    expect(everything).not.toContain(secretName);
    expect(everything).not.toContain(token);
  });
});
