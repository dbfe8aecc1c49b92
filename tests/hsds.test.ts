import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { projectRoot } from '../src/platform/config.js';
import { derivedId } from '../src/modules/hsds/hsds-ids.js';
import { rawAsOwner, startTestApp, unique, type TestApp } from './support/app.js';
import { createUnit } from './support/fixtures.js';
import { validNip } from './support/commissioned-world.js';

/**
 * The public HSDS 3.0 export of one gmina's catalogue, read the way a services directory reads it:
 * plain GETs without a token. Gmina A is Nagłowice (2602042, powiat jędrzejowski, świętokrzyskie).
 * 2601011 is a well-formed TERC code that names no gmina. One service of A's CUS is available only
 * in Busko-Zdrój (2601013), so it belongs to another gmina's catalogue.
 */
const A = '2602042';
const NO_SUCH_GMINA = '2601011';
const OTHER = '2601013';

// --- the official schemas, vendored in standards/hsds (see its SOURCE.md) ------------------------

const SCHEMA_DIR = path.join(projectRoot, 'standards/hsds/3.0');
const SCHEMA_BASE = 'https://openreferral.org/hsds/3.0/';
/**
 * Keywords the HSDS schemas carry for their tabular (datapackage) form. Declared as annotations so
 * Ajv stays strict about everything else: an unknown keyword in a schema still fails the compile.
 */
const HSDS_KEYWORDS = ['name', 'path', 'datapackage_metadata', 'tabular_required', 'constraints', 'example', 'core', 'datapackage_type'];

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (ajv: Ajv2020) => Ajv2020;
let ajv: Ajv2020;
let openapi: any;

function schemas(): Ajv2020 {
  if (ajv) return ajv;
  ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  ajv.addVocabulary(HSDS_KEYWORDS);
  for (const file of fs.readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.json') && !f.startsWith('openapi'))) {
    const schema = JSON.parse(fs.readFileSync(path.join(SCHEMA_DIR, file), 'utf8'));
    ajv.addSchema({ ...schema, $id: `${SCHEMA_BASE}${file}` });
  }
  openapi = JSON.parse(fs.readFileSync(path.join(SCHEMA_DIR, 'openapi.json'), 'utf8'));
  return ajv;
}

/** Every violation of `schemaFile` (e.g. "service.json") by `value`, as readable lines; [] when valid. */
function violations(value: unknown, schemaFile: string, where: string): string[] {
  const validate = schemas().getSchema(`${SCHEMA_BASE}${schemaFile}`) as ValidateFunction;
  expect(validate, `schema ${schemaFile}`).toBeTypeOf('function');
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${where}${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}

function violationsOfSchema(value: unknown, schema: object, where: string): string[] {
  const validate = schemas().compile(schema);
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${where}${e.instancePath} ${e.message}`);
}

const PAGE_FIELDS = ['total_items', 'total_pages', 'page_number', 'size', 'first_page', 'last_page', 'empty', 'contents'];

/** A page: the openapi Page schema, every Page field present, and each item valid against `itemSchema`. */
function pageViolations(body: any, itemSchema: string, where: string): string[] {
  const missing = PAGE_FIELDS.filter((f) => !(f in body)).map((f) => `${where} lacks ${f}`);
  return [
    ...missing,
    ...violationsOfSchema(body, openapi.components.schemas.Page, where),
    ...(body.contents as unknown[]).flatMap((item, i) => violations(item, itemSchema, `${where}.contents[${i}]`)),
  ];
}

// --- the app and the catalogue of gmina A ------------------------------------------------------

let app: TestApp;
const id: Record<string, string> = {};
const names: Record<string, string> = {};

async function get(pathname: string, init: RequestInit = {}) {
  const response = await fetch(new URL(pathname, app.url), init);
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
}

const insert = async (sql: string, params: unknown[]) => (await rawAsOwner<{ id: string }>(`${sql} returning id`, params))[0].id;

async function service(values: Record<string, unknown>): Promise<string> {
  const row = { gmina_id: Number(A), cus_unit_id: id.unit, gmina_ids: [Number(A)], provider_kind: 'CUS', status: 'ACTIVE', ...values };
  const columns = Object.keys(row);
  return insert(`insert into service (${columns.join(', ')}) values (${columns.map((_, i) => `$${i + 1}`).join(', ')})`, Object.values(row));
}

const place = (serviceId: string, locationId: string) =>
  insert('insert into service_location (gmina_id, service_id, location_id) values ($1, $2, $3)', [Number(A), serviceId, locationId]);

const schedule = (serviceId: string, locationId: string | null, weekdays: string[], opens: string, closes: string, extra: unknown[] = [null, null, null]) =>
  insert(
    `insert into service_schedule (gmina_id, service_id, location_id, weekdays, opens_at, closes_at, valid_from, valid_to, note)
    values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [Number(A), serviceId, locationId, weekdays, opens, closes, ...extra],
  );

const location = (name: string, kind: string, street: string, city: string, extra: Record<string, unknown> = {}) => {
  const row = { gmina_id: Number(A), name, kind, street, postal_code: '28-362', city, ...extra };
  const columns = Object.keys(row);
  return insert(`insert into location (${columns.join(', ')}) values (${columns.map((_, i) => `$${i + 1}`).join(', ')})`, Object.values(row));
};

const partner = (name: string, kind: string, extra: Record<string, unknown> = {}) => {
  const row = { gmina_id: Number(A), gmina_ids: [Number(A)], name, kind, ...extra };
  const columns = Object.keys(row);
  return insert(`insert into partner (${columns.join(', ')}) values (${columns.map((_, i) => `$${i + 1}`).join(', ')})`, Object.values(row));
};

beforeAll(async () => {
  app = await startTestApp();
  const { unit } = await createUnit(app, A);
  id.unit = (await rawAsOwner<{ id: string }>('select id from cus_unit where name = $1', [unit.name]))[0].id;
  names.unit = unit.name;

  id.ngo = await partner(unique('Stowarzyszenie Razem dla Nagłowic'), 'NGO', {
    krs: '0000123456',
    nip: validNip(),
    regon: '291234565',
    email: 'biuro@razem-naglowice.pl',
    phone: '+48 41 381 10 20',
    website: 'www.razem-naglowice.pl',
    street: 'ul. Reja 1',
    postal_code: '28-362',
    city: 'Nagłowice',
    description: 'Wolontariat i pomoc sąsiedzka.',
  });
  id.informal = await partner(unique('Koło Gospodyń Wiejskich w Zagórzu'), 'INFORMAL_GROUP', { email: 'anna.kowalska@example.pl', phone: '600 100 200' });
  id.inactive = await partner(unique('Fundacja w likwidacji'), 'NGO', { status: 'INACTIVE' });

  id.room = await location(unique('Świetlica wiejska w Zagórzu'), 'COMMUNITY_ROOM', 'Zagórze 15', 'Zagórze', {
    latitude: 50.6412,
    longitude: 20.1123,
    accessibility: 'Wejście bez progów, toaleta dostosowana',
    description: 'Sala na parterze remizy OSP',
  });
  id.office = await location(unique('Siedziba CUS w Nagłowicach'), 'CUS_OFFICE', 'ul. Mikołaja Reja 9', 'Nagłowice');
  id.hall = await location(unique('Sala gimnastyczna szkoły'), 'SPORTS_FACILITY', 'ul. Szkolna 2', 'Nagłowice');
  id.retired = await location(unique('Dawna świetlica w Rakowie'), 'COMMUNITY_ROOM', 'Raków 3', 'Raków', { retired_at: new Date().toISOString() });

  names.respite = unique('Opieka wytchnieniowa');
  id.respite = await service({
    name: names.respite,
    description: 'Czasowe odciążenie opiekunów osób z niepełnosprawnościami.',
    area: 'SOCIAL_ASSISTANCE',
    target_groups: ['CARERS', 'PEOPLE_WITH_DISABILITIES'],
    eligibility: 'Opiekunowie faktyczni mieszkający w gminie',
    fee_kind: 'FREE',
    capacity_recipients: 12,
  });
  id.respiteRoom = await place(id.respite, id.room);
  id.respiteOffice = await place(id.respite, id.office);
  id.respiteRetired = await place(id.respite, id.retired);
  id.roomHours = await schedule(id.respite, id.room, ['TU', 'MO'], '09:00', '15:00', ['2026-01-01', '2026-12-31', 'Z wyjątkiem świąt']);
  id.ownHours = await schedule(id.respite, null, ['WE'], '16:00', '18:00');
  id.retiredHours = await schedule(id.respite, id.retired, ['TH'], '10:00', '11:00');

  names.massage = unique('Rehabilitacja ruchowa');
  id.massage = await service({
    name: names.massage,
    area: 'HEALTH',
    target_groups: ['SENIORS'],
    provider_kind: 'PARTNER',
    provider_partner_id: id.ngo,
    fee_kind: 'FIXED',
    fee_amount: '25.00',
    fee_unit: 'za godzinę',
    status: 'SUSPENDED',
  });
  id.massageOffice = await place(id.massage, id.office);

  names.online = unique('E-porady prawne');
  id.online = await service({
    name: names.online,
    description: 'Porady przez wideorozmowę.',
    area: 'CULTURE',
    target_groups: ['SENIORS', 'ALL_RESIDENTS'],
    provider_kind: 'GMINA_UNIT',
    provider_unit_name: 'Gminna Biblioteka Publiczna w Nagłowicach',
    online: true,
    online_url: 'https://biblioteka.naglowice.example/e-porady',
    fee_kind: 'INCOME_DEPENDENT',
    fee_description: 'Odpłatność zależna od dochodu, według uchwały Rady Gminy',
  });
  id.onlineHours = await schedule(id.online, null, ['FR'], '10:00', '12:00');

  id.planned = await service({ name: unique('Klub seniora (planowany)'), area: 'CULTURE', target_groups: ['SENIORS'], status: 'PLANNED' });
  await place(id.planned, id.room);
  id.closed = await service({ name: unique('Złota rączka (zamknięta)'), area: 'HOUSING', target_groups: ['SENIORS'], status: 'CLOSED' });
  await place(id.closed, id.room);
  id.elsewhere = await service({
    name: unique('Basen dla seniorów'),
    area: 'PHYSICAL_CULTURE_AND_TOURISM',
    target_groups: ['SENIORS'],
    gmina_ids: [Number(OTHER)],
  });
  id.elsewhereHall = await place(id.elsewhere, id.hall);
});
afterAll(async () => {
  await app.close();
});

const byId = (items: any[]) => new Map(items.map((item) => [item.id, item]));
const base = `/hsds/${A}`;

// --- tests ------------------------------------------------------------------------------------

describe('the HSDS API of a gmina, without a token', () => {
  test('/ describes the API: HSDS version, profile and OpenAPI document', async () => {
    for (const root of [base, `${base}/`]) {
      const res = await get(root);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        version: '3.0',
        profile: 'https://openreferral.org/specification/3.0',
        openapi_url: 'https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json',
      });
    }
  });

  test('answers are JSON, publicly cacheable for a minute', async () => {
    const res = await get(`${base}/services`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('cache-control')).toBe('public, max-age=60');
  });

  test('/services lists the active and suspended services available in the gmina, and nothing else', async () => {
    const res = await get(`${base}/services`);
    expect(res.body).toMatchObject({ total_items: 3, total_pages: 1, page_number: 1, size: 3, first_page: true, last_page: true, empty: false });
    const services = byId(res.body.contents);
    expect([...services.keys()].sort()).toEqual([id.respite, id.massage, id.online].sort());
    expect(services.get(id.respite)).toMatchObject({
      name: names.respite,
      status: 'active',
      organization_id: id.unit,
      fees_description: 'Bezpłatna',
      cost_options: [],
    });
    expect(services.get(id.massage)).toMatchObject({ status: 'temporarily closed', organization_id: id.ngo, organization: { id: id.ngo } });
    expect(services.get(id.online)).toMatchObject({ url: 'https://biblioteka.naglowice.example/e-porady', organization_id: id.unit });
  });

  test("planned and closed services, and another gmina's, are not found by id", async () => {
    for (const hidden of [id.planned, id.closed, id.elsewhere]) {
      const res = await get(`${base}/services/${hidden}`);
      expect(res.status).toBe(404);
      expect(res.body.error).toEqual(expect.any(String));
    }
    // The other gmina's service is real: its own gmina publishes it, and not A's services.
    const other = await get(`/hsds/${OTHER}/services`);
    expect(other.body.contents.map((s: any) => s.id)).toContain(id.elsewhere);
    expect(other.body.contents.map((s: any) => s.id)).not.toContain(id.respite);
  });

  test('an unknown or malformed id is 404', async () => {
    for (const bad of ['00000000-0000-4000-8000-000000000000', 'not-a-uuid', "1' or '1'='1"]) {
      for (const kind of ['services', 'organizations', 'service_at_locations', 'locations', 'taxonomies', 'taxonomy_terms']) {
        const res = await get(`${base}/${kind}/${encodeURIComponent(bad)}`);
        expect(res.status, `${kind}/${bad}`).toBe(404);
      }
    }
  });

  test('an unknown gmina or a malformed TERC code is 404 with a JSON error', async () => {
    for (const terc of [NO_SUCH_GMINA, '1234567', 'abc', '26020420']) {
      for (const endpoint of ['', '/services', '/taxonomies']) {
        const res = await get(`/hsds/${terc}${endpoint}`);
        expect(res.status, `${terc}${endpoint}`).toBe(404);
        expect(res.headers.get('content-type')).toMatch(/^application\/json/);
        expect(res.body.error).toEqual(expect.any(String));
      }
    }
    expect((await get(`${base}/nothing-here`)).status).toBe(404);
  });

  test('only GET: other methods are 405 and change nothing', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const res = await get(`${base}/services/${id.respite}`, { method, headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(res.status, method).toBe(405);
      expect(res.headers.get('allow')).toBe('GET');
    }
    expect((await get(`${base}/services/${id.respite}`)).status).toBe(200);
  });

  test('paging: page and per_page, with the HSDS page fields', async () => {
    const first = await get(`${base}/services?per_page=2`);
    expect(first.body).toMatchObject({ total_items: 3, total_pages: 2, page_number: 1, size: 2, first_page: true, last_page: false, empty: false });
    const second = await get(`${base}/services?per_page=2&page=2`);
    expect(second.body).toMatchObject({ total_items: 3, total_pages: 2, page_number: 2, size: 1, first_page: false, last_page: true, empty: false });
    const all = [...first.body.contents, ...second.body.contents].map((s: any) => s.id);
    expect(new Set(all).size).toBe(3);
    const beyond = await get(`${base}/services?per_page=2&page=3`);
    expect(beyond.body).toMatchObject({ total_items: 3, page_number: 3, size: 0, empty: true, last_page: true, contents: [] });
    // per_page is capped at 100, not refused
    expect((await get(`${base}/services?per_page=500`)).body).toMatchObject({ total_items: 3, size: 3, total_pages: 1 });
    for (const bad of ['page=0', 'page=-1', 'per_page=0', 'per_page=abc', 'page=1.5']) {
      const res = await get(`${base}/services?${bad}`);
      expect(res.status, bad).toBe(400);
      expect(res.body.error).toEqual(expect.any(String));
    }
  });

  test('paging over the taxonomy terms; the default page (50) holds all 25', async () => {
    const terms = await get(`${base}/taxonomy_terms?per_page=10&page=3`);
    expect(terms.body).toMatchObject({ total_items: 25, total_pages: 3, size: 5, last_page: true });
    expect((await get(`${base}/taxonomy_terms`)).body).toMatchObject({ total_items: 25, total_pages: 1, size: 25 });
  });

  test('/services filters: search (diacritics folded), organization_id, taxonomy_term_id', async () => {
    const ids = async (query: string) => (await get(`${base}/services?${query}`)).body.contents.map((s: any) => s.id).sort();
    expect(await ids('search=wytchnieniowa')).toEqual([id.respite]);
    expect(await ids(`search=${encodeURIComponent('e-porady')}`)).toEqual([id.online]);
    expect(await ids(`organization_id=${id.ngo}`)).toEqual([id.massage]);
    expect(await ids(`organization_id=${id.unit}`)).toEqual([id.respite, id.online].sort());
    const seniors = derivedId('taxonomy_term', 'cus-target-groups/SENIORS');
    const culture = derivedId('taxonomy_term', 'cus-areas/CULTURE');
    expect(await ids(`taxonomy_term_id=${seniors}`)).toEqual([id.massage, id.online].sort());
    expect(await ids(`taxonomy_term_id=${culture}`)).toEqual([id.online]);
    expect(await ids(`taxonomy_term_id=${culture}&organization_id=${id.ngo}`)).toEqual([]);
    expect(await ids('taxonomy_term_id=00000000-0000-4000-8000-000000000000')).toEqual([]);
    expect((await get(`${base}/services?organization_id=nope`)).status).toBe(400);
  });

  test('hostile searches (quotes, backslashes, tsquery operators, punctuation) answer normally; an over-long one is 400', async () => {
    const ids = async (search: string) => {
      const res = await get(`${base}/services?search=${encodeURIComponent(search)}`);
      expect({ search, status: res.status }).toEqual({ search, status: 200 });
      return res.body.contents.map((s: any) => s.id);
    };
    for (const search of ["'", '"', '\\', '!', '&|', ':*', '<->', '(((', '!'.repeat(200)]) expect(await ids(search)).toEqual([]);
    // Control characters are no part of a word: a search of only those is blank (no filter).
    expect((await ids('\u0000\t')).sort()).toEqual([id.respite, id.massage, id.online].sort());
    for (const search of ["wytchnieniowa'", '!wytchnieniowa', 'wytchn:*', 'opieka <-> wytchnieniowa', "opieka' & 'wytchn", 'wytchnieniowa\\']) {
      expect(await ids(search)).toEqual([id.respite]);
    }
    for (const search of ['a'.repeat(201), 'a'.repeat(3000), 'ab '.repeat(1000)]) {
      const res = await get(`${base}/services?search=${encodeURIComponent(search)}`);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatch(/search/);
    }
  });
});

describe('the mapping of our catalogue to HSDS', () => {
  test('a CUS service, free, at two places (a village community room) with weekly schedules', async () => {
    const { status, body } = await get(`${base}/services/${id.respite}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      id: id.respite,
      name: names.respite,
      status: 'active',
      organization_id: id.unit,
      description: 'Czasowe odciążenie opiekunów osób z niepełnosprawnościami.',
      eligibility_description: 'Opiekunowie faktyczni mieszkający w gminie',
      fees_description: 'Bezpłatna',
      cost_options: [],
      organization: { id: id.unit, name: names.unit },
    });
    expect(body.last_modified).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(body.organization.description).toContain('Centrum usług społecznych');
    // Two published places; the retired one and its schedule are gone.
    const places = byId(body.service_at_locations);
    expect([...places.keys()].sort()).toEqual([id.respiteRoom, id.respiteOffice].sort());
    const room = places.get(id.respiteRoom);
    expect(room).toMatchObject({ service_id: id.respite, location_id: id.room });
    expect(room.location).toMatchObject({
      id: id.room,
      location_type: 'physical',
      latitude: 50.6412,
      longitude: 20.1123,
      description: 'Sala na parterze remizy OSP',
      accessibility: [{ location_id: id.room, description: 'Wejście bez progów, toaleta dostosowana' }],
    });
    expect(room.location.addresses).toEqual([
      {
        id: derivedId('address', id.room),
        location_id: id.room,
        address_1: 'Zagórze 15',
        city: 'Zagórze',
        postal_code: '28-362',
        region: 'powiat jędrzejowski',
        state_province: 'świętokrzyskie',
        country: 'PL',
        address_type: 'physical',
      },
    ]);
    expect(room.schedules).toEqual([
      {
        id: id.roomHours,
        service_id: id.respite,
        location_id: id.room,
        service_at_location_id: id.respiteRoom,
        freq: 'WEEKLY',
        wkst: 'MO',
        byday: 'MO,TU',
        opens_at: '09:00',
        closes_at: '15:00',
        valid_from: '2026-01-01',
        valid_to: '2026-12-31',
        description: 'poniedziałek, wtorek: 09:00–15:00',
        attending_type: 'osobiście',
        notes: 'Z wyjątkiem świąt',
      },
    ]);
    expect(places.get(id.respiteOffice).schedules).toEqual([]);
    expect(body.schedules).toEqual([
      expect.objectContaining({ id: id.ownHours, freq: 'WEEKLY', byday: 'WE', opens_at: '16:00', closes_at: '18:00', attending_type: 'osobiście' }),
    ]);
    expect(JSON.stringify(body)).not.toContain(id.retiredHours);
    expect(JSON.stringify(body)).not.toContain(id.retired);
    // Area and target groups as attributes carrying our taxonomy terms.
    expect(body.attributes.map((a: any) => [a.link_type, a.taxonomy_term.taxonomy, a.taxonomy_term.code, a.taxonomy_term.name])).toEqual([
      ['category', 'cus-areas', 'SOCIAL_ASSISTANCE', 'pomoc społeczna'],
      ['audience', 'cus-target-groups', 'CARERS', 'opiekunowie faktyczni'],
      ['audience', 'cus-target-groups', 'PEOPLE_WITH_DISABILITIES', 'osoby z niepełnosprawnościami'],
    ]);
    expect(body.attributes.every((a: any) => a.link_id === id.respite && a.link_entity === 'service' && a.taxonomy_term_id === a.taxonomy_term.id)).toBe(true);
    expect(body.service_areas).toEqual([expect.objectContaining({ service_id: id.respite, name: 'gmina Nagłowice' })]);
  });

  test("a partner's service with a fixed fee, temporarily closed; the partner's identifiers and contacts", async () => {
    const { body } = await get(`${base}/services/${id.massage}`);
    expect(body).toMatchObject({
      status: 'temporarily closed',
      organization_id: id.ngo,
      fees_description: 'Odpłatna: 25,00 zł za godzinę',
      cost_options: [
        {
          id: derivedId('cost_option', id.massage),
          service_id: id.massage,
          option: 'Opłata stała',
          currency: 'PLN',
          amount: 25,
          amount_description: 'za godzinę',
        },
      ],
      organization: {
        id: id.ngo,
        description: 'Wolontariat i pomoc sąsiedzka.',
        email: 'biuro@razem-naglowice.pl',
        website: 'https://www.razem-naglowice.pl/',
        legal_status: 'organizacja pozarządowa (fundacja lub stowarzyszenie)',
        phones: [{ organization_id: id.ngo, number: '+48 41 381 10 20', type: 'voice' }],
      },
    });
    expect(body.organization.organization_identifiers.map((i: any) => [i.identifier_type, i.identifier])).toEqual([
      ['KRS', '0000123456'],
      ['NIP', expect.stringMatching(/^\d{10}$/)],
      ['REGON', '291234565'],
    ]);
    expect(body.service_at_locations.map((p: any) => p.location_id)).toEqual([id.office]);
  });

  test("another gmina unit's online service with an income-dependent fee: a virtual place with the URL", async () => {
    const { body } = await get(`${base}/services/${id.online}`);
    expect(body).toMatchObject({
      organization_id: id.unit,
      url: 'https://biblioteka.naglowice.example/e-porady',
      cost_options: [],
      fees_description: 'Odpłatność zależna od dochodu, według uchwały Rady Gminy',
    });
    expect(body.description).toBe('Porady przez wideorozmowę.\n\nRealizator usługi: Gminna Biblioteka Publiczna w Nagłowicach.');
    expect(body.service_at_locations).toEqual([
      {
        id: derivedId('service_at_location', id.online),
        service_id: id.online,
        location_id: derivedId('location', id.online),
        schedules: [],
        location: {
          id: derivedId('location', id.online),
          location_type: 'virtual',
          url: 'https://biblioteka.naglowice.example/e-porady',
          name: `Online: ${names.online}`,
          description: expect.any(String),
        },
      },
    ]);
    expect(body.schedules).toEqual([expect.objectContaining({ id: id.onlineHours, byday: 'FR', attending_type: 'online' })]);
  });

  test('/organizations: the CUS unit and the active partners working in the gmina; an informal group without contacts', async () => {
    const res = await get(`${base}/organizations`);
    expect(res.body.total_items).toBe(3);
    const orgs = byId(res.body.contents);
    expect([...orgs.keys()].sort()).toEqual([id.unit, id.ngo, id.informal].sort());
    expect(orgs.get(id.informal)).toMatchObject({ legal_status: 'grupa nieformalna', phones: [] });
    expect(orgs.get(id.informal).email).toBeUndefined();
    expect((await get(`${base}/organizations/${id.inactive}`)).status).toBe(404);
    const ngo = await get(`${base}/organizations/${id.ngo}`);
    expect(ngo.body).toMatchObject({ id: id.ngo, services: [{ id: id.massage, organization_id: id.ngo }] });
    const unit = await get(`${base}/organizations/${id.unit}`);
    expect(unit.body.services.map((s: any) => s.id).sort()).toEqual([id.respite, id.online].sort());
    // The partner does not work in the other gmina, so that catalogue does not name it.
    expect((await get(`/hsds/${OTHER}/organizations/${id.ngo}`)).status).toBe(404);
  });

  test('/service_at_locations: every published place, each with its location and service', async () => {
    const res = await get(`${base}/service_at_locations`);
    expect(res.body.total_items).toBe(4);
    const places = byId(res.body.contents);
    expect([...places.keys()].sort()).toEqual([id.respiteRoom, id.respiteOffice, id.massageOffice, derivedId('service_at_location', id.online)].sort());
    expect(places.get(id.massageOffice)).toMatchObject({ location: { id: id.office }, service: { id: id.massage, status: 'temporarily closed' } });
    const one = await get(`${base}/service_at_locations/${id.respiteRoom}`);
    expect(one.body).toMatchObject({ id: id.respiteRoom, location: { id: id.room }, service: { id: id.respite }, schedules: [{ id: id.roomHours }] });
    const virtual = await get(`${base}/service_at_locations/${derivedId('service_at_location', id.online)}`);
    expect(virtual.body).toMatchObject({ service_id: id.online, location: { location_type: 'virtual' } });
    for (const hidden of [id.respiteRetired, id.elsewhereHall]) expect((await get(`${base}/service_at_locations/${hidden}`)).status).toBe(404);
  });

  test('/locations: the places of published services only', async () => {
    const res = await get(`${base}/locations`);
    const ids = res.body.contents.map((l: any) => l.id).sort();
    expect(ids).toEqual([id.room, id.office, derivedId('location', id.online)].sort());
    expect(res.body.total_items).toBe(3);
    expect((await get(`${base}/locations/${id.room}`)).body).toMatchObject({ id: id.room, name: expect.stringContaining('Świetlica wiejska') });
    expect((await get(`${base}/locations/${derivedId('location', id.online)}`)).body).toMatchObject({ location_type: 'virtual' });
    // A place only another gmina's service uses, and a retired place, are not in this catalogue.
    for (const hidden of [id.hall, id.retired]) expect((await get(`${base}/locations/${hidden}`)).status).toBe(404);
    expect((await get(`/hsds/${OTHER}/locations/${id.hall}`)).status).toBe(200);
  });

  test('/taxonomies and /taxonomy_terms: the 14 statutory areas in order, in Polish, and the target groups', async () => {
    const taxonomies = (await get(`${base}/taxonomies`)).body;
    expect(taxonomies.contents.map((t: any) => t.name)).toEqual(['cus-areas', 'cus-target-groups']);
    const [areas, groups] = taxonomies.contents;
    expect((await get(`${base}/taxonomies/${areas.id}`)).body).toEqual(areas);
    const areaTerms = (await get(`${base}/taxonomy_terms?taxonomy_id=${areas.id}`)).body;
    expect(areaTerms.total_items).toBe(14);
    expect(areaTerms.contents.map((t: any) => t.name)).toEqual([
      'polityka prorodzinna',
      'wspieranie rodziny',
      'system pieczy zastępczej',
      'pomoc społeczna',
      'promocja i ochrona zdrowia',
      'wspieranie osób niepełnosprawnych',
      'edukacja publiczna',
      'przeciwdziałanie bezrobociu',
      'kultura',
      'kultura fizyczna i turystyka',
      'pobudzanie aktywności obywatelskiej',
      'mieszkalnictwo',
      'ochrona środowiska',
      'reintegracja zawodowa i społeczna',
    ]);
    expect(areaTerms.contents[0]).toMatchObject({ code: 'FAMILY_POLICY', taxonomy: 'cus-areas', taxonomy_id: areas.id, language: 'pl' });
    const groupTerms = (await get(`${base}/taxonomy_terms?taxonomy_id=${groups.id}`)).body;
    expect(groupTerms.total_items).toBe(11);
    expect((await get(`${base}/taxonomy_terms/${groupTerms.contents[0].id}`)).body).toEqual(groupTerms.contents[0]);
    expect((await get(`${base}/taxonomy_terms?taxonomy_id=bad`)).status).toBe(400);
  });

  test('nothing internal or personal is published', async () => {
    const bodies = [];
    for (const endpoint of [
      '/services',
      `/services/${id.respite}`,
      `/services/${id.massage}`,
      `/services/${id.online}`,
      '/organizations',
      `/organizations/${id.unit}`,
      `/organizations/${id.informal}`,
      '/service_at_locations',
      `/service_at_locations/${id.respiteRoom}`,
      '/locations',
      '/taxonomy_terms',
    ]) {
      bodies.push((await get(`${base}${endpoint}`)).body);
    }
    const keys = new Set<string>();
    const walk = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(walk);
      else if (value && typeof value === 'object')
        for (const [key, inner] of Object.entries(value)) {
          keys.add(key);
          walk(inner);
        }
    };
    walk(bodies);
    for (const internal of [
      'version',
      'gmina_id',
      'gmina_ids',
      'search_vector',
      'cus_unit_id',
      'provider_kind',
      'provider_partner_id',
      'fee_kind',
      'created_at',
      'updated_at',
      'retired_at',
      'capacity_recipients',
      'kind',
    ]) {
      expect(keys.has(internal), internal).toBe(false);
    }
    const text = JSON.stringify(bodies);
    for (const personal of ['anna.kowalska@example.pl', '600 100 200']) expect(text).not.toContain(personal);
  });

  test('a constant number of statements per request, whatever the page size or the number of places', async () => {
    const statementsFor = async (pathname: string) => {
      app.statements.length = 0;
      expect((await get(pathname)).status).toBe(200);
      const statements = [...app.statements];
      // Not vacuous: the PUBLIC principal's settings and the service query are among them.
      expect(statements.some((s) => /set_config\(/.test(s))).toBe(true);
      expect(statements.some((s) => /from service s/.test(s))).toBe(true);
      return statements.length;
    };
    expect(await statementsFor(`${base}/services?per_page=3`)).toBe(await statementsFor(`${base}/services?per_page=1`));
    expect(await statementsFor(`${base}/service_at_locations?per_page=4`)).toBe(await statementsFor(`${base}/service_at_locations?per_page=1`));
    // Two places and two schedules against one place and none.
    expect(await statementsFor(`${base}/services/${id.respite}`)).toBe(await statementsFor(`${base}/services/${id.massage}`));
  });
});

describe('every endpoint validates against the HSDS 3.0 JSON schemas', () => {
  test('/ matches the openapi API info response', async () => {
    schemas();
    const info = openapi.paths['/'].get.responses['200'].content['application/json'].schema;
    expect(violationsOfSchema((await get(base)).body, info, '/')).toEqual([]);
  });

  test('list endpoints: Page fields, and every item against its object schema', async () => {
    const lists: [string, string][] = [
      ['/services', 'service.json'],
      ['/organizations', 'organization.json'],
      ['/service_at_locations', 'service_at_location.json'],
      ['/locations', 'location.json'],
      ['/taxonomies', 'taxonomy.json'],
      ['/taxonomy_terms', 'taxonomy_term.json'],
      ['/services?per_page=1&page=2', 'service.json'],
      ['/services?page=9', 'service.json'],
    ];
    const errors: string[] = [];
    for (const [endpoint, schema] of lists) {
      const { status, body } = await get(`${base}${endpoint}`);
      expect(status, endpoint).toBe(200);
      if (endpoint === '/services') expect(body.contents.length).toBe(3);
      errors.push(...pageViolations(body, schema, endpoint));
      // A service_at_location's nested service is not in its schema: check it against service.json.
      if (schema === 'service_at_location.json')
        body.contents.forEach((sal: any, i: number) => errors.push(...violations(sal.service, 'service.json', `${endpoint}.contents[${i}].service`)));
    }
    expect(errors).toEqual([]);
  });

  test('single objects: services, organizations, service_at_locations, locations, taxonomies, terms', async () => {
    const terms = (await get(`${base}/taxonomy_terms`)).body.contents;
    const taxonomies = (await get(`${base}/taxonomies`)).body.contents;
    const singles: [string, string][] = [
      ...[id.respite, id.massage, id.online].map((s): [string, string] => [`/services/${s}`, 'service.json']),
      ...[id.unit, id.ngo, id.informal].map((o): [string, string] => [`/organizations/${o}`, 'organization.json']),
      ...[id.respiteRoom, id.massageOffice, derivedId('service_at_location', id.online)].map((p): [string, string] => [
        `/service_at_locations/${p}`,
        'service_at_location.json',
      ]),
      ...[id.room, id.office, derivedId('location', id.online)].map((l): [string, string] => [`/locations/${l}`, 'location.json']),
      [`/taxonomies/${taxonomies[0].id}`, 'taxonomy.json'],
      [`/taxonomy_terms/${terms[0].id}`, 'taxonomy_term.json'],
    ];
    const errors: string[] = [];
    for (const [endpoint, schema] of singles) {
      const { status, body } = await get(`${base}${endpoint}`);
      expect(status, endpoint).toBe(200);
      errors.push(...violations(body, schema, endpoint));
      if (body.service) errors.push(...violations(body.service, 'service.json', `${endpoint}.service`));
      for (const [i, service] of (body.services ?? []).entries()) errors.push(...violations(service, 'service.json', `${endpoint}.services[${i}]`));
    }
    expect(errors).toEqual([]);
  });

  test('the validator is not vacuous: a broken service fails it', async () => {
    const { body } = await get(`${base}/services/${id.respite}`);
    const broken = {
      ...body,
      status: 'ACTIVE',
      organization: { ...body.organization, description: undefined },
      service_at_locations: [{ ...body.service_at_locations[0], location: { id: 'x' } }],
    };
    const errors = violations(JSON.parse(JSON.stringify(broken)), 'service.json', 'broken');
    expect(errors.join('\n')).toMatch(/\/status must be equal to one of the allowed values/);
    expect(errors.join('\n')).toMatch(/\/organization must have required property 'description'/);
    expect(errors.join('\n')).toMatch(/location\/id must match format "uuid"/);
    expect(errors.join('\n')).toMatch(/location must have required property 'location_type'/);
  });
});
