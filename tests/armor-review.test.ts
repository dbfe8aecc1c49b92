import { costLimitRule } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { getIntrospectionQuery, parse, validate, type GraphQLError, type GraphQLSchema, type ValidationContext, type ValidationRule } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
// The schema first: it loads reflect-metadata, which the limits' page sizes (type-graphql classes) need.
import { platformSchema } from '../src/app.js';
import { limitRule } from '../src/platform/graphql/limits.js';
import { testConfig } from './support/app.js';

/**
 * Issue 22, item 9: should graphql-armor's plugins replace our operation limits
 * (src/platform/graphql/limits.ts)? Each case is played against the armor plugin set as we would
 * use it (our limits, fragments not counted as levels, introspection ignored as it offers) and
 * against our rule, on the platform's schema. tests/limits.test.ts shows our verdicts through the
 * server over HTTP and WebSocket.
 *
 * What follows: armor's cost limit is wrong for this schema (a page size from a variable counts as
 * 1) and for introspection (`__schema` costs nothing however often it is aliased); its depth limit
 * ignores `__schema` but counts `__type`. Its depth and alias counts agree with ours on ordinary
 * operations; ours stay because they are two terms of the one walk the cost limit needs anyway,
 * while armor's would be two more walks of every document, @envelop/core and armor's packages in
 * production, and errors whose only detail is their message (ours carry `limit` and `actual`).
 * Tokens are counted by graphql-js's parser (maxTokens), which stops at the limit; armor's token
 * plugin swaps the parser through an Envelop hook, which Apollo Server does not have.
 */
let schema: GraphQLSchema;
const limits = testConfig.limits;

beforeAll(async () => {
  schema = await platformSchema();
});

type ArmorRule = (options: {
  propagateOnRejection: boolean;
  onAccept: ((context: ValidationContext | null, details: { n: number }) => void)[];
  onReject: ((context: ValidationContext | null, error: GraphQLError) => void)[];
}) => ValidationRule;

/** An armor plugin's verdict: the number it found, and whether it refused. */
function armor(rule: ArmorRule, query: string): { n: number; refused: boolean } {
  let verdict = { n: Number.NaN, refused: false };
  validate(schema, parse(query), [
    rule({
      propagateOnRejection: false,
      onAccept: [
        (_context, { n }) => {
          verdict = { n, refused: false };
        },
      ],
      onReject: [
        (_context, error) => {
          verdict = { n: Number(/found ([\d.e+]+)/.exec(error.message)?.[1]), refused: true };
        },
      ],
    }),
  ]);
  return verdict;
}
const armorDepth: ArmorRule = (callbacks) => maxDepthRule({ n: limits.maxDepth, flattenFragments: true, ignoreIntrospection: true, ...callbacks });
const armorAliases: ArmorRule = (callbacks) => maxAliasesRule({ n: limits.maxAliases, allowList: [], ...callbacks });
const armorCost: ArmorRule = (callbacks) => costLimitRule({ maxCost: limits.maxCost, flattenFragments: true, ignoreIntrospection: true, ...callbacks });

/** Our rule's refusals: code and what the operation asked for. */
const ours = (query: string) => validate(schema, parse(query), [limitRule(limits)]).map((e) => [e.extensions.code, e.extensions.actual]);

const gminy = (first: string) => `gminy(first: ${first}) { nodes { terc name kind powiat { code name } wojewodztwo { code name } cusUnits { id name } } }`;
const twenty = (page: string) => Array.from({ length: 20 }, (_, i) => `g${i}: ${page}`).join(' ');

describe('graphql-armor against our operation limits', () => {
  it('cost-limit counts a page size from a variable as 1, so a variable hides a factor of 100', () => {
    const literal = `{ ${twenty(gminy('100'))} }`;
    const variable = `query($n: Int) { ${twenty(gminy('$n'))} }`;
    expect(armor(armorCost, literal).refused).toBe(true);
    // The same operation run with { n: 100 }, at a hundredth of the cost.
    expect(armor(armorCost, variable)).toEqual({ n: armor(armorCost, literal).n / 100, refused: false });
    expect(ours(literal)).toEqual([['QUERY_TOO_COMPLEX', expect.any(Number)]]);
    expect(ours(variable)).toEqual(ours(literal));
  });

  it('cost-limit and max-depth let __schema through at no cost and no depth, however often it is aliased', () => {
    // One such reading is some 7,700 values (about 50 ms of the event loop); thirty are one request.
    const reading = '__schema { types { fields { type { fields { name args { name type { name enumValues { name } } } } } } } }';
    const thirty = `{ ${Array.from({ length: 30 }, (_, i) => `s${i}: ${reading}`).join(' ')} }`;
    expect(armor(armorCost, thirty)).toEqual({ n: 0, refused: false });
    expect(armor(armorDepth, thirty)).toEqual({ n: 0, refused: false });
    expect(armor(armorAliases, thirty)).toEqual({ n: 30, refused: false });
    expect(ours(thirty)).toEqual([['TOO_MANY_ALIASES', 30]]);
    // Without ignoreIntrospection, max-depth refuses the introspection query every tool sends: issue 22's first item.
    const counting: ArmorRule = (callbacks) => maxDepthRule({ n: limits.maxDepth, flattenFragments: true, ignoreIntrospection: false, ...callbacks });
    expect(armor(counting, getIntrospectionQuery())).toEqual({ n: 15, refused: true });
    expect(ours(getIntrospectionQuery())).toEqual([]);
  });

  it('max-depth counts __type, which it does not ignore as it does __schema', () => {
    const typeRef = (levels: number): string => (levels === 0 ? 'kind name' : `kind name ofType { ${typeRef(levels - 1)} }`);
    // One type read with graphql-js's own type reference fragment, 9 ofType deep.
    const oneType = `{ __type(name: "Ipus") { name fields { name type { ...TypeRef } } } } fragment TypeRef on __Type { ${typeRef(9)} }`;
    expect(armor(armorDepth, oneType)).toEqual({ n: 13, refused: true });
    expect(ours(oneType)).toEqual([]);
  });

  it('max-depth agrees with ours on ordinary operations, fragments included', () => {
    let inner = 'id';
    for (let level = 12; level >= 1; level -= 1) inner = level % 2 === 1 ? `resident { ${inner} }` : `plans { ${inner} }`;
    const deep = `{ plans(first: 1) { nodes { ...F } } } fragment F on Ipus { ${inner} }`;
    expect(armor(armorDepth, deep)).toEqual({ n: 15, refused: true });
    expect(ours(deep)).toEqual([['QUERY_TOO_DEEP', 15]]);
  });

  it('max-aliases counts as ours does, fragments spread twice and doubling fragments included', () => {
    const aliases = (n: number) => Array.from({ length: n }, (_, i) => `a${i}: viewer { role }`).join(' ');
    expect(armor(armorAliases, `{ ${aliases(30)} }`)).toEqual({ n: 30, refused: false });
    expect(armor(armorAliases, `{ ${aliases(31)} }`)).toEqual({ n: 31, refused: true });
    expect(ours(`{ ${aliases(31)} }`)).toEqual([['TOO_MANY_ALIASES', 31]]);
    const twice = `{ ...A ...B } fragment A on Query { ...C } fragment B on Query { ...C } fragment C on Query { ${aliases(16)} }`;
    expect(armor(armorAliases, twice)).toEqual({ n: 32, refused: true });
    expect(ours(twice)).toEqual([['TOO_MANY_ALIASES', 32]]);
    const levels = 40;
    const doubling = Array.from({ length: levels }, (_, i) =>
      i === levels - 1 ? `fragment F${i} on Query { a: viewer { role } }` : `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`,
    );
    const doubled = `{ ...F0 } ${doubling.join(' ')}`;
    expect(armor(armorAliases, doubled)).toEqual({ n: 2 ** 39, refused: true });
    expect(ours(doubled)).toEqual([
      ['TOO_MANY_ALIASES', 2 ** 39],
      ['QUERY_TOO_COMPLEX', 2 * 2 ** 39],
    ]);
  });
});
