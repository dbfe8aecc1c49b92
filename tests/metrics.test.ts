import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role, startTestApp, type TestApp } from './support/app.js';
import { subscribe } from './support/subscriptions.js';
import { MAX_OPERATION_NAMES } from '../src/platform/http/metrics.js';

/**
 * GET /metrics (issue 8, "Observability"): operations by name, type and transport with their
 * latency, errors by code (also for requests refused before they became operations), live
 * subscriptions, the outbox lag, the pool's size and the process's memory, in Prometheus text format.
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
  const text = await (await fetch(new URL('/metrics', app.url))).text();
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
      const metrics = async () => (await fetch(new URL('/metrics', own.url))).text();
      const value = async (series: string) => Number((await metrics()).split('\n').find((l) => l.startsWith(`${series} `))?.slice(series.length + 1) ?? 0);
      const names = async () => (await metrics()).match(/^cus_graphql_operations_total\{operation="(?!anonymous"|other")/gm) ?? [];
      const extra = 5;
      const token = await own.token(DIRECTOR);
      for (let i = 0; i < MAX_OPERATION_NAMES + extra; i += 25) {
        await Promise.all(Array.from({ length: Math.min(25, MAX_OPERATION_NAMES + extra - i) }, (_, j) => own.gql(token, `query Invented${i + j} { viewer { role } }`)));
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
    const feed = subscribe(app.ws(DIRECTOR), 'subscription { ipusFeed { eventId } }');
    await new Promise((resolve) => setTimeout(resolve, 200));
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
