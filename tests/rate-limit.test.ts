import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { codes, Role, startTestApp, type TestApp } from './support/app.js';
import { subscribe } from './support/subscriptions.js';

/**
 * Rate limits per principal and per client address (issue 8): HTTP answers 429 with Retry-After and
 * TOO_MANY_REQUESTS, a WebSocket operation gets the same code without losing its connection, and with
 * REDIS_URL the count is shared by every server instance.
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

  it('answer the request past the principal\'s limit with 429, Retry-After and TOO_MANY_REQUESTS, and not another principal\'s', async () => {
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
  it('count a principal\'s requests across two server instances', async (context) => {
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
});
