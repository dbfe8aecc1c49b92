import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { codes, Role, startTestApp, unique, type TestApp } from './support/app.js';
import { ADMIN, createUnit, UNIT_FIELDS } from './support/fixtures.js';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app.close();
});

const CREATE = `mutation($input: CusUnitCreateInput!) { cusUnitCreate(input: $input) { cusUnit { ${UNIT_FIELDS} } userErrors { field message code } } }`;
const UPDATE = `mutation($input: CusUnitUpdateInput!) { cusUnitUpdate(input: $input) { cusUnit { ${UNIT_FIELDS} } userErrors { field message code } } }`;
const ADD_PROJECT = `mutation($input: FundingProjectAddInput!) { fundingProjectAdd(input: $input) { fundingProject { id totalValue euShare nationalShare coFinancingPercent } userErrors { field message code } } }`;

const unitCount = async (gmina: string) => (await app.gql(ADMIN, `{ cusUnits(filter: { gmina: "${gmina}" }) { totalCount } }`)).body.data.cusUnits.totalCount;

const validInput = (over: Record<string, unknown> = {}) => ({
  name: unique('CUS'),
  seatGmina: '1465011',
  seatAddress: { street: 'ul. Testowa 1', postalCode: '00-001', city: 'Warszawa' },
  creationMode: 'OPS_TRANSFORMED',
  startDate: '2024-01-01',
  ...over,
});

describe('onboarding a CUS unit', () => {
  // Krzeszyce and Lubniewice (lubuskie): README's example makes a statutory unit of Kętrzyn and Korsze, and a gmina has one.
  test('the platform administrator creates an inter-municipal unit serving two gminy', async () => {
    const res = await app.gql(ADMIN, CREATE, {
      input: validInput({
        seatGmina: '0807012',
        servedGminy: ['0807012', '0807023'],
        creationMode: 'INTERMUNICIPAL_AGREEMENT',
        agreement: { number: 'POR/1/2024', date: '2023-11-30' },
        foundingResolution: { number: 'XII/1/2023', date: '2023-12-01' },
      }),
    });
    expect(res.body.data.cusUnitCreate.userErrors).toEqual([]);
    const unit = res.body.data.cusUnitCreate.cusUnit;
    expect(unit).toMatchObject({ creationMode: 'INTERMUNICIPAL_AGREEMENT', version: 1, statutory: true, gminy: [{ terc: '0807012' }, { terc: '0807023' }] });
    const staff = await app.gql(
      { role: Role.SERVICES_ORGANISER, gminy: ['0807023'] },
      'query($id: ID!) { cusUnit(id: $id) { name agreement { number date } foundingResolution { number } seatGmina { terc } } }',
      { id: unit.id },
    );
    expect(staff.body.data.cusUnit).toMatchObject({
      agreement: { number: 'POR/1/2024', date: '2023-11-30' },
      foundingResolution: { number: 'XII/1/2023' },
      seatGmina: { terc: '0807012' },
    });
  });

  test('invalid input yields every user error at once and creates nothing', async () => {
    const before = await unitCount('1465011');
    const res = await app.gql(ADMIN, CREATE, {
      input: validInput({
        name: '  ',
        seatAddress: { street: 'ul. X', postalCode: '00001', city: 'Warszawa' },
        startDate: '2019-06-01',
        foundingResolution: { number: 'I/1', date: '2019-07-01' },
        servedGminy: ['1465011', '1417082'],
      }),
    });
    const errors = res.body.data.cusUnitCreate.userErrors;
    expect(res.body.data.cusUnitCreate.cusUnit).toBeNull();
    expect(errors.map((e: any) => [e.field.join('.'), e.code])).toEqual(
      expect.arrayContaining([
        ['input.name', 'REQUIRED'],
        ['input.seatAddress.postalCode', 'INVALID'],
        ['input.startDate', 'OUT_OF_RANGE'],
        ['input.foundingResolution.date', 'OUT_OF_RANGE'],
        ['input.servedGminy', 'OUT_OF_RANGE'],
      ]),
    );
    expect(errors.every((e: any) => e.message.length > 0)).toBe(true);
    expect(await unitCount('1465011')).toBe(before);
  });

  test('an inter-municipal unit needs the agreement and two gminy', async () => {
    const res = await app.gql(ADMIN, CREATE, { input: validInput({ creationMode: 'INTERMUNICIPAL_AGREEMENT' }) });
    expect(res.body.data.cusUnitCreate.userErrors.map((e: any) => [e.field.join('.'), e.code])).toEqual([
      ['input.servedGminy', 'OUT_OF_RANGE'],
      ['input.agreement', 'REQUIRED'],
    ]);
  });

  test('an additional unit beside the OPS only in a city', async () => {
    const res = await app.gql(ADMIN, CREATE, { input: validInput({ seatGmina: '1417082', creationMode: 'ADDITIONAL_LARGE_CITY' }) });
    expect(res.body.data.cusUnitCreate.userErrors).toEqual([expect.objectContaining({ field: ['input', 'creationMode'], code: 'NOT_ALLOWED' })]);
  });

  test('a gmina missing from the register is named', async () => {
    const res = await app.gql(ADMIN, CREATE, { input: validInput({ seatGmina: '1499992', servedGminy: ['1499992'] }) });
    expect(res.body.data.cusUnitCreate.userErrors).toEqual([expect.objectContaining({ field: ['input', 'servedGminy', '0'], code: 'NOT_FOUND' })]);
  });

  test('a malformed TERYT code or enum never reaches the service', async () => {
    const res = await app.gql(ADMIN, CREATE, { input: validInput({ seatGmina: '14650' }) });
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    const badEnum = await app.gql(ADMIN, CREATE, { input: validInput({ creationMode: 'FOUNDED_BY_MAGIC' }) });
    expect(codes(badEnum)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('updating a unit', () => {
  test('its director updates it; a stale version is refused and changes nothing', async () => {
    const { unit } = await createUnit(app, '2602012');
    const director = { role: Role.DIRECTOR, gminy: ['2602012'] };
    const first = await app.gql(director, UPDATE, {
      input: { id: unit.id, version: 1, name: 'CUS po zmianie', seatAddress: { street: 'ul. Nowa 2', postalCode: '26-600', city: 'Radom' } },
    });
    expect(first.body.data.cusUnitUpdate.userErrors).toEqual([]);
    expect(first.body.data.cusUnitUpdate.cusUnit).toMatchObject({ name: 'CUS po zmianie', version: 2, seatAddress: { city: 'Radom' } });

    const stale = await app.gql(director, UPDATE, { input: { id: unit.id, version: 1, name: 'Nadpisane' } });
    expect(stale.body.data.cusUnitUpdate.userErrors).toEqual([expect.objectContaining({ field: ['input', 'version'], code: 'CONFLICT' })]);
    const now = await app.gql(director, `query($id: ID!) { cusUnit(id: $id) { name version } }`, { id: unit.id });
    expect(now.body.data.cusUnit).toEqual({ name: 'CUS po zmianie', version: 2 });
  });

  test('a director may not change the gminy served; the administrator may', async () => {
    const { unit } = await createUnit(app, '2602012');
    const director = await app.gql({ role: Role.DIRECTOR, gminy: ['2602012'] }, UPDATE, {
      input: { id: unit.id, version: 1, servedGminy: ['2602012', '2602023'] },
    });
    expect(director.body.data.cusUnitUpdate.userErrors).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'NOT_ALLOWED' })]));
    const admin = await app.gql(ADMIN, UPDATE, { input: { id: unit.id, version: 1, startDate: '2024-02-01' } });
    expect(admin.body.data.cusUnitUpdate.cusUnit).toMatchObject({ startDate: '2024-02-01', version: 2 });
  });
});

describe('funding projects', () => {
  test('money stays exact and shares may not exceed the total', async () => {
    const { unit } = await createUnit(app, '2808062');
    const ok = await app.gql(ADMIN, ADD_PROJECT, {
      input: {
        cusUnitId: unit.id,
        programme: 'PO WER',
        action: '2.8',
        title: 'CUS w Gminie Srokowo',
        periodStart: '2021-01-01',
        periodEnd: '2023-05-31',
        totalValue: '2489370.50',
        euShare: '2098041.45',
        nationalShare: '391329.05',
      },
    });
    expect(ok.body.data.fundingProjectAdd.fundingProject).toMatchObject({ totalValue: '2489370.50', euShare: '2098041.45', nationalShare: '391329.05' });

    const tooMuch = await app.gql(ADMIN, ADD_PROJECT, {
      input: {
        cusUnitId: unit.id,
        programme: 'PO WER',
        title: 'Za dużo',
        periodStart: '2021-01-01',
        periodEnd: '2023-05-31',
        totalValue: '100.00',
        euShare: '80.00',
        nationalShare: '20.01',
        coFinancingPercent: 120,
      },
    });
    expect(tooMuch.body.data.fundingProjectAdd.userErrors.map((e: any) => e.field.join('.'))).toEqual(['input.totalValue', 'input.coFinancingPercent']);
    const projects = await app.gql(ADMIN, 'query($id: ID!) { cusUnit(id: $id) { fundingProjects { title } } }', { id: unit.id });
    expect(projects.body.data.cusUnit.fundingProjects.map((p: any) => p.title)).not.toContain('Za dużo');
  });

  test('a period ending before it starts is refused; a float amount is not Money', async () => {
    const { unit } = await createUnit(app, '2808062');
    const backwards = await app.gql(ADMIN, ADD_PROJECT, {
      input: { cusUnitId: unit.id, programme: 'P', title: 'T', periodStart: '2024-01-01', periodEnd: '2023-01-01', totalValue: '1.00' },
    });
    expect(backwards.body.data.fundingProjectAdd.userErrors).toEqual([expect.objectContaining({ field: ['input', 'periodEnd'], code: 'OUT_OF_RANGE' })]);
    const floaty = await app.gql(ADMIN, ADD_PROJECT, {
      input: { cusUnitId: unit.id, programme: 'P', title: 'T', periodStart: '2024-01-01', periodEnd: '2024-02-01', totalValue: '1.005' },
    });
    expect(codes(floaty)).toEqual(['BAD_USER_INPUT']);
  });

  test('the director updates and removes a project of their unit', async () => {
    const { unit, project } = await createUnit(app, '2808062');
    const director = { role: Role.DIRECTOR, gminy: ['2808062'] };
    const updated = await app.gql(
      director,
      'mutation($input: FundingProjectUpdateInput!) { fundingProjectUpdate(input: $input) { fundingProject { totalValue coFinancingPercent cusUnit { id } } userErrors { code } } }',
      { input: { id: project.id, totalValue: '1200000.00', coFinancingPercent: 85 } },
    );
    expect(updated.body.data.fundingProjectUpdate).toEqual({
      fundingProject: { totalValue: '1200000.00', coFinancingPercent: 85, cusUnit: { id: unit.id } },
      userErrors: [],
    });
    const removed = await app.gql(
      director,
      'mutation($input: FundingProjectRemoveInput!) { fundingProjectRemove(input: $input) { removedId userErrors { code } } }',
      { input: { id: project.id } },
    );
    expect(removed.body.data.fundingProjectRemove).toEqual({ removedId: project.id, userErrors: [] });
    const after = await app.gql(director, 'query($id: ID!) { node(id: $id) { id } }', { id: project.id });
    expect(after.body.data.node).toBeNull();
  });
});
