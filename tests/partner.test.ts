import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { codes, rawAsApp, rawAsOwner, Role, startTestApp, unique, type GraphQLResponse, type TestApp, type Who } from './support/app.js';
import { ADMIN, createUnit } from './support/fixtures.js';
import { sessionVariables } from '../src/platform/auth/principal.js';
import { checkIdentifier } from '../src/modules/partner/identifiers.js';
import { todayInPoland } from '../src/modules/common/dates.js';

/**
 * Partners and the partner council, per role and across the tenant boundary.
 * Gminy of this file only: A and B in Świętokrzyskie (one inter-municipal unit serves both),
 * C and D in Dolnośląskie (C: another tenant; D: a unit with a small council for statement counts).
 * Staff belong to a unit and name only gminy it serves (issue 17 item 10): staff whose scope below
 * spans A and C or D belong to units serving those gminy, which are not statutory CUS.
 */
const A = '2602012';
const B = '2602023';
const C = '0201011';
const D = '0201022';

const directorAB = { role: Role.DIRECTOR, gminy: [A, B] };
const organiserA = { role: Role.SERVICES_ORGANISER, gminy: [A] };
const communityA = { role: Role.COMMUNITY_ORGANISER, gminy: [A] };
const organiserB = { role: Role.SERVICES_ORGANISER, gminy: [B] };
const directorC = { role: Role.DIRECTOR, gminy: [C] };
const coordinatorA = { role: Role.COORDINATOR, gminy: [A] };
const officialA = { role: Role.GMINA_OFFICIAL, gminy: [A] };
const officialB = { role: Role.GMINA_OFFICIAL, gminy: [B] };
const MINISTRY = { role: Role.MINISTRY };
const partnerUser = (partnerGlobalId: string): Who => ({ role: Role.PARTNER, partner: uuidOf(partnerGlobalId) });

let app: TestApp;
let unitAB: any;
beforeAll(async () => {
  app = await startTestApp();
  ({ unit: unitAB } = await createUnit(app, A, {
    servedGminy: [A, B],
    creationMode: 'INTERMUNICIPAL_AGREEMENT',
    agreement: { number: 'POR.1.2021', date: '2021-01-15' },
    startDate: '2021-02-01',
  }));
  await createUnit(app, C);
  for (const served of [
    [A, C],
    [A, D],
    [A, B, D],
  ]) {
    await createUnit(app, served.at(-1)!, {
      servedGminy: served,
      creationMode: 'INTERMUNICIPAL_AGREEMENT',
      agreement: { number: unique('POR'), date: '2023-12-01' },
      statutory: false,
    });
  }
});
afterAll(async () => {
  await app.close();
});

// --- identifiers with real check digits, computed here independently of the code under test

const NIP_WEIGHTS = [6, 5, 7, 2, 3, 4, 5, 6, 7];
const REGON9_WEIGHTS = [8, 9, 2, 3, 4, 5, 6, 7];
const REGON14_WEIGHTS = [2, 4, 8, 5, 0, 9, 7, 3, 6, 1, 2, 4, 8];
const weighted = (digits: string, weights: number[]) => weights.reduce((sum, w, i) => sum + w * Number(digits[i]), 0);
const randomDigits = (n: number) => Array.from({ length: n }, () => Math.floor(Math.random() * 10)).join('');

/** A random NIP with a correct check digit. */
function validNip(): string {
  for (;;) {
    const prefix = randomDigits(9);
    const check = weighted(prefix, NIP_WEIGHTS) % 11;
    if (check !== 10) return prefix + check;
  }
}
const validRegon9 = (prefix = randomDigits(8)) => prefix + ((weighted(prefix, REGON9_WEIGHTS) % 11) % 10);
const regon14From = (regon9: string) => {
  const prefix = regon9 + randomDigits(4);
  return prefix + ((weighted(prefix, REGON14_WEIGHTS) % 11) % 10);
};
const wrongLastDigit = (digits: string) => digits.slice(0, -1) + ((Number(digits.at(-1)) + 1) % 10);
const dashed = (nip: string) => `${nip.slice(0, 3)}-${nip.slice(3, 6)}-${nip.slice(6, 8)}-${nip.slice(8)}`;
const uuidOf = (globalId: string) => Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1];
const globalIdOf = (type: string, uuid: string) => Buffer.from(`${type}:${uuid}`).toString('base64url');

// --- GraphQL helpers

const PARTNER_FIELDS =
  'id name kind status krs nip regon version description contact { email phone website } address { street postalCode city } gminy { terc }';
const CREATE = `mutation($input: PartnerCreateInput!) { partnerCreate(input: $input) { partner { ${PARTNER_FIELDS} } userErrors { field message code } } }`;
const UPDATE = `mutation($input: PartnerUpdateInput!) { partnerUpdate(input: $input) { partner { ${PARTNER_FIELDS} } userErrors { field message code } } }`;
const RETIRE = `mutation($input: PartnerStatusChangeInput!) { partnerRetire(input: $input) { partner { status version } userErrors { field message code } } }`;
const REACTIVATE = `mutation($input: PartnerStatusChangeInput!) { partnerReactivate(input: $input) { partner { status version } userErrors { field message code } } }`;
const PROFILE = `mutation($input: PartnerProfileUpdateInput!) { partnerProfileUpdate(input: $input) { partner { ${PARTNER_FIELDS} } userErrors { field message code } } }`;
const READ = `query($id: ID!) { partner(id: $id) { ${PARTNER_FIELDS} } }`;

async function createPartner(who: Who, input: Record<string, unknown> = {}) {
  const res = await app.gql(who, CREATE, { input: { name: unique('Stowarzyszenie'), kind: 'NGO', ...input } });
  expect(res.body.errors).toBeUndefined();
  expect(res.body.data.partnerCreate.userErrors).toEqual([]);
  return res.body.data.partnerCreate.partner;
}

/** A partner as the owner of the tables sees it, whatever the policies (null when absent). */
async function partnerRow(name: string) {
  const rows = await rawAsOwner<Record<string, unknown>>(
    'select name, kind, status, nip, gmina_id, gmina_ids, version, description from partner where name = $1',
    [name],
  );
  expect(rows.length).toBeLessThanOrEqual(1);
  return rows[0] ?? null;
}

const partnerIds = async (who: Who, filter: Record<string, unknown> = {}) => {
  const res = await app.gql(who, 'query($filter: PartnerFilter) { partners(first: 100, filter: $filter) { totalCount nodes { id } } }', { filter });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.partners.nodes.map((p: any) => p.id) as string[];
};

const errorsOf = (res: GraphQLResponse, field: string) => {
  expect(res.body.errors).toBeUndefined();
  return res.body.data[field].userErrors.map((e: any) => [e.field.join('.'), e.code, e.message]);
};

describe('identifiers', () => {
  test('the check digits agree with an independent computation, separators are dropped', () => {
    // 526-000-12-46: 5·6 + 2·5 + 6·7 + 0 + 0 + 0 + 1·5 + 2·6 + 4·7 = 127, 127 mod 11 = 6, the last digit.
    expect(weighted('526000124', NIP_WEIGHTS) % 11).toBe(6);
    expect(checkIdentifier('NIP', '526-000-12-46')).toEqual({ digits: '5260001246' });
    expect(checkIdentifier('NIP', '5260001247')).toEqual({ error: 'NIP checksum does not match' });
    for (let i = 0; i < 50; i++) {
      const nip = validNip();
      const regon9 = validRegon9();
      const regon14 = regon14From(regon9);
      expect(checkIdentifier('NIP', dashed(nip))).toEqual({ digits: nip });
      expect(checkIdentifier('NIP', wrongLastDigit(nip)).error).toBe('NIP checksum does not match');
      expect(checkIdentifier('REGON', `${regon9.slice(0, 3)} ${regon9.slice(3)}`)).toEqual({ digits: regon9 });
      expect(checkIdentifier('REGON', regon14)).toEqual({ digits: regon14 });
      expect(checkIdentifier('REGON', wrongLastDigit(regon14)).error).toBe('REGON checksum does not match');
    }
  });

  test('a NIP whose weighted sum gives 10 is never valid, whatever its last digit', () => {
    let prefix: string;
    do prefix = randomDigits(9);
    while (weighted(prefix, NIP_WEIGHTS) % 11 !== 10);
    for (let last = 0; last <= 9; last++) expect(checkIdentifier('NIP', prefix + last).error).toBe('NIP checksum does not match');
  });

  test('a 14-digit REGON needs a valid 9-digit REGON in front, even when its own check digit fits', () => {
    const badFront = wrongLastDigit(validRegon9());
    const regon14 = regon14From(badFront);
    expect(checkIdentifier('REGON', regon14).error).toBe('REGON checksum does not match');
  });
});

describe('the register of partners', () => {
  test('staff register a partner with identifiers typed with separators; digits are stored', async () => {
    const nip = validNip();
    const regon = regon14From(validRegon9());
    const name = unique('Fundacja Pomocy');
    const partner = await createPartner(communityA, {
      name,
      kind: 'SOCIAL_ECONOMY',
      krs: '0000 123 456',
      nip: dashed(nip),
      regon: `${regon.slice(0, 9)}-${regon.slice(9)}`,
      contact: { email: 'biuro@fundacja.pl', phone: '+48 25 123 45 67', website: 'www.fundacja.pl' },
      address: { street: 'ul. Kościelna 3', postalCode: '26-500', city: 'Szydłowiec' },
      description: '  Spółdzielnia socjalna  ',
    });
    expect(partner).toMatchObject({
      name,
      kind: 'SOCIAL_ECONOMY',
      status: 'ACTIVE',
      krs: '0000123456',
      nip,
      regon,
      version: 1,
      description: 'Spółdzielnia socjalna',
      contact: { email: 'biuro@fundacja.pl', phone: '+48 25 123 45 67', website: 'https://www.fundacja.pl' },
      address: { street: 'ul. Kościelna 3', postalCode: '26-500', city: 'Szydłowiec' },
      gminy: [{ terc: A }],
    });
    expect(await partnerRow(name)).toMatchObject({ nip, gmina_id: Number(A), gmina_ids: [Number(A)] });
    const read = await app.gql(organiserA, READ, { id: partner.id });
    expect(read.body.data.partner).toEqual(partner);
  });

  test('a partner without any identifier, contact or address is fine', async () => {
    const partner = await createPartner(organiserA, { kind: 'INFORMAL_GROUP' });
    expect(partner).toMatchObject({ krs: null, nip: null, regon: null, address: null, contact: { email: null, phone: null, website: null } });
  });

  test('bad NIP, REGON and KRS give INVALID user errors with clear messages and write nothing', async () => {
    const name = unique('Błędne');
    const before = (await partnerIds(organiserA, { gmina: A })).length;
    const res = await app.gql(organiserA, CREATE, {
      input: {
        name,
        kind: 'NGO',
        nip: dashed(wrongLastDigit(validNip())),
        regon: wrongLastDigit(validRegon9()),
        krs: '123456789',
        contact: { email: 'nie-email', website: 'ftp://x.pl' },
      },
    });
    expect(res.body.data.partnerCreate.partner).toBeNull();
    expect(errorsOf(res, 'partnerCreate')).toEqual([
      ['input.contact.email', 'INVALID', 'Email address is not valid'],
      ['input.contact.website', 'INVALID', expect.stringContaining('http')],
      ['input.krs', 'INVALID', 'KRS must have 10 digits'],
      ['input.nip', 'INVALID', 'NIP checksum does not match'],
      ['input.regon', 'INVALID', 'REGON checksum does not match'],
    ]);
    const format = await app.gql(organiserA, CREATE, { input: { name, kind: 'NGO', nip: 'PL' + validNip(), regon: '12345', krs: 'KRS0000123456' } });
    expect(errorsOf(format, 'partnerCreate')).toEqual([
      ['input.krs', 'INVALID', 'KRS may contain only digits, spaces and dashes'],
      ['input.nip', 'INVALID', 'NIP may contain only digits, spaces and dashes'],
      ['input.regon', 'INVALID', 'REGON must have 9 or 14 digits'],
    ]);
    expect(await partnerRow(name)).toBeNull();
    expect((await partnerIds(organiserA, { gmina: A })).length).toBe(before);
  });

  test('gminy outside the scope are NOT_ALLOWED; a blank name is REQUIRED; nothing is written', async () => {
    const name = unique('Poza zakresem');
    const res = await app.gql(organiserA, CREATE, { input: { name, kind: 'NGO', gminy: [A, C] } });
    expect(errorsOf(res, 'partnerCreate')).toEqual([['input.gminy.1', 'NOT_ALLOWED', `Gmina ${C} is outside your scope`]]);
    const blank = await app.gql(organiserA, CREATE, { input: { name: '  ', kind: 'NGO', gminy: [] } });
    expect(errorsOf(blank, 'partnerCreate').map((e: any) => [e[0], e[1]])).toEqual([
      ['input.name', 'REQUIRED'],
      ['input.gminy', 'REQUIRED'],
    ]);
    expect(await partnerRow(name)).toBeNull();
  });

  test('a duplicate NIP is DUPLICATE, also when the first partner is in a gmina the caller cannot see', async () => {
    const nip = validNip();
    const first = await createPartner(directorC, { nip });
    const sameGmina = await app.gql(directorC, CREATE, { input: { name: unique('Drugi'), kind: 'NGO', nip: dashed(nip) } });
    expect(errorsOf(sameGmina, 'partnerCreate')).toEqual([['input.nip', 'DUPLICATE', 'A partner with this NIP is already registered']]);

    // Staff of A cannot see C's partner, so only the unique index knows; the refusal still writes nothing.
    const name = unique('Ukryty duplikat');
    const hidden = await app.gql(organiserA, CREATE, { input: { name, kind: 'NGO', nip } });
    expect(hidden.body.data.partnerCreate).toEqual({
      partner: null,
      userErrors: [{ field: ['input', 'nip'], message: 'A partner with this NIP is already registered', code: 'DUPLICATE' }],
    });
    expect(await partnerRow(name)).toBeNull();
    const rows = await rawAsOwner<{ n: number }>('select count(*)::int as n from partner where nip = $1', [nip]);
    expect(rows[0].n).toBe(1);
    expect((await app.gql(directorC, READ, { id: first.id })).body.data.partner.nip).toBe(nip);

    // The same through an update of an existing partner of A.
    const own = await createPartner(organiserA);
    const update = await app.gql(organiserA, UPDATE, { input: { id: own.id, version: own.version, nip, description: 'zmiana' } });
    expect(errorsOf(update, 'partnerUpdate')).toEqual([['input.nip', 'DUPLICATE', 'A partner with this NIP is already registered']]);
    expect((await app.gql(organiserA, READ, { id: own.id })).body.data.partner).toEqual(own);
  });

  test('a centre joins a partner another centre registered, by its NIP: only its own gminy are added, nothing else changes', async () => {
    const nip = validNip();
    const first = await createPartner(directorC, { nip, description: 'Opis C' });
    expect((await app.gql(organiserA, READ, { id: first.id })).body.data.partner).toBeNull();
    const JOIN = `mutation($input: PartnerJoinInput!) { partnerJoin(input: $input) { partner { ${PARTNER_FIELDS} } userErrors { field message code } } }`;

    const refused: [Who, Record<string, unknown>, string[][]][] = [
      [organiserA, { nip: validNip() }, [['input.nip', 'NOT_FOUND']]],
      [organiserA, { nip: wrongLastDigit(nip) }, [['input.nip', 'INVALID']]],
      [organiserA, { nip, gminy: [B] }, [['input.gminy.0', 'NOT_ALLOWED']]],
    ];
    for (const [who, input, expected] of refused) {
      const res = await app.gql(who, JOIN, { input });
      expect(
        res.body.data.partnerJoin.userErrors.map((e: { field: string[]; code: string }) => [e.field.join('.'), e.code]),
        JSON.stringify(input),
      ).toEqual(expected);
    }
    for (const who of [coordinatorA, officialA, MINISTRY]) {
      expect(codes(await app.gql(who, JOIN, { input: { nip } }))).toEqual(['FORBIDDEN']);
    }
    expect(await partnerRow(first.name)).toMatchObject({ gmina_ids: [Number(C)] });

    const joined = await app.gql(organiserA, JOIN, { input: { nip: dashed(nip) } });
    expect(joined.body.data.partnerJoin.userErrors).toEqual([]);
    const partner = joined.body.data.partnerJoin.partner;
    expect(partner).toMatchObject({ id: first.id, name: first.name, nip, description: 'Opis C', version: first.version + 1 });
    expect(partner.gminy.map((g: { terc: string }) => g.terc).sort()).toEqual([A, C].sort());
    // Now both centres see it; a third gmina still does not; joining twice changes no gminy.
    expect((await app.gql(organiserA, READ, { id: first.id })).body.data.partner.id).toBe(first.id);
    expect((await app.gql(organiserB, READ, { id: first.id })).body.data.partner).toBeNull();
    const again = await app.gql(organiserA, JOIN, { input: { nip } });
    expect(again.body.data.partnerJoin.partner.gminy).toHaveLength(2);
    // The function refuses a principal that is not a partner manager, whatever calls it.
    await expect(
      rawAsApp(
        'select app.partner_join($1, $2::int[])',
        [nip, `{${Number(B)}}`],
        sessionVariables({ subject: 'x', role: Role.COORDINATOR, gminy: [Number(B)], partnerId: null }),
      ),
    ).rejects.toThrow(/only partner managers/);
  });

  test('a partner working in two gminy is seen by staff of both and not by a third gmina', async () => {
    const partner = await createPartner(directorAB, { gminy: [A, B] });
    expect(partner.gminy).toEqual([{ terc: A }, { terc: B }]);
    for (const who of [organiserA, organiserB, officialA, officialB, coordinatorA]) {
      expect(await partnerIds(who)).toContain(partner.id);
      expect((await app.gql(who, READ, { id: partner.id })).body.data.partner.id).toBe(partner.id);
    }
    expect(await partnerIds(organiserB, { gmina: B })).toContain(partner.id);
    expect(await partnerIds(organiserB, { gmina: A })).toContain(partner.id);
    const third = await app.gql(directorC, `query($id: ID!) { partner(id: $id) { id } node(id: $id) { id } partners(first: 100) { nodes { id } } }`, {
      id: partner.id,
    });
    expect(third.body.data.partner).toBeNull();
    expect(third.body.data.node).toBeNull();
    expect(third.body.data.partners.nodes.map((p: any) => p.id)).not.toContain(partner.id);
  });

  test('staff change only their own part of the gminy list, and must keep one of theirs', async () => {
    const partner = await createPartner(directorAB, { gminy: [A, B] });
    // Staff of A alone: B is outside their scope, so it stays.
    const onlyA = await app.gql(organiserA, UPDATE, { input: { id: partner.id, version: 1, gminy: [A] } });
    expect(onlyA.body.data.partnerUpdate.partner).toMatchObject({ gminy: [{ terc: A }, { terc: B }], version: 1 });
    const none = await app.gql(organiserA, UPDATE, { input: { id: partner.id, version: 1, gminy: [] } });
    expect(errorsOf(none, 'partnerUpdate')).toEqual([['input.gminy', 'REQUIRED', 'A partner must keep at least one of your gminy']]);
    const foreign = await app.gql(organiserA, UPDATE, { input: { id: partner.id, version: 1, gminy: [C] } });
    expect(errorsOf(foreign, 'partnerUpdate')).toEqual([['input.gminy.0', 'NOT_ALLOWED', `Gmina ${C} is outside your scope`]]);

    // Staff serving A and D move the partner from A to D: B stays, and A's staff lose sight of it.
    const staffAD = { role: Role.COMMUNITY_ORGANISER, gminy: [A, D] };
    const moved = await app.gql(staffAD, UPDATE, { input: { id: partner.id, version: 1, gminy: [D] } });
    expect(moved.body.data.partnerUpdate.partner).toMatchObject({ gminy: [{ terc: B }, { terc: D }], version: 2 });
    expect((await app.gql(organiserA, READ, { id: partner.id })).body.data.partner).toBeNull();
    expect((await app.gql(organiserB, READ, { id: partner.id })).body.data.partner.gminy).toEqual([{ terc: B }, { terc: D }]);
    expect(await partnerRow(partner.name)).toMatchObject({ gmina_id: Number(D), gmina_ids: [Number(B), Number(D)] });
  });

  test('update changes the fields given, clears those set to null; a stale version is CONFLICT', async () => {
    const partner = await createPartner(organiserA, {
      contact: { email: 'a@b.pl', phone: '123456789' },
      address: { street: 'ul. Długa 1', postalCode: '26-500', city: 'Szydłowiec' },
      description: 'Opis',
    });
    const res = await app.gql(communityA, UPDATE, {
      input: {
        id: partner.id,
        version: 1,
        kind: 'CHURCH_BODY',
        contact: { phone: null, website: 'https://parafia.pl' },
        address: null,
        regon: validRegon9(),
      },
    });
    expect(res.body.data.partnerUpdate.userErrors).toEqual([]);
    const updated = res.body.data.partnerUpdate.partner;
    expect(updated).toMatchObject({
      name: partner.name,
      kind: 'CHURCH_BODY',
      version: 2,
      description: 'Opis',
      address: null,
      contact: { email: 'a@b.pl', phone: null, website: 'https://parafia.pl' },
    });
    const stale = await app.gql(communityA, UPDATE, { input: { id: partner.id, version: 1, name: 'Nadpisana' } });
    expect(errorsOf(stale, 'partnerUpdate').map((e: any) => [e[0], e[1]])).toEqual([['input.version', 'CONFLICT']]);
    expect((await app.gql(organiserA, READ, { id: partner.id })).body.data.partner).toEqual(updated);
  });

  test('retire and reactivate; the list shows every status unless filtered', async () => {
    const partner = await createPartner(organiserA, { name: unique('Koło Gospodyń Wiejskich'), kind: 'INFORMAL_GROUP' });
    const retired = await app.gql(communityA, RETIRE, { input: { id: partner.id, version: 1 } });
    expect(retired.body.data.partnerRetire).toEqual({ partner: { status: 'INACTIVE', version: 2 }, userErrors: [] });
    const again = await app.gql(communityA, RETIRE, { input: { id: partner.id, version: 2 } });
    expect(errorsOf(again, 'partnerRetire')).toEqual([['input.id', 'INVALID', 'The partner is already retired']]);
    expect(await partnerIds(organiserA)).toContain(partner.id);
    expect(await partnerIds(organiserA, { status: 'ACTIVE' })).not.toContain(partner.id);
    expect(await partnerIds(organiserA, { status: 'INACTIVE', kind: 'INFORMAL_GROUP', nameContains: 'gospodyń wiejskich' })).toContain(partner.id);
    expect(await partnerIds(organiserA, { status: 'INACTIVE', kind: 'NGO' })).not.toContain(partner.id);
    const stale = await app.gql(communityA, REACTIVATE, { input: { id: partner.id, version: 1 } });
    expect(errorsOf(stale, 'partnerReactivate').map((e: any) => e[1])).toEqual(['CONFLICT']);
    const back = await app.gql(communityA, REACTIVATE, { input: { id: partner.id, version: 2 } });
    expect(back.body.data.partnerReactivate).toEqual({ partner: { status: 'ACTIVE', version: 3 }, userErrors: [] });
  });

  test('partners are sorted by name, paged with cursors, and the name filter takes LIKE characters literally', async () => {
    const prefix = unique('Sortowanie');
    for (const suffix of ['c', 'a', 'b']) await createPartner(organiserA, { name: `${prefix} ${suffix}` });
    await createPartner(organiserA, { name: `${prefix}%_ d` });
    const page = async (after?: string) =>
      (
        await app.gql(
          organiserA,
          `query($after: String, $filter: PartnerFilter) {
      partners(first: 2, after: $after, filter: $filter) { totalCount nodes { name } pageInfo { hasNextPage endCursor } } }`,
          { after, filter: { nameContains: prefix } },
        )
      ).body.data.partners;
    const first = await page();
    expect(first.nodes.map((n: any) => n.name)).toEqual([`${prefix} a`, `${prefix} b`]);
    expect(first.totalCount).toBe(4);
    const second = await page(first.pageInfo.endCursor);
    expect(second.nodes.map((n: any) => n.name)).toEqual([`${prefix} c`, `${prefix}%_ d`]);
    expect(second.pageInfo.hasNextPage).toBe(false);
    expect((await partnerIds(organiserA, { nameContains: `${prefix}%_` })).length).toBe(1);
  });
});

describe('across the tenant boundary', () => {
  test("staff of gmina A cannot read, update, retire or reactivate gmina C's partner; the row is unchanged", async () => {
    const partner = await createPartner(directorC, { nip: validNip() });
    const before = await partnerRow(partner.name);
    for (const who of [organiserA, communityA, { role: Role.DIRECTOR, gminy: [A] }]) {
      const read = await app.gql(who, `query($id: ID!) { partner(id: $id) { id } node(id: $id) { id } }`, { id: partner.id });
      expect(read.body.data).toEqual({ partner: null, node: null });
      expect(await partnerIds(who, { gmina: C })).not.toContain(partner.id);
      const update = await app.gql(who, UPDATE, { input: { id: partner.id, version: 1, name: 'Przejęta', gminy: [A] } });
      expect(errorsOf(update, 'partnerUpdate')).toEqual([['input.id', 'NOT_FOUND', 'No such partner']]);
      const retire = await app.gql(who, RETIRE, { input: { id: partner.id, version: 1 } });
      expect(errorsOf(retire, 'partnerRetire')).toEqual([['input.id', 'NOT_FOUND', 'No such partner']]);
      const reactivate = await app.gql(who, REACTIVATE, { input: { id: partner.id, version: 1 } });
      expect(errorsOf(reactivate, 'partnerReactivate')).toEqual([['input.id', 'NOT_FOUND', 'No such partner']]);
    }
    expect(await partnerRow(partner.name)).toEqual(before);
    expect((await app.gql(directorC, READ, { id: partner.id })).body.data.partner).toEqual(partner);
  });

  test("raw SQL as the application role under gmina A cannot see or change C's partner", async () => {
    const partner = await createPartner(directorC);
    const settings = sessionVariables({ subject: 't', role: Role.DIRECTOR, gminy: [Number(A)], partnerId: null });
    expect(await rawAsApp('select id from partner where id = $1', [uuidOf(partner.id)], settings)).toEqual([]);
    expect(await rawAsApp(`update partner set name = 'x' where id = $1 returning id`, [uuidOf(partner.id)], settings)).toEqual([]);
    await expect(
      rawAsApp(`insert into partner (gmina_id, gmina_ids, name, kind) values ($1, $2, 'x', 'NGO')`, [Number(C), [Number(C)]], settings),
    ).rejects.toThrow(/row-level security/);
  });
});

describe('roles', () => {
  test('GMINA_OFFICIAL and COORDINATOR read partners but every write is FORBIDDEN', async () => {
    const partner = await createPartner(organiserA);
    for (const who of [officialA, coordinatorA]) {
      expect((await app.gql(who, READ, { id: partner.id })).body.data.partner.id).toBe(partner.id);
      expect(codes(await app.gql(who, CREATE, { input: { name: 'X', kind: 'NGO' } }))).toEqual(['FORBIDDEN']);
      expect(codes(await app.gql(who, UPDATE, { input: { id: partner.id, version: 1, name: 'X' } }))).toEqual(['FORBIDDEN']);
      expect(codes(await app.gql(who, RETIRE, { input: { id: partner.id, version: 1 } }))).toEqual(['FORBIDDEN']);
      expect(codes(await app.gql(who, REACTIVATE, { input: { id: partner.id, version: 1 } }))).toEqual(['FORBIDDEN']);
      expect(codes(await app.gql(who, PROFILE, { input: { version: 1, name: 'X' } }))).toEqual(['FORBIDDEN']);
      expect(codes(await app.gql(who, '{ myPartner { id } }'))).toEqual(['FORBIDDEN']);
    }
    expect((await app.gql(organiserA, READ, { id: partner.id })).body.data.partner).toEqual(partner);
  });

  test('MINISTRY is FORBIDDEN on every partner root field and reads nothing through node', async () => {
    const partner = await createPartner(organiserA);
    expect(codes(await app.gql(MINISTRY, '{ partners { nodes { id } } }'))).toEqual(['FORBIDDEN']);
    expect(codes(await app.gql(MINISTRY, READ, { id: partner.id }))).toEqual(['FORBIDDEN']);
    for (const who of [MINISTRY, ADMIN]) {
      expect(codes(await app.gql(who, '{ myPartner { id } }'))).toEqual(['FORBIDDEN']);
      expect(codes(await app.gql(who, CREATE, { input: { name: 'X', kind: 'NGO' } }))).toEqual(['FORBIDDEN']);
      expect(codes(await app.gql(who, RETIRE, { input: { id: partner.id, version: 1 } }))).toEqual(['FORBIDDEN']);
      expect(codes(await app.gql(who, REACTIVATE, { input: { id: partner.id, version: 1 } }))).toEqual(['FORBIDDEN']);
      expect(codes(await app.gql(who, PROFILE, { input: { version: 1 } }))).toEqual(['FORBIDDEN']);
    }
    expect(codes(await app.gql(MINISTRY, UPDATE, { input: { id: partner.id, version: 1, name: 'X' } }))).toEqual(['FORBIDDEN']);
    expect((await app.gql(MINISTRY, 'query($id: ID!) { node(id: $id) { id } }', { id: partner.id })).body.data.node).toBeNull();
    // The platform administrator reads the register to correct identities (tests/partner-takeover.test.ts), never a centre's relationship.
    const admin = await app.gql(ADMIN, `query($id: ID!) { partner(id: $id) { id name relationships { notes } } }`, { id: partner.id });
    expect(admin.body.data.partner).toEqual({ id: partner.id, name: partner.name, relationships: [] });
    expect((await app.gql(organiserA, READ, { id: partner.id })).body.data.partner).toEqual(partner);
  });
});

describe('a partner user', () => {
  let own: any;
  let other: any;
  beforeAll(async () => {
    own = await createPartner(directorAB, { name: unique('Caritas Parafii'), kind: 'CHURCH_BODY', gminy: [A, B], nip: validNip() });
    other = await createPartner(organiserA, { name: unique('Inny partner') });
  });

  test('reads its own profile through myPartner and node(id), and no other partner', async () => {
    const me = partnerUser(own.id);
    const res = await app.gql(
      me,
      `query($own: ID!, $other: ID!) { myPartner { ${PARTNER_FIELDS} } mine: node(id: $own) { id } theirs: node(id: $other) { id } }`,
      { own: own.id, other: other.id },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data).toEqual({ myPartner: own, mine: { id: own.id }, theirs: null });
    expect(codes(await app.gql(me, '{ partners { nodes { id } } }'))).toEqual(['FORBIDDEN']);
    expect(codes(await app.gql(me, READ, { id: other.id }))).toEqual(['FORBIDDEN']);
    expect(codes(await app.gql(me, READ, { id: own.id }))).toEqual(['FORBIDDEN']);
  });

  test('edits its own contact, address, description and name; a stale version is refused', async () => {
    const me = partnerUser(own.id);
    const res = await app.gql(me, PROFILE, {
      input: {
        version: own.version,
        name: `${own.name} (Wiązowna)`,
        contact: { email: 'caritas@parafia.pl', website: 'caritas.example.pl' },
        address: { street: 'ul. Kościelna 1', postalCode: '05-462', city: 'Wiązowna' },
        description: 'Jadłodajnia i wypożyczalnia sprzętu',
      },
    });
    expect(res.body.data.partnerProfileUpdate.userErrors).toEqual([]);
    own = res.body.data.partnerProfileUpdate.partner;
    expect(own).toMatchObject({
      version: 2,
      kind: 'CHURCH_BODY',
      status: 'ACTIVE',
      gminy: [{ terc: A }, { terc: B }],
      contact: { email: 'caritas@parafia.pl', phone: null, website: 'https://caritas.example.pl' },
      address: { city: 'Wiązowna' },
      description: 'Jadłodajnia i wypożyczalnia sprzętu',
    });
    const stale = await app.gql(me, PROFILE, { input: { version: 1, description: 'Nadpisane' } });
    expect(errorsOf(stale, 'partnerProfileUpdate').map((e: any) => e[1])).toEqual(['CONFLICT']);
    const invalid = await app.gql(me, PROFILE, { input: { version: 2, name: ' ', contact: { email: 'x' } } });
    expect(errorsOf(invalid, 'partnerProfileUpdate').map((e: any) => [e[0], e[1]])).toEqual([
      ['input.name', 'REQUIRED'],
      ['input.contact.email', 'INVALID'],
    ]);
    expect((await app.gql(organiserB, READ, { id: own.id })).body.data.partner).toEqual(own);
  });

  test('cannot change its kind, status, gminy or identifiers through any path, raw SQL included', async () => {
    const me = partnerUser(own.id);
    const before = await partnerRow(own.name);
    expect(codes(await app.gql(me, PROFILE, { input: { version: own.version, kind: 'BUSINESS' } }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await app.gql(me, PROFILE, { input: { version: own.version, status: 'INACTIVE' } }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await app.gql(me, PROFILE, { input: { version: own.version, nip: validNip() } }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await app.gql(me, UPDATE, { input: { id: own.id, version: own.version, kind: 'BUSINESS' } }))).toEqual(['FORBIDDEN']);
    expect(codes(await app.gql(me, RETIRE, { input: { id: own.id, version: own.version } }))).toEqual(['FORBIDDEN']);
    expect(codes(await app.gql(me, CREATE, { input: { name: 'X', kind: 'NGO' } }))).toEqual(['FORBIDDEN']);

    // The database refuses it too, under the settings the server would set for this partner.
    const settings = sessionVariables({ subject: 't', role: Role.PARTNER, gminy: [], partnerId: uuidOf(own.id) });
    const id = uuidOf(own.id);
    for (const change of [`kind = 'BUSINESS'`, `nip = null`]) {
      await expect(rawAsApp(`update partner set ${change} where id = $1`, [id], settings)).rejects.toThrow(
        /may not change its status, kind, gminy or identifiers/,
      );
    }
    // Status and gminy follow the centres' relationships: the application role may not write them at all.
    for (const change of [`status = 'INACTIVE'`, `gmina_ids = array[${Number(B)}]`]) {
      await expect(rawAsApp(`update partner set ${change} where id = $1`, [id], settings)).rejects.toThrow(/permission denied/);
    }
    // What it may change, it may (rolled back by rawAsApp); another partner's row it cannot even reach.
    expect(await rawAsApp(`update partner set description = 'x' where id = $1 returning id`, [id], settings)).toEqual([{ id }]);
    expect(await rawAsApp(`update partner set description = 'x' where id = $1 returning id`, [uuidOf(other.id)], settings)).toEqual([]);
    expect(await rawAsApp<{ id: string }>('select id from partner', [], settings)).toEqual([{ id }]);
    expect(await partnerRow(own.name)).toEqual(before);
  });

  test('a token whose partner is not in the register is refused at the door and changes nothing', async () => {
    const ghost = { role: Role.PARTNER, partner: '0193a000-0000-7000-8000-00000000abcd' };
    const res = await app.gql(ghost, '{ myPartner { id } }');
    expect({ status: res.status, codes: codes(res), data: res.body.data }).toEqual({ status: 401, codes: ['UNAUTHENTICATED'], data: undefined });
    const edit = await app.gql(ghost, PROFILE, { input: { version: 1, name: 'Widmo' } });
    expect({ status: edit.status, codes: codes(edit) }).toEqual({ status: 401, codes: ['UNAUTHENTICATED'] });
    expect(await partnerRow('Widmo')).toBeNull();
  });
});

// --- the partner council

const COUNCIL_FIELDS = `id name establishedOn version cusUnit { id }
  members { id representativeName representativeFunction joinedOn leftOn partner { id name } }`;
const COUNCIL_CREATE = `mutation($input: PartnerCouncilCreateInput!) { partnerCouncilCreate(input: $input) { partnerCouncil { ${COUNCIL_FIELDS} } userErrors { field message code } } }`;
const COUNCIL_UPDATE = `mutation($input: PartnerCouncilUpdateInput!) { partnerCouncilUpdate(input: $input) { partnerCouncil { name version establishedOn } userErrors { field message code } } }`;
const MEMBER_FIELDS = 'id representativeName representativeFunction joinedOn leftOn partner { id name }';
const MEMBER_ADD = `mutation($input: PartnerCouncilMemberAddInput!) { partnerCouncilMemberAdd(input: $input) { member { ${MEMBER_FIELDS} } userErrors { field message code } } }`;
const MEMBER_UPDATE = `mutation($input: PartnerCouncilMemberUpdateInput!) { partnerCouncilMemberUpdate(input: $input) { member { ${MEMBER_FIELDS} } userErrors { field message code } } }`;
const MEMBER_REMOVE = `mutation($input: PartnerCouncilMemberRemoveInput!) { partnerCouncilMemberRemove(input: $input) { member { ${MEMBER_FIELDS} } userErrors { field message code } } }`;
const MEETING_FIELDS = 'id heldOn place topics outcomes attendanceCount attendees { id representativeName }';
const MEETING_ADD = `mutation($input: PartnerCouncilMeetingAddInput!) { partnerCouncilMeetingAdd(input: $input) { meeting { ${MEETING_FIELDS} } userErrors { field message code } } }`;
const MEETING_UPDATE = `mutation($input: PartnerCouncilMeetingUpdateInput!) { partnerCouncilMeetingUpdate(input: $input) { meeting { ${MEETING_FIELDS} } userErrors { field message code } } }`;
const MEETING_REMOVE = `mutation($input: PartnerCouncilMeetingRemoveInput!) { partnerCouncilMeetingRemove(input: $input) { removedId userErrors { field message code } } }`;
const HISTORY = `query($id: ID!, $first: Int, $after: String, $from: LocalDate, $to: LocalDate) { partnerCouncil(id: $id) {
  meetings(first: $first, after: $after, from: $from, to: $to) { totalCount pageInfo { hasNextPage endCursor } nodes { ${MEETING_FIELDS} } } } }`;

async function addMember(who: Who, input: Record<string, unknown>) {
  const res = await app.gql(who, MEMBER_ADD, { input });
  expect(res.body.errors).toBeUndefined();
  expect(res.body.data.partnerCouncilMemberAdd.userErrors).toEqual([]);
  return res.body.data.partnerCouncilMemberAdd.member;
}

async function addMeeting(who: Who, input: Record<string, unknown>) {
  const res = await app.gql(who, MEETING_ADD, { input });
  expect(res.body.errors).toBeUndefined();
  expect(res.body.data.partnerCouncilMeetingAdd.userErrors).toEqual([]);
  return res.body.data.partnerCouncilMeetingAdd.meeting;
}

const history = async (who: Who, id: string, vars: Record<string, unknown> = {}) => {
  const res = await app.gql(who, HISTORY, { id, ...vars });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.partnerCouncil.meetings;
};

describe('the partner council of a CUS', () => {
  let council: any;
  let partners: Record<'gops' | 'kgw' | 'szkola' | 'late' | 'retired' | 'elsewhere', any>;
  const members: Record<string, any> = {};
  const meetings: Record<string, any> = {};

  beforeAll(async () => {
    partners = {
      gops: await createPartner(organiserA, { name: unique('Stowarzyszenie Razem'), kind: 'NGO' }),
      kgw: await createPartner(organiserB, { name: unique('KGW Malinki'), kind: 'INFORMAL_GROUP' }),
      szkola: await createPartner(organiserA, { name: unique('Szkoła Podstawowa'), kind: 'PUBLIC_INSTITUTION' }),
      late: await createPartner(organiserA, { name: unique('Spółdzielnia Socjalna'), kind: 'SOCIAL_ECONOMY' }),
      retired: await createPartner(organiserA, { name: unique('Fundacja w likwidacji') }),
      elsewhere: await createPartner(directorC, { name: unique('Fundacja z Bolesławca'), gminy: [C] }),
    };
    await app.gql(organiserA, RETIRE, { input: { id: partners.retired.id, version: 1 } });
  });

  test('the services organiser sets up the council; one per unit; only council managers of the seat gmina', async () => {
    const input = { cusUnitId: unitAB.id, name: 'Rada Partnerów CUS', establishedOn: '2021-04-20' };
    expect(codes(await app.gql(coordinatorA, COUNCIL_CREATE, { input }))).toEqual(['FORBIDDEN']);
    expect(codes(await app.gql(communityA, COUNCIL_CREATE, { input }))).toEqual(['FORBIDDEN']);
    expect(codes(await app.gql(officialA, COUNCIL_CREATE, { input }))).toEqual(['FORBIDDEN']);
    const notSeat = await app.gql(organiserB, COUNCIL_CREATE, { input });
    expect(errorsOf(notSeat, 'partnerCouncilCreate').map((e: any) => [e[0], e[1]])).toEqual([['input.cusUnitId', 'NOT_ALLOWED']]);
    const otherTenant = await app.gql({ role: Role.SERVICES_ORGANISER, gminy: [C] }, COUNCIL_CREATE, { input });
    expect(errorsOf(otherTenant, 'partnerCouncilCreate')).toEqual([['input.cusUnitId', 'NOT_FOUND', 'No such CUS unit']]);

    const created = await app.gql(organiserA, COUNCIL_CREATE, { input });
    expect(created.body.data.partnerCouncilCreate.userErrors).toEqual([]);
    council = created.body.data.partnerCouncilCreate.partnerCouncil;
    expect(council).toMatchObject({ name: 'Rada Partnerów CUS', establishedOn: '2021-04-20', version: 1, cusUnit: { id: unitAB.id }, members: [] });

    const again = await app.gql(directorAB, COUNCIL_CREATE, { input: { ...input, name: 'Druga rada' } });
    expect(errorsOf(again, 'partnerCouncilCreate')).toEqual([['input.cusUnitId', 'DUPLICATE', 'This unit already has a partner council']]);
    // The unit also serves B: B's official reads the council, B's organiser may not keep it.
    const viaUnit = await app.gql(officialB, 'query($id: ID!) { cusUnit(id: $id) { partnerCouncil { id name } } }', { id: unitAB.id });
    expect(viaUnit.body.data.cusUnit.partnerCouncil).toEqual({ id: council.id, name: 'Rada Partnerów CUS' });
    const byB = await app.gql(organiserB, COUNCIL_UPDATE, { input: { id: council.id, version: 1, name: 'Rada B' } });
    expect(errorsOf(byB, 'partnerCouncilUpdate')).toEqual([['input.id', 'NOT_ALLOWED', "The council is kept by the staff of the unit's seat gmina"]]);
  });

  test('council update takes the version; a stale one changes nothing', async () => {
    const res = await app.gql(directorAB, COUNCIL_UPDATE, { input: { id: council.id, version: 1, name: 'Rada Partnerów CUS Szydłowiec' } });
    expect(res.body.data.partnerCouncilUpdate).toEqual({
      partnerCouncil: { name: 'Rada Partnerów CUS Szydłowiec', version: 2, establishedOn: '2021-04-20' },
      userErrors: [],
    });
    const stale = await app.gql(organiserA, COUNCIL_UPDATE, { input: { id: council.id, version: 1, name: 'Nadpisana', establishedOn: null } });
    expect(errorsOf(stale, 'partnerCouncilUpdate').map((e: any) => [e[0], e[1]])).toEqual([['input.version', 'CONFLICT']]);
    const now = await app.gql(officialA, 'query($id: ID!) { partnerCouncil(id: $id) { name version establishedOn } }', { id: council.id });
    expect(now.body.data.partnerCouncil).toEqual({ name: 'Rada Partnerów CUS Szydłowiec', version: 2, establishedOn: '2021-04-20' });
  });

  test('partners join through their representatives; a partner is a current member once', async () => {
    members.gops = await addMember(organiserA, {
      councilId: council.id,
      partnerId: partners.gops.id,
      representativeName: 'Anna Nowak',
      representativeFunction: 'prezeska',
      joinedOn: '2021-05-01',
    });
    members.kgw = await addMember(directorAB, {
      councilId: council.id,
      partnerId: partners.kgw.id,
      representativeName: 'Maria Kowalska',
      joinedOn: '2021-05-01',
    });
    members.szkola = await addMember(organiserA, {
      councilId: council.id,
      partnerId: partners.szkola.id,
      representativeName: 'Jan Wiśniewski',
      representativeFunction: 'dyrektor',
      joinedOn: '2021-05-01',
    });
    members.late = await addMember(organiserA, {
      councilId: council.id,
      partnerId: partners.late.id,
      representativeName: 'Piotr Zieliński',
      joinedOn: '2021-05-15',
    });
    expect(members.gops).toMatchObject({
      representativeName: 'Anna Nowak',
      representativeFunction: 'prezeska',
      joinedOn: '2021-05-01',
      leftOn: null,
      partner: { id: partners.gops.id, name: partners.gops.name },
    });

    const dup = await app.gql(organiserA, MEMBER_ADD, {
      input: { councilId: council.id, partnerId: partners.gops.id, representativeName: 'Ktoś Inny', joinedOn: '2021-06-01' },
    });
    expect(errorsOf(dup, 'partnerCouncilMemberAdd')).toEqual([['input.partnerId', 'DUPLICATE', 'The partner already sits on this council']]);
    const retired = await app.gql(organiserA, MEMBER_ADD, {
      input: { councilId: council.id, partnerId: partners.retired.id, representativeName: 'X', joinedOn: '2021-06-01' },
    });
    expect(errorsOf(retired, 'partnerCouncilMemberAdd')).toEqual([['input.partnerId', 'NOT_ALLOWED', 'A retired partner cannot join the council']]);
    // Visible to a principal who also serves C, but it works in none of the unit's gminy.
    const elsewhere = await app.gql({ role: Role.SERVICES_ORGANISER, gminy: [A, C] }, MEMBER_ADD, {
      input: { councilId: council.id, partnerId: partners.elsewhere.id, representativeName: 'X', joinedOn: '2021-06-01' },
    });
    expect(errorsOf(elsewhere, 'partnerCouncilMemberAdd')).toEqual([
      ['input.partnerId', 'NOT_ALLOWED', 'The partner does not work in any gmina the unit serves'],
    ]);
    // Invisible to staff of A alone: not found.
    const invisible = await app.gql(organiserA, MEMBER_ADD, {
      input: { councilId: council.id, partnerId: partners.elsewhere.id, representativeName: ' ', joinedOn: '2021-06-01' },
    });
    expect(errorsOf(invisible, 'partnerCouncilMemberAdd').map((e: any) => [e[0], e[1]])).toEqual([
      ['input.partnerId', 'NOT_FOUND'],
      ['input.representativeName', 'REQUIRED'],
    ]);

    const byB = await app.gql(organiserB, MEMBER_ADD, {
      input: { councilId: council.id, partnerId: partners.kgw.id, representativeName: 'X', joinedOn: '2021-06-01' },
    });
    expect(errorsOf(byB, 'partnerCouncilMemberAdd').map((e: any) => [e[0], e[1]])).toEqual([['input.councilId', 'NOT_ALLOWED']]);

    // Each reader sees the partners it may see: B's official sees KGW (B) but not the partners of A alone.
    const list = await app.gql(officialA, `query($id: ID!) { partnerCouncil(id: $id) { members { representativeName partner { name } } } }`, {
      id: council.id,
    });
    expect(list.body.data.partnerCouncil.members.map((m: any) => m.representativeName)).toEqual([
      'Anna Nowak',
      'Jan Wiśniewski',
      'Maria Kowalska',
      'Piotr Zieliński',
    ]);
    expect(list.body.data.partnerCouncil.members.map((m: any) => m.partner?.name ?? null)).toEqual([
      partners.gops.name,
      partners.szkola.name,
      null,
      partners.late.name,
    ]);
    const listB = await app.gql(officialB, `query($id: ID!) { partnerCouncil(id: $id) { members { partner { name } } } }`, { id: council.id });
    expect(listB.body.data.partnerCouncil.members.map((m: any) => m.partner?.name ?? null)).toEqual([null, null, partners.kgw.name, null]);
  });

  test('the Wiązowna-style meetings are listed most recent first with their attendance', async () => {
    meetings.may13 = await addMeeting(organiserA, {
      councilId: council.id,
      heldOn: '2021-05-13',
      place: 'Sala konferencyjna CUS',
      topics: ['Diagnoza potrzeb', 'Regulamin Rady Partnerów'],
      outcomes: 'Przyjęto regulamin',
      attendeeIds: [members.gops.id, members.kgw.id],
    });
    meetings.may21 = await addMeeting(organiserA, {
      councilId: council.id,
      heldOn: '2021-05-21',
      topics: ['Usługi partnerów w katalogu: "Klub Seniora", opieka wytchnieniowa', 'NULL'],
      attendeeIds: [members.gops.id, members.kgw.id, members.szkola.id, members.late.id],
    });
    meetings.june8 = await addMeeting(directorAB, {
      councilId: council.id,
      heldOn: '2021-06-08',
      place: 'Świetlica wiejska',
      topics: ['Katalog usług społecznych'],
      outcomes: 'Uzgodniono, które usługi partnerów wchodzą do katalogu',
      attendeeIds: [members.szkola.id, members.late.id, members.gops.id],
    });
    expect(meetings.may13).toMatchObject({ attendanceCount: 2, attendees: [{ id: members.gops.id }, { id: members.kgw.id }] });
    expect(meetings.may21.topics).toEqual(['Usługi partnerów w katalogu: "Klub Seniora", opieka wytchnieniowa', 'NULL']);

    const all = await history(officialB, council.id);
    expect(all.totalCount).toBe(3);
    expect(all.nodes.map((m: any) => [m.heldOn, m.attendanceCount])).toEqual([
      ['2021-06-08', 3],
      ['2021-05-21', 4],
      ['2021-05-13', 2],
    ]);
    expect(all.nodes[0].attendees.map((a: any) => a.representativeName)).toEqual(['Jan Wiśniewski', 'Piotr Zieliński', 'Anna Nowak']);
    expect(all.nodes[1].topics).toEqual(meetings.may21.topics);

    const first = await history(officialA, council.id, { first: 2 });
    expect(first.nodes.map((m: any) => m.heldOn)).toEqual(['2021-06-08', '2021-05-21']);
    expect(first.pageInfo.hasNextPage).toBe(true);
    const rest = await history(officialA, council.id, { first: 2, after: first.pageInfo.endCursor });
    expect(rest.nodes.map((m: any) => m.heldOn)).toEqual(['2021-05-13']);
    expect(rest.pageInfo.hasNextPage).toBe(false);
    const may = await history(officialA, council.id, { from: '2021-05-01', to: '2021-05-31' });
    expect(may.nodes.map((m: any) => m.heldOn)).toEqual(['2021-05-21', '2021-05-13']);
    expect(may.totalCount).toBe(2);
    expect(codes(await app.gql(officialA, HISTORY, { id: council.id, after: 'nie-kursor' }))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await app.gql(officialA, HISTORY, { id: council.id, from: '2021-06-01', to: '2021-05-01' }))).toEqual(['BAD_USER_INPUT']);
  });

  test('an attendee who is not a member, or did not sit on the council that day, is INVALID; nothing is written', async () => {
    const stranger = globalIdOf('PartnerCouncilMember', '0193a000-0000-7000-8000-0000000000aa');
    const res = await app.gql(organiserA, MEETING_ADD, {
      input: {
        councilId: council.id,
        heldOn: '2021-05-10',
        topics: ['Spotkanie próbne', '  '],
        attendeeIds: [members.gops.id, stranger, members.late.id, members.gops.id],
      },
    });
    expect(errorsOf(res, 'partnerCouncilMeetingAdd')).toEqual([
      ['input.topics.1', 'REQUIRED', 'A topic must not be blank'],
      ['input.attendeeIds.1', 'INVALID', 'Not a member of this council'],
      ['input.attendeeIds.2', 'INVALID', 'Piotr Zieliński did not sit on the council on 2021-05-10 (2021-05-15..now)'],
      ['input.attendeeIds.3', 'DUPLICATE', 'This member is listed twice'],
    ]);
    const noTopics = await app.gql(organiserA, MEETING_ADD, { input: { councilId: council.id, heldOn: '2021-05-10', topics: [] } });
    expect(errorsOf(noTopics, 'partnerCouncilMeetingAdd').map((e: any) => [e[0], e[1]])).toEqual([['input.topics', 'REQUIRED']]);
    expect((await history(officialA, council.id)).totalCount).toBe(3);
  });

  test('a member leaves: after the last meeting it attended, not before it joined; former members stay in the history', async () => {
    const beforeJoin = await app.gql(organiserA, MEMBER_REMOVE, { input: { id: members.kgw.id, leftOn: '2021-04-30' } });
    expect(errorsOf(beforeJoin, 'partnerCouncilMemberRemove').map((e: any) => [e[0], e[1]])).toEqual([['input.leftOn', 'OUT_OF_RANGE']]);
    const beforeMeeting = await app.gql(organiserA, MEMBER_REMOVE, { input: { id: members.kgw.id, leftOn: '2021-05-20' } });
    expect(errorsOf(beforeMeeting, 'partnerCouncilMemberRemove')).toEqual([
      ['input.leftOn', 'INVALID', 'The member attended the meeting of 2021-05-21, outside 2021-05-01..2021-05-20'],
    ]);
    const left = await app.gql(organiserA, MEMBER_REMOVE, { input: { id: members.kgw.id, leftOn: '2021-05-31' } });
    expect(left.body.data.partnerCouncilMemberRemove.member).toMatchObject({ leftOn: '2021-05-31' });
    const twice = await app.gql(organiserA, MEMBER_REMOVE, { input: { id: members.kgw.id } });
    expect(errorsOf(twice, 'partnerCouncilMemberRemove').map((e: any) => [e[0], e[1]])).toEqual([['input.id', 'INVALID']]);

    const afterLeaving = await app.gql(organiserA, MEETING_ADD, {
      input: { councilId: council.id, heldOn: '2021-06-15', topics: ['Podsumowanie'], attendeeIds: [members.kgw.id] },
    });
    expect(errorsOf(afterLeaving, 'partnerCouncilMeetingAdd').map((e: any) => [e[0], e[1]])).toEqual([['input.attendeeIds.0', 'INVALID']]);

    const lists = await app.gql(
      officialA,
      `query($id: ID!) { partnerCouncil(id: $id) { now: members { representativeName } ever: members(current: false) { representativeName leftOn } } }`,
      { id: council.id },
    );
    expect(lists.body.data.partnerCouncil.now.map((m: any) => m.representativeName)).toEqual(['Anna Nowak', 'Jan Wiśniewski', 'Piotr Zieliński']);
    expect(lists.body.data.partnerCouncil.ever).toContainEqual({ representativeName: 'Maria Kowalska', leftOn: '2021-05-31' });
    // The meeting of 21 May still lists her.
    expect((await history(officialA, council.id, { from: '2021-05-21', to: '2021-05-21' })).nodes[0].attendanceCount).toBe(4);

    // The partner may rejoin later, but not for a period overlapping the one it already had.
    const overlap = await app.gql(directorAB, MEMBER_ADD, {
      input: { councilId: council.id, partnerId: partners.kgw.id, representativeName: 'Maria Kowalska', joinedOn: '2021-05-20' },
    });
    expect(errorsOf(overlap, 'partnerCouncilMemberAdd').map((e: any) => [e[0], e[1]])).toEqual([['input.partnerId', 'INVALID']]);
    const rejoined = await addMember(directorAB, {
      councilId: council.id,
      partnerId: partners.kgw.id,
      representativeName: 'Zofia Kowalska',
      joinedOn: '2022-01-10',
    });
    // Her earlier period can still be corrected while the partner sits on the council again.
    const oldPeriod = await app.gql(directorAB, MEMBER_UPDATE, { input: { id: members.kgw.id, joinedOn: '2021-04-28' } });
    expect(oldPeriod.body.data.partnerCouncilMemberUpdate).toMatchObject({ member: { joinedOn: '2021-04-28', leftOn: '2021-05-31' }, userErrors: [] });
    const intoNew = await app.gql(directorAB, MEMBER_UPDATE, { input: { id: rejoined.id, joinedOn: '2021-05-30' } });
    expect(errorsOf(intoNew, 'partnerCouncilMemberUpdate')).toEqual([
      ['input.joinedOn', 'INVALID', 'The partner sat on this council from 2021-04-28 to 2021-05-31 as well'],
    ]);
    const today = await app.gql(organiserA, MEMBER_REMOVE, { input: { id: rejoined.id } });
    expect(today.body.data.partnerCouncilMemberRemove.member.leftOn).toBe(todayInPoland());
  });

  test('member and meeting updates keep attendance consistent; a meeting recorded by mistake is removed', async () => {
    const lateJoin = await app.gql(organiserA, MEMBER_UPDATE, { input: { id: members.gops.id, joinedOn: '2021-05-14' } });
    expect(errorsOf(lateJoin, 'partnerCouncilMemberUpdate').map((e: any) => [e[0], e[1]])).toEqual([['input.joinedOn', 'INVALID']]);
    const renamed = await app.gql(organiserA, MEMBER_UPDATE, {
      input: { id: members.gops.id, representativeName: 'Anna Nowak-Kamińska', representativeFunction: null, joinedOn: '2021-04-30' },
    });
    expect(renamed.body.data.partnerCouncilMemberUpdate.member).toMatchObject({
      representativeName: 'Anna Nowak-Kamińska',
      representativeFunction: null,
      joinedOn: '2021-04-30',
    });

    const earlier = await app.gql(organiserA, MEETING_UPDATE, { input: { id: meetings.may21.id, heldOn: '2021-05-12' } });
    expect(errorsOf(earlier, 'partnerCouncilMeetingUpdate')).toEqual([
      ['input.heldOn', 'INVALID', 'Piotr Zieliński, recorded as present, did not sit on the council on 2021-05-12'],
    ]);
    const fixed = await app.gql(organiserA, MEETING_UPDATE, {
      input: { id: meetings.june8.id, place: null, topics: ['Katalog usług', 'Harmonogram'], attendeeIds: [members.gops.id] },
    });
    expect(fixed.body.data.partnerCouncilMeetingUpdate.meeting).toMatchObject({
      place: null,
      topics: ['Katalog usług', 'Harmonogram'],
      attendanceCount: 1,
      heldOn: '2021-06-08',
    });

    const mistake = await addMeeting(organiserA, { councilId: council.id, heldOn: '2021-07-01', topics: ['Pomyłka'] });
    expect((await history(officialA, council.id)).totalCount).toBe(4);
    const removed = await app.gql(organiserA, MEETING_REMOVE, { input: { id: mistake.id } });
    expect(removed.body.data.partnerCouncilMeetingRemove).toEqual({ removedId: mistake.id, userErrors: [] });
    expect((await history(officialA, council.id)).nodes.map((m: any) => m.heldOn)).toEqual(['2021-06-08', '2021-05-21', '2021-05-13']);
  });

  test('staff of another gmina neither see nor change the council, its members or meetings', async () => {
    const before = await app.gql(
      officialA,
      `query($id: ID!) { partnerCouncil(id: $id) { name version members(current: false) { ${MEMBER_FIELDS} } meetings { nodes { ${MEETING_FIELDS} } } } }`,
      { id: council.id },
    );
    const ids = { council: council.id, member: members.szkola.id, meeting: meetings.may13.id };
    const read = await app.gql(
      directorC,
      `query($council: ID!, $member: ID!, $meeting: ID!) {
      partnerCouncil(id: $council) { id } c: node(id: $council) { id } m: node(id: $member) { id } g: node(id: $meeting) { id } }`,
      ids,
    );
    expect(read.body.data).toEqual({ partnerCouncil: null, c: null, m: null, g: null });

    const attempts: [string, string, Record<string, unknown>][] = [
      [COUNCIL_CREATE, 'partnerCouncilCreate', { cusUnitId: unitAB.id, name: 'Przejęta' }],
      [COUNCIL_UPDATE, 'partnerCouncilUpdate', { id: council.id, version: 2, name: 'Przejęta' }],
      [MEMBER_ADD, 'partnerCouncilMemberAdd', { councilId: council.id, partnerId: partners.szkola.id, representativeName: 'X', joinedOn: '2022-01-01' }],
      [MEMBER_UPDATE, 'partnerCouncilMemberUpdate', { id: members.szkola.id, representativeName: 'X' }],
      [MEMBER_REMOVE, 'partnerCouncilMemberRemove', { id: members.szkola.id, leftOn: '2022-01-01' }],
      [MEETING_ADD, 'partnerCouncilMeetingAdd', { councilId: council.id, heldOn: '2022-01-01', topics: ['X'] }],
      [MEETING_UPDATE, 'partnerCouncilMeetingUpdate', { id: meetings.may13.id, topics: ['X'] }],
      [MEETING_REMOVE, 'partnerCouncilMeetingRemove', { id: meetings.may13.id }],
    ];
    for (const [mutation, field, input] of attempts) {
      const res = await app.gql({ role: Role.DIRECTOR, gminy: [C] }, mutation, { input });
      expect(res.body.data[field].userErrors.map((e: any) => e.code)).toContain('NOT_FOUND');
    }
    const after = await app.gql(
      officialA,
      `query($id: ID!) { partnerCouncil(id: $id) { name version members(current: false) { ${MEMBER_FIELDS} } meetings { nodes { ${MEETING_FIELDS} } } } }`,
      { id: council.id },
    );
    expect(after.body).toEqual(before.body);
  });

  test('GMINA_OFFICIAL reads but writes are FORBIDDEN; PARTNER, MINISTRY and PLATFORM_ADMIN are FORBIDDEN', async () => {
    const writes: [string, Record<string, unknown>][] = [
      [COUNCIL_UPDATE, { id: council.id, version: 2, name: 'X' }],
      [MEMBER_ADD, { councilId: council.id, partnerId: partners.szkola.id, representativeName: 'X', joinedOn: '2022-01-01' }],
      [MEMBER_UPDATE, { id: members.szkola.id, representativeName: 'X' }],
      [MEMBER_REMOVE, { id: members.szkola.id }],
      [MEETING_ADD, { councilId: council.id, heldOn: '2022-01-01', topics: ['X'] }],
      [MEETING_UPDATE, { id: meetings.may13.id, topics: ['X'] }],
      [MEETING_REMOVE, { id: meetings.may13.id }],
    ];
    for (const who of [officialA, coordinatorA, communityA, MINISTRY, ADMIN, partnerUser(partners.gops.id)]) {
      for (const [mutation, input] of writes) expect(codes(await app.gql(who, mutation, { input }))).toEqual(['FORBIDDEN']);
    }
    for (const who of [MINISTRY, ADMIN, partnerUser(partners.gops.id)]) {
      expect(codes(await app.gql(who, 'query($id: ID!) { partnerCouncil(id: $id) { id } }', { id: council.id }))).toEqual(['FORBIDDEN']);
      expect((await app.gql(who, 'query($id: ID!) { node(id: $id) { id } }', { id: council.id })).body.data.node).toBeNull();
    }
    const adminViaUnit = await app.gql(ADMIN, 'query($id: ID!) { cusUnit(id: $id) { name partnerCouncil { id } } }', { id: unitAB.id });
    expect(codes(adminViaUnit)).toEqual(['FORBIDDEN']);
    expect(adminViaUnit.body.data.cusUnit).toMatchObject({ partnerCouncil: null });
    const reads = await app.gql(officialA, `query($id: ID!, $unit: ID!) { partnerCouncil(id: $id) { name } cusUnit(id: $unit) { partnerCouncil { id } } }`, {
      id: council.id,
      unit: unitAB.id,
    });
    expect(reads.body.data).toEqual({ partnerCouncil: { name: 'Rada Partnerów CUS Szydłowiec' }, cusUnit: { partnerCouncil: { id: council.id } } });
  });
});

describe('no N+1: statements grow with depth, not with rows', () => {
  const reader = { role: Role.DIRECTOR, gminy: [A, B, D] };

  /** Runs one operation and returns its response with the statements it sent, checking the count saw the whole operation. */
  async function counted(who: Who, query: string, variables?: Record<string, unknown>) {
    app.statements.length = 0;
    const res = await app.gql(who, query, variables);
    expect(res.body.errors).toBeUndefined();
    const statements = app.statements.map((line) => line.replace(/\x1b\[[0-9;]*m/g, ''));
    expect(statements.filter((s) => /set_config\(/.test(s)).length).toBeGreaterThanOrEqual(1);
    expect(statements.filter((s) => /\[query\] (commit|rollback)\b/.test(s))).toHaveLength(1);
    return { res, statements };
  }

  let bigCouncil: string;
  let smallCouncil: string;
  let unitIds: string[];

  beforeAll(async () => {
    const manager = { role: Role.DIRECTOR, gminy: [D] };
    const build = async (gmina: string, who: Who, memberCount: number, meetingCount: number) => {
      const { unit } = await createUnit(app, gmina);
      const created = await app.gql(who, COUNCIL_CREATE, { input: { cusUnitId: unit.id, name: unique('Rada'), establishedOn: '2022-01-01' } });
      const id = created.body.data.partnerCouncilCreate.partnerCouncil.id;
      const memberIds: string[] = [];
      for (let i = 0; i < memberCount; i++) {
        const partner = await createPartner(who, { name: unique(`Partner ${i}`) });
        memberIds.push((await addMember(who, { councilId: id, partnerId: partner.id, representativeName: `Osoba ${i}`, joinedOn: '2022-01-01' })).id);
      }
      for (let i = 0; i < meetingCount; i++) {
        await addMeeting(who, { councilId: id, heldOn: `2022-02-${String(i + 1).padStart(2, '0')}`, topics: [`Temat ${i}`], attendeeIds: memberIds });
      }
      return { id, unit: unit.id };
    };
    const small = await build(D, manager, 1, 1);
    const big = await build(B, { role: Role.DIRECTOR, gminy: [B] }, 5, 6);
    smallCouncil = small.id;
    bigCouncil = big.id;
    unitIds = [small.unit, big.unit];
  });

  test('partners with their gminy: the same count for 1 partner and 100', async () => {
    const PARTNERS = 'query($first: Int!) { partners(first: $first) { nodes { name gminy { terc } } } }';
    const one = await counted(reader, PARTNERS, { first: 1 });
    const many = await counted(reader, PARTNERS, { first: 100 });
    expect(one.res.body.data.partners.nodes).toHaveLength(1);
    expect(many.res.body.data.partners.nodes.length).toBeGreaterThan(15);
    expect(many.res.body.data.partners.nodes.every((p: any) => p.gminy.length >= 1)).toBe(true);
    expect(many.statements.length).toBe(one.statements.length);
  });

  test('a council with members, their partners, meetings and attendees: the same count for 1 member and meeting as for many', async () => {
    const COUNCIL = `query($id: ID!) { partnerCouncil(id: $id) {
      members { representativeName partner { name } }
      meetings { totalCount nodes { heldOn attendees { representativeName } } } } }`;
    const small = await counted(reader, COUNCIL, { id: smallCouncil });
    const big = await counted(reader, COUNCIL, { id: bigCouncil });
    expect(small.res.body.data.partnerCouncil.members).toHaveLength(1);
    expect(small.res.body.data.partnerCouncil.meetings.nodes).toHaveLength(1);
    const bigData = big.res.body.data.partnerCouncil;
    expect(bigData.members).toHaveLength(5);
    expect(bigData.members.every((m: any) => m.partner.name.startsWith('Partner'))).toBe(true);
    expect(bigData.meetings.totalCount).toBe(6);
    expect(bigData.meetings.nodes.map((m: any) => m.heldOn)[0]).toBe('2022-02-06');
    expect(bigData.meetings.nodes.every((m: any) => m.attendees.length === 5)).toBe(true);
    expect(big.statements.length).toBe(small.statements.length);
  });

  test('councils of several units, with their meeting pages: one statement for all pages', async () => {
    const UNITS = `query($ids: [ID!]!) { nodes(ids: $ids) { ... on CusUnit { partnerCouncil { name members { partner { name } } meetings(first: 3) { totalCount nodes { heldOn attendanceCount attendees { representativeName } } } } } } }`;
    const one = await counted(reader, UNITS, { ids: unitIds.slice(0, 1) });
    const two = await counted(reader, UNITS, { ids: unitIds });
    const [small, big] = two.res.body.data.nodes.map((n: any) => n.partnerCouncil);
    expect(small.meetings).toMatchObject({ totalCount: 1, nodes: [{ heldOn: '2022-02-01', attendanceCount: 1 }] });
    expect(big.meetings.totalCount).toBe(6);
    expect(big.meetings.nodes.map((m: any) => m.heldOn)).toEqual(['2022-02-06', '2022-02-05', '2022-02-04']);
    expect(two.statements.length).toBe(one.statements.length);
    expect(two.statements.filter((s) => /from partner_council_meeting m/.test(s))).toHaveLength(1);
  });
});
