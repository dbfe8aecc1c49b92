import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { codes, rawAsApp, Role, startTestApp, type TestApp } from './support/app.js';
import { ADMIN, createUnit } from './support/fixtures.js';
import { sessionVariables } from '../src/platform/auth/principal.js';

/**
 * Tenant isolation, tried the way an attacker would: a user of gmina A goes after gmina B's rows
 * through every root field, and the same reads run as raw SQL under the application role.
 * Gmina A: Wydminy (2806102). Gmina B: Wojcieszków (0611102).
 */
const A = '2806102';
const B = '0611102';
const directorA = { role: Role.DIRECTOR, gminy: [A] };
const staffA = [Role.DIRECTOR, Role.SERVICES_ORGANISER, Role.COORDINATOR, Role.COMMUNITY_ORGANISER, Role.GMINA_OFFICIAL].map((role) => ({ role, gminy: [A] }));

let app: TestApp;
let unitA: any;
let unitB: any;
let projectB: any;

beforeAll(async () => {
  app = await startTestApp();
  ({ unit: unitA } = await createUnit(app, A));
  ({ unit: unitB, project: projectB } = await createUnit(app, B));
});
afterAll(async () => { await app.close(); });

const readB = async () => (await app.gql(ADMIN, `query($id: ID!) { cusUnit(id: $id) { name version fundingProjects { id title totalValue } } }`, { id: unitB.id })).body.data.cusUnit;

describe('reads across the tenant boundary return nothing', () => {
  test('cusUnits lists only the gminy in scope, for every staff role', async () => {
    for (const who of staffA) {
      const res = await app.gql(who, '{ cusUnits(first: 100) { totalCount nodes { id gminy { terc } } } }');
      const units = res.body.data.cusUnits.nodes;
      expect(units.map((u: any) => u.id)).toContain(unitA.id);
      expect(units.map((u: any) => u.id)).not.toContain(unitB.id);
      expect(units.every((u: any) => u.gminy.some((g: any) => g.terc === A))).toBe(true);
      expect(res.body.data.cusUnits.totalCount).toBe(units.length);
    }
  });

  test('cusUnits filtered by the other gmina is empty', async () => {
    const res = await app.gql(directorA, `{ cusUnits(filter: { gmina: "${B}" }) { totalCount nodes { id } } }`);
    expect(res.body.data.cusUnits).toEqual({ totalCount: 0, nodes: [] });
  });

  test('cusUnit(id) and node(id) of the other gmina are null', async () => {
    const res = await app.gql(directorA, `query($id: ID!, $p: ID!) {
      cusUnit(id: $id) { id } node(id: $id) { id } project: node(id: $p) { id } nodes(ids: [$id, $p]) { id } }`, { id: unitB.id, p: projectB.id });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data).toEqual({ cusUnit: null, node: null, project: null, nodes: [null, null] });
  });

  test("the other gmina's record shows no units through gmina(terc:) or gminy", async () => {
    const res = await app.gql(directorA, `{ gmina(terc: "${B}") { name cusUnits { id } } gminy(filter: { wojewodztwo: "06", nameContains: "Wojcieszk" }) { nodes { cusUnits { id } } } }`);
    expect(res.body.data.gmina).toEqual({ name: 'Wojcieszków', cusUnits: [] });
    expect(res.body.data.gminy.nodes).toEqual([{ cusUnits: [] }]);
  });

  test('viewer shows the scope from the token and nothing more', async () => {
    const res = await app.gql(directorA, '{ viewer { role gminy { terc } partnerId } }');
    expect(res.body.data.viewer).toEqual({ role: 'DIRECTOR', gminy: [{ terc: A }], partnerId: null });
  });
});

describe('writes across the tenant boundary change nothing', () => {
  test('cusUnitUpdate of the other gmina is NOT_FOUND and the row is unchanged', async () => {
    const before = await readB();
    const res = await app.gql(directorA, `mutation($input: CusUnitUpdateInput!) { cusUnitUpdate(input: $input) { cusUnit { id } userErrors { field code } } }`,
      { input: { id: unitB.id, version: before.version, name: 'Przejęte' } });
    expect(res.body.data.cusUnitUpdate).toEqual({ cusUnit: null, userErrors: [{ field: ['input', 'id'], code: 'NOT_FOUND' }] });
    expect(await readB()).toEqual(before);
  });

  test('fundingProjectAdd on the other gmina\'s unit is NOT_FOUND and adds nothing', async () => {
    const before = await readB();
    const res = await app.gql(directorA, `mutation($input: FundingProjectAddInput!) { fundingProjectAdd(input: $input) { fundingProject { id } userErrors { field code } } }`,
      { input: { cusUnitId: unitB.id, programme: 'X', title: 'Y', periodStart: '2024-01-01', periodEnd: '2024-12-31', totalValue: '1.00' } });
    expect(res.body.data.fundingProjectAdd.userErrors).toEqual([{ field: ['input', 'cusUnitId'], code: 'NOT_FOUND' }]);
    expect(await readB()).toEqual(before);
  });

  test('fundingProjectUpdate and fundingProjectRemove of the other gmina are NOT_FOUND', async () => {
    const before = await readB();
    const update = await app.gql(directorA, `mutation($input: FundingProjectUpdateInput!) { fundingProjectUpdate(input: $input) { userErrors { code } } }`,
      { input: { id: projectB.id, totalValue: '1.00' } });
    const remove = await app.gql(directorA, `mutation($input: FundingProjectRemoveInput!) { fundingProjectRemove(input: $input) { removedId userErrors { code } } }`,
      { input: { id: projectB.id } });
    expect(update.body.data.fundingProjectUpdate.userErrors).toEqual([{ code: 'NOT_FOUND' }]);
    expect(remove.body.data.fundingProjectRemove).toEqual({ removedId: null, userErrors: [{ code: 'NOT_FOUND' }] });
    expect(await readB()).toEqual(before);
  });

  test('cusUnitCreate is FORBIDDEN to everyone but the platform administrator', async () => {
    for (const who of [...staffA, { role: Role.MINISTRY }, { role: Role.PARTNER, partner: '0193a000-0000-7000-8000-0000000000aa' }]) {
      const res = await app.gql(who, `mutation { cusUnitCreate(input: { name: "X", seatGmina: "${A}", seatAddress: { street: "a", postalCode: "00-001", city: "b" }, creationMode: OPS_TRANSFORMED, startDate: "2024-01-01" }) { cusUnit { id } } }`);
      expect(codes(res)).toEqual(['FORBIDDEN']);
      expect(res.body.data).toBeNull();
    }
  });

  test('staff below director may not edit even their own unit', async () => {
    const res = await app.gql({ role: Role.COORDINATOR, gminy: [A] }, `mutation($input: CusUnitUpdateInput!) { cusUnitUpdate(input: $input) { cusUnit { id } } }`,
      { input: { id: unitA.id, version: 1, name: 'Nowa nazwa' } });
    expect(codes(res)).toEqual(['FORBIDDEN']);
  });
});

describe('platform-wide roles read no tenant rows', () => {
  test('MINISTRY and PARTNER are FORBIDDEN on CUS unit queries and get null through node(id)', async () => {
    for (const who of [{ role: Role.MINISTRY }, { role: Role.PARTNER, partner: '0193a000-0000-7000-8000-0000000000aa' }]) {
      expect(codes(await app.gql(who, '{ cusUnits { nodes { id } } }'))).toEqual(['FORBIDDEN']);
      expect(codes(await app.gql(who, 'query($id: ID!) { cusUnit(id: $id) { id } }', { id: unitA.id }))).toEqual(['FORBIDDEN']);
      const viaNode = await app.gql(who, 'query($id: ID!) { node(id: $id) { id } }', { id: unitA.id });
      expect(viaNode.body.data.node).toBeNull();
      const viaGmina = await app.gql(who, `{ gmina(terc: "${A}") { cusUnits { id } } }`);
      expect(viaGmina.body.data.gmina.cusUnits).toEqual([]);
    }
  });
});

describe('a CUS serving two gminy', () => {
  test('its staff see the unit through either gmina, and no third gmina', async () => {
    const staff = { role: Role.COORDINATOR, gminy: ['1417052', '1417032'] };
    const res = await app.gql(staff, '{ cusUnits(first: 100) { nodes { name gminy { terc } } } }');
    const names = res.body.data.cusUnits.nodes.map((u: any) => u.name);
    expect(names).toContain('Międzygminne Centrum Usług Społecznych Kołbiel-Celestynów (demo)');
    expect(names).not.toContain('Centrum Usług Społecznych w Wiązownie');
    for (const unit of res.body.data.cusUnits.nodes) {
      expect(unit.gminy.some((g: any) => ['1417052', '1417032'].includes(g.terc))).toBe(true);
    }
    const onlyOne = await app.gql({ role: Role.COORDINATOR, gminy: ['1417032'] }, '{ cusUnits(first: 100) { nodes { name } } }');
    expect(onlyOne.body.data.cusUnits.nodes.map((u: any) => u.name)).toContain('Międzygminne Centrum Usług Społecznych Kołbiel-Celestynów (demo)');
  });
});

describe('the database enforces it, whatever the resolvers do', () => {
  const tenantTables = ['cus_unit', 'funding_project'];

  test('raw SQL as the application role with no settings sees zero rows of every table', async () => {
    for (const table of [...tenantTables, 'gmina']) {
      const rows = await rawAsApp<{ n: string }>(`select count(*)::text as n from ${table}`);
      expect({ table, n: rows[0].n }).toEqual({ table, n: '0' });
    }
  });

  test("raw SQL under gmina A's settings sees only A's rows", async () => {
    const settings = sessionVariables({ subject: 't', role: Role.DIRECTOR, gminy: [Number(A)], partnerId: null });
    const units = await rawAsApp<{ served_gmina_ids: number[] }>('select served_gmina_ids from cus_unit', [], settings);
    expect(units.length).toBeGreaterThan(0);
    expect(units.every((u) => u.served_gmina_ids.includes(Number(A)))).toBe(true);
    const projects = await rawAsApp<{ gmina_id: number }>('select gmina_id from funding_project', [], settings);
    expect(projects.length).toBeGreaterThan(0);
    expect(projects.every((p) => p.gmina_id === Number(A))).toBe(true);
  });

  test("raw SQL under gmina A's settings cannot update, delete or insert B's rows", async () => {
    const settings = sessionVariables({ subject: 't', role: Role.DIRECTOR, gminy: [Number(A)], partnerId: null });
    const updated = await rawAsApp(`update cus_unit set name = 'x' where $1 = any(served_gmina_ids) returning id`, [Number(B)], settings);
    expect(updated).toEqual([]);
    const deleted = await rawAsApp('delete from funding_project where gmina_id = $1 returning id', [Number(B)], settings);
    expect(deleted).toEqual([]);
    await expect(rawAsApp(
      `insert into funding_project (gmina_id, cus_unit_id, programme, title, period_start, period_end, total_value)
       select gmina_id, id, 'p', 't', '2024-01-01', '2024-12-31', 1 from cus_unit where id = $1`,
      [Buffer.from(unitA.id, 'base64url').toString().split(':')[1]],
      { ...settings, 'app.gminy': B },
    )).resolves.toEqual([]); // B's settings cannot see A's unit to copy it
    await expect(rawAsApp(
      `insert into funding_project (gmina_id, cus_unit_id, programme, title, period_start, period_end, total_value) values ($1, $2, 'p', 't', '2024-01-01', '2024-12-31', 1)`,
      [Number(B), Buffer.from(unitB.id, 'base64url').toString().split(':')[1]],
      settings,
    )).rejects.toThrow(/row-level security/);
  });

  test('the application role owns no table and cannot bypass row-level security', async () => {
    const [role] = await rawAsApp<{ rolsuper: boolean; rolbypassrls: boolean }>('select rolsuper, rolbypassrls from pg_roles where rolname = current_user');
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false });
    const owned = await rawAsApp(`select tablename from pg_tables where schemaname = 'public' and tableowner = current_user`);
    expect(owned).toEqual([]);
    const unforced = await rawAsApp<{ relname: string }>(`select relname from pg_class where relnamespace = 'public'::regnamespace and relkind = 'r' and relname <> 'mikro_orm_migrations' and not (relrowsecurity and relforcerowsecurity)`);
    expect(unforced).toEqual([]);
  });

  test('a setting left by one transaction does not reach the next on the same connection', async () => {
    const settings = sessionVariables({ subject: 't', role: Role.PLATFORM_ADMIN, gminy: [], partnerId: null });
    expect((await rawAsApp<{ n: string }>('select count(*)::text as n from cus_unit', [], settings))[0].n).not.toBe('0');
    const rows = await rawAsApp<{ role: string | null }>("select nullif(current_setting('app.role', true), '') as role");
    expect(rows[0].role).toBeNull();
  });
});
