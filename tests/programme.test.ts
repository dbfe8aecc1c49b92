import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { codes, Role, startTestApp, unique, type GraphQLResponse, type TestApp, type Who } from './support/app.js';
import { createUnit, addDays, errorsOf, mutate, pageThrough, staff, today, tryMutate } from './support/fixtures.js';
import {
  addProgrammeService,
  adoptProgramme,
  consultProgramme,
  createDiagnosis,
  createProgramme,
  createService,
  openConsultation,
} from './support/programme-fixtures.js';

/**
 * Programmes of social services: drafting, services with access rules and fees, adoption by
 * resolution, expiry, "in force on date D in gmina G", and who may do what.
 * The unit serves Brzozów (1802013, seat) and Domaradz (1802022) under an agreement; gmina B is
 * Choroszcz (2002013). (The brief's 1802012 and 2002012 are not in the TERYT register.)
 */
const SEAT = '1802013';
const OTHER = '1802022';
const B = '2002013';
const director = staff(Role.DIRECTOR, SEAT, OTHER);
const organiser = staff(Role.SERVICES_ORGANISER, SEAT, OTHER);
const directorB = staff(Role.DIRECTOR, B);
/** Staff of a given unit (by its global id): they make documents for their own unit only, and OTHER has several. */
const staffOf = (role: Role, gmina: string, unitId: string) => ({
  ...staff(role, gmina),
  unit: Buffer.from(unitId, 'base64url').toString('utf8').split(':')[1],
});
/** A real partner (the demo's „Razem dla Wiązowny”): one not in the register is refused at the door. */
const PARTNER_ID = '0193a000-0000-7000-8000-0000000000aa';
const OUTSIDERS = [{ role: Role.MINISTRY }, { role: Role.PLATFORM_ADMIN }, { role: Role.PARTNER, partner: PARTNER_ID }];

const FULL = `id title status version periodStart periodEnd targetGroups qualityStandards evaluation adoptedAt expiredOn
  resolution { number date } gmina { terc } cusUnit { id } diagnosis { id }
  services { id accessRules annualLimit fee { kind amount unit description } service { id name } programme { id } }
  consultations { id }`;

let app: TestApp;
let unit: any;
let service1: any;
let service2: any;
let seatOnlyService: any;

const read = async (id: string) => (await app.gql(director, `query($id: ID!) { programme(id: $id) { ${FULL} } }`, { id })).body.data.programme;
const unitCount = async () =>
  (await app.gql(director, `query($unit: ID!) { programmes(filter: { cusUnitId: $unit }) { totalCount } }`, { unit: unit.id })).body.data.programmes.totalCount;

beforeAll(async () => {
  app = await startTestApp();
  ({ unit } = await createUnit(app, SEAT, {
    servedGminy: [SEAT, OTHER],
    creationMode: 'INTERMUNICIPAL_AGREEMENT',
    agreement: { number: 'P/1', date: '2023-12-01' },
  }));
  await createUnit(app, B);
  // tests/diagnosis.test.ts gives these gminy a unit of its own: the director and organiser name theirs.
  for (const who of [director, organiser]) Object.assign(who, { unit: staffOf(who.role, SEAT, unit.id).unit });
  service1 = await createService(app, director, unit.id, { name: unique('Opieka wytchnieniowa') });
  service2 = await createService(app, director, unit.id, { name: unique('Poradnictwo psychologiczne'), area: 'HEALTH' });
  seatOnlyService = await createService(app, director, unit.id, { gminy: [SEAT] });
});
afterAll(async () => {
  await app.close();
});

describe('drafting a programme', () => {
  test('the director and the services organiser draft; staff and the gmina official read it', async () => {
    const diagnosis = await createDiagnosis(app, director, unit.id);
    const created = await mutate(app, organiser, 'programmeCreate', 'ProgrammeCreateInput', `programme { ${FULL} }`, {
      cusUnitId: unit.id,
      gmina: OTHER,
      title: '  Program usług społecznych Gminy Domaradz  ',
      diagnosisId: diagnosis.id,
      targetGroups: ['SENIORS', 'CARERS'],
      qualityStandards: 'Standard opieki',
      evaluation: 'Raport roczny',
    });
    expect(created.programme).toMatchObject({
      title: 'Program usług społecznych Gminy Domaradz',
      status: 'DRAFT',
      version: 1,
      periodStart: null,
      periodEnd: null,
      resolution: null,
      gmina: { terc: OTHER },
      cusUnit: { id: unit.id },
      diagnosis: { id: diagnosis.id },
      services: [],
      consultations: [],
      targetGroups: ['SENIORS', 'CARERS'],
      adoptedAt: null,
      expiredOn: null,
    });
    const id = created.programme.id;
    for (const role of [Role.COORDINATOR, Role.COMMUNITY_ORGANISER, Role.GMINA_OFFICIAL]) {
      const res = await app.gql(
        staff(role, OTHER),
        `query($id: ID!) { programme(id: $id) { id } programmes(first: 100, filter: { gmina: "${OTHER}" }) { nodes { id } } node(id: $id) { id } }`,
        { id },
      );
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.programme).toEqual({ id });
      expect(res.body.data.node).toEqual({ id });
      expect(res.body.data.programmes.nodes.map((p: any) => p.id)).toContain(id);
    }
    // The unit serves both gminy, but Brzozów's official sees only Brzozów's programmes.
    const seatOfficial = await app.gql(staff(Role.GMINA_OFFICIAL, SEAT), `query($id: ID!) { programme(id: $id) { id } }`, { id });
    expect(seatOfficial.body.data.programme).toBeNull();
    const viaDiagnosis = await app.gql(director, `query($id: ID!) { diagnosis(id: $id) { programmes { id } } }`, { id: diagnosis.id });
    expect(viaDiagnosis.body.data.diagnosis.programmes).toEqual([{ id }]);
  });

  test('a period ending before it starts is OUT_OF_RANGE and nothing is written', async () => {
    const before = await unitCount();
    const res = await tryMutate(app, director, 'programmeCreate', 'ProgrammeCreateInput', 'programme { id }', {
      cusUnitId: unit.id,
      gmina: SEAT,
      title: 'Program',
      periodStart: '2026-01-01',
      periodEnd: '2025-12-31',
    });
    expect(res.body.data.programmeCreate.programme).toBeNull();
    expect(res.body.data.programmeCreate.userErrors).toEqual([
      { field: ['input', 'periodEnd'], message: 'The period must not end (2025-12-31) before it starts (2026-01-01)', code: 'OUT_OF_RANGE' },
    ]);
    expect(await unitCount()).toBe(before);

    const draft = await createProgramme(app, director, unit.id, SEAT, { periodStart: '2026-01-01', periodEnd: '2030-12-31' });
    const snapshot = await read(draft.id);
    const update = await tryMutate(app, director, 'programmeUpdate', 'ProgrammeUpdateInput', 'programme { id }', {
      id: draft.id,
      version: snapshot.version,
      periodEnd: '2025-06-30',
      title: 'Nowy tytuł',
    });
    expect(errorsOf(update, 'programmeUpdate')).toEqual([['input.periodEnd', 'OUT_OF_RANGE']]);
    expect(await read(draft.id)).toEqual(snapshot);
  });

  test('the gmina must be one the unit serves, the diagnosis one of the unit; stale versions are refused', async () => {
    const before = await unitCount();
    const notServed = await tryMutate(app, director, 'programmeCreate', 'ProgrammeCreateInput', 'programme { id }', {
      cusUnitId: unit.id,
      gmina: '1801032',
      title: 'Program',
    });
    expect(errorsOf(notServed, 'programmeCreate')).toEqual([['input.gmina', 'INVALID']]);
    const { unit: neighbour } = await createUnit(app, OTHER);
    const foreignDiagnosis = await createDiagnosis(app, staffOf(Role.DIRECTOR, OTHER, neighbour.id), neighbour.id);
    const wrongDiagnosis = await tryMutate(app, director, 'programmeCreate', 'ProgrammeCreateInput', 'programme { id }', {
      cusUnitId: unit.id,
      gmina: OTHER,
      title: 'Program',
      diagnosisId: foreignDiagnosis.id,
      targetGroups: ['SENIORS', 'SENIORS'],
    });
    expect(errorsOf(wrongDiagnosis, 'programmeCreate')).toEqual([
      ['input.targetGroups', 'DUPLICATE'],
      ['input.diagnosisId', 'INVALID'],
    ]);
    const noTitle = await tryMutate(app, director, 'programmeCreate', 'ProgrammeCreateInput', 'programme { id }', {
      cusUnitId: unit.id,
      gmina: OTHER,
      title: ' ',
      resolution: { number: ' ', date: '2024-01-01' },
    });
    expect(errorsOf(noTitle, 'programmeCreate')).toEqual([
      ['input.title', 'REQUIRED'],
      ['input.resolution.number', 'REQUIRED'],
    ]);
    expect(await unitCount()).toBe(before);

    const draft = await createProgramme(app, director, unit.id, OTHER);
    const stale = await tryMutate(app, director, 'programmeUpdate', 'ProgrammeUpdateInput', 'programme { id }', { id: draft.id, version: 7, title: 'X' });
    expect(errorsOf(stale, 'programmeUpdate')).toEqual([['input.version', 'CONFLICT']]);
    const updated = await mutate(
      app,
      director,
      'programmeUpdate',
      'ProgrammeUpdateInput',
      'programme { title version periodStart resolution { number date } }',
      {
        id: draft.id,
        version: draft.version,
        title: 'Program 2025-2030',
        periodStart: '2025-01-01',
        resolution: { number: 'XV/120/2024', date: '2024-12-20' },
      },
    );
    expect(updated.programme).toEqual({
      title: 'Program 2025-2030',
      version: 2,
      periodStart: '2025-01-01',
      resolution: { number: 'XV/120/2024', date: '2024-12-20' },
    });
  });

  test('services with their access rules and fees: the catalogue rules, upsert, remove', async () => {
    const draft = await createProgramme(app, director, unit.id, OTHER);
    const bad = await tryMutate(app, organiser, 'programmeServiceSet', 'ProgrammeServiceSetInput', 'programmeService { id }', {
      programmeId: draft.id,
      serviceId: service1.id,
      fee: { kind: 'FIXED' },
    });
    expect(errorsOf(bad, 'programmeServiceSet')).toEqual([['input.fee.amount', 'REQUIRED']]);
    const bad2 = await tryMutate(app, organiser, 'programmeServiceSet', 'ProgrammeServiceSetInput', 'programmeService { id }', {
      programmeId: draft.id,
      serviceId: service1.id,
      fee: { kind: 'INCOME_DEPENDENT', description: ' ' },
    });
    expect(errorsOf(bad2, 'programmeServiceSet')).toEqual([['input.fee.description', 'REQUIRED']]);
    const elsewhere = await tryMutate(app, organiser, 'programmeServiceSet', 'ProgrammeServiceSetInput', 'programmeService { id }', {
      programmeId: draft.id,
      serviceId: seatOnlyService.id,
    });
    expect(errorsOf(elsewhere, 'programmeServiceSet')).toEqual([['input.serviceId', 'NOT_ALLOWED']]);
    expect((await read(draft.id)).services).toEqual([]);

    const set = await mutate(
      app,
      organiser,
      'programmeServiceSet',
      'ProgrammeServiceSetInput',
      'programmeService { id fee { kind amount unit } } programme { id }',
      {
        programmeId: draft.id,
        serviceId: service1.id,
        accessRules: 'Opiekunowie faktyczni',
        annualLimit: '240 godzin na osobę',
        fee: { kind: 'FIXED', amount: '15.50', unit: 'godzina' },
      },
    );
    expect(set.programmeService.fee).toEqual({ kind: 'FIXED', amount: '15.50', unit: 'godzina' });
    const again = await mutate(
      app,
      organiser,
      'programmeServiceSet',
      'ProgrammeServiceSetInput',
      'programmeService { id fee { kind amount description } accessRules }',
      {
        programmeId: draft.id,
        serviceId: service1.id,
        fee: { kind: 'INCOME_DEPENDENT', description: 'Według progów dochodowych z art. 8' },
      },
    );
    expect(again.programmeService).toEqual({
      id: set.programmeService.id,
      accessRules: null,
      fee: { kind: 'INCOME_DEPENDENT', amount: null, description: 'Według progów dochodowych z art. 8' },
    });
    await addProgrammeService(app, organiser, draft.id, service2.id);
    let full = await read(draft.id);
    expect(full.services.map((s: any) => s.service.id)).toEqual([service1.id, service2.id]);
    expect(full.services[1]).toMatchObject({ fee: { kind: 'FREE', amount: null }, programme: { id: draft.id } });

    const removed = await mutate(app, organiser, 'programmeServiceRemove', 'ProgrammeServiceRemoveInput', 'removedId programme { id }', {
      id: set.programmeService.id,
    });
    expect(removed).toMatchObject({ removedId: set.programmeService.id, programme: { id: draft.id } });
    full = await read(draft.id);
    expect(full.services.map((s: any) => s.service.id)).toEqual([service2.id]);

    // A service of another CUS's catalogue, visible because it is available in the same gmina, is refused too.
    const { unit: neighbour } = await createUnit(app, OTHER);
    const foreign = await createService(app, staff(Role.DIRECTOR, OTHER), neighbour.id);
    const notOurs = await tryMutate(app, organiser, 'programmeServiceSet', 'ProgrammeServiceSetInput', 'programmeService { id }', {
      programmeId: draft.id,
      serviceId: foreign.id,
    });
    expect(errorsOf(notOurs, 'programmeServiceSet')).toEqual([['input.serviceId', 'INVALID']]);
    // A closed service cannot enter a programme.
    const closing = await createService(app, director, unit.id);
    await mutate(app, director, 'serviceClose', 'ServiceStatusChangeInput', 'service { status }', { id: closing.id, version: closing.version });
    const closed = await tryMutate(app, organiser, 'programmeServiceSet', 'ProgrammeServiceSetInput', 'programmeService { id }', {
      programmeId: draft.id,
      serviceId: closing.id,
    });
    expect(errorsOf(closed, 'programmeServiceSet')).toEqual([['input.serviceId', 'NOT_ALLOWED']]);
    expect((await read(draft.id)).services).toEqual(full.services);
  });
});

describe('status changes', () => {
  test('adopting without resolution or period lists each missing field as REQUIRED and changes nothing', async () => {
    const draft = await createProgramme(app, director, unit.id, OTHER);
    await consultProgramme(app, director, draft.id);
    const before = await read(draft.id);
    const res = await tryMutate(app, director, 'programmeAdopt', 'ProgrammeAdoptInput', 'programme { id }', { id: draft.id });
    expect(res.body.data.programmeAdopt.programme).toBeNull();
    expect(errorsOf(res, 'programmeAdopt')).toEqual([
      ['input.resolution.number', 'REQUIRED'],
      ['input.resolution.date', 'REQUIRED'],
      ['input.periodStart', 'REQUIRED'],
      ['input.periodEnd', 'REQUIRED'],
      ['input.id', 'REQUIRED'],
    ]);
    const backwards = await tryMutate(app, director, 'programmeAdopt', 'ProgrammeAdoptInput', 'programme { id }', {
      id: draft.id,
      resolution: { number: 'X/1/2024', date: addDays(today(), 1) },
      periodStart: '2025-01-01',
      periodEnd: '2024-12-31',
    });
    expect(errorsOf(backwards, 'programmeAdopt')).toEqual([
      ['input.resolution.date', 'OUT_OF_RANGE'],
      ['input.periodEnd', 'OUT_OF_RANGE'],
      ['input.id', 'REQUIRED'],
    ]);
    expect(await read(draft.id)).toEqual(before);
  });

  test('draft -> in consultation -> adopted -> expired, with the refused transitions', async () => {
    const programme = await createProgramme(app, director, unit.id, OTHER, { periodStart: '2025-01-01', periodEnd: '2029-12-31' });
    await addProgrammeService(app, director, programme.id, service1.id);

    const expireDraft = await tryMutate(app, director, 'programmeExpire', 'ProgrammeExpireInput', 'programme { id }', { id: programme.id });
    expect(errorsOf(expireDraft, 'programmeExpire')).toEqual([['input.id', 'NOT_ALLOWED']]);
    expect(expireDraft.body.data.programmeExpire.userErrors[0].message).toBe('The programme is DRAFT; expiry applies to a programme that is ADOPTED');

    const submitted = await mutate(app, organiser, 'programmeSubmitForConsultation', 'ProgrammeIdInput', 'programme { status }', { id: programme.id });
    expect(submitted.programme.status).toBe('IN_CONSULTATION');
    const twice = await tryMutate(app, organiser, 'programmeSubmitForConsultation', 'ProgrammeIdInput', 'programme { status }', { id: programme.id });
    expect(errorsOf(twice, 'programmeSubmitForConsultation')).toEqual([['input.id', 'NOT_ALLOWED']]);

    // A consultation still running blocks adoption, though an earlier one has ended; once cancelled, it no longer does.
    await consultProgramme(app, director, programme.id);
    const consultation = await openConsultation(app, director, { programmeId: programme.id }, addDays(today(), -3), addDays(today(), 10));
    const early = await tryMutate(app, director, 'programmeAdopt', 'ProgrammeAdoptInput', 'programme { id }', {
      id: programme.id,
      resolution: { number: 'XXI/150/2024', date: '2024-12-18' },
    });
    expect(errorsOf(early, 'programmeAdopt')).toEqual([['input.id', 'NOT_ALLOWED']]);
    expect((await read(programme.id)).status).toBe('IN_CONSULTATION');
    await mutate(app, director, 'consultationCancel', 'ConsultationCancelInput', 'consultation { status }', { id: consultation.id });

    const adopted = await mutate(
      app,
      director,
      'programmeAdopt',
      'ProgrammeAdoptInput',
      'programme { status version resolution { number date } periodStart periodEnd adoptedAt }',
      { id: programme.id, resolution: { number: 'XXI/150/2024', date: '2024-12-18' }, periodEnd: '2030-12-31' },
    );
    expect(adopted.programme).toMatchObject({
      status: 'ADOPTED',
      resolution: { number: 'XXI/150/2024', date: '2024-12-18' },
      periodStart: '2025-01-01',
      periodEnd: '2030-12-31',
    });
    expect(adopted.programme.adoptedAt).toEqual(expect.any(String));

    const after = await read(programme.id);
    const refused = [
      await tryMutate(app, director, 'programmeAdopt', 'ProgrammeAdoptInput', 'programme { id }', { id: programme.id }),
      await tryMutate(app, director, 'programmeUpdate', 'ProgrammeUpdateInput', 'programme { id }', {
        id: programme.id,
        version: after.version,
        title: 'Zmiana',
      }),
      await tryMutate(app, director, 'programmeServiceSet', 'ProgrammeServiceSetInput', 'programmeService { id }', {
        programmeId: programme.id,
        serviceId: service2.id,
      }),
      await tryMutate(app, director, 'programmeServiceRemove', 'ProgrammeServiceRemoveInput', 'removedId', { id: after.services[0].id }),
      await tryMutate(app, director, 'programmeSubmitForConsultation', 'ProgrammeIdInput', 'programme { id }', { id: programme.id }),
      await tryMutate(app, director, 'consultationOpen', 'ConsultationOpenInput', 'consultation { id }', {
        programmeId: programme.id,
        title: 'X',
        startsOn: today(),
        endsOn: today(),
        channels: ['EMAIL'],
      }),
      await tryMutate(app, director, 'programmeExpire', 'ProgrammeExpireInput', 'programme { id }', { id: programme.id, expiredOn: '2024-12-31' }),
    ];
    expect(refused.map((res) => errorsOf(res, Object.keys(res.body.data)[0]).map(([, code]: string[]) => code))).toEqual([
      ['NOT_ALLOWED'],
      ['NOT_ALLOWED'],
      ['NOT_ALLOWED'],
      ['NOT_ALLOWED'],
      ['NOT_ALLOWED'],
      ['NOT_ALLOWED'],
      ['OUT_OF_RANGE'],
    ]);
    expect(await read(programme.id)).toEqual(after);

    const expired = await mutate(app, director, 'programmeExpire', 'ProgrammeExpireInput', 'programme { status expiredOn }', { id: programme.id });
    expect(expired.programme).toEqual({ status: 'EXPIRED', expiredOn: today() });
    const again = await tryMutate(app, director, 'programmeExpire', 'ProgrammeExpireInput', 'programme { id }', { id: programme.id });
    expect(errorsOf(again, 'programmeExpire')).toEqual([['input.id', 'NOT_ALLOWED']]);
    const listed = await app.gql(director, `query($unit: ID!) { programmes(first: 100, filter: { cusUnitId: $unit, statuses: [EXPIRED] }) { nodes { id } } }`, {
      unit: unit.id,
    });
    expect(listed.body.data.programmes.nodes).toEqual([{ id: programme.id }]);
  });

  test('programmesInForce: several at once, an expired one only before its expiredOn, drafts never', async () => {
    const p1 = await createProgramme(app, director, unit.id, OTHER, { title: 'P1' });
    const p2 = await createProgramme(app, director, unit.id, OTHER, { title: 'P2' });
    const draft = await createProgramme(app, director, unit.id, OTHER, { title: 'Draft', periodStart: '2030-01-01', periodEnd: '2040-12-31' });
    await addProgrammeService(app, director, draft.id, service1.id);
    const p1s1 = await addProgrammeService(app, director, p1.id, service1.id, { fee: { kind: 'FIXED', amount: '10.00' } });
    const p1s2 = await addProgrammeService(app, director, p1.id, service2.id);
    const p2s1 = await addProgrammeService(app, director, p2.id, service1.id, { accessRules: 'Seniorzy 75+' });
    await adoptProgramme(app, director, p1.id, '2030-01-01', '2034-12-31');
    await adoptProgramme(app, director, p2.id, '2031-01-01', '2035-12-31');
    await mutate(app, director, 'programmeExpire', 'ProgrammeExpireInput', 'programme { status }', { id: p1.id, expiredOn: '2032-07-01' });

    // Domaradz is the unit's non-seat gmina: its official, and staff whose token names both gminy, get the same answer.
    const inForceAs = async (who: Who, gmina: string, on: string) => {
      const res = await app.gql(
        who,
        `query($gmina: TerytCode!, $on: LocalDate!) {
        programmesInForce(gmina: $gmina, on: $on) { date gmina { terc } programmes { title }
          services { id accessRules fee { kind amount } service { id } programme { title } } } }`,
        { gmina, on },
      );
      expect(res.body.errors).toBeUndefined();
      return res.body.data.programmesInForce;
    };
    const inForce = async (gmina: string, on: string) => {
      const asOfficial = await inForceAs(staff(Role.GMINA_OFFICIAL, gmina), gmina, on);
      expect(await inForceAs(staff(Role.COORDINATOR, SEAT, OTHER), gmina, on)).toEqual(asOfficial);
      return asOfficial;
    };
    expect(await inForce(OTHER, '2029-12-31')).toEqual({ date: '2029-12-31', gmina: { terc: OTHER }, programmes: [], services: [] });
    const first = await inForce(OTHER, '2030-06-01');
    expect(first.programmes).toEqual([{ title: 'P1' }]);
    expect(first.services).toEqual([
      { id: p1s1.id, accessRules: null, fee: { kind: 'FIXED', amount: '10.00' }, service: { id: service1.id }, programme: { title: 'P1' } },
      { id: p1s2.id, accessRules: null, fee: { kind: 'FREE', amount: null }, service: { id: service2.id }, programme: { title: 'P1' } },
    ]);
    // P1 expired from 2032-07-01: in force the day before, not on that day nor after it (its period runs to 2034).
    for (const on of ['2031-01-01', '2032-06-30']) {
      const both = await inForce(OTHER, on);
      expect(both.programmes).toEqual([{ title: 'P1' }, { title: 'P2' }]);
      expect(both.services.map((s: any) => [s.id, s.programme.title])).toEqual([
        [p1s1.id, 'P1'],
        [p1s2.id, 'P1'],
        [p2s1.id, 'P2'],
      ]);
      expect(both.services[2]).toMatchObject({ accessRules: 'Seniorzy 75+', service: { id: service1.id } });
    }
    for (const on of ['2032-07-01', '2033-06-01', '2034-12-31']) {
      const afterExpiry = await inForce(OTHER, on);
      expect(afterExpiry.programmes).toEqual([{ title: 'P2' }]);
      expect(afterExpiry.services.map((s: any) => s.id)).toEqual([p2s1.id]);
    }
    expect((await inForce(OTHER, '2035-12-31')).programmes).toEqual([{ title: 'P2' }]);
    expect((await inForce(OTHER, '2036-01-01')).programmes).toEqual([]);
    // The same unit's seat gmina has its own programmes: none of these, for its official or for staff of both gminy.
    expect((await inForce(SEAT, '2031-06-01')).programmes).toEqual([]);
    // A well-formed code that is not in the TERYT register.
    expect(codes(await app.gql(director, '{ programmesInForce(gmina: "0299991", on: "2031-06-01") { date } }'))).toEqual(['BAD_USER_INPUT']);
  });

  test('each check of programmeAdopt gives its own userError, and a refusal changes nothing', async () => {
    const tomorrow = addDays(today(), 1);
    const resolution = { number: 'XII/90/2024', date: '2024-06-20' };
    const ready = await createProgramme(app, director, unit.id, OTHER, { periodStart: '2025-01-01', periodEnd: '2029-12-31' });
    await addProgrammeService(app, director, ready.id, service1.id);
    const noPeriod = await createProgramme(app, director, unit.id, OTHER);
    await addProgrammeService(app, director, noPeriod.id, service1.id);
    const noServices = await createProgramme(app, director, unit.id, OTHER, { periodStart: '2025-01-01', periodEnd: '2029-12-31' });
    const consulted = await createProgramme(app, director, unit.id, OTHER, { periodStart: '2025-01-01', periodEnd: '2029-12-31' });
    await addProgrammeService(app, director, consulted.id, service1.id);
    await openConsultation(app, director, { programmeId: consulted.id }, today(), addDays(today(), 7));
    for (const programme of [ready, noPeriod, noServices]) await consultProgramme(app, director, programme.id);

    const cases: [string, Record<string, unknown>, [string, string, string]][] = [
      [
        ready.id,
        { resolution: { number: ' ', date: resolution.date } },
        ['input.resolution.number', 'REQUIRED', 'The number of the adopting resolution is required'],
      ],
      [
        ready.id,
        { resolution: { number: resolution.number, date: tomorrow } },
        ['input.resolution.date', 'OUT_OF_RANGE', `A resolution cannot be dated after today (${today()})`],
      ],
      [noPeriod.id, { resolution, periodEnd: '2029-12-31' }, ['input.periodStart', 'REQUIRED', 'The start of the period is required']],
      [noPeriod.id, { resolution, periodStart: '2025-01-01' }, ['input.periodEnd', 'REQUIRED', 'The end of the period is required']],
      [
        ready.id,
        { resolution, periodStart: '2030-01-01' },
        ['input.periodEnd', 'OUT_OF_RANGE', 'The period must not end (2029-12-31) before it starts (2030-01-01)'],
      ],
      [noServices.id, { resolution }, ['input.id', 'REQUIRED', 'A programme is adopted with at least one service; add one with programmeServiceSet']],
      [consulted.id, { resolution }, ['input.id', 'NOT_ALLOWED', expect.stringMatching(`runs until ${addDays(today(), 7)}; adopt after it ends$`) as never]],
    ];
    for (const [id, input, [field, code, message]] of cases) {
      const before = await read(id);
      const res = await tryMutate(app, director, 'programmeAdopt', 'ProgrammeAdoptInput', 'programme { id }', { id, ...input });
      expect(res.body.data.programmeAdopt).toEqual({ programme: null, userErrors: [{ field: field.split('.'), code, message }] });
      expect(await read(id)).toEqual(before);
    }
    // The resolution date alone is never missing (LegalActInput needs both), so it is REQUIRED only beside the number.
    const bare = await tryMutate(app, director, 'programmeAdopt', 'ProgrammeAdoptInput', 'programme { id }', { id: ready.id });
    expect(errorsOf(bare, 'programmeAdopt')).toEqual([
      ['input.resolution.number', 'REQUIRED'],
      ['input.resolution.date', 'REQUIRED'],
    ]);
    await adoptProgramme(app, director, ready.id, '2025-01-01', '2029-12-31');
  });
});

test('programmes page newest first, with stable cursors', async () => {
  const filter = `{ cusUnitId: "${unit.id}" }`;
  const all = (await app.gql(director, `{ programmes(first: 100, filter: ${filter}) { totalCount nodes { id } } }`)).body.data.programmes;
  expect(all.nodes.length).toBeGreaterThanOrEqual(5);
  expect(all.totalCount).toBe(all.nodes.length);
  expect(await pageThrough(app, director, 'programmes', filter)).toEqual(all.nodes.map((n: any) => n.id));
});

describe('roles and the tenant boundary', () => {
  let programme: any;
  let item: any;

  beforeAll(async () => {
    programme = await createProgramme(app, director, unit.id, OTHER, { periodStart: '2025-01-01', periodEnd: '2027-12-31' });
    item = await addProgrammeService(app, director, programme.id, service2.id);
  });

  test("staff of gmina B read nothing of the unit's programmes", async () => {
    for (const role of [Role.DIRECTOR, Role.SERVICES_ORGANISER, Role.COORDINATOR, Role.COMMUNITY_ORGANISER, Role.GMINA_OFFICIAL]) {
      const res = await app.gql(
        staff(role, B),
        `query($id: ID!, $item: ID!, $unit: ID!) {
        programme(id: $id) { id } node(id: $id) { id } item: node(id: $item) { id }
        programmes(first: 100) { nodes { id } }
        byGmina: programmes(filter: { gmina: "${OTHER}" }) { totalCount }
        byUnit: programmes(filter: { cusUnitId: $unit }) { totalCount }
        programmesInForce(gmina: "${OTHER}", on: "2026-01-01") { programmes { id } services { id } } }`,
        { id: programme.id, item: item.id, unit: unit.id },
      );
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data).toMatchObject({
        programme: null,
        node: null,
        item: null,
        byGmina: { totalCount: 0 },
        byUnit: { totalCount: 0 },
        programmesInForce: { programmes: [], services: [] },
      });
      expect(res.body.data.programmes.nodes.map((p: any) => p.id)).not.toContain(programme.id);
    }
  });

  test("writes by gmina B's director are NOT_FOUND and change nothing", async () => {
    const before = await read(programme.id);
    const attempts: [string, string, string, Record<string, unknown>, string[][]][] = [
      ['programmeCreate', 'ProgrammeCreateInput', 'programme { id }', { cusUnitId: unit.id, gmina: OTHER, title: 'X' }, [['input.cusUnitId', 'NOT_FOUND']]],
      ['programmeUpdate', 'ProgrammeUpdateInput', 'programme { id }', { id: programme.id, version: before.version, title: 'X' }, [['input.id', 'NOT_FOUND']]],
      [
        'programmeServiceSet',
        'ProgrammeServiceSetInput',
        'programmeService { id }',
        { programmeId: programme.id, serviceId: service1.id },
        [
          ['input.programmeId', 'NOT_FOUND'],
          ['input.serviceId', 'NOT_FOUND'],
        ],
      ],
      ['programmeServiceRemove', 'ProgrammeServiceRemoveInput', 'removedId', { id: item.id }, [['input.id', 'NOT_FOUND']]],
      ['programmeSubmitForConsultation', 'ProgrammeIdInput', 'programme { id }', { id: programme.id }, [['input.id', 'NOT_FOUND']]],
      [
        'programmeAdopt',
        'ProgrammeAdoptInput',
        'programme { id }',
        { id: programme.id, resolution: { number: 'X', date: '2024-01-01' } },
        [['input.id', 'NOT_FOUND']],
      ],
      ['programmeExpire', 'ProgrammeExpireInput', 'programme { id }', { id: programme.id }, [['input.id', 'NOT_FOUND']]],
    ];
    for (const [field, type, selection, input, expected] of attempts) {
      const res = await tryMutate(app, directorB, field, type, selection, input);
      expect(res.body.errors).toBeUndefined();
      expect(errorsOf(res, field)).toEqual(expected);
    }
    expect(await read(programme.id)).toEqual(before);
  });

  test('only the director and services organiser write; ministry, platform admin and partners are FORBIDDEN', async () => {
    const before = await read(programme.id);
    const writers = [Role.COORDINATOR, Role.COMMUNITY_ORGANISER, Role.GMINA_OFFICIAL].map((role) => staff(role, SEAT, OTHER));
    for (const who of [...writers, ...OUTSIDERS]) {
      const results: GraphQLResponse[] = [
        await tryMutate(app, who, 'programmeCreate', 'ProgrammeCreateInput', 'programme { id }', { cusUnitId: unit.id, gmina: OTHER, title: 'X' }),
        await tryMutate(app, who, 'programmeServiceSet', 'ProgrammeServiceSetInput', 'programmeService { id }', {
          programmeId: programme.id,
          serviceId: service1.id,
        }),
        await tryMutate(app, who, 'programmeAdopt', 'ProgrammeAdoptInput', 'programme { id }', { id: programme.id }),
        await tryMutate(app, who, 'programmeExpire', 'ProgrammeExpireInput', 'programme { id }', { id: programme.id }),
      ];
      for (const res of results) expect(codes(res)).toEqual(['FORBIDDEN']);
    }
    for (const who of OUTSIDERS) {
      expect(codes(await app.gql(who, '{ programmes { nodes { id } } }'))).toEqual(['FORBIDDEN']);
      expect(codes(await app.gql(who, 'query($id: ID!) { programme(id: $id) { id } }', { id: programme.id }))).toEqual(['FORBIDDEN']);
      expect(codes(await app.gql(who, `{ programmesInForce(gmina: "${OTHER}", on: "2026-01-01") { date } }`))).toEqual(['FORBIDDEN']);
    }
    expect(await read(programme.id)).toEqual(before);
  });
});

describe('no N+1 on diagnoses and programmes', () => {
  const QUERY = `query($first: Int!, $unit: ID!) {
    diagnoses(first: $first, filter: { cusUnitId: $unit }) { nodes {
      stages { stage } researchActivities { title } needs { area } resources { holder } programmes { title } } }
    programmes(first: $first, filter: { cusUnitId: $unit }) { nodes { services { service { name } } consultations { submissionCount } } } }`;

  test('the statement count is the same for one diagnosis and programme as for many', async () => {
    // A unit of its own, so every diagnosis and programme listed reaches every loader.
    const { unit: own } = await createUnit(app, OTHER);
    // Staff make documents for their own unit only: the token names this one (OTHER has other units too).
    const who = staffOf(Role.DIRECTOR, OTHER, own.id);
    const service = await createService(app, who, own.id);
    for (let i = 0; i < 4; i++) {
      const diagnosis = await createDiagnosis(app, who, own.id, { periodStart: `202${i}-01-01`, periodEnd: `202${i}-12-31` });
      await mutate(app, who, 'diagnosisStageSet', 'DiagnosisStageSetInput', 'diagnosisStage { stage }', { diagnosisId: diagnosis.id, stage: 'PLAN' });
      await mutate(app, who, 'researchActivityAdd', 'ResearchActivityAddInput', 'researchActivity { id }', {
        diagnosisId: diagnosis.id,
        kind: 'FGI',
        title: `FGI ${i}`,
        startDate: `202${i}-03-01`,
        endDate: `202${i}-03-01`,
      });
      await mutate(app, who, 'diagnosisNeedAdd', 'DiagnosisNeedAddInput', 'diagnosisNeed { id }', {
        diagnosisId: diagnosis.id,
        area: 'HEALTH',
        targetGroup: 'SENIORS',
        description: 'Rehabilitacja',
        priority: 'HIGH',
      });
      await mutate(app, who, 'diagnosisResourceAdd', 'DiagnosisResourceAddInput', 'diagnosisResource { id }', {
        diagnosisId: diagnosis.id,
        kind: 'NGO',
        holder: `Fundacja ${i}`,
        description: 'Wolontariat',
      });
      const programme = await createProgramme(app, who, own.id, OTHER, { diagnosisId: diagnosis.id });
      await addProgrammeService(app, who, programme.id, service.id);
      const consultation = await openConsultation(app, who, { programmeId: programme.id }, addDays(today(), -1), addDays(today(), 5));
      await mutate(app, who, 'consultationSubmit', 'ConsultationSubmitInput', 'consultationSubmission { id }', {
        consultationId: consultation.id,
        text: 'Uwaga',
        channel: 'ONLINE',
      });
    }

    const counted = async (first: number) => {
      app.statements.length = 0;
      const res = await app.gql(who, QUERY, { first, unit: own.id });
      expect(res.body.errors).toBeUndefined();
      const statements = [...app.statements];
      expect(statements.filter((s) => /set_config\(/.test(s)).length).toBeGreaterThanOrEqual(1);
      expect(statements.filter((s) => /\b(commit|rollback)\b/.test(s))).toHaveLength(1);
      return { data: res.body.data, statements };
    };
    const one = await counted(1);
    const many = await counted(100);
    expect(one.data.diagnoses.nodes).toHaveLength(1);
    expect(many.data.diagnoses.nodes).toHaveLength(4);
    expect(many.data.programmes.nodes).toHaveLength(4);
    for (const node of many.data.diagnoses.nodes) {
      expect(node).toMatchObject({ stages: [{ stage: 'PLAN' }], needs: [{ area: 'HEALTH' }], programmes: [{ title: expect.any(String) }] });
      expect(node.researchActivities).toHaveLength(1);
      expect(node.resources).toHaveLength(1);
    }
    for (const node of many.data.programmes.nodes) {
      expect(node).toEqual({ services: [{ service: { name: service.name } }], consultations: [{ submissionCount: 1 }] });
    }
    expect(many.statements.length).toBe(one.statements.length);
    // Each relation is read by exactly one statement for all four parents.
    for (const table of [
      'diagnosis_stage',
      'research_activity',
      'diagnosis_need',
      'diagnosis_resource',
      'programme_service',
      'service',
      'consultation',
      'consultation_submission',
    ]) {
      expect(
        many.statements.filter((s) => new RegExp(`from "?${table}"? `).test(s)),
        table,
      ).toHaveLength(1);
    }
    // settings, 2 pages, 5 diagnosis relations, services, their catalogue entries, consultations, counts, end.
    expect(many.statements.length).toBeLessThanOrEqual(14);
  });
});
