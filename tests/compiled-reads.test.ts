import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Role, type TestApp, type Who } from './support/app.js';
import { answer, selectionOf, startPair } from './support/compiled-differential.js';
import { COORDINATOR_DASHBOARD } from '../bench/operations.js';

/*
 * Differential tests of the compiled read path (issue 23, src/platform/graphql/compiled): the same
 * operation, as the same principal, sent to a server that compiles it and to one that resolves it
 * (COMPILED_READS=false, the reference) answers the same, byte for byte, and writes the same access
 * log. Selections, page sizes, aliases and principals are drawn at random.
 */

const WIAZOWNA = '1417082';
const KOBYLKA = '1434011';
const PRINCIPALS: Who[] = [
  { role: Role.COORDINATOR, gminy: [WIAZOWNA] },
  { role: Role.DIRECTOR, gminy: [WIAZOWNA] },
  { role: Role.SERVICES_ORGANISER, gminy: [WIAZOWNA] },
  { role: Role.DIRECTOR, gminy: [KOBYLKA] },
  { role: Role.MINISTRY },
];

let compiled: TestApp;
let resolved: TestApp;

beforeAll(async () => {
  ({ compiled, resolved } = await startPair());
});

afterAll(async () => {
  await Promise.all([compiled?.close(), resolved?.close()]);
});

const named = (fields: string[]) => selectionOf(fields);
const nextVisits = fc.integer({ min: 1, max: 31 }).map((n) => `nextVisits(first: ${n})`);
const item = selectionOf([
  'id',
  '__typename',
  'position',
  'weekdays',
  'startsAt',
  'endsAt',
  'keepsHolidays',
  'startOn',
  'endOn',
  'sessionCount',
  'providerKind',
  'placeKind',
  'note',
  ['service', named(['id', 'name', '__typename'])],
  ['partner', named(['id', 'name', '__typename'])],
]);
const plan = fc.tuple(
  selectionOf([
    'id',
    '__typename',
    'status',
    'periodStart',
    'periodEnd',
    'revision',
    'coordinatorName',
    ['resident', named(['id', 'firstName', 'lastName'])],
    ['items', item],
  ]),
  fc.option(nextVisits, { nil: undefined }),
);
const operation = fc
  .record({
    node: plan,
    // Small pages often: the demo's gminy hold a few plans, and a page that ends early shows hasNextPage.
    first: fc.option(fc.oneof(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 100 })), { nil: undefined }),
    typename: fc.boolean(),
    asVariable: fc.boolean(),
    totalCount: fc.boolean(),
    pageInfo: fc.option(named(['hasNextPage', 'hasPreviousPage', 'startCursor', 'endCursor', '__typename']), { nil: undefined }),
  })
  .map(({ node: [fields, visits], first, typename, asVariable, totalCount, pageInfo }) => {
    const nodes = visits ? `${fields} v: items { ${visits} }` : fields;
    const extra = `${totalCount ? 'totalCount ' : ''}${pageInfo ? `pageInfo { ${pageInfo} } ` : ''}`;
    const args = first === undefined ? '' : asVariable ? '(first: $first)' : `(first: ${first})`;
    const header = asVariable && first !== undefined ? 'query Plans($first: Int)' : 'query Plans';
    return {
      query: `${header} { plans${args} { ${typename ? '__typename ' : ''}${extra}nodes { ${nodes} } } }`,
      variables: asVariable && first !== undefined ? { first } : {},
    };
  });

/** Whether the compiled server answered with its one statement. */
const answeredByStatement = (app: TestApp) => app.statements.some((s) => s.includes('with fetched as ('));

describe('plans, compiled and resolved', () => {
  it('the dashboard answers the same and logs the same, by one statement', async () => {
    for (const who of PRINCIPALS.slice(0, 2)) {
      compiled.statements.length = 0;
      const [mine, reference] = [await answer(compiled, who, COORDINATOR_DASHBOARD, {}), await answer(resolved, who, COORDINATOR_DASHBOARD, {})];
      expect(answeredByStatement(compiled)).toBe(true);
      expect(mine).toEqual(reference);
      expect(mine.log.length).toBeGreaterThan(0);
      expect(JSON.parse(mine.body).data.plans.nodes.length).toBeGreaterThan(0);
    }
  });

  it('any selection, page size and principal: the same answer and the same log', async () => {
    let byStatement = 0;
    await fc.assert(
      fc.asyncProperty(operation, fc.constantFrom(...PRINCIPALS), async ({ query, variables }, who) => {
        compiled.statements.length = 0;
        const [mine, reference] = [await answer(compiled, who, query, variables), await answer(resolved, who, query, variables)];
        expect(mine, query).toEqual(reference);
        if (answeredByStatement(compiled)) byStatement += 1;
      }),
      { numRuns: 100 },
    );
    // Every staff principal's operation compiles (the ministry's is refused by the resolvers): most runs were compiled ones.
    expect(byStatement).toBeGreaterThan(50);
  });

  it('what it does not compile (a filter, a cursor, a page out of range, edges, a field without a rule) goes through the resolvers', async () => {
    const who = PRINCIPALS[0];
    const first = JSON.parse((await answer(resolved, who, 'query { plans(first: 1) { pageInfo { endCursor } } }', {})).body);
    const cursor = first.data.plans.pageInfo.endCursor;
    for (const query of [
      'query { plans(first: 5, filter: { statuses: [ACTIVE] }) { nodes { id } } }',
      `query { plans(first: 5, after: "${cursor}") { nodes { id } } }`,
      'query { plans(first: 101) { nodes { id } } }',
      'query { plans(first: 5) { edges { cursor node { id } } } }',
      'query { plans(first: 5) { pageInfo { endCursor } nodes { id goals { description } } } }',
      'query { plans(first: 5) { nodes { id items { nextVisits(first: 40) } } } }',
      'query { plans(first: 5) { nodes { ...on Ipus { id } } } }',
    ]) {
      compiled.statements.length = 0;
      const [mine, reference] = [await answer(compiled, who, query, {}), await answer(resolved, who, query, {})];
      expect(answeredByStatement(compiled), query).toBe(false);
      expect(mine, query).toEqual(reference);
    }
  });
});

describe('plans, compiled and resolved, in the corners a review found', () => {
  it('a null variable for nextVisits(first:) is answered by the resolvers, as they answer it', async () => {
    const query = 'query Q($n: Int) { plans(first: 3) { nodes { id items { nextVisits(first: $n) } } } }';
    for (const who of [PRINCIPALS[0], PRINCIPALS[3]]) {
      compiled.statements.length = 0;
      const [mine, reference] = [await answer(compiled, who, query, { n: null }), await answer(resolved, who, query, { n: null })];
      expect(answeredByStatement(compiled)).toBe(false);
      expect(mine).toEqual(reference);
    }
  });

  // Last in the file: it merges a demo resident's record into another.
  it('a plan of a merged record shows the record it was merged into, and the log names both as the resolvers do', async () => {
    const coordinator = PRINCIPALS[0];
    const director = PRINCIPALS[1];
    const first = JSON.parse((await answer(resolved, coordinator, 'query { plans(first: 1) { nodes { resident { id birthDate } } } }', {})).body);
    const merged = first.data.plans.nodes[0].resident;
    const created = await compiled.gql(
      coordinator,
      `mutation($input: ResidentCreateInput!) { residentCreate(input: $input) { resident { id } userErrors { code message } } }`,
      {
        input: { gmina: WIAZOWNA, firstName: 'Scalona', lastName: 'Osoba', birthDate: merged.birthDate },
      },
    );
    expect(created.body.data.residentCreate.userErrors).toEqual([]);
    const keep = created.body.data.residentCreate.resident.id;
    const merge = await compiled.gql(
      director,
      `mutation($input: ResidentMergeInput!) { residentMerge(input: $input) { resident { id } userErrors { code message } } }`,
      {
        input: { keepId: keep, mergeId: merged.id, reason: 'Ta sama osoba' },
      },
    );
    expect(merge.body.data.residentMerge.userErrors).toEqual([]);

    const query = 'query { plans(first: 50) { nodes { id resident { id firstName } items { position } } } }';
    compiled.statements.length = 0;
    const [mine, reference] = [await answer(compiled, coordinator, query, {}), await answer(resolved, coordinator, query, {})];
    expect(answeredByStatement(compiled)).toBe(true);
    expect(mine).toEqual(reference);
    expect(JSON.parse(mine.body).data.plans.nodes.map((n: { resident: { id: string } }) => n.resident.id)).toContain(keep);
    expect(mine.log.map((row) => row.operation)).toContain('query plans.nodes.resident');
  });
});
