import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { Role, startTestApp, type TestApp, type Who } from './support/app.js';
import { ownDemoDatabase, type OwnDatabase } from './support/own-database.js';
import { buildPtable, DEFAULT_MAX_DEVIATION, DEFAULT_VARIANCE, possibleTrueCounts } from '../src/modules/report/report.ptable.js';

/**
 * Issue 18: the review's attacks on ministry reports, on crafted data with many small cells (1 to 4
 * applications per gmina and month of 2024, in every gmina a demo unit serves), inserted as the owner
 * into a database of this suite's own. The attacker knows the method and the perturbation table
 * (README publishes them), not the record keys. For each attack it prints the share of true counts
 * 1..4 it pins down with certainty (the only value consistent with everything published: target 0)
 * and the mean absolute error of its best estimate; any count pinned down fails the suite.
 */
const YEAR = '2024';
const MINISTRY: Who = { role: Role.MINISTRY };
const ADMIN: Who = { role: Role.PLATFORM_ADMIN };
const table = buildPtable({ maxDeviation: DEFAULT_MAX_DEVIATION, variance: DEFAULT_VARIANCE, threshold: 5 });
const MONTHS = Array.from({ length: 12 }, (_, i) => `${YEAR}-${String(i + 1).padStart(2, '0')}`);
const lastDay = (month: string) => new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).toISOString().slice(0, 10);

let db: OwnDatabase;
let app: TestApp;
/** True counts: gmina → month → applications. */
const truth = new Map<string, Map<string, number>>();
let gminy: string[] = [];
const powiatOf = new Map<string, string>();

/** The true counts a published value may stand for (the attacker's knowledge of the table). */
const S = (published: number) => new Set(possibleTrueCounts(table, published));

/**
 * What the attacker can be sure of about one part, from "total = target + others": the true values
 * of the target consistent with its own published value, the others' and the total's.
 */
function feasible(target: number | null, others: number[], total: number): Set<number> {
  let sums = new Set([0]);
  for (const other of others) {
    const next = new Set<number>();
    for (const s of sums) for (const t of S(other)) next.add(s + t);
    sums = next;
  }
  const out = new Set<number>();
  for (let x = 0; x <= total + DEFAULT_MAX_DEVIATION; x += 1) {
    if (target !== null && !S(target).has(x)) continue;
    if ([...S(total)].some((t) => sums.has(t - x))) out.add(x);
  }
  return out;
}

interface Outcome {
  pinned: number;
  small: number;
  absError: number;
}
const outcomes: Record<string, Outcome> = {};
function record(attack: string, trueValue: number, known: Set<number>, estimate: number): void {
  if (trueValue < 1 || trueValue > 4) return;
  const o = (outcomes[attack] ??= { pinned: 0, small: 0, absError: 0 });
  o.small += 1;
  if (known.size === 1 && known.has(trueValue)) o.pinned += 1;
  o.absError += Math.abs(estimate - trueValue);
}

async function report(groupBy: string, from: string, to: string): Promise<Map<string, number>> {
  const res = await app.gql(
    MINISTRY,
    `{ ministryReport(measure: APPLICATIONS_RECEIVED, groupBy: [${groupBy}], from: "${from}", to: "${to}") {
    cells { keys { code } value suppressed } total { value } } }`,
  );
  expect(res.body.errors).toBeUndefined();
  const out = new Map<string, number>();
  for (const c of res.body.data.ministryReport.cells) {
    expect(c.suppressed).toBe(false);
    out.set(c.keys.map((k: any) => k.code).join('|'), c.value);
  }
  out.set('', res.body.data.ministryReport.total.value);
  return out;
}
const trueOf = (gmina: string, months: string[]) => months.reduce((s, m) => s + (truth.get(gmina)?.get(m) ?? 0), 0);

beforeAll(async () => {
  db = await ownDemoDatabase('attacks');
  const owner = new pg.Client({ connectionString: db.ownerUrl });
  await owner.connect();
  try {
    const units = (
      await owner.query<{ id: string; gmina: number; terc: string; powiat: string }>(
        `select u.id, g.id as gmina, g.terc::text as terc, g.powiat_code::text as powiat
       from cus_unit u cross join unnest(u.served_gmina_ids) s(gmina_id) join gmina g on g.id = s.gmina_id order by g.terc`,
      )
    ).rows;
    // A fixed pattern of small counts (0..4), different for every gmina and month.
    for (const [u, unit] of units.entries()) {
      const months = new Map<string, number>();
      for (const [m, month] of MONTHS.entries()) {
        const n = (u * 7 + m * 3 + (((u + 1) * (m + 2)) % 5)) % 5;
        months.set(month, n);
        for (let i = 0; i < n; i += 1) {
          const { rows } = await owner.query<{ id: string }>(`insert into resident (gmina_id, first_name, last_name) values ($1, 'Anna', $2) returning id`, [
            unit.gmina,
            `Atak ${u}-${m}-${i}`,
          ]);
          await owner.query(
            `insert into application (gmina_id, cus_unit_id, resident_id, filed_on, channel, filed_by, requested_areas)
            values ($1, $2, $3, $4, 'IN_PERSON', 'PERSON', '{SOCIAL_ASSISTANCE}')`,
            [unit.gmina, unit.id, rows[0].id, `${month}-${String(1 + i * 5).padStart(2, '0')}`],
          );
        }
      }
      truth.set(unit.terc, months);
      powiatOf.set(unit.terc, unit.powiat);
    }
    gminy = units.map((u) => u.terc);
  } finally {
    await owner.end();
  }
  app = await startTestApp({}, db.appUrl);
  expect((await app.gql(ADMIN, 'mutation { reportsRefresh { tookMs } }')).body.errors).toBeUndefined();
}, 300_000);
afterAll(async () => {
  const lines = Object.entries(outcomes).map(
    ([attack, o]) =>
      `${attack.padEnd(44)} small counts ${String(o.small).padStart(4)}  pinned down ${((100 * o.pinned) / Math.max(1, o.small)).toFixed(1)} %  best estimate off by ${(o.absError / Math.max(1, o.small)).toFixed(2)} on average`,
  );
  console.log(`Disclosure attacks (true counts 1..4):\n${lines.join('\n')}`);
  await app?.close();
  await db?.drop();
});

describe('attacks on ministry reports', () => {
  it('the crafted data has many small cells', () => {
    const small = gminy.flatMap((g) => MONTHS.map((m) => truth.get(g)!.get(m)!)).filter((n) => n >= 1 && n <= 4);
    expect(gminy.length).toBeGreaterThanOrEqual(5);
    expect(small.length).toBeGreaterThan(40);
  });

  it('overlapping periods: a quarter, half-year or year minus its other months pins down no month', async () => {
    const byMonth = await report('GMINA, MONTH', `${YEAR}-01-01`, `${YEAR}-12-31`);
    const periods: [string, string[]][] = [];
    for (let q = 0; q < 4; q += 1) periods.push([`${MONTHS[3 * q]}-01`, MONTHS.slice(3 * q, 3 * q + 3)]);
    for (let h = 0; h < 2; h += 1) periods.push([`${MONTHS[6 * h]}-01`, MONTHS.slice(6 * h, 6 * h + 6)]);
    for (const [from, months] of periods) {
      const totals = await report('GMINA', from, lastDay(months[months.length - 1]));
      for (const g of gminy) {
        for (const month of months) {
          const others = months.filter((m) => m !== month).map((m) => byMonth.get(`${g}|${m}`)!);
          const total = totals.get(g)!;
          const known = feasible(null, others, total);
          const estimate = Math.max(0, total - others.reduce((a, b) => a + b, 0));
          record('overlapping periods (period − other months)', truth.get(g)!.get(month)!, known, estimate);
          expect(known.size === 1 && known.has(truth.get(g)!.get(month)!), `${g} ${month}`).toBe(false);
        }
      }
    }
  });

  it('inside one table: a row total minus its other cells pins down no cell', async () => {
    const byMonth = await report('GMINA, MONTH', `${YEAR}-01-01`, `${YEAR}-12-31`);
    const byGmina = await report('GMINA', `${YEAR}-01-01`, `${YEAR}-12-31`);
    for (const g of gminy) {
      for (const month of MONTHS) {
        const others = MONTHS.filter((m) => m !== month).map((m) => byMonth.get(`${g}|${m}`)!);
        const known = feasible(byMonth.get(`${g}|${month}`)!, others, byGmina.get(g)!);
        const estimate = byGmina.get(g)! - others.reduce((a, b) => a + b, 0);
        record('row total − other cells (with the cell itself)', truth.get(g)!.get(month)!, known, estimate);
        expect(known.size === 1 && known.has(truth.get(g)!.get(month)!), `${g} ${month}`).toBe(false);
      }
    }
  });

  it('the hierarchy: a powiat minus its other gminy pins down no gmina; a two-way table against its margins neither', async () => {
    for (const month of MONTHS) {
      const period: [string, string] = [`${month}-01`, lastDay(month)];
      const byGmina = await report('GMINA', ...period);
      const byPowiat = await report('POWIAT', ...period);
      const byWoj = await report('WOJEWODZTWO', ...period);
      for (const g of gminy) {
        const siblings = [...byGmina.keys()].filter((k) => k !== '' && k !== g && k.startsWith(powiatOf.get(g)!));
        const others = siblings.map((k) => byGmina.get(k)!);
        const known = feasible(byGmina.get(g)!, others, byPowiat.get(powiatOf.get(g)!)!);
        record('powiat − its other gminy', truth.get(g)!.get(month)!, known, byPowiat.get(powiatOf.get(g)!)! - others.reduce((a, b) => a + b, 0));
        expect(known.size === 1 && known.has(truth.get(g)!.get(month)!), `${g} ${month}`).toBe(false);
        // The województwo against all its powiaty.
        const woj = g.slice(0, 2);
        const powiaty = [...byPowiat.keys()].filter((k) => k.startsWith(woj) && k !== powiatOf.get(g));
        const wKnown = feasible(
          byPowiat.get(powiatOf.get(g)!)!,
          powiaty.map((k) => byPowiat.get(k)!),
          byWoj.get(woj)!,
        );
        const siblingsTrue = siblings.reduce((s, k) => s + trueOf(k, [month]), 0);
        if (siblingsTrue === 0) record('województwo − other powiaty', truth.get(g)!.get(month)!, wKnown, byPowiat.get(powiatOf.get(g)!)!);
      }
    }
    // The two-way table's cells against the one-way margin [MONTH] (national, per month).
    const twoWay = await report('GMINA, MONTH', `${YEAR}-01-01`, `${YEAR}-12-31`);
    const margin = await report('MONTH', `${YEAR}-01-01`, `${YEAR}-12-31`);
    for (const g of gminy) {
      for (const month of MONTHS) {
        const others = gminy.filter((x) => x !== g).map((x) => twoWay.get(`${x}|${month}`)!);
        const known = feasible(twoWay.get(`${g}|${month}`)!, others, margin.get(month)!);
        record('two-way cell vs one-way margin', truth.get(g)!.get(month)!, known, margin.get(month)! - others.reduce((a, b) => a + b, 0));
        expect(known.size === 1 && known.has(truth.get(g)!.get(month)!), `${g} ${month}`).toBe(false);
      }
    }
  });

  it('averaging over overlapping periods and levels, and repeating identical queries, pins down nothing', async () => {
    const year: [string, string] = [`${YEAR}-01-01`, `${YEAR}-12-31`];
    const first = await report('GMINA, MONTH', ...year);
    // Repeated identical queries give identical answers: nothing to average.
    for (let i = 0; i < 5; i += 1) expect(await report('GMINA, MONTH', ...year)).toEqual(first);
    const quarters = await Promise.all([0, 1, 2, 3].map((q) => report('GMINA', `${MONTHS[3 * q]}-01`, lastDay(MONTHS[3 * q + 2]))));
    const halves = await Promise.all([0, 1].map((h) => report('GMINA', `${MONTHS[6 * h]}-01`, lastDay(MONTHS[6 * h + 5]))));
    const years = await report('GMINA', ...year);
    for (const g of gminy) {
      for (const [m, month] of MONTHS.entries()) {
        const t = truth.get(g)!.get(month)!;
        // Every equation that holds this month; each gives an estimate and a set of values it allows.
        const groups: [Map<string, number>, string[]][] = [
          [quarters[Math.floor(m / 3)], MONTHS.slice(3 * Math.floor(m / 3), 3 * Math.floor(m / 3) + 3)],
          [halves[Math.floor(m / 6)], MONTHS.slice(6 * Math.floor(m / 6), 6 * Math.floor(m / 6) + 6)],
          [years, MONTHS],
        ];
        let known = S(first.get(`${g}|${month}`)!);
        const estimates = [first.get(`${g}|${month}`)!];
        for (const [totals, months] of groups) {
          const others = months.filter((x) => x !== month).map((x) => first.get(`${g}|${x}`)!);
          const allowed = feasible(null, others, totals.get(g)!);
          known = new Set([...known].filter((x) => allowed.has(x)));
          estimates.push(totals.get(g)! - others.reduce((a, b) => a + b, 0));
        }
        const mean = estimates.reduce((a, b) => a + b, 0) / estimates.length;
        record('averaging periods and the cell itself', t, known, Math.max(0, Math.round(mean)));
        expect(known.has(t), `${g} ${month}: the truth must stay possible`).toBe(true);
        expect(known.size === 1, `${g} ${month}`).toBe(false);
      }
    }
  });
});
