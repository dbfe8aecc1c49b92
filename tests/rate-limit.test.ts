import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import { Redis } from 'ioredis';
import { codes, Role, startTestApp, type TestApp } from './support/app.js';
import { loadConfig } from '../src/platform/config.js';
import { subscribe } from './support/subscriptions.js';

/**
 * Rate limits per principal and per client address (issue 8): HTTP answers 429 with Retry-After and
 * TOO_MANY_REQUESTS, a WebSocket operation gets the same code without losing its connection, and with
 * REDIS_URL the count is shared by every server instance. Without Redis, RATE_LIMIT_FAIL decides:
 * open (each instance counts alone) or closed (503).
 */
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const run = Date.now().toString(36);
const COORDINATOR = { role: Role.COORDINATOR, gminy: ['1417082'] };
const apps: TestApp[] = [];

async function redisReachable(): Promise<boolean> {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

afterAll(async () => {
  await Promise.all(apps.map((app) => app.close()));
});

describe('rate limits in one process', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ RATE_LIMIT_PER_PRINCIPAL: '5', RATE_LIMIT_PER_ADDRESS: '0', RATE_LIMIT_WINDOW_SECONDS: '60' });
    apps.push(app);
  });

  it("answer the request past the principal's limit with 429, Retry-After and TOO_MANY_REQUESTS, and not another principal's", async () => {
    const token = await app.token(COORDINATOR, { subject: `limited-a-${run}` });
    for (let i = 0; i < 5; i += 1) expect((await app.gql(token, '{ viewer { role } }')).status).toBe(200);
    const response = await fetch(app.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ viewer { role } }' }),
    });
    expect(response.status).toBe(429);
    const retryAfter = Number(response.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0].extensions.code).toBe('TOO_MANY_REQUESTS');
    expect(body.errors[0].message).toMatch(/at most 5 per 60 s/);
    const other = await app.token(COORDINATOR, { subject: `limited-b-${run}` });
    expect((await app.gql(other, '{ viewer { role } }')).status).toBe(200);
  });

  it('refuse a WebSocket operation past the limit with the same code, and keep the connection', async () => {
    const token = await app.token(COORDINATOR, { subject: `limited-c-${run}` });
    const client = app.ws(token);
    for (let i = 0; i < 5; i += 1) {
      const ok = subscribe(client, '{ viewer { role } }');
      await ok.waitFor(1);
    }
    const refused = subscribe(client, '{ viewer { role } }');
    await refused.ended;
    expect(JSON.stringify(refused.error)).toContain('TOO_MANY_REQUESTS');
    expect(codes(await app.gql(await app.token(COORDINATOR, { subject: `limited-d-${run}` }), '{ viewer { role } }'))).toEqual([]);
  });

  it('limit a client address across principals', async () => {
    const byAddress = await startTestApp({ RATE_LIMIT_PER_PRINCIPAL: '0', RATE_LIMIT_PER_ADDRESS: '3' });
    apps.push(byAddress);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      statuses.push((await byAddress.gql(await byAddress.token(COORDINATOR, { subject: `address-${i}-${run}` }), '{ viewer { role } }')).status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
  });
});

describe('rate limits shared through Redis', () => {
  it("count a principal's requests across two server instances", async (context) => {
    if (!(await redisReachable())) {
      context.skip();
      return;
    }
    const env = { RATE_LIMIT_PER_PRINCIPAL: '4', RATE_LIMIT_PER_ADDRESS: '0', REDIS_URL };
    const [one, two] = [await startTestApp(env), await startTestApp(env)];
    apps.push(one, two);
    const token = await one.token(COORDINATOR, { subject: `shared-${run}` });
    const statuses = [];
    for (const app of [one, two, one, two, one, two]) statuses.push((await app.gql(token, '{ viewer { role } }')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
  });

  it('count HTTP requests on one instance and WebSocket operations on another together, per address too', async (context) => {
    if (!(await redisReachable())) {
      context.skip();
      return;
    }
    // A window of its own, so counts left in Redis by an earlier run (same address) cannot be in it.
    const env = { RATE_LIMIT_PER_PRINCIPAL: '0', RATE_LIMIT_PER_ADDRESS: '3', RATE_LIMIT_WINDOW_SECONDS: '3600', REDIS_URL };
    const redis = new Redis(REDIS_URL);
    await redis.del('cus:rate:address:127.0.0.1', 'cus:rate:address:::ffff:127.0.0.1');
    redis.disconnect();
    const [one, two] = [await startTestApp(env), await startTestApp(env)];
    apps.push(one, two);
    for (let i = 0; i < 3; i += 1) expect((await one.gql(await one.token(COORDINATOR, { subject: `ws-${i}-${run}` }), '{ viewer { role } }')).status).toBe(200);
    const client = two.ws(await two.token(COORDINATOR, { subject: `ws-3-${run}` }));
    const refused = subscribe(client, '{ viewer { role } }');
    await refused.ended;
    expect(JSON.stringify(refused.error)).toContain('TOO_MANY_REQUESTS');
    expect(JSON.stringify(refused.error)).toMatch(/at most 3 per 3600 s/);
  });
});

/** A port nothing listens on: Redis that cannot be reached. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('rate limits while Redis cannot be reached (RATE_LIMIT_FAIL)', () => {
  it('is open by default: requests pass, each instance still counting in its own memory', async () => {
    const open = await startTestApp({ RATE_LIMIT_PER_PRINCIPAL: '3', RATE_LIMIT_PER_ADDRESS: '0', REDIS_URL: `redis://127.0.0.1:${await closedPort()}` });
    apps.push(open);
    const token = await open.token(COORDINATOR, { subject: `open-${run}` });
    const statuses = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await open.gql(token, '{ viewer { role } }')).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it('closed: a limited request is refused with 503, SERVICE_UNAVAILABLE and Retry-After, over HTTP and WebSocket', async () => {
    const closed = await startTestApp({
      RATE_LIMIT_PER_PRINCIPAL: '100',
      RATE_LIMIT_PER_ADDRESS: '0',
      RATE_LIMIT_FAIL: 'closed',
      REDIS_URL: `redis://127.0.0.1:${await closedPort()}`,
    });
    apps.push(closed);
    const token = await closed.token(COORDINATOR, { subject: `closed-${run}` });
    const response = await fetch(closed.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ viewer { role } }' }),
    });
    expect(response.status).toBe(503);
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = (await response.json()) as { data?: unknown; errors: { message: string; extensions: { code: string } }[] };
    expect(body.data).toBeUndefined();
    expect(body.errors.map((e) => e.extensions.code)).toEqual(['SERVICE_UNAVAILABLE']);
    expect(body.errors[0].message).toMatch(/Rate limits cannot be checked/);

    const client = closed.ws(token);
    const refused = subscribe(client, '{ viewer { role } }');
    await refused.ended;
    expect(JSON.stringify(refused.error)).toContain('SERVICE_UNAVAILABLE');
  });

  it('takes open or closed only', () => {
    expect(loadConfig({}).rateLimits.fail).toBe('open');
    expect(loadConfig({ RATE_LIMIT_FAIL: 'closed' }).rateLimits.fail).toBe('closed');
    expect(() => loadConfig({ RATE_LIMIT_FAIL: 'shut' })).toThrow(/RATE_LIMIT_FAIL must be open or closed/);
  });
});
