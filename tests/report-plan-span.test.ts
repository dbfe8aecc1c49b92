import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import pg from 'pg';
import { sessionVariables } from '../src/platform/auth/principal.js';
import { Role } from './support/app.js';

/**
 * Issue 18: residents served and active plans are read from report_plan_span, which triggers keep
 * (Migration20261208000100ReportPlanSpans, ...0110ReportPlanSpansSolo). After every kind of change
 * (plans added, closed and deleted, also under session_replication_role = replica as bulk loads
 * write them; a record merged into another) the table must be exactly what the records give, and
 * app.report must count what the old live query over ipus counted. Everything happens as the owner
 * in one transaction that is rolled back, so the shared database is left as it was.
 */
const GMINA = 1417082;
const YEAR = { from: '2025-01-01', to: '2025-12-31' };

/** Rows of report_plan_span that differ from a recomputation from ipus and resident, both ways. */
const DRIFT = `with truth as (
    select p.id as ipus_id, p.gmina_id, p.resident_id, coalesce(r.merged_into, r.id) as person,
      ('x' || substr(md5(sec.secret || coalesce(r.merged_into, r.id)::text), 1, 8))::bit(32)::bigint as person_key,
      p.activated_on, p.closed_on, count(*) over (partition by coalesce(r.merged_into, r.id)) = 1 as solo
    from ipus p join resident r on r.id = p.resident_id cross join report_secret sec where p.activated_on is not null),
  span as (select ipus_id, gmina_id, resident_id, person, person_key, activated_on, closed_on, solo from report_plan_span)
  select count(*)::int as n from ((select * from truth except all select * from span) union all (select * from span except all select * from truth)) d`;

/** Residents served and active plans in the gmina over the year, as the live query over ipus gave them before report_plan_span. */
const LIVE = `select
    (select count(distinct coalesce(r.merged_into, r.id)) from ipus p join resident r on r.id = p.resident_id
     where p.gmina_id = $1 and p.activated_on <= $3 and coalesce(p.closed_on, 'infinity'::date) >= $2)::int as served,
    (select count(*) from ipus p where p.gmina_id = $1 and p.activated_on <= $3 and coalesce(p.closed_on, 'infinity'::date) >= $2)::int as active`;

let owner: pg.Client;

beforeAll(async () => {
  owner = new pg.Client({ connectionString: inject('ownerUrl') });
  await owner.connect();
  await owner.query('begin');
});

afterAll(async () => {
  await owner.query('rollback');
  await owner.end();
});

const drift = async () => (await owner.query<{ n: number }>(DRIFT)).rows[0].n;
const spanOf = async (plan: string) =>
  (await owner.query<{ person: string; solo: boolean }>('select person, solo from report_plan_span where ipus_id = $1', [plan])).rows[0];

/** Copies a row of `table` with `changes` (every column the database does not make itself). */
async function copy(table: string, id: string, changes: Record<string, unknown>): Promise<void> {
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
}

let template: { plan: string; application: string; resident: string };

/** A new resident of the gmina (no PESEL, so no other record is the same person). */
async function resident(): Promise<string> {
  const id = randomUUID();
  await copy('resident', template.resident, { id, pesel: null, last_name: `Przęsłowa ${id.slice(0, 8)}`, merged_ids: [] });
  return id;
}

/** A plan of `residentId` active from `activatedOn` (open), with an application of its own. */
async function plan(residentId: string, activatedOn: string): Promise<string> {
  const ids = { application: randomUUID(), plan: randomUUID() };
  await copy('application', template.application, { id: ids.application, resident_id: residentId });
  await copy('ipus', template.plan, {
    id: ids.plan,
    resident_id: residentId,
    application_id: ids.application,
    status: 'ACTIVE',
    period_start: activatedOn,
    period_end: YEAR.to,
    activated_on: activatedOn,
    closed_on: null,
  });
  return ids.plan;
}

/** app.report's exact totals for the gmina, as its director reads them. */
async function reported(): Promise<{ served: number; active: number }> {
  await owner.query('savepoint as_director');
  for (const [name, value] of Object.entries(sessionVariables({ subject: 'span-test', role: Role.DIRECTOR, gminy: [GMINA], partnerId: null }))) {
    await owner.query('select set_config($1, $2, true)', [name, value]);
  }
  const total = async (measure: string) =>
    Number(
      (
        await owner.query<{ value: string }>(`select value::text from app.report($1, '{}', $2::date, $3::date, null) where keys = '{}'`, [
          measure,
          YEAR.from,
          YEAR.to,
        ])
      ).rows[0]?.value ?? 0,
    );
  const figures = { served: await total('RESIDENTS_SERVED'), active: await total('PLANS_ACTIVE') };
  await owner.query('rollback to savepoint as_director');
  return figures;
}

const live = async () => (await owner.query<{ served: number; active: number }>(LIVE, [GMINA, YEAR.from, YEAR.to])).rows[0];

describe('report_plan_span, kept by triggers', () => {
  beforeAll(async () => {
    [template] = (
      await owner.query<typeof template>(
        `select p.id as plan, p.application_id as application, p.resident_id as resident from ipus p
       where p.gmina_id = $1 and p.status = 'ACTIVE' order by p.id limit 1`,
        [GMINA],
      )
    ).rows;
  });

  it('matches the records as seeded', async () => {
    expect(await drift()).toBe(0);
    expect(await reported()).toEqual(await live());
  });

  it('follows plans added under replica, closed, reopened and deleted, with solo for a person of one plan only', async () => {
    await owner.query('savepoint load');
    await owner.query('set local session_replication_role = replica');
    const someone = await resident();
    const first = await plan(someone, '2025-02-01');
    const second = await plan(someone, '2025-05-01');
    expect(await drift()).toBe(0);
    expect([(await spanOf(first)).solo, (await spanOf(second)).solo]).toEqual([false, false]);
    expect(await reported()).toEqual(await live());

    await owner.query(`update ipus set closed_on = '2024-12-31', activated_on = '2024-03-01' where id = $1`, [first]);
    expect(await drift()).toBe(0);
    expect(await reported()).toEqual(await live());
    await owner.query(`update ipus set closed_on = null where id = $1`, [first]);
    await owner.query(`update ipus set coordinator_name = coordinator_name where id = $1`, [second]);
    expect(await drift()).toBe(0);

    await owner.query('delete from ipus where id = $1', [second]);
    expect(await drift()).toBe(0);
    expect((await spanOf(first)).solo).toBe(true);
    expect(await reported()).toEqual(await live());
    await owner.query('set local session_replication_role = origin');
    await owner.query('release savepoint load');
  });

  it("gives a merged record's plans to its survivor, counted once, and back when the merge is undone", async () => {
    await owner.query('savepoint merge');
    // The merge's own checks (PESEL, one centre) are not what this tests.
    await owner.query('set local session_replication_role = replica');
    const survivor = await resident();
    const merged = await resident();
    const kept = await plan(survivor, '2025-03-01');
    const moved = await plan(merged, '2025-04-01');
    const before = await reported();
    await owner.query(`update resident set merged_into = $1, merged_at = now(), merged_by = 'span-test', merge_reason = 'the same person' where id = $2`, [
      survivor,
      merged,
    ]);
    expect(await drift()).toBe(0);
    expect(await spanOf(moved)).toEqual({ person: survivor, solo: false });
    expect((await spanOf(kept)).solo).toBe(false);
    const after = await reported();
    expect(after).toEqual(await live());
    expect(after).toEqual({ served: before.served - 1, active: before.active });

    await owner.query(`update resident set merged_into = null, merged_at = null, merged_by = null, merge_reason = null where id = $1`, [merged]);
    expect(await drift()).toBe(0);
    expect(await spanOf(moved)).toEqual({ person: merged, solo: true });
    expect(await reported()).toEqual(before);
    await owner.query('set local session_replication_role = origin');
    await owner.query('release savepoint merge');
  });
});
