import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Role, startTestApp, type TestApp } from './support/app.js';

/**
 * graphql-ws as its PROTOCOL.md says, seen through a raw WebSocket (issue 8, "Conformance"):
 * the close codes for each misbehaviour, and the limits on connections per user and operations per
 * connection. The server here waits 300 ms for connection_init, allows 2 connections per user
 * and 2 operations per connection, and pings every connection every 200 ms.
 */
let app: TestApp;
const COORDINATOR = { role: Role.COORDINATOR, gminy: ['1417082'] };

beforeAll(async () => {
  app = await startTestApp({
    WS_INIT_TIMEOUT_MS: '300',
    WS_MAX_CONNECTIONS_PER_PRINCIPAL: '2',
    WS_MAX_SUBSCRIPTIONS_PER_CONNECTION: '2',
    WS_KEEPALIVE_MS: '200',
  });
});
afterAll(async () => {
  await app.close();
});

interface Raw {
  socket: WebSocket;
  messages: any[];
  closed: Promise<{ code: number; reason: string }>;
  send(message: unknown): void;
  next(type: string): Promise<any>;
}

async function raw(): Promise<Raw> {
  const socket = new WebSocket(app.wsUrl, 'graphql-transport-ws');
  const messages: any[] = [];
  socket.on('message', (data) => messages.push(JSON.parse(String(data))));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  return {
    socket,
    messages,
    closed,
    send: (message) => socket.send(typeof message === 'string' ? message : JSON.stringify(message)),
    async next(type) {
      const deadline = Date.now() + 3000;
      for (;;) {
        const found = messages.find((m) => m.type === type);
        if (found) {
          messages.splice(messages.indexOf(found), 1);
          return found;
        }
        if (Date.now() > deadline) throw new Error(`no ${type} message: ${JSON.stringify(messages)}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}

async function acknowledged(subject: string): Promise<Raw> {
  const client = await raw();
  client.send({ type: 'connection_init', payload: { authorization: `Bearer ${await app.token(COORDINATOR, { subject })}` } });
  await client.next('connection_ack');
  return client;
}

const FEED = { query: 'subscription { ipusFeed { eventId } }' };

describe('graphql-ws protocol', () => {
  it('closes with 4401 on a subscribe before the connection is acknowledged', async () => {
    const client = await raw();
    client.send({ type: 'subscribe', id: '1', payload: FEED });
    expect((await client.closed).code).toBe(4401);
  });

  it('closes with 4403 on a bad token, 4408 without connection_init in time, 4429 on a second init', async () => {
    const forged = await raw();
    forged.send({ type: 'connection_init', payload: { authorization: 'Bearer not-a-token' } });
    expect((await forged.closed).code).toBe(4403);
    const silent = await raw();
    expect((await silent.closed).code).toBe(4408);
    const twice = await acknowledged('ws-twice');
    twice.send({ type: 'connection_init', payload: {} });
    expect((await twice.closed).code).toBe(4429);
  });

  it('closes with 4409 on a subscription id already in use, and 4400 on a malformed message', async () => {
    const duplicate = await acknowledged('ws-duplicate');
    duplicate.send({ type: 'subscribe', id: 'same', payload: FEED });
    await new Promise((r) => setTimeout(r, 100));
    duplicate.send({ type: 'subscribe', id: 'same', payload: FEED });
    expect((await duplicate.closed).code).toBe(4409);
    const malformed = await acknowledged('ws-malformed');
    malformed.send('this is not json');
    expect((await malformed.closed).code).toBe(4400);
  });

  it('closes with 4400, not 4500, on a message only a server sends', async () => {
    // Found by the fuzz suite (tests/fuzz.test.ts): graphql-ws took a client's `next` for an internal error.
    for (const message of [{ type: 'next', id: '1', payload: {} }, { type: 'error', id: '1', payload: [] }, { type: 'connection_ack' }]) {
      const client = await acknowledged(`ws-server-message-${message.type}`);
      client.send(message);
      expect(await client.closed).toEqual({ code: 4400, reason: 'Invalid message received' });
    }
  });

  it('limits the operations one connection runs at once, answering the one past the limit with TOO_MANY_REQUESTS', async () => {
    const client = await acknowledged('ws-operations');
    const open = await app.openSubscriptions();
    client.send({ type: 'subscribe', id: 'a', payload: FEED });
    client.send({ type: 'subscribe', id: 'b', payload: FEED });
    // Both run (the server follows them) before the third comes.
    await app.untilOpenSubscriptions(open + 2);
    client.send({ type: 'subscribe', id: 'c', payload: FEED });
    const error = await client.next('error');
    expect(error).toMatchObject({ id: 'c', payload: [{ extensions: { code: 'TOO_MANY_REQUESTS' } }] });
    // Completing one frees its place.
    client.send({ type: 'complete', id: 'a' });
    await app.untilOpenSubscriptions(open + 1);
    client.send({ type: 'subscribe', id: 'd', payload: { query: '{ viewer { role } }' } });
    expect(await client.next('next')).toMatchObject({ id: 'd', payload: { data: { viewer: { role: 'COORDINATOR' } } } });
    client.socket.close();
  });

  it('limits the connections one user holds open, closing the one past the limit with 4429', async () => {
    const first = await acknowledged('ws-connections');
    const second = await acknowledged('ws-connections');
    const third = await raw();
    third.send({ type: 'connection_init', payload: { authorization: `Bearer ${await app.token(COORDINATOR, { subject: 'ws-connections' })}` } });
    expect((await third.closed).code).toBe(4429);
    // Another user is not affected; a closed connection frees its place.
    const other = await acknowledged('ws-someone-else');
    first.socket.close();
    await first.closed;
    await new Promise((r) => setTimeout(r, 50));
    const again = await acknowledged('ws-connections');
    for (const client of [second, other, again]) client.socket.close();
  });

  it('closes with 1009 on a message larger than the largest request body', async () => {
    const client = await acknowledged('ws-too-big');
    client.send({ id: '1', type: 'subscribe', payload: { query: `subscription { ipusFeed { eventId } } #${'x'.repeat(1_000_001)}` } });
    expect((await client.closed).code).toBe(1009);
  });

  it('pings every connection and drops one that stops answering, keeping those that answer', async () => {
    const answering = await acknowledged('ws-keepalive-answering');
    // A peer that vanished answers nothing: this one receives pings but does not send pongs back.
    const silent = new WebSocket(app.wsUrl, 'graphql-transport-ws', { autoPong: false });
    let pings = 0;
    silent.on('ping', () => {
      pings += 1;
    });
    const silentClosed = new Promise<number>((resolve) => silent.on('close', (code) => resolve(code)));
    await new Promise((resolve) => silent.once('open', resolve));
    silent.send(
      JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${await app.token(COORDINATOR, { subject: 'ws-keepalive-silent' })}` } }),
    );
    // Dropped without a close frame (1006 on its side) within two intervals of its first unanswered ping.
    expect(await silentClosed).toBe(1006);
    expect(pings).toBeGreaterThan(0);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(answering.socket.readyState).toBe(WebSocket.OPEN);
    answering.socket.close();
  });
});
