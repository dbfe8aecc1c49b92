import { Migration } from '@mikro-orm/migrations';
import { WEEKDAYS, sqlList } from './Migration20261123000200Catalogue.js';

/**
 * Plan statuses whose weekly items have visits to come. Approved and active plans are being
 * delivered; a draft or a plan awaiting approval shows the dates it would bring, because the
 * coordinator arranges them with the resident and the provider before approval. A completed or
 * terminated plan has no visits to come.
 */
export const PLAN_STATUSES_WITH_VISITS = ['DRAFT', 'AWAITING_APPROVAL', 'APPROVED', 'ACTIVE'];

/**
 * The next scheduled visits of a plan item (issue 7): `ipus_item_next_visits(item, n)` returns the
 * first `n` days from today in Poland (inclusive) within the item's dates and the plan's period
 * whose weekday is one of the item's weekdays. Items given as a number of sessions have no fixed
 * days and return none.
 *
 * The name and the row as first argument make it a computed column `nextVisits` for PostGraphile, so
 * both servers of the benchmark answer with this one SQL. It runs with the caller's rights: the plan
 * is read under row-level security, so a caller who cannot see the plan gets no dates. Every 7
 * consecutive days hold each weekday once, so the n-th visit lies within 7n days of the first day:
 * the series stops there instead of running to the item's end.
 */
export class Migration20261127000900NextVisits extends Migration {
  override up(): void {
    this.addSql(`create function public.ipus_item_next_visits(item public.ipus_item, n integer) returns setof date
      language sql stable parallel safe as $$
        select w.first_day + k
        from public.ipus p
          cross join lateral (select greatest(item.start_on, p.period_start, (now() at time zone 'Europe/Warsaw')::date) as first_day,
            least(item.end_on, p.period_end) as last_day) w
          cross join lateral generate_series(0, least(w.last_day - w.first_day, 7 * n - 1)) k
        where p.id = item.ipus_id
          and p.status in (${sqlList(PLAN_STATUSES_WITH_VISITS)})
          and (array[${sqlList(WEEKDAYS)}])[extract(isodow from w.first_day + k)::int] = any (item.weekdays)
        order by k
        limit greatest(n, 0)
      $$`);
    this.addSql(`revoke execute on function public.ipus_item_next_visits(public.ipus_item, integer) from public`);
    this.addSql(`grant execute on function public.ipus_item_next_visits(public.ipus_item, integer) to cus_app`);
  }
}
