import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Role, type Who } from './support/app.js';
import { bothAnswers, selectionOf, startPair, type Pair } from './support/compiled-differential.js';
import { DEMO_PARTNERS } from '../seeds/demo/catalogue.js';
import { ServiceArea, TargetGroup } from '../src/modules/common/domain.enums.js';
import { ProviderKind, ServiceStatus } from '../src/modules/catalogue/service.entity.js';
import { CATALOGUE_SEARCH } from '../bench/operations.js';

/*
 * The catalogue search, compiled and resolved (issue 23; src/modules/catalogue/services.compiled.ts):
 * for random selections, filters, searches, page sizes and readers, the server that answers by one
 * statement and the one that resolves (the reference) answer the same bytes.
 */

const WIAZOWNA = '1417082';
const KOBYLKA = '1434011';
const READERS: Who[] = [
  { role: Role.COORDINATOR, gminy: [WIAZOWNA] },
  { role: Role.SERVICES_ORGANISER, gminy: [WIAZOWNA] },
  { role: Role.DIRECTOR, gminy: [KOBYLKA] },
  { role: Role.GMINA_OFFICIAL, gminy: [WIAZOWNA] },
  { role: Role.PARTNER, partner: DEMO_PARTNERS.razem },
  { role: Role.PARTNER, partner: DEMO_PARTNERS.rehaMobil },
  // Refused by the root's role, the same way on both.
  { role: Role.MINISTRY },
];

let pair: Pair;

beforeAll(async () => {
  pair = await startPair();
});

afterAll(async () => {
  await Promise.all([pair?.compiled.close(), pair?.resolved.close()]);
});

const named = (fields: string[]) => selectionOf(fields);
const service = selectionOf([
  'id',
  '__typename',
  'name',
  'description',
  'area',
  'targetGroups',
  'online',
  'onlineUrl',
  'eligibility',
  'status',
  [
    'provider',
    selectionOf([
      'kind',
      'unitName',
      '__typename',
      ['partner', named(['id', 'name', '__typename'])],
      ['cusUnit', named(['id', 'name', 'monitoringIntervalDays'])],
    ]),
  ],
  ['gminy', named(['id', 'terc', 'name', 'kind', 'capital', '__typename'])],
]);

const keysOf = (values: object) => Object.keys(values);
// One or two conditions, so that many searches find something.
const condition = fc.oneof(
  fc.subarray(keysOf(ServiceArea), { minLength: 1, maxLength: 4 }).map((areas) => ({ areas })),
  fc.subarray(keysOf(TargetGroup), { minLength: 1, maxLength: 4 }).map((targetGroups) => ({ targetGroups })),
  fc.constantFrom(WIAZOWNA, KOBYLKA, '1465011').map((gmina) => ({ gmina })),
  fc.boolean().map((online) => ({ online })),
  fc.subarray(keysOf(ServiceStatus), { minLength: 1, maxLength: 3 }).map((statuses) => ({ statuses })),
  fc.constantFrom(...keysOf(ProviderKind)).map((providerKind) => ({ providerKind })),
);
const filter = fc.tuple(condition, fc.option(condition, { nil: {} })).map(([a, b]) => ({ ...a, ...b }));
// Words of the demo's services, without diacritics and as prefixes, a blank, nonsense, and one too long (refused).
const search = fc.constantFrom('opiek', 'uslugi opiekuncze', 'Asystent', 'transport', '   ', 'zzqx', 'o'.repeat(201));

const operation = fc
  .record({
    nodes: service,
    filter: fc.option(filter, { nil: undefined, freq: 2 }),
    search: fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: search }),
    first: fc.option(fc.oneof(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 100 })), { nil: undefined }),
    totalCount: fc.boolean(),
    pageInfo: fc.option(named(['hasNextPage', 'hasPreviousPage', 'startCursor', 'endCursor', '__typename']), { nil: undefined }),
  })
  .map(({ nodes, filter, search, first, totalCount, pageInfo }) => {
    const extra = `${totalCount ? 'totalCount ' : ''}${pageInfo ? `pageInfo { ${pageInfo} } ` : ''}`;
    const args = ['filter: $filter', 'search: $search', ...(first === undefined ? [] : [`first: ${first}`])].join(', ');
    return {
      query: `query Catalogue($filter: ServiceFilter, $search: String) { services(${args}) { ${extra}nodes { ${nodes} } } }`,
      variables: { filter: filter ?? null, search: search ?? null },
    };
  });

const answeredByStatement = () => pair.compiled.statements.some((s) => s.includes('select s.* from service s'));

describe('the catalogue search, compiled and resolved', () => {
  it("the bench's catalogue search answers the same, by one statement", async () => {
    for (const who of READERS.slice(0, 5)) {
      const { mine, reference } = await bothAnswers(pair, who, CATALOGUE_SEARCH, { search: null, filter: null });
      expect(answeredByStatement()).toBe(true);
      expect(mine).toEqual(reference);
      expect(JSON.parse(mine.body).data.services.nodes.length).toBeGreaterThan(0);
    }
  });

  it('any selection, filter, search, page size and reader: the same answer', async () => {
    let byStatement = 0;
    let found = 0;
    await fc.assert(
      fc.asyncProperty(operation, fc.constantFrom(...READERS), async ({ query, variables }, who) => {
        const { mine, reference } = await bothAnswers(pair, who, query, variables);
        expect(mine, `${query} ${JSON.stringify(variables)}`).toEqual(reference);
        if (answeredByStatement()) byStatement += 1;
        if ((JSON.parse(mine.body).data?.services?.nodes?.length ?? 0) > 0) found += 1;
      }),
      { numRuns: 150 },
    );
    expect(byStatement).toBeGreaterThan(75);
    expect(found).toBeGreaterThan(30);
  });

  it('what it does not compile (a cursor, the RECENT order, edges, a field without a rule, a bad id) goes through the resolvers', async () => {
    const who = READERS[0];
    const first = await bothAnswers(pair, who, 'query { services(first: 2) { pageInfo { endCursor } } }');
    const cursor = JSON.parse(first.reference.body).data.services.pageInfo.endCursor;
    expect(cursor).toEqual(expect.any(String));
    for (const query of [
      `query { services(first: 5, after: "${cursor}") { nodes { id name } } }`,
      'query { services(first: 5, orderBy: RECENT) { nodes { id name } } }',
      'query { services(first: 5) { edges { cursor node { id } } } }',
      'query { services(first: 5) { nodes { id fee { kind amount } } } }',
      'query { services(first: 5) { nodes { id createdAt } } }',
      'query { services(first: 5, filter: { partnerId: "bm90IGFuIGlk" }) { nodes { id } } }',
      'query { services(first: 5) { nodes { id gminy { powiat { code } } } } }',
    ]) {
      const { mine, reference } = await bothAnswers(pair, who, query);
      expect(answeredByStatement(), query).toBe(false);
      expect(mine, query).toEqual(reference);
    }
    // Texts the schema's wrappers refuse (text-limits.ts) are refused the same way: the compiled path runs their check.
    for (const search of ['opieka\u0000', 'a'.repeat(5000)]) {
      const { mine, reference } = await bothAnswers(pair, who, 'query($s: String) { services(search: $s) { totalCount nodes { id } } }', { s: search });
      expect(answeredByStatement()).toBe(false);
      expect(mine).toEqual(reference);
      expect(JSON.parse(mine.body).errors[0].extensions.code).toBe('BAD_USER_INPUT');
    }
  });
});
