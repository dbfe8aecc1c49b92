import { afterAll, beforeAll, describe, expect, it, test } from 'vitest';
import { rawAsApp, rawAsOwner, Role, startTestApp, type TestApp, type Who } from './support/app.js';
import { createUnit, addDays, mutate, staff, today } from './support/fixtures.js';
import { planWorld } from './support/plan-world.js';
import { seededDemoClock } from './support/demo-clock.js';
import { sessionVariables } from '../src/platform/auth/principal.js';
import { suppressComplementary, type Figure, type Table } from '../src/modules/report/report-suppression.js';

/**
 * Reports (DOMAIN.md, "Reports"): exact dashboards for CUS staff over their own gminy; ministry
 * reports over every gmina, and gmina officials' over all theirs, with counts of persons perturbed by
 * the cell key method over calendar periods and a fixed table space (tests/disclosure-attacks.test.ts
 * attacks them); no personal row reachable by a ministry principal in any way. The data is made through the API
 * in gminy of their own, and reports are asked for those gminy only, so the demo data never changes
 * the figures.
 */
let app: TestApp;
const ADMIN: Who = { role: Role.PLATFORM_ADMIN };
const MINISTRY: Who = { role: Role.MINISTRY };
/** Three gminy of powiat karkonoski, each with its own CUS. */
const X1 = '0206011';
const X2 = '0206021';
const X3 = '0206031';
/** A gmina for plans (days from application to plan). */
const P = '0206052';
/** Last calendar year: protected reports cover calendar periods, and both months fall in one. */
const YEAR = String(Number(today().slice(0, 4)) - 1);
const MONTH_A = `${YEAR}-03-10`;
const MONTH_B = `${YEAR}-09-10`;
const LAST_YEAR = `from: "${YEAR}-01-01", to: "${YEAR}-12-31"`;
/** What a true count may be published as: within 5, never 1..4 (the default perturbation table). */
const possible = (truth: number) => Array.from({ length: 11 }, (_, i) => truth - 5 + i).filter((v) => v === 0 || v >= 5);

const REPORT = `cells { keys { dimension code label } value suppressed } rowTotals { keys { code } value suppressed }
  columnTotals { keys { code } value suppressed } total { value suppressed } suppressionThreshold additive unit asOf
  perturbation { threshold maxDeviation variance }`;
const ministry = (args: string) => app.gql(MINISTRY, `{ ministryReport(${args}) { ${REPORT} } }`);
const dashboard = (who: Who, args: string) => app.gql(who, `{ gminaReport(${args}) { ${REPORT} } }`);
const refresh = async () => {
  const res = await app.gql(ADMIN, 'mutation { reportsRefresh { refreshedAt tookMs } }');
  expect(res.body.errors).toBeUndefined();
};
const cellOf = (report: any, ...codes: string[]) => report.cells.find((c: any) => codes.every((code, i) => c.keys[i].code === code));
const cellsOf = (res: any) => res.body.data.ministryReport?.cells ?? res.body.data.gminaReport.cells;

/** `count` applications in `gmina`, filed on `filedOn`, by its coordinator, through the API. */
async function applications(gmina: string, count: number, filedOn: string) {
  const coordinator = staff(Role.COORDINATOR, gmina);
  for (let i = 0; i < count; i += 1) {
    const resident = await mutate(app, coordinator, 'residentCreate', 'ResidentCreateInput', 'resident { id }', {
      firstName: 'Anna',
      lastName: `Raportowa ${i}`,
      gmina,
      address: { street: 'ul. Leśna 1', postalCode: '58-540', city: 'Karpacz' },
    });
    await mutate(app, coordinator, 'applicationFile', 'ApplicationFileInput', 'application { id }', {
      residentId: resident.resident.id,
      filedOn,
      channel: 'IN_PERSON',
      filedBy: 'PERSON',
      requestedAreas: ['SOCIAL_ASSISTANCE'],
    });
  }
}

beforeAll(async () => {
  app = await startTestApp();
  for (const gmina of [X1, X2, X3]) await createUnit(app, gmina);
  // X1: 4 + 3, X2: 2 + 0, X3: 3 + 3 applications in two months.
  await applications(X1, 4, MONTH_A);
  await applications(X1, 3, MONTH_B);
  await applications(X2, 2, MONTH_A);
  await applications(X3, 3, MONTH_A);
  await applications(X3, 3, MONTH_B);
  await refresh();
}, 120_000);
afterAll(async () => {
  await app.close();
});

describe('complementary suppression', () => {
  const figure = (keys: string[], value: number, suppressed = false): Figure => ({ keys, value: suppressed ? null : value, suppressed });

  test('a single hidden cell of a list is joined by the smallest one shown, so the total gives neither away', () => {
    const table: Table = {
      cells: [figure(['a'], 40), figure(['b'], 3, true), figure(['c'], 12), figure(['d'], 9)],
      rowTotals: [],
      columnTotals: [],
      total: figure([], 64),
    };
    suppressComplementary(table, 1);
    expect(table.cells.map((c) => c.suppressed)).toEqual([false, true, false, true]);
    expect(table.total).toEqual(figure([], 64));
  });

  test('in a two-way table no row, column or margin is left with exactly one hidden figure', () => {
    // Rows r1..r3 by columns c1..c3; one small cell in r2 x c2.
    const values = [
      [20, 15, 30],
      [8, 2, 25],
      [11, 9, 14],
    ];
    const cells = values.flatMap((row, r) => row.map((v, c) => figure([`r${r}`, `c${c}`], v, v < 5)));
    const rowTotals = values.map((row, r) =>
      figure(
        [`r${r}`],
        row.reduce((a, b) => a + b, 0),
      ),
    );
    const columnTotals = [0, 1, 2].map((c) =>
      figure(
        [`c${c}`],
        values.reduce((a, row) => a + row[c], 0),
      ),
    );
    const table: Table = { cells, rowTotals, columnTotals, total: figure([], 134) };
    suppressComplementary(table, 2);
    const lines = [
      ...[0, 1, 2].map((r) => [...cells.filter((c) => c.keys[0] === `r${r}`), rowTotals[r]]),
      ...[0, 1, 2].map((c) => [...cells.filter((x) => x.keys[1] === `c${c}`), columnTotals[c]]),
      [...rowTotals, table.total],
      [...columnTotals, table.total],
    ];
    for (const line of lines) expect(line.filter((f) => f.suppressed).length).not.toBe(1);
    expect(cells.filter((c) => c.suppressed).length).toBeGreaterThanOrEqual(4);
    expect(table.total.suppressed).toBe(false);
  });

  test('a list of one hidden cell hides its total too', () => {
    const table: Table = { cells: [figure(['a'], 3, true)], rowTotals: [], columnTotals: [], total: figure([], 3, true) };
    table.total.suppressed = false;
    table.total.value = 3;
    suppressComplementary(table, 1);
    expect(table.total).toEqual({ keys: [], value: null, suppressed: true });
  });
});

describe('ministry reports', () => {
  it('cover every gmina of Poland, each listed, with counts of persons perturbed: never 1 to 4, within 5 of the truth, nothing suppressed', async () => {
    const res = await ministry(`measure: APPLICATIONS_RECEIVED, groupBy: [GMINA], ${LAST_YEAR}`);
    expect(res.body.errors).toBeUndefined();
    const report = res.body.data.ministryReport;
    expect(report.suppressionThreshold).toBe(5);
    expect(report.perturbation).toEqual({ threshold: 5, maxDeviation: 5, variance: 4 });
    const [{ n }] = await rawAsOwner<{ n: string }>('select count(*)::text as n from gmina');
    // A fixed table space: every gmina is a cell, so being listed says nothing.
    expect(report.cells).toHaveLength(Number(n));
    expect(possible(7)).toContain(cellOf(report, X1).value);
    expect(cellOf(report, X1).keys[0].label).toMatch(/^Karpacz/);
    expect(possible(2)).toContain(cellOf(report, X2).value);
    expect(report.cells.filter((c: any) => c.suppressed || (c.value > 0 && c.value < 5))).toEqual([]);
    // The database would not give a ministry principal totals of chosen gminy to subtract from each other.
    const chosen = await app.gql(MINISTRY, `{ ministryReport(measure: APPLICATIONS_RECEIVED, gminy: ["${X1}"]) { total { value } } }`);
    expect(chosen.body.errors?.[0].extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('give the same persons the same published value whatever query made the cell, and take only calendar periods', async () => {
    const one = (await ministry(`measure: APPLICATIONS_RECEIVED, groupBy: [GMINA], ${LAST_YEAR}`)).body.data.ministryReport;
    const again = (await ministry(`measure: APPLICATIONS_RECEIVED, groupBy: [GMINA], ${LAST_YEAR}`)).body.data.ministryReport;
    expect(again.cells).toEqual(one.cells);
    const two = (await ministry(`measure: APPLICATIONS_RECEIVED, groupBy: [GMINA, MONTH], ${LAST_YEAR}`)).body.data.ministryReport;
    for (const gmina of [X1, X2, X3]) {
      expect(two.rowTotals.find((r: any) => r.keys[0].code === gmina).value).toBe(cellOf(one, gmina).value);
    }
    // X1's March (4 applications) is the same 4 persons as X1's first quarter.
    const quarter = (await ministry(`measure: APPLICATIONS_RECEIVED, groupBy: [GMINA], from: "${YEAR}-01-01", to: "${YEAR}-03-31"`)).body.data.ministryReport;
    expect(cellOf(quarter, X1).value).toBe(cellOf(two, X1, `${YEAR}-03`).value);
    expect(possible(4)).toContain(cellOf(quarter, X1).value);
    expect(two.cells).toHaveLength(12 * one.cells.length);
    expect(two.additive).toBe(true);
    for (const period of [
      `from: "${YEAR}-01-01", to: "${YEAR}-10-31"`,
      `from: "${YEAR}-02-01", to: "${YEAR}-04-30"`,
      `from: "${YEAR}-01-05", to: "${YEAR}-01-31"`,
    ]) {
      const refused = await ministry(`measure: APPLICATIONS_RECEIVED, ${period}`);
      expect(refused.body.errors?.[0].extensions?.code, period).toBe('BAD_USER_INPUT');
      expect(refused.body.errors?.[0].message).toMatch(/calendar month, quarter, half-year or year/);
    }
  });

  it('group by COUNTRY: Poland as a whole, its figure the total', async () => {
    // Found by the fuzz campaign (npm run fuzz): every report grouped by COUNTRY was an internal error.
    const period = LAST_YEAR;
    const one = await ministry(`measure: APPLICATIONS_RECEIVED, groupBy: [COUNTRY], ${period}`);
    expect(one.body.errors).toBeUndefined();
    const report = one.body.data.ministryReport;
    expect(report.total).toMatchObject({ suppressed: false });
    expect(report.total.value).toBeGreaterThanOrEqual(15 - 5);
    expect(report.cells).toEqual([{ keys: [{ dimension: 'COUNTRY', code: 'PL', label: 'Polska' }], value: report.total.value, suppressed: false }]);
    const two = await ministry(`measure: APPLICATIONS_RECEIVED, groupBy: [COUNTRY, MONTH], ${period}`);
    expect(two.body.errors).toBeUndefined();
    const table = two.body.data.ministryReport;
    expect(table.rowTotals).toEqual([{ keys: [{ code: 'PL' }], value: report.total.value, suppressed: false }]);
    expect(table.cells.map((c: any) => c.keys[1].code)).toEqual(table.columnTotals.map((c: any) => c.keys[0].code));
  });

  it('refuse a dimension the measure does not have, or more than two, with a clear error', async () => {
    const wrong = await ministry('measure: APPLICATIONS_RECEIVED, groupBy: [PARTNER_KIND]');
    expect(wrong.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(wrong.body.errors?.[0].message).toMatch(/cannot be grouped by PARTNER_KIND; it can be grouped by COUNTRY, .*MONTH/);
    const three = await ministry('measure: DELIVERIES, groupBy: [WOJEWODZTWO, AREA, MONTH]');
    expect(three.body.errors?.[0].message).toMatch(/at most two/);
    const dims = await app.gql(MINISTRY, '{ reportDimensions(measure: SERVICES) }');
    expect(dims.body.data.reportDimensions).toEqual(['COUNTRY', 'WOJEWODZTWO', 'POWIAT', 'GMINA', 'GMINA_KIND', 'AREA', 'TARGET_GROUP']);
  });

  it("reach no person: no table under the ministry's settings, and the one function it may call hides small counts itself", async () => {
    const settings = sessionVariables({ subject: 'ministry', role: Role.MINISTRY, gminy: [], partnerId: null });
    for (const table of ['resident', 'application', 'ipus', 'ipus_item', 'delivery', 'outbox_event', 'resident_access_log']) {
      expect({ table, rows: await rawAsApp(`select * from ${table}`, [], settings) }).toEqual({ table, rows: [] });
    }
    expect(await rawAsApp('select measure, gmina_id, value, persons from report_fact', [], settings)).toEqual([]);
    const rows = await rawAsApp<{ keys: string[]; value: string | null; suppressed: boolean }>(
      `select * from app.report('APPLICATIONS_RECEIVED', '{GMINA}', $1, $2) where keys[1] in ($3, $4) order by keys`,
      [`${YEAR}-01-01`, `${YEAR}-12-31`, X1, X2],
      settings,
    );
    expect(rows.map((r) => r.keys)).toEqual([[X1], [X2]]);
    expect(possible(7)).toContain(Number(rows[0].value));
    expect(possible(2)).toContain(Number(rows[1].value));
    // The rollup's key sums and the secret behind the record keys are out of the application role's reach.
    const staffSettings = sessionVariables({ subject: 'director', role: Role.DIRECTOR, gminy: [Number(X1)], partnerId: null });
    await expect(rawAsApp('select key_sum from report_fact', [], staffSettings)).rejects.toThrow(/permission denied/);
    await expect(rawAsApp('select * from report_secret', [], staffSettings)).rejects.toThrow(/permission denied/);
    await expect(rawAsApp('select * from report_ptable', [], staffSettings)).rejects.toThrow(/permission denied/);
    await expect(
      rawAsApp(`select * from app.report('APPLICATIONS_RECEIVED', '{}', '2020-01-01', $1, $2::int[])`, [today(), `{${Number(X2)}}`], settings),
    ).rejects.toThrow(/cover every gmina/);
    await expect(rawAsApp('update report_config set threshold = 1', [], settings)).rejects.toThrow(/permission denied/);
    await expect(rawAsApp('select app.refresh_reports()', [], settings)).rejects.toThrow(/rebuilt by the platform only/);
    for (const query of ['{ residents(first: 1) { nodes { id } } }', '{ plans(first: 1) { nodes { id } } }', '{ deliveries(first: 1) { nodes { id } } }']) {
      expect((await app.gql(MINISTRY, query)).body.errors?.[0].extensions?.code, query).toBe('FORBIDDEN');
    }
  });

  it('are for the ministry only; gmina dashboards for staff and officials; the rebuild for the administrator', async () => {
    expect((await ministry('measure: CUS_UNITS, groupBy: [WOJEWODZTWO, CREATION_MODE]')).body.errors).toBeUndefined();
    for (const who of [
      staff(Role.DIRECTOR, X1),
      staff(Role.GMINA_OFFICIAL, X1),
      { role: Role.PARTNER, partner: '0193a000-0000-7000-8000-0000000000aa' },
      ADMIN,
    ]) {
      expect((await app.gql(who, '{ ministryReport(measure: CUS_UNITS) { total { value } } }')).body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
    expect((await dashboard(MINISTRY, 'measure: CUS_UNITS')).body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await app.gql(MINISTRY, 'mutation { reportsRefresh { tookMs } }')).body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

describe('gmina dashboards', () => {
  it('show CUS staff their own figures exactly, by month, and nothing of another gmina', async () => {
    const coordinator = staff(Role.COORDINATOR, X2);
    const res = await dashboard(coordinator, `measure: APPLICATIONS_RECEIVED, groupBy: [MONTH], ${LAST_YEAR}`);
    expect(res.body.errors).toBeUndefined();
    expect(cellsOf(res).map((c: any) => [c.keys[0].code, c.value, c.suppressed])).toEqual([[MONTH_A.slice(0, 7), 2, false]]);
    expect(res.body.data.gminaReport.suppressionThreshold).toBeNull();
    expect(res.body.data.gminaReport.perturbation).toBeNull();
    const outside = await dashboard(coordinator, `measure: APPLICATIONS_RECEIVED, gminy: ["${X1}"]`);
    expect(outside.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    // A director of a unit serving X1 and X3 sees both, and the totals add up.
    await createUnit(app, X1, {
      servedGminy: [X1, X3],
      creationMode: 'INTERMUNICIPAL_AGREEMENT',
      agreement: { number: 'POR.3.2023', date: '2023-12-01' },
      statutory: false,
    });
    const both = await dashboard(staff(Role.DIRECTOR, X1, X3), `measure: APPLICATIONS_RECEIVED, groupBy: [GMINA], ${LAST_YEAR}`);
    expect(cellsOf(both).map((c: any) => [c.keys[0].code, c.value])).toEqual([
      [X1, 7],
      [X3, 6],
    ]);
    expect(both.body.data.gminaReport.total.value).toBe(13);
  });

  it("give a gmina official (no personal data) the ministry's protection: perturbed counts, every month listed, all its gminy, calendar periods", async () => {
    const official = staff(Role.GMINA_OFFICIAL, X2);
    const res = await dashboard(official, `measure: APPLICATIONS_RECEIVED, groupBy: [MONTH], ${LAST_YEAR}`);
    expect(res.body.errors).toBeUndefined();
    const report = res.body.data.gminaReport;
    expect(report.perturbation).toEqual({ threshold: 5, maxDeviation: 5, variance: 4 });
    expect(report.cells).toHaveLength(12);
    const march = cellOf(report, `${YEAR}-03`);
    expect(possible(2)).toContain(march.value);
    // The same two persons as the ministry's X2 cell of March.
    const national = (await ministry(`measure: APPLICATIONS_RECEIVED, groupBy: [GMINA, MONTH], ${LAST_YEAR}`)).body.data.ministryReport;
    expect(march.value).toBe(cellOf(national, X2, `${YEAR}-03`).value);
    expect(report.cells.filter((c: any) => c.value > 0 && c.value < 5)).toEqual([]);
    const narrowed = await dashboard(staff(Role.GMINA_OFFICIAL, X1, X3), `measure: APPLICATIONS_RECEIVED, gminy: ["${X1}"], ${LAST_YEAR}`);
    expect(narrowed.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const period = await dashboard(official, `measure: APPLICATIONS_RECEIVED, from: "${YEAR}-01-01", to: "${YEAR}-02-28"`);
    expect(period.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('give deliveries and hours by partner, named for the centre; the ministry sees partners by id only', async () => {
    const director = staff(Role.DIRECTOR, '1417082');
    // The demo's deliveries in Wiązowna (seeds/demo/commissions.ts), dated by the day the run's demo was seeded.
    const on = await seededDemoClock();
    const period = `from: "${on('2026-01-01')}", to: "${on('2026-11-26')}"`;
    const res = await dashboard(director, `measure: DELIVERY_HOURS, groupBy: [PARTNER], ${period}`);
    expect(res.body.errors).toBeUndefined();
    // One of them was corrected from 75 to 80 minutes.
    const byPartner = Object.fromEntries(cellsOf(res).map((c: any) => [c.keys[0].label, c.value]));
    expect(byPartner).toEqual({ 'Spółdzielnia Socjalna „Wspólna Sprawa”': 11.83, 'RehaMobil sp. z o.o.': 3 });
    expect(res.body.data.gminaReport.total.value).toBeCloseTo(14.83, 2);
    const national = await ministry(
      `measure: DELIVERIES, groupBy: [PARTNER], from: "${on('2026-06-01').slice(0, 4)}-01-01", to: "${on('2026-06-01').slice(0, 4)}-12-31"`,
    );
    expect(national.body.errors).toBeUndefined();
    // Deliveries with no partner (the centre's own) are keyed '' and named so.
    for (const cell of national.body.data.ministryReport.cells) expect(cell.keys[0].label).toBe(cell.keys[0].code || 'bez partnera (usługi własne CUS)');
  });

  it('give the median and 90th percentile of days from application to plan, which the ministry sees, over 5 plans or more', async () => {
    const world = await planWorld(app, P, X2);
    const lead = [2, 4, 6, 8, 10, 30];
    for (const days of lead) {
      const { applicationId } = await world.application(days);
      await mutate(app, world.coordinator, 'ipusCreate', 'IpusCreateInput', 'ipus { id }', world.draftInput(applicationId));
    }
    await refresh();
    const period = `from: "${addDays(today(), -5)}", to: "${today()}"`;
    const median = await dashboard(world.director, `measure: DAYS_TO_PLAN_MEDIAN, ${period}`);
    const p90 = await dashboard(world.director, `measure: DAYS_TO_PLAN_P90, ${period}`);
    expect([median.body.data.gminaReport.total.value, p90.body.data.gminaReport.total.value]).toEqual([6, 30]);
    const month = today().slice(0, 7);
    const seen = await ministry(
      `measure: DAYS_TO_PLAN_MEDIAN, groupBy: [GMINA], from: "${month}-01", to: "${addDays(`${addDays(`${month}-28`, 7).slice(0, 7)}-01`, -1)}"`,
    );
    expect(seen.body.data.ministryReport.cells.find((c: any) => c.keys[0].code === P)).toMatchObject({ value: 6, suppressed: false });
    // Medians do not add up, so they are hidden only when few plans stand behind them, never to protect another cell.
    expect(seen.body.data.ministryReport.additive).toBe(false);
    const prepared = await dashboard(world.director, `measure: PLANS_PREPARED, ${period}`);
    expect(prepared.body.data.gminaReport.total.value).toBe(6);
    const residents = await dashboard(world.director, 'measure: RESIDENTS_SERVED');
    expect(residents.body.data.gminaReport.total.value).toBe(0);
  });
});
