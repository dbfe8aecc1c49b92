import { Migration } from '@mikro-orm/migrations';

/** The years `app.public_holiday` holds: every year a LocalDate can name (0001..9999). */
export const HOLIDAY_TABLE_YEARS = { from: 1, to: 9999 } as const;

/**
 * Public holidays read from a table instead of computed per call (issue 23). The dashboard's next
 * visits asked `app.public_holidays(year)` once per plan item (Easter by the computus, 14 dates), and
 * that was most of the 13 ms `ipus_item_next_visits` took over the Warsaw coordinator's 133 items.
 *
 * - `app.public_holiday`: every holiday of every year a date of the API can name (0001..9999; 136,000
 *   rows), from `app.public_holidays` itself; tests/working-days.test.ts holds both to the TypeScript
 *   holidays. Reference data of no gmina: in the `app` schema, read by the application role.
 * - `ipus_item_next_visits` and the partner's schedule (partner-work.queries.ts) read their holidays
 *   from it by an index range. Measured on the national dataset (scale 0.1, PostgreSQL 15), next visits
 *   of the dashboard's 133 Warsaw items: 16 ms of its statement before, 5 ms after (the same dates for
 *   all 75,477 items, 31 visits each). A fallback that computed years outside a shorter table, even
 *   one never taken, cost as much as computing: hence every year.
 */
export class Migration20261209001300HolidayTable extends Migration {
  override up(): void {
    const { from, to } = HOLIDAY_TABLE_YEARS;
    this.addSql(`create table app.public_holiday (day date primary key)`);
    this.addSql(`insert into app.public_holiday (day) select d from generate_series(${from}, ${to}) y, app.public_holidays(y) d`);
    this.addSql(`grant select on app.public_holiday to cus_app`);

    // As Migration20261209000500WorkingDays, with the holidays from the table, and the days off of an
    // item as an array: a set of them (a union, a NOT IN) is hashed at the size the planner estimates
    // for a range of the table (17,000 rows) on every call, which cost more than the holidays saved.
    // A day off both a holiday and closed counts twice in the bound, which only lengthens the series.
    this.addSql(`create or replace function public.ipus_item_next_visits(item public.ipus_item, n integer) returns setof date
      language sql stable parallel safe as $$
        with w as (
          select greatest(item.start_on, p.period_start, (now() at time zone 'Europe/Warsaw')::date) as first_day,
            least(item.end_on, p.period_end) as last_day
          from public.ipus p
          where p.id = item.ipus_id and p.status in ('DRAFT', 'AWAITING_APPROVAL', 'APPROVED', 'ACTIVE')),
        off as (
          select coalesce(array_agg(d.day), '{}') as days from (
            select h.day from w join app.public_holiday h on h.day between w.first_day and w.last_day
            where not item.keeps_holidays
            union all
            select c.day from w join public.gmina_closed_day c on c.gmina_id = item.gmina_id and c.day between w.first_day and w.last_day
            where not item.keeps_holidays) d)
        select w.first_day + k
        from w cross join off cross join lateral generate_series(0, least(w.last_day - w.first_day, 7 * (n + cardinality(off.days)) - 1)) k
        where (array['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'])[extract(isodow from w.first_day + k)::int] = any (item.weekdays)
          and (w.first_day + k) <> all (off.days)
        order by k
        limit greatest(n, 0)
      $$`);
  }
}
