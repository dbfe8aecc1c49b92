import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import { codes, rawAsApp, rawAsOwner, Role, startTestApp, testConfig, unique, type TestApp, type Who } from './support/app.js';
import { sessionVariables } from '../src/platform/auth/principal.js';
import { DEMO_UNITS } from '../seeds/demo-units.js';
import { scratchDatabase } from '../src/platform/database/scratch-server.js';
import { createOrm } from '../src/app.js';
import { ensureAppRole } from '../src/platform/database/app-role.js';
import { loadTerytRegister } from '../seeds/teryt.js';
import { migrationsList } from '../migrations/index.js';
import { validNip } from './support/commissioned-world.js';

/**
 * Issue 17, item 1: a centre that merely works with a partner must not change the partner's shared
 * identity (name, kind, KRS/NIP/REGON, contact, address, description) for every gmina, nor retire it
 * for the others. Played through the API as each role, from Kobyłka (1434011), which joins a partner
 * Wiązowna (1417082) registered, knowing only its public NIP. Each centre's relationship with the
 * partner (status, local contact, notes) is its own. The demo gminy are used, with partners of this file.
 */
const WIA = '1417082';
const KOB = '1434011';

const directorW = { role: Role.DIRECTOR, gminy: [WIA] };
const organiserW = { role: Role.SERVICES_ORGANISER, gminy: [WIA] };
const directorK = { role: Role.DIRECTOR, gminy: [KOB] };
const organiserK = { role: Role.SERVICES_ORGANISER, gminy: [KOB] };
const communityK = { role: Role.COMMUNITY_ORGANISER, gminy: [KOB] };
const coordinatorK = { role: Role.COORDINATOR, gminy: [KOB] };
const officialK = { role: Role.GMINA_OFFICIAL, gminy: [KOB] };
const officialW = { role: Role.GMINA_OFFICIAL, gminy: [WIA] };
const ADMIN = { role: Role.PLATFORM_ADMIN };
const MINISTRY = { role: Role.MINISTRY };

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app.close();
});

const uuidOf = (globalId: string) => Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1];
const globalIdOf = (type: string, uuid: string) => Buffer.from(`${type}:${uuid}`).toString('base64url');

const FIELDS = 'id name kind status krs nip regon version description contact { email phone website } address { street postalCode city } gminy { terc }';
const ERRORS = 'userErrors { field message code }';
const CREATE = `mutation($input: PartnerCreateInput!) { partnerCreate(input: $input) { partner { ${FIELDS} } ${ERRORS} } }`;
const JOIN = `mutation($input: PartnerJoinInput!) { partnerJoin(input: $input) { partner { ${FIELDS} } ${ERRORS} } }`;
const UPDATE = `mutation($input: PartnerUpdateInput!) { partnerUpdate(input: $input) { partner { ${FIELDS} } ${ERRORS} } }`;
const RETIRE = `mutation($input: PartnerStatusChangeInput!) { partnerRetire(input: $input) { partner { status version } ${ERRORS} } }`;
const REACTIVATE = `mutation($input: PartnerStatusChangeInput!) { partnerReactivate(input: $input) { partner { status version } ${ERRORS} } }`;
const PROFILE = `mutation($input: PartnerProfileUpdateInput!) { partnerProfileUpdate(input: $input) { partner { ${FIELDS} } ${ERRORS} } }`;
const READ = `query($id: ID!) { partner(id: $id) { ${FIELDS} } }`;

/** The shared identity as the owner of the tables sees it, whatever the policies. */
async function identityRow(id: string) {
  const [row] = await rawAsOwner(
    'select name, kind, krs, nip, regon, email, phone, website, street, postal_code, city, description from partner where id = $1',
    [uuidOf(id)],
  );
  return row;
}

async function read(who: Who, id: string) {
  const res = await app.gql(who, READ, { id });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.partner;
}

async function hsdsOrganization(terc: string, id: string) {
  const response = await fetch(new URL(`/hsds/${terc}/organizations/${uuidOf(id)}`, app.url));
  return { status: response.status, body: response.status === 200 ? await response.json() : null };
}

async function hsdsListed(terc: string, id: string): Promise<boolean> {
  for (let page = 1; ; page++) {
    const response = await fetch(new URL(`/hsds/${terc}/organizations?per_page=100&page=${page}`, app.url));
    const body = await response.json();
    if (body.contents.some((o: { id: string }) => o.id === uuidOf(id))) return true;
    if (page >= body.total_pages) return false;
  }
}

const userErrors = (res: { body: any }, field: string) => {
  expect(res.body.errors).toBeUndefined();
  return res.body.data[field].userErrors.map((e: any) => [e.field.join('.'), e.code]);
};

/** A partner Wiązowna registers, with identifiers, contact and address; Kobyłka then joins it by its NIP. */
async function wiazownaPartner() {
  const nip = validNip();
  const created = await app.gql(directorW, CREATE, {
    input: {
      name: unique('Stowarzyszenie Wiązowskie'),
      kind: 'NGO',
      nip,
      krs: '0000123456',
      contact: { email: 'biuro@wiazowskie.pl', phone: '+48 22 789 01 02', website: 'https://wiazowskie.pl' },
      address: { street: 'ul. Kościelna 1', postalCode: '05-462', city: 'Wiązowna' },
      description: 'Opieka wytchnieniowa',
    },
  });
  expect(created.body.data.partnerCreate.userErrors).toEqual([]);
  return { partner: created.body.data.partnerCreate.partner, nip };
}

async function joinedByKobylka() {
  const { nip } = await wiazownaPartner();
  const joined = await app.gql(directorK, JOIN, { input: { nip } });
  expect(joined.body.data.partnerJoin.userErrors).toEqual([]);
  expect(joined.body.data.partnerJoin.partner.gminy.map((g: { terc: string }) => g.terc).sort()).toEqual([KOB, WIA].sort());
  return { partner: joined.body.data.partnerJoin.partner, nip };
}

/** Every change of the shared identity a takeover tried: each must be refused as a whole. */
const IDENTITY_CHANGES: Record<string, unknown>[] = [
  { name: 'Przejęte przez Kobyłkę' },
  { kind: 'BUSINESS' },
  { nip: null },
  { krs: '0000999999' },
  { regon: null },
  { contact: { email: 'przejete@kobylka.pl', phone: '+48 600 000 000' } },
  { address: { street: 'ul. Obca 9', postalCode: '05-230', city: 'Kobyłka' } },
  { description: 'Nowy opis' },
];

describe('a centre that joined a partner cannot take it over', () => {
  test("Kobyłka's managers cannot rename it, change its kind, identifiers, contact or address: NOT_ALLOWED, nothing changes anywhere", async () => {
    const { partner } = await joinedByKobylka();
    const before = await identityRow(partner.id);
    const hsdsBefore = await hsdsOrganization(WIA, partner.id);
    expect(hsdsBefore.body).toMatchObject({ name: partner.name });

    for (const who of [directorK, organiserK, communityK]) {
      for (const change of IDENTITY_CHANGES) {
        const current = await read(who, partner.id);
        const res = await app.gql(who, UPDATE, { input: { id: partner.id, version: current.version, ...change } });
        const key = Object.keys(change)[0];
        expect({ who: who.role, change, errors: userErrors(res, 'partnerUpdate') }).toEqual({
          who: who.role,
          change,
          errors: [[`input.${key}`, 'NOT_ALLOWED']],
        });
        expect(res.body.data.partnerUpdate.partner).toBeNull();
      }
    }
    // The message says who may, so the user knows where to go.
    const res = await app.gql(directorK, UPDATE, { input: { id: partner.id, version: (await read(directorK, partner.id)).version, name: 'X' } });
    expect(res.body.data.partnerUpdate.userErrors[0].message).toMatch(/centre that registered/);

    expect(await identityRow(partner.id)).toEqual(before);
    const seenByW = await read(directorW, partner.id);
    expect(seenByW).toMatchObject({ name: partner.name, kind: 'NGO', nip: partner.nip, krs: '0000123456', contact: partner.contact, address: partner.address });
    expect((await hsdsOrganization(WIA, partner.id)).body).toEqual(hsdsBefore.body);
  });

  test('other roles of Kobyłka, the ministry and another partner are refused outright', async () => {
    const { partner } = await joinedByKobylka();
    const before = await identityRow(partner.id);
    const other = await wiazownaPartner();
    const otherPartnerUser = { role: Role.PARTNER, partner: uuidOf(other.partner.id) };
    for (const who of [coordinatorK, officialK, officialW, MINISTRY, otherPartnerUser] as Who[]) {
      const res = await app.gql(who, UPDATE, { input: { id: partner.id, version: partner.version, name: 'Przejęte' } });
      expect({ who: who.role, codes: codes(res) }).toEqual({ who: who.role, codes: ['FORBIDDEN'] });
      const retire = await app.gql(who, RETIRE, { input: { id: partner.id, version: partner.version } });
      expect({ who: who.role, codes: codes(retire) }).toEqual({ who: who.role, codes: ['FORBIDDEN'] });
    }
    // Another partner's user edits its own profile only: this partner is not reachable from it.
    const own = await app.gql(otherPartnerUser, PROFILE, { input: { version: other.partner.version, name: 'Nowa nazwa własna' } });
    expect(own.body.data.partnerProfileUpdate.partner).toMatchObject({ id: other.partner.id, name: 'Nowa nazwa własna' });
    expect(await identityRow(partner.id)).toEqual(before);
  });

  test("Kobyłka's retirement is Kobyłka's alone: Wiązowna's register and HSDS export still list the partner as active", async () => {
    const { partner } = await joinedByKobylka();
    const current = await read(directorK, partner.id);
    const retired = await app.gql(directorK, RETIRE, { input: { id: partner.id, version: current.version } });
    expect(retired.body.data.partnerRetire.userErrors).toEqual([]);
    expect(retired.body.data.partnerRetire.partner.status).toBe('INACTIVE');

    expect((await read(organiserK, partner.id)).status).toBe('INACTIVE');
    expect((await read(directorW, partner.id)).status).toBe('ACTIVE');
    expect((await read(officialW, partner.id)).status).toBe('ACTIVE');
    const active = (who: Who, gmina: string) =>
      app.gql(who, 'query($f: PartnerFilter) { partners(first: 100, filter: $f) { nodes { id } } }', {
        f: { gmina, status: 'ACTIVE', nameContains: partner.name },
      });
    expect((await active(directorW, WIA)).body.data.partners.nodes).toEqual([{ id: partner.id }]);
    expect((await active(directorK, KOB)).body.data.partners.nodes).toEqual([]);
    expect(await hsdsListed(WIA, partner.id)).toBe(true);
    expect((await hsdsOrganization(WIA, partner.id)).status).toBe(200);
    expect(await hsdsListed(KOB, partner.id)).toBe(false);
    expect((await hsdsOrganization(KOB, partner.id)).status).toBe(404);

    // Wiązowna retires and reactivates its own relationship; Kobyłka's stays retired.
    const w = await read(directorW, partner.id);
    expect((await app.gql(directorW, RETIRE, { input: { id: partner.id, version: w.version } })).body.data.partnerRetire.partner.status).toBe('INACTIVE');
    expect(await hsdsListed(WIA, partner.id)).toBe(false);
    const w2 = await read(directorW, partner.id);
    expect((await app.gql(directorW, REACTIVATE, { input: { id: partner.id, version: w2.version } })).body.data.partnerReactivate.partner.status).toBe(
      'ACTIVE',
    );
    expect((await read(directorK, partner.id)).status).toBe('INACTIVE');
    expect(await hsdsListed(WIA, partner.id)).toBe(true);
  });

  test('each centre keeps its own local contact and notes, which the other centre does not see', async () => {
    const { partner } = await joinedByKobylka();
    const REL = `query($id: ID!) { partner(id: $id) { relationships { gmina { terc } status contactName contactEmail contactPhone notes retiredOn } } }`;
    const current = await read(directorK, partner.id);
    const res = await app.gql(directorK, UPDATE, {
      input: {
        id: partner.id,
        version: current.version,
        relationship: { contactName: 'Jan Kowalski', contactEmail: 'jan@wiazowskie.pl', contactPhone: '+48 600 111 222', notes: 'Dowóz w soboty' },
      },
    });
    expect(res.body.data.partnerUpdate.userErrors).toEqual([]);
    const mine = await app.gql(organiserK, REL, { id: partner.id });
    expect(mine.body.data.partner.relationships).toEqual([
      {
        gmina: { terc: KOB },
        status: 'ACTIVE',
        contactName: 'Jan Kowalski',
        contactEmail: 'jan@wiazowskie.pl',
        contactPhone: '+48 600 111 222',
        notes: 'Dowóz w soboty',
        retiredOn: null,
      },
    ]);
    const theirs = await app.gql(directorW, REL, { id: partner.id });
    expect(theirs.body.data.partner.relationships).toEqual([
      { gmina: { terc: WIA }, status: 'ACTIVE', contactName: null, contactEmail: null, contactPhone: null, notes: null, retiredOn: null },
    ]);
    // In the database too: Wiązowna's staff read no row of Kobyłka's relationships.
    const settings = sessionVariables({ subject: 't', role: Role.DIRECTOR, gminy: [Number(WIA)], partnerId: null });
    expect(await rawAsApp('select gmina_id from partner_gmina where partner_id = $1', [uuidOf(partner.id)], settings)).toEqual([{ gmina_id: Number(WIA) }]);
  });

  test('the database refuses the takeover too, under the settings the server would set for Kobyłka', async () => {
    const { partner } = await joinedByKobylka();
    const before = await rawAsOwner('select * from partner where id = $1', [uuidOf(partner.id)]);
    const settings = sessionVariables({ subject: 't', role: Role.DIRECTOR, gminy: [Number(KOB)], partnerId: null });
    const id = uuidOf(partner.id);
    for (const change of [`name = 'x'`, `kind = 'BUSINESS'`, `nip = null`, `email = 'x@y.pl'`, `street = null`, `description = 'x'`]) {
      await expect(rawAsApp(`update partner set ${change} where id = $1`, [id], settings), change).rejects.toThrow(/identity/);
    }
    for (const change of [`status = 'INACTIVE'`, `gmina_ids = array[${KOB}]`, `gmina_id = ${KOB}`]) {
      await expect(rawAsApp(`update partner set ${change} where id = $1`, [id], settings), change).rejects.toThrow(/permission denied/);
    }
    // Nor can it touch Wiązowna's relationship.
    expect(
      await rawAsApp(`update partner_gmina set status = 'INACTIVE', retired_on = current_date where partner_id = $1 returning gmina_id`, [id], settings),
    ).toEqual([{ gmina_id: Number(KOB) }]);
    expect(await rawAsApp(`delete from partner_gmina where partner_id = $1 and gmina_id = ${WIA} returning gmina_id`, [id], settings)).toEqual([]);
    expect(await rawAsOwner('select * from partner where id = $1', [uuidOf(partner.id)])).toEqual(before);
  });
});

describe('who may change the shared identity', () => {
  test('the registering centre, while the partner has no users of its own', async () => {
    const { partner } = await joinedByKobylka();
    const res = await app.gql(organiserW, UPDATE, {
      input: {
        id: partner.id,
        version: (await read(organiserW, partner.id)).version,
        name: 'Stowarzyszenie Wiązowskie (nowa nazwa)',
        kind: 'SOCIAL_ECONOMY',
        contact: { email: 'nowy@wiazowskie.pl' },
      },
    });
    expect(res.body.data.partnerUpdate.userErrors).toEqual([]);
    expect(res.body.data.partnerUpdate.partner).toMatchObject({ name: 'Stowarzyszenie Wiązowskie (nowa nazwa)', kind: 'SOCIAL_ECONOMY' });
    // Everyone sees the registrar's change: the joined centre and the public export of both gminy.
    expect((await read(directorK, partner.id)).name).toBe('Stowarzyszenie Wiązowskie (nowa nazwa)');
    expect((await hsdsOrganization(KOB, partner.id)).body.name).toBe('Stowarzyszenie Wiązowskie (nowa nazwa)');
  });

  test("once the partner's own user edits its profile, the profile is the partner's: the registrar is refused, the platform administrator is not", async () => {
    const { partner } = await joinedByKobylka();
    const me = { role: Role.PARTNER, partner: uuidOf(partner.id) };
    const claimed = await app.gql(me, PROFILE, {
      input: { version: partner.version, name: 'Nazwa nadana przez partnera', contact: { phone: '+48 22 111 22 33' } },
    });
    expect(claimed.body.data.partnerProfileUpdate.userErrors).toEqual([]);
    const claimedPartner = claimed.body.data.partnerProfileUpdate.partner;
    expect(claimedPartner).toMatchObject({ name: 'Nazwa nadana przez partnera', contact: { phone: '+48 22 111 22 33' } });
    expect((await app.gql(directorW, `query($id: ID!) { partner(id: $id) { claimed identityEditable } }`, { id: partner.id })).body.data.partner).toEqual({
      claimed: true,
      identityEditable: false,
    });

    const byRegistrar = await app.gql(directorW, UPDATE, {
      input: { id: partner.id, version: (await read(directorW, partner.id)).version, name: 'Z powrotem' },
    });
    expect(userErrors(byRegistrar, 'partnerUpdate')).toEqual([['input.name', 'NOT_ALLOWED']]);
    expect(byRegistrar.body.data.partnerUpdate.userErrors[0].message).toMatch(/partner keeps its own profile/);
    expect((await hsdsOrganization(WIA, partner.id)).body.name).toBe('Nazwa nadana przez partnera');

    // The platform administrator corrects what the partner may not: its kind and identifiers.
    const adminRead = await app.gql(ADMIN, READ, { id: partner.id });
    expect(adminRead.body.data.partner.name).toBe('Nazwa nadana przez partnera');
    const nip = validNip();
    const byAdmin = await app.gql(ADMIN, UPDATE, { input: { id: partner.id, version: adminRead.body.data.partner.version, kind: 'SOCIAL_ECONOMY', nip } });
    expect(byAdmin.body.data.partnerUpdate.userErrors).toEqual([]);
    expect(byAdmin.body.data.partnerUpdate.partner).toMatchObject({ kind: 'SOCIAL_ECONOMY', nip });
    // The administrator keeps no relationship: it cannot retire the partner or change gminy and notes.
    expect(codes(await app.gql(ADMIN, RETIRE, { input: { id: partner.id, version: 1 } }))).toEqual(['FORBIDDEN']);
    const adminRel = await app.gql(ADMIN, UPDATE, {
      input: { id: partner.id, version: byAdmin.body.data.partnerUpdate.partner.version, gminy: [WIA], relationship: { notes: 'x' } },
    });
    expect(userErrors(adminRel, 'partnerUpdate')).toEqual([
      ['input.gminy', 'NOT_ALLOWED'],
      ['input.relationship', 'NOT_ALLOWED'],
    ]);
    // The partner still edits its own profile.
    const again = await app.gql(me, PROFILE, { input: { version: byAdmin.body.data.partnerUpdate.partner.version, description: 'Opis partnera' } });
    expect(again.body.data.partnerProfileUpdate.partner).toMatchObject({ description: 'Opis partnera', kind: 'SOCIAL_ECONOMY', nip });
  });

  test('the platform administrator marks a partner claimed (its accounts were set up) and releases it', async () => {
    const { partner } = await wiazownaPartner();
    const MARK = `mutation($input: PartnerStatusChangeInput!) { partnerMarkClaimed(input: $input) { partner { claimed version } ${ERRORS} } }`;
    const RELEASE = `mutation($input: PartnerStatusChangeInput!) { partnerReleaseClaim(input: $input) { partner { claimed version } ${ERRORS} } }`;
    for (const who of [directorW, organiserW, officialW, { role: Role.PARTNER, partner: uuidOf(partner.id) }] as Who[]) {
      expect(codes(await app.gql(who, MARK, { input: { id: partner.id, version: partner.version } }))).toEqual(['FORBIDDEN']);
    }
    const marked = await app.gql(ADMIN, MARK, { input: { id: partner.id, version: partner.version } });
    expect(marked.body.data.partnerMarkClaimed).toEqual({ partner: { claimed: true, version: partner.version + 1 }, userErrors: [] });
    const refused = await app.gql(directorW, UPDATE, { input: { id: partner.id, version: partner.version + 1, name: 'X' } });
    expect(userErrors(refused, 'partnerUpdate')).toEqual([['input.name', 'NOT_ALLOWED']]);
    const released = await app.gql(ADMIN, RELEASE, { input: { id: partner.id, version: partner.version + 1 } });
    expect(released.body.data.partnerReleaseClaim).toEqual({ partner: { claimed: false, version: partner.version + 2 }, userErrors: [] });
    const renamed = await app.gql(directorW, UPDATE, { input: { id: partner.id, version: partner.version + 2, name: 'Nowa nazwa' } });
    expect(renamed.body.data.partnerUpdate.userErrors).toEqual([]);
  });
});

describe("a centre's decisions follow its own relationship", () => {
  test('a commission checks that the partner is active in the commissioning centre, not elsewhere', async () => {
    const { partner } = await joinedByKobylka();
    const retired = await app.gql(directorK, RETIRE, { input: { id: partner.id, version: (await read(directorK, partner.id)).version } });
    expect(retired.body.data.partnerRetire.userErrors).toEqual([]);
    const service = async (who: Who, gmina: string) => {
      const res = await app.gql(who, 'query($g: TerytCode!) { services(first: 1, filter: { gmina: $g, statuses: [ACTIVE] }) { nodes { id } } }', { g: gmina });
      expect(res.body.errors).toBeUndefined();
      return res.body.data.services.nodes[0].id as string;
    };
    const COMMISSION = `mutation($input: CommissionCreateInput!) { commissionCreate(input: $input) { commission { id status } ${ERRORS} } }`;
    const input = (unit: string, serviceId: string) => ({
      cusUnitId: globalIdOf('CusUnit', unit),
      partnerId: partner.id,
      title: unique('Usługi'),
      procedure: 'OPEN_CALL',
      serviceIds: [serviceId],
    });
    const byK = await app.gql(directorK, COMMISSION, { input: input(DEMO_UNITS.kobylka, await service(directorK, KOB)) });
    expect(userErrors(byK, 'commissionCreate')).toEqual([['input.partnerId', 'NOT_ALLOWED']]);
    const byW = await app.gql(directorW, COMMISSION, { input: input(DEMO_UNITS.wiazowna, await service(directorW, WIA)) });
    expect(userErrors(byW, 'commissionCreate')).toEqual([]);
  });
});

describe('the gmina dashboards', () => {
  test('count a partner in each gmina whose own relationship is active', async () => {
    const ADMIN_REFRESH = 'mutation { reportsRefresh { refreshedAt } }';
    const partners = async (who: Who, gmina: string) => {
      expect((await app.gql(ADMIN, ADMIN_REFRESH)).body.errors).toBeUndefined();
      const res = await app.gql(who, 'query($g: [TerytCode!]) { gminaReport(measure: PARTNERS, gminy: $g) { total { value } } }', { g: [gmina] });
      expect(res.body.errors).toBeUndefined();
      return Number(res.body.data.gminaReport.total.value);
    };
    const beforeK = await partners(directorK, KOB);
    const { partner } = await joinedByKobylka();
    const beforeW = await partners(directorW, WIA);
    expect(await partners(directorK, KOB)).toBe(beforeK + 1);
    await app.gql(directorK, RETIRE, { input: { id: partner.id, version: (await read(directorK, partner.id)).version } });
    expect(await partners(directorK, KOB)).toBe(beforeK);
    expect(await partners(directorW, WIA)).toBe(beforeW);
  });
});

describe('the migration', () => {
  test('turns each gmina of a partner into a relationship with its status, and changes nothing of the partner', async () => {
    const database = await scratchDatabase(inject('ownerUrl'), `partner_rel_${process.pid}_`);
    try {
      await ensureAppRole(database.ownerUrl, testConfig.appDbPassword);
      const orm = await createOrm(database.ownerUrl, { poolSize: 2 });
      try {
        const mine = migrationsList.findIndex((m) => m.name === 'Migration20261207000100PartnerRelationships');
        await orm.migrator.up({ to: migrationsList[mine - 1].name });
        await loadTerytRegister(orm);
        const sql = orm.em.getConnection();
        await sql.execute(`insert into partner (id, gmina_id, gmina_ids, name, kind, status, version, created_at, updated_at) values
          ('0193a000-0000-7000-8000-00000000c001', ${KOB}, '{${KOB},${WIA}}', 'Dwie gminy', 'NGO', 'ACTIVE', 3, '2025-01-02T10:00:00Z', '2025-03-04T10:00:00Z'),
          ('0193a000-0000-7000-8000-00000000c002', ${WIA}, '{${WIA}}', 'Wycofany', 'BUSINESS', 'INACTIVE', 2, '2025-01-02T10:00:00Z', '2025-05-06T10:00:00Z')`);
        const partnerRows = 'select id, gmina_id, gmina_ids, status, version, name from partner order by id';
        const before = await sql.execute(partnerRows);
        await orm.migrator.up({ to: 'Migration20261207000100PartnerRelationships' });
        expect(await sql.execute(partnerRows)).toEqual(before);
        expect(
          await sql.execute(`select partner_id, gmina_id, status, joined_on::text, retired_on::text from partner_gmina order by partner_id, gmina_id`),
        ).toEqual([
          { partner_id: '0193a000-0000-7000-8000-00000000c001', gmina_id: Number(WIA), status: 'ACTIVE', joined_on: '2025-01-02', retired_on: null },
          { partner_id: '0193a000-0000-7000-8000-00000000c001', gmina_id: Number(KOB), status: 'ACTIVE', joined_on: '2025-01-02', retired_on: null },
          { partner_id: '0193a000-0000-7000-8000-00000000c002', gmina_id: Number(WIA), status: 'INACTIVE', joined_on: '2025-01-02', retired_on: '2025-05-06' },
        ]);
      } finally {
        await orm.close();
      }
    } finally {
      await database.drop();
    }
  });
});
