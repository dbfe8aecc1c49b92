import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Role, rawAsOwner, type Who } from './support/app.js';
import { ownNationalDatabase, type OwnDatabase } from './support/own-database.js';
import { bothAnswers, selectionOf, startPair, type Pair } from './support/compiled-differential.js';
import { addDays, today } from './support/fixtures.js';
import { DEMO_PARTNERS } from '../seeds/demo/catalogue.js';
import { PARTNER_WEEK } from '../bench/operations.js';

/*
 * The partner's schedule, compiled and resolved (issue 23; src/modules/delivery/partner-work.compiled.ts):
 * for random selections, windows, page sizes and partners, the server that answers by one statement
 * and the one that resolves (the reference) answer the same bytes and write the same access log.
 */

const partner = (id: string): Who => ({ role: Role.PARTNER, partner: id });

let database: OwnDatabase;
let pair: Pair;
/** The national dataset's three partners with the most weekly items served now, the demo's two with a weekly item and none, and a coordinator. */
let PARTNERS: Who[];

beforeAll(async () => {
  // The demo has one weekly partner item; the national generator's partners have many, with their deliveries.
  database = await ownNationalDatabase('compiled-schedule', 0.01);
  pair = await startPair(database);
  const busiest = await rawAsOwner<{ partner_id: string }>(
    `select i.partner_id from ipus_item i join ipus p on p.id = i.ipus_id
     where i.partner_id is not null and i.weekdays is not null and p.status in ('APPROVED', 'ACTIVE') and i.end_on >= current_date
     group by i.partner_id order by count(*) desc, i.partner_id limit 3`,
    [],
    database.ownerUrl,
  );
  expect(busiest.length).toBe(3);
  PARTNERS = [
    ...busiest.map((row) => partner(row.partner_id)),
    partner(DEMO_PARTNERS.rehaMobil),
    partner(DEMO_PARTNERS.razem),
    // Refused by the root's role, the same way on both.
    { role: Role.COORDINATOR, gminy: ['1417082'] },
  ];
}, 120_000);

afterAll(async () => {
  await Promise.all([pair?.compiled.close(), pair?.resolved.close()]);
  await database?.drop();
});

const named = (fields: string[]) => selectionOf(fields);
const person = selectionOf(['firstName', 'lastName', 'phone', 'email', '__typename', ['address', named(['street', 'postalCode', 'city', '__typename'])]]);
const progress = named(['planned', 'delivered', 'deliveredSessions', 'deliveredHours', 'residentAbsent', 'cancelled', 'lastDeliveredOn', '__typename']);
const assignment = selectionOf([
  'id',
  '__typename',
  'planStatus',
  'planActivatedOn',
  'planClosedOn',
  'coordinatorName',
  'placeKind',
  'weekdays',
  'startsAt',
  'endsAt',
  'sessionCount',
  'startOn',
  'endOn',
  'quantity',
  'quantityUnit',
  'gmina',
  ['person', person],
  ['service', named(['id', 'name', '__typename'])],
  ['progress', progress],
]);
const visit = selectionOf([
  'date',
  'startsAt',
  'endsAt',
  '__typename',
  ['assignment', assignment],
  ['delivery', named(['id', '__typename', 'outcome', 'durationMinutes', 'deliveredOn', 'startsAt'])],
]);

const QUERY_HEADER = 'query Week($from: LocalDate!, $to: LocalDate!)';

const operation = fc
  .record({
    nodes: visit,
    // Around today: the demo's deliveries lie in the weeks before it, its plans run on after it.
    start: fc.integer({ min: -75, max: 30 }),
    // Mostly a valid window; sometimes one the schedule refuses (backwards, or longer than 31 days).
    days: fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 1, max: 31 }) }, { weight: 1, arbitrary: fc.integer({ min: -3, max: 40 }) }),
    first: fc.option(fc.oneof(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 100 })), { nil: undefined }),
    typename: fc.boolean(),
    totalCount: fc.boolean(),
    pageInfo: fc.option(named(['hasNextPage', 'hasPreviousPage', 'startCursor', 'endCursor', '__typename']), { nil: undefined }),
  })
  .map(({ nodes, start, days, first, typename, totalCount, pageInfo }) => {
    const from = addDays(today(), start);
    const extra = `${typename ? '__typename ' : ''}${totalCount ? 'totalCount ' : ''}${pageInfo ? `pageInfo { ${pageInfo} } ` : ''}`;
    const args = `from: $from, to: $to${first === undefined ? '' : `, first: ${first}`}`;
    return { query: `${QUERY_HEADER} { schedule(${args}) { ${extra}nodes { ${nodes} } } }`, variables: { from, to: addDays(from, days - 1) } };
  });

const answeredByStatement = () => pair.compiled.statements.some((s) => s.includes('select a.*, d.day::date as day'));

describe('the partner schedule, compiled and resolved', () => {
  it("the bench's partner week answers the same and logs the same, by one statement, deliveries included", async () => {
    const variables = { from: addDays(today(), -30), to: addDays(today(), -1) };
    let delivered = 0;
    for (const who of PARTNERS.slice(0, 4)) {
      const { mine, reference } = await bothAnswers(pair, who, PARTNER_WEEK, variables);
      expect(answeredByStatement()).toBe(true);
      expect(mine).toEqual(reference);
      const nodes = JSON.parse(mine.body).data.schedule.nodes as { delivery: unknown }[];
      expect(nodes.length).toBeGreaterThan(0);
      expect(mine.log.length).toBeGreaterThan(0);
      delivered += nodes.filter((n) => n.delivery !== null).length;
    }
    // The demo's partners recorded sessions in that month: the comparison covers deliveries, not only nulls.
    expect(delivered).toBeGreaterThan(0);
  });

  it('any selection, window, page size and partner: the same answer and the same log', async () => {
    let byStatement = 0;
    let withVisits = 0;
    await fc.assert(
      fc.asyncProperty(operation, fc.nat(), async ({ query, variables }, pick) => {
        const who = PARTNERS[pick % PARTNERS.length];
        const { mine, reference } = await bothAnswers(pair, who, query, variables);
        expect(mine, `${query} ${JSON.stringify(variables)}`).toEqual(reference);
        if (answeredByStatement()) byStatement += 1;
        if (mine.log.length > 0) withVisits += 1;
      }),
      { numRuns: 100 },
    );
    // Five of six principals are partners and six of seven windows are valid: most runs were compiled.
    expect(byStatement).toBeGreaterThan(50);
    // And many of them showed sessions (not only empty weeks).
    expect(withVisits).toBeGreaterThan(25);
  });

  it('what it does not compile (a cursor, edges, a field without a rule, a fragment) goes through the resolvers', async () => {
    const who = PARTNERS[0];
    const variables = { from: addDays(today(), -20), to: addDays(today(), 5) };
    const first = await bothAnswers(pair, who, `${QUERY_HEADER} { schedule(from: $from, to: $to, first: 2) { pageInfo { endCursor } } }`, variables);
    const cursor = JSON.parse(first.reference.body).data.schedule.pageInfo.endCursor;
    expect(cursor).toEqual(expect.any(String));
    for (const query of [
      `${QUERY_HEADER} { schedule(from: $from, to: $to, first: 5, after: "${cursor}") { nodes { date assignment { id } } } }`,
      `${QUERY_HEADER} { schedule(from: $from, to: $to, first: 5) { edges { cursor node { date } } } }`,
      `${QUERY_HEADER} { schedule(from: $from, to: $to, first: 5) { nodes { date delivery { note recordedAt } } } }`,
      `${QUERY_HEADER} { schedule(from: $from, to: $to, first: 5) { nodes { date assignment { commission { id } deliveries { id } } } } }`,
      `${QUERY_HEADER} { schedule(from: $from, to: $to, first: 5) { nodes { ...on ScheduledVisit { date } } } }`,
    ]) {
      const { mine, reference } = await bothAnswers(pair, who, query, variables);
      expect(answeredByStatement(), query).toBe(false);
      expect(mine, query).toEqual(reference);
    }
  });

  it('a time with a fraction of a second is refused where it is taken in (PostgreSQL would print it as neither path can give it back), and nothing is written', async () => {
    const who = PARTNERS[0];
    const { mine } = await bothAnswers(pair, who, `${QUERY_HEADER} { schedule(from: $from, to: $to, first: 1) { nodes { assignment { id } } } }`, {
      from: addDays(today(), -7),
      to: today(),
    });
    const assignmentId = JSON.parse(mine.body).data.schedule.nodes[0].assignment.id as string;
    const count = async () => (await rawAsOwner<{ n: number }>('select count(*)::int as n from delivery', [], database.ownerUrl))[0].n;
    const before = await count();
    const record = 'mutation($input: DeliveryRecordInput!) { deliveryRecord(input: $input) { delivery { id } userErrors { code } } }';
    const input = { assignmentId, deliveredOn: addDays(today(), -1), durationMinutes: 30, outcome: 'DELIVERED' };
    for (const startsAt of ['10:00:00.500', '10:00:00.5', '09:30:00.000']) {
      const response = await pair.compiled.gql(who, record, { input: { ...input, startsAt } });
      expect(response.body.errors?.[0].extensions?.code, startsAt).toBe('BAD_USER_INPUT');
      expect(response.body.errors?.[0].message).toMatch(/to the second/);
      const literal = await pair.compiled.gql(
        who,
        `mutation { deliveryRecord(input: { assignmentId: "${assignmentId}", deliveredOn: "${input.deliveredOn}", startsAt: "${startsAt}", durationMinutes: 30, outcome: DELIVERED }) { delivery { id } } }`,
        {},
      );
      expect(literal.body.errors?.[0].message, startsAt).toMatch(/to the second/);
    }
    expect(await count()).toBe(before);
  });
});
