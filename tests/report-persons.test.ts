import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { Role, startTestApp, type TestApp, type Who } from './support/app.js';
import { ownDemoDatabase, type OwnDatabase } from './support/own-database.js';
import { sessionVariables } from '../src/platform/auth/principal.js';

/**
 * Issue 18, the remaining gaps of ministry statistics: deliveries judged by the persons of each
 * published cell (threshold and dominance), calendar periods refused by the database itself, and a
 * merged record counted once with its survivor. Residents, plans, items and deliveries of 2023 are
 * made as the owner in Wiązowna, in a database of this suite's own, copying a demo plan's rows.
 */
const GMINA = '1417082';
const YEAR = '2023';
const MINISTRY: Who = { role: Role.MINISTRY };
const DIRECTOR: Who = { role: Role.DIRECTOR, gminy: [GMINA] };
const ADMIN: Who = { role: Role.PLATFORM_ADMIN };
const QUARTERS = [
  ['01-01', '03-31'],
  ['04-01', '06-30'],
  ['07-01', '09-30'],
  ['10-01', '12-31'],
].map(([from, to]) => ({ from: `${YEAR}-${from}`, to: `${YEAR}-${to}` }));

let db: OwnDatabase;
let app: TestApp;
/** Residents served in Wiązowna in 2023 before this suite's persons. */
let servedBefore = 0;

interface Made {
  resident: string;
}
/** A resident with an active plan for the year and an item delivered `sessions[month]` times (an hour each) in the months given. */
async function person(owner: pg.Client, sessions: Record<string, number>, mergedInto?: string): Promise<Made> {
  const [template] = (
    await owner.query<{ item: string; plan: string; application: string; resident: string }>(
      `select i.id as item, p.id as plan, p.application_id as application, p.resident_id as resident
     from ipus_item i join ipus p on p.id = i.ipus_id
     where i.provider_kind = 'PARTNER' and p.status = 'ACTIVE' and i.gmina_id = $1 order by i.id limit 1`,
      [Number(GMINA)],
    )
  ).rows;
  const ids = { resident: randomUUID(), application: randomUUID(), plan: randomUUID(), item: randomUUID() };
  const copy = async (table: string, id: string, changes: Record<string, unknown>) => {
    // Every column but those the database makes itself (generated, identity).
    const [{ columns }] = (
      await owner.query<{ columns: string }>(
        `select string_agg(quote_ident(attname), ', ' order by attnum) as columns from pg_attribute
      where attrelid = $1::regclass and attnum > 0 and not attisdropped and attgenerated = '' and attidentity <> 'a'`,
        [table],
      )
    ).rows;
    await owner.query(
      `insert into ${table} (${columns}) select ${columns} from jsonb_populate_record(null::${table},
      (select to_jsonb(t0) || $2::jsonb from ${table} t0 where t0.id = $1))`,
      [id, JSON.stringify(changes)],
    );
  };
  await owner.query('begin');
  try {
    // The rows copied are whole and consistent; the triggers that stamp and check them as the API writes them are off.
    await owner.query('set local session_replication_role = replica');
    await copy('resident', template.resident, {
      id: ids.resident,
      pesel: null,
      last_name: `Osobowa ${ids.resident.slice(0, 8)}`,
      merged_ids: [],
      ...(mergedInto ? { merged_into: mergedInto, merged_at: new Date().toISOString(), merged_by: 'test-director', merge_reason: 'the same person' } : {}),
    });
    await copy('application', template.application, { id: ids.application, resident_id: ids.resident });
    await copy('ipus', template.plan, {
      id: ids.plan,
      resident_id: ids.resident,
      application_id: ids.application,
      status: 'ACTIVE',
      period_start: `${YEAR}-01-01`,
      period_end: `${YEAR}-12-31`,
      activated_on: `${YEAR}-01-01`,
      closed_on: null,
    });
    await copy('ipus_item', template.item, { id: ids.item, ipus_id: ids.plan, start_on: `${YEAR}-01-01`, end_on: `${YEAR}-12-31` });
    for (const [month, count] of Object.entries(sessions)) {
      for (let day = 1; day <= count; day += 1) {
        await owner.query(
          `insert into delivery (gmina_id, ipus_item_id, commission_id, partner_id, delivered_on, starts_at, duration_minutes, outcome, recorded_by)
          select gmina_id, id, commission_id, partner_id, $2, '08:00', 60, 'DELIVERED', 'test-partner' from ipus_item where id = $1`,
          [ids.item, `${YEAR}-${month}-${String(day).padStart(2, '0')}`],
        );
      }
    }
    await owner.query('commit');
  } catch (error) {
    await owner.query('rollback');
    throw error;
  }
  return { resident: ids.resident };
}

const report = async (who: Who, measure: string, period: { from: string; to: string }) => {
  const field = who.role === Role.MINISTRY ? 'ministryReport' : 'gminaReport';
  const res = await app.gql(
    who,
    `{ ${field}(measure: ${measure}, groupBy: [GMINA], from: "${period.from}", to: "${period.to}") {
    cells { keys { code } value suppressed } total { value } } }`,
  );
  expect(res.body.errors).toBeUndefined();
  return res.body.data[field];
};
const cell = async (who: Who, measure: string, period: { from: string; to: string }) =>
  (await report(who, measure, period)).cells.find((c: any) => c.keys[0].code === GMINA);

/** app.report called directly as the application role under a principal's settings. */
async function asApp(who: { role: Role; gminy?: string[] }, sql: string, params: unknown[]) {
  const client = new pg.Client({ connectionString: db.appUrl });
  await client.connect();
  try {
    await client.query('begin');
    const settings = sessionVariables({ subject: `test-${who.role}`, role: who.role, gminy: (who.gminy ?? []).map(Number), partnerId: null });
    for (const [key, value] of Object.entries(settings)) await client.query('select set_config($1, $2, true)', [key, value]);
    return (await client.query(sql, params)).rows;
  } finally {
    await client.query('rollback').catch(() => undefined);
    await client.end();
  }
}

beforeAll(async () => {
  db = await ownDemoDatabase('report_persons');
  app = await startTestApp({}, db.appUrl);
  servedBefore = (await report(DIRECTOR, 'RESIDENTS_SERVED', { from: `${YEAR}-01-01`, to: `${YEAR}-12-31` })).total.value;
  const owner = new pg.Client({ connectionString: db.ownerUrl });
  await owner.connect();
  try {
    // Q1: 6 persons, 2 a month, one session each: no rollup row has 5 persons, the quarter has 6.
    for (let k = 0; k < 6; k += 1) await person(owner, { [`0${1 + (k % 3)}`]: 1 });
    // Q2: 4 persons, one session each.
    for (let k = 0; k < 4; k += 1) await person(owner, { [`0${4 + (k % 3)}`]: 1 });
    // Q3: one person has 10 sessions a month (30 of 34); in July 4 others have one each beside them.
    await person(owner, { '07': 10, '08': 10, '09': 10 });
    for (let k = 0; k < 4; k += 1) await person(owner, { '07': 1 });
    // Q4: 5 records of 4 persons in October, one session each: the last record was merged into the fourth.
    for (let k = 0; k < 3; k += 1) await person(owner, { 10: 1 });
    const survivor = await person(owner, { 10: 1 });
    await person(owner, { 10: 1 }, survivor.resident);
  } finally {
    await owner.end();
  }
  expect((await app.gql(ADMIN, 'mutation { reportsRefresh { tookMs } }')).body.errors).toBeUndefined();
}, 300_000);
afterAll(async () => {
  await app?.close();
  await db?.drop();
});

describe('deliveries and hours are judged by the persons of each published cell', () => {
  it("the staff see every quarter exactly: the suite's sessions only", async () => {
    const sessions = [];
    for (const quarter of QUARTERS) sessions.push((await cell(DIRECTOR, 'DELIVERIES', quarter)).value);
    expect(sessions).toEqual([6, 4, 34, 5]);
  });

  it('publishes a cell with the threshold of distinct persons, though no rollup row has as many', async () => {
    expect(await cell(MINISTRY, 'DELIVERIES', QUARTERS[0])).toMatchObject({ value: 6, suppressed: false });
    expect(await cell(MINISTRY, 'DELIVERY_HOURS', QUARTERS[0])).toMatchObject({ value: 6, suppressed: false });
    expect(await cell({ role: Role.GMINA_OFFICIAL, gminy: [GMINA] }, 'DELIVERY_HOURS', QUARTERS[0])).toMatchObject({ value: 6, suppressed: false });
  });

  it('hides a cell with fewer persons than the threshold', async () => {
    expect(await cell(MINISTRY, 'DELIVERIES', QUARTERS[1])).toMatchObject({ value: null, suppressed: true });
    expect(await cell(MINISTRY, 'DELIVERY_HOURS', QUARTERS[1])).toMatchObject({ value: null, suppressed: true });
  });

  it('hides a cell one person makes most of over the whole cell, though within each rollup row no one does', async () => {
    expect(await cell(MINISTRY, 'DELIVERIES', QUARTERS[2])).toMatchObject({ value: null, suppressed: true });
    expect(await cell(MINISTRY, 'DELIVERY_HOURS', QUARTERS[2])).toMatchObject({ value: null, suppressed: true });
    // The month where they are one of five is not dominated.
    expect(await cell(MINISTRY, 'DELIVERIES', { from: `${YEAR}-07-01`, to: `${YEAR}-07-31` })).toMatchObject({ value: 14, suppressed: false });
  });
});

describe('a merged record and its survivor are one person', () => {
  it('in the persons behind deliveries: 5 records of 4 persons are hidden', async () => {
    expect((await cell(DIRECTOR, 'DELIVERIES', QUARTERS[3])).value).toBe(5);
    expect(await cell(MINISTRY, 'DELIVERIES', QUARTERS[3])).toMatchObject({ value: null, suppressed: true });
  });

  it('in residents served: 20 records of 19 persons count 19', async () => {
    const served = await report(DIRECTOR, 'RESIDENTS_SERVED', { from: `${YEAR}-01-01`, to: `${YEAR}-12-31` });
    expect(served.total.value - servedBefore).toBe(19);
  });
});

describe('the database itself refuses a protected report over a period other than a calendar one', () => {
  const call = (who: { role: Role; gminy?: string[] }, from: string, to: string) =>
    asApp(who, `select * from app.report('APPLICATIONS_RECEIVED', '{GMINA}', $1, $2)`, [from, to]);
  const official = { role: Role.GMINA_OFFICIAL, gminy: [GMINA] };

  it('as raw SQL under the application role, for the ministry and a gmina official', async () => {
    for (const who of [{ role: Role.MINISTRY }, official]) {
      for (const [from, to] of [
        [`${YEAR}-01-15`, `${YEAR}-03-31`],
        [`${YEAR}-01-01`, `${YEAR}-03-30`],
        [`${YEAR}-01-01`, `${YEAR}-02-28`],
        [`${YEAR}-02-01`, `${YEAR}-04-30`],
        [`${YEAR}-04-01`, `${Number(YEAR) + 1}-03-31`],
        [`${YEAR}-01-01`, `${Number(YEAR) + 1}-12-31`],
        [`${YEAR}-03-01`, `${YEAR}-02-28`],
      ]) {
        await expect(call(who, from, to), `${who.role} ${from}..${to}`).rejects.toMatchObject({
          code: '22023',
          message: expect.stringMatching(/calendar month, quarter, half-year or year/),
        });
      }
      for (const [from, to] of [
        [`${YEAR}-02-01`, `${YEAR}-02-28`],
        [`${YEAR}-04-01`, `${YEAR}-06-30`],
        [`${YEAR}-07-01`, `${YEAR}-12-31`],
        [`${YEAR}-01-01`, `${YEAR}-12-31`],
      ]) {
        expect((await call(who, from, to)).length, `${who.role} ${from}..${to}`).toBeGreaterThan(0);
      }
    }
  });

  it('while staff, who see exact figures, still choose any period', async () => {
    expect((await call(DIRECTOR, `${YEAR}-01-15`, `${YEAR}-02-20`)).length).toBeGreaterThan(0);
  });
});
