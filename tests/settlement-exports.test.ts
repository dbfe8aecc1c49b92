import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { codes, rawAsOwner, Role, startTestApp, unique, type TestApp, type Who } from './support/app.js';
import { addDays, mutate, today } from './support/fixtures.js';
import { planWorld, type PlanWorld } from './support/plan-world.js';
import { activatePlan, validNip } from './support/commissioned-world.js';
import { adoptProgramme, createProgramme, createService } from './support/programme-fixtures.js';
import { pdfText } from './support/pdf-text.js';
import { fromGlobalId, toGlobalId } from '../src/platform/graphql/node.js';
import { addMonths } from '../src/modules/common/dates.js';
import { SETTLEMENT_PDF_SELECTION } from '../src/modules/settlement/settlement-pdf.js';
import { SETTLEMENT_CSV_SELECTION } from '../src/modules/settlement/settlement-csv.js';

/**
 * A settlement's PDF statement served from /graphql (`Accept: application/pdf`), and what residents pay
 * and what the centre pays of it (issue 19, "Fees" and "Exports"), through the API as each role.
 * Łagiewniki (0202062) and Żukowice (0203062), used by no other suite. As in tests/settlement.test.ts,
 * the plans are moved back to the month settled and the deliveries written as the owner, through the
 * guard trigger every delivery passes.
 *
 * The fee: an income-dependent table at 40.00 zł an hour (up to 100% of the criterion free, up to 200%
 * 10%, up to 300% 50%); the criterion from 2025 is 1010 zł living alone, 823 zł per person in a family.
 * Resident A lives alone on 1500 zł (149%: 4.00 zł an hour), resident B in a household of two on
 * 4000 zł (243%: 20.00 zł an hour). The commission pays 60.00 zł an hour.
 */
let app: TestApp;
let world: PlanWorld;
const GMINA = '0202062';
const OTHER = '0203062';
const firstOfThisMonth = `${today().slice(0, 7)}-01`;
const M1 = addMonths(firstOfThisMonth, -1);
const MONTH = M1.slice(0, 7);

let partner: { id: string; key: string; who: Who; name: string };
let feeServiceId: string;
let commission: { id: string; key: string };
let settlementId: string;
const items: { key: string; residentId: string }[] = [];
const FEES = 'residentsFees centreShare lines { residentsFees centreShare }';

/** An active plan of a new resident with one item of the fee service under the commission, moved back to M1; the resident's income declared. */
async function itemOfResident(income: string, householdSize: number): Promise<{ key: string; residentId: string }> {
  const { applicationId, residentId } = await world.application();
  const input = world.draftInput(applicationId) as { items: Record<string, unknown>[] };
  input.items = [
    {
      goal: 1,
      serviceId: feeServiceId,
      provider: 'PARTNER',
      partnerId: partner.id,
      commissionId: commission.id,
      place: 'RESIDENT_HOME',
      weekly: { weekdays: ['MO', 'TU', 'WE', 'TH', 'FR'], startsAt: '09:00', endsAt: '10:00' },
      startOn: today(),
      endOn: addDays(today(), 60),
      quantity: 10,
      quantityUnit: 'HOURS',
    },
  ];
  const PLAN = 'ipus { id revision items { id } }';
  const plan = (await mutate(app, world.coordinator, 'ipusCreate', 'IpusCreateInput', PLAN, input)).ipus;
  await activatePlan(app, world, plan, PLAN);
  const key = fromGlobalId(plan.items[0].id).key;
  await rawAsOwner(`update ipus set period_start = '${M1}', activated_on = '${M1}' where id = '${fromGlobalId(plan.id).key}';
    update ipus_item set start_on = '${M1}' where id = '${key}'`);
  const declared = await mutate(app, world.coordinator, 'residentIncomeDeclare', 'ResidentIncomeDeclareInput', 'resident { id }', {
    residentId,
    householdIncome: income,
    householdSize,
  });
  expect(declared.resident.id).toBe(residentId);
  return { key, residentId };
}

async function deliver(itemKey: string, day: string, minutes: number, startsAt = '09:00'): Promise<void> {
  await rawAsOwner(
    `insert into delivery (gmina_id, ipus_item_id, partner_id, delivered_on, starts_at, duration_minutes, outcome, recorded_by)
    values ($1, $2, $3, $4, $5, $6, 'DELIVERED', 'dev-partner')`,
    [Number(GMINA), itemKey, partner.key, day, startsAt, minutes],
  );
}

const query = (selection: string) => `query($id: ID!) { settlementStatement(settlementId: $id) { ${selection} } }`;

/** The statement asked for as `accept` over HTTP, as `who`. */
async function exported(who: Who, selection: string, accept = 'application/pdf') {
  return fetch(app.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept, authorization: `Bearer ${await app.token(who)}` },
    body: JSON.stringify({ query: query(selection), variables: { id: settlementId } }),
  });
}

const words = async (response: Response) => (await pdfText(new Uint8Array(await response.arrayBuffer()))).replace(/\s+/g, ' ');

beforeAll(async () => {
  app = await startTestApp();
  world = await planWorld(app, GMINA, OTHER);
  const name = unique('Fundacja „Złota Jesień” w Łagiewnikach');
  const created = await mutate(app, world.director, 'partnerCreate', 'PartnerCreateInput', 'partner { id }', {
    name,
    kind: 'NGO',
    gminy: [GMINA],
    nip: validNip(),
  });
  const key = fromGlobalId(created.partner.id).key;
  partner = { id: created.partner.id, key, who: { role: Role.PARTNER, partner: key }, name };

  // The service with fees by income, in a programme adopted before the month settled.
  const service = await createService(app, world.director, world.unitId, {
    name: 'Specjalistyczne usługi opiekuńcze',
    description: 'Usługi dostosowane do szczególnych potrzeb wynikających z rodzaju schorzenia',
  });
  await mutate(app, world.director, 'serviceActivate', 'ServiceStatusChangeInput', 'service { id }', { id: service.id, version: service.version });
  feeServiceId = service.id;
  const programme = await createProgramme(app, world.director, world.unitId, GMINA);
  await mutate(app, world.director, 'programmeServiceSet', 'ProgrammeServiceSetInput', 'programmeService { id }', {
    programmeId: programme.id,
    serviceId: feeServiceId,
    fee: { kind: 'INCOME_DEPENDENT', unit: 'godzina', description: 'Według tabeli uchwały Rady Gminy' },
    feeScale: {
      unitCost: '40.00',
      thresholds: [
        { upToPercentOfCriterion: 100, feePercent: 0 },
        { upToPercentOfCriterion: 200, feePercent: 10 },
        { upToPercentOfCriterion: 300, feePercent: 50 },
      ],
    },
  });
  const start = addMonths(firstOfThisMonth, -3);
  await adoptProgramme(app, world.director, programme.id, start, addDays(start, 3 * 365));

  const made = await mutate(app, world.organiser, 'commissionCreate', 'CommissionCreateInput', 'commission { id version }', {
    cusUnitId: world.unitId,
    partnerId: partner.id,
    title: unique('Usługi opiekuńcze – Łagiewniki, Żółta 5'),
    procedure: 'OPEN_CALL',
    serviceIds: [feeServiceId],
    agreementNumber: unique('CUS.ŚĆ.526'),
    periodStart: M1,
    periodEnd: addDays(today(), 300),
    budget: '10000.00',
    unitPrice: '60.00',
    volume: 100,
    volumeUnit: 'HOURS',
  });
  await mutate(app, world.organiser, 'commissionActivate', 'CommissionStatusInput', 'commission { id }', {
    id: made.commission.id,
    version: made.commission.version,
  });
  commission = { id: made.commission.id, key: fromGlobalId(made.commission.id).key };
  await rawAsOwner(`do $$ begin
      if to_regclass('commission_status_history') is not null then
        execute 'update commission_status_history set since = ''${M1}'' where commission_id = ''${commission.key}''';
      end if;
    end $$;`);

  items.push(await itemOfResident('1500.00', 1), await itemOfResident('4000.00', 2));
  // A: 2 h and 0.5 h; B: 1.5 h.
  await deliver(items[0].key, addDays(M1, 1), 120);
  await deliver(items[0].key, addDays(M1, 2), 30);
  await deliver(items[1].key, addDays(M1, 1), 90);

  // The partner reports the month; the director accepts it.
  const SETTLEMENT = 'settlement { id version }';
  const opened = await mutate(app, partner.who, 'settlementOpen', 'SettlementOpenInput', SETTLEMENT, { commissionId: commission.id, month: MONTH });
  settlementId = opened.settlement.id;
  const submitted = await mutate(app, partner.who, 'settlementSubmit', 'SettlementSubmitInput', SETTLEMENT, {
    id: settlementId,
    version: opened.settlement.version,
    indicatorValues: [],
  });
  await mutate(app, world.director, 'settlementAccept', 'SettlementDecisionInput', SETTLEMENT, { id: settlementId, version: submitted.settlement.version });
}, 180_000);
afterAll(async () => {
  await app?.close();
});

describe('what residents pay and what the centre pays', () => {
  test("the director reads each line's residents' fees at the item's fee by income, and the centre's share, in exact grosze", async () => {
    const res = await app.gql(world.director, query(`amountDue ${FEES} lines { assignmentId quantity amount }`), { id: settlementId });
    expect(res.body.errors).toBeUndefined();
    const s = res.body.data.settlementStatement;
    const byItem = new Map(s.lines.map((line: { assignmentId: string }) => [fromGlobalId(line.assignmentId).key, line]));
    // A: 2.5 h at 4.00 of 60.00; B: 1.5 h at 20.00 of 60.00.
    expect(byItem.get(items[0].key)).toEqual({
      assignmentId: expect.any(String),
      quantity: 2.5,
      amount: '150.00',
      residentsFees: '10.00',
      centreShare: '140.00',
    });
    expect(byItem.get(items[1].key)).toEqual({
      assignmentId: expect.any(String),
      quantity: 1.5,
      amount: '90.00',
      residentsFees: '30.00',
      centreShare: '60.00',
    });
    expect(s).toMatchObject({ amountDue: '240.00', residentsFees: '40.00', centreShare: '200.00' });
  });

  test('the partner and the services organiser are refused the fields (FORBIDDEN) and are shown the rest; nobody is shown a fee', async () => {
    for (const who of [partner.who, world.organiser]) {
      for (const selection of ['residentsFees', 'centreShare', 'lines { residentsFees }', 'lines { centreShare }']) {
        const res = await app.gql(who, query(`amountDue ${selection}`), { id: settlementId });
        // One FORBIDDEN for each field refused (a line's: one for each line).
        expect(codes(res).length, `${who.role} ${selection}`).toBeGreaterThan(0);
        expect(new Set(codes(res)), `${who.role} ${selection}`).toEqual(new Set(['FORBIDDEN']));
        const data = res.body.data?.settlementStatement;
        expect(JSON.stringify(data ?? null)).not.toMatch(/"(10|30|40|140|60|200)\.00"/);
      }
      const plain = await app.gql(who, query('amountDue'), { id: settlementId });
      expect(plain.body.data.settlementStatement).toEqual({ amountDue: '240.00' });
    }
  });
});

describe('the PDF statement over HTTP', () => {
  test('the director gets the statement with Polish names, the figures, who accepted it, and what residents and the centre pay', async () => {
    const response = await exported(world.director, `${SETTLEMENT_PDF_SELECTION} residentsFees centreShare`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="rozliczenie-${MONTH}.pdf"`);
    const text = await words(response);
    const accepted = (await app.gql(world.director, `query($id: ID!) { settlement(id: $id) { decidedBy } }`, { id: settlementId })).body.data.settlement
      .decidedBy;
    for (const phrase of [
      partner.name,
      'Usługi opiekuńcze – Łagiewniki, Żółta 5',
      'Centrum usług społecznych – gmina Łagiewniki',
      'przyjęte',
      `Przyjęte przez ${accepted}`,
      `Specjalistyczne usługi opiekuńcze ${MONTH} 2 2,5 0 0 2,5 150,00 zł`,
      `Specjalistyczne usługi opiekuńcze ${MONTH} 1 1,5 0 0 1,5 90,00 zł`,
      `Razem za miesiąc ${MONTH} 3 4 0 0 4 240,00 zł`,
      'Osoby objęte usługą w miesiącu 2',
      'Kwota należna 240,00 zł',
      'Odpłatność mieszkańców 40,00 zł',
      'Udział centrum 200,00 zł',
    ]) {
      expect(text).toContain(phrase);
    }
  });

  test("the partner gets the same statement without the residents' and the centre's shares", async () => {
    const response = await exported(partner.who, SETTLEMENT_PDF_SELECTION);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    const text = await words(response);
    for (const phrase of [
      partner.name,
      'Centrum usług społecznych – gmina Łagiewniki',
      `Razem za miesiąc ${MONTH} 3 4 0 0 4 240,00 zł`,
      'Kwota należna 240,00 zł',
    ]) {
      expect(text).toContain(phrase);
    }
    expect(text).not.toContain('Odpłatność mieszkańców');
    expect(text).not.toContain('Udział centrum');
    // Asking for the shares is refused, as JSON, and no PDF is made.
    const refused = await exported(partner.who, `${SETTLEMENT_PDF_SELECTION} residentsFees`);
    expect(refused.headers.get('content-type')).toMatch(/json/);
    expect(((await refused.json()) as { errors: { extensions: { code: string } }[] }).errors.map((e) => e.extensions.code)).toEqual(['FORBIDDEN']);
  });

  test('the CSV holds the shares for the director only', async () => {
    const director = await (await exported(world.director, `${SETTLEMENT_CSV_SELECTION} residentsFees centreShare`, 'text/csv')).text();
    expect(director.split('\r\n')).toEqual(expect.arrayContaining(['Odpłatność mieszkańców (zł),40.00', 'Udział centrum (zł),200.00']));
    const partnerCsv = await exported(partner.who, SETTLEMENT_CSV_SELECTION, 'text/csv');
    expect(partnerCsv.status).toBe(200);
    expect(await partnerCsv.text()).not.toContain('Odpłatność');
  });

  test("another gmina's director, a coordinator and another partner get an error as JSON and no PDF; a short selection and a mutation are refused", async () => {
    for (const who of [world.otherDirector, world.coordinator, { role: Role.PARTNER, partner: '0193a000-0000-7000-8010-000000000007' }]) {
      // Another gmina's director and another partner find no such settlement (406); a coordinator may not read settlements (FORBIDDEN).
      const response = await exported(who, SETTLEMENT_PDF_SELECTION);
      expect(response.headers.get('content-type'), who.role).toMatch(/json/);
      const body = (await response.json()) as { errors?: { message: string; extensions: { code: string } }[] };
      expect(body.errors?.length, who.role).toBeGreaterThan(0);
      expect(JSON.stringify(body)).not.toContain('%PDF-');
    }
    const short = await exported(world.director, 'month amountDue');
    expect(short.status).toBe(406);
    expect(((await short.json()) as { errors: { message: string }[] }).errors[0].message).toContain('gminaName acceptedBy acceptedAt');
    const mutation = await fetch(app.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/pdf', authorization: `Bearer ${await app.token(world.director)}` },
      body: JSON.stringify({
        query: 'mutation($id: ID!) { settlementAccept(input: { id: $id, version: 1 }) { userErrors { code } } }',
        variables: { id: settlementId },
      }),
    });
    expect(mutation.status).toBe(406);
  });
});

describe("the declaration in force in the month settled (last, as it changes A's income)", () => {
  test("a declaration dated in the month settled prices that month's fees; the one made later prices the item's fee today", async () => {
    // A declares 900.00 zł (89% of the criterion: free) as of the month settled; the 1500.00 zł declared today
    // (149%: 4.00 zł an hour) came after that month, so it prices today's fee but not the month's.
    await mutate(app, world.coordinator, 'residentIncomeDeclare', 'ResidentIncomeDeclareInput', 'resident { id }', {
      residentId: items[0].residentId,
      householdIncome: '900.00',
      householdSize: 1,
      declaredOn: M1,
    });
    const res = await app.gql(world.director, query(`${FEES} lines { assignmentId }`), { id: settlementId });
    expect(res.body.errors).toBeUndefined();
    const s = res.body.data.settlementStatement;
    const lineOfA = s.lines.find((line: { assignmentId: string }) => fromGlobalId(line.assignmentId).key === items[0].key);
    expect(lineOfA).toMatchObject({ residentsFees: '0.00', centreShare: '150.00' });
    expect(s).toMatchObject({ residentsFees: '30.00', centreShare: '210.00' });
    const fee = await app.gql(world.director, `query($id: ID!) { node(id: $id) { ... on IpusItem { fee { perUnit declaredOn } } } }`, {
      id: toGlobalId('IpusItem', items[0].key),
    });
    expect(fee.body.errors).toBeUndefined();
    expect(fee.body.data.node.fee).toEqual({ perUnit: '4.00', declaredOn: today() });
  });
});
