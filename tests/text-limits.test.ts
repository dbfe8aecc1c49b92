import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { getIntrospectionQuery, type IntrospectionQuery, type IntrospectionInputValue, type IntrospectionTypeRef } from 'graphql';
import { codes, Role, startTestApp, unique, type TestApp, type Who } from './support/app.js';
import { subscribe } from './support/subscriptions.js';
import { TEXT_LIMITS } from '../src/platform/graphql/text-limits.js';

/**
 * Issue 17, item 12: a NUL byte in any text argument gave INTERNAL_SERVER_ERROR, and text had no
 * length limit (a 100 KB name search took 3.5 s). Every text input now has a documented maximum and
 * a clear BAD_USER_INPUT, checked before anything runs.
 */
let app: TestApp;
const coordinator: Who = { role: Role.COORDINATOR, gminy: ['1417082'] };
const director: Who = { role: Role.DIRECTOR, gminy: ['1417082'] };

beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app?.close());

const RESIDENTS = 'query($f: ResidentFilter) { residents(first: 5, filter: $f) { totalCount } }';

describe('every text input has a documented maximum', () => {
  it('introspection states the maximum of every String and ID argument and input field', async () => {
    const { body } = await app.gql<IntrospectionQuery>(director, getIntrospectionQuery());
    expect(body.errors).toBeUndefined();
    const named = (ref: IntrospectionTypeRef): string => ('ofType' in ref && ref.ofType ? named(ref.ofType) : (ref as { name: string }).name);
    const missing: string[] = [];
    let inputs = 0;
    const check = (where: string, value: IntrospectionInputValue) => {
      if (!['String', 'ID'].includes(named(value.type))) return;
      inputs += 1;
      if (!/[\d,]+ characters at most\./.test(value.description ?? '')) missing.push(`${where}.${value.name}`);
    };
    for (const type of body.data!.__schema.types) {
      if (type.name.startsWith('__')) continue;
      if (type.kind === 'INPUT_OBJECT') for (const field of type.inputFields) check(type.name, field);
      if (type.kind === 'OBJECT') for (const field of type.fields) for (const arg of field.args) check(`${type.name}.${field.name}`, arg);
    }
    expect(inputs).toBeGreaterThan(100);
    expect(missing).toEqual([]);
  });
});

describe('refused with BAD_USER_INPUT, before anything runs', () => {
  it('a NUL byte in a search, given as a variable or written in the document', async () => {
    const asVariable = await app.gql(coordinator, RESIDENTS, { f: { nameContains: 'Hel\u0000ena' } });
    expect(codes(asVariable)).toEqual(['BAD_USER_INPUT']);
    expect(asVariable.body.errors?.[0].message).toMatch(/filter\.nameContains may not contain the NUL character/);
    const inline = await app.gql(coordinator, '{ residents(first: 5, filter: { nameContains: "Hel\\u0000ena" }) { totalCount } }');
    expect(codes(inline)).toEqual(['BAD_USER_INPUT']);
  });

  it('a 100 KB name search', async () => {
    const long = await app.gql(coordinator, RESIDENTS, { f: { nameContains: 'a'.repeat(100_000) } });
    expect(codes(long)).toEqual(['BAD_USER_INPUT']);
    expect(long.body.errors?.[0].message).toContain(`longer than ${TEXT_LIMITS.search} characters`);
    const atLimit = await app.gql(coordinator, RESIDENTS, { f: { nameContains: 'a'.repeat(TEXT_LIMITS.search) } });
    expect(atLimit.body.errors).toBeUndefined();
  });

  it('a text too long deep inside a mutation input changes nothing', async () => {
    const lastName = unique('Za-długa');
    const create = (street: string) =>
      app.gql(coordinator, `mutation($input: ResidentCreateInput!) { residentCreate(input: $input) { resident { id } userErrors { code } } }`, {
        input: { firstName: 'Ewa', lastName, address: { street, postalCode: '05-462', city: 'Wiązowna' } },
      });
    const refused = await create('x'.repeat(TEXT_LIMITS.short + 1));
    expect(codes(refused)).toEqual(['BAD_USER_INPUT']);
    expect(refused.body.errors?.[0].message).toContain('input.address.street is longer than');
    const found = await app.gql(coordinator, RESIDENTS, { f: { nameContains: lastName } });
    expect(found.body.data.residents.totalCount).toBe(0);
    const accepted = await create('ul. Lipowa 1');
    expect(accepted.body.data.residentCreate.userErrors).toEqual([]);
  });

  it('over WebSocket too', async () => {
    const sub = subscribe(app.ws(coordinator), RESIDENTS, { f: { nameContains: '\u0000' } });
    await sub.ended;
    const errors = sub.results.flatMap((r) => r.errors ?? []);
    expect(errors.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  });

  it('property: a NUL anywhere in any text of a search is BAD_USER_INPUT, never an internal error', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ maxLength: 40 }),
        fc.string({ maxLength: 40 }),
        fc.constantFrom('partners', 'residents', 'gminy'),
        async (before, after, root) => {
          const filter = root === 'gminy' ? 'GminaFilter' : root === 'partners' ? 'PartnerFilter' : 'ResidentFilter';
          const response = await app.gql(director, `query($f: ${filter}) { ${root}(first: 1, filter: $f) { totalCount } }`, {
            f: { nameContains: `${before}\u0000${after}` },
          });
          expect(codes(response)).toEqual(['BAD_USER_INPUT']);
        },
      ),
      { numRuns: 40, seed: 17 },
    );
  });
});
