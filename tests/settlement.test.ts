import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rawAsApp, rawAsOwner, Role, startTestApp, type TestApp, type Who } from './support/app.js';
import { sessionVariables } from '../src/platform/auth/principal.js';
import { addDays, errorsOf, mutate, today, tryMutate } from './support/fixtures.js';
import { planWorld, type PlanWorld } from './support/plan-world.js';
import { activatePlan, activeCommission, registerPartner, type PartnerRef } from './support/commissioned-world.js';
import { settle, stopAndWait, subscribeAndWait } from './support/subscriptions.js';
import { fromGlobalId } from '../src/platform/graphql/node.js';
import { addMonths } from '../src/modules/common/dates.js';
import { amountDue, lineAmount, monthlyInstalment, type AmountTerms } from '../src/modules/settlement/settlement-amount.js';
import { SettlementAmountRule } from '../src/modules/settlement/settlement.enums.js';
import { VolumeUnit } from '../src/modules/commission/commission.enums.js';
import { SETTLEMENT_CSV_SELECTION } from '../src/modules/settlement/settlement-csv.js';

/**
 * The monthly settlement of a commission with its partner (issue 19), through GraphQL as the partner
 * and the centre's managers: a month's deliveries reported, returned, resubmitted and accepted; frozen
 * figures and the adjustments later changes make; the amount due, cumulative use and the budget
 * warning; refused moves changing nothing; live events for both sides; the CSV.
 *
 * Deliveries of past months cannot be recorded through the API today (a plan's period starts when it
 * is made), so the plan, its item and the commission are moved back to the months settled, and the
 * deliveries written as the owner: through the same guard trigger every delivery passes.
 */
let app: TestApp;
let world: PlanWorld;
const GMINA = '2609043';
const OTHER = '2609052';

const firstOfThisMonth = `${today().slice(0, 7)}-01`;
/** Two months ago and last month: both ended, so their reports can be submitted. */
const M1 = addMonths(firstOfThisMonth, -2);
const M2 = addMonths(firstOfThisMonth, -1);
const month = (first: string) => first.slice(0, 7);
const INDICATORS = ['Zadowolenie odbiorców', 'Liczba skarg'];

const SETTLEMENT = 'settlement { id version status month returnReason submittedBy decidedBy indicatorValues { indicator value } }';
const STATEMENT = `month status frozen amountRule amountDue acceptedBefore cumulativeUse budgetShareUsed budgetWarning
  lines { serviceName concernsMonth adjustment deliveredSessions hours residentAbsent cancelled quantity amount }
  monthTotals { persons deliveredSessions hours residentAbsent cancelled quantity amount }
  adjustmentTotals { deliveredSessions hours quantity amount } indicatorValues { indicator value }`;

let partner: PartnerRef;
let otherPartner: PartnerRef;

/** An active commission from M1, 60 zł an hour, with a plan item of a new resident under it (`plannedHours` within the budget), all moved back to M1. */
async function commissionWithItem(budget: string, plannedHours: number) {
  const commission = await activeCommission(app, world, partner.id, {
    periodStart: M1,
    periodEnd: addDays(today(), 300),
    budget,
    unitPrice: '60.00',
    volume: 100,
    qualityIndicators: INDICATORS,
  });
  const { applicationId } = await world.application();
  const input = world.draftInput(applicationId) as { items: Record<string, unknown>[] };
  input.items = [
    {
      goal: 1,
      serviceId: world.serviceId,
      provider: 'PARTNER',
      partnerId: partner.id,
      commissionId: commission.id,
      place: 'RESIDENT_HOME',
      weekly: { weekdays: ['MO', 'TU', 'WE', 'TH', 'FR'], startsAt: '09:00', endsAt: '10:00' },
      startOn: today(),
      endOn: addDays(today(), 60),
      quantity: plannedHours,
      quantityUnit: 'HOURS',
    },
  ];
  const PLAN = 'ipus { id revision items { id } }';
  const plan = (await mutate(app, world.coordinator, 'ipusCreate', 'IpusCreateInput', PLAN, input)).ipus;
  await activatePlan(app, world, plan, PLAN);
  const commissionKey = commission.key;
  const itemKey = fromGlobalId(plan.items[0].id).key;
  const planKey = fromGlobalId(plan.id).key;
  // Back to M1: the plan's period and activation, the item's dates, and (where the database keeps it) the commission's status history.
  await rawAsOwner(`update ipus set period_start = '${M1}', activated_on = '${M1}' where id = '${planKey}';
    update ipus_item set start_on = '${M1}' where id = '${itemKey}';
    do $$ begin
      if to_regclass('commission_status_history') is not null then
        execute 'update commission_status_history set since = ''${M1}'' where commission_id = ''${commissionKey}''';
      end if;
    end $$;`);
  return { id: commission.id, key: commissionKey, itemKey };
}

/** Writes a delivery of the partner's item as the owner (see the suite's comment); returns its id. */
async function deliver(itemKey: string, day: string, minutes: number, outcome = 'DELIVERED', startsAt = '09:00'): Promise<string> {
  const [row] = await rawAsOwner<{ id: string }>(
    `insert into delivery (gmina_id, ipus_item_id, partner_id, delivered_on, starts_at, duration_minutes, outcome, recorded_by)
    values ($1, $2, $3, $4, $5, $6, $7, 'dev-partner') returning id`,
    [Number(GMINA), itemKey, partner.key, day, startsAt, minutes, outcome],
  );
  return row.id;
}

const statementOf = async (who: Who, id: string) => {
  const res = await app.gql(who, `query($id: ID!) { settlementStatement(settlementId: $id) { ${STATEMENT} } }`, { id });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.settlementStatement;
};
const readSettlement = async (who: Who, id: string) =>
  (await app.gql(who, `query($id: ID!) { settlement(id: $id) { ${SETTLEMENT.slice('settlement { '.length, -2)} } }`, { id })).body.data?.settlement;

const open = (who: Who, commissionId: string, m: string) =>
  tryMutate(app, who, 'settlementOpen', 'SettlementOpenInput', SETTLEMENT, { commissionId, month: m });
const submit = (who: Who, id: string, version: number, indicatorValues = INDICATORS.map((indicator, i) => ({ indicator, value: i === 0 ? '92%' : '0' }))) =>
  tryMutate(app, who, 'settlementSubmit', 'SettlementSubmitInput', SETTLEMENT, { id, version, indicatorValues });
const decide = (who: Who, field: 'settlementAccept' | 'settlementReturn', id: string, version: number, reason?: string) =>
  tryMutate(app, who, field, 'SettlementDecisionInput', SETTLEMENT, { id, version, ...(reason === undefined ? {} : { reason }) });
const codesOf = (res: Awaited<ReturnType<typeof tryMutate>>) => (res.body.errors ?? []).map((e) => e.extensions?.code);

const EVENTS = 'subscription($after: String) { settlementUpdated(after: $after) { eventId settlementId status version settlement { month } } }';

let commission: { id: string; key: string; itemKey: string };
let firstDelivery: string;
let m1: { id: string; version: number };

beforeAll(async () => {
  app = await startTestApp();
  world = await planWorld(app, GMINA, OTHER);
  partner = await registerPartner(app, GMINA, 'Fundacja Rozliczeń');
  otherPartner = await registerPartner(app, GMINA, 'Fundacja Rozliczeń');
  commission = await commissionWithItem('1000.00', 10);
  firstDelivery = await deliver(commission.itemKey, addDays(M1, 1), 60);
  await deliver(commission.itemKey, addDays(M1, 2), 90);
  await deliver(commission.itemKey, addDays(M1, 3), 60, 'RESIDENT_ABSENT');
  await deliver(commission.itemKey, addDays(M1, 4), 60, 'CANCELLED_BY_RESIDENT');
  await deliver(commission.itemKey, addDays(M2, 1), 120);
}, 120_000);
afterAll(async () => {
  await app.close();
});

describe('a month settled', () => {
  it("goes from the partner's report to a return, a resubmission and acceptance, seen live by both sides; refused moves change nothing", async () => {
    const partnerWs = app.ws(partner.who);
    const directorWs = app.ws(world.director);
    const strangerWs = app.ws(otherPartner.who);
    const partnerEvents = await subscribeAndWait(app, partnerWs, EVENTS);
    const centreEvents = await subscribeAndWait(app, directorWs, EVENTS);
    const strangerEvents = await subscribeAndWait(app, strangerWs, EVENTS);

    // Opening: only the commission's partner or the centre's managers, only a month that has begun, within the period, once.
    expect(errorsOf(await open(partner.who, commission.id, month(addMonths(firstOfThisMonth, 1))), 'settlementOpen')).toEqual([
      ['input.month', 'OUT_OF_RANGE'],
    ]);
    expect(errorsOf(await open(partner.who, commission.id, month(addMonths(M1, -1))), 'settlementOpen')).toEqual([['input.month', 'OUT_OF_RANGE']]);
    expect(errorsOf(await open(partner.who, commission.id, '2026-13'), 'settlementOpen')).toEqual([['input.month', 'INVALID']]);
    expect(errorsOf(await open(otherPartner.who, commission.id, month(M1)), 'settlementOpen')).toEqual([['input.commissionId', 'NOT_FOUND']]);
    expect(errorsOf(await open(world.otherDirector, commission.id, month(M1)), 'settlementOpen')).toEqual([['input.commissionId', 'NOT_FOUND']]);
    expect(codesOf(await open(world.coordinator, commission.id, month(M1)))).toEqual(['FORBIDDEN']);
    const opened = await open(partner.who, commission.id, month(M1));
    expect(errorsOf(opened, 'settlementOpen')).toEqual([]);
    const settlement = opened.body.data.settlementOpen.settlement;
    expect(settlement).toMatchObject({ status: 'OPEN', version: 1, month: month(M1), indicatorValues: [] });
    expect(errorsOf(await open(world.director, commission.id, month(M1)), 'settlementOpen')).toEqual([['input.month', 'DUPLICATE']]);

    // The figures come from the recorded deliveries of the month.
    expect(await statementOf(partner.who, settlement.id)).toMatchObject({
      month: month(M1),
      status: 'OPEN',
      frozen: false,
      amountRule: 'UNIT_PRICE',
      amountDue: '150.00',
      acceptedBefore: '0.00',
      cumulativeUse: '150.00',
      budgetShareUsed: 0.15,
      budgetWarning: false,
      lines: [
        {
          serviceName: 'Usługi opiekuńcze w domu',
          concernsMonth: month(M1),
          adjustment: false,
          deliveredSessions: 2,
          hours: 2.5,
          residentAbsent: 1,
          cancelled: 1,
          quantity: 2.5,
          amount: '150.00',
        },
      ],
      monthTotals: { persons: 1, deliveredSessions: 2, hours: 2.5, residentAbsent: 1, cancelled: 1, quantity: 2.5, amount: '150.00' },
      adjustmentTotals: { deliveredSessions: 0, hours: 0, quantity: 0, amount: '0.00' },
    });

    // Refused: the centre cannot accept what was not submitted; the partner must give every indicator and only those; wrong roles; nothing changes.
    expect(errorsOf(await decide(world.director, 'settlementAccept', settlement.id, 1), 'settlementAccept')).toEqual([['input.id', 'NOT_ALLOWED']]);
    expect(errorsOf(await submit(partner.who, settlement.id, 1, [{ indicator: INDICATORS[0], value: '90%' }]), 'settlementSubmit')).toEqual([
      ['input.indicatorValues', 'REQUIRED'],
    ]);
    expect(
      errorsOf(
        await submit(partner.who, settlement.id, 1, [...INDICATORS.map((indicator) => ({ indicator, value: '1' })), { indicator: 'Inny', value: '1' }]),
        'settlementSubmit',
      ),
    ).toEqual([['input.indicatorValues.2.indicator', 'NOT_FOUND']]);
    expect(
      errorsOf(
        await submit(
          partner.who,
          settlement.id,
          1,
          INDICATORS.map((indicator) => ({ indicator, value: ' ' })),
        ),
        'settlementSubmit',
      ),
    ).toEqual([
      ['input.indicatorValues.0.value', 'REQUIRED'],
      ['input.indicatorValues.1.value', 'REQUIRED'],
    ]);
    expect(errorsOf(await submit(otherPartner.who, settlement.id, 1), 'settlementSubmit')).toEqual([['input.id', 'NOT_FOUND']]);
    expect(codesOf(await submit(world.director, settlement.id, 1))).toEqual(['FORBIDDEN']);
    expect(await readSettlement(partner.who, settlement.id)).toMatchObject({ status: 'OPEN', version: 1, indicatorValues: [] });

    const submitted = await submit(partner.who, settlement.id, 1);
    expect(errorsOf(submitted, 'settlementSubmit')).toEqual([]);
    expect(submitted.body.data.settlementSubmit.settlement).toMatchObject({
      status: 'SUBMITTED',
      version: 2,
      submittedBy: 'dev-partner',
      indicatorValues: [
        { indicator: INDICATORS[0], value: '92%' },
        { indicator: INDICATORS[1], value: '0' },
      ],
    });

    // Returning needs a reason, the current version, and the commission's own centre.
    expect(errorsOf(await decide(world.director, 'settlementReturn', settlement.id, 2), 'settlementReturn')).toEqual([['input.reason', 'REQUIRED']]);
    expect(errorsOf(await decide(world.director, 'settlementReturn', settlement.id, 1, 'Brak listy obecności'), 'settlementReturn')).toEqual([
      ['input.version', 'CONFLICT'],
    ]);
    expect(errorsOf(await decide(world.otherDirector, 'settlementReturn', settlement.id, 2, 'Obcy'), 'settlementReturn')).toEqual([['input.id', 'NOT_FOUND']]);
    expect(codesOf(await decide(partner.who, 'settlementAccept', settlement.id, 2))).toEqual(['FORBIDDEN']);
    expect(codesOf(await decide(world.coordinator, 'settlementAccept', settlement.id, 2))).toEqual(['FORBIDDEN']);
    expect(await readSettlement(world.director, settlement.id)).toMatchObject({ status: 'SUBMITTED', version: 2, returnReason: null });
    expect(await readSettlement(world.otherDirector, settlement.id)).toBeNull();
    expect(await readSettlement(otherPartner.who, settlement.id)).toBeNull();

    const returned = await decide(world.organiser, 'settlementReturn', settlement.id, 2, 'Brak listy obecności za drugi tydzień');
    expect(returned.body.data.settlementReturn.settlement).toMatchObject({
      status: 'RETURNED',
      version: 3,
      returnReason: 'Brak listy obecności za drugi tydzień',
    });
    expect(errorsOf(await decide(world.director, 'settlementAccept', settlement.id, 3), 'settlementAccept')).toEqual([['input.id', 'NOT_ALLOWED']]);
    const resubmitted = await submit(partner.who, settlement.id, 3);
    expect(resubmitted.body.data.settlementSubmit.settlement).toMatchObject({ status: 'SUBMITTED', version: 4 });
    const accepted = await decide(world.director, 'settlementAccept', settlement.id, 4);
    expect(errorsOf(accepted, 'settlementAccept')).toEqual([]);
    expect(accepted.body.data.settlementAccept.settlement).toMatchObject({ status: 'ACCEPTED', version: 5, returnReason: null });
    m1 = { id: settlement.id, version: 5 };

    // Accepted is final.
    expect(errorsOf(await submit(partner.who, settlement.id, 5), 'settlementSubmit')).toEqual([['input.id', 'NOT_ALLOWED']]);
    expect(errorsOf(await decide(world.director, 'settlementReturn', settlement.id, 5, 'Jednak nie'), 'settlementReturn')).toEqual([
      ['input.id', 'NOT_ALLOWED'],
    ]);
    expect(await statementOf(world.director, settlement.id)).toMatchObject({ status: 'ACCEPTED', frozen: true, amountDue: '150.00', cumulativeUse: '150.00' });

    // Both sides saw every step, in order; another partner saw nothing.
    const steps = ['OPEN', 'SUBMITTED', 'RETURNED', 'SUBMITTED', 'ACCEPTED'];
    const partnerSaw = await partnerEvents.waitFor(5);
    const centreSaw = await centreEvents.waitFor(5);
    expect(partnerSaw.map((e) => e.settlementUpdated.status)).toEqual(steps);
    expect(centreSaw.map((e) => e.settlementUpdated.status)).toEqual(steps);
    expect(partnerSaw.map((e) => e.settlementUpdated.version)).toEqual([1, 2, 3, 4, 5]);
    expect(centreSaw.every((e) => e.settlementUpdated.settlementId === settlement.id && e.settlementUpdated.settlement.month === month(M1))).toBe(true);
    await settle();
    expect(strangerEvents.results).toEqual([]);
    expect(partnerEvents.results).toHaveLength(5);
    await stopAndWait(app, partnerEvents, centreEvents, strangerEvents);

    // Resumed after the first event: what followed it, from the outbox, under each side's rights.
    const resumed = await subscribeAndWait(app, partnerWs, EVENTS, { after: partnerSaw[0].settlementUpdated.eventId });
    expect((await resumed.waitFor(4)).map((e) => e.settlementUpdated.status)).toEqual(steps.slice(1));
    const centreResumed = await subscribeAndWait(app, directorWs, EVENTS, { after: centreSaw[1].settlementUpdated.eventId });
    expect((await centreResumed.waitFor(3)).map((e) => e.settlementUpdated.status)).toEqual(steps.slice(2));
    const strangerResumed = await subscribeAndWait(app, strangerWs, EVENTS, { after: '0' });
    const otherCentreResumed = await subscribeAndWait(app, app.ws(world.otherDirector), EVENTS, { after: centreSaw[0].settlementUpdated.eventId });
    await settle();
    expect(strangerResumed.results.filter((r) => r.data?.settlementUpdated.settlementId === settlement.id)).toEqual([]);
    expect(otherCentreResumed.results).toEqual([]);
    await stopAndWait(app, resumed, centreResumed, strangerResumed, otherCentreResumed);
  });

  it('keeps accepted figures frozen: a later correction or late delivery of that month is an adjustment in the next settlement', async () => {
    // The partner corrects a session of M1 from 60 to 120 minutes and records one it forgot, after acceptance.
    await rawAsOwner(`select set_config('app.user_id', 'dev-partner', false); update delivery set duration_minutes = 120 where id = '${firstDelivery}'`);
    await deliver(commission.itemKey, addDays(M1, 5), 60);

    expect(await statementOf(partner.who, m1.id)).toMatchObject({
      frozen: true,
      amountDue: '150.00',
      monthTotals: { deliveredSessions: 2, hours: 2.5, amount: '150.00' },
      adjustmentTotals: { deliveredSessions: 0, amount: '0.00' },
    });

    const opened = await open(world.organiser, commission.id, month(M2));
    const m2 = opened.body.data.settlementOpen.settlement;
    const statement = await statementOf(world.organiser, m2.id);
    expect(statement).toMatchObject({
      month: month(M2),
      amountDue: '240.00',
      acceptedBefore: '150.00',
      cumulativeUse: '390.00',
      budgetShareUsed: 0.39,
      budgetWarning: false,
      monthTotals: { persons: 1, deliveredSessions: 1, hours: 2, amount: '120.00' },
      adjustmentTotals: { deliveredSessions: 1, hours: 2, quantity: 2, amount: '120.00' },
    });
    expect(statement.lines).toEqual([
      {
        serviceName: 'Usługi opiekuńcze w domu',
        concernsMonth: month(M2),
        adjustment: false,
        deliveredSessions: 1,
        hours: 2,
        residentAbsent: 0,
        cancelled: 0,
        quantity: 2,
        amount: '120.00',
      },
      {
        serviceName: 'Usługi opiekuńcze w domu',
        concernsMonth: month(M1),
        adjustment: true,
        deliveredSessions: 1,
        hours: 2,
        residentAbsent: 0,
        cancelled: 0,
        quantity: 2,
        amount: '120.00',
      },
    ]);
    const submitted = await submit(partner.who, m2.id, m2.version);
    await decide(world.director, 'settlementAccept', m2.id, submitted.body.data.settlementSubmit.settlement.version);

    // Once M2 took them, the adjustments are settled: the current month has none, and the cumulative use counts both months.
    const current = await open(partner.who, commission.id, month(firstOfThisMonth));
    const now = await statementOf(partner.who, current.body.data.settlementOpen.settlement.id);
    expect(now).toMatchObject({
      adjustmentTotals: { deliveredSessions: 0, amount: '0.00' },
      acceptedBefore: '390.00',
      amountDue: '0.00',
      cumulativeUse: '390.00',
    });
    // The current month has not ended: it is not reported yet.
    expect(errorsOf(await submit(partner.who, current.body.data.settlementOpen.settlement.id, 1), 'settlementSubmit')).toEqual([['input.id', 'NOT_ALLOWED']]);
  });

  it("is walled in the database: raw SQL under another partner's, another gmina's or a coordinator's settings reads none of it", async () => {
    const as = (role: Role, gminy: number[], partnerId: string | null = null) => sessionVariables({ subject: 'sweep', role, gminy, partnerId });
    const counts = async (settings: Record<string, string>) =>
      (
        await rawAsApp<{ settlements: number; counted: number; lines: number; events: number }>(
          `select (select count(*)::int from settlement where commission_id = $1) as settlements,
        (select count(*)::int from settlement_delivery l join settlement s on s.id = l.settlement_id where s.commission_id = $1) as counted,
        (select count(*)::int from settlement s, app.settlement_lines(s.id) where s.commission_id = $1) as lines,
        (select count(*)::int from outbox_event where topic in ('SETTLEMENT', 'PARTNER_SETTLEMENT')
          and subject_id in (select id from settlement where commission_id = $1)) as events`,
          [commission.key],
          settings,
        )
      )[0];
    const mine = await counts(as(Role.PARTNER, [], partner.key));
    expect(mine.settlements).toBeGreaterThanOrEqual(3);
    expect(mine.counted).toBeGreaterThan(0);
    expect(mine.events).toBeGreaterThan(0);
    expect((await counts(as(Role.DIRECTOR, [Number(GMINA)]))).settlements).toBe(mine.settlements);
    for (const settings of [
      as(Role.PARTNER, [], otherPartner.key),
      as(Role.DIRECTOR, [Number(OTHER)]),
      as(Role.COORDINATOR, [Number(GMINA)]),
      as(Role.GMINA_OFFICIAL, [Number(GMINA)]),
      as(Role.MINISTRY, []),
    ]) {
      expect(await counts(settings)).toEqual({ settlements: 0, counted: 0, lines: 0, events: 0 });
    }
  });

  it('warns when the cumulative use reaches the configured share of the budget', async () => {
    const small = await commissionWithItem('180.00', 2);
    await deliver(small.itemKey, addDays(M1, 8), 150, 'DELIVERED', '14:00');
    const settlement = (await open(partner.who, small.id, month(M1))).body.data.settlementOpen.settlement;
    // 150 minutes at 60 zł an hour: 150.00 of 180.00, 83% of the budget, past the default 80%.
    expect(await statementOf(partner.who, settlement.id)).toMatchObject({
      amountDue: '150.00',
      cumulativeUse: '150.00',
      budgetShareUsed: 0.8333,
      budgetWarning: true,
    });
    const lenient = await startTestApp({ SETTLEMENT_BUDGET_WARNING_SHARE: '0.9' });
    try {
      const res = await lenient.gql(partner.who, 'query($id: ID!) { settlementStatement(settlementId: $id) { budgetShareUsed budgetWarning } }', {
        id: settlement.id,
      });
      expect(res.body.data.settlementStatement).toEqual({ budgetShareUsed: 0.8333, budgetWarning: false });
    } finally {
      await lenient.close();
    }
  });

  it('exports as CSV with Polish labels', async () => {
    const response = await fetch(app.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/csv', authorization: `Bearer ${await app.token(partner.who)}` },
      body: JSON.stringify({ query: `query($id: ID!) { settlementStatement(settlementId: $id) { ${SETTLEMENT_CSV_SELECTION} } }`, variables: { id: m1.id } }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv; charset=utf-8/);
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="rozliczenie-${month(M1)}.csv"`);
    // UTF-8 with a byte-order mark (TextDecoder reads past it).
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = new TextDecoder().decode(bytes).split('\r\n');
    expect(rows).toContain(`Miesiąc,${month(M1)}`);
    expect(rows).toContain('Stan,przyjęte');
    expect(rows).toContain('Usługa,Miesiąc realizacji,Korekta,Sesje zrealizowane,Godziny,Nieobecności,Odwołane,Ilość rozliczana,Kwota (zł)');
    expect(rows).toContain(`Usługi opiekuńcze w domu,${month(M1)},nie,2,2.5,1,1,2.5,150.00`);
    expect(rows).toContain('Kwota należna (zł),150.00');
    expect(rows).toContain('Osoby objęte usługą w miesiącu,1');
    expect(rows).toContain('Zadowolenie odbiorców,92%');
    expect(rows).toContain('Liczba skarg,0');

    // Another partner gets no CSV of it.
    const refused = await fetch(app.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/csv', authorization: `Bearer ${await app.token(otherPartner.who)}` },
      body: JSON.stringify({ query: `query($id: ID!) { settlementStatement(settlementId: $id) { ${SETTLEMENT_CSV_SELECTION} } }`, variables: { id: m1.id } }),
    });
    expect(refused.headers.get('content-type') ?? '').not.toMatch(/text\/csv/);
    expect(await refused.text()).not.toContain('150.00');
  });
});

describe('the amount due', () => {
  const terms = (extra: Partial<AmountTerms>): AmountTerms => ({
    unitPrice: null,
    budget: '1200.00',
    volume: null,
    volumeUnit: null,
    periodStart: '2026-01-15',
    periodEnd: '2026-12-10',
    ...extra,
  });

  it('is hours or sessions at the unit price, priced from minutes', () => {
    expect(lineAmount(SettlementAmountRule.UNIT_PRICE, terms({ unitPrice: '45.50', volumeUnit: VolumeUnit.HOURS }), { minutes: 50, sessions: 1 })).toBe(3792n);
    expect(lineAmount(SettlementAmountRule.UNIT_PRICE, terms({ unitPrice: '45.50', volumeUnit: VolumeUnit.SESSIONS }), { minutes: 50, sessions: 3 })).toBe(
      13650n,
    );
    expect(lineAmount(SettlementAmountRule.UNIT_PRICE, terms({ unitPrice: '60.00', volumeUnit: VolumeUnit.HOURS }), { minutes: -60, sessions: -1 })).toBe(
      -6000n,
    );
  });

  it('without a unit price, is the budget over the volume per hour or session', () => {
    expect(lineAmount(SettlementAmountRule.BUDGET_PER_VOLUME, terms({ volume: '300', volumeUnit: VolumeUnit.HOURS }), { minutes: 90, sessions: 1 })).toBe(600n);
    expect(lineAmount(SettlementAmountRule.BUDGET_PER_VOLUME, terms({ volume: '7', volumeUnit: VolumeUnit.SESSIONS }), { minutes: 90, sessions: 2 })).toBe(
      34286n,
    );
  });

  it('without unit price or volume, is the budget in monthly instalments that add up to it exactly', () => {
    const t = terms({ budget: '1000.00' });
    const months = Array.from({ length: 12 }, (_, i) => `2026-${String(i + 1).padStart(2, '0')}-01`);
    const parts = months.map((m) => monthlyInstalment(t, m));
    expect(parts.reduce((a, b) => a + b, 0n)).toBe(100000n);
    expect(parts.every((p) => p === 8333n || p === 8334n)).toBe(true);
    expect(monthlyInstalment(t, '2027-01-01')).toBe(0n);
    expect(amountDue(SettlementAmountRule.MONTHLY_INSTALMENT, t, '2026-03-01', [null, null])).toBe(parts[2]);
  });
});
