import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import pg from 'pg';
import { createDatabaseIfMissing, dropDatabase } from '../src/platform/database/database-setup.js';
import { withDatabase } from '../src/platform/database/urls.js';
import { migrateDatabase } from '../src/app.js';
import { createLogger } from '../src/platform/logger.js';
import { generateNational, type NationalCounts } from '../seeds/national.js';
import { testConfig } from './support/app.js';

/**
 * The national-scale generator (seeds/national.ts) at a small scale, in databases of its own (one
 * per seed, beside this file's demo database): deterministic
 * for a seed, different for another, shaped like Poland, and consistent with the reports built on it.
 */
const SCALE = 0.002;
const TODAY = '2026-11-27';
const ownerUrl = inject('ownerUrl');
const names = ['a', 'b', 'c'].map((x) => `${new URL(ownerUrl).pathname.slice(1)}_national_${x}`);
const urls = names.map((name) => withDatabase(ownerUrl, name));
const counts: NationalCounts[] = [];

async function query<T = Record<string, unknown>>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows as T[];
  } finally {
    await client.end();
  }
}

/** A fingerprint of the generated rows: ids and the values reports read. */
const FINGERPRINT = `select
  (select md5(string_agg(id::text || gmina_id || last_name || coalesce(birth_date::text, ''), ',' order by id)) from resident) as residents,
  (select md5(string_agg(id::text || status || prepared_on || period_end, ',' order by id)) from ipus) as plans,
  (select md5(string_agg(id::text || delivered_on || outcome || duration_minutes, ',' order by id)) from delivery) as deliveries`;

beforeAll(async () => {
  const log = createLogger('silent');
  for (const [i, url] of urls.entries()) {
    await createDatabaseIfMissing(ownerUrl, names[i]);
    await migrateDatabase(url, testConfig.appDbPassword, log);
    counts.push(await generateNational(url, { scale: SCALE, seed: i < 2 ? 42 : 43, today: TODAY }));
  }
}, 240_000);
afterAll(async () => {
  for (const name of names) await dropDatabase(ownerUrl, name).catch(() => undefined);
});

describe('the national-scale generator', () => {
  it('gives the same rows, ids included, for the same seed, and others for another seed', async () => {
    const [a, b, c] = await Promise.all(urls.map((url) => query(url, FINGERPRINT)));
    expect(a).toEqual(b);
    expect(counts[0]).toMatchObject({ ...counts[1], ms: counts[0].ms });
    expect(c[0].residents).not.toBe(a[0].residents);
    expect(c[0].deliveries).not.toBe(a[0].deliveries);
  });

  it('covers all of Poland, with units for a share of the gminy, some serving two, and big cities much larger', async () => {
    const [shape] = await query<Record<string, string>>(
      urls[0],
      `select
      (select count(*) from gmina) as gminy,
      (select count(*) from cus_unit) as units,
      (select count(*) from cus_unit where cardinality(served_gmina_ids) > 1) as shared,
      (select count(distinct substr(lpad(gmina_id::text, 7, '0'), 1, 2)) from cus_unit) as wojewodztwa,
      (select count(*) from resident where gmina_id = 1465011) as warsaw,
      (select max(n) from (select count(*) as n from resident where gmina_id <> 1465011 group by gmina_id) x) as next,
      (select percentile_cont(0.5) within group (order by n) from (select count(*) as n from resident r join gmina g on g.id = r.gmina_id
         where g.kind = 'RURAL' group by r.gmina_id) x) as rural_median`,
    );
    expect(Number(shape.gminy)).toBe(2477);
    expect(Number(shape.units)).toBeGreaterThan(450);
    expect(Number(shape.units)).toBeLessThan(800);
    expect(Number(shape.shared)).toBeGreaterThan(10);
    expect(Number(shape.wojewodztwa)).toBe(16);
    expect(Number(shape.warsaw)).toBeGreaterThan(4 * Number(shape.next));
    expect(Number(shape.next)).toBeGreaterThan(10 * Number(shape.rural_median));
    expect(counts[0].residents).toBeGreaterThan(1_000_000 * SCALE * 0.9);
    expect(counts[0].plans).toBeGreaterThan(counts[0].residents * 0.25);
    expect(counts[0].deliveries).toBeGreaterThan(counts[0].plans * 20);
  });

  it("leaves consistent data: plans within the law's bounds, deliveries within their items, commissions within their terms, reports that add up", async () => {
    const [check] = await query<Record<string, string>>(
      urls[0],
      `select
      (select count(*) from delivery d join ipus_item i on i.id = d.ipus_item_id join ipus p on p.id = i.ipus_id
         where d.delivered_on not between greatest(i.start_on, p.activated_on) and least(i.end_on, coalesce(p.closed_on, date '${TODAY}'))
            or d.partner_id <> i.partner_id or d.commission_id <> i.commission_id or d.delivered_on >= date '${TODAY}') as stray_deliveries,
      (select count(*) from ipus p join application a on a.id = p.application_id where p.prepared_on < a.decided_on or a.status <> 'QUALIFIED') as stray_plans,
      (select count(*) from commission where assigned_volume > volume or round(assigned_volume * unit_price, 2) > budget) as over_commissions,
      (select count(*) from delivery where outcome = 'DELIVERED') as delivered,
      (select sum(value) from report_fact where measure = 'DELIVERIES') as rolled_up`,
    );
    expect(check).toMatchObject({ stray_deliveries: '0', stray_plans: '0', over_commissions: '0' });
    // Every partner of a commission works with the gminy it serves, so it sees its assignments (app.partner_live_gminy).
    const [partners] = await query<{ unrelated: string }>(
      urls[0],
      `select count(*) as unrelated from commission c cross join unnest(c.gmina_ids) g
        where not exists (select 1 from partner_gmina r where r.partner_id = c.partner_id and r.gmina_id = g and r.status = 'ACTIVE')`,
    );
    expect(partners.unrelated).toBe('0');
    expect(Number(check.rolled_up)).toBe(Number(check.delivered));
    // The ministry's door over it: the same total, by województwo.
    const client = new pg.Client({ connectionString: urls[0] });
    await client.connect();
    try {
      // A director over every gmina reads the exact figures: the same total, by województwo.
      await client.query('begin');
      await client.query(`select set_config('app.role', 'DIRECTOR', true), set_config('app.gminy', (select string_agg(id::text, ',') from gmina), true)`);
      const { rows } = await client.query(
        `select sum(value)::int as total, count(*)::int as regions from app.report('DELIVERIES', '{WOJEWODZTWO}', '2020-01-01', '${TODAY}') where keys[1] is not null`,
      );
      await client.query('rollback');
      expect(rows[0]).toEqual({ total: Number(check.delivered), regions: 16 });
      // The ministry's door (calendar periods only) hides a magnitude with fewer persons than the threshold behind it (few at this scale), never shows more.
      await client.query('begin');
      await client.query(`select set_config('app.role', 'MINISTRY', true)`);
      const ministry = await client.query(
        `select coalesce(sum(value), 0)::int as shown, count(*)::int as regions from app.report('DELIVERIES', '{WOJEWODZTWO}', '${TODAY.slice(0, 4)}-01-01', '${TODAY.slice(0, 4)}-12-31') where keys[1] is not null`,
      );
      await client.query('rollback');
      expect(ministry.rows[0].regions).toBe(16);
      expect(ministry.rows[0].shown).toBeLessThanOrEqual(Number(check.delivered));
      // A partner with items assigned stands in its gminy, so its schedule is not empty (the bench's partner week reads it).
      await client.query('begin');
      await client.query(
        `select set_config('app.role', 'PARTNER', true), set_config('app.partner_id', (select partner_id::text from ipus_item where partner_id is not null order by id limit 1), true)`,
      );
      const live = await client.query(`select count(*)::int as gminy from app.partner_live_gminy()`);
      await client.query('rollback');
      expect(live.rows[0].gminy).toBeGreaterThan(0);
    } finally {
      await client.end();
    }
  });

  it('refuses to load twice into one database', async () => {
    await expect(generateNational(urls[0], { scale: SCALE, seed: 42, today: TODAY })).rejects.toThrow(/already in this database/);
  });
});
