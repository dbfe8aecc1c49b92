import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { Role } from './support/app.js';
import { ownDemoDatabase, type OwnDatabase } from './support/own-database.js';
import { sessionVariables } from '../src/platform/auth/principal.js';
import { DOMINANCE_SHARE } from '../src/modules/report/report.ptable.js';
import { generateNational } from '../seeds/national.js';

/**
 * Issue 18, reports fast at full scale: app.report decides most protected cells of deliveries and
 * hours from per-row bounds (report_delivery_cell) instead of regrouping every person. Whatever path
 * it takes, each cell must be hidden exactly when the per-person judgement hides it: fewer distinct
 * persons than the threshold, or one person more than the dominance share. Checked against that
 * judgement computed here from the person rows, for calendar periods of a small national dataset
 * over the demo (cells large enough for the bounds to decide) and several groupings, as the ministry
 * calling app.report as the application role.
 */
let db: OwnDatabase;
let owner: pg.Client;
let threshold = 0;

const DIMS: { dims: string[]; exprs: string[] }[] = [
  { dims: ['AREA'], exprs: ['f.area'] },
  { dims: ['POWIAT', 'AREA'], exprs: ['g.powiat_code::text', 'f.area'] },
  { dims: ['GMINA', 'PARTNER_KIND'], exprs: ['g.terc::text', 'f.kind'] },
];

async function asMinistry(sql: string, params: unknown[]) {
  const client = new pg.Client({ connectionString: db.appUrl });
  await client.connect();
  try {
    await client.query('begin');
    const settings = sessionVariables({ subject: 'test-ministry', role: Role.MINISTRY, gminy: [], partnerId: null });
    for (const [key, value] of Object.entries(settings)) await client.query('select set_config($1, $2, true)', [key, value]);
    return (await client.query(sql, params)).rows;
  } finally {
    await client.query('rollback').catch(() => undefined);
    await client.end();
  }
}

/** The cells of (dims, period) hidden by the per-person judgement, as 'key|key' strings, and how many cells there are. */
async function exactHidden(measure: string, exprs: string[], from: string, to: string) {
  const value = measure === 'DELIVERIES' ? 'sum(sessions)::numeric' : 'round(sum(minutes) / 60.0, 2)';
  const top = measure === 'DELIVERIES' ? 'max(sessions)::numeric' : 'round(max(minutes) / 60.0, 2)';
  // Every subset of the dimensions, as app.report's grouping sets give (the cells, the margins, the total).
  const sets =
    exprs.length === 0
      ? ['()']
      : exprs.length === 1
        ? [`(${exprs[0]}, f.person)`, '(f.person)']
        : [`(${exprs[0]}, ${exprs[1]}, f.person)`, `(${exprs[0]}, f.person)`, `(${exprs[1]}, f.person)`, '(f.person)'];
  const keys = `array[${exprs.join(', ')}]::text[]`;
  const rows = (
    await owner.query<{ k: (string | null)[]; hidden: boolean }>(
      `select k, count(*) < $3 or ${top} > ${DOMINANCE_SHARE} * ${value} as hidden
     from (select ${keys} as k, f.person, sum(f.sessions) as sessions, sum(f.minutes) as minutes
           from report_delivery_person f join gmina g on g.id = f.gmina_id
           where f.month between $1 and $2 group by grouping sets (${sets.join(', ')})) x
     group by k`,
      [from, to, threshold],
    )
  ).rows;
  return new Map(rows.map((r) => [r.k.map((k) => k ?? '*').join('|'), r.hidden]));
}

/** Whether the bounds of report_delivery_cell decide every cell of (dims, period) on their own, so that app.report takes them. */
async function decidedByBounds(exprs: string[], months: number, from: string) {
  const sets = exprs.length === 0 ? ['()'] : exprs.length === 1 ? [`(${exprs[0]})`, '()'] : [`(${exprs.join(', ')})`, `(${exprs[0]})`, `(${exprs[1]})`, '()'];
  const [{ decided, cells }] = (
    await owner.query<{ decided: string; cells: string }>(
      `select count(*) filter (where n_most < $3 or t_least > ${DOMINANCE_SHARE} * v or (n_least >= $3 and t_most <= ${DOMINANCE_SHARE} * v)) as decided, count(*) as cells
     from (select sum(f.sessions) as v, sum(f.persons) as n_most, max(f.persons) as n_least, max(f.top_sessions) as t_least, max(f.reach_sessions) as t_most
           from report_delivery_cell f join gmina g on g.id = f.gmina_id where f.months = $1 and f.month = $2
           group by grouping sets (${sets.join(', ')})) b`,
      [months, from, threshold],
    )
  ).rows;
  return Number(decided) === Number(cells);
}

/** Every calendar month, quarter, half-year and year with deliveries. */
async function periods() {
  const rows = (
    await owner.query<{ months: number; from: string; to: string }>(
      `select distinct p.months, to_char(f.month, 'YYYY-MM-DD') as "from", to_char((f.month + make_interval(months => p.months) - interval '1 day')::date, 'YYYY-MM-DD') as "to"
     from report_delivery_cell f join (values (1), (3), (6), (12)) p(months) on p.months = f.months
     order by 2, 1`,
    )
  ).rows;
  return rows;
}

beforeAll(async () => {
  db = await ownDemoDatabase('report_bounds');
  await generateNational(db.ownerUrl, { scale: 0.005, seed: 1, today: '2026-12-07' });
  owner = new pg.Client({ connectionString: db.ownerUrl });
  await owner.connect();
  await owner.query(`select set_config('app.role', 'PLATFORM_ADMIN', false)`);
  await owner.query('select app.refresh_reports()');
  threshold = (await owner.query<{ threshold: number }>('select threshold from report_config')).rows[0].threshold;
}, 300_000);
afterAll(async () => {
  await owner?.end();
  await db?.drop();
});

describe('a protected cell of deliveries or hours is hidden exactly as its persons decide', () => {
  it('for every calendar period and several groupings, whether the bounds or the persons decide it', async () => {
    const all = await periods();
    expect(all.length).toBeGreaterThan(4);
    let compared = 0;
    let hidden = 0;
    let decided = 0;
    for (const { months, from, to } of all) {
      for (const { dims, exprs } of DIMS) {
        if (await decidedByBounds(exprs, months, from)) decided += 1;
        for (const measure of ['DELIVERIES', 'DELIVERY_HOURS']) {
          const exact = await exactHidden(measure, exprs, from, to);
          const published = await asMinistry('select keys, suppressed from app.report($1, $2, $3, $4)', [measure, dims, from, to]);
          expect(published.length).toBe(exact.size);
          for (const row of published as { keys: (string | null)[]; suppressed: boolean }[]) {
            const key = row.keys.map((k) => k ?? '*').join('|');
            // Complementary suppression is the API's, not app.report's: app.report hides exactly these.
            expect({ measure, dims, from, to, key, hidden: row.suppressed }).toEqual({ measure, dims, from, to, key, hidden: exact.get(key) });
            compared += 1;
            if (row.suppressed) hidden += 1;
          }
        }
      }
    }
    // The check is not vacuous: cells both hidden and shown, and reports the bounds decide alone.
    expect(hidden).toBeGreaterThan(0);
    expect(compared - hidden).toBeGreaterThan(0);
    expect(decided).toBeGreaterThan(0);
  }, 300_000);
});
