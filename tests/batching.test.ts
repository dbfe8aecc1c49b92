import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Role, startTestApp, unique, type GraphQLResponse, type TestApp } from './support/app.js';

// Statements are counted from the ORM's query log (tests/support/app.ts). `counted` checks that each
// count saw the whole operation (settings, a select, the end of its transaction), so a broken counter cannot pass as 0 = 0.

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app.close();
});

const ADMIN = { role: Role.PLATFORM_ADMIN };
/** Two gminy no demo unit serves: this file's own inter-municipal unit serves both. */
const CHODZIEZ = '3001032';
const MARGONIN = '3001043';
/** begin, set_config, the page, one query per loader reached, the end of the transaction: a constant, whatever the page size. */
const MAX_STATEMENTS = 8;

/** Runs one operation and returns its response with the SQL statements the server sent for it. */
async function counted(query: string, variables?: Record<string, unknown>): Promise<{ res: GraphQLResponse; statements: string[] }> {
  app.statements.length = 0;
  const res = await app.gql(ADMIN, query, variables);
  const statements = app.statements.map((line) => line.replace(/\x1b\[[0-9;]*m/g, ''));
  // Not vacuous: the operation's own transaction, the principal's settings and a query are all there.
  expect(statements.filter((s) => /set_config\(/.test(s)).length).toBeGreaterThanOrEqual(1);
  expect(statements.filter((s) => /\[query\] select\b.* from "?(cus_unit|gmina)"?/.test(s)).length).toBeGreaterThanOrEqual(2);
  // A query runs in a read-only transaction, which ends with a rollback (nothing to commit).
  expect(statements.filter((s) => /\[query\] (commit|rollback)\b/.test(s))).toHaveLength(1);
  return { res, statements };
}

let ownUnit: { id: string; name: string; project: string };

beforeAll(async () => {
  const name = unique('MCUS batching');
  const created = await app.gql(
    ADMIN,
    `mutation($input: CusUnitCreateInput!) {
    cusUnitCreate(input: $input) { cusUnit { id name } userErrors { field message } } }`,
    {
      input: {
        name,
        seatGmina: CHODZIEZ,
        servedGminy: [CHODZIEZ, MARGONIN],
        creationMode: 'INTERMUNICIPAL_AGREEMENT',
        agreement: { number: 'POR.7.2023', date: '2023-06-01' },
        startDate: '2024-01-01',
        seatAddress: { street: 'ul. Testowa 1', postalCode: '64-800', city: 'Chodzież' },
      },
    },
  );
  expect(created.body.errors).toBeUndefined();
  expect(created.body.data.cusUnitCreate.userErrors).toEqual([]);
  const title = unique('Projekt batching');
  const project = await app.gql(
    ADMIN,
    `mutation($input: FundingProjectAddInput!) {
    fundingProjectAdd(input: $input) { fundingProject { id } userErrors { field message } } }`,
    {
      input: {
        cusUnitId: created.body.data.cusUnitCreate.cusUnit.id,
        programme: 'FERS 2021-2027',
        title,
        periodStart: '2024-01-01',
        periodEnd: '2026-12-31',
        totalValue: '2000000.00',
      },
    },
  );
  expect(project.body.data.fundingProjectAdd.userErrors).toEqual([]);
  ownUnit = { ...created.body.data.cusUnitCreate.cusUnit, project: title };
});

describe('no N+1: statements grow with depth, not with rows', () => {
  const UNITS = `query($first: Int!, $after: String, $filter: CusUnitFilter) {
    cusUnits(first: $first, after: $after, filter: $filter) { pageInfo { hasNextPage endCursor } nodes {
      id name
      seatGmina { name }
      gminy { terc name cusUnits { name } }
      fundingProjects { title cusUnit { name } }
    } } }`;

  test('cusUnits with seat, served gminy and their units, projects and their unit: same count for 1 unit and all', async () => {
    // One unit that reaches every loader (it has a project and serves two gminy) ...
    const one = await counted(UNITS, { first: 1, filter: { gmina: MARGONIN } });
    expect(one.res.body.errors).toBeUndefined();
    expect(one.res.body.data.cusUnits.nodes).toEqual([
      {
        id: ownUnit.id,
        name: ownUnit.name,
        seatGmina: { name: 'Chodzież' },
        gminy: [
          { terc: CHODZIEZ, name: 'Chodzież', cusUnits: [{ name: ownUnit.name }] },
          { terc: MARGONIN, name: 'Margonin', cusUnits: [{ name: ownUnit.name }] },
        ],
        fundingProjects: [{ title: ownUnit.project, cusUnit: { name: ownUnit.name } }],
      },
    ]);

    // ... and every unit there is (the demo units, this unit, and whatever other tests created).
    const all = await counted(UNITS, { first: 100 });
    expect(all.res.body.errors).toBeUndefined();
    // Past a page of 100, the demo units are read from the next pages.
    const nodes = [...all.res.body.data.cusUnits.nodes] as any[];
    for (let page = all.res.body.data.cusUnits.pageInfo; page.hasNextPage;) {
      const next = await app.gql(ADMIN, UNITS, { first: 100, after: page.endCursor });
      expect(next.body.errors).toBeUndefined();
      nodes.push(...next.body.data.cusUnits.nodes);
      page = next.body.data.cusUnits.pageInfo;
    }
    expect(nodes.length).toBeGreaterThanOrEqual(7);
    const byName = new Map(nodes.map((n) => [n.name, n]));
    expect(byName.get('Centrum Usług Społecznych w Srokowie')).toMatchObject({
      seatGmina: { name: 'Srokowo' },
      fundingProjects: [{ title: 'Centrum Usług Społecznych w Gminie Srokowo', cusUnit: { name: 'Centrum Usług Społecznych w Srokowie' } }],
    });
    const kolbiel = byName.get('Międzygminne Centrum Usług Społecznych Kołbiel-Celestynów (demo)');
    expect(kolbiel.gminy.map((g: any) => g.terc)).toEqual(['1417052', '1417032']);
    for (const gmina of kolbiel.gminy) expect(gmina.cusUnits.map((u: any) => u.name)).toContain(kolbiel.name);
    expect(byName.get(ownUnit.name)).toEqual(one.res.body.data.cusUnits.nodes[0]);

    expect(all.statements.length).toBe(one.statements.length);
    expect(all.statements.length).toBeLessThanOrEqual(MAX_STATEMENTS);
  });

  test('gminy with their units: same count for 50 gminy and 2', async () => {
    const GMINY = 'query($first: Int!) { gminy(first: $first) { nodes { terc cusUnits { name } } } }';
    const fifty = await counted(GMINY, { first: 50 });
    const two = await counted(GMINY, { first: 2 });
    expect(fifty.res.body.errors).toBeUndefined();
    expect(two.res.body.errors).toBeUndefined();
    expect(fifty.res.body.data.gminy.nodes).toHaveLength(50);
    expect(two.res.body.data.gminy.nodes).toEqual(fifty.res.body.data.gminy.nodes.slice(0, 2));
    for (const gmina of fifty.res.body.data.gminy.nodes) expect(Array.isArray(gmina.cusUnits)).toBe(true);

    expect(fifty.statements.length).toBe(two.statements.length);
    expect(fifty.statements.length).toBeLessThanOrEqual(MAX_STATEMENTS);
  });

  test('gminy of a powiat with units: each gmina gets exactly its own units, in one query for all', async () => {
    const GMINY = `query($first: Int!) { gminy(first: $first, filter: { powiat: "1417" }) { nodes { terc cusUnits { id name } } } }`;
    const all = await counted(GMINY, { first: 50 });
    const one = await counted(GMINY, { first: 1 });
    expect(all.res.body.errors).toBeUndefined();
    const units = new Map((all.res.body.data.gminy.nodes as any[]).map((g) => [g.terc, g.cusUnits.map((u: any) => u.name)]));
    expect(units.size).toBeGreaterThanOrEqual(8);
    expect(units.get('1417082')).toContain('Centrum Usług Społecznych w Wiązownie');
    expect(units.get('1417052')).toContain('Międzygminne Centrum Usług Społecznych Kołbiel-Celestynów (demo)');
    expect(units.get('1417032')).toContain('Międzygminne Centrum Usług Społecznych Kołbiel-Celestynów (demo)');
    expect(units.get('1417032')).not.toContain('Centrum Usług Społecznych w Wiązownie');

    expect(all.statements.length).toBe(one.statements.length);
    expect(all.statements.length).toBeLessThanOrEqual(MAX_STATEMENTS);
  });
});
