import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role, startTestApp, unique, type TestApp, type Who } from './support/app.js';
import { createUnit, addDays, mutate, staff, today, tryMutate } from './support/fixtures.js';
import { createService } from './support/programme-fixtures.js';

/**
 * Issue 18, readable output: CUS units filtered by statutory status, and the joint budget of an
 * inter-municipal unit counted in each of its gminy by the shares its agreement records (equal by
 * default). Gminy of powiat nidzicki.
 */
let app: TestApp;
const ADMIN: Who = { role: Role.PLATFORM_ADMIN };
const MINISTRY: Who = { role: Role.MINISTRY };
const SEAT = '2811012';
const SECOND = '2811022';
const THIRD = '2811032';
/** A statutory centre of its own gmina. */
const NIDZICA = '2811043';
const JOINT = [SEAT, SECOND, THIRD];
let unit: { id: string; version: number };

const refresh = async () => {
  const res = await app.gql(ADMIN, 'mutation { reportsRefresh { refreshedAt } }');
  expect(res.body.errors).toBeUndefined();
};
/** Exact budgets per gmina, as a director over the three gminy reads them. */
const budgets = async () => {
  const res = await app.gql(
    { role: Role.DIRECTOR, gminy: JOINT },
    '{ gminaReport(measure: COMMISSION_BUDGET, groupBy: [GMINA]) { cells { keys { code } value } total { value } } }',
  );
  expect(res.body.errors).toBeUndefined();
  return Object.fromEntries(res.body.data.gminaReport.cells.map((c: any) => [c.keys[0].code, c.value]));
};
const update = (who: Who, input: Record<string, unknown>) =>
  tryMutate(app, who, 'cusUnitUpdate', 'CusUnitUpdateInput', 'cusUnit { version gminaShares { gmina share } }', {
    id: unit.id,
    version: unit.version,
    ...input,
  });

beforeAll(async () => {
  app = await startTestApp();
  ({ unit } = await createUnit(app, SEAT, {
    servedGminy: JOINT,
    creationMode: 'INTERMUNICIPAL_AGREEMENT',
    agreement: { number: 'POR/7/2024', date: '2023-11-30' },
  }));
  // Read again: the fixture's funding project may have moved the version on.
  unit.version = (await app.gql(ADMIN, 'query($id: ID!) { cusUnit(id: $id) { version } }', { id: unit.id })).body.data.cusUnit.version;
  await createUnit(app, NIDZICA, { statutory: true });
  // A commission of the joint unit with a budget of 900 PLN.
  const director = staff(Role.DIRECTOR, SEAT);
  const organiser = staff(Role.SERVICES_ORGANISER, SEAT);
  const partner = await mutate(app, director, 'partnerCreate', 'PartnerCreateInput', 'partner { id }', {
    name: unique('Stowarzyszenie Nidzickie'),
    kind: 'NGO',
    gminy: [SEAT],
  });
  const service = await createService(app, organiser, unit.id);
  const commission = 'commission { id version }';
  const created = await mutate(app, organiser, 'commissionCreate', 'CommissionCreateInput', commission, {
    cusUnitId: unit.id,
    partnerId: partner.partner.id,
    title: unique('Usługi opiekuńcze'),
    procedure: 'OPEN_CALL',
    serviceIds: [service.id],
    agreementNumber: unique('CUS.526'),
    periodStart: addDays(today(), -30),
    periodEnd: addDays(today(), 330),
    budget: '900.00',
    unitPrice: '50.00',
    volume: 18,
    volumeUnit: 'HOURS',
    maxRecipients: 5,
    qualityIndicators: ['Zadowolenie odbiorców'],
  });
  await mutate(app, organiser, 'commissionActivate', 'CommissionStatusInput', commission, { id: created.commission.id, version: created.commission.version });
  await refresh();
}, 120_000);
afterAll(async () => {
  await app.close();
});

describe('CUS units by statutory status', () => {
  const units = async (statutory: string) => {
    const res = await app.gql(MINISTRY, `{ ministryReport(measure: CUS_UNITS, groupBy: [GMINA]${statutory}) { cells { keys { code } value } } }`);
    expect(res.body.errors).toBeUndefined();
    const cells = new Map(res.body.data.ministryReport.cells.map((c: any) => [c.keys[0].code, c.value]));
    return [cells.get(SEAT), cells.get(NIDZICA)];
  };

  it('counts the statutory units, the others, or all', async () => {
    expect(await units('')).toEqual([1, 1]);
    expect(await units(', statutory: true')).toEqual([0, 1]);
    expect(await units(', statutory: false')).toEqual([1, 0]);
  });

  it('is refused for another measure', async () => {
    const res = await app.gql(MINISTRY, '{ ministryReport(measure: PARTNERS, statutory: true) { total { value } } }');
    expect(res.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('joint budgets', () => {
  it('count in every gmina of the agreement, equally by default', async () => {
    const read = await app.gql(ADMIN, 'query($id: ID!) { cusUnit(id: $id) { gminaShares { gmina share } } }', { id: unit.id });
    expect(read.body.data.cusUnit.gminaShares).toEqual(JOINT.map((gmina) => ({ gmina, share: 100 / 3 })));
    expect(await budgets()).toEqual({ [SEAT]: 300, [SECOND]: 300, [THIRD]: 300 });
  });

  it('refuse shares from anyone but the platform administrator, shares that miss a gmina or do not make 100, and change nothing', async () => {
    const director = await update(staff(Role.DIRECTOR, SEAT), {
      gminaShares: [
        { gmina: SEAT, share: 50 },
        { gmina: SECOND, share: 30 },
        { gmina: THIRD, share: 20 },
      ],
    });
    expect(director.body.data.cusUnitUpdate.userErrors.map((e: any) => [e.field.join('.'), e.code])).toEqual([['input.gminaShares', 'NOT_ALLOWED']]);
    const missing = await update(ADMIN, {
      gminaShares: [
        { gmina: SEAT, share: 50 },
        { gmina: SECOND, share: 50 },
      ],
    });
    expect(missing.body.data.cusUnitUpdate.userErrors.map((e: any) => [e.field.join('.'), e.code])).toEqual([['input.gminaShares', 'REQUIRED']]);
    const wrong = await update(ADMIN, {
      gminaShares: [
        { gmina: SEAT, share: 50 },
        { gmina: SECOND, share: 30 },
        { gmina: THIRD, share: 10 },
        { gmina: NIDZICA, share: 10 },
      ],
    });
    expect(wrong.body.data.cusUnitUpdate.userErrors.map((e: any) => [e.field.join('.'), e.code])).toEqual([['input.gminaShares.3.gmina', 'INVALID']]);
    const short = await update(ADMIN, {
      gminaShares: [
        { gmina: SEAT, share: 50 },
        { gmina: SECOND, share: 30 },
        { gmina: THIRD, share: 10 },
      ],
    });
    expect(short.body.data.cusUnitUpdate.userErrors.map((e: any) => [e.field.join('.'), e.code])).toEqual([['input.gminaShares', 'INVALID']]);
    const read = await app.gql(ADMIN, 'query($id: ID!) { cusUnit(id: $id) { version } }', { id: unit.id });
    expect(read.body.data.cusUnit.version).toBe(unit.version);
  });

  it('count by the shares the agreement records, once the administrator sets them', async () => {
    const res = await update(ADMIN, {
      gminaShares: [
        { gmina: THIRD, share: 20 },
        { gmina: SEAT, share: 50 },
        { gmina: SECOND, share: 30 },
      ],
    });
    expect(res.body.data.cusUnitUpdate.userErrors).toEqual([]);
    expect(res.body.data.cusUnitUpdate.cusUnit.gminaShares).toEqual([
      { gmina: SEAT, share: 50 },
      { gmina: SECOND, share: 30 },
      { gmina: THIRD, share: 20 },
    ]);
    unit.version = res.body.data.cusUnitUpdate.cusUnit.version;
    await refresh();
    expect(await budgets()).toEqual({ [SEAT]: 450, [SECOND]: 270, [THIRD]: 180 });
    // [] goes back to equal shares.
    const equal = await update(ADMIN, { gminaShares: [] });
    expect(equal.body.data.cusUnitUpdate.userErrors).toEqual([]);
    unit.version = equal.body.data.cusUnitUpdate.cusUnit.version;
    await refresh();
    expect(await budgets()).toEqual({ [SEAT]: 300, [SECOND]: 300, [THIRD]: 300 });
  });
});
