import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { codes, rawAsApp, rawAsOwner, Role, startTestApp, type GraphQLResponse, type TestApp, type Who } from './support/app.js';
import { createUnit } from './support/fixtures.js';
import { sessionVariables } from '../src/platform/auth/principal.js';
import { fromGlobalId } from '../src/platform/graphql/node.js';
import { checkPesel } from '../src/modules/resident/pesel.js';

/**
 * Residents' records: PESEL validation, uniqueness per gmina, the special-category part, who may
 * read what, tenant isolation, the access log and the GDPR art. 15 export.
 * Gminy (Małopolskie, powiat krakowski): A Czernichów (1206012; 1206011 is not in the register),
 * B Igołomia-Wawrzeńczyce (1206022), C Iwanowice (1206032, used by the statement count only).
 */
const A = '1206012';
const B = '1206022';
const C = '1206032';

const staff = (role: Role, gmina: string): Who => ({ role, gminy: [gmina] });
const coordinatorA = staff(Role.COORDINATOR, A);
const directorA = staff(Role.DIRECTOR, A);
const organiserA = staff(Role.SERVICES_ORGANISER, A);
const coordinatorB = staff(Role.COORDINATOR, B);
const directorB = staff(Role.DIRECTOR, B);
const organiserB = staff(Role.SERVICES_ORGANISER, B);
/** A partner user of the demo („Razem dla Wiązowny”): a real partner, which reads no resident's record. */
const PARTNER = { role: Role.PARTNER, partner: '0193a000-0000-7000-8000-0000000000aa' };
/** Roles that read no resident's record, whatever their scope. */
const OUTSIDERS: Who[] = [staff(Role.GMINA_OFFICIAL, A), staff(Role.COMMUNITY_ORGANISER, A), PARTNER, { role: Role.MINISTRY }, { role: Role.PLATFORM_ADMIN }];

const WEIGHTS = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
const checkDigit = (first10: string) => (10 - (WEIGHTS.reduce((s, w, i) => s + w * Number(first10[i]), 0) % 10)) % 10;
let serial = 0;
/** A valid PESEL for a birth date as written (it may be an impossible one) and sex; each call gives a new serial number. */
function makePesel(date: string, sex: 'FEMALE' | 'MALE'): string {
  const [y, m, d] = date.split('-').map(Number);
  const offset = y < 1900 ? 80 : y < 2000 ? 0 : y < 2100 ? 20 : y < 2200 ? 40 : 60;
  serial += 1;
  const sexDigit = (serial % 5) * 2 + (sex === 'MALE' ? 1 : 0);
  const first10 = [y % 100, m + offset, d].map((n) => String(n).padStart(2, '0')).join('') + String(serial % 1000).padStart(3, '0') + sexDigit;
  return first10 + checkDigit(first10);
}
const withWrongCheckDigit = (pesel: string) => pesel.slice(0, 10) + ((Number(pesel[10]) + 1) % 10);

const FIELDS = `id firstName lastName pesel birthDate sex version householdNotes address { street postalCode city } contact { phone email } gmina { terc name }`;
const CREATE = `mutation($input: ResidentCreateInput!) { residentCreate(input: $input) { resident { ${FIELDS} } userErrors { field message code } } }`;
const UPDATE = `mutation($input: ResidentUpdateInput!) { residentUpdate(input: $input) { resident { ${FIELDS} } userErrors { field message code } } }`;
const SENSITIVE_SET = `mutation($input: ResidentSensitiveSetInput!) { residentSensitiveSet(input: $input) {
  resident { id sensitive { disabilityLevel disabilityCertificateValidUntil healthNotes } } userErrors { field message code } } }`;
const READ = `query($id: ID!) { resident(id: $id) { ${FIELDS} } }`;

let app: TestApp;
/** A's unit: staff belong to the unit serving their gminy (issue 17 item 10). */
let unitA: { id: string };
beforeAll(async () => {
  app = await startTestApp();
  ({ unit: unitA } = await createUnit(app, A));
  await createUnit(app, B);
  await createUnit(app, C);
});
afterAll(async () => {
  await app.close();
});

let people = 0;
/** Creates a resident through the API (as A's coordinator unless told) and returns it. */
async function createResident(input: Record<string, unknown> = {}, who: Who = coordinatorA) {
  people += 1;
  const res = await app.gql(who, CREATE, { input: { firstName: 'Helena', lastName: `Testowa${people}`, ...input } });
  expect(res.body.errors).toBeUndefined();
  expect(res.body.data.residentCreate.userErrors).toEqual([]);
  return res.body.data.residentCreate.resident;
}

const countIn = async (gmina: string) =>
  Number((await rawAsOwner<{ n: string }>('select count(*) as n from resident where gmina_id = $1', [Number(gmina)]))[0].n);
const readAsA = async (id: string) => (await app.gql(directorA, READ, { id })).body.data.resident;
const rawId = (globalId: string) => fromGlobalId(globalId).key;

describe('PESEL', () => {
  test('the validator reads birth date and sex across centuries and rejects what is not a PESEL', () => {
    const today = '2026-11-23';
    expect(checkPesel('41031210125', today)).toEqual({ facts: { birthDate: '1941-03-12', sex: 'FEMALE' } });
    expect(checkPesel(makePesel('2012-09-21', 'MALE'), today)).toEqual({ facts: { birthDate: '2012-09-21', sex: 'MALE' } });
    expect(checkPesel(makePesel('1899-12-31', 'FEMALE'), today)).toEqual({ facts: { birthDate: '1899-12-31', sex: 'FEMALE' } });
    expect(checkPesel(makePesel('2000-02-29', 'FEMALE'), today)).toEqual({ facts: { birthDate: '2000-02-29', sex: 'FEMALE' } });
    expect(checkPesel(makePesel('2027-01-01', 'MALE'), today)).toEqual({ problems: ['PESEL encodes 2027-01-01, which is in the future'] });
    expect(checkPesel(makePesel('2101-01-01', 'MALE'), today)).toEqual({ problems: ['PESEL encodes 2101-01-01, which is in the future'] });
    expect(checkPesel(makePesel('1941-02-30', 'FEMALE'), today)).toEqual({ problems: ['PESEL encodes 1941-02-30, which is not a date'] });
    expect(checkPesel('41031210126', today)).toEqual({ problems: ['PESEL check digit does not match'] });
    expect(checkPesel('4103121012', today)).toEqual({ problems: ['PESEL must be 11 digits'] });
    expect(checkPesel('4113121012x', today)).toEqual({ problems: ['PESEL must be 11 digits'] });
  });

  test('a coordinator registers a resident with a valid PESEL; the birth date is taken from it', async () => {
    const pesel = makePesel('1941-03-12', 'FEMALE');
    const created = await createResident({
      pesel,
      sex: 'FEMALE',
      address: { street: 'ul. Polna 3', postalCode: '32-070', city: 'Czernichów' },
      contact: { phone: '+48 600 000 001' },
      householdNotes: 'Mieszka sama.',
    });
    expect(created).toMatchObject({
      pesel,
      birthDate: '1941-03-12',
      sex: 'FEMALE',
      version: 1,
      householdNotes: 'Mieszka sama.',
      address: { street: 'ul. Polna 3', postalCode: '32-070', city: 'Czernichów' },
      contact: { phone: '+48 600 000 001', email: null },
      gmina: { terc: A, name: 'Czernichów' },
    });
    expect(await readAsA(created.id)).toEqual(created);
  });

  test('a resident without PESEL is registered with what is known', async () => {
    const created = await createResident({ birthDate: '1952-02-29' });
    expect(created).toMatchObject({ pesel: null, birthDate: '1952-02-29', sex: null, address: null });
  });

  test('a wrong check digit, an impossible date, a birth date or sex that disagree: INVALID and nothing written', async () => {
    const good = makePesel('1941-03-12', 'FEMALE');
    const cases: [Record<string, unknown>, { field: string[]; message: string }[]][] = [
      [{ pesel: withWrongCheckDigit(good) }, [{ field: ['input', 'pesel'], message: 'PESEL check digit does not match' }]],
      [{ pesel: makePesel('1941-02-30', 'FEMALE') }, [{ field: ['input', 'pesel'], message: 'PESEL encodes 1941-02-30, which is not a date' }]],
      [{ pesel: good, birthDate: '1950-01-01' }, [{ field: ['input', 'birthDate'], message: 'Birth date 1950-01-01 does not match the PESEL (1941-03-12)' }]],
      [{ pesel: good, sex: 'MALE' }, [{ field: ['input', 'sex'], message: 'Sex MALE does not match the PESEL (FEMALE)' }]],
      [{ pesel: '1234' }, [{ field: ['input', 'pesel'], message: 'PESEL must be 11 digits' }]],
    ];
    const before = await countIn(A);
    for (const [input, errors] of cases) {
      const res = await app.gql(coordinatorA, CREATE, { input: { firstName: 'Zła', lastName: 'Dana', ...input } });
      expect(res.body.data.residentCreate).toEqual({ resident: null, userErrors: errors.map((e) => ({ ...e, code: 'INVALID' })) });
    }
    expect(await countIn(A)).toBe(before);
  });

  test('blank names, a bad address or contact, a future birth date: userErrors and nothing written', async () => {
    const before = await countIn(A);
    const res = await app.gql(coordinatorA, CREATE, {
      input: {
        firstName: ' ',
        lastName: '',
        birthDate: '2999-01-01',
        address: { street: 'x', postalCode: '32070', city: 'y' },
        contact: { email: 'nie-email' },
        sensitive: { disabilityCertificateValidUntil: '2030-01-01' },
      },
    });
    expect(res.body.data.residentCreate.resident).toBeNull();
    expect(res.body.data.residentCreate.userErrors.map((e: any) => [e.field.join('.'), e.code])).toEqual([
      ['input.firstName', 'REQUIRED'],
      ['input.lastName', 'REQUIRED'],
      ['input.birthDate', 'OUT_OF_RANGE'],
      ['input.address.postalCode', 'INVALID'],
      ['input.contact.email', 'INVALID'],
      ['input.sensitive.disabilityLevel', 'REQUIRED'],
    ]);
    expect(await countIn(A)).toBe(before);
  });

  test('the same PESEL twice in one gmina is DUPLICATE; in another gmina it is a new record', async () => {
    const pesel = makePesel('1938-11-02', 'MALE');
    await createResident({ pesel });
    const before = await countIn(A);
    const again = await app.gql(directorA, CREATE, { input: { firstName: 'Stanisław', lastName: 'Drugi', pesel } });
    expect(again.body.data.residentCreate).toEqual({
      resident: null,
      userErrors: [{ field: ['input', 'pesel'], message: 'A resident with this PESEL is already registered in this gmina', code: 'DUPLICATE' }],
    });
    expect(await countIn(A)).toBe(before);
    const elsewhere = await createResident({ pesel, gmina: B }, coordinatorB);
    expect(elsewhere).toMatchObject({ pesel, birthDate: '1938-11-02', gmina: { terc: B } });
  });

  test('concurrent registrations of one PESEL: one resident, the others DUPLICATE (the unique index behind the check)', async () => {
    const pesel = makePesel('1957-07-30', 'FEMALE');
    const before = await countIn(A);
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        app.gql(i % 2 ? directorA : coordinatorA, CREATE, { input: { firstName: 'Janina', lastName: `Równoległa${i}`, pesel } }),
      ),
    );
    for (const res of results) expect(res.body.errors).toBeUndefined();
    const payloads = results.map((res) => res.body.data.residentCreate);
    expect(payloads.filter((p) => p.resident !== null)).toHaveLength(1);
    for (const p of payloads.filter((p) => p.resident === null)) expect(p.userErrors.map((e: any) => e.code)).toEqual(['DUPLICATE']);
    expect(await countIn(A)).toBe(before + 1);
  });
});

describe('residentUpdate', () => {
  test('changes the given fields, checks the version, and keeps PESEL, birth date and sex consistent', async () => {
    const created = await createResident({ pesel: makePesel('1984-01-15', 'MALE') });
    const newPesel = makePesel('1985-02-16', 'MALE');
    const res = await app.gql(coordinatorA, UPDATE, {
      input: {
        id: created.id,
        version: created.version,
        lastName: 'Zmieniony',
        pesel: newPesel,
        contact: { email: 'marek@example.pl' },
        householdNotes: 'Notatka',
      },
    });
    expect(res.body.data.residentUpdate.userErrors).toEqual([]);
    // The birth date came with the old PESEL and follows the new one.
    expect(res.body.data.residentUpdate.resident).toMatchObject({
      lastName: 'Zmieniony',
      pesel: newPesel,
      birthDate: '1985-02-16',
      version: created.version + 1,
      contact: { email: 'marek@example.pl', phone: null },
      householdNotes: 'Notatka',
    });
    const current = await readAsA(created.id);

    const stale = await app.gql(coordinatorA, UPDATE, { input: { id: created.id, version: created.version, lastName: 'Nadpisany' } });
    expect(stale.body.data.residentUpdate.userErrors.map((e: any) => e.code)).toEqual(['CONFLICT']);
    const wrongDate = await app.gql(coordinatorA, UPDATE, { input: { id: created.id, version: current.version, birthDate: '1985-02-17' } });
    expect(wrongDate.body.data.residentUpdate.userErrors).toEqual([
      { field: ['input', 'birthDate'], message: 'Birth date 1985-02-17 does not match the PESEL (1985-02-16)', code: 'INVALID' },
    ]);
    const badPesel = await app.gql(coordinatorA, UPDATE, {
      input: { id: created.id, version: current.version, pesel: withWrongCheckDigit(newPesel), lastName: 'X' },
    });
    expect(badPesel.body.data.residentUpdate.userErrors.map((e: any) => e.code)).toEqual(['INVALID']);
    const blank = await app.gql(coordinatorA, UPDATE, { input: { id: created.id, version: current.version, firstName: ' ' } });
    expect(blank.body.data.residentUpdate.userErrors.map((e: any) => e.code)).toEqual(['REQUIRED']);
    expect(await readAsA(created.id)).toEqual(current);
  });

  test("taking another resident's PESEL is DUPLICATE and changes nothing", async () => {
    const pesel = makePesel('1966-04-01', 'MALE');
    await createResident({ pesel });
    const other = await createResident();
    const res = await app.gql(coordinatorA, UPDATE, { input: { id: other.id, version: other.version, pesel } });
    expect(res.body.data.residentUpdate.userErrors.map((e: any) => e.code)).toEqual(['DUPLICATE']);
    expect(await readAsA(other.id)).toEqual(other);
  });

  test('null clears optional fields', async () => {
    const created = await createResident({
      pesel: makePesel('1990-05-05', 'FEMALE'),
      sex: 'FEMALE',
      address: { street: 'ul. Szkolna 9', postalCode: '32-070', city: 'Przeginia' },
      contact: { email: 'ewa@example.pl' },
    });
    const res = await app.gql(directorA, UPDATE, { input: { id: created.id, version: created.version, pesel: null, sex: null, address: null, contact: null } });
    expect(res.body.data.residentUpdate.userErrors).toEqual([]);
    expect(res.body.data.residentUpdate.resident).toMatchObject({
      pesel: null,
      birthDate: '1990-05-05',
      sex: null,
      address: null,
      contact: { email: null, phone: null },
    });
  });
});

describe('special-category data', () => {
  const SENSITIVE_READ = `query($id: ID!) { resident(id: $id) { firstName sensitive { disabilityLevel disabilityCertificateValidUntil healthNotes } } }`;
  let resident: any;
  beforeAll(async () => {
    resident = await createResident({
      sensitive: { disabilityLevel: 'MODERATE', disabilityCertificateValidUntil: '2027-03-31', healthNotes: 'Po endoprotezie biodra.' },
    });
  });

  test('coordinators and the director of the gmina read it', async () => {
    for (const who of [coordinatorA, directorA]) {
      const res = await app.gql(who, SENSITIVE_READ, { id: resident.id });
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.resident.sensitive).toEqual({
        disabilityLevel: 'MODERATE',
        disabilityCertificateValidUntil: '2027-03-31',
        healthNotes: 'Po endoprotezie biodra.',
      });
    }
  });

  test('a services organiser reads the record but the sensitive field is FORBIDDEN', async () => {
    const res = await app.gql(organiserA, SENSITIVE_READ, { id: resident.id });
    expect(res.body.data.resident).toEqual({ firstName: 'Helena', sensitive: null });
    expect(codes(res)).toEqual(['FORBIDDEN']);
    expect(res.body.errors![0].path).toEqual(['resident', 'sensitive']);
  });

  test("the database itself shows the rows to keepers only: a services organiser's SQL reads 0 rows", async () => {
    const sql = 'select health_notes from resident_sensitive where resident_id = $1';
    const as = (role: Role) => sessionVariables({ subject: 't', role, gminy: [Number(A)], partnerId: null });
    expect(await rawAsApp(sql, [rawId(resident.id)], as(Role.SERVICES_ORGANISER))).toEqual([]);
    expect(await rawAsApp(sql, [rawId(resident.id)], as(Role.GMINA_OFFICIAL))).toEqual([]);
    expect(await rawAsApp(sql, [rawId(resident.id)], as(Role.COORDINATOR))).toEqual([{ health_notes: 'Po endoprotezie biodra.' }]);
    expect(await rawAsApp(sql, [rawId(resident.id)], { ...as(Role.COORDINATOR), 'app.gminy': B })).toEqual([]);
  });

  test('residentSensitiveSet replaces the part, or adds it where none was held', async () => {
    const res = await app.gql(coordinatorA, SENSITIVE_SET, { input: { residentId: resident.id, disabilityLevel: 'SEVERE', healthNotes: 'Leżąca.' } });
    expect(res.body.data.residentSensitiveSet).toEqual({
      resident: { id: resident.id, sensitive: { disabilityLevel: 'SEVERE', disabilityCertificateValidUntil: null, healthNotes: 'Leżąca.' } },
      userErrors: [],
    });
    const other = await createResident();
    expect((await app.gql(directorA, SENSITIVE_READ, { id: other.id })).body.data.resident.sensitive).toBeNull();
    const added = await app.gql(directorA, SENSITIVE_SET, {
      input: { residentId: other.id, disabilityLevel: 'MILD', disabilityCertificateValidUntil: '2028-09-30' },
    });
    expect(added.body.data.residentSensitiveSet.resident.sensitive).toEqual({
      disabilityLevel: 'MILD',
      disabilityCertificateValidUntil: '2028-09-30',
      healthNotes: null,
    });
  });

  test('a validity date without a level is refused and changes nothing; organisers may not set the part', async () => {
    const before = (await app.gql(directorA, SENSITIVE_READ, { id: resident.id })).body.data.resident;
    const res = await app.gql(coordinatorA, SENSITIVE_SET, { input: { residentId: resident.id, disabilityCertificateValidUntil: '2030-01-01' } });
    expect(res.body.data.residentSensitiveSet.userErrors.map((e: any) => [e.field.join('.'), e.code])).toEqual([['input.disabilityLevel', 'REQUIRED']]);
    const organiser = await app.gql(organiserA, SENSITIVE_SET, { input: { residentId: resident.id, healthNotes: 'x' } });
    expect(codes(organiser)).toEqual(['FORBIDDEN']);
    expect((await app.gql(directorA, SENSITIVE_READ, { id: resident.id })).body.data.resident).toEqual(before);
  });
});

describe('roles', () => {
  let resident: any;
  beforeAll(async () => {
    resident = await createResident({ pesel: makePesel('1949-12-24', 'FEMALE') });
  });

  test('gmina officials, community organisers, partners, the ministry and the platform administrator: FORBIDDEN on every root field, null through node', async () => {
    for (const who of OUTSIDERS) {
      const reads = [
        ['residents', '{ residents { nodes { id } } }'],
        ['resident', `{ resident(id: "${resident.id}") { id } }`],
        ['residentAccessLog', '{ residentAccessLog { nodes { subject } } }'],
        ['residentDataExport', `{ residentDataExport(id: "${resident.id}") }`],
      ];
      for (const [field, query] of reads) {
        const res = await app.gql(who, query);
        expect({ who: who.role, field, codes: codes(res) }).toEqual({ who: who.role, field, codes: ['FORBIDDEN'] });
      }
      const node = await app.gql(who, `query($id: ID!) { node(id: $id) { id ... on Resident { firstName } } nodes(ids: [$id]) { id } }`, { id: resident.id });
      expect(node.body).toEqual({ data: { node: null, nodes: [null] } });
    }
  });

  test('only coordinators and the director write: everyone else is FORBIDDEN and nothing changes', async () => {
    const before = await countIn(A);
    for (const who of [organiserA, ...OUTSIDERS]) {
      const created = await app.gql(who, CREATE, { input: { firstName: 'Nie', lastName: 'Wolno' } });
      const updated = await app.gql(who, UPDATE, { input: { id: resident.id, version: resident.version, lastName: 'Nie wolno' } });
      const sensitive = await app.gql(who, SENSITIVE_SET, { input: { residentId: resident.id, healthNotes: 'x' } });
      for (const res of [created, updated, sensitive]) expect({ who: who.role, codes: codes(res) }).toEqual({ who: who.role, codes: ['FORBIDDEN'] });
    }
    expect(await countIn(A)).toBe(before);
    expect(await readAsA(resident.id)).toEqual(resident);
  });

  test('the access log and the export are for the director only', async () => {
    for (const who of [coordinatorA, organiserA]) {
      expect(codes(await app.gql(who, '{ residentAccessLog { nodes { subject } } }'))).toEqual(['FORBIDDEN']);
      expect(codes(await app.gql(who, `{ residentDataExport(id: "${resident.id}") }`))).toEqual(['FORBIDDEN']);
    }
  });

  test('a services organiser lists and reads residents', async () => {
    const res = await app.gql(
      organiserA,
      `query($id: ID!, $pesel: String) { resident(id: $id) { id } residents(filter: { pesel: $pesel }) { nodes { id } } }`,
      { id: resident.id, pesel: resident.pesel },
    );
    expect(res.body).toEqual({ data: { resident: { id: resident.id }, residents: { nodes: [{ id: resident.id }] } } });
  });
});

describe('tenant isolation', () => {
  let resident: any;
  let before: any;
  beforeAll(async () => {
    resident = await createResident({ pesel: makePesel('1947-06-06', 'MALE'), sensitive: { healthNotes: 'Cukrzyca.' } });
    before = await readAsA(resident.id);
  });
  const staffB = [directorB, coordinatorB, organiserB];

  test("staff of gmina B get nothing of A's residents through any root field or node", async () => {
    for (const who of staffB) {
      const res = await app.gql(
        who,
        `query($id: ID!, $pesel: String) {
        resident(id: $id) { id }
        node(id: $id) { id }
        nodes(ids: [$id]) { id }
        byGmina: residents(filter: { gmina: "${A}" }) { totalCount nodes { id } }
        byPesel: residents(filter: { pesel: $pesel }) { totalCount nodes { id } }
        all: residents(first: 100) { nodes { gmina { terc } } }
      }`,
        { id: resident.id, pesel: resident.pesel },
      );
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data).toMatchObject({
        resident: null,
        node: null,
        nodes: [null],
        byGmina: { totalCount: 0, nodes: [] },
        byPesel: { totalCount: 0, nodes: [] },
      });
      expect(res.body.data.all.nodes.every((n: any) => n.gmina.terc === B)).toBe(true);
    }
    const director = await app.gql(
      directorB,
      `query($id: ID!) { residentDataExport(id: $id) log: residentAccessLog(residentId: $id) { totalCount nodes { subject } } all: residentAccessLog(first: 100) { nodes { resident { gmina { terc } } } } }`,
      { id: resident.id },
    );
    expect(director.body.errors).toBeUndefined();
    expect(director.body.data).toMatchObject({ residentDataExport: null, log: { totalCount: 0, nodes: [] } });
    expect(director.body.data.all.nodes.every((n: any) => n.resident.gmina.terc === B)).toBe(true);
  });

  test("writes of gmina B's staff to A's resident are NOT_FOUND and change nothing", async () => {
    for (const who of [directorB, coordinatorB]) {
      const updated = await app.gql(who, UPDATE, { input: { id: resident.id, version: resident.version, lastName: 'Przejęty' } });
      expect(updated.body.data.residentUpdate).toEqual({
        resident: null,
        userErrors: [{ field: ['input', 'id'], message: 'No such resident', code: 'NOT_FOUND' }],
      });
      const sensitive = await app.gql(who, SENSITIVE_SET, { input: { residentId: resident.id, healthNotes: 'Nadpisane' } });
      expect(sensitive.body.data.residentSensitiveSet).toEqual({
        resident: null,
        userErrors: [{ field: ['input', 'residentId'], message: 'No such resident', code: 'NOT_FOUND' }],
      });
    }
    expect(await readAsA(resident.id)).toEqual(before);
    const sensitive = await app.gql(directorA, `query($id: ID!) { resident(id: $id) { sensitive { healthNotes } } }`, { id: resident.id });
    expect(sensitive.body.data.resident.sensitive).toEqual({ healthNotes: 'Cukrzyca.' });
  });

  test('staff of gmina B cannot register a resident in gmina A', async () => {
    const count = await countIn(A);
    const res = await app.gql(coordinatorB, CREATE, { input: { gmina: A, firstName: 'Obcy', lastName: 'Wpis' } });
    expect(res.body.data.residentCreate).toEqual({
      resident: null,
      userErrors: [{ field: ['input', 'gmina'], message: `Gmina ${A} is outside your scope`, code: 'NOT_ALLOWED' }],
    });
    expect(await countIn(A)).toBe(count);
  });

  test('an id of another type is BAD_USER_INPUT, not a lookup', async () => {
    const unit = Buffer.from(`CusUnit:${rawId(resident.id)}`).toString('base64url');
    const res = await app.gql(directorA, `query($id: ID!) { resident(id: $id) { id } }`, { id: unit });
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('listing', () => {
  test('residents are sorted by last name, first name, id, filtered by words of the name, and paged', async () => {
    const tag = `Sortowni${Date.now().toString(36)}`;
    for (const [first, last] of [
      ['Zofia', `${tag}a`],
      ['Anna', `${tag}b`],
      ['Adam', `${tag}a`],
      ['Adam', `${tag}a`],
    ])
      await createResident({ firstName: first, lastName: last });
    const LIST = `query($name: String, $after: String) { residents(first: 3, after: $after, filter: { nameContains: $name, gmina: "${A}" }) {
      totalCount nodes { firstName lastName } pageInfo { hasNextPage endCursor } } }`;
    const page1 = (await app.gql(organiserA, LIST, { name: tag.toLowerCase() })).body.data.residents;
    expect(page1.totalCount).toBe(4);
    expect(page1.nodes).toEqual([
      { firstName: 'Adam', lastName: `${tag}a` },
      { firstName: 'Adam', lastName: `${tag}a` },
      { firstName: 'Zofia', lastName: `${tag}a` },
    ]);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const page2 = (await app.gql(organiserA, LIST, { name: tag, after: page1.pageInfo.endCursor })).body.data.residents;
    expect(page2.nodes).toEqual([{ firstName: 'Anna', lastName: `${tag}b` }]);
    expect(page2.pageInfo.hasNextPage).toBe(false);
    const twoWords = (await app.gql(organiserA, LIST, { name: `zof ${tag}` })).body.data.residents;
    expect(twoWords.nodes).toEqual([{ firstName: 'Zofia', lastName: `${tag}a` }]);
    const wildcard = (await app.gql(organiserA, LIST, { name: `${tag}%` })).body.data.residents;
    expect(wildcard.totalCount).toBe(0);
  });
});

describe('the access log', () => {
  const LOG = `query($id: ID, $first: Int) { residentAccessLog(residentId: $id, first: $first) { totalCount nodes { accessedAt subject role operation resident { id } } } }`;
  const logOf = async (id: string) => (await app.gql(directorA, LOG, { id, first: 100 })).body.data.residentAccessLog.nodes as any[];

  test('reads through resident(id), residents, node(id) and a partly failing query are each logged with who, role and operation', async () => {
    const resident = await createResident({ pesel: makePesel('1955-05-15', 'FEMALE') });
    const subject = `coordinator-${Date.now()}`;
    const token = await app.token(coordinatorA, { subject });
    const one = await app.gql(token, `query ReadOne($id: ID!) { resident(id: $id) { firstName } }`, { id: resident.id });
    expect(one.body.errors).toBeUndefined();
    const list = await app.gql(token, `query ListThem($pesel: String) { residents(filter: { pesel: $pesel }) { nodes { id } } }`, { pesel: resident.pesel });
    expect(list.body.data.residents.nodes).toEqual([{ id: resident.id }]);
    const node = await app.gql(token, `query($id: ID!) { node(id: $id) { ... on Resident { lastName } } }`, { id: resident.id });
    expect(node.body.data.node).toEqual({ lastName: resident.lastName });
    const partly = await app.gql(token, `query PartlyFails($id: ID!) { resident(id: $id) { firstName } broken: resident(id: "not-an-id") { firstName } }`, {
      id: resident.id,
    });
    expect(partly.body.data).toEqual({ resident: { firstName: 'Helena' }, broken: null });
    expect(codes(partly)).toEqual(['BAD_USER_INPUT']);

    const entries = await logOf(resident.id);
    const mine = entries.filter((e) => e.subject === subject);
    // Newest first; the creation by the default coordinator subject comes last. The reason is the path by
    // field names that read the record, worked out by the server: the operation's name is the client's.
    expect(mine.map((e) => e.operation)).toEqual(['query resident', 'query node', 'query residents', 'query resident']);
    expect(mine.every((e) => e.role === 'COORDINATOR' && e.resident.id === resident.id)).toBe(true);
    expect(entries.at(-1)).toMatchObject({ subject: 'dev-coordinator', operation: 'mutation residentCreate.resident' });
    const times = entries.map((e) => Date.parse(e.accessedAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  test("a list logs every resident on the page, once per operation; the whole log covers only the director's gminy", async () => {
    const tag = `Logowani${Date.now().toString(36)}`;
    const listed = [await createResident({ lastName: `${tag}1` }), await createResident({ lastName: `${tag}2` })];
    const subject = `organiser-${Date.now()}`;
    const res = await app.gql(
      await app.token(organiserA, { subject }),
      `query Twice($name: String) {
      a: residents(filter: { nameContains: $name }) { nodes { id } } b: residents(filter: { nameContains: $name }) { nodes { id } } }`,
      { name: tag },
    );
    expect(res.body.data.a.nodes).toHaveLength(2);
    for (const r of listed) {
      expect((await logOf(r.id)).filter((e) => e.subject === subject).map((e) => [e.role, e.operation])).toEqual([['SERVICES_ORGANISER', 'query residents']]);
    }
    const whole = (await app.gql(directorA, LOG, { first: 100 })).body.data.residentAccessLog;
    expect(whole.totalCount).toBeGreaterThanOrEqual(listed.length);
    const gminy = await app.gql(directorA, `{ residentAccessLog(first: 100) { nodes { resident { gmina { terc } } } } }`);
    expect(new Set(gminy.body.data.residentAccessLog.nodes.map((n: any) => n.resident.gmina.terc))).toEqual(new Set([A]));
  });

  test('nobody can change or delete the log, not even the director with raw SQL; nobody can log in another name', async () => {
    const resident = await createResident();
    const director = sessionVariables({ subject: 'dev-director', role: Role.DIRECTOR, gminy: [Number(A)], partnerId: null });
    const visible = await rawAsApp<{ id: string }>('select id from resident_access_log where resident_id = $1', [rawId(resident.id)], director);
    expect(visible.length).toBeGreaterThan(0);
    await expect(rawAsApp(`update resident_access_log set subject = 'someone-else' where resident_id = $1`, [rawId(resident.id)], director)).rejects.toThrow(
      /permission denied/,
    );
    await expect(rawAsApp('delete from resident_access_log where resident_id = $1', [rawId(resident.id)], director)).rejects.toThrow(/permission denied/);
    await expect(rawAsApp('truncate resident_access_log', [], director)).rejects.toThrow(/permission denied/);
    await expect(
      rawAsApp(
        `insert into resident_access_log (gmina_id, resident_id, subject, role, operation) values ($1, $2, 'someone-else', 'DIRECTOR', 'forged')`,
        [Number(A), rawId(resident.id)],
        director,
      ),
    ).rejects.toThrow(/row-level security/);
    // Unchanged, as the owner sees it.
    const rows = await rawAsOwner<{ n: string }>(`select count(*) as n from resident_access_log where resident_id = $1 and subject <> 'someone-else'`, [
      rawId(resident.id),
    ]);
    expect(Number(rows[0].n)).toBe(visible.length);
  });
});

describe('the subject-access export (GDPR art. 15)', () => {
  test('holds the record, the sensitive part, applications with assessments and needs, and the access log; the export is logged', async () => {
    const resident = await createResident({
      pesel: makePesel('1941-03-12', 'FEMALE'),
      contact: { email: 'helena@example.pl' },
      sensitive: { disabilityLevel: 'MODERATE', healthNotes: 'Po udarze.' },
    });
    const unit = unitA;
    const [application] = await rawAsOwner<{ id: string }>(
      `insert into application (gmina_id, cus_unit_id, resident_id, filed_on, channel, filed_by, requested_areas, request_text)
       values ($1, $2, $3, '2026-09-01', 'IN_PERSON', 'PERSON', '{SOCIAL_ASSISTANCE}', 'Pomoc w zakupach.') returning id`,
      [Number(A), rawId(unit.id), rawId(resident.id)],
    );
    const [assessment] = await rawAsOwner<{ id: string }>(
      `insert into needs_assessment (gmina_id, application_id, conversation_on, place, coordinator_subject, coordinator_name)
       values ($1, $2, '2026-09-05', 'RESIDENT_HOME', 'dev-coordinator', 'Anna Koordynatorka') returning id`,
      [Number(A), application.id],
    );
    await rawAsOwner(
      `insert into needs_assessment_need (gmina_id, assessment_id, area, description) values ($1, $2, 'SOCIAL_ASSISTANCE', 'Zakupy raz w tygodniu')`,
      [Number(A), assessment.id],
    );
    await app.gql(coordinatorA, `query Visit($id: ID!) { resident(id: $id) { id } }`, { id: resident.id });

    const res = await app.gql(directorA, `query SubjectAccess($id: ID!) { residentDataExport(id: $id) }`, { id: resident.id });
    expect(res.body.errors).toBeUndefined();
    const doc = res.body.data.residentDataExport;
    expect(doc).toMatchObject({
      legalBasis: 'GDPR art. 15',
      exportedBy: { subject: 'dev-director', role: 'DIRECTOR' },
      record: {
        id: resident.id,
        gmina: A,
        firstName: 'Helena',
        lastName: resident.lastName,
        pesel: resident.pesel,
        birthDate: '1941-03-12',
        contact: { email: 'helena@example.pl', phone: null },
      },
      sensitive: { disabilityLevel: 'MODERATE', disabilityCertificateValidUntil: null, healthNotes: 'Po udarze.' },
      applications: [
        {
          id: application.id,
          filedOn: '2026-09-01',
          channel: 'IN_PERSON',
          filedBy: 'PERSON',
          requestedAreas: ['SOCIAL_ASSISTANCE'],
          requestText: 'Pomoc w zakupach.',
          status: 'FILED',
          needsAssessments: [
            {
              id: assessment.id,
              conversationOn: '2026-09-05',
              place: 'RESIDENT_HOME',
              coordinatorName: 'Anna Koordynatorka',
              needs: [{ area: 'SOCIAL_ASSISTANCE', description: 'Zakupy raz w tygodniu' }],
            },
          ],
        },
      ],
    });
    expect(Date.parse(doc.exportedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(doc.accessLog.map((e: any) => [e.subject, e.role, e.operation])).toEqual([
      ['dev-coordinator', 'COORDINATOR', 'mutation residentCreate.resident'],
      ['dev-coordinator', 'COORDINATOR', 'query resident'],
    ]);
    const log = await app.gql(directorA, `query($id: ID) { residentAccessLog(residentId: $id, first: 1) { nodes { subject role operation } } }`, {
      id: resident.id,
    });
    expect(log.body.data.residentAccessLog.nodes).toEqual([{ subject: 'dev-director', role: 'DIRECTOR', operation: 'query residentDataExport' }]);
  });

  test('an unknown or out-of-scope id gives null', async () => {
    const res = await app.gql(directorA, `query($id: ID!) { residentDataExport(id: $id) }`, {
      id: Buffer.from('Resident:00000000-0000-4000-8000-000000000000').toString('base64url'),
    });
    expect(res.body).toEqual({ data: { residentDataExport: null } });
  });
});

describe('no N+1', () => {
  const LIST = `query($first: Int!) { residents(first: $first, filter: { gmina: "${C}" }) { nodes { id gmina { name } sensitive { disabilityLevel } } } }`;
  const directorC = staff(Role.DIRECTOR, C);

  async function counted(first: number): Promise<{ res: GraphQLResponse; statements: string[] }> {
    app.statements.length = 0;
    const res = await app.gql(directorC, LIST, { first });
    const statements = app.statements.map((line) => line.replace(/\x1b\[[0-9;]*m/g, ''));
    expect(statements.filter((s) => /set_config\(/.test(s)).length).toBeGreaterThanOrEqual(1);
    return { res, statements };
  }

  test('residents with gmina, sensitive data and the access log: the same statements for 1 resident and for 6', async () => {
    for (let i = 0; i < 6; i += 1) await createResident({ gmina: C, sensitive: { disabilityLevel: 'MILD' } }, staff(Role.COORDINATOR, C));
    const one = await counted(1);
    const many = await counted(6);
    expect(one.res.body.errors).toBeUndefined();
    expect(one.res.body.data.residents.nodes).toHaveLength(1);
    expect(many.res.body.data.residents.nodes).toHaveLength(6);
    expect(many.res.body.data.residents.nodes.every((n: any) => n.gmina.name === 'Iwanowice' && n.sensitive.disabilityLevel === 'MILD')).toBe(true);
    for (const { statements } of [one, many]) {
      expect(statements.filter((s) => /from "?resident_sensitive"?/.test(s))).toHaveLength(1);
      expect(statements.filter((s) => /from "?gmina"?/.test(s))).toHaveLength(1);
      expect(statements.filter((s) => /insert into resident_access_log/.test(s))).toHaveLength(1);
    }
    expect(many.statements.length).toBe(one.statements.length);
    const logged = await rawAsOwner<{ n: string }>(
      `select count(distinct resident_id) as n from resident_access_log where subject = 'dev-director' and gmina_id = $1`,
      [Number(C)],
    );
    expect(Number(logged[0].n)).toBe(6);
  });
});
