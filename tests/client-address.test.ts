import WebSocket from 'ws';
import { createClient } from 'graphql-ws';
import { afterAll, describe, expect, it } from 'vitest';
import { Role, startTestApp, type TestApp } from './support/app.js';
import { subscribe } from './support/subscriptions.js';
import { loadConfig } from '../src/platform/config.js';

/**
 * The client address behind reverse proxies (TRUST_PROXY, issue 22 item 6), seen through the
 * per-address rate limit: X-Forwarded-For is read from the right, as far as trusted proxies wrote it,
 * so what a client writes into the header itself never decides the address it is counted as.
 */
const COORDINATOR = { role: Role.COORDINATOR, gminy: ['1417082'] };
const run = Date.now().toString(36);
const apps: TestApp[] = [];
afterAll(async () => {
  await Promise.all(apps.map((app) => app.close()));
});

/** A server allowing one request per client address, with TRUST_PROXY set as given. */
async function onePerAddress(trustProxy: string | undefined): Promise<TestApp> {
  const app = await startTestApp({
    RATE_LIMIT_PER_PRINCIPAL: '0',
    RATE_LIMIT_PER_ADDRESS: '1',
    ...(trustProxy === undefined ? {} : { TRUST_PROXY: trustProxy }),
  });
  apps.push(app);
  return app;
}

/** The status of one request carrying this X-Forwarded-For (each as another user, so only the address limit counts). */
async function statusWith(app: TestApp, forwardedFor: string): Promise<number> {
  const token = await app.token(COORDINATOR, { subject: `address-${Math.random().toString(36).slice(2)}-${run}` });
  const response = await fetch(app.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-forwarded-for': forwardedFor },
    body: JSON.stringify({ query: '{ viewer { role } }' }),
  });
  await response.body?.cancel();
  return response.status;
}

describe('TRUST_PROXY', () => {
  it('a hop count: the entry the nearest proxy appended is the client, whatever the client wrote before it', async () => {
    const app = await onePerAddress('1');
    expect(await statusWith(app, '198.51.100.1, 203.0.113.9')).toBe(200);
    // The same client claiming another address in the header it sends: still 203.0.113.9 to the proxy.
    expect(await statusWith(app, '198.51.100.2, 203.0.113.9')).toBe(429);
    expect(await statusWith(app, '203.0.113.9')).toBe(429);
    expect(await statusWith(app, '198.51.100.1, 203.0.113.10')).toBe(200);
  });

  it('two hops: a CDN in front of the load balancer', async () => {
    const app = await onePerAddress('2');
    expect(await statusWith(app, '198.51.100.1, 203.0.113.11, 192.0.2.50')).toBe(200);
    expect(await statusWith(app, '198.51.100.2, 203.0.113.11, 192.0.2.51')).toBe(429);
  });

  it('proxy addresses and ranges: entries are skipped while they are trusted proxies', async () => {
    const app = await onePerAddress('loopback, 10.0.0.0/8');
    expect(await statusWith(app, '198.51.100.1, 203.0.113.12, 10.1.2.3')).toBe(200);
    expect(await statusWith(app, '198.51.100.2, 203.0.113.12, 10.9.9.9')).toBe(429);
    // A proxy outside the list is where trust ends: it is the client as far as the server can tell.
    expect(await statusWith(app, '203.0.113.12, 192.0.2.7')).toBe(200);
  });

  it('true trusts every hop (the leftmost entry), as Express does; unset ignores the header', async () => {
    const all = await onePerAddress('true');
    expect(await statusWith(all, '198.51.100.30, 10.0.0.1')).toBe(200);
    expect(await statusWith(all, '198.51.100.31, 10.0.0.1')).toBe(200);
    const none = await onePerAddress(undefined);
    expect(await statusWith(none, '198.51.100.32')).toBe(200);
    expect(await statusWith(none, '198.51.100.33')).toBe(429);
  });

  it('counts a WebSocket operation at the same address as the HTTP requests of that client', async () => {
    const app = await onePerAddress('1');
    expect(await statusWith(app, '198.51.100.40, 203.0.113.40')).toBe(200);
    const token = await app.token(COORDINATOR, { subject: `ws-address-${run}` });
    class Forwarded extends WebSocket {
      constructor(url: string, protocols?: string | string[]) {
        super(url, protocols, { headers: { 'x-forwarded-for': '198.51.100.41, 203.0.113.40' } });
      }
    }
    const client = createClient({ url: app.wsUrl, webSocketImpl: Forwarded, retryAttempts: 0, connectionParams: { authorization: `Bearer ${token}` } });
    try {
      const refused = subscribe(client, '{ viewer { role } }');
      await refused.ended;
      expect(JSON.stringify(refused.error)).toContain('TOO_MANY_REQUESTS');
    } finally {
      await client.dispose();
    }
  });

  it('takes true, false, a hop count, or addresses and CIDR ranges; anything else stops the server at start', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, loopback,::1' }).trustProxy).toEqual(['10.0.0.0/8', 'loopback', '::1']);
    for (const bad of ['yes', '10.0.0.0/33', '300.1.1.1']) expect(() => loadConfig({ TRUST_PROXY: bad })).toThrow(/TRUST_PROXY must be/);
  });
});
