import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { codes, rawAsApp, Role, startTestApp, type TestApp, type Who } from './support/app.js';
import { sessionVariables } from '../src/platform/auth/principal.js';
import { fromGlobalId } from '../src/platform/graphql/node.js';
import { planWorld, type PlanWorld } from './support/plan-world.js';
import { addDays, errorsOf, mutate, staff, today, tryMutate } from './support/fixtures.js';
import { addProgrammeService, adoptProgramme, createProgramme, createService } from './support/programme-fixtures.js';
import { seededDemoClock } from './support/demo-clock.js';
import { toGlobalId } from '../src/platform/graphql/node.js';
import { demoId } from '../seeds/demo/rows.js';

/**
 * Fees by income (issue 19, "Fees"): the fee table of a programme's service, residents' declarations of
 * income, and the fee per hour an item of a plan comes to. Dzierzkowice (0607032) and Szastarka (0607062),
 * used by no other suite. The criterion from 2025: 1010 zł living alone, 823 zł per person in a family;
 * from 2022: 776 and 600.
 */
const GMINA = '0607032';
const OTHER = '0607062';

const SCALE = 'feeScale { unitCost thresholds { upToPercentOfCriterion feePercent } }';
/** 37.55 zł an hour: 10% is 3.755, so rounding half up shows. */
const RULE = {
  unitCost: '37.55',
  thresholds: [
    { upToPercentOfCriterion: 100, feePercent: 0 },
    { upToPercentOfCriterion: 150, feePercent: 10 },
    { upToPercentOfCriterion: 200, feePercent: 20 },
    { upToPercentOfCriterion: 300, feePercent: 50 },
  ],
};
const INCOME_FEE = { kind: 'INCOME_DEPENDENT', unit: 'godzina', description: 'Według tabeli uchwały Rady Gminy' };
const FEE = 'fee { kind perUnit sharePercent unitCost criterion incomePercentOfCriterion declaredOn }';

let app: TestApp;
let world: PlanWorld;
let feeServiceId: string;
let draftProgrammeId: string;

async function setScale(who: Who, programmeId: string, fee: Record<string, unknown>, feeScale: unknown) {
  return tryMutate(app, who, 'programmeServiceSet', 'ProgrammeServiceSetInput', `programmeService { id fee { kind } ${SCALE} }`, {
    programmeId,
    serviceId: feeServiceId,
    fee,
    feeScale,
  });
}

async function scaleOf(programmeId: string) {
  const res = await app.gql(world.director, `query($id: ID!) { programme(id: $id) { services { service { id } ${SCALE} } } }`, { id: programmeId });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.programme.services.find((s: { service: { id: string } }) => s.service.id === feeServiceId)?.feeScale;
}

/** A resident with a draft plan whose one item is the income-dependent service, 4 hours a week. */
async function residentWithItem(): Promise<{ residentId: string; planId: string }> {
  const { applicationId, residentId } = await world.application();
  const input = world.draftInput(applicationId) as { items: Record<string, unknown>[] };
  input.items = input.items.map((item) => ({ ...item, serviceId: feeServiceId }));
  const created = await mutate(app, world.coordinator, 'ipusCreate', 'IpusCreateInput', 'ipus { id }', input);
  return { residentId, planId: created.ipus.id };
}

const declare = (who: Who, input: Record<string, unknown>) =>
  tryMutate(
    app,
    who,
    'residentIncomeDeclare',
    'ResidentIncomeDeclareInput',
    'resident { id incomeDeclaration { householdIncome householdSize declaredOn } }',
    input,
  );

async function itemFee(planId: string, who: Who = world.coordinator) {
  const res = await app.gql(who, `query($id: ID!) { ipus(id: $id) { items { ${FEE} } } }`, { id: planId });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.ipus.items[0].fee;
}

async function declarationsHeld(residentId: string): Promise<number> {
  const rows = await rawAsApp<{ n: string }>(
    'select count(*)::text as n from resident_income where resident_id = $1',
    [fromGlobalId(residentId).key],
    sessionVariables({ subject: 'fees-test', role: Role.DIRECTOR, gminy: [Number(GMINA)], partnerId: null }),
  );
  return Number(rows[0].n);
}

beforeAll(async () => {
  app = await startTestApp();
  world = await planWorld(app, GMINA, OTHER);
  const service = await createService(app, world.director, world.unitId, {
    name: 'Specjalistyczne usługi opiekuńcze',
    description: 'Usługi dostosowane do szczególnych potrzeb wynikających z rodzaju schorzenia',
  });
  await mutate(app, world.director, 'serviceActivate', 'ServiceStatusChangeInput', 'service { id }', { id: service.id, version: service.version });
  feeServiceId = service.id;
  // The adopted programme whose rule the plans' items fall under.
  const adopted = await createProgramme(app, world.director, world.unitId, GMINA);
  const set = await setScale(world.director, adopted.id, INCOME_FEE, RULE);
  expect(set.body.data.programmeServiceSet.userErrors).toEqual([]);
  const start = `${today().slice(0, 4)}-01-01`;
  await adoptProgramme(app, world.director, adopted.id, start, addDays(start, 3 * 365));
  // A draft the refusals below try to change.
  draftProgrammeId = (await createProgramme(app, world.director, world.unitId, GMINA)).id;
  await addProgrammeService(app, world.director, draftProgrammeId, feeServiceId, { fee: INCOME_FEE, feeScale: RULE });
});
afterAll(async () => {
  await app?.close();
});

describe('the fee table of a programme service', () => {
  test('is read back as set, ascending, with its unit cost', async () => {
    expect(await scaleOf(draftProgrammeId)).toEqual({ unitCost: '37.55', thresholds: RULE.thresholds });
  });

  test('each mistake is refused with its code, and the table stays as it was', async () => {
    const cases: [Record<string, unknown>, unknown, [string, string][]][] = [
      [{ kind: 'FIXED', amount: '10.00' }, RULE, [['input.feeScale', 'NOT_ALLOWED']]],
      [INCOME_FEE, { ...RULE, thresholds: [] }, [['input.feeScale.thresholds', 'REQUIRED']]],
      [
        INCOME_FEE,
        {
          thresholds: [
            { upToPercentOfCriterion: 150, feePercent: 10 },
            { upToPercentOfCriterion: 100, feePercent: 0 },
          ],
        },
        [['input.feeScale.thresholds.1.upToPercentOfCriterion', 'INVALID']],
      ],
      [
        INCOME_FEE,
        {
          thresholds: [
            { upToPercentOfCriterion: 100, feePercent: 0 },
            { upToPercentOfCriterion: 100, feePercent: 10 },
          ],
        },
        [['input.feeScale.thresholds.1.upToPercentOfCriterion', 'DUPLICATE']],
      ],
      [
        INCOME_FEE,
        {
          thresholds: [
            { upToPercentOfCriterion: 0, feePercent: 0 },
            { upToPercentOfCriterion: 120, feePercent: 100.01 },
          ],
        },
        [
          ['input.feeScale.thresholds.0.upToPercentOfCriterion', 'OUT_OF_RANGE'],
          ['input.feeScale.thresholds.1.feePercent', 'OUT_OF_RANGE'],
        ],
      ],
      [INCOME_FEE, { thresholds: [{ upToPercentOfCriterion: 100, feePercent: -5 }] }, [['input.feeScale.thresholds.0.feePercent', 'OUT_OF_RANGE']]],
      [INCOME_FEE, { unitCost: '0', thresholds: RULE.thresholds }, [['input.feeScale.unitCost', 'OUT_OF_RANGE']]],
    ];
    for (const [fee, scale, expected] of cases) {
      const res = await setScale(world.director, draftProgrammeId, fee, scale);
      expect(res.body.errors).toBeUndefined();
      expect(errorsOf(res, 'programmeServiceSet')).toEqual(expected);
      expect(res.body.data.programmeServiceSet.programmeService).toBeNull();
      expect(await scaleOf(draftProgrammeId)).toEqual({ unitCost: '37.55', thresholds: RULE.thresholds });
    }
  });

  test("only the programme's managers set it; a coordinator is FORBIDDEN and nothing changes", async () => {
    const res = await setScale(world.coordinator, draftProgrammeId, INCOME_FEE, { thresholds: [{ upToPercentOfCriterion: 500, feePercent: 1 }] });
    expect(codes(res)).toEqual(['FORBIDDEN']);
    expect(await scaleOf(draftProgrammeId)).toEqual({ unitCost: '37.55', thresholds: RULE.thresholds });
  });

  test('the table of an adopted programme cannot change', async () => {
    const programmes = await app.gql(
      world.director,
      `query { programmes(filter: { gmina: "${GMINA}", statuses: [ADOPTED] }) { nodes { id services { service { id } } } } }`,
    );
    const adopted = programmes.body.data.programmes.nodes.find((p: { services: { service: { id: string } }[] }) =>
      p.services.some((s) => s.service.id === feeServiceId),
    );
    const res = await setScale(world.director, adopted.id, INCOME_FEE, { thresholds: [{ upToPercentOfCriterion: 500, feePercent: 1 }] });
    expect(errorsOf(res, 'programmeServiceSet').map(([, code]: [string, string]) => code)).toContain('NOT_ALLOWED');
    expect(await scaleOf(adopted.id)).toEqual({ unitCost: '37.55', thresholds: RULE.thresholds });
  });
});

describe("the fee per hour of an item, by the household's declared income", () => {
  // [household income, size, declared on, share %, fee per hour, income % of criterion]
  const cases: [string, number, string | null, number, string, number][] = [
    ['1010.00', 1, null, 0, '0.00', 100], // exactly the criterion of a person living alone: free
    ['1010.01', 1, null, 10, '3.76', 100], // a grosz above: the next row (3.755 rounds up)
    ['3703.50', 3, null, 10, '3.76', 150], // a family of 3 at exactly 150% of 823 per person
    ['3703.51', 3, null, 20, '7.51', 150],
    ['4938.00', 2, null, 50, '18.78', 300], // the last row, inclusive
    ['4938.01', 2, null, 100, '37.55', 300], // above the last row: the whole cost
    ['776.00', 1, '2024-06-01', 0, '0.00', 100], // declared in 2024: that year's criterion, 776 zł
    ['1300.00', 1, '2024-06-01', 20, '7.51', 167.53],
  ];

  test.each(cases)(
    'income %s in a household of %i declared on %s: %i percent of the cost, %s zł an hour',
    async (income, size, declaredOn, share, perUnit, percent) => {
      const { residentId, planId } = await residentWithItem();
      const res = await declare(world.coordinator, { residentId, householdIncome: income, householdSize: size, ...(declaredOn ? { declaredOn } : {}) });
      expect(errorsOf(res, 'residentIncomeDeclare')).toEqual([]);
      const fee = await itemFee(planId);
      expect(fee).toMatchObject({ kind: 'INCOME_DEPENDENT', sharePercent: share, perUnit, unitCost: '37.55', declaredOn: declaredOn ?? today() });
      expect(fee.incomePercentOfCriterion).toBeCloseTo(percent, 2);
      expect(fee.criterion).toBe(declaredOn ? (size === 1 ? '776.00' : '600.00') : size === 1 ? '1010.00' : '823.00');
    },
  );

  test('with no income declared, the fee cannot be computed: perUnit is null, the unit cost is told', async () => {
    const { planId } = await residentWithItem();
    expect(await itemFee(planId)).toMatchObject({ kind: 'INCOME_DEPENDENT', perUnit: null, sharePercent: null, unitCost: '37.55', declaredOn: null });
  });

  test('the declaration latest by its date decides, whichever was recorded last; the director may record one too', async () => {
    const { residentId, planId } = await residentWithItem();
    await declare(world.coordinator, { residentId, householdIncome: '1000.00', householdSize: 1, declaredOn: addDays(today(), -10) });
    await declare(world.director, { residentId, householdIncome: '5000.00', householdSize: 1, declaredOn: addDays(today(), -30) });
    expect(await itemFee(planId)).toMatchObject({ sharePercent: 0, perUnit: '0.00', declaredOn: addDays(today(), -10) });
    await declare(world.director, { residentId, householdIncome: '1800.00', householdSize: 1, declaredOn: addDays(today(), -1) });
    expect(await itemFee(planId)).toMatchObject({ sharePercent: 20, perUnit: '7.51', declaredOn: addDays(today(), -1) });
  });

  test('an item of a free service has no fee', async () => {
    const { applicationId } = await world.application();
    const created = await mutate(app, world.coordinator, 'ipusCreate', 'IpusCreateInput', 'ipus { id }', world.draftInput(applicationId));
    expect(await itemFee(created.ipus.id)).toBeNull();
  });
});

describe("who records and reads a resident's income", () => {
  test('a declaration out of range is refused with its code, and nothing is written', async () => {
    const { residentId } = await residentWithItem();
    for (const [input, expected] of [
      [{ householdIncome: '1000.00', householdSize: 0 }, [['input.householdSize', 'OUT_OF_RANGE']]],
      [{ householdIncome: '1000.00', householdSize: 31 }, [['input.householdSize', 'OUT_OF_RANGE']]],
      [{ householdIncome: '1000.00', householdSize: 2, declaredOn: addDays(today(), 1) }, [['input.declaredOn', 'OUT_OF_RANGE']]],
    ] as const) {
      const res = await declare(world.coordinator, { residentId, ...input });
      expect(errorsOf(res, 'residentIncomeDeclare')).toEqual(expected);
      expect(res.body.data.residentIncomeDeclare.resident).toBeNull();
    }
    expect(await declarationsHeld(residentId)).toBe(0);
  });

  test("the services organiser and every other role are FORBIDDEN to record or read it; another gmina's coordinator finds no resident", async () => {
    const { residentId, planId } = await residentWithItem();
    await declare(world.coordinator, { residentId, householdIncome: '2000.00', householdSize: 2 });
    const others: Who[] = [world.organiser, ...world.outsiders];
    for (const who of others) {
      const res = await declare(who, { residentId, householdIncome: '1.00', householdSize: 1 });
      expect({ role: who.role, codes: codes(res) }).toEqual({ role: who.role, codes: ['FORBIDDEN'] });
    }
    const foreign = await declare(world.otherCoordinator, { residentId, householdIncome: '1.00', householdSize: 1 });
    expect(errorsOf(foreign, 'residentIncomeDeclare')).toEqual([['input.residentId', 'NOT_FOUND']]);
    expect(await declarationsHeld(residentId)).toBe(1);

    // The organiser reads the resident and the plan, but neither the income nor the fee that tells it.
    const income = await app.gql(world.organiser, 'query($id: ID!) { resident(id: $id) { id incomeDeclaration { householdIncome } } }', { id: residentId });
    expect(codes(income)).toEqual(['FORBIDDEN']);
    const fee = await app.gql(world.organiser, `query($id: ID!) { ipus(id: $id) { id items { ${FEE} } } }`, { id: planId });
    expect(codes(fee)).toEqual(['FORBIDDEN']);
    for (const who of [...world.outsiders, world.otherCoordinator]) {
      const res = await app.gql(who, 'query($id: ID!) { resident(id: $id) { incomeDeclaration { householdIncome } } }', { id: residentId });
      expect(res.body.data?.resident ?? null).toBeNull();
    }
    const held = await app.gql(world.coordinator, 'query($id: ID!) { resident(id: $id) { incomeDeclaration { householdIncome householdSize declaredOn } } }', {
      id: residentId,
    });
    expect(held.body.data.resident.incomeDeclaration).toEqual({ householdIncome: '2000.00', householdSize: 2, declaredOn: today() });
  });

  test('the database walls the declarations: under raw SQL only the coordinators and the director of the gmina read them, a PARTNER never', async () => {
    const { residentId } = await residentWithItem();
    await declare(world.coordinator, { residentId, householdIncome: '900.00', householdSize: 1 });
    const key = fromGlobalId(residentId).key;
    const read = async (role: Role, gminy: number[], partnerId: string | null = null) =>
      Number(
        (
          await rawAsApp<{ n: string }>(
            'select count(*)::text as n from resident_income where resident_id = $1',
            [key],
            sessionVariables({ subject: 'sweep', role, gminy, partnerId }),
          )
        )[0].n,
      );
    expect(await read(Role.COORDINATOR, [Number(GMINA)])).toBe(1);
    expect(await read(Role.DIRECTOR, [Number(GMINA)])).toBe(1);
    for (const role of [Role.SERVICES_ORGANISER, Role.COMMUNITY_ORGANISER, Role.GMINA_OFFICIAL])
      expect({ role, n: await read(role, [Number(GMINA)]) }).toEqual({ role, n: 0 });
    expect(await read(Role.COORDINATOR, [Number(OTHER)])).toBe(0);
    expect(await read(Role.PARTNER, [], '0193a000-0000-7000-8000-0000000000aa')).toBe(0);
    expect(await read(Role.MINISTRY, [])).toBe(0);
  });
});

describe('staff of the other gmina', () => {
  test("do not see the fee table of this gmina's programme", async () => {
    const res = await app.gql(staff(Role.DIRECTOR, OTHER), `query($id: ID!) { programme(id: $id) { id } }`, { id: draftProgrammeId });
    expect(res.body.data?.programme ?? null).toBeNull();
  });
});

describe('the demo (seeds/demo/fees.ts)', () => {
  test("Helena Testowa's usługi opiekuńcze in Wiązowna cost her 20% of 35.00 zł an hour, by the income she declared", async () => {
    const on = await seededDemoClock();
    const res = await app.gql(
      staff(Role.COORDINATOR, '1417082'),
      `query($id: ID!) { ipus(id: $id) {
      resident { lastName incomeDeclaration { householdIncome householdSize declaredOn } } items { position ${FEE} } } }`,
      { id: toGlobalId('Ipus', demoId(0x36, 1)) },
    );
    expect(res.body.errors).toBeUndefined();
    const plan = res.body.data.ipus;
    expect(plan.resident).toEqual({ lastName: 'Testowa', incomeDeclaration: { householdIncome: '2150.00', householdSize: 1, declaredOn: on('2026-09-08') } });
    const care = plan.items.find((i: { position: number }) => i.position === 1);
    expect(care.fee).toMatchObject({
      kind: 'INCOME_DEPENDENT',
      sharePercent: 20,
      perUnit: '7.00',
      unitCost: '35.00',
      criterion: '1010.00',
      declaredOn: on('2026-09-08'),
    });
    expect(care.fee.incomePercentOfCriterion).toBeCloseTo(212.87, 2);
  });
});
