import { Migration } from '@mikro-orm/migrations';

/** The years `app.public_holiday` holds; any other year's holidays are computed as before. */
export const HOLIDAY_TABLE_YEARS = { from: 1900, to: 2200 } as const;

/**
 * Public holidays read from a table instead of computed per call (issue 23). The dashboard's next
 * visits asked `app.public_holidays(year)` once per plan item (Easter by the computus, 14 dates), and
 * that was most of the 13 ms `ipus_item_next_visits` took over the Warsaw coordinator's 133 items.
 *
 * - `app.public_holiday`: every holiday of 1900..2200, from `app.public_holidays` itself (so
 *   tests/working-days.test.ts, which holds that function to the TypeScript one, holds the table too).
 *   Reference data of no gmina: in the `app` schema, read by the application role.
 * - `app.public_holidays_between(first, last)`: the holidays in a span, from the table, and computed for
 *   any year outside it. A SQL function of one query, which the planner inlines.
 * - `ipus_item_next_visits` and the partner's schedule (partner-work.queries.ts) take their holidays from it.
 */
export class Migration20261209001300HolidayTable extends Migration {
  override up(): void {
    const { from, to } = HOLIDAY_TABLE_YEARS;
    this.addSql(`create table app.public_holiday (day date primary key)`);
    this.addSql(`insert into app.public_holiday (day) select d from generate_series(${from}, ${to}) y, app.public_holidays(y) d`);
    this.addSql(`grant select on app.public_holiday to cus_app`);
    this.addSql(`create function app.public_holidays_between(first_day date, last_day date) returns setof date
      language sql stable parallel safe as $$
        select h.day from app.public_holiday h where h.day between first_day and last_day
        union all
        select d from generate_series(extract(year from first_day)::int, extract(year from last_day)::int) y
          cross join lateral app.public_holidays(y) d
        where (y < ${from} or y > ${to}) and d between first_day and last_day
      $$`);
    this.addSql(`grant execute on function app.public_holidays_between(date, date) to cus_app`);

    // As Migration20261209000500WorkingDays, with the holidays from the table.
    this.addSql(`create or replace function public.ipus_item_next_visits(item public.ipus_item, n integer) returns setof date
      language sql stable parallel safe as $$
        with w as (
          select greatest(item.start_on, p.period_start, (now() at time zone 'Europe/Warsaw')::date) as first_day,
            least(item.end_on, p.period_end) as last_day
          from public.ipus p
          where p.id = item.ipus_id and p.status in ('DRAFT', 'AWAITING_APPROVAL', 'APPROVED', 'ACTIVE')),
        off as (
          select h.day from w cross join lateral app.public_holidays_between(w.first_day, w.last_day) h(day)
          where not item.keeps_holidays
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
  }
}
