import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role, startTestApp, type TestApp } from './support/app.js';
import { subscribe, subscribeAndWait } from './support/subscriptions.js';
import { MAX_OPERATION_NAMES } from '../src/platform/http/metrics.js';
import { loadConfig } from '../src/platform/config.js';

/**
 * GET /metrics (issue 8, "Observability"): operations by name, type and transport with their
 * latency, errors by code (also for requests refused before they became operations), live
 * subscriptions, the outbox lag, the pool's size and the process's memory, in Prometheus text format.
 * The suites' servers serve it on a port of their own (METRICS_PORT=0 in tests/support/app.ts); the
 * public port serves it only to the bearer of METRICS_TOKEN (issue 17, item 4).
 */
let app: TestApp;
const DIRECTOR = { role: Role.DIRECTOR, gminy: ['1417082'] };

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app.close();
});

/** The value of one sample line, `name{labels}`, or null when it is absent. */
async function sample(series: string): Promise<number | null> {
  const text = await (await fetch(app.metricsUrl)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : null;
}

describe('/metrics', () => {
  it('counts operations by name, type and transport, times them, and counts errors by code', async () => {
    const before = (await sample('cus_graphql_operations_total{operation="CentreDashboard",type="query",transport="http"}')) ?? 0;
    for (let i = 0; i < 3; i += 1) expect((await app.gql(DIRECTOR, 'query CentreDashboard { viewer { role } }')).status).toBe(200);
    expect(await sample('cus_graphql_operations_total{operation="CentreDashboard",type="query",transport="http"}')).toBe(before + 3);
    expect(await sample('cus_graphql_operation_duration_seconds_count{operation="CentreDashboard",type="query"}')).toBeGreaterThanOrEqual(3);

    const unauthenticated = (await sample('cus_graphql_errors_total{code="UNAUTHENTICATED"}')) ?? 0;
    const invalid = (await sample('cus_graphql_errors_total{code="GRAPHQL_VALIDATION_FAILED"}')) ?? 0;
    await app.gql(null, '{ viewer { role } }');
    await app.gql(DIRECTOR, '{ noSuchField }');
    expect(await sample('cus_graphql_errors_total{code="UNAUTHENTICATED"}')).toBe(unauthenticated + 1);
    expect(await sample('cus_graphql_errors_total{code="GRAPHQL_VALIDATION_FAILED"}')).toBe(invalid + 1);
  });

  it('keeps the operation names it labels bounded: past the limit, new names count as other', async () => {
    // Found by the fuzz campaign (npm run fuzz): every invented name was a series kept for the process's life.
    // A server of its own, so the names it uses up are no other test's.
    const own = await startTestApp();
    try {
      const metrics = async () => (await fetch(own.metricsUrl)).text();
      const value = async (series: string) =>
        Number(
          (await metrics())
            .split('\n')
            .find((l) => l.startsWith(`${series} `))
            ?.slice(series.length + 1) ?? 0,
        );
      const names = async () => (await metrics()).match(/^cus_graphql_operations_total\{operation="(?!anonymous"|other")/gm) ?? [];
      const extra = 5;
      const token = await own.token(DIRECTOR);
      for (let i = 0; i < MAX_OPERATION_NAMES + extra; i += 25) {
        await Promise.all(
          Array.from({ length: Math.min(25, MAX_OPERATION_NAMES + extra - i) }, (_, j) => own.gql(token, `query Invented${i + j} { viewer { role } }`)),
        );
      }
      expect(await value('cus_graphql_operations_total{operation="other",type="query",transport="http"}')).toBe(extra);
      expect(await names()).toHaveLength(MAX_OPERATION_NAMES);
      // A name already counted keeps its own series.
      await own.gql(DIRECTOR, 'query Invented0 { viewer { role } }');
      expect(await value('cus_graphql_operations_total{operation="Invented0",type="query",transport="http"}')).toBe(2);
    } finally {
      await own.close();
    }
  });

  it('shows open subscriptions, the outbox lag, the pool size and the process memory', async () => {
    // Resolves once the gauge counts the feed (it fails, naming the count, if it never does).
    const feed = await subscribeAndWait(app, app.ws(DIRECTOR), 'subscription { ipusFeed { eventId } }');
    expect(await sample('cus_subscriptions_open')).toBeGreaterThanOrEqual(1);
    expect(await sample('cus_outbox_lag_events')).toBeGreaterThanOrEqual(0);
    expect(await sample('cus_db_pool_max')).toBeGreaterThan(0);
    expect(await sample('cus_process_resident_memory_bytes')).toBeGreaterThan(0);
    feed.stop();
    // An operation over WebSocket is counted with its transport.
    const client = app.ws(DIRECTOR);
    const once = subscribe(client, 'query OverSocket { viewer { role } }');
    await once.waitFor(1);
    expect(await sample('cus_graphql_operations_total{operation="OverSocket",type="query",transport="ws"}')).toBe(1);
  });
});

describe('who may read /metrics', () => {
  const TOKEN = 'metrics-scraper-0123456789abcdef0123456789abcdef';

  it('is not served on the public port without METRICS_TOKEN: the operation names clients chose stay with the operators', async () => {
    await app.gql(DIRECTOR, 'query ChosenByAClient { viewer { role } }');
    const res = await fetch(new URL('/metrics', app.url));
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('ChosenByAClient');
    expect(await (await fetch(app.metricsUrl)).text()).toContain('operation="ChosenByAClient"');
  });

  it('is served on its own port on 127.0.0.1, and nothing else is', async () => {
    const url = new URL(app.metricsUrl);
    expect(url.hostname).toBe('127.0.0.1');
    expect(url.port).not.toBe(new URL(app.url).port);
    for (const path of ['/graphql', '/healthz', '/', '/metrics/x']) expect((await fetch(new URL(path, url))).status).toBe(404);
    expect((await fetch(url, { method: 'POST' })).status).toBe(404);
  });

  it('with METRICS_TOKEN, the public port serves it to that bearer token only', async () => {
    const own = await startTestApp({ METRICS_TOKEN: TOKEN, METRICS_PORT: '' });
    try {
      expect(own.metricsUrl).toBe('');
      const scrape = (authorization?: string) => fetch(new URL('/metrics', own.url), { headers: authorization ? { authorization } : {} });
      const none = await scrape();
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(await none.text()).not.toContain('cus_');
      expect((await scrape(`Bearer ${TOKEN.slice(0, -1)}x`)).status).toBe(401);
      expect((await scrape(`Bearer ${TOKEN}extra`)).status).toBe(401);
      expect((await scrape(`Basic ${TOKEN}`)).status).toBe(401);
      // A GraphQL token is not the metrics token.
      expect((await scrape(`Bearer ${await own.token(DIRECTOR)}`)).status).toBe(401);
      const ok = await scrape(`Bearer ${TOKEN}`);
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain('cus_graphql_operations_total');
    } finally {
      await own.close();
    }
  });

  it('refuses to start with a METRICS_TOKEN too short to be a secret, or a METRICS_PORT that is not a port', () => {
    expect(() => loadConfig({ METRICS_TOKEN: 'secret' })).toThrow(/METRICS_TOKEN must be at least 32 characters/);
    expect(() => loadConfig({ METRICS_PORT: '70000' })).toThrow(/METRICS_PORT/);
    expect(() => loadConfig({ METRICS_PORT: 'nine' })).toThrow(/METRICS_PORT/);
    expect(loadConfig({}).metrics).toEqual({ port: null, host: '127.0.0.1', token: undefined });
    expect(loadConfig({ METRICS_PORT: '9464', METRICS_HOST: '10.0.0.5' }).metrics).toEqual({ port: 9464, host: '10.0.0.5', token: undefined });
  });
});
