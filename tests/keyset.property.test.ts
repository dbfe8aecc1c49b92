import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import pg from 'pg';
import { G } from '../seeds/demo/catalogue.js';
import { Role, startTestApp, type GraphQLResponse, type TestApp } from './support/app.js';
// After the app: the server's modules load reflect-metadata, which type-graphql's decorators here need.
import { toGlobalId, uuidFromGlobalId } from '../src/platform/graphql/node.js';
import { ownDemoDatabase, type OwnDatabase } from './support/own-database.js';
import { staff } from './support/fixtures.js';

/**
 * The one keyset pagination (src/platform/graphql/keyset.ts), as a property: whatever the sort keys
 * (drawn from a few values, so most rows tie on all but the id) and whatever the page sizes, walking
 * a list page by page gives every row once, in the list's order, and pageInfo agrees. Three lists:
 * plans (findPage, latest period first then id ascending: mixed directions), residents (findPage over
 * three text-and-id parts, Polish letters and case), and each community plan's activities (the batched
 * page-per-parent helper, every plan paged with its own first and after in one request).
 *
 * The suite has a database of its own: each run rewrites the sort keys of the demo rows and of copies
 * of them, which would disturb other suites.
 */
const RUNS = Number(process.env.KEYSET_RUNS ?? 20);
const SEED = Number(process.env.KEYSET_SEED ?? 20261207);
/** Rows each list holds (the demo's and copies of them). */
const ROWS = 40;

const GMINA = G.wiazowna;
const director = staff(Role.DIRECTOR, String(GMINA).padStart(7, '0'));
const DAYS = ['2020-01-01', '2020-01-02', '2020-02-29', '2021-12-31'];
const LAST_NAMES = ['Nowak', 'nowak', 'Żak', 'Zając', 'Ąbel', 'Abel'];
const FIRST_NAMES = ['Anna', 'anna', 'Ola', 'Óla'];

let db: OwnDatabase;
let app: TestApp;
let owner: pg.Client;
let communityPlans: string[];

/** Copies rows of `table` matching `where` (new ids, generated and identity columns left to the database) until it holds `total`. */
async function fillTo(table: string, where: string, total: number, overrides: Record<string, string> = {}): Promise<void> {
  const { rows: columns } = await owner.query<{ name: string }>(
    `select attname as name from pg_attribute where attrelid = $1::regclass and attnum > 0 and not attisdropped
       and attgenerated = '' and attidentity = '' order by attnum`,
    [table],
  );
  const names = columns.map((c) => c.name);
  const values = names.map((name) => (name === 'id' ? 'gen_random_uuid()' : (overrides[name] ?? `t.${name}`)));
  const { rows } = await owner.query<{ n: number }>(`select count(*)::int as n from ${table} t where ${where}`);
  const missing = total - rows[0].n;
  if (missing <= 0) return;
  await owner.query(
    `insert into ${table} (${names.join(', ')})
    select ${values.join(', ')} from generate_series(1, $1) g cross join lateral (select * from ${table} t where ${where} order by random() limit 1) t`,
    [missing],
  );
}

beforeAll(async () => {
  db = await ownDemoDatabase('keyset');
  app = await startTestApp({}, db.appUrl);
  owner = new pg.Client({ connectionString: db.ownerUrl });
  await owner.connect();
  // Sort keys are rewritten freely: no revision, outbox or audit trigger is wanted for that.
  await owner.query(`set session_replication_role = replica`);
  await fillTo('resident', `t.gmina_id = ${GMINA} and t.merged_into is null`, ROWS, { pesel: 'null' });
  // Copies of plans are terminated ones: one live plan per application.
  await fillTo('ipus', `t.gmina_id = ${GMINA}`, ROWS, {
    status: `'TERMINATED'`,
    termination_reason: `'copy'`,
    termination_code: `'OTHER'`,
    closed_on: 't.period_end',
  });
  communityPlans = (await owner.query<{ id: string }>(`select p.id from community_plan p where p.gmina_id = ${GMINA} order by p.id limit 3`)).rows.map(
    (r) => r.id,
  );
  expect(communityPlans.length).toBeGreaterThan(0);
  for (const plan of communityPlans) await fillTo('community_activity', `t.plan_id = '${plan}'`, ROWS / 2, { ends_on: 'null' });
}, 180_000);

afterAll(async () => {
  await owner?.end();
  await app?.close();
  await db?.drop();
});

/** The keys of the run: one drawn value per row, in id order. */
const keyIndexes = (count: number, choices: number) => fc.array(fc.nat(choices - 1), { minLength: count, maxLength: count });
/** Mostly small pages (many of them per walk), sometimes one past the end. */
const pageSizes = fc.array(fc.oneof(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: ROWS + 2 })), { minLength: 1, maxLength: 6 });

async function setKeys(table: string, where: string, assign: (id: string, i: number) => unknown[], set: string): Promise<void> {
  const ids = (await owner.query<{ id: string }>(`select id from ${table} where ${where} order by id`)).rows.map((r) => r.id);
  for (const [i, id] of ids.entries()) await owner.query(`update ${table} set ${set} where id = $1`, [id, ...assign(id, i)]);
}

async function orderedIds(sql: string, params: unknown[] = []): Promise<string[]> {
  return (await owner.query<{ id: string }>(sql, params)).rows.map((r) => r.id);
}

interface Walked {
  ids: string[];
  pages: number;
}

/** Walks a root connection with the given page sizes in turn, checking each page's pageInfo. */
async function walk(field: string, type: string, sizes: number[], filter = ''): Promise<Walked> {
  const ids: string[] = [];
  let after: string | null = null;
  for (let page = 0; ; page++) {
    const first = sizes[page % sizes.length];
    const res: GraphQLResponse = await app.gql(
      director,
      `query($first: Int, $after: String) { ${field}(first: $first, after: $after${filter}) {
      edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } totalCount } }`,
      { first, after },
    );
    expect(res.body.errors).toBeUndefined();
    const connection: {
      edges: unknown[];
      pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
      totalCount: number;
    } = res.body.data[field];
    const edges = connection.edges as { cursor: string; node: { id: string } }[];
    expect(edges.length).toBeLessThanOrEqual(first);
    expect(connection.pageInfo.hasPreviousPage).toBe(after !== null);
    expect(connection.pageInfo.startCursor).toBe(edges[0]?.cursor ?? null);
    expect(connection.pageInfo.endCursor).toBe(edges.at(-1)?.cursor ?? null);
    ids.push(...edges.map((e) => uuidFromGlobalId(e.node.id, type, 'id')));
    if (!connection.pageInfo.hasNextPage) {
      expect(ids.length).toBe(connection.totalCount);
      return { ids, pages: page + 1 };
    }
    expect(edges.length).toBe(first);
    after = connection.pageInfo.endCursor;
    expect(page).toBeLessThan(ROWS * 2);
  }
}

describe('walking every page gives every row once, in order', () => {
  it('plans: latest period first, then id ascending', async () => {
    await fc.assert(
      fc.asyncProperty(keyIndexes(ROWS, DAYS.length), pageSizes, async (keys, sizes) => {
        await setKeys(
          'ipus',
          `gmina_id = ${GMINA}`,
          (_, i) => [DAYS[keys[i % keys.length]]],
          `period_start = $2::date, period_end = ($2::date + interval '6 months')::date`,
        );
        const expected = await orderedIds(`select id from ipus where gmina_id = $1 order by period_start desc, id asc`, [GMINA]);
        expect(expected).toHaveLength(ROWS);
        const { ids } = await walk('plans', 'Ipus', sizes);
        expect(ids).toEqual(expected);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  }, 300_000);

  it('residents: last name, first name, id', async () => {
    await fc.assert(
      fc.asyncProperty(keyIndexes(ROWS, LAST_NAMES.length), keyIndexes(ROWS, FIRST_NAMES.length), pageSizes, async (last, firsts, sizes) => {
        await setKeys(
          'resident',
          `gmina_id = ${GMINA}`,
          (_, i) => [LAST_NAMES[last[i % last.length]], FIRST_NAMES[firsts[i % firsts.length]]],
          'last_name = $2, first_name = $3',
        );
        const expected = await orderedIds(`select id from resident where gmina_id = $1 and merged_into is null order by last_name, first_name, id`, [GMINA]);
        expect(expected).toHaveLength(ROWS);
        const { ids } = await walk('residents', 'Resident', sizes, `, filter: { gmina: "${String(GMINA).padStart(7, '0')}" }`);
        expect(ids).toEqual(expected);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  }, 300_000);

  it("community plans' activities: every plan its own page size, all in one request per step", async () => {
    await fc.assert(
      fc.asyncProperty(keyIndexes(ROWS * 2, DAYS.length), pageSizes, async (keys, sizes) => {
        await setKeys(
          'community_activity',
          `plan_id = any('{${communityPlans.join(',')}}'::uuid[])`,
          (_, i) => [DAYS[keys[i % keys.length]]],
          'starts_on = $2::date',
        );
        const expected = await Promise.all(
          communityPlans.map((plan) => orderedIds(`select id from community_activity where plan_id = $1 order by starts_on, id`, [plan])),
        );
        for (const ids of expected) expect(ids).toHaveLength(ROWS / 2);
        const walked: string[][] = communityPlans.map(() => []);
        const after: (string | null)[] = communityPlans.map(() => null);
        const done = communityPlans.map(() => false);
        for (let step = 0; done.includes(false); step++) {
          expect(step).toBeLessThan(ROWS * 2);
          const open = communityPlans.map((_, i) => i).filter((i) => !done[i]);
          const firstOf = (i: number) => sizes[(step + i) % sizes.length];
          const document = `query { ${open
            .map(
              (i) => `p${i}: node(id: "${toGlobalId('CommunityPlan', communityPlans[i])}") {
          ... on CommunityPlan { activities(first: ${firstOf(i)}${after[i] ? `, after: "${after[i]}"` : ''}) {
            edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage endCursor } totalCount } } }`,
            )
            .join(' ')} }`;
          const res = await app.gql(director, document);
          expect(res.body.errors).toBeUndefined();
          for (const i of open) {
            const connection = res.body.data[`p${i}`].activities;
            expect(connection.pageInfo.hasPreviousPage).toBe(after[i] !== null);
            expect(connection.edges.length).toBeLessThanOrEqual(firstOf(i));
            walked[i].push(...connection.edges.map((e: { node: { id: string } }) => uuidFromGlobalId(e.node.id, 'CommunityActivity', 'id')));
            after[i] = connection.pageInfo.endCursor;
            if (!connection.pageInfo.hasNextPage) {
              done[i] = true;
              expect(walked[i].length).toBe(connection.totalCount);
            }
          }
        }
        expect(walked).toEqual(expected);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  }, 300_000);
});
