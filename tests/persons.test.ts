import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import pg from 'pg';
import { codes, rawAsApp, rawAsOwner, Role, startTestApp, type TestApp, type Who } from './support/app.js';
import { createUnit } from './support/fixtures.js';
import { sessionVariables } from '../src/platform/auth/principal.js';
import { fromGlobalId } from '../src/platform/graphql/node.js';

/**
 * One person, one record per centre (issue 17, item 8). A centre serving two gminy registered the
 * same PESEL twice, once per gmina: a PESEL is now unique across the gminy a unit serves, a record
 * without PESEL that looks like one the centre holds comes with a warning, and two records of one
 * person are merged by the director, keeping both histories and both ids.
 * Gminy (lubuskie, powiat słubicki): X Cybinka (0805013) and Y Górzyca (0805022), served together by
 * one inter-municipal unit; Z Ośno Lubuskie (0805033), served by a centre of its own.
 */
const X = '0805013';
const Y = '0805022';
const Z = '0805033';

const coordinator: Who = { role: Role.COORDINATOR, gminy: [X, Y] };
const director: Who = { role: Role.DIRECTOR, gminy: [X, Y] };
const coordinatorY: Who = { role: Role.COORDINATOR, gminy: [Y] };
const coordinatorZ: Who = { role: Role.COORDINATOR, gminy: [Z] };
const directorZ: Who = { role: Role.DIRECTOR, gminy: [Z] };

const WEIGHTS = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
let serial = 400;
/** A valid PESEL of someone born on `date` (20th century), a new serial number each call. */
function pesel(date: string, sex: 'FEMALE' | 'MALE'): string {
  const [y, m, d] = date.split('-').map(Number);
  serial += 1;
  const first10 =
    [y % 100, m, d].map((n) => String(n).padStart(2, '0')).join('') + String(serial % 1000).padStart(3, '0') + ((serial % 5) * 2 + (sex === 'MALE' ? 1 : 0));
  return first10 + ((10 - (WEIGHTS.reduce((s, w, i) => s + w * Number(first10[i]), 0) % 10)) % 10);
}

const FIELDS = 'id firstName lastName pesel birthDate gmina { terc }';
const CREATE = `mutation($input: ResidentCreateInput!) { residentCreate(input: $input) {
  resident { ${FIELDS} } userErrors { field message code } } }`;
const CREATE_WITH_ID = `mutation($input: ResidentCreateInput!) { residentCreate(input: $input) {
  resident { ${FIELDS} } userErrors { field message code existingId } } }`;
const UPDATE = `mutation($input: ResidentUpdateInput!) { residentUpdate(input: $input) {
  resident { ${FIELDS} version } userErrors { field message code existingId } } }`;
const WARNED = `mutation($input: ResidentCreateInput!) { residentCreate(input: $input) {
  resident { id } warnings possibleDuplicates { id firstName lastName birthDate } userErrors { field message code } } }`;
const MERGE = `mutation($input: ResidentMergeInput!) { residentMerge(input: $input) {
  resident { id pesel birthDate mergedIds applications { id } plans { id } sensitive { healthNotes } } userErrors { field message code } } }`;

let app: TestApp;
let unitXY: string;
beforeAll(async () => {
  app = await startTestApp();
  ({
    unit: { id: unitXY },
  } = await createUnit(app, X, {
    servedGminy: [X, Y],
    creationMode: 'INTERMUNICIPAL_AGREEMENT',
    agreement: { number: 'POR.8.2024', date: '2023-12-01' },
  }));
  await createUnit(app, Z);
});
afterAll(async () => {
  await app.close();
});

const rawId = (globalId: string) => fromGlobalId(globalId).key;
const countWithPesel = async (value: string) => Number((await rawAsOwner<{ n: string }>('select count(*) as n from resident where pesel = $1', [value]))[0].n);

async function register(who: Who, input: Record<string, unknown>) {
  const res = await app.gql(who, CREATE, { input: { firstName: 'Helena', lastName: 'Osobowa', ...input } });
  expect(res.body.errors).toBeUndefined();
  expect(res.body.data.residentCreate.userErrors).toEqual([]);
  return res.body.data.residentCreate.resident;
}

describe('a PESEL is one person in the whole centre', () => {
  test('registering a PESEL again in the other gmina of the centre is DUPLICATE, and nothing is written', async () => {
    const number = pesel('1944-04-14', 'FEMALE');
    const first = await register(coordinator, { pesel: number, gmina: X });
    const again = await app.gql(coordinator, CREATE, { input: { firstName: 'Helena', lastName: 'Osobowa', pesel: number, gmina: Y } });
    expect(again.body.errors).toBeUndefined();
    expect(again.body.data.residentCreate.resident).toBeNull();
    expect(again.body.data.residentCreate.userErrors.map((e: any) => [e.field.join('.'), e.code])).toEqual([['input.pesel', 'DUPLICATE']]);
    expect(await countWithPesel(number)).toBe(1);
    expect(first.gmina.terc).toBe(X);
  });

  test('the refusal names the record the centre already holds to a writer who reads it; to a coordinator whose token names only the other gmina, neither record nor gmina', async () => {
    const number = pesel('1939-09-01', 'MALE');
    const first = await register(coordinator, { pesel: number, gmina: X });
    const again = await app.gql(coordinator, CREATE_WITH_ID, { input: { firstName: 'Jan', lastName: 'Drugi', pesel: number, gmina: Y } });
    expect(again.body.data.residentCreate).toEqual({
      resident: null,
      userErrors: [{ field: ['input', 'pesel'], code: 'DUPLICATE', existingId: first.id, message: expect.stringContaining('0805013') }],
    });
    // tests/pesel-refusal.test.ts: this refusal is logged in X's access log.
    const fromY = await app.gql(coordinatorY, CREATE_WITH_ID, { input: { firstName: 'Jan', lastName: 'Drugi', pesel: number, gmina: Y } });
    expect(fromY.body.data.residentCreate).toEqual({
      resident: null,
      userErrors: [{ field: ['input', 'pesel'], code: 'DUPLICATE', existingId: null, message: expect.not.stringContaining('0805013') }],
    });
    expect(await countWithPesel(number)).toBe(1);
  });

  test("taking the PESEL of a record in the centre's other gmina is DUPLICATE and changes nothing", async () => {
    const number = pesel('1951-02-03', 'FEMALE');
    const holder = await register(coordinator, { pesel: number, gmina: X });
    const other = await register(coordinator, { gmina: Y });
    const res = await app.gql(coordinator, UPDATE, { input: { id: other.id, version: 1, pesel: number } });
    expect(res.body.data.residentUpdate).toEqual({
      resident: null,
      userErrors: [expect.objectContaining({ field: ['input', 'pesel'], code: 'DUPLICATE', existingId: holder.id })],
    });
    const [row] = await rawAsOwner<{ pesel: string | null }>('select pesel from resident where id = $1', [rawId(other.id)]);
    expect(row.pesel).toBeNull();
  });

  test("the same PESEL in a gmina of another centre is that centre's own record", async () => {
    const number = pesel('1960-06-06', 'MALE');
    await register(coordinator, { pesel: number, gmina: X });
    const elsewhere = await register(coordinatorZ, { pesel: number, gmina: Z });
    expect(elsewhere).toMatchObject({ pesel: number, gmina: { terc: Z } });
    expect(await countWithPesel(number)).toBe(2);
  });

  test('concurrent registrations of one PESEL in both gminy: one record, the others DUPLICATE', async () => {
    const number = pesel('1957-07-30', 'FEMALE');
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        app.gql(coordinator, CREATE, { input: { firstName: 'Janina', lastName: `Równoległa${i}`, pesel: number, gmina: i % 2 ? X : Y } }),
      ),
    );
    for (const res of results) expect(res.body.errors).toBeUndefined();
    const payloads = results.map((res) => res.body.data.residentCreate);
    expect(payloads.filter((p) => p.resident !== null)).toHaveLength(1);
    for (const p of payloads.filter((p) => p.resident === null)) expect(p.userErrors.map((e: any) => e.code)).toEqual(['DUPLICATE']);
    expect(await countWithPesel(number)).toBe(1);
  });

  test('the database refuses a second record of a PESEL in the centre, whatever the resolvers do', async () => {
    const number = pesel('1947-11-11', 'MALE');
    await register(coordinator, { pesel: number, gmina: X });
    const settings = sessionVariables({ subject: 'raw', role: Role.COORDINATOR, gminy: [Number(X), Number(Y)], partnerId: null });
    const refused = await rawAsApp(
      `insert into resident (gmina_id, first_name, last_name, pesel) values ($1, 'Jan', 'Surowy', $2)`,
      [Number(Y), number],
      settings,
    ).catch((e: { code?: string }) => e);
    expect(refused).toMatchObject({ code: '23505' });
  });
});

describe('a record without PESEL that looks like one the centre holds', () => {
  test('is registered with a warning naming the record it may duplicate (of the records the writer reads), and that read is logged', async () => {
    const held = await register(coordinator, { firstName: 'Zofia', lastName: 'Kowalska-Podobna', pesel: pesel('1950-05-05', 'FEMALE'), gmina: X });
    const res = await app.gql(coordinator, WARNED, { input: { firstName: 'Zofja', lastName: 'Kowalska-Podobna', birthDate: '1950-05-05', gmina: Y } });
    expect(res.body.errors).toBeUndefined();
    const payload = res.body.data.residentCreate;
    expect(payload.userErrors).toEqual([]);
    expect(payload.resident.id).toBeTruthy();
    expect(payload.warnings).toHaveLength(1);
    expect(payload.possibleDuplicates).toEqual([{ id: held.id, firstName: 'Zofia', lastName: 'Kowalska-Podobna', birthDate: '1950-05-05' }]);
    const log = await rawAsOwner<{ role: string }>('select role from resident_access_log where resident_id = $1 and role = $2', [
      rawId(held.id),
      'COORDINATOR',
    ]);
    expect(log.length).toBeGreaterThanOrEqual(2);
  });

  test('no warning for another birth date, another name, or a record of another centre', async () => {
    await register(coordinator, { firstName: 'Marianna', lastName: 'Unikatowa', birthDate: '1952-03-03', gmina: X });
    await register(coordinatorZ, { firstName: 'Teodora', lastName: 'Zagraniczna', birthDate: '1953-04-04', gmina: Z });
    for (const input of [
      { firstName: 'Marianna', lastName: 'Unikatowa', birthDate: '1952-03-04' },
      { firstName: 'Barbara', lastName: 'Zupełnieinna', birthDate: '1952-03-03' },
      { firstName: 'Teodora', lastName: 'Zagraniczna', birthDate: '1953-04-04' },
    ]) {
      const res = await app.gql(coordinator, WARNED, { input: { ...input, gmina: Y } });
      expect(res.body.data.residentCreate).toMatchObject({ userErrors: [], warnings: [], possibleDuplicates: [] });
    }
  });
});

describe('two records of one person are merged', () => {
  const today = new Date().toISOString().slice(0, 10);

  async function twoRecords(lastName: string) {
    const number = pesel('1948-01-02', 'MALE');
    const keep = await register(coordinator, { firstName: 'Jan', lastName, birthDate: '1948-01-02', gmina: X });
    const merged = await register(coordinator, { firstName: 'Jan', lastName, pesel: number, gmina: Y });
    return { keep, merged, number };
  }

  async function fileApplication(residentId: string, filedOn: string) {
    const res = await app.gql(
      coordinator,
      `mutation($input: ApplicationFileInput!) { applicationFile(input: $input) { application { id } userErrors { code message } } }`,
      { input: { residentId, cusUnitId: unitXY, filedOn, channel: 'IN_PERSON', filedBy: 'PERSON', requestedAreas: ['SOCIAL_ASSISTANCE'] } },
    );
    expect(res.body.data.applicationFile.userErrors).toEqual([]);
    return res.body.data.applicationFile.application.id as string;
  }

  test('the survivor holds both histories, both ids lead to it, and the log and the export cover both records', async () => {
    const { keep, merged, number } = await twoRecords('Scalany');
    await app.gql(coordinator, `mutation($input: ResidentSensitiveSetInput!) { residentSensitiveSet(input: $input) { userErrors { code } } }`, {
      input: { residentId: merged.id, healthNotes: 'Cukrzyca.' },
    });
    const keptApplication = await fileApplication(keep.id, '2026-01-10');
    const mergedApplication = await fileApplication(merged.id, '2026-02-10');
    const [plan] = await rawAsOwner<{ id: string }>(
      `insert into ipus (gmina_id, cus_unit_id, resident_id, application_id, coordinator_subject, coordinator_name, period_start, period_end, prepared_on)
       values ($1, $2, $3, $4, 'dev-coordinator', 'Anna Koordynatorka', '2026-03-01', '2026-08-31', '2026-02-20') returning id`,
      [Number(Y), rawId(unitXY), rawId(merged.id), rawId(mergedApplication)],
    );
    // A read before the merge, by a user of its own (the log names the path that read it, not the operation's name).
    const beforeMerge = `before-merge-${Date.now().toString(36)}`;
    await app.gql(await app.token(coordinator, { subject: beforeMerge }), `query BeforeMerge($id: ID!) { resident(id: $id) { id } }`, { id: merged.id });

    const res = await app.gql(director, MERGE, { input: { keepId: keep.id, mergeId: merged.id, reason: 'Ta sama osoba zarejestrowana w obu gminach' } });
    expect(res.body.errors).toBeUndefined();
    const survivor = res.body.data.residentMerge;
    expect(survivor.userErrors).toEqual([]);
    expect(survivor.resident).toMatchObject({
      id: keep.id,
      pesel: number,
      birthDate: '1948-01-02',
      mergedIds: [merged.id],
      sensitive: { healthNotes: 'Cukrzyca.' },
    });
    expect(survivor.resident.applications.map((a: any) => a.id)).toEqual([keptApplication, mergedApplication]);
    expect(survivor.resident.plans.map((p: any) => fromGlobalId(p.id).key)).toEqual([plan.id]);

    // Both ids resolve to the survivor; lists show it once.
    const read = await app.gql(coordinator, `query($id: ID!) { node(id: $id) { id } resident(id: $id) { id lastName } }`, { id: merged.id });
    expect(read.body.data).toEqual({ node: { id: keep.id }, resident: { id: keep.id, lastName: 'Scalany' } });
    const listed = await app.gql(coordinator, `{ residents(first: 10, filter: { nameContains: "Scalany" }) { totalCount nodes { id } } }`);
    expect(listed.body.data.residents).toEqual({ totalCount: 1, nodes: [{ id: keep.id }] });
    const throughApplication = await app.gql(coordinator, `query($id: ID!) { application(id: $id) { resident { id } } }`, { id: mergedApplication });
    expect(throughApplication.body.data.application.resident.id).toBe(keep.id);
    const byMergedId = await app.gql(
      coordinator,
      `query($id: ID!) { applications(first: 10, filter: { residentId: $id }) { nodes { id } } plans(first: 10, filter: { residentId: $id }) { nodes { id } } }`,
      { id: merged.id },
    );
    expect(byMergedId.body.data.applications.nodes.map((a: any) => a.id)).toEqual([keptApplication, mergedApplication]);
    expect(byMergedId.body.data.plans.nodes).toHaveLength(1);

    // The log keeps the id each read was made under; the survivor's log covers both.
    const [before] = await rawAsOwner<{ resident_id: string }>(`select resident_id from resident_access_log where subject = $1 and resident_id = $2`, [
      beforeMerge,
      rawId(merged.id),
    ]);
    expect(before.resident_id).toBe(rawId(merged.id));
    const log = await app.gql(director, `query($id: ID) { residentAccessLog(residentId: $id, first: 100) { nodes { subject operation resident { id } } } }`, {
      id: keep.id,
    });
    expect(log.body.data.residentAccessLog.nodes).toEqual(
      expect.arrayContaining([{ subject: beforeMerge, operation: 'query resident', resident: { id: keep.id } }]),
    );

    // The subject-access export of the survivor holds both records.
    const exported = (await app.gql(director, `query($id: ID!) { residentDataExport(id: $id) }`, { id: merged.id })).body.data.residentDataExport;
    expect(exported.record).toMatchObject({ id: keep.id, gmina: X, pesel: number });
    expect(exported.sensitive).toMatchObject({ healthNotes: 'Cukrzyca.' });
    expect(exported.mergedRecords).toEqual([
      expect.objectContaining({
        id: merged.id,
        gmina: Y,
        pesel: number,
        mergedBy: 'dev-director',
        mergeReason: 'Ta sama osoba zarejestrowana w obu gminach',
        mergedInto: keep.id,
        sensitive: null,
      }),
    ]);
    expect(exported.mergedRecords[0].mergedAt.slice(0, 10)).toBe(today);
    expect(exported.applications.map((a: any) => a.id)).toEqual([keptApplication, mergedApplication].map(rawId));
    expect(exported.plans.map((p: any) => p.id)).toEqual([plan.id]);
    expect(exported.accessLog.map((e: any) => e.subject)).toContain(beforeMerge);

    // The PESEL now belongs to the survivor: registering it again names the survivor.
    const again = await app.gql(coordinator, CREATE_WITH_ID, { input: { firstName: 'Jan', lastName: 'Scalany', pesel: number, gmina: Y } });
    expect(again.body.data.residentCreate.userErrors).toEqual([expect.objectContaining({ code: 'DUPLICATE', existingId: keep.id })]);
  });

  test('only the director merges; a coordinator is FORBIDDEN', async () => {
    const { keep, merged } = await twoRecords('Niescalony');
    const res = await app.gql(coordinator, MERGE, { input: { keepId: keep.id, mergeId: merged.id, reason: 'Ta sama osoba' } });
    expect(codes(res)).toEqual(['FORBIDDEN']);
    const [row] = await rawAsOwner<{ merged_into: string | null }>('select merged_into from resident where id = $1', [rawId(merged.id)]);
    expect(row.merged_into).toBeNull();
  });

  test('refused with a code, changing nothing: one record twice, different PESELs, no reason, a record of another centre, a merge done already', async () => {
    const { keep, merged } = await twoRecords('Odmowny');
    const other = await register(coordinator, { firstName: 'Jan', lastName: 'Odmowny', pesel: pesel('1948-01-02', 'MALE'), gmina: X });
    const stranger = await register(coordinatorZ, { firstName: 'Jan', lastName: 'Odmowny', gmina: Z });
    const attempt = async (input: Record<string, unknown>) =>
      (await app.gql(director, MERGE, { input: { reason: 'Ta sama osoba', ...input } })).body.data.residentMerge;
    const errors = (payload: any) => payload.userErrors.map((e: any) => [e.field.join('.'), e.code]);

    expect(errors(await attempt({ keepId: keep.id, mergeId: keep.id }))).toEqual([['input.mergeId', 'INVALID']]);
    expect(errors(await attempt({ keepId: merged.id, mergeId: other.id }))).toEqual([['input.mergeId', 'INVALID']]);
    expect(errors(await attempt({ keepId: keep.id, mergeId: merged.id, reason: '  ' }))).toEqual([['input.reason', 'REQUIRED']]);
    expect(errors(await attempt({ keepId: keep.id, mergeId: stranger.id }))).toEqual([['input.mergeId', 'NOT_FOUND']]);
    const zMerge = await app.gql(directorZ, MERGE, { input: { keepId: stranger.id, mergeId: keep.id, reason: 'Ta sama osoba' } });
    expect(errors(zMerge.body.data.residentMerge)).toEqual([['input.mergeId', 'NOT_FOUND']]);
    const unchanged = await rawAsOwner<{ n: string }>('select count(*) as n from resident where merged_into is not null and id = any ($1::uuid[])', [
      [keep.id, merged.id, other.id, stranger.id].map(rawId),
    ]);
    expect(Number(unchanged[0].n)).toBe(0);

    expect((await attempt({ keepId: keep.id, mergeId: merged.id })).userErrors).toEqual([]);
    expect(errors(await attempt({ keepId: keep.id, mergeId: merged.id }))).toEqual([['input.mergeId', 'INVALID']]);
  });

  test("a partner reaches the person of a plan made under a merged record through the survivor's current contact", async () => {
    // In the demo, RehaMobil visits Helena Testowa of Wiązowna; here a second record of her, with a new phone,
    // becomes the survivor, in a transaction that is rolled back (the demo stays as it is).
    const helena = '0193a000-0000-7000-8030-000000000001';
    const rehaMobil = '0193a000-0000-7000-8010-000000000007';
    const client = new pg.Client({ connectionString: inject('ownerUrl') });
    await client.connect();
    const seen = async () => (await client.query(`select distinct last_name, phone from partner_assignment where first_name = 'Helena'`)).rows;
    try {
      await client.query('begin');
      await client.query(`select set_config('app.role', 'PARTNER', true), set_config('app.partner_id', $1, true)`, [rehaMobil]);
      expect((await seen()).map((r) => r.last_name)).toEqual(['Testowa']);
      const {
        rows: [survivor],
      } = await client.query(
        `insert into resident (gmina_id, first_name, last_name, birth_date, phone) values (1417082, 'Helena', 'Testowa-Nowa', '1941-03-12', '+48 600 000 111') returning id`,
      );
      await client.query(`select set_config('app.role', 'DIRECTOR', true), set_config('app.user_id', 'raw', true)`);
      await client.query(`update resident set merged_into = $1, merged_at = now(), merged_by = 'raw', merge_reason = 'Ta sama osoba' where id = $2`, [
        survivor.id,
        helena,
      ]);
      await client.query(`select set_config('app.role', 'PARTNER', true)`);
      expect(await seen()).toEqual([{ last_name: 'Testowa-Nowa', phone: '+48 600 000 111' }]);
    } finally {
      await client.query('rollback');
      await client.end();
    }
  });

  test('the database keeps a merge within one centre and for good', async () => {
    const { keep, merged } = await twoRecords('Surowoscalany');
    const stranger = await register(coordinatorZ, { firstName: 'Jan', lastName: 'Surowoscalany', gmina: Z });
    const across = sessionVariables({ subject: 'raw', role: Role.DIRECTOR, gminy: [Number(X), Number(Y), Number(Z)], partnerId: null });
    const crossCentre = await rawAsApp('update resident set merged_into = $1 where id = $2 returning id', [rawId(stranger.id), rawId(merged.id)], across).catch(
      (e: { code?: string }) => e,
    );
    expect(crossCentre).toMatchObject({ code: '23514' });

    expect(
      (await app.gql(director, MERGE, { input: { keepId: keep.id, mergeId: merged.id, reason: 'Ta sama osoba' } })).body.data.residentMerge.userErrors,
    ).toEqual([]);
    const undo = await rawAsApp('update resident set merged_into = null where id = $1 returning id', [rawId(merged.id)], across).catch(
      (e: { code?: string }) => e,
    );
    expect(undo).toMatchObject({ code: '23514' });
  });
});
