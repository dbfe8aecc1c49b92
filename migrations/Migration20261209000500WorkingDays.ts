import { Migration } from '@mikro-orm/migrations';
import { CLOSED_DAY_KEEPERS } from '../src/modules/calendar/calendar-roles.js';
import { CHRISTMAS_EVE_FROM, EPIPHANY_FROM } from '../src/modules/calendar/public-holidays.js';
import { enableRls, managedBy, policy, staffReads } from './rls.js';

/**
 * Working days (issue 20, "Working days"; DOMAIN.md, "Decisions, fees and working days").
 *
 * - `app.public_holidays(year)`: the Polish public holidays of a year, computed (Gregorian computus for
 *   Easter) exactly as src/modules/calendar/public-holidays.ts does; tests/working-days.test.ts compares
 *   the two over 1900..2200. `app.is_public_holiday(day)` and `app.is_day_off(gmina, day)` (a holiday, or
 *   a day the gmina declared closed) build on it.
 * - `gmina_closed_day`: days a gmina closes (its offices and the CUS's own services), with the reason.
 *   Staff and officials of the gmina read them, its DIRECTOR declares and withdraws them, and a partner
 *   reads those of the gminy where it stands (app.partner_live_gminy), which its schedule skips.
 * - `ipus_item.keeps_holidays`: an item whose visits go on on holidays and closed days (24-hour care).
 * - `ipus_item_next_visits` skips days off unless the item keeps them; `partner_assignment` shows
 *   keeps_holidays, so the partner's schedule skips them the same way.
 */
export class Migration20261209000500WorkingDays extends Migration {
  override up(): void {
    this.addSql(`create function app.public_holidays(year integer) returns setof date
      language sql immutable parallel safe as $$
        with c as (
          select year % 19 as a, year / 100 as b, year % 100 as c),
        d as (
          select a, b, c, b / 4 as d, b % 4 as e, (b - (b + 8) / 25 + 1) / 3 as g from c),
        h as (
          select a, c, e, (19 * a + b - d - g + 15) % 30 as h from d),
        l as (
          select a, h, (32 + 2 * e + 2 * (c / 4) - h - (c % 4)) % 7 as l from h),
        easter as (
          select make_date(year, (h + l - 7 * ((a + 11 * h + 22 * l) / 451) + 114) / 31,
            (h + l - 7 * ((a + 11 * h + 22 * l) / 451) + 114) % 31 + 1) as sunday from l)
        select day from (
          select make_date(year, 1, 1) as day
          union all select make_date(year, 1, 6) where year >= ${EPIPHANY_FROM}
          union all select sunday from easter
          union all select sunday + 1 from easter
          union all select make_date(year, 5, 1)
          union all select make_date(year, 5, 3)
          union all select sunday + 49 from easter
          union all select sunday + 60 from easter
          union all select make_date(year, 8, 15)
          union all select make_date(year, 11, 1)
          union all select make_date(year, 11, 11)
          union all select make_date(year, 12, 24) where year >= ${CHRISTMAS_EVE_FROM}
          union all select make_date(year, 12, 25)
          union all select make_date(year, 12, 26)) days
        order by day
      $$`);
    this.addSql(`create function app.is_public_holiday(day date) returns boolean
      language sql immutable parallel safe as $$
        select day in (select app.public_holidays(extract(year from day)::int))
      $$`);

    this.addSql(`create table gmina_closed_day (
      id uuid primary key default gen_random_uuid(),
      gmina_id integer not null references gmina (id),
      day date not null,
      reason text not null check (btrim(reason) <> ''),
      declared_by text not null,
      created_at timestamptz not null default now(),
      unique (gmina_id, day)
    )`);
    const table = 'gmina_closed_day';
    const manage = managedBy([...CLOSED_DAY_KEEPERS]);
    const partnerReads = `(select app.role()) = 'PARTNER' and gmina_id in (select g.gmina_id from app.partner_live_gminy() g)`;
    for (const sql of enableRls(table)) this.addSql(sql);
    this.addSql(policy({ table, name: `${table}_read`, command: 'select', using: `(${staffReads()}) or (${partnerReads})` }));
    this.addSql(policy({ table, name: `${table}_insert`, command: 'insert', check: `${manage} and declared_by = (select app.user_id())` }));
    this.addSql(policy({ table, name: `${table}_delete`, command: 'delete', using: manage }));
    this.addSql(`grant select, insert, delete on ${table} to cus_app`);

    // Runs with the caller's rights: a closed day counts only where the caller may read it.
    this.addSql(`create function app.is_day_off(gmina integer, day date) returns boolean
      language sql stable parallel safe as $$
        select app.is_public_holiday(day) or exists (select 1 from public.gmina_closed_day c where c.gmina_id = gmina and c.day = is_day_off.day)
      $$`);

    this.addSql(`alter table ipus_item add column keeps_holidays boolean not null default false`);

    // As Migration20261127000900NextVisits, and the days off skipped. Each 7 consecutive days hold each
    // weekday once, and each day off removes at most one visit, so the n-th visit lies within
    // 7 (n + days off in the item's span) days of the first day: the series stops there.
    this.addSql(`create or replace function public.ipus_item_next_visits(item public.ipus_item, n integer) returns setof date
      language sql stable parallel safe as $$
        with w as (
          select greatest(item.start_on, p.period_start, (now() at time zone 'Europe/Warsaw')::date) as first_day,
            least(item.end_on, p.period_end) as last_day
          from public.ipus p
          where p.id = item.ipus_id and p.status in ('DRAFT', 'AWAITING_APPROVAL', 'APPROVED', 'ACTIVE')),
        off as (
          select h.day from w cross join lateral generate_series(extract(year from w.first_day)::int, extract(year from w.last_day)::int) y
            cross join lateral app.public_holidays(y) h(day)
          where not item.keeps_holidays and h.day between w.first_day and w.last_day
          union
          select c.day from w join public.gmina_closed_day c on c.gmina_id = item.gmina_id and c.day between w.first_day and w.last_day
          where not item.keeps_holidays)
        select w.first_day + k
        from w cross join lateral generate_series(0, least(w.last_day - w.first_day, 7 * (n + (select count(*) from off)::int) - 1)) k
        where (array['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'])[extract(isodow from w.first_day + k)::int] = any (item.weekdays)
          and (w.first_day + k) not in (select day from off)
        order by k
        limit greatest(n, 0)
      $$`);

    // The partner's schedule reads whether an item keeps holidays; the rest of the view stays as it is defined now.
    this.addSql(`do $$
      declare
        def text := pg_get_viewdef('partner_assignment'::regclass);
        last_column text := 'c.status AS commission_status';
      begin
        if position(last_column in def) = 0 then raise exception 'partner_assignment no longer ends with commission_status as expected'; end if;
        execute 'create or replace view partner_assignment with (security_barrier) as ' || replace(def, last_column, last_column || ', i.keeps_holidays');
      end $$`);
  }
}
