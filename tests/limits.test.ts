import { buildClientSchema, getIntrospectionQuery, type IntrospectionOptions, type IntrospectionQuery } from 'graphql';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/platform/config.js';
import { GMINA_SCOPED } from '../src/platform/auth/roles.js';
import { codes, Role, startTestApp, type GraphQLResponse, type TestApp, type Who } from './support/app.js';
import { subscribe } from './support/subscriptions.js';

/**
 * Limits on the shape of an operation (issue 8, "Limits against abuse"): depth, aliases, estimated
 * cost and tokens, each refused before anything runs with a code of its own, over HTTP and WebSocket;
 * batched HTTP requests are refused. The defaults: depth 12, 30 aliases, cost 25,000, 5,000 tokens.
 */
let app: TestApp;
const COORDINATOR = { role: Role.COORDINATOR, gminy: ['1417082'] };
/** A partner of the demo (a token must name a partner in the register). */
const DEMO_PARTNER = '0193a000-0000-7000-8000-0000000000aa';

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app.close();
});

/** plans -> resident -> plans -> resident ...: `levels` fields deep. */
function nested(levels: number): string {
  let inner = 'id';
  for (let level = levels - 1; level >= 1; level -= 1) inner = level % 2 === 1 ? `resident { ${inner} }` : `plans { ${inner} }`;
  return `{ plans(first: 1) { nodes { ${inner} } } }`;
}

describe('operation limits', () => {
  it('refuse an operation nested deeper than 12 levels, and run nothing', async () => {
    expect((await app.gql(COORDINATOR, nested(10))).body.errors).toBeUndefined();
    app.statements.length = 0;
    const res = await app.gql(COORDINATOR, nested(20));
    expect(res.status).toBe(400);
    expect(codes(res)).toEqual(['QUERY_TOO_DEEP']);
    expect(res.body.errors?.[0].message).toMatch(/nests \d+ levels deep; at most 12/);
    expect(app.statements).toEqual([]);
  });

  it('count depth through fragments, and refuse too many aliases', async () => {
    const viaFragments = `query { plans(first: 1) { nodes { ...a } } }
      fragment a on Ipus { resident { ...b } } fragment b on Resident { plans { ...c } }
      fragment c on Ipus { resident { plans { resident { plans { resident { plans { resident { plans { id } } } } } } } } }`;
    expect(codes(await app.gql(COORDINATOR, viaFragments))).toEqual(['QUERY_TOO_DEEP']);
    const aliases = `{ ${Array.from({ length: 31 }, (_, i) => `a${i}: viewer { role }`).join(' ')} }`;
    const res = await app.gql(COORDINATOR, aliases);
    expect(codes(res)).toEqual(['TOO_MANY_ALIASES']);
    expect(res.body.errors?.[0].message).toMatch(/31 aliases; at most 30/);
    expect(res.body.errors?.[0].extensions).toEqual({ code: 'TOO_MANY_ALIASES', limit: 30, actual: 31 });
    expect((await app.gql(COORDINATOR, `{ ${Array.from({ length: 30 }, (_, i) => `a${i}: viewer { role }`).join(' ')} }`)).body.errors).toBeUndefined();
  });

  it('refuse an operation whose page sizes multiply past the cost limit, with a way out in the message', async () => {
    const page = (first: number) => `gminy(first: ${first}) { nodes { terc name kind powiat { code name } wojewodztwo { code name } cusUnits { id name } } }`;
    const costly = `{ ${Array.from({ length: 20 }, (_, i) => `g${i}: ${page(100)}`).join(' ')} }`;
    const res = await app.gql(COORDINATOR, costly);
    expect(codes(res)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(res.body.errors?.[0].message).toMatch(/Ask for smaller pages/);
    // The same shape with small pages is fine; a page size from a variable counts as the largest page.
    expect((await app.gql(COORDINATOR, `{ ${Array.from({ length: 20 }, (_, i) => `g${i}: ${page(5)}`).join(' ')} }`)).body.errors).toBeUndefined();
    const variable = `query($n: Int) { ${Array.from({ length: 20 }, (_, i) => `g${i}: gminy(first: $n) { nodes { terc name kind powiat { code name } wojewodztwo { code name } cusUnits { id name } } }`).join(' ')} }`;
    expect(codes(await app.gql(COORDINATOR, variable, { n: 1 }))).toEqual(['QUERY_TOO_COMPLEX']);
  });

  it('measure each fragment once: fragments that each spread the next twice are refused at once, not after 2^40 steps', async () => {
    // Found by the fuzz campaign (npm run fuzz): a document of ~400 tokens held the event loop (every spread was measured again).
    const levels = 40;
    const fragments = Array.from({ length: levels }, (_, i) =>
      i === levels - 1 ? `fragment F${i} on Query { __typename viewer { role } }` : `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`,
    );
    const res = await app.gql(COORDINATOR, `query { ...F0 }\n${fragments.join('\n')}`);
    expect(codes(res)).toEqual(['QUERY_TOO_COMPLEX']);
    // __typename, viewer and role in each of the 2^39 copies of the last fragment.
    expect(res.body.errors?.[0].extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', limit: 25_000, actual: 3 * 2 ** 39 });
  });

  it('refuse a document of more than 5,000 tokens before parsing it whole', async () => {
    const res = await app.gql(COORDINATOR, `{ viewer { ${'role '.repeat(6000)}} }`);
    expect(codes(res)).toEqual(['TOO_MANY_TOKENS']);
  });

  it('apply the same limits over WebSocket, answering the operation and keeping the connection', async () => {
    const client = app.ws(COORDINATOR);
    const deep = subscribe(client, nested(20));
    await deep.ended;
    expect(JSON.stringify(deep.error)).toContain('QUERY_TOO_DEEP');
    const fine = subscribe(client, '{ viewer { role } }');
    const [result] = await fine.waitFor(1);
    expect(result).toEqual({ viewer: { role: 'COORDINATOR' } });
  });

  it('refuse batched HTTP requests', async () => {
    const response = await fetch(app.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await app.token(COORDINATOR)}` },
      body: JSON.stringify([{ query: '{ viewer { role } }' }, { query: '{ viewer { role } }' }]),
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/batching/i);
  });
});

/** One operation over WebSocket: its result, or the errors it was refused with. */
async function overWs(client: Client, query: string): Promise<GraphQLResponse['body']> {
  const operation = subscribe(client, query);
  await operation.ended;
  if (operation.error) return { errors: operation.error as GraphQLResponse['body']['errors'] };
  return operation.results[0];
}
const codesOf = (body: GraphQLResponse['body']) => (body.errors ?? []).map((e) => e.extensions?.code);

/** `levels` of ofType below a type reference. */
const typeRef = (levels: number): string => (levels === 0 ? 'kind name' : `kind name ofType { ${typeRef(levels - 1)} }`);
const OPTIONS: (keyof IntrospectionOptions)[] = [
  'descriptions',
  'specifiedByUrl',
  'directiveIsRepeatable',
  'schemaDescription',
  'inputValueDeprecation',
  'oneOf',
];
const NONE = Object.fromEntries(OPTIONS.map((o) => [o, false])) as IntrospectionOptions;
const ALL = Object.fromEntries(OPTIONS.map((o) => [o, true])) as IntrospectionOptions;
/**
 * What tools send (GraphiQL, Apollo Sandbox, GraphQL Code Generator, graphql-inspector, Rover,
 * Postman): graphql-js's introspection query with no option, each option alone and all of them (15
 * levels deep), and graphql-js 15's, whose type references go 7 ofType deep (13 levels).
 */
const INTROSPECTION_QUERIES: Record<string, string> = {
  none: getIntrospectionQuery(NONE),
  ...Object.fromEntries(OPTIONS.map((o) => [o, getIntrospectionQuery({ ...NONE, [o]: true })])),
  all: getIntrospectionQuery(ALL),
  'graphql-js 15': getIntrospectionQuery().replace(/fragment TypeRef on __Type \{[\s\S]*$/, `fragment TypeRef on __Type { ${typeRef(7)} }`),
};
const EVERY_ROLE: Who[] = Object.values(Role).map((role) => ({
  role,
  gminy: GMINA_SCOPED.includes(role) ? ['1417082'] : undefined,
  partner: role === Role.PARTNER ? DEMO_PARTNER : undefined,
}));

/** The schema a tool builds from an introspection result. */
function schemaFrom(body: GraphQLResponse['body']) {
  expect(body.errors).toBeUndefined();
  const schema = buildClientSchema(body.data as IntrospectionQuery);
  expect(schema.getQueryType()?.getFields().plans).toBeDefined();
  return schema;
}

describe('introspection and the limits (issue 22)', () => {
  it("every variant of graphql-js's introspection query reads the schema at the default limits, over HTTP and WebSocket", async () => {
    // The limits refused the current query at depth 15 and graphql-js 15's at 13.
    const client = app.ws(COORDINATOR);
    for (const [variant, query] of Object.entries(INTROSPECTION_QUERIES)) {
      const overHttp = await app.gql(COORDINATOR, query);
      expect(overHttp.status, variant).toBe(200);
      const viaHttp = schemaFrom(overHttp.body);
      const viaWs = schemaFrom(await overWs(client, query));
      expect(Object.keys(viaWs.getTypeMap()).sort(), variant).toEqual(Object.keys(viaHttp.getTypeMap()).sort());
    }
    const all = schemaFrom((await app.gql(COORDINATOR, INTROSPECTION_QUERIES.all)).body);
    expect(all.getType('Ipus')?.description).toBeTruthy();
  });

  it('for every role', async () => {
    for (const who of EVERY_ROLE) {
      schemaFrom((await app.gql(who, INTROSPECTION_QUERIES.all)).body);
      schemaFrom(await overWs(app.ws(who), INTROSPECTION_QUERIES.all));
    }
  });

  it('a deep ordinary query is refused at the same depth as before, beside introspection or in a fragment with it', async () => {
    const alone = await app.gql(COORDINATOR, nested(11));
    expect(alone.body.errors?.[0].extensions).toEqual({ code: 'QUERY_TOO_DEEP', limit: 12, actual: 13 });
    const inner = nested(11).slice(1, -1);
    const beside = await app.gql(COORDINATOR, `{ __schema { queryType { name } } ${inner} }`);
    expect(beside.body.errors?.[0].extensions).toEqual({ code: 'QUERY_TOO_DEEP', limit: 12, actual: 13 });
    const inFragment = await app.gql(COORDINATOR, `{ ...F } fragment F on Query { __type(name: "Ipus") { name } ${inner} }`);
    expect(inFragment.body.errors?.[0].extensions).toEqual({ code: 'QUERY_TOO_DEEP', limit: 12, actual: 13 });
    const deepOverWs = await overWs(app.ws(COORDINATOR), `{ __schema { queryType { name } } ${inner} }`);
    expect(codesOf(deepOverWs)).toEqual(['QUERY_TOO_DEEP']);
    // Twelve levels are fine beside introspection, as alone.
    expect((await app.gql(COORDINATOR, `{ __schema { queryType { name } } ${nested(10).slice(1, -1)} }`)).body.errors).toBeUndefined();
  });

  it('an ordinary selection cannot hide inside introspection, nor behind an alias named like it', async () => {
    app.statements.length = 0;
    const inside = await app.gql(COORDINATOR, '{ __schema { ... on Query { plans(first: 100) { nodes { id } } } } }');
    expect(inside.status).toBe(400);
    expect(codes(inside)).toContain('GRAPHQL_VALIDATION_FAILED');
    expect(app.statements).toEqual([]);
    const named = await app.gql(COORDINATOR, `{ __schema: ${nested(11).slice(2, -1)} }`);
    expect(named.body.errors?.[0].extensions).toEqual({ code: 'QUERY_TOO_DEEP', limit: 12, actual: 13 });
  });

  it('introspection is no way around cost: what is beside it is measured, and nothing may read the schema twice', async () => {
    const page = `gminy(first: 100) { nodes { terc name kind powiat { code name } wojewodztwo { code name } cusUnits { id name } } }`;
    const costly = Array.from({ length: 20 }, (_, i) => `g${i}: ${page}`).join(' ');
    const alone = await app.gql(COORDINATOR, `{ ${costly} }`);
    const beside = await app.gql(COORDINATOR, `{ __schema { types { name } } ${costly} }`);
    expect(codes(beside)).toEqual(['QUERY_TOO_COMPLEX']);
    expect(beside.body.errors?.[0].extensions).toEqual(alone.body.errors?.[0].extensions);

    // A schema read multiplied by aliases, on __schema or inside it, is refused at the first.
    const twice = await app.gql(COORDINATOR, '{ a: __schema { types { name } } b: __schema { types { name } } }');
    expect(twice.status).toBe(400);
    expect(twice.body.errors?.[0].extensions).toEqual({ code: 'TOO_MANY_ALIASES', limit: 0, actual: 2 });
    expect(twice.body.errors?.[0].message).toMatch(/none is allowed: each would read the schema again/);
    const inside = await app.gql(COORDINATOR, '{ __schema { a: types { name } } __type(name: "Ipus") { b: fields { name } } }');
    expect(inside.body.errors?.[0].extensions).toEqual({ code: 'TOO_MANY_ALIASES', limit: 0, actual: 2 });
    // Fragments that double up are counted once each, not walked 2^40 times.
    const levels = 40;
    const doubling = Array.from({ length: levels }, (_, i) =>
      i === levels - 1 ? `fragment T${i} on __Type { n: name }` : `fragment T${i} on __Type { ...T${i + 1} ...T${i + 1} }`,
    );
    const doubled = await app.gql(COORDINATOR, `{ __schema { types { ...T0 } } }\n${doubling.join('\n')}`);
    expect(doubled.body.errors?.[0].extensions).toEqual({ code: 'TOO_MANY_ALIASES', limit: 0, actual: 2 ** 39 });
    expect(codesOf(await overWs(app.ws(COORDINATOR), '{ a: __schema { types { name } } }'))).toEqual(['TOO_MANY_ALIASES']);

    // A type's fields inside another's inside another's grow with the schema's size to the power of the nesting: graphql-js's rule refuses them.
    const bomb = '{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }';
    const refused = await app.gql(COORDINATOR, bomb);
    expect(refused.status).toBe(400);
    expect(codes(refused)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(refused.body.errors?.[0].message).toBe('Maximum introspection depth exceeded');
    expect(codesOf(await overWs(app.ws(COORDINATOR), bomb))).toEqual(['GRAPHQL_VALIDATION_FAILED']);

    // Several types read under aliases are several small reads, counted as aliases.
    const types = await app.gql(COORDINATOR, '{ a: __type(name: "Ipus") { name } b: __type(name: "Resident") { name } }');
    expect(types.body).toEqual({ data: { a: { name: 'Ipus' }, b: { name: 'Resident' } } });
  });
});

describe('with INTROSPECTION=false', () => {
  let closed: TestApp;
  beforeAll(async () => {
    closed = await startTestApp({ INTROSPECTION: 'false' });
  });
  afterAll(async () => {
    await closed.close();
  });

  it('__schema and __type are refused with INTROSPECTION_DISABLED over HTTP and WebSocket, and nothing runs; __typename still works', async () => {
    const client = closed.ws(COORDINATOR);
    for (const query of [
      INTROSPECTION_QUERIES.all,
      '{ __type(name: "Ipus") { name } }',
      '{ viewer { role } ...F } fragment F on Query { __schema { queryType { name } } }',
    ]) {
      closed.statements.length = 0;
      const res = await closed.gql(COORDINATOR, query);
      expect(res.status).toBe(400);
      expect(codes(res)).toEqual(['INTROSPECTION_DISABLED']);
      expect(res.body.errors?.[0].message).toMatch(/^Introspection is switched off on this server: __(schema|type) cannot be read$/);
      expect(res.body.data).toBeUndefined();
      expect(codesOf(await overWs(client, query))).toEqual(['INTROSPECTION_DISABLED']);
      expect(closed.statements).toEqual([]);
    }
    const typename = '{ __typename viewer { __typename role } }';
    const expected = { __typename: 'Query', viewer: { __typename: 'Viewer', role: 'COORDINATOR' } };
    expect((await closed.gql(COORDINATOR, typename)).body).toEqual({ data: expected });
    expect(await overWs(client, typename)).toEqual({ data: expected });
  });

  it('is the default in production only, and takes true or false', () => {
    const production = { NODE_ENV: 'production', JWKS_URL: 'https://id.example.gov.pl/certs', APP_DB_PASSWORD: 'a-secret-of-the-gmina' };
    expect(loadConfig({}).introspection).toBe(true);
    expect(loadConfig(production).introspection).toBe(false);
    expect(loadConfig({ ...production, INTROSPECTION: 'true' }).introspection).toBe(true);
    expect(loadConfig({ INTROSPECTION: 'false' }).introspection).toBe(false);
    expect(() => loadConfig({ INTROSPECTION: 'no' })).toThrow(/INTROSPECTION must be true or false/);
  });
});
