import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { GraphQLSchema } from 'graphql';
import { codes, rawAsApp, rawAsOwner, Role, startTestApp, unique, type TestApp, type Who } from './support/app.js';
import { ADMIN, createUnit, addDays, mutate, today } from './support/fixtures.js';
import { pathDocument, pathName, personalPaths, shownAt, type PersonalPath } from './support/personal-paths.js';
import { qualifiedApplication } from './support/plan-world.js';
import { sessionVariables } from '../src/platform/auth/principal.js';
import { fromGlobalId } from '../src/platform/graphql/node.js';
import { platformSchema } from '../src/app.js';

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
afterAll(async () => {
  await app.close();
});

const readB = async () =>
  (await app.gql(ADMIN, `query($id: ID!) { cusUnit(id: $id) { name version fundingProjects { id title totalValue } } }`, { id: unitB.id })).body.data.cusUnit;

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
    const res = await app.gql(
      directorA,
      `query($id: ID!, $p: ID!) {
      cusUnit(id: $id) { id } node(id: $id) { id } project: node(id: $p) { id } nodes(ids: [$id, $p]) { id } }`,
      { id: unitB.id, p: projectB.id },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data).toEqual({ cusUnit: null, node: null, project: null, nodes: [null, null] });
  });

  test("the other gmina's record shows no units through gmina(terc:) or gminy", async () => {
    const res = await app.gql(
      directorA,
      `{ gmina(terc: "${B}") { name cusUnits { id } } gminy(filter: { wojewodztwo: "06", nameContains: "Wojcieszk" }) { nodes { cusUnits { id } } } }`,
    );
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
    const res = await app.gql(
      directorA,
      `mutation($input: CusUnitUpdateInput!) { cusUnitUpdate(input: $input) { cusUnit { id } userErrors { field code } } }`,
      { input: { id: unitB.id, version: before.version, name: 'Przejęte' } },
    );
    expect(res.body.data.cusUnitUpdate).toEqual({ cusUnit: null, userErrors: [{ field: ['input', 'id'], code: 'NOT_FOUND' }] });
    expect(await readB()).toEqual(before);
  });

  test("fundingProjectAdd on the other gmina's unit is NOT_FOUND and adds nothing", async () => {
    const before = await readB();
    const res = await app.gql(
      directorA,
      `mutation($input: FundingProjectAddInput!) { fundingProjectAdd(input: $input) { fundingProject { id } userErrors { field code } } }`,
      { input: { cusUnitId: unitB.id, programme: 'X', title: 'Y', periodStart: '2024-01-01', periodEnd: '2024-12-31', totalValue: '1.00' } },
    );
    expect(res.body.data.fundingProjectAdd.userErrors).toEqual([{ field: ['input', 'cusUnitId'], code: 'NOT_FOUND' }]);
    expect(await readB()).toEqual(before);
  });

  test('fundingProjectUpdate and fundingProjectRemove of the other gmina are NOT_FOUND', async () => {
    const before = await readB();
    const update = await app.gql(directorA, `mutation($input: FundingProjectUpdateInput!) { fundingProjectUpdate(input: $input) { userErrors { code } } }`, {
      input: { id: projectB.id, totalValue: '1.00' },
    });
    const remove = await app.gql(
      directorA,
      `mutation($input: FundingProjectRemoveInput!) { fundingProjectRemove(input: $input) { removedId userErrors { code } } }`,
      { input: { id: projectB.id } },
    );
    expect(update.body.data.fundingProjectUpdate.userErrors).toEqual([{ code: 'NOT_FOUND' }]);
    expect(remove.body.data.fundingProjectRemove).toEqual({ removedId: null, userErrors: [{ code: 'NOT_FOUND' }] });
    expect(await readB()).toEqual(before);
  });

  test('cusUnitCreate is FORBIDDEN to everyone but the platform administrator', async () => {
    for (const who of [...staffA, { role: Role.MINISTRY }, { role: Role.PARTNER, partner: '0193a000-0000-7000-8000-0000000000aa' }]) {
      const res = await app.gql(
        who,
        `mutation { cusUnitCreate(input: { name: "X", seatGmina: "${A}", seatAddress: { street: "a", postalCode: "00-001", city: "b" }, creationMode: OPS_TRANSFORMED, startDate: "2024-01-01" }) { cusUnit { id } } }`,
      );
      expect(codes(res)).toEqual(['FORBIDDEN']);
      expect(res.body.data).toBeNull();
    }
  });

  test('staff below director may not edit even their own unit', async () => {
    const res = await app.gql(
      { role: Role.COORDINATOR, gminy: [A] },
      `mutation($input: CusUnitUpdateInput!) { cusUnitUpdate(input: $input) { cusUnit { id } } }`,
      { input: { id: unitA.id, version: 1, name: 'Nowa nazwa' } },
    );
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
    await expect(
      rawAsApp(
        `insert into funding_project (gmina_id, cus_unit_id, programme, title, period_start, period_end, total_value)
       select gmina_id, id, 'p', 't', '2024-01-01', '2024-12-31', 1 from cus_unit where id = $1`,
        [Buffer.from(unitA.id, 'base64url').toString().split(':')[1]],
        { ...settings, 'app.gminy': B },
      ),
    ).resolves.toEqual([]); // B's settings cannot see A's unit to copy it
    await expect(
      rawAsApp(
        `insert into funding_project (gmina_id, cus_unit_id, programme, title, period_start, period_end, total_value) values ($1, $2, 'p', 't', '2024-01-01', '2024-12-31', 1)`,
        [Number(B), Buffer.from(unitB.id, 'base64url').toString().split(':')[1]],
        settings,
      ),
    ).rejects.toThrow(/row-level security/);
  });

  test('the application role owns no table and cannot bypass row-level security', async () => {
    const [role] = await rawAsApp<{ rolsuper: boolean; rolbypassrls: boolean }>('select rolsuper, rolbypassrls from pg_roles where rolname = current_user');
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false });
    const owned = await rawAsApp(`select tablename from pg_tables where schemaname = 'public' and tableowner = current_user`);
    expect(owned).toEqual([]);
    const unforced = await rawAsApp<{ relname: string }>(
      `select relname from pg_class where relnamespace = 'public'::regnamespace and relkind = 'r' and relname <> 'mikro_orm_migrations' and not (relrowsecurity and relforcerowsecurity)`,
    );
    expect(unforced).toEqual([]);
  });

  test('a setting left by one transaction does not reach the next on the same connection', async () => {
    const settings = sessionVariables({ subject: 't', role: Role.PLATFORM_ADMIN, gminy: [], partnerId: null });
    expect((await rawAsApp<{ n: string }>('select count(*)::text as n from cus_unit', [], settings))[0].n).not.toBe('0');
    const rows = await rawAsApp<{ role: string | null }>("select nullif(current_setting('app.role', true), '') as role");
    expect(rows[0].role).toBeNull();
  });
});

/**
 * Every path from the root to a resident's personal data, as every role (issue 17): worked out from
 * the schema and the registry of personal types (tests/support/personal-paths.ts), played on the demo
 * data of Wiązowna. Whatever a path shows, the access log holds a row, written by that very request,
 * for the resident of each object shown, naming the path; or the path is refused (FORBIDDEN) or
 * shows nothing. Roles that read no personal data are shown nothing on any path, and nobody is shown
 * a resident outside their gminy. Every path shows something to some role, so none passes unplayed.
 */
describe("every path to a resident's personal data, as every role: logged or refused", () => {
  const WIAZOWNA = '1417082';
  const KOBYLKA = '1434011';
  const PARTNERS = { 'Reha-Mobil': '0193a000-0000-7000-8010-000000000007', 'Wspólna Sprawa': '0193a000-0000-7000-8010-000000000004' };
  const principals: (Who & { label: string; seesNone?: boolean })[] = [
    ...[Role.DIRECTOR, Role.SERVICES_ORGANISER, Role.COORDINATOR].map((role) => ({ role, gminy: [WIAZOWNA], label: role })),
    ...[Role.COMMUNITY_ORGANISER, Role.GMINA_OFFICIAL].map((role) => ({ role, gminy: [WIAZOWNA], label: role, seesNone: true })),
    { role: Role.DIRECTOR, gminy: [KOBYLKA], label: 'DIRECTOR of Kobyłka' },
    ...Object.entries(PARTNERS).map(([name, partner]) => ({ role: Role.PARTNER, partner, label: `PARTNER ${name}` })),
    { role: Role.MINISTRY, label: Role.MINISTRY, seesNone: true },
    { role: Role.PLATFORM_ADMIN, label: Role.PLATFORM_ADMIN, seesNone: true },
  ];
  /** Each record type's resident, by the keys of its objects' global ids (a copy's `@revision` left out). */
  const RESIDENT_OF: Record<string, string> = {
    Resident: 'select r.id::text as key, r.id::text as resident, r.gmina_id from resident r where r.id = any ($1::uuid[])',
    Application:
      'select a.id::text as key, r.id::text as resident, r.gmina_id from application a join resident r on r.id = a.resident_id where a.id = any ($1::uuid[])',
    NeedsAssessment: `select n.id::text as key, r.id::text as resident, r.gmina_id from needs_assessment n join application a on a.id = n.application_id
      join resident r on r.id = a.resident_id where n.id = any ($1::uuid[])`,
    Ipus: 'select p.id::text as key, r.id::text as resident, r.gmina_id from ipus p join resident r on r.id = p.resident_id where p.id = any ($1::uuid[])',
    IpusGoal: `select g.id::text as key, r.id::text as resident, r.gmina_id from ipus_goal g join ipus p on p.id = g.ipus_id join resident r on r.id = p.resident_id
      where g.id = any ($1::uuid[])`,
    IpusItem: `select i.id::text as key, r.id::text as resident, r.gmina_id from ipus_item i join ipus p on p.id = i.ipus_id join resident r on r.id = p.resident_id
      where i.id = any ($1::uuid[])`,
    Delivery: `select d.id::text as key, r.id::text as resident, r.gmina_id from delivery d join ipus_item i on i.id = d.ipus_item_id join ipus p on p.id = i.ipus_id
      join resident r on r.id = p.resident_id where d.id = any ($1::uuid[])`,
  };
  RESIDENT_OF.PartnerAssignment = RESIDENT_OF.IpusItem;
  RESIDENT_OF.ScheduledVisit = RESIDENT_OF.IpusItem;
  // A settlement's line is named by its plan item.
  RESIDENT_OF.SettlementLine = RESIDENT_OF.IpusItem;
  RESIDENT_OF.IpusAgreementScan = `select s.id::text as key, r.id::text as resident, r.gmina_id from ipus_agreement_scan s join ipus p on p.id = s.ipus_id
      join resident r on r.id = p.resident_id where s.id = any ($1::uuid[])`;
  RESIDENT_OF.WaitingListEntry = `select e.id::text as key, r.id::text as resident, r.gmina_id from waiting_list_entry e join ipus p on p.id = e.ipus_id
      join resident r on r.id = p.resident_id where e.id = any ($1::uuid[])`;

  let schema: GraphQLSchema;
  let paths: PersonalPath[];
  /** Ids of each record type, read by those who may: arguments of the paths that take one. */
  const ids = new Map<string, string>();
  type Outcome = { shown: number; logged: number; refused: boolean; problems: string[] };
  const outcomes = new Map<string, Map<string, Outcome>>();

  const keyOf = (path: PersonalPath, object: unknown): string => {
    if (path.kind === 'scalar') return '';
    const id =
      path.target === 'ScheduledVisit'
        ? (object as { assignment: { id: string } }).assignment.id
        : path.target === 'SettlementLine'
          ? (object as { assignmentId: string }).assignmentId
          : (object as { id: string }).id;
    return fromGlobalId(id).key.split('@')[0];
  };

  async function residentsOf(type: string, keys: string[]): Promise<Map<string, { resident: string; gmina_id: number }>> {
    const rows = await rawAsOwner<{ key: string; resident: string; gmina_id: number }>(RESIDENT_OF[type], [`{${keys.join(',')}}`]);
    return new Map(rows.map((r) => [r.key, r]));
  }

  beforeAll(async () => {
    schema = await platformSchema();
    paths = personalPaths(schema, { maxDepth: 5 });
    const director = { role: Role.DIRECTOR, gminy: [WIAZOWNA] };
    const staffIds = await app.gql(
      director,
      `{ residents(first: 1) { nodes { id } } applications(first: 50) { nodes { id needsAssessments { id } } }
      plans(first: 1, filter: { statuses: [ACTIVE] }) { nodes { id goals { id } items { id } } } deliveries(first: 1) { nodes { id } } }`,
    );
    expect(staffIds.body.errors).toBeUndefined();
    const d = staffIds.body.data;
    const first = (list: { id: string }[]) => list[0]?.id;
    ids.set('Resident', first(d.residents.nodes));
    ids.set('Application', first(d.applications.nodes));
    ids.set('NeedsAssessment', first(d.applications.nodes.flatMap((a: { needsAssessments: { id: string }[] }) => a.needsAssessments)));
    ids.set('Ipus', first(d.plans.nodes));
    ids.set('IpusGoal', first(d.plans.nodes[0].goals));
    ids.set('IpusItem', first(d.plans.nodes[0].items));
    ids.set('Delivery', first(d.deliveries.nodes));
    const partnerIds = await app.gql({ role: Role.PARTNER, partner: PARTNERS['Reha-Mobil'] }, '{ assignments(first: 1) { nodes { id } } }');
    ids.set('PartnerAssignment', first(partnerIds.body.data.assignments.nodes));
    // The paths to a settlement's lines take the settlement's id (the demo's October, seeds/demo/settlements.ts).
    const settlements = await app.gql(director, '{ settlements(first: 1) { nodes { id } } }');
    ids.set('SettlementLine', first(settlements.body.data.settlements.nodes));
    for (const [type, id] of ids) expect(id, `the demo holds a ${type} to look up`).toBeTruthy();
    // The demo has no waiting list (no commission is full): a new resident's draft asks Reha-Mobil's
    // commission for more hours than it holds, so it has no room, and the coordinator puts the item in line.
    const coordinator = { role: Role.COORDINATOR, gminy: [WIAZOWNA] };
    const commissions = await app.gql(director, '{ commissions(first: 20) { nodes { id status volume partner { id } services { id } periodEnd } } }');
    const rehabilitation = commissions.body.data.commissions.nodes.find(
      (c: { status: string; partner: { id: string } | null }) =>
        c.status === 'ACTIVE' && c.partner && fromGlobalId(c.partner.id).key === PARTNERS['Reha-Mobil'],
    );
    const { applicationId } = await qualifiedApplication(app, WIAZOWNA);
    const endOn = [addDays(today(), 60), rehabilitation.periodEnd].sort()[0];
    const waiting = await mutate(app, coordinator, 'ipusCreate', 'IpusCreateInput', 'ipus { items { id } }', {
      applicationId,
      periodStart: today(),
      periodEnd: addDays(today(), 180),
      coordinatorName: 'Anna Koordynatorka',
      goals: [{ description: 'Sprawność w domu' }],
      items: [
        {
          goal: 1,
          serviceId: rehabilitation.services[0].id,
          provider: 'PARTNER',
          partnerId: rehabilitation.partner.id,
          commissionId: rehabilitation.id,
          place: 'RESIDENT_HOME',
          weekly: { weekdays: ['MO', 'WE'], startsAt: '09:00', endsAt: '10:00' },
          startOn: today(),
          endOn,
          quantity: rehabilitation.volume + 1,
          quantityUnit: 'HOURS',
        },
      ],
    });
    const entry = await mutate(app, coordinator, 'waitingListJoin', 'WaitingListJoinInput', 'entry { id }', { itemId: waiting.ipus.items[0].id });
    ids.set('WaitingListEntry', entry.entry.id);
    // A commission's waiting list is asked for by the commission's id.
    ids.set('Commission', rehabilitation.id);
    // The demo holds no signed scan: the active plan's coordinator attaches one.
    const scan = await mutate(app, { role: Role.COORDINATOR, gminy: [WIAZOWNA] }, 'ipusAgreementScanAttach', 'IpusAgreementScanAttachInput', 'scan { id }', {
      ipusId: ids.get('Ipus'),
      fileName: 'ipus-podpisany.pdf',
      contentBase64: Buffer.from('%PDF-1.4\n%%EOF\n').toString('base64'),
    });
    ids.set('IpusAgreementScan', scan.scan.id);

    const argument = (field: { name: string }, arg: string, path: PersonalPath): string | null => {
      if (arg === 'from') return JSON.stringify(today());
      if (arg === 'to') return JSON.stringify(addDays(today(), 30));
      if (arg === 'commissionId') return JSON.stringify(ids.get('Commission'));
      const type = path.fragment ?? (path.kind === 'scalar' ? 'Resident' : path.target);
      const id = ids.get(type);
      if (!id) return null;
      return arg === 'ids' ? `[${JSON.stringify(id)}]` : JSON.stringify(id);
    };

    for (const who of principals) {
      const byPath = new Map<string, Outcome>();
      outcomes.set(who.label, byPath);
      for (const path of paths) {
        const name = path.fragment ? `${pathName(path)} on ${path.fragment}` : pathName(path);
        const document = pathDocument(schema, path, argument);
        expect(document, name).not.toBeNull();
        const subject = unique(`walk ${who.label}`).replace(/\s+/g, '-');
        const res = await app.gql(await app.token(who, { subject }), document!);
        const outcome: Outcome = { shown: 0, logged: 0, refused: false, problems: [] };
        byPath.set(name, outcome);
        for (const code of codes(res)) {
          if (code === 'FORBIDDEN') outcome.refused = true;
          else if (code !== 'NOT_FOUND') outcome.problems.push(`answered ${code}`);
        }
        const shown = shownAt(path, res.body.data);
        outcome.shown = shown.length;
        if (shown.length === 0) continue;
        // Whose data was shown: the export names its resident by its argument.
        const residents =
          path.kind === 'scalar'
            ? [{ resident: fromGlobalId(ids.get('Resident')!).key, gmina_id: Number(WIAZOWNA) }]
            : await (async () => {
                const found = await residentsOf(
                  path.target,
                  shown.map((o) => keyOf(path, o)),
                );
                return shown.map((o) => found.get(keyOf(path, o))).filter((r): r is { resident: string; gmina_id: number } => r !== undefined);
              })();
        if (residents.length !== shown.length) outcome.problems.push('shown an object of no resident');
        if (who.gminy && residents.some((r) => !who.gminy!.includes(String(r.gmina_id).padStart(7, '0'))))
          outcome.problems.push('shown a resident of another gmina');
        const log = await rawAsOwner<{ resident_id: string; operation: string }>(
          'select resident_id::text, operation from resident_access_log where subject = $1',
          [subject],
        );
        const pathsOf = (row: { operation: string }) => row.operation.replace(/^query /, '').split(', ');
        for (const { resident } of residents) {
          if (log.some((row) => row.resident_id === resident && pathsOf(row).includes(pathName(path)))) outcome.logged += 1;
          else outcome.problems.push(`shown resident ${resident} without a log row naming ${pathName(path)} (log: ${JSON.stringify(log)})`);
        }
      }
    }
  }, 300_000);

  test('the walk reaches every kind of personal record, through lists, single reads, node(id), nodes(ids), the log and the export', () => {
    const reached = new Set(paths.map((p) => p.target));
    for (const target of [
      'Resident',
      'Application',
      'NeedsAssessment',
      'Ipus',
      'IpusGoal',
      'IpusItem',
      'Delivery',
      'PartnerAssignment',
      'ScheduledVisit',
      'SettlementLine',
      'Query.residentDataExport',
    ]) {
      expect(reached, target).toContain(target);
    }
    const names = new Set(paths.map(pathName));
    for (const name of ['residents', 'resident', 'node', 'nodes', 'residentAccessLog.nodes.resident', 'plans', 'deliveries', 'assignments', 'schedule'])
      expect(names, name).toContain(name);
  });

  test.each(principals.map((p) => p.label))('%s: every object shown on a path is logged, by that request, with the path', (label) => {
    const byPath = outcomes.get(label)!;
    const summary = [...byPath].map(([name, o]) => `${name}: ${o.shown > 0 ? `${o.logged}/${o.shown} logged` : o.refused ? 'refused' : 'nothing'}`);
    console.log(`${label}: ${summary.join('; ')}`);
    const problems = [...byPath].flatMap(([name, o]) => o.problems.map((p) => `${name}: ${p}`));
    expect(problems).toEqual([]);
    if (principals.find((p) => p.label === label)!.seesNone) expect([...byPath].filter(([, o]) => o.shown > 0).map(([name]) => name)).toEqual([]);
  });

  test('every path shows personal data to some role, so each check above was played', () => {
    const unplayed = [...new Set([...outcomes.values()].flatMap((m) => [...m.keys()]))].filter(
      (name) => ![...outcomes.values()].some((m) => (m.get(name)?.shown ?? 0) > 0),
    );
    expect(unplayed).toEqual([]);
  });
});
