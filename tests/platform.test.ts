import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import fs from 'node:fs';
import { SignJWT, generateKeyPair } from 'jose';
import { codes, Role, startTestApp, type TestApp } from './support/app.js';
import { renderSchema } from '../scripts/schema.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app.close();
});

const base = () => app.url.replace(/\/graphql$/, '');

describe('health and readiness', () => {
  test('GET /healthz answers while the process lives', async () => {
    const res = await fetch(`${base()}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  test('GET /readyz answers ready when the database is reachable and migrated', async () => {
    const res = await fetch(`${base()}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready' });
  });

  test('a browser gets the IDE on GET /graphql without a token', async () => {
    const res = await fetch(app.url, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(await res.text()).toMatch(/<html/i);
  });
});

describe('authentication', () => {
  const query = '{ gminy(first: 1) { nodes { terc } } }';

  test('a missing token gets UNAUTHENTICATED and nothing else', async () => {
    const res = await app.gql(null, query);
    expect(res.status).toBe(401);
    expect(codes(res)).toEqual(['UNAUTHENTICATED']);
    expect(res.body.data).toBeUndefined();
  });

  test('a token signed with another key gets UNAUTHENTICATED', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const forged = await new SignJWT({ role: 'PLATFORM_ADMIN' })
      .setProtectedHeader({ alg: 'ES256' })
      .setSubject('mallory')
      .setIssuer('cus-platform-dev')
      .setAudience('cus-platform')
      .setExpirationTime('1h')
      .sign(privateKey);
    const res = await app.gql(forged, query);
    expect(res.status).toBe(401);
    expect(codes(res)).toEqual(['UNAUTHENTICATED']);
    expect(res.body.data).toBeUndefined();
  });

  test('an expired token gets UNAUTHENTICATED with a clear message', async () => {
    const expired = await app.token({ role: Role.COORDINATOR, gminy: ['1417082'] }, { expiresIn: '-1m' });
    const res = await app.gql(expired, query);
    expect(res.status).toBe(401);
    expect(res.body.errors?.[0].message).toMatch(/expired/);
    expect(res.body.data).toBeUndefined();
  });

  test('a token accepted once (and so kept as verified) is refused as soon as it expires', async () => {
    const shortLived = await app.token({ role: Role.COORDINATOR, gminy: ['1417082'] }, { expiresIn: '2s' });
    const accepted = await app.gql(shortLived, query);
    expect(accepted.status).toBe(200);
    expect(accepted.body.errors).toBeUndefined();
    // `exp` is in whole seconds: past it for certain after three.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const refused = await app.gql(shortLived, query);
    expect(refused.status).toBe(401);
    expect(refused.body.errors?.[0].message).toMatch(/expired/);
  });

  test('a token whose claims make no sense is refused', async () => {
    const noGminy = await app.token({ role: Role.COORDINATOR });
    const partnerWithoutId = await app.token({ role: Role.PARTNER });
    const ministryWithGmina = await app.token({ role: Role.MINISTRY, gminy: ['1417082'] });
    for (const token of [noGminy, partnerWithoutId, ministryWithGmina]) {
      const res = await app.gql(token, query);
      expect(codes(res)).toEqual(['UNAUTHENTICATED']);
      expect(res.body.data).toBeUndefined();
    }
  });

  test('a garbage Authorization header is refused', async () => {
    const res = await app.gql('not-a-jwt', query);
    expect(res.status).toBe(401);
    expect(codes(res)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('errors', () => {
  const coordinator = { role: Role.COORDINATOR, gminy: ['1417082'] };

  test('a malformed document gets GRAPHQL_PARSE_FAILED', async () => {
    const res = await app.gql(coordinator, '{ gminy(first: 1) { nodes { terc } }');
    expect(codes(res)).toEqual(['GRAPHQL_PARSE_FAILED']);
  });

  test('an unknown field gets GRAPHQL_VALIDATION_FAILED', async () => {
    const res = await app.gql(coordinator, '{ gminy { nothingHere } }');
    expect(codes(res)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  test('an invalid TERYT code in variables gets BAD_USER_INPUT naming the rule', async () => {
    const res = await app.gql(coordinator, 'query($t: TerytCode!) { gmina(terc: $t) { name } }', { t: '1417089' });
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.body.errors?.[0].message).toMatch(/kind/);
  });

  test('a page larger than the cap gets BAD_USER_INPUT', async () => {
    const res = await app.gql(coordinator, '{ gminy(first: 5000) { nodes { terc } } }');
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
  });

  test('a subscription sent over HTTP gets BAD_REQUEST (400): subscriptions are served over WebSocket', async () => {
    // Found by the fuzz suite (tests/fuzz.test.ts): graphql-js ran the subscription's field once, like a query, and it failed inside.
    const res = await app.gql(coordinator, 'subscription { ipusUpdated(id: "x") { eventId } }');
    expect(res.status).toBe(400);
    expect(codes(res)).toEqual(['BAD_REQUEST']);
    expect(res.body.errors?.[0].message).toMatch(/WebSocket/);
    // Nor may one with @include on its root field take the server down while it is validated (it was a 500).
    const conditional = await app.gql(coordinator, 'subscription($on: Boolean!) { ipusFeed @include(if: $on) { eventId } }', { on: true });
    expect(conditional.status).toBe(400);
    expect(codes(conditional)).toEqual(['BAD_REQUEST']);
  });

  test('no error carries a stack trace', async () => {
    const res = await app.gql(coordinator, '{ node(id: "!!!") { id } }');
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(JSON.stringify(res.body)).not.toMatch(/stacktrace|at .*\.ts:\d+/);
  });
});

describe('reference data and connections', () => {
  const anyone = [
    { role: Role.MINISTRY },
    { role: Role.PARTNER, partner: '0193a000-0000-7000-8000-0000000000aa' },
    { role: Role.GMINA_OFFICIAL, gminy: ['2808062'] },
    { role: Role.PLATFORM_ADMIN },
  ];

  test('every principal reads the whole register of 2,477 gminy', async () => {
    for (const who of anyone) {
      const res = await app.gql(who, '{ gminy(first: 1) { totalCount } }');
      expect(res.body.data.gminy.totalCount).toBe(2477);
    }
  });

  test('pages follow on from the cursor without gaps or repeats', async () => {
    const page = (after?: string) =>
      app.gql(
        anyone[0],
        `query($after: String) {
      gminy(first: 3, after: $after, filter: { powiat: "1417" }, orderBy: NAME) {
        edges { cursor node { terc name } } pageInfo { hasNextPage endCursor } } }`,
        { after },
      );
    const first = await page();
    const second = await page(first.body.data.gminy.pageInfo.endCursor);
    const names = [...first.body.data.gminy.edges, ...second.body.data.gminy.edges].map((e: any) => e.node.name);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'pl')));
    expect(new Set(names).size).toBe(6);
    expect(first.body.data.gminy.pageInfo.hasNextPage).toBe(true);
  });

  test('a cursor of another list gets BAD_USER_INPUT', async () => {
    // Found by the fuzz suite (tests/fuzz.test.ts): the cursor's values reached the database with the wrong types (an internal error).
    const admin = anyone[3];
    const gminy = await app.gql(admin, '{ gminy(first: 1, orderBy: NAME) { pageInfo { endCursor } } }');
    const res = await app.gql(admin, 'query($after: String) { cusUnits(first: 1, after: $after) { totalCount } }', {
      after: gminy.body.data.gminy.pageInfo.endCursor,
    });
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.body.errors?.[0].message).toBe('after is not a cursor of this list');
  });

  test('a gmina id whose key is no TERC number names nothing, and is no internal error', async () => {
    // Found by the fuzz campaign (npm run fuzz): "Gmina:1e400" became Infinity, which reached the SQL as a bare word.
    const ids = ['1e400', 'NaN', '-1', '0x10', '99999999999'].map((key) => Buffer.from(`Gmina:${key}`).toString('base64url'));
    const res = await app.gql(anyone[0], 'query($ids: [ID!]!, $one: ID!) { nodes(ids: $ids) { id } node(id: $one) { id } }', { ids, one: ids[0] });
    expect(res.body).toEqual({ data: { nodes: ids.map(() => null), node: null } });
  });

  test('gmina(terc:) and node(id:) resolve the same gmina', async () => {
    const byTerc = await app.gql(anyone[0], '{ gmina(terc: "1417082") { id name kind powiat { code name } wojewodztwo { code name } } }');
    expect(byTerc.body.data.gmina).toMatchObject({
      name: 'Wiązowna',
      kind: 'RURAL',
      powiat: { code: '1417', name: 'otwocki' },
      wojewodztwo: { code: '14', name: 'mazowieckie' },
    });
    const byNode = await app.gql(anyone[0], 'query($id: ID!) { node(id: $id) { ... on Gmina { terc } } }', { id: byTerc.body.data.gmina.id });
    expect(byNode.body.data.node).toEqual({ terc: '1417082' });
  });
});

describe('schema file', () => {
  test('schema/schema.graphql is what `npm run schema` generates', async () => {
    const committed = fs.readFileSync(new URL('../schema/schema.graphql', import.meta.url), 'utf8');
    expect(committed).toBe(await renderSchema());
  });
});

describe('operation transactions', () => {
  test('a query ends its (read-only) transaction with a rollback; a mutation commits', async () => {
    app.statements.length = 0;
    await app.gql({ role: Role.MINISTRY }, '{ gminy(first: 1) { nodes { terc } } }');
    expect(app.statements.filter((s) => /set_config\(/.test(s))).toHaveLength(1);
    expect(app.statements.filter((s) => /\] (commit|rollback)\b/.test(s)).map((s) => s.split('] ')[1])).toEqual(['rollback']);

    app.statements.length = 0;
    const res = await app.gql(
      { role: Role.PLATFORM_ADMIN },
      `mutation { cusUnitCreate(input: { name: "Tx test", seatGmina: "1261011",
      seatAddress: { street: "ul. Rynek 1", postalCode: "30-001", city: "Kraków" }, creationMode: OPS_TRANSFORMED, startDate: "2024-01-01" }) { cusUnit { id } userErrors { code } } }`,
    );
    expect(res.body.data.cusUnitCreate.userErrors).toEqual([]);
    expect(app.statements.filter((s) => /\] (commit|rollback)\b/.test(s)).map((s) => s.split('] ')[1])).toEqual(['commit']);
  });
});
