import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import WebSocket from 'ws';
import type { Client } from 'graphql-ws';
import { SignJWT, generateKeyPair } from 'jose';
import { codes, rawAsOwner, Role, startTestApp, unique, type GraphQLResponse, type TestApp } from './support/app.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app.close();
});

const ADMIN = { role: Role.PLATFORM_ADMIN };
const WIAZOWNA = '1417082';
const SROKOWO = '2808062';
/** A gmina no demo unit serves, where this file creates its own units. */
const BOBOWO = '2213042';
const globalId = (type: string, key: string) => Buffer.from(`${type}:${key}`, 'utf8').toString('base64url');
const UNIT = {
  wiazowna: globalId('CusUnit', '0193a000-0000-7000-8000-000000000001'),
  srokowo: globalId('CusUnit', '0193a000-0000-7000-8000-000000000004'),
};
/** The closed set of extensions.code values a client may ever see (src/platform/graphql/errors.ts). */
const CLOSED_SET = [
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'CONFLICT',
  'BAD_REQUEST',
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'SERVICE_UNAVAILABLE',
  'INTERNAL_SERVER_ERROR',
];

interface WsResult {
  /** `next`: an execution result; `error`: the server refused the operation before executing it. */
  via: 'next' | 'error';
  data?: any;
  errors?: { message: string; extensions?: Record<string, unknown>; path?: unknown[] }[];
}

/** Runs one operation over a graphql-ws client; a socket that closes instead rejects with its close code. */
function run(client: Client, query: string, variables?: Record<string, unknown>): Promise<WsResult> {
  return new Promise((resolve, reject) => {
    let result: WsResult | undefined;
    client.subscribe(
      { query, variables },
      {
        next: (value) => {
          result = { via: 'next', ...(value as object) };
        },
        error: (error) => {
          if (Array.isArray(error)) resolve({ via: 'error', errors: error as WsResult['errors'] });
          else {
            const closed = error as { code?: number; reason?: string; message?: string };
            reject(new Error(`the socket closed or failed: ${closed.code ?? ''} ${closed.reason ?? closed.message ?? String(error)}`));
          }
        },
        complete: () => (result ? resolve(result) : reject(new Error('completed without a result'))),
      },
    );
  });
}

const wsCodes = (result: WsResult) => (result.errors ?? []).map((e) => e.extensions?.code);

interface RawSession {
  socket: WebSocket;
  messages: any[];
  /** Resolves with the close code and reason, whoever closes. */
  closed: Promise<{ code: number; reason: string }>;
  next(): Promise<any>;
  send(message: unknown): void;
}

/** A bare graphql-transport-ws socket, so tests see close codes the graphql-ws client hides. */
async function rawSocket(): Promise<RawSession> {
  const socket = new WebSocket(app.wsUrl, 'graphql-transport-ws');
  const messages: any[] = [];
  const waiting: ((message: any) => void)[] = [];
  socket.on('message', (data) => {
    const message = JSON.parse(String(data));
    const waiter = waiting.shift();
    if (waiter) waiter(message);
    else messages.push(message);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => {
    socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return {
    socket,
    messages,
    closed,
    next: () => (messages.length ? Promise.resolve(messages.shift()) : new Promise((resolve) => waiting.push(resolve))),
    send: (message) => socket.send(JSON.stringify(message)),
  };
}

const withTimeout = <T>(promise: Promise<T>, ms = 5_000) =>
  Promise.race([promise, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms))]);

/** Creates a CUS unit in Bobowo over HTTP as the platform administrator. */
async function createUnitOverHttp(): Promise<{ id: string; name: string }> {
  const name = unique('CUS ws');
  const res = await app.gql(
    ADMIN,
    `mutation($input: CusUnitCreateInput!) {
    cusUnitCreate(input: $input) { cusUnit { id name } userErrors { field message code } } }`,
    {
      input: {
        name,
        seatGmina: BOBOWO,
        creationMode: 'OPS_TRANSFORMED',
        startDate: '2024-01-01',
        statutory: false,
        seatAddress: { street: 'ul. Testowa 1', postalCode: '83-212', city: 'Bobowo' },
      },
    },
  );
  expect(res.body.errors).toBeUndefined();
  expect(res.body.data.cusUnitCreate.userErrors).toEqual([]);
  expect(res.body.data.cusUnitCreate.cusUnit.name).toBe(name);
  return res.body.data.cusUnitCreate.cusUnit;
}

const projectsOverHttp = async (unitId: string) => {
  const res: GraphQLResponse = await app.gql(ADMIN, 'query($id: ID!) { cusUnit(id: $id) { fundingProjects { id title totalValue } } }', { id: unitId });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.cusUnit.fundingProjects as { id: string; title: string; totalValue: string }[];
};

const PROJECT_ADD = `mutation($input: FundingProjectAddInput!) {
  fundingProjectAdd(input: $input) { fundingProject { id title totalValue cusUnit { id name } } userErrors { field code } } }`;

const projectInput = (cusUnitId: string, extra: Record<string, unknown> = {}) => ({
  cusUnitId,
  programme: 'FERS 2021-2027',
  action: '6.1',
  title: unique('Projekt ws'),
  periodStart: '2024-01-01',
  periodEnd: '2025-12-31',
  totalValue: '1500000.00',
  ...extra,
});

describe('queries over WebSocket', () => {
  test('a valid token in connection_init gets the viewer and only the units of its gmina', async () => {
    const client = app.ws({ role: Role.COORDINATOR, gminy: [WIAZOWNA] });
    const result = await run(
      client,
      `{ viewer { role gminy { terc name } }
      cusUnits(first: 100) { nodes { id name gminy { terc } } } }`,
    );
    expect(result.via).toBe('next');
    expect(result.errors).toBeUndefined();
    expect(result.data.viewer).toEqual({ role: 'COORDINATOR', gminy: [{ terc: WIAZOWNA, name: 'Wiązowna' }] });
    const units = result.data.cusUnits.nodes as { id: string; name: string; gminy: { terc: string }[] }[];
    expect(units.map((u) => u.id)).toContain(UNIT.wiazowna);
    expect(units.map((u) => u.id)).not.toContain(UNIT.srokowo);
    for (const unit of units) expect(unit.gminy.map((g) => g.terc)).toContain(WIAZOWNA);
  });

  test('each connection keeps its own principal', async () => {
    const wiazowna = app.ws({ role: Role.GMINA_OFFICIAL, gminy: [WIAZOWNA] });
    const srokowo = app.ws({ role: Role.GMINA_OFFICIAL, gminy: [SROKOWO] });
    const query = '{ viewer { gminy { terc } } cusUnits(first: 100) { nodes { id } } }';
    const [a, b] = await Promise.all([run(wiazowna, query), run(srokowo, query)]);
    expect(a.data.viewer.gminy).toEqual([{ terc: WIAZOWNA }]);
    expect(b.data.viewer.gminy).toEqual([{ terc: SROKOWO }]);
    const idsA = a.data.cusUnits.nodes.map((n: any) => n.id);
    const idsB = b.data.cusUnits.nodes.map((n: any) => n.id);
    expect(idsA).toContain(UNIT.wiazowna);
    expect(idsA).not.toContain(UNIT.srokowo);
    expect(idsB).toContain(UNIT.srokowo);
    expect(idsB).not.toContain(UNIT.wiazowna);
  });
});

describe('mutations over WebSocket', () => {
  test('a mutation commits: the project added over WebSocket is then visible over HTTP', async () => {
    const unit = await createUnitOverHttp();
    const client = app.ws(ADMIN);
    const input = projectInput(unit.id);
    const result = await run(client, PROJECT_ADD, { input });
    expect(result.errors).toBeUndefined();
    const payload = result.data.fundingProjectAdd;
    expect(payload.userErrors).toEqual([]);
    expect(payload.fundingProject).toMatchObject({ title: input.title, totalValue: '1500000.00', cusUnit: { id: unit.id, name: unit.name } });

    expect(await projectsOverHttp(unit.id)).toEqual([{ id: payload.fundingProject.id, title: input.title, totalValue: '1500000.00' }]);
  });

  test('a mutation that returns userErrors changes nothing', async () => {
    const unit = await createUnitOverHttp();
    const client = app.ws(ADMIN);
    const input = projectInput(unit.id, { periodStart: '2025-01-01', periodEnd: '2024-12-31' });
    const result = await run(client, PROJECT_ADD, { input });
    expect(result.errors).toBeUndefined();
    expect(result.data.fundingProjectAdd).toEqual({
      fundingProject: null,
      userErrors: [{ field: ['input', 'periodEnd'], code: 'OUT_OF_RANGE' }],
    });
    expect(await projectsOverHttp(unit.id)).toEqual([]);
    expect(await rawAsOwner('select id from funding_project where title = $1', [input.title])).toEqual([]);
  });

  test('an operation that ends in a top-level error rolls back the mutations before it', async () => {
    const unit = await createUnitOverHttp();
    const client = app.ws(ADMIN);
    const good = projectInput(unit.id);
    const result = await run(
      client,
      `mutation($good: FundingProjectAddInput!, $bad: FundingProjectAddInput!) {
      first: fundingProjectAdd(input: $good) { fundingProject { id } userErrors { code } }
      second: fundingProjectAdd(input: $bad) { fundingProject { id } userErrors { code } } }`,
      { good, bad: projectInput('!!!') },
    );
    expect(wsCodes(result)).toEqual(['BAD_USER_INPUT']);
    expect(await projectsOverHttp(unit.id)).toEqual([]);
    expect(await rawAsOwner('select id from funding_project where title = $1', [good.title])).toEqual([]);
  });
});

describe('connection_init and close codes', () => {
  const query = { query: '{ viewer { role } }' };

  test('a valid token is acknowledged and its operations answered (the raw client works)', async () => {
    const session = await rawSocket();
    session.send({ type: 'connection_init', payload: { authorization: `Bearer ${await app.token(ADMIN)}` } });
    expect(await withTimeout(session.next())).toEqual({ type: 'connection_ack' });
    session.send({ id: '1', type: 'subscribe', payload: query });
    expect(await withTimeout(session.next())).toEqual({ id: '1', type: 'next', payload: { data: { viewer: { role: 'PLATFORM_ADMIN' } } } });
    expect(await withTimeout(session.next())).toEqual({ id: '1', type: 'complete' });
    session.socket.close(1000);
    expect((await withTimeout(session.closed)).code).toBe(1000);
  });

  const refusedWith4403 = async (payload: unknown) => {
    const session = await rawSocket();
    session.send({ type: 'connection_init', ...(payload === undefined ? {} : { payload }) });
    const closed = await withTimeout(session.closed);
    expect(closed).toEqual({ code: 4403, reason: 'Forbidden' });
    expect(session.messages.filter((m) => m.type === 'connection_ack')).toEqual([]);
  };

  test('connection_init without a token closes with 4403', async () => {
    await refusedWith4403(undefined);
    await refusedWith4403({});
    await refusedWith4403({ authorization: '' });
    await refusedWith4403({ authorization: 'Bearer' });
  });

  test('a forged or garbage token closes with 4403', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const forged = await new SignJWT({ role: 'PLATFORM_ADMIN' })
      .setProtectedHeader({ alg: 'ES256' })
      .setSubject('mallory')
      .setIssuer('cus-platform-dev')
      .setAudience('cus-platform')
      .setExpirationTime('1h')
      .sign(privateKey);
    await refusedWith4403({ authorization: `Bearer ${forged}` });
    await refusedWith4403({ authorization: 'Bearer not-a-jwt' });
    // Signed with the right key but naming an impossible scope (a coordinator of no gmina).
    await refusedWith4403({ authorization: `Bearer ${await app.token({ role: Role.COORDINATOR })}` });
  });

  test('an expired token closes with 4403', async () => {
    const expired = await app.token({ role: Role.COORDINATOR, gminy: [WIAZOWNA] }, { expiresIn: '-1m' });
    await refusedWith4403({ authorization: `Bearer ${expired}` });
  });

  test('a token that expires while connected ends the connection with 4403 at the next operation', async () => {
    const shortLived = await app.token({ role: Role.COORDINATOR, gminy: [WIAZOWNA] }, { expiresIn: '2s' });
    const session = await rawSocket();
    session.send({ type: 'connection_init', payload: { authorization: `Bearer ${shortLived}` } });
    expect(await withTimeout(session.next())).toEqual({ type: 'connection_ack' });
    await new Promise((resolve) => setTimeout(resolve, 2500));
    session.send({ id: '1', type: 'subscribe', payload: query });
    expect((await withTimeout(session.closed)).code).toBe(4403);
    expect(session.messages.filter((m) => m.type === 'next')).toEqual([]);
  });

  test('subscribe before connection_ack closes with 4401 and answers nothing', async () => {
    const session = await rawSocket();
    session.send({ id: '1', type: 'subscribe', payload: query });
    expect(await withTimeout(session.closed)).toEqual({ code: 4401, reason: 'Unauthorized' });
    expect(session.messages).toEqual([]);
  });

  test('the graphql-ws client with no token is refused, not answered', async () => {
    const client = app.ws(null);
    await expect(run(client, '{ viewer { role } }')).rejects.toThrow(/4403/);
  });
});

describe('errors over WebSocket', () => {
  const coordinator = { role: Role.COORDINATOR, gminy: [WIAZOWNA] };

  const expectSafe = (result: WsResult, code: string) => {
    expect(wsCodes(result)).toEqual([code]);
    for (const error of result.errors ?? []) {
      expect(CLOSED_SET).toContain(error.extensions?.code);
      expect(Object.keys(error.extensions ?? {})).toEqual(['code']);
    }
    expect(JSON.stringify(result)).not.toMatch(/stacktrace|exception|at .*\.[jt]s:\d+/);
  };

  test('an invalid TerytCode variable gets BAD_USER_INPUT naming the rule, as over HTTP', async () => {
    const query = 'query($t: TerytCode!) { gmina(terc: $t) { name } }';
    expect(codes(await app.gql(coordinator, query, { t: '1417089' }))).toEqual(['BAD_USER_INPUT']);
    const result = await run(app.ws(coordinator), query, { t: '1417089' });
    expectSafe(result, 'BAD_USER_INPUT');
    expect(result.errors?.[0].message).toMatch(/kind/);
    expect(result.data).toBeUndefined();
  });

  test('a malformed id gets BAD_USER_INPUT', async () => {
    const result = await run(app.ws(coordinator), '{ node(id: "!!!") { id } }');
    expectSafe(result, 'BAD_USER_INPUT');
  });

  test('a coordinator calling cusUnitCreate gets FORBIDDEN and creates nothing', async () => {
    const name = unique('CUS forbidden ws');
    const result = await run(app.ws(coordinator), `mutation($input: CusUnitCreateInput!) { cusUnitCreate(input: $input) { cusUnit { id } } }`, {
      input: {
        name,
        seatGmina: WIAZOWNA,
        creationMode: 'OPS_TRANSFORMED',
        startDate: '2024-01-01',
        seatAddress: { street: 'ul. Lipowa 1', postalCode: '05-462', city: 'Wiązowna' },
      },
    });
    expectSafe(result, 'FORBIDDEN');
    expect(result.data).toBeNull();
    expect(await rawAsOwner('select id from cus_unit where name = $1', [name])).toEqual([]);
  });

  test('an unknown field gets GRAPHQL_VALIDATION_FAILED, as over HTTP', async () => {
    const overHttp = await app.gql(coordinator, '{ gminy { nothingHere } }');
    expect(codes(overHttp)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    const result = await run(app.ws(coordinator), '{ gminy { nothingHere } }');
    expectSafe(result, 'GRAPHQL_VALIDATION_FAILED');
  });

  test('an operationName the document does not have gets OPERATION_RESOLUTION_FAILURE, as over HTTP, and the connection stays usable', async () => {
    // Found by the fuzz suite (tests/fuzz.test.ts): graphql-ws answered "Unable to identify operation" without a code.
    const session = await rawSocket();
    session.send({ type: 'connection_init', payload: { authorization: `Bearer ${await app.token(coordinator)}` } });
    expect(await withTimeout(session.next())).toEqual({ type: 'connection_ack' });
    const query = 'query A { viewer { role } } query B { viewer { gminy { terc } } }';
    session.send({ id: '1', type: 'subscribe', payload: { query, operationName: 'C' } });
    const unknown = await withTimeout(session.next());
    expect(unknown).toMatchObject({ id: '1', type: 'error' });
    expect(unknown.payload.map((e: any) => e.extensions.code)).toEqual(['OPERATION_RESOLUTION_FAILURE']);
    expect(unknown.payload[0].message).toBe('Unknown operation named "C"');
    session.send({ id: '2', type: 'subscribe', payload: { query } });
    const unnamed = await withTimeout(session.next());
    expect(unnamed.payload.map((e: any) => e.extensions.code)).toEqual(['OPERATION_RESOLUTION_FAILURE']);
    session.send({ id: '3', type: 'subscribe', payload: { query, operationName: 'A' } });
    expect(await withTimeout(session.next())).toEqual({ id: '3', type: 'next', payload: { data: { viewer: { role: 'COORDINATOR' } } } });
    session.socket.close(1000);
  });

  test('a subscription with @include on its root field gets GRAPHQL_VALIDATION_FAILED, not a closed socket', async () => {
    // Found by the fuzz suite (tests/fuzz.test.ts): graphql-js's validation threw on it, and the socket closed with 4500.
    const client = app.ws(coordinator);
    const result = await run(client, 'subscription($on: Boolean!) { ipusFeed @include(if: $on) { eventId } }', { on: true });
    expectSafe(result, 'GRAPHQL_VALIDATION_FAILED');
    expect(result.errors?.[0].message).toMatch(/must not use @skip or @include on its root fields/);
    expect((await run(client, '{ viewer { role } }')).data).toEqual({ viewer: { role: 'COORDINATOR' } });
  });

  test('a malformed document gets GRAPHQL_PARSE_FAILED and the connection stays usable', async () => {
    const client = app.ws(coordinator);
    const result = await run(client, '{ gminy(first: 1) { nodes { terc } }');
    expectSafe(result, 'GRAPHQL_PARSE_FAILED');
    const after = await run(client, '{ viewer { role } }');
    expect(after.data).toEqual({ viewer: { role: 'COORDINATOR' } });
  });
});

describe('tenant isolation over WebSocket', () => {
  const director = { role: Role.DIRECTOR, gminy: [WIAZOWNA] };

  test("a director of Wiązowna reads their own unit but not Srokowo's, by any route", async () => {
    const client = app.ws(director);
    const own = await run(client, 'query($id: ID!) { cusUnit(id: $id) { name } node(id: $id) { id } }', { id: UNIT.wiazowna });
    expect(own.errors).toBeUndefined();
    expect(own.data).toEqual({ cusUnit: { name: 'Centrum Usług Społecznych w Wiązownie' }, node: { id: UNIT.wiazowna } });

    const other = await run(client, 'query($id: ID!) { cusUnit(id: $id) { name } node(id: $id) { id } }', { id: UNIT.srokowo });
    expect(other.errors).toBeUndefined();
    expect(other.data).toEqual({ cusUnit: null, node: null });

    const listed = await run(client, `{ cusUnits(first: 100, filter: { gmina: "${SROKOWO}" }) { nodes { id } } }`);
    expect(listed.errors).toBeUndefined();
    expect(listed.data.cusUnits.nodes).toEqual([]);
  });

  test("a director of Wiązowna cannot add a project to Srokowo's unit", async () => {
    const client = app.ws(director);
    const input = projectInput(UNIT.srokowo);
    const result = await run(client, PROJECT_ADD, { input });
    expect(result.errors).toBeUndefined();
    expect(result.data.fundingProjectAdd).toEqual({ fundingProject: null, userErrors: [{ field: ['input', 'cusUnitId'], code: 'NOT_FOUND' }] });
    expect(await rawAsOwner('select id from funding_project where title = $1', [input.title])).toEqual([]);
  });
});
