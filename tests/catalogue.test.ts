import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { codes, rawAsOwner, Role, startTestApp, unique, type GraphQLResponse, type TestApp, type Who } from './support/app.js';
import { ADMIN, createUnit } from './support/fixtures.js';
import { toGlobalId } from '../src/platform/graphql/node.js';

/**
 * Places and the catalogue of services, through HTTP, per role.
 * Gmina A: Bełchatów (1001011). Gmina B: Bochnia (1201011). M1 + M2: Bedlno (1002022) and Dąbrowice
 * (1002033), served by one inter-municipal unit (the brief's 1002032 is not in the TERYT register).
 */
const A = '1001011';
const B = '1201011';
const M1 = '1002022';
const M2 = '1002033';

const directorA: Who = { role: Role.DIRECTOR, gminy: [A] };
const organiserA: Who = { role: Role.SERVICES_ORGANISER, gminy: [A] };
const communityA: Who = { role: Role.COMMUNITY_ORGANISER, gminy: [A] };
const coordinatorA: Who = { role: Role.COORDINATOR, gminy: [A] };
const officialA: Who = { role: Role.GMINA_OFFICIAL, gminy: [A] };
const directorB: Who = { role: Role.DIRECTOR, gminy: [B] };
const directorM: Who = { role: Role.DIRECTOR, gminy: [M1, M2] };
const MINISTRY: Who = { role: Role.MINISTRY };
const staffA = [directorA, organiserA, communityA, coordinatorA, officialA];

const ERRORS = 'userErrors { field message code }';
const LOCATION = 'id name kind version retiredAt latitude longitude accessibility description address { street postalCode city } gmina { terc name }';
const SERVICE = `id name description area targetGroups status version online onlineUrl eligibility createdAt updatedAt
  provider { kind unitName partner { id name } cusUnit { id } }
  cusUnit { id } gminy { terc } locations { id name }
  schedules { weekdays startsAt endsAt validFrom validTo note location { id name } }
  fee { kind amount unit description } capacity { recipients note }`;

const LOCATION_CREATE = `mutation($input: LocationCreateInput!) { locationCreate(input: $input) { location { ${LOCATION} } ${ERRORS} } }`;
const LOCATION_UPDATE = `mutation($input: LocationUpdateInput!) { locationUpdate(input: $input) { location { ${LOCATION} } ${ERRORS} } }`;
const LOCATION_RETIRE = `mutation($input: LocationRetireInput!) { locationRetire(input: $input) { location { ${LOCATION} } ${ERRORS} } }`;
const SERVICE_CREATE = `mutation($input: ServiceCreateInput!) { serviceCreate(input: $input) { service { ${SERVICE} } ${ERRORS} } }`;
const SERVICE_UPDATE = `mutation($input: ServiceUpdateInput!) { serviceUpdate(input: $input) { service { ${SERVICE} } ${ERRORS} } }`;
const transition = (name: 'serviceActivate' | 'serviceSuspend' | 'serviceClose') =>
  `mutation($input: ServiceStatusChangeInput!) { ${name}(input: $input) { service { id status version } ${ERRORS} } }`;

let app: TestApp;
let unitA: any;
let unitB: any;
let unitM: any;
/** Partner rows (UUIDs) created as the schema owner: A's active partner, A's inactive one, B's, M1's. */
const partners = { a: randomUUID(), inactive: randomUUID(), b: randomUUID(), m: randomUUID() };
const partnerId = (uuid: string) => toGlobalId('Partner', uuid);
const partnerA: Who = { role: Role.PARTNER, partner: partners.a };

let roomA: any; // Świetlica wiejska in A
let officeA: any; // CUS office in A
let roomB: any; // Świetlica wiejska in B
let respite: any; // "Opieka wytchnieniowa" in A
let care: any; // "Usługi opiekuńcze" in A
let legal: any; // partner-provided service in A
let serviceB: any; // a service in B

async function insertPartner(id: string, gminy: string[], name: string, status = 'ACTIVE') {
  await rawAsOwner(`insert into partner (id, gmina_id, gmina_ids, name, kind, status) values ($1, $2, $3, $4, 'NGO', $5)`, [
    id,
    Number(gminy[0]),
    gminy.map(Number),
    name,
    status,
  ]);
}

function payload(res: GraphQLResponse, field: string) {
  expect(res.body.errors).toBeUndefined();
  return res.body.data[field];
}

async function createLocation(who: Who, input: Record<string, unknown>) {
  const result = payload(
    await app.gql(who, LOCATION_CREATE, {
      input: {
        kind: 'COMMUNITY_ROOM',
        address: { street: 'ul. Szkolna 1', postalCode: '97-400', city: 'Bełchatów' },
        ...input,
      },
    }),
    'locationCreate',
  );
  expect(result.userErrors).toEqual([]);
  return result.location;
}

const serviceInput = (unit: any, input: Record<string, unknown>) => ({
  cusUnitId: unit.id,
  area: 'SOCIAL_ASSISTANCE',
  targetGroups: ['SENIORS'],
  provider: { kind: 'CUS' },
  online: true,
  ...input,
});

async function createService(who: Who, unit: any, input: Record<string, unknown>) {
  const result = payload(await app.gql(who, SERVICE_CREATE, { input: serviceInput(unit, input) }), 'serviceCreate');
  expect(result.userErrors).toEqual([]);
  return result.service;
}

async function readService(who: Who, id: string) {
  return payload(await app.gql(who, `query($id: ID!) { service(id: $id) { ${SERVICE} } }`, { id }), 'service');
}

async function readLocation(who: Who, id: string) {
  return payload(await app.gql(who, `query($id: ID!) { location(id: $id) { ${LOCATION} } }`, { id }), 'location');
}

/** Every service the principal sees (ids), optionally filtered and searched. */
async function serviceIds(who: Who, args: { filter?: Record<string, unknown>; search?: string } = {}): Promise<string[]> {
  const res = await app.gql(
    who,
    `query($filter: ServiceFilter, $search: String) {
    services(first: 100, filter: $filter, search: $search) { totalCount nodes { id } } }`,
    args,
  );
  const services = payload(res, 'services');
  expect(services.totalCount).toBe(services.nodes.length);
  return services.nodes.map((s: any) => s.id);
}

async function activate(who: Who, service: { id: string; version: number }) {
  const result = payload(await app.gql(who, transition('serviceActivate'), { input: { id: service.id, version: service.version } }), 'serviceActivate');
  expect(result.userErrors).toEqual([]);
  return result.service;
}

beforeAll(async () => {
  app = await startTestApp();
  ({ unit: unitA } = await createUnit(app, A));
  ({ unit: unitB } = await createUnit(app, B));
  ({ unit: unitM } = await createUnit(app, M1, {
    servedGminy: [M1, M2],
    creationMode: 'INTERMUNICIPAL_AGREEMENT',
    agreement: { number: 'POR.1.2023', date: '2023-10-01' },
  }));
  await insertPartner(partners.a, [A], unique('Stowarzyszenie Pomocy Bełchatów'));
  await insertPartner(partners.inactive, [A], unique('Fundacja Uśpiona'), 'INACTIVE');
  await insertPartner(partners.b, [B], unique('Fundacja Bocheńska'));
  await insertPartner(partners.m, [M1], unique('Koło Gospodyń Wiejskich w Bedlnie'));

  roomA = await createLocation(communityA, {
    name: 'Świetlica wiejska w Dobrzelowie',
    address: { street: 'Dobrzelów 12', postalCode: '97-400', city: 'Dobrzelów' },
    latitude: 51.3687,
    longitude: 19.3921,
    accessibility: 'Wejście bez progów',
  });
  officeA = await createLocation(directorA, { name: 'Centrum Usług Społecznych w Bełchatowie', kind: 'CUS_OFFICE' });
  roomB = await createLocation(directorB, { name: 'Świetlica wiejska w Łapczycy', address: { street: 'Łapczyca 5', postalCode: '32-700', city: 'Łapczyca' } });

  respite = await createService(organiserA, unitA, {
    name: 'Opieka wytchnieniowa',
    area: 'DISABILITY_SUPPORT',
    targetGroups: ['CARERS', 'PEOPLE_WITH_DISABILITIES'],
    online: false,
    description: 'Czasowe zastępstwo opiekuna osoby z niepełnosprawnością, aby opiekun mógł odpocząć.',
    locationIds: [roomA.id],
    capacity: { recipients: 12, note: 'Grupy do 6 osób' },
    schedules: [
      { weekdays: ['TU', 'TH'], startsAt: '10:00', endsAt: '14:00', validFrom: '2026-01-01', locationId: roomA.id, note: 'Po wcześniejszym zapisie' },
    ],
  });
  care = await createService(directorA, unitA, {
    name: 'Usługi opiekuńcze',
    area: 'SOCIAL_ASSISTANCE',
    targetGroups: ['SENIORS'],
    online: false,
    description: 'Pomoc w codziennych czynnościach w domu osoby.',
    locationIds: [officeA.id],
    fee: { kind: 'FIXED', amount: '25.50', unit: 'godzina' },
    schedules: [{ weekdays: ['MO', 'TU', 'WE', 'TH', 'FR'], startsAt: '08:00', endsAt: '16:00' }],
  });
  legal = await createService(organiserA, unitA, {
    name: 'Poradnictwo prawne',
    area: 'SOCIAL_ASSISTANCE',
    targetGroups: ['ALL_RESIDENTS', 'FAMILIES_IN_CRISIS'],
    description: 'Nieodpłatne porady prawne dla mieszkańców.',
    provider: { kind: 'PARTNER', partnerId: partnerId(partners.a) },
    online: true,
    onlineUrl: 'https://porady.example.pl',
    locationIds: [roomA.id, officeA.id],
    fee: { kind: 'INCOME_DEPENDENT', description: 'Według dochodu na osobę, jak w programie usług społecznych' },
  });
  serviceB = await createService(directorB, unitB, {
    name: 'Opieka wytchnieniowa w Bochni',
    description: 'Wsparcie opiekunów w Bochni.',
    online: false,
    locationIds: [roomB.id],
    area: 'DISABILITY_SUPPORT',
    targetGroups: ['CARERS'],
  });
  serviceB = await activate(directorB, serviceB);
});
afterAll(async () => {
  await app?.close();
});

describe('places', () => {
  test('the community organiser adds a village community room in their gmina; every reader of the gmina sees it', async () => {
    expect(roomA).toMatchObject({
      name: 'Świetlica wiejska w Dobrzelowie',
      kind: 'COMMUNITY_ROOM',
      version: 1,
      retiredAt: null,
      latitude: 51.3687,
      longitude: 19.3921,
      accessibility: 'Wejście bez progów',
      description: null,
      address: { street: 'Dobrzelów 12', postalCode: '97-400', city: 'Dobrzelów' },
      gmina: { terc: A, name: 'Bełchatów' },
    });
    for (const who of [...staffA, partnerA]) {
      expect(await readLocation(who, roomA.id)).toEqual(roomA);
      const list = payload(await app.gql(who, `{ locations(first: 100, filter: { gmina: "${A}" }) { nodes { id name } } }`), 'locations');
      expect(list.nodes.map((l: any) => l.id)).toEqual(expect.arrayContaining([roomA.id, officeA.id]));
    }
    const node = await app.gql(officialA, 'query($id: ID!) { node(id: $id) { id ... on Location { name } } }', { id: roomA.id });
    expect(node.body.data.node).toEqual({ id: roomA.id, name: roomA.name });
  });

  test('locations are listed by name and filtered by kind', async () => {
    const all = payload(await app.gql(directorA, '{ locations(first: 100) { nodes { name kind gmina { terc } } } }'), 'locations').nodes;
    expect(all.every((l: any) => l.gmina.terc === A)).toBe(true);
    const names = all.map((l: any) => l.name);
    expect(names.indexOf(officeA.name)).toBeLessThan(names.indexOf(roomA.name));
    const rooms = payload(await app.gql(directorA, '{ locations(first: 100, filter: { kind: COMMUNITY_ROOM }) { nodes { id kind } } }'), 'locations').nodes;
    expect(rooms.map((l: any) => l.id)).toContain(roomA.id);
    expect(rooms.map((l: any) => l.id)).not.toContain(officeA.id);
  });

  test('invalid places yield every user error and create nothing', async () => {
    const count = async () =>
      payload(await app.gql(directorA, `{ locations(filter: { gmina: "${A}", includeRetired: true }) { totalCount } }`), 'locations').totalCount;
    const before = await count();
    const res = await app.gql(directorA, LOCATION_CREATE, {
      input: {
        name: ' ',
        kind: 'SCHOOL',
        address: { street: 'ul. Szkolna 1', postalCode: '97400', city: '' },
        gmina: B,
        latitude: 95,
        longitude: 19.4,
      },
    });
    const result = payload(res, 'locationCreate');
    expect(result.location).toBeNull();
    expect(result.userErrors.map((e: any) => [e.field.join('.'), e.code])).toEqual(
      expect.arrayContaining([
        ['input.name', 'REQUIRED'],
        ['input.address.postalCode', 'INVALID'],
        ['input.address.city', 'REQUIRED'],
        ['input.gmina', 'NOT_ALLOWED'],
        ['input.latitude', 'OUT_OF_RANGE'],
      ]),
    );
    const half = payload(
      await app.gql(directorA, LOCATION_CREATE, {
        input: {
          name: 'Bez długości',
          kind: 'OTHER',
          address: { street: 'a', postalCode: '97-400', city: 'b' },
          latitude: 51,
        },
      }),
      'locationCreate',
    );
    expect(half.userErrors.map((e: any) => [e.field.join('.'), e.code])).toEqual([['input.longitude', 'REQUIRED']]);
    const badKind = await app.gql(directorA, LOCATION_CREATE, {
      input: { name: 'X', kind: 'CASTLE', address: { street: 'a', postalCode: '97-400', city: 'b' } },
    });
    expect(codes(badKind)).toEqual(['BAD_USER_INPUT']);
    expect(await count()).toBe(before);
  });

  test('a place is updated at its current version; a stale version changes nothing', async () => {
    const place = await createLocation(organiserA, { name: unique('Biblioteka w Grocholicach'), kind: 'LIBRARY' });
    const updated = payload(
      await app.gql(organiserA, LOCATION_UPDATE, {
        input: {
          id: place.id,
          version: 1,
          description: 'Sala na parterze',
          latitude: 51.35,
          longitude: 19.33,
        },
      }),
      'locationUpdate',
    );
    expect(updated.userErrors).toEqual([]);
    expect(updated.location).toMatchObject({ version: 2, description: 'Sala na parterze', latitude: 51.35, longitude: 19.33, name: place.name });
    const stale = payload(await app.gql(organiserA, LOCATION_UPDATE, { input: { id: place.id, version: 1, name: 'Inna' } }), 'locationUpdate');
    expect(stale).toEqual({ location: null, userErrors: [expect.objectContaining({ field: ['input', 'version'], code: 'CONFLICT' })] });
    expect(await readLocation(organiserA, place.id)).toEqual(updated.location);
  });

  test('a retired place leaves the default list, takes no new services and cannot be retired again', async () => {
    const place = await createLocation(communityA, { name: unique('Świetlica wiejska w Grębocicach') });
    const retired = payload(await app.gql(communityA, LOCATION_RETIRE, { input: { id: place.id, version: 1 } }), 'locationRetire');
    expect(retired.userErrors).toEqual([]);
    expect(retired.location.retiredAt).toEqual(expect.any(String));
    expect(retired.location.version).toBe(2);
    const listed = async (includeRetired: boolean) =>
      payload(
        await app.gql(directorA, 'query($f: LocationFilter) { locations(first: 100, filter: $f) { nodes { id } } }', { f: { includeRetired } }),
        'locations',
      ).nodes.map((l: any) => l.id);
    expect(await listed(false)).not.toContain(place.id);
    expect(await listed(true)).toContain(place.id);
    const again = payload(await app.gql(communityA, LOCATION_RETIRE, { input: { id: place.id, version: 2 } }), 'locationRetire');
    expect(again.userErrors).toEqual([expect.objectContaining({ field: ['input', 'id'], code: 'NOT_ALLOWED' })]);
    const service = payload(
      await app.gql(organiserA, SERVICE_CREATE, { input: serviceInput(unitA, { name: 'W zamkniętej świetlicy', online: false, locationIds: [place.id] }) }),
      'serviceCreate',
    );
    expect(service.userErrors).toEqual([expect.objectContaining({ field: ['input', 'locationIds', '0'], code: 'NOT_ALLOWED' })]);
  });

  test('Location.services lists the services given there, as a connection with cursors', async () => {
    const query = `query($id: ID!, $after: String) { location(id: $id) { services(first: 1, after: $after) {
      totalCount edges { cursor node { id name } } pageInfo { hasNextPage endCursor } } } }`;
    const first = payload(await app.gql(directorA, query, { id: roomA.id }), 'location').services;
    expect(first.totalCount).toBe(2);
    expect(first.edges.map((e: any) => e.node.name)).toEqual(['Opieka wytchnieniowa']);
    expect(first.pageInfo).toEqual({ hasNextPage: true, endCursor: first.edges[0].cursor });
    const second = payload(await app.gql(directorA, query, { id: roomA.id, after: first.pageInfo.endCursor }), 'location').services;
    expect(second.edges.map((e: any) => e.node.name)).toEqual(['Poradnictwo prawne']);
    expect(second.pageInfo.hasNextPage).toBe(false);
    // The first page of many places comes from one windowed query: its services read exactly as service(id) does.
    const full = payload(
      await app.gql(directorA, `query($id: ID!) { location(id: $id) { services(first: 5) { nodes { ${SERVICE} } } } }`, { id: roomA.id }),
      'location',
    );
    expect(full.services.nodes).toEqual([await readService(directorA, respite.id), await readService(directorA, legal.id)]);
    const none = payload(
      await app.gql(directorA, `query($id: ID!) { location(id: $id) { services(first: 0) { totalCount nodes { id } } } }`, { id: roomA.id }),
      'location',
    );
    expect(none.services).toEqual({ totalCount: 2, nodes: [] });
  });

  test('who may keep places: not the coordinator, officials, partners, the ministry or the platform administrator', async () => {
    const input = { name: 'Nie wolno', kind: 'OTHER', address: { street: 'a', postalCode: '97-400', city: 'b' } };
    for (const who of [coordinatorA, officialA, partnerA, MINISTRY, ADMIN]) {
      expect(codes(await app.gql(who, LOCATION_CREATE, { input }))).toEqual(['FORBIDDEN']);
      expect(codes(await app.gql(who, LOCATION_UPDATE, { input: { id: roomA.id, version: 1, name: 'X' } }))).toEqual(['FORBIDDEN']);
      expect(codes(await app.gql(who, LOCATION_RETIRE, { input: { id: roomA.id, version: 1 } }))).toEqual(['FORBIDDEN']);
    }
    expect(await readLocation(directorA, roomA.id)).toEqual(roomA);
  });
});

describe('services: creating and reading', () => {
  test('a service is created PLANNED with its place, schedule, fee and capacity, and reads back the same', async () => {
    expect(respite).toMatchObject({
      name: 'Opieka wytchnieniowa',
      area: 'DISABILITY_SUPPORT',
      targetGroups: ['CARERS', 'PEOPLE_WITH_DISABILITIES'],
      status: 'PLANNED',
      version: 1,
      online: false,
      onlineUrl: null,
      provider: { kind: 'CUS', unitName: null, partner: null, cusUnit: { id: unitA.id } },
      cusUnit: { id: unitA.id },
      gminy: [{ terc: A }],
      locations: [{ id: roomA.id, name: roomA.name }],
      schedules: [
        {
          weekdays: ['TU', 'TH'],
          startsAt: '10:00',
          endsAt: '14:00',
          validFrom: '2026-01-01',
          validTo: null,
          note: 'Po wcześniejszym zapisie',
          location: { id: roomA.id, name: roomA.name },
        },
      ],
      fee: { kind: 'FREE', amount: null, unit: null, description: null },
      capacity: { recipients: 12, note: 'Grupy do 6 osób' },
    });
    expect(care.fee).toEqual({ kind: 'FIXED', amount: '25.50', unit: 'godzina', description: null });
    expect(care.capacity).toBeNull();
    expect(care.schedules).toEqual([
      { weekdays: ['MO', 'TU', 'WE', 'TH', 'FR'], startsAt: '08:00', endsAt: '16:00', validFrom: null, validTo: null, note: null, location: null },
    ]);
    expect(legal.provider).toMatchObject({ kind: 'PARTNER', partner: { id: partnerId(partners.a) }, cusUnit: null });
    expect(legal.locations.map((l: any) => l.name)).toEqual(['Centrum Usług Społecznych w Bełchatowie', 'Świetlica wiejska w Dobrzelowie']);
    expect(legal.fee).toMatchObject({ kind: 'INCOME_DEPENDENT', description: 'Według dochodu na osobę, jak w programie usług społecznych' });
    for (const who of staffA) expect(await readService(who, respite.id)).toEqual(respite);
    const node = await app.gql(officialA, 'query($id: ID!) { node(id: $id) { id ... on Service { name } } }', { id: care.id });
    expect(node.body.data.node).toEqual({ id: care.id, name: 'Usługi opiekuńcze' });
  });

  test('a gmina unit as provider needs its name; a partner must be visible, active and work in the gminy of the service', async () => {
    const unitProvided = await createService(organiserA, unitA, {
      name: 'Doradztwo zawodowe',
      area: 'UNEMPLOYMENT',
      targetGroups: ['UNEMPLOYED'],
      provider: { kind: 'GMINA_UNIT', unitName: 'Powiatowy Urząd Pracy w Bełchatowie' },
    });
    expect(unitProvided.provider).toEqual({ kind: 'GMINA_UNIT', unitName: 'Powiatowy Urząd Pracy w Bełchatowie', partner: null, cusUnit: null });
    const before = await serviceIds(directorA);
    const attempts: [Record<string, unknown>, string, string][] = [
      [{ kind: 'GMINA_UNIT' }, 'input.provider.unitName', 'REQUIRED'],
      [{ kind: 'PARTNER' }, 'input.provider.partnerId', 'REQUIRED'],
      [{ kind: 'PARTNER', partnerId: partnerId(partners.inactive) }, 'input.provider.partnerId', 'NOT_ALLOWED'],
      [{ kind: 'PARTNER', partnerId: partnerId(partners.b) }, 'input.provider.partnerId', 'NOT_FOUND'],
      [{ kind: 'CUS', partnerId: partnerId(partners.a) }, 'input.provider.partnerId', 'INVALID'],
    ];
    for (const [provider, field, code] of attempts) {
      const result = payload(await app.gql(organiserA, SERVICE_CREATE, { input: serviceInput(unitA, { name: 'Próba', provider }) }), 'serviceCreate');
      expect(result.service).toBeNull();
      expect(result.userErrors.map((e: any) => [e.field.join('.'), e.code])).toEqual([[field, code]]);
    }
    // M's partner works in M1 only: fine for a service in M1, refused for one only in M2.
    const inM1 = await createService(directorM, unitM, {
      name: unique('Warsztaty kulinarne'),
      gminy: [M1],
      provider: { kind: 'PARTNER', partnerId: partnerId(partners.m) },
    });
    expect(inM1.provider.partner.id).toBe(partnerId(partners.m));
    const onlyM2 = payload(
      await app.gql(directorM, SERVICE_CREATE, {
        input: serviceInput(unitM, {
          name: 'Warsztaty w Dąbrowicach',
          gminy: [M2],
          provider: { kind: 'PARTNER', partnerId: partnerId(partners.m) },
        }),
      }),
      'serviceCreate',
    );
    expect(onlyM2.userErrors).toEqual([expect.objectContaining({ field: ['input', 'provider', 'partnerId'], code: 'NOT_ALLOWED' })]);
    expect(await serviceIds(directorA)).toEqual(before);
  });

  test('invalid input yields userErrors or BAD_USER_INPUT, and nothing is written', async () => {
    const before = await serviceIds(directorA, { filter: { gmina: A } });
    const beforeRoom = await readLocation(directorA, roomA.id);
    const unknownArea = await app.gql(organiserA, SERVICE_CREATE, { input: serviceInput(unitA, { name: 'Nieznany obszar', area: 'ASTROLOGY' }) });
    expect(codes(unknownArea)).toEqual(['BAD_USER_INPUT']);
    expect(unknownArea.body.errors![0].message).toMatch(/ServiceArea/);

    const cases: [Record<string, unknown>, string, string][] = [
      [{ targetGroups: [] }, 'input.targetGroups', 'REQUIRED'],
      [{ targetGroups: ['SENIORS', 'SENIORS'] }, 'input.targetGroups', 'DUPLICATE'],
      [{ fee: { kind: 'FIXED', unit: 'godzina' } }, 'input.fee.amount', 'REQUIRED'],
      [{ fee: { kind: 'INCOME_DEPENDENT' } }, 'input.fee.description', 'REQUIRED'],
      [{ locationIds: [roomA.id], schedules: [{ weekdays: ['MO'], startsAt: '12:00', endsAt: '09:00' }] }, 'input.schedules.0.endsAt', 'OUT_OF_RANGE'],
      [
        { locationIds: [roomA.id], schedules: [{ weekdays: ['MO'], startsAt: '09:00', endsAt: '12:00', locationId: officeA.id }] },
        'input.schedules.0.locationId',
        'INVALID',
      ],
      [{ online: false, locationIds: [roomB.id] }, 'input.locationIds.0', 'NOT_FOUND'],
      [{ online: false, locationIds: [] }, 'input.locationIds', 'REQUIRED'],
      [{ locationIds: [roomA.id, roomA.id] }, 'input.locationIds', 'DUPLICATE'],
      [{ gminy: [A, B] }, 'input.gminy.1', 'NOT_ALLOWED'],
      [{ onlineUrl: 'ftp://pliki.example.pl' }, 'input.onlineUrl', 'INVALID'],
      [{ capacity: { recipients: 0 } }, 'input.capacity.recipients', 'OUT_OF_RANGE'],
      [{ name: '  ' }, 'input.name', 'REQUIRED'],
    ];
    for (const [input, field, code] of cases) {
      const result = payload(await app.gql(organiserA, SERVICE_CREATE, { input: serviceInput(unitA, { name: 'Błędna usługa', ...input }) }), 'serviceCreate');
      expect({ input, service: result.service, errors: result.userErrors.map((e: any) => [e.field.join('.'), e.code]) }).toEqual({
        input,
        service: null,
        errors: [[field, code]],
      });
      expect(result.userErrors[0].message.length).toBeGreaterThan(0);
    }
    const unitOfB = payload(await app.gql(organiserA, SERVICE_CREATE, { input: serviceInput(unitB, { name: 'Cudza jednostka' }) }), 'serviceCreate');
    expect(unitOfB.userErrors).toEqual([expect.objectContaining({ field: ['input', 'cusUnitId'], code: 'NOT_FOUND' })]);

    expect(await serviceIds(directorA, { filter: { gmina: A } })).toEqual(before);
    expect(await serviceIds(directorA, { search: 'Błędna' })).toEqual([]);
    expect(await readLocation(directorA, roomA.id)).toEqual(beforeRoom);
  });

  test("an inter-municipal unit's service is available in all its gminy by default, or in the ones named", async () => {
    const everywhere = await createService(directorM, unitM, { name: unique('Klub seniora') });
    expect(everywhere.gminy).toEqual([{ terc: M1 }, { terc: M2 }]);
    const onlyM1 = await createService(directorM, unitM, { name: unique('Punkt porad'), gminy: [M1] });
    expect(onlyM1.gminy).toEqual([{ terc: M1 }]);
    // Staff and officials who work for Dąbrowice only see what its residents can use.
    const officialM2 = { role: Role.GMINA_OFFICIAL, gminy: [M2] };
    const seen = await serviceIds(officialM2);
    expect(seen).toContain(everywhere.id);
    expect(seen).not.toContain(onlyM1.id);
    expect(await serviceIds(directorM, { filter: { gmina: M2 } })).not.toContain(onlyM1.id);
    expect(await serviceIds(directorM, { filter: { gmina: M1 } })).toEqual(expect.arrayContaining([everywhere.id, onlyM1.id]));
  });
});

describe('services: updating and status changes', () => {
  test('an update replaces places and schedules at the current version; a stale one changes nothing', async () => {
    const service = await createService(organiserA, unitA, {
      name: unique('Grupa wsparcia'),
      online: false,
      locationIds: [roomA.id],
      schedules: [{ weekdays: ['WE'], startsAt: '17:00', endsAt: '19:00', locationId: roomA.id }],
    });
    const res = payload(
      await app.gql(organiserA, SERVICE_UPDATE, {
        input: {
          id: service.id,
          version: 1,
          locationIds: [officeA.id],
          description: 'Spotkania z psychologiem',
          schedules: [
            { weekdays: ['TH'], startsAt: '16:00', endsAt: '18:00', locationId: officeA.id },
            { weekdays: ['SA'], startsAt: '10:00:00', endsAt: '12:00' },
          ],
          fee: { kind: 'FIXED', amount: '10', unit: 'spotkanie' },
          capacity: { recipients: 8 },
        },
      }),
      'serviceUpdate',
    );
    expect(res.userErrors).toEqual([]);
    expect(res.service).toMatchObject({
      version: 2,
      description: 'Spotkania z psychologiem',
      locations: [{ id: officeA.id }],
      schedules: [
        { weekdays: ['SA'], startsAt: '10:00', endsAt: '12:00', location: null },
        { weekdays: ['TH'], startsAt: '16:00', endsAt: '18:00', location: { id: officeA.id } },
      ],
      fee: { kind: 'FIXED', amount: '10.00', unit: 'spotkanie' },
      capacity: { recipients: 8, note: null },
    });
    // Only places and schedules: still a new version.
    const placesOnly = payload(
      await app.gql(organiserA, SERVICE_UPDATE, {
        input: {
          id: service.id,
          version: 2,
          locationIds: [officeA.id, roomA.id],
        },
      }),
      'serviceUpdate',
    );
    expect(placesOnly.service).toMatchObject({ version: 3, locations: [{ id: officeA.id }, { id: roomA.id }] });

    const stale = payload(await app.gql(organiserA, SERVICE_UPDATE, { input: { id: service.id, version: 2, name: 'Inna nazwa' } }), 'serviceUpdate');
    expect(stale).toEqual({ service: null, userErrors: [expect.objectContaining({ field: ['input', 'version'], code: 'CONFLICT' })] });
    // A place a schedule still uses cannot be dropped without new schedules.
    const orphan = payload(await app.gql(organiserA, SERVICE_UPDATE, { input: { id: service.id, version: 3, locationIds: [roomA.id] } }), 'serviceUpdate');
    expect(orphan.userErrors).toEqual([expect.objectContaining({ field: ['input', 'locationIds'], code: 'NOT_ALLOWED' })]);
    const invalid = payload(
      await app.gql(organiserA, SERVICE_UPDATE, {
        input: {
          id: service.id,
          version: 3,
          targetGroups: [],
          schedules: [{ weekdays: [], startsAt: '10:00', endsAt: '11:00' }],
        },
      }),
      'serviceUpdate',
    );
    expect(invalid.userErrors.map((e: any) => [e.field.join('.'), e.code])).toEqual([
      ['input.targetGroups', 'REQUIRED'],
      ['input.schedules.0.weekdays', 'REQUIRED'],
    ]);
    expect(await readService(organiserA, service.id)).toEqual(placesOnly.service);
  });

  test('status changes: PLANNED -> ACTIVE -> SUSPENDED -> ACTIVE -> CLOSED, refusing the others with the current status', async () => {
    const service = await createService(organiserA, unitA, { name: unique('Taxi dla seniora'), online: false, locationIds: [officeA.id] });
    const change = async (name: 'serviceActivate' | 'serviceSuspend' | 'serviceClose', version: number) =>
      payload(await app.gql(organiserA, transition(name), { input: { id: service.id, version } }), name);

    // No description yet: it cannot be activated.
    const noDescription = await change('serviceActivate', 1);
    expect(noDescription).toEqual({ service: null, userErrors: [expect.objectContaining({ field: ['input', 'id'], code: 'REQUIRED' })] });
    const suspendPlanned = await change('serviceSuspend', 1);
    expect(suspendPlanned.userErrors).toEqual([expect.objectContaining({ code: 'NOT_ALLOWED', message: expect.stringContaining('PLANNED') })]);
    expect(await readService(organiserA, service.id)).toMatchObject({ status: 'PLANNED', version: 1 });

    const described = payload(
      await app.gql(organiserA, SERVICE_UPDATE, { input: { id: service.id, version: 1, description: 'Dowóz do lekarza i urzędu.' } }),
      'serviceUpdate',
    );
    expect(described.service.version).toBe(2);
    expect((await change('serviceActivate', 2)).service).toEqual({ id: service.id, status: 'ACTIVE', version: 3 });
    const blanked = payload(await app.gql(organiserA, SERVICE_UPDATE, { input: { id: service.id, version: 3, description: ' ' } }), 'serviceUpdate');
    expect(blanked.userErrors).toEqual([expect.objectContaining({ field: ['input', 'description'], code: 'REQUIRED' })]);
    expect((await change('serviceActivate', 3)).userErrors).toEqual([
      expect.objectContaining({ code: 'NOT_ALLOWED', message: expect.stringContaining('ACTIVE') }),
    ]);
    expect((await change('serviceSuspend', 3)).service.status).toBe('SUSPENDED');
    expect((await change('serviceActivate', 4)).service.status).toBe('ACTIVE');
    expect((await change('serviceClose', 5)).service).toEqual({ id: service.id, status: 'CLOSED', version: 6 });

    for (const name of ['serviceActivate', 'serviceSuspend', 'serviceClose'] as const) {
      const refused = await change(name, 6);
      expect(refused).toEqual({ service: null, userErrors: [expect.objectContaining({ code: 'NOT_ALLOWED', message: expect.stringContaining('CLOSED') })] });
    }
    const update = payload(await app.gql(organiserA, SERVICE_UPDATE, { input: { id: service.id, version: 6, name: 'Wskrzeszona' } }), 'serviceUpdate');
    expect(update.userErrors).toEqual([expect.objectContaining({ code: 'NOT_ALLOWED' })]);
    expect(await readService(organiserA, service.id)).toMatchObject({ status: 'CLOSED', version: 6, name: service.name });
    // A stale version is refused before anything else.
    expect((await change('serviceClose', 1)).userErrors).toEqual([expect.objectContaining({ code: 'CONFLICT' })]);
  });

  test('a service whose only place was retired cannot be activated; an online one can', async () => {
    const place = await createLocation(directorA, { name: unique('Świetlica wiejska w Kałdunach') });
    const service = await createService(organiserA, unitA, {
      name: unique('Zajęcia ruchowe'),
      description: 'Gimnastyka.',
      online: false,
      locationIds: [place.id],
    });
    payload(await app.gql(directorA, LOCATION_RETIRE, { input: { id: place.id, version: 1 } }), 'locationRetire');
    const refused = payload(await app.gql(organiserA, transition('serviceActivate'), { input: { id: service.id, version: 1 } }), 'serviceActivate');
    expect(refused.userErrors).toEqual([expect.objectContaining({ code: 'NOT_ALLOWED' })]);
    const online = payload(
      await app.gql(organiserA, SERVICE_UPDATE, { input: { id: service.id, version: 1, online: true, onlineUrl: 'https://cus.example.pl/ruch' } }),
      'serviceUpdate',
    );
    expect(online.userErrors).toEqual([]);
    expect(online.service.locations).toEqual([{ id: place.id, name: place.name }]);
    expect((await activate(organiserA, online.service)).status).toBe('ACTIVE');
  });

  test('only the director and the services organiser keep the catalogue', async () => {
    const before = await readService(directorA, respite.id);
    for (const who of [communityA, coordinatorA, officialA, partnerA, MINISTRY, ADMIN]) {
      expect(codes(await app.gql(who, SERVICE_CREATE, { input: serviceInput(unitA, { name: 'Nie wolno' }) }))).toEqual(['FORBIDDEN']);
      expect(codes(await app.gql(who, SERVICE_UPDATE, { input: { id: respite.id, version: respite.version, name: 'Nie wolno' } }))).toEqual(['FORBIDDEN']);
      for (const name of ['serviceActivate', 'serviceSuspend', 'serviceClose'] as const) {
        expect(codes(await app.gql(who, transition(name), { input: { id: respite.id, version: respite.version } }))).toEqual(['FORBIDDEN']);
      }
    }
    expect(await readService(directorA, respite.id)).toEqual(before);
  });
});

describe('search', () => {
  const found = (search: string) => serviceIds(officialA, { search });

  test('finds by any word or prefix, in any case, with or without Polish diacritics', async () => {
    for (const search of ['opieka', 'wytchnieniowa', 'Wytchnieniowa', 'wytchnieniową', 'opiek', 'wytchnieniowa opieka', 'OPIEKA  wytchn']) {
      expect({ search, found: (await found(search)).includes(respite.id) }).toEqual({ search, found: true });
    }
    expect(await found('opieka')).not.toContain(care.id);
    expect(await found('opiek')).toEqual(expect.arrayContaining([respite.id, care.id]));
    for (const search of ['uslugi opiekuncze', 'Usługi opiekuńcze', 'USLUGI', 'opiekuncz']) {
      expect({ search, found: await found(search) }).toEqual({ search, found: [care.id] });
    }
    expect(await found('wytchnieniowa opiekuncze')).toEqual([]);
    expect(await found('prawne')).toEqual([legal.id]);
  });

  test('also searches the description; nonsense finds nothing; blank search is no filter', async () => {
    expect(await found('niepełnosprawnością')).toEqual([respite.id]);
    expect(await found('niepelnosprawnoscia zastepstwo')).toEqual([respite.id]);
    expect(await found('xyzzyq')).toEqual([]);
    expect(await found('   ')).toEqual(await serviceIds(officialA));
    const tooLong = await app.gql(officialA, 'query($s: String) { services(search: $s) { totalCount } }', { s: 'a'.repeat(201) });
    expect(codes(tooLong)).toEqual(['BAD_USER_INPUT']);
  });

  test('hostile searches (quotes, backslashes, tsquery operators, punctuation, control characters) get a normal answer; NUL is refused', async () => {
    // Each is a parameter of app.search_query, which keeps only letters and digits: operators never reach to_tsquery.
    const punctuation = ["'", "''", '"', '\\', "\\'", '!', '&', '|', ':*', '<->', '(((', '&&&|||!!!', '%_*', '!'.repeat(200)];
    for (const search of punctuation) expect({ search, found: await found(search) }).toEqual({ search, found: [] });
    // Control characters are no part of a word: only those is a blank search (no filter), not a failed statement.
    const all = await serviceIds(officialA);
    for (const search of ['\t\n', ' \r ']) expect({ search, found: await found(search) }).toEqual({ search, found: all });
    // NUL, which no PostgreSQL text can hold, is refused in every text input of the API (src/platform/graphql/text-limits.ts).
    for (const search of ['\u0000', ' \u0000 ', 'wytchnieniowa\u0000']) {
      expect(codes(await app.gql(officialA, 'query($s: String) { services(search: $s) { totalCount } }', { s: search }))).toEqual(['BAD_USER_INPUT']);
    }
    const withWords = [
      "opieka'",
      '"wytchnieniowa"',
      'wytchnieniowa\\',
      '!opieka',
      'opieka & !zastępstwo',
      'opieka | xyzzyq',
      'wytchn:*',
      'opieka <-> wytchnieniowa',
      "opieka' & 'wytchn",
      "opieka'); drop table service; --",
      `${'xq '.repeat(64)}opieka`,
    ];
    for (const search of withWords) {
      // Every word is required (AND), whatever operators surround it.
      const expected = /xyzzyq|drop|xq xq/.test(search) ? [] : [respite.id];
      expect({ search, found: await found(search) }).toEqual({ search, found: expected });
    }
    expect(codes(await app.gql(officialA, 'query($s: String) { services(search: $s) { totalCount } }', { s: 'a'.repeat(5000) }))).toEqual(['BAD_USER_INPUT']);
  });

  test("search never reaches across the tenant boundary: A's staff do not find B's service", async () => {
    expect(await serviceIds(directorB, { search: 'wytchnieniowa' })).toEqual([serviceB.id]);
    expect(await serviceIds(directorA, { search: 'wytchnieniowa' })).toEqual([respite.id]);
    expect(await serviceIds(directorA, { search: 'Bochni' })).toEqual([]);
  });
});

describe('filters', () => {
  test('by area, target group (any of), provider, partner, place, status, online and gmina', async () => {
    const ids = (filter: Record<string, unknown>) => serviceIds(directorA, { filter });
    expect(await ids({ areas: ['DISABILITY_SUPPORT'] })).toContain(respite.id);
    expect(await ids({ areas: ['DISABILITY_SUPPORT'] })).not.toContain(care.id);
    expect(await ids({ areas: ['DISABILITY_SUPPORT', 'SOCIAL_ASSISTANCE'] })).toEqual(expect.arrayContaining([respite.id, care.id, legal.id]));
    const carersOrFamilies = await ids({ targetGroups: ['CARERS', 'FAMILIES_IN_CRISIS'] });
    expect(carersOrFamilies).toEqual(expect.arrayContaining([respite.id, legal.id]));
    expect(carersOrFamilies).not.toContain(care.id);
    expect(await ids({ providerKind: 'PARTNER' })).toEqual([legal.id]);
    expect(await ids({ partnerId: partnerId(partners.a) })).toEqual([legal.id]);
    expect(await ids({ partnerId: partnerId(partners.b) })).toEqual([]);
    expect(await ids({ locationId: roomA.id })).toEqual(expect.arrayContaining([respite.id, legal.id]));
    expect(await ids({ locationId: roomA.id })).not.toContain(care.id);
    expect(await ids({ locationId: roomB.id })).toEqual([]);
    expect(await ids({ locationId: officeA.id, online: true })).toEqual([legal.id]);
    expect(await ids({ online: false, areas: ['DISABILITY_SUPPORT'], statuses: ['PLANNED'] })).toEqual([respite.id]);
    expect(await ids({ statuses: ['ACTIVE'] })).not.toContain(respite.id);
    expect(await ids({ gmina: B })).toEqual([]);
    expect(await ids({ gmina: A, providerKind: 'CUS' })).toEqual(expect.arrayContaining([respite.id, care.id]));
    expect(await serviceIds(directorA, { filter: { areas: ['DISABILITY_SUPPORT'] }, search: 'opieka' })).toEqual([respite.id]);
  });

  test('a malformed id in a filter is BAD_USER_INPUT', async () => {
    const res = await app.gql(directorA, '{ services(filter: { locationId: "nonsense" }) { totalCount } }');
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    const wrongType = await app.gql(directorA, 'query($id: ID!) { services(filter: { partnerId: $id }) { totalCount } }', { id: roomA.id });
    expect(codes(wrongType)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('pagination', () => {
  const PAGE = `query($first: Int, $after: String, $order: ServiceOrder, $search: String) {
    services(first: $first, after: $after, orderBy: $order, search: $search, filter: { areas: [ENVIRONMENT] }) {
      totalCount edges { cursor node { id name createdAt } } pageInfo { hasNextPage endCursor } } }`;
  // Names differ first in ASCII letters, so their order is the same under any collation.
  const names = [
    'Sprzątanie brzegów Widawki',
    'Ekologiczne warsztaty',
    'Ogród społeczny',
    'Zbiórka elektrośmieci',
    'Ekologiczny festyn',
    'Akcja Czysta Gmina',
    'Ekologiczna szkoła',
    'Kwietna łąka',
  ];

  beforeAll(async () => {
    for (const name of names) {
      await createService(organiserA, unitA, { name, area: 'ENVIRONMENT', targetGroups: ['ALL_RESIDENTS'], description: 'Działania dla środowiska w gminie.' });
    }
  });

  async function walk(order: string, first: number, search?: string) {
    const seen: any[] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 20; guard++) {
      const page: any = payload(await app.gql(directorA, PAGE, { first, after, order, search }), 'services');
      expect(page.edges.length).toBeLessThanOrEqual(first);
      seen.push(...page.edges.map((e: any) => e.node));
      if (!page.pageInfo.hasNextPage) return seen;
      expect(page.pageInfo.endCursor).toBe(page.edges.at(-1).cursor);
      after = page.pageInfo.endCursor;
    }
    throw new Error('pagination did not end');
  }

  test.each(['NAME', 'RECENT'])('walking by %s with after cursors gives every service once, in order', async (order) => {
    const all = payload(await app.gql(directorA, PAGE, { first: 100, order }), 'services');
    expect(all.totalCount).toBe(names.length);
    const walked = await walk(order, 3);
    expect(walked).toEqual(all.edges.map((e: any) => e.node));
    expect(new Set(walked.map((n) => n.id)).size).toBe(names.length);
    if (order === 'NAME') {
      expect(walked.map((n) => n.name)).toEqual(names.slice().sort());
    } else {
      const times = walked.map((n) => Date.parse(n.createdAt));
      expect(times).toEqual([...times].sort((x, y) => y - x));
      expect(walked.map((n) => n.name)).toEqual(names.slice().reverse());
    }
  });

  test('cursors stay valid with a search, and a foreign cursor is BAD_USER_INPUT', async () => {
    const walked = await walk('NAME', 2, 'ekolog');
    expect(walked.map((n) => n.name)).toEqual(['Ekologiczna szkoła', 'Ekologiczne warsztaty', 'Ekologiczny festyn']);
    const res = await app.gql(directorA, PAGE, { first: 2, after: 'not-a-cursor' });
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    const tooMany = await app.gql(directorA, PAGE, { first: 101 });
    expect(codes(tooMany)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('across the tenant boundary', () => {
  test("no staff role of gmina A reads B's services or places through any root field", async () => {
    for (const who of staffA) {
      expect(await serviceIds(who)).not.toContain(serviceB.id);
      expect(await serviceIds(who, { filter: { gmina: B } })).toEqual([]);
      const res = await app.gql(
        who,
        `query($s: ID!, $l: ID!) {
        service(id: $s) { id } location(id: $l) { id } node(id: $s) { id } place: node(id: $l) { id } nodes(ids: [$s, $l]) { id }
        locations(first: 100) { nodes { id gmina { terc } } } other: locations(filter: { gmina: "${B}", includeRetired: true }) { totalCount } }`,
        { s: serviceB.id, l: roomB.id },
      );
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data).toMatchObject({ service: null, location: null, node: null, place: null, nodes: [null, null], other: { totalCount: 0 } });
      expect(res.body.data.locations.nodes.every((l: any) => l.gmina.terc === A)).toBe(true);
    }
  });

  test("gmina A's director cannot change B's services or places: NOT_FOUND, and they are unchanged", async () => {
    const service = await readService(directorB, serviceB.id);
    const place = await readLocation(directorB, roomB.id);
    const update = payload(
      await app.gql(directorA, SERVICE_UPDATE, { input: { id: serviceB.id, version: service.version, name: 'Przejęta' } }),
      'serviceUpdate',
    );
    expect(update).toEqual({ service: null, userErrors: [expect.objectContaining({ field: ['input', 'id'], code: 'NOT_FOUND' })] });
    for (const name of ['serviceActivate', 'serviceSuspend', 'serviceClose'] as const) {
      const res = payload(await app.gql(directorA, transition(name), { input: { id: serviceB.id, version: service.version } }), name);
      expect(res).toEqual({ service: null, userErrors: [expect.objectContaining({ field: ['input', 'id'], code: 'NOT_FOUND' })] });
    }
    const placeUpdate = payload(
      await app.gql(directorA, LOCATION_UPDATE, { input: { id: roomB.id, version: place.version, name: 'Przejęta' } }),
      'locationUpdate',
    );
    expect(placeUpdate.userErrors).toEqual([expect.objectContaining({ field: ['input', 'id'], code: 'NOT_FOUND' })]);
    const placeRetire = payload(await app.gql(directorA, LOCATION_RETIRE, { input: { id: roomB.id, version: place.version } }), 'locationRetire');
    expect(placeRetire.userErrors).toEqual([expect.objectContaining({ field: ['input', 'id'], code: 'NOT_FOUND' })]);
    // Nor put A's service at B's place.
    const moved = payload(
      await app.gql(directorA, SERVICE_UPDATE, { input: { id: care.id, version: care.version, locationIds: [roomB.id] } }),
      'serviceUpdate',
    );
    expect(moved.userErrors).toEqual([expect.objectContaining({ field: ['input', 'locationIds', '0'], code: 'NOT_FOUND' })]);

    expect(await readService(directorB, serviceB.id)).toEqual(service);
    expect(await readLocation(directorB, roomB.id)).toEqual(place);
    expect(await readService(directorA, care.id)).toEqual(care);
  });

  test("gmina A's staff cannot create places or services in B's name, and B's lists are unchanged", async () => {
    const countB = async () => {
      const res = await app.gql(directorB, `{ locations(filter: { includeRetired: true }) { totalCount } services { totalCount } }`);
      expect(res.body.errors).toBeUndefined();
      return res.body.data;
    };
    const before = await countB();
    const place = payload(
      await app.gql(communityA, LOCATION_CREATE, {
        input: {
          name: 'Cudza świetlica',
          kind: 'COMMUNITY_ROOM',
          gmina: B,
          address: { street: 'Łapczyca 7', postalCode: '32-700', city: 'Łapczyca' },
        },
      }),
      'locationCreate',
    );
    expect(place).toEqual({ location: null, userErrors: [expect.objectContaining({ field: ['input', 'gmina'], code: 'NOT_ALLOWED' })] });
    const service = payload(await app.gql(organiserA, SERVICE_CREATE, { input: serviceInput(unitB, { name: 'Cudza usługa' }) }), 'serviceCreate');
    expect(service).toEqual({ service: null, userErrors: [expect.objectContaining({ field: ['input', 'cusUnitId'], code: 'NOT_FOUND' })] });
    expect(await countB()).toEqual(before);
  });

  test('Service.provider, Location.services and Partner.services return only rows the reader may see', async () => {
    // A place in M2 and a partner working in M1 and M2; the service given there by that partner is available in M1 only,
    // and a service for both gminy is given by M's partner, who works in M1 only.
    const both = randomUUID();
    await insertPartner(both, [M1, M2], unique('Fundacja Dwóch Gmin'));
    const place = await createLocation(directorM, { name: unique('Świetlica wiejska w Dąbrowicach'), gmina: M2 });
    const onlyM1 = await createService(directorM, unitM, {
      name: unique('Porady w Bedlnie'),
      gminy: [M1],
      online: false,
      locationIds: [place.id],
      provider: { kind: 'PARTNER', partnerId: partnerId(both) },
    });
    const byM1Partner = await createService(directorM, unitM, {
      name: unique('Kiermasz'),
      gminy: [M1, M2],
      provider: { kind: 'PARTNER', partnerId: partnerId(partners.m) },
    });
    const query = `query($l: ID!, $p: ID!, $s: ID!) {
      location(id: $l) { services(first: 10) { totalCount nodes { id } } }
      partner: node(id: $p) { ... on Partner { services(first: 10) { totalCount nodes { id } } } }
      service(id: $s) { provider { kind partner { id } } } }`;
    const read = async (who: Who) => {
      const res = await app.gql(who, query, { l: place.id, p: partnerId(both), s: byM1Partner.id });
      expect(res.body.errors).toBeUndefined();
      return res.body.data;
    };
    const listed = { totalCount: 1, nodes: [{ id: onlyM1.id }] };
    expect(await read(directorM)).toEqual({
      location: { services: listed },
      partner: { services: listed },
      service: { provider: { kind: 'PARTNER', partner: { id: partnerId(partners.m) } } },
    });
    const officialM2: Who = { role: Role.GMINA_OFFICIAL, gminy: [M2] };
    const none = { totalCount: 0, nodes: [] };
    expect(await read(officialM2)).toEqual({
      location: { services: none },
      partner: { services: none },
      service: { provider: { kind: 'PARTNER', partner: null } },
    });
  });

  test('MINISTRY and PLATFORM_ADMIN read no catalogue: FORBIDDEN on every root field, null through node(id)', async () => {
    for (const who of [MINISTRY, ADMIN]) {
      expect(codes(await app.gql(who, '{ services { totalCount } }'))).toEqual(['FORBIDDEN']);
      expect(codes(await app.gql(who, 'query($id: ID!) { service(id: $id) { id } }', { id: respite.id }))).toEqual(['FORBIDDEN']);
      expect(codes(await app.gql(who, '{ locations { totalCount } }'))).toEqual(['FORBIDDEN']);
      expect(codes(await app.gql(who, 'query($id: ID!) { location(id: $id) { id } }', { id: roomA.id }))).toEqual(['FORBIDDEN']);
      const viaNode = await app.gql(who, 'query($s: ID!, $l: ID!) { s: node(id: $s) { id } l: node(id: $l) { id } }', { s: respite.id, l: roomA.id });
      expect(viaNode.body.data).toEqual({ s: null, l: null });
    }
  });

  test('a partner reads the catalogue and places of the gminy it works in, and nothing of other gminy', async () => {
    const seen = await serviceIds(partnerA);
    expect(seen).toEqual(expect.arrayContaining([respite.id, care.id, legal.id]));
    expect(seen).not.toContain(serviceB.id);
    const res = await app.gql(
      partnerA,
      `query($s: ID!, $b: ID!, $l: ID!) {
      mine: service(id: $s) { name provider { partner { id name services(first: 10) { totalCount nodes { id } } } } }
      other: service(id: $b) { id } otherPlace: location(id: $l) { id } locations(first: 100) { nodes { gmina { terc } } } }`,
      { s: legal.id, b: serviceB.id, l: roomB.id },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.mine.provider.partner).toMatchObject({ id: partnerId(partners.a), services: { totalCount: 1, nodes: [{ id: legal.id }] } });
    expect(res.body.data.other).toBeNull();
    expect(res.body.data.otherPlace).toBeNull();
    expect(res.body.data.locations.nodes.length).toBeGreaterThan(0);
    expect(res.body.data.locations.nodes.every((l: any) => l.gmina.terc === A)).toBe(true);
    // A partner of gmina B sees B's catalogue, not A's.
    const partnerB = { role: Role.PARTNER, partner: partners.b };
    expect(await serviceIds(partnerB)).toEqual([serviceB.id]);
  });
});

describe('no N+1: statements grow with depth, not with rows', () => {
  const GMINA = M2;
  const director = { role: Role.DIRECTOR, gminy: [M1, M2] };

  async function counted(query: string, variables: Record<string, unknown>) {
    app.statements.length = 0;
    const res = await app.gql(director, query, variables);
    expect(res.body.errors).toBeUndefined();
    const statements = app.statements.map((line) => line.replace(/\x1b\[[0-9;]*m/g, ''));
    expect(statements.filter((s) => /set_config\(/.test(s)).length).toBeGreaterThanOrEqual(1);
    expect(statements.filter((s) => /\[query\] (commit|rollback)\b/.test(s))).toHaveLength(1);
    return { res, statements };
  }

  beforeAll(async () => {
    // Twelve services in M (the tests above add a few more), each with a place and a schedule there;
    // the first by name is provided by a partner, so one service reaches every loader.
    const places = [];
    for (let i = 0; i < 3; i++) {
      places.push(await createLocation(director, { name: unique(`Świetlica wiejska w Bedlnie ${i}`), gmina: i === 0 ? M1 : M2 }));
    }
    for (let i = 0; i < 12; i++) {
      const place = places[i % 3];
      await createService(director, unitM, {
        name: `${i === 0 ? 'AAA ' : ''}Zajęcia ${String(i).padStart(2, '0')}`,
        online: false,
        locationIds: [place.id],
        gminy: [M1, M2],
        provider: i % 2 === 0 ? { kind: 'PARTNER', partnerId: partnerId(partners.m) } : { kind: 'CUS' },
        schedules: [{ weekdays: ['MO'], startsAt: '10:00', endsAt: '12:00', locationId: place.id }],
      });
    }
  });

  test('services with provider, unit, places, schedules with places, and gminy: same count for 1 service and all', async () => {
    const SERVICES = `query($first: Int!, $gmina: TerytCode) { services(first: $first, filter: { gmina: $gmina }) { nodes {
      name cusUnit { name } provider { partner { name } cusUnit { name } } locations { name } schedules { location { name } } gminy { terc }
    } } }`;
    const one = await counted(SERVICES, { first: 1, gmina: GMINA });
    const first = one.res.body.data.services.nodes[0];
    expect(first).toMatchObject({ name: 'AAA Zajęcia 00', provider: { partner: { name: expect.any(String) }, cusUnit: null }, cusUnit: { name: unitM.name } });
    expect(first.locations).toHaveLength(1);
    expect(first.schedules).toEqual([{ location: { name: first.locations[0].name } }]);
    expect(first.gminy).toEqual([{ terc: M1 }, { terc: M2 }]);

    const all = await counted(SERVICES, { first: 100, gmina: GMINA });
    const nodes = all.res.body.data.services.nodes;
    expect(nodes.length).toBeGreaterThanOrEqual(12);
    expect(nodes.some((s: any) => s.provider.cusUnit?.name === unitM.name)).toBe(true);
    expect(
      nodes.filter((s: any) => s.name.includes('Zajęcia')).every((s: any) => s.locations.length === 1 && s.schedules[0].location.name === s.locations[0].name),
    ).toBe(true);
    expect(all.statements.length).toBe(one.statements.length);
    expect(all.statements.length).toBeLessThanOrEqual(10);
  });

  test('places with their services, and partners with theirs: same count for 1 and many', async () => {
    const PLACES = `query($first: Int!) { locations(first: $first, filter: { kind: COMMUNITY_ROOM }) { nodes {
      name services(first: 2) { totalCount pageInfo { hasNextPage } nodes { name provider { partner { name services(first: 3) { totalCount nodes { name } } } } } }
    } } }`;
    const one = await counted(PLACES, { first: 1 });
    const all = await counted(PLACES, { first: 100 });
    const places = all.res.body.data.locations.nodes;
    expect(places.length).toBeGreaterThanOrEqual(3);
    expect(one.res.body.data.locations.nodes[0]).toEqual(places[0]);
    const busy = places.filter((p: any) => p.name.startsWith('Świetlica wiejska w Bedlnie'));
    expect(busy).toHaveLength(3);
    for (const place of busy) {
      expect(place.services.totalCount).toBe(4);
      expect(place.services.nodes).toHaveLength(2);
      expect(place.services.pageInfo.hasNextPage).toBe(true);
    }
    const partnerServices = busy.flatMap((p: any) => p.services.nodes).find((s: any) => s.provider.partner)?.provider.partner.services;
    expect(partnerServices.totalCount).toBeGreaterThanOrEqual(6);
    expect(partnerServices.nodes).toHaveLength(3);
    expect(all.statements.length).toBe(one.statements.length);
  });
});
