import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes, Role, startTestApp, type TestApp } from './support/app.js';
import { subscribe } from './support/subscriptions.js';

/**
 * Limits on the shape of an operation (issue 8, "Limits against abuse"): depth, aliases, estimated
 * cost and tokens, each refused before anything runs with a code of its own, over HTTP and WebSocket;
 * batched HTTP requests are refused. The defaults: depth 12, 30 aliases, cost 25,000, 5,000 tokens.
 */
let app: TestApp;
const COORDINATOR = { role: Role.COORDINATOR, gminy: ['1417082'] };

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
      (i === levels - 1 ? `fragment F${i} on Query { __typename viewer { role } }` : `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`));
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
