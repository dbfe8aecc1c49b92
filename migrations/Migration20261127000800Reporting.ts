import { Migration } from '@mikro-orm/migrations';
import { CUS_STAFF, enableRls, inScope, policy, roleIn } from './rls.js';
import { sqlList } from './Migration20261123000200Catalogue.js';

/** The smallest count of persons a ministry principal ever reads (DOMAIN.md, "Reports"). */
export const MIN_SUPPRESSION_THRESHOLD = 5;
/** Measures that count persons (an application, a plan, a resident each stand for one): suppressed below the threshold for the ministry. */
export const PERSON_MEASURES = [
  'APPLICATIONS_RECEIVED',
  'APPLICATIONS_QUALIFIED',
  'APPLICATIONS_REFUSED',
  'APPLICATIONS_FORWARDED',
  'PLANS_PREPARED',
  'PLANS_ACTIVATED',
  'PLANS_COMPLETED',
  'PLANS_TERMINATED',
  'PLANS_ACTIVE',
  'RESIDENTS_SERVED',
  'DAYS_TO_PLAN_MEDIAN',
  'DAYS_TO_PLAN_P90',
];

/**
 * Reporting (ARCHITECTURE.md, "Reporting"): aggregates for gmina dashboards and ministry reports.
 *
 * `report_fact` holds counts and sums only, per gmina, month and a few attributes (a service area,
 * a target group, a partner and its kind, or a CUS unit's creation mode), rebuilt from the
 * records by `app.refresh_reports()` (the server runs it on a schedule; see README, "Reports").
 * Every fact row is fully attributed, so facts add up along every dimension.
 *
 * Staff and gmina officials read the facts of their gminy. A MINISTRY principal reads no table at
 * all: its one door is `app.report(...)`, which groups over every gmina and returns a count of
 * persons below the threshold as null. No function or view it can reach returns a row about a person.
 */
export class Migration20261127000800Reporting extends Migration {
  override up(): void {
    this.addSql(`create table report_fact (
      measure text not null,
      gmina_id integer not null references gmina (id),
      month date,
      area text not null default '',
      target_group text not null default '',
      kind text not null default '',
      partner_id uuid,
      value numeric(16, 2) not null
    )`);
    this.addSql(`create index report_fact_measure_idx on report_fact (measure, month, gmina_id)`);
    this.addSql(`create index report_fact_gmina_idx on report_fact (gmina_id)`);
    for (const sql of enableRls('report_fact')) this.addSql(sql);
    this.addSql(
      policy({ table: 'report_fact', name: 'report_fact_read', command: 'select', using: `(${roleIn(...CUS_STAFF, 'GMINA_OFFICIAL')}) and ${inScope()}` }),
    );
    this.addSql(`grant select on report_fact to cus_app`);

    // Settings only the migrating role writes: the threshold cannot be lowered by a caller.
    this.addSql(`create table report_config (
      id integer primary key default 1 check (id = 1),
      threshold integer not null default ${MIN_SUPPRESSION_THRESHOLD} check (threshold >= ${MIN_SUPPRESSION_THRESHOLD}),
      refreshed_at timestamptz,
      refresh_ms integer
    )`);
    this.addSql(`insert into report_config (id) values (1)`);
    for (const sql of enableRls('report_config')) this.addSql(sql);
    // Nothing personal or per tenant: anyone reads when reports were rebuilt and the threshold; nobody but the owner writes.
    this.addSql(policy({ table: 'report_config', name: 'report_config_read', command: 'select', using: 'true' }));
    this.addSql(`grant select on report_config to cus_app`);

    // --- the rebuild: one transaction, so readers see the old facts or the new ones, never half.
    const month = (column: string) => `date_trunc('month', ${column})::date`;
    // fresh_enough: a scheduled rebuild skips when another instance rebuilt within it (they queue on the lock).
    this
      .addSql(`create function app.refresh_reports(fresh_enough interval default '0 seconds') returns void language plpgsql security definer set search_path = public, pg_temp as $$
      declare
        started timestamptz := clock_timestamp();
      begin
        if app.role() not in ('PLATFORM_ADMIN', 'REPORT_REFRESHER') then
          raise exception 'reports are rebuilt by the platform only' using errcode = '42501';
        end if;
        -- One rebuild at a time, whichever instance starts it.
        perform pg_advisory_xact_lock(hashtext('cus_report_refresh'));
        if (select refreshed_at > now() - fresh_enough from report_config) then
          return;
        end if;
        delete from report_fact;

        insert into report_fact (measure, gmina_id, month, value)
        select 'APPLICATIONS_RECEIVED', gmina_id, ${month('filed_on')}, count(*) from application group by 2, 3;
        insert into report_fact (measure, gmina_id, month, value)
        select 'APPLICATIONS_' || status, gmina_id, ${month('decided_on')}, count(*) from application where status <> 'FILED' group by 1, 2, 3;

        insert into report_fact (measure, gmina_id, month, value)
        select 'PLANS_PREPARED', gmina_id, ${month('prepared_on')}, count(*) from ipus group by 2, 3;
        insert into report_fact (measure, gmina_id, month, value)
        select 'PLANS_ACTIVATED', gmina_id, ${month('activated_on')}, count(*) from ipus where activated_on is not null group by 2, 3;
        insert into report_fact (measure, gmina_id, month, value)
        select 'PLANS_' || status, gmina_id, ${month('closed_on')}, count(*) from ipus where status in ('COMPLETED', 'TERMINATED') group by 1, 2, 3;
        -- Days from application to plan, as a histogram (kind = the number of days): medians and
        -- percentiles of any grouping are read from it exactly.
        insert into report_fact (measure, gmina_id, month, kind, value)
        select 'DAYS_TO_PLAN', p.gmina_id, ${month('p.prepared_on')}, (p.prepared_on - a.filed_on)::text, count(*)
        from ipus p join application a on a.id = p.application_id group by 2, 3, 4;

        insert into report_fact (measure, gmina_id, month, area, kind, partner_id, value)
        select m.measure, d.gmina_id, ${month('d.delivered_on')}, s.area, coalesce(pa.kind, ''), d.partner_id,
          case m.measure when 'DELIVERIES' then count(*) else round(sum(d.duration_minutes) / 60.0, 2) end
        from delivery d
          join ipus_item i on i.id = d.ipus_item_id
          join service s on s.id = i.service_id
          left join partner pa on pa.id = d.partner_id
          cross join (values ('DELIVERIES'), ('DELIVERY_HOURS')) m(measure)
        where d.outcome = 'DELIVERED'
        group by m.measure, d.gmina_id, 3, s.area, pa.kind, d.partner_id;

        -- Stock measures, as they stand now (no month).
        insert into report_fact (measure, gmina_id, area, target_group, value)
        select 'SERVICES', g.gmina_id, s.area, t.target_group, count(*)
        from service s cross join unnest(s.gmina_ids) g(gmina_id) cross join unnest(s.target_groups) t(target_group)
        where s.status = 'ACTIVE' group by 2, 3, 4;
        insert into report_fact (measure, gmina_id, area, value)
        select 'SERVICES_BY_AREA', g.gmina_id, s.area, count(*)
        from service s cross join unnest(s.gmina_ids) g(gmina_id) where s.status = 'ACTIVE' group by 2, 3;
        insert into report_fact (measure, gmina_id, kind, value)
        select 'CUS_UNITS', gmina_id, creation_mode, count(*) from cus_unit group by 2, 3;
        insert into report_fact (measure, gmina_id, kind, partner_id, value)
        select m.measure, c.gmina_id, p.kind, c.partner_id, sum(case m.measure when 'COMMISSION_BUDGET' then c.budget else coalesce(c.budget_used, 0) end)
        from commission c join partner p on p.id = c.partner_id
          cross join (values ('COMMISSION_BUDGET'), ('COMMISSION_BUDGET_USED')) m(measure)
        where c.status in ('ACTIVE', 'SUSPENDED', 'COMPLETED') and c.budget is not null group by 1, 2, 3, 4;
        insert into report_fact (measure, gmina_id, kind, value)
        select 'PARTNERS', g.gmina_id, p.kind, count(*) from partner p cross join unnest(p.gmina_ids) g(gmina_id) where p.status = 'ACTIVE' group by 2, 3;

        update report_config set refreshed_at = now(), refresh_ms = (extract(epoch from clock_timestamp() - started) * 1000)::int;
      end $$`);

    // --- the one door to reports: a grouping of one measure over the caller's scope. A MINISTRY
    // principal's scope is every gmina, and its counts of persons below the threshold come back null.
    this.addSql(`create function app.report(measure text, dims text[], from_day date, to_day date, only_gminy int[] default null)
      returns table (keys text[], value numeric, suppressed boolean)
      -- keys: one per dimension asked for; null where the row is a total over that dimension.
      language plpgsql stable security definer set search_path = public, pg_temp as $$
      declare
        ministry boolean := app.role() = 'MINISTRY';
        scope int[];
        threshold integer := (select c.threshold from report_config c);
        person_count boolean := measure in (${sqlList(PERSON_MEASURES)});
        base_measure boolean := measure in ('RESIDENTS_SERVED', 'PLANS_ACTIVE');
        exprs text[] := '{}';
        expr text;
        dim text;
        key_sql text;
        sets text;
        day_sets text;
        source text;
      begin
        if ministry then
          scope := null;
        elsif app.role() in (${sqlList([...CUS_STAFF, 'GMINA_OFFICIAL'])}) then
          scope := app.gminy();
        else
          raise exception 'reports are for CUS staff, gmina officials and the ministry' using errcode = '42501';
        end if;
        -- A ministry report is always national: totals of chosen sets of gminy, subtracted from each other, would undo suppression.
        if ministry and only_gminy is not null then
          raise exception 'ministry reports cover every gmina' using errcode = '42501';
        end if;
        if only_gminy is not null then
          scope := case when scope is null then only_gminy else array(select unnest(scope) intersect select unnest(only_gminy)) end;
        end if;
        foreach dim in array coalesce(dims, '{}') loop
          expr := case dim
            when 'COUNTRY' then quote_literal('PL') when 'WOJEWODZTWO' then 'g.wojewodztwo_code::text' when 'POWIAT' then 'g.powiat_code::text'
            when 'GMINA' then 'g.terc::text' when 'GMINA_KIND' then 'g.kind'
            when 'AREA' then 'f.area' when 'TARGET_GROUP' then 'f.target_group' when 'PARTNER_KIND' then 'f.kind'
            when 'CREATION_MODE' then 'f.kind' when 'PARTNER' then 'coalesce(f.partner_id::text, '''')' when 'MONTH' then 'to_char(f.month, ' || quote_literal('YYYY-MM') || ')' end;
          if expr is null or (base_measure and (expr like 'f.%' or dim = 'MONTH')) then
            raise exception 'dimension % does not apply to %', dim, measure using errcode = '22023';
          end if;
          exprs := exprs || expr;
        end loop;
        key_sql := 'array[' || array_to_string(exprs, ', ') || ']::text[]';
        -- Every level of the table in one scan: the cells, the totals per value of each dimension,
        -- and the grand total. A dimension summed over comes back as null in the keys.
        sets := case coalesce(array_length(exprs, 1), 0)
          when 0 then '()'
          when 1 then format('(%s), ()', exprs[1])
          else format('(%s, %s), (%s), (%s), ()', exprs[1], exprs[2], exprs[1], exprs[2]) end;
        -- The same levels, each split by the number of days (the histogram the percentiles are read from).
        day_sets := case coalesce(array_length(exprs, 1), 0)
          when 0 then '(f.kind::int)'
          when 1 then format('(%s, f.kind::int), (f.kind::int)', exprs[1])
          else format('(%s, %s, f.kind::int), (%s, f.kind::int), (%s, f.kind::int), (f.kind::int)', exprs[1], exprs[2], exprs[1], exprs[2]) end;

        if base_measure then
          source := format($q$select %s as k, count(%s)::numeric as v, count(*) as n from ipus f join gmina g on g.id = f.gmina_id
            where f.activated_on <= $2 and coalesce(f.closed_on, 'infinity'::date) >= $1 and ($3 is null or f.gmina_id = any ($3))
            group by grouping sets (%s)$q$,
            key_sql, case measure when 'RESIDENTS_SERVED' then 'distinct f.resident_id' else '*' end, sets);
        elsif measure in ('DAYS_TO_PLAN_MEDIAN', 'DAYS_TO_PLAN_P90') then
          source := format($q$with h as (
              select %s as k, f.kind::int as days, sum(f.value) as n from report_fact f join gmina g on g.id = f.gmina_id
              where f.measure = 'DAYS_TO_PLAN' and f.month between date_trunc('month', $1)::date and $2 and ($3 is null or f.gmina_id = any ($3))
              group by grouping sets (%s)),
            c as (select k, days, sum(n) over (partition by k order by days) as cum, sum(n) over (partition by k) as total from h)
            select k, min(days) filter (where cum >= %s * total)::numeric as v, max(total) as n from c group by k$q$,
            key_sql, day_sets, case measure when 'DAYS_TO_PLAN_MEDIAN' then '0.5' else '0.9' end);
        else
          source := format($q$select %s as k, sum(f.value) as v, sum(f.value) as n from report_fact f join gmina g on g.id = f.gmina_id
            where f.measure = %L and (f.month is null or f.month between date_trunc('month', $1)::date and $2)
              and ($3 is null or f.gmina_id = any ($3)) group by grouping sets (%s)$q$, key_sql, measure, sets);
        end if;
        return query execute format('select s.k, case when %L and s.n < %s then null else s.v end, %L and s.n < %s from (%s) s',
          ministry and person_count, threshold, ministry and person_count, threshold, source)
          using from_day, to_day, scope;
      end $$`);
    this.addSql(`revoke execute on function app.report(text, text[], date, date, int[]) from public`);
    this.addSql(`grant execute on function app.report(text, text[], date, date, int[]) to cus_app`);
  }
}
