import { Migration } from '@mikro-orm/migrations';
import { CUS_STAFF } from './rls.js';
import { sqlList } from './Migration20261123000200Catalogue.js';
import { CELL_KEY_MODULUS, DOMINANCE_SHARE } from '../src/modules/report/report.ptable.js';
import { MAGNITUDE_MEASURES, PERIOD_MONTHS, PERTURBED_MEASURES, PROTECTED_ROLES } from '../src/modules/report/report.protection.js';

/** The person a resident's record stands for: the surviving record of a merge, or the record itself. */
const person = (resident: string) => `coalesce(${resident}.merged_into, ${resident}.id)`;
/** A person's permanent record key in [0, 2^32), as Migration20261207000600ReportCellKey defines it, of the person's surviving record. */
const recordKey = (personId: string) => `('x' || substr(md5(sec.secret || ${personId}::text), 1, 8))::bit(32)::bigint`;
const month = (column: string) => `date_trunc('month', ${column})::date`;

/**
 * Issue 20, reports that backdating cannot move:
 *
 * 1. PLANS_PREPARED and DAYS_TO_PLAN (its median and 90th percentile) count a plan in the month it
 *    was really prepared and to that day: ipus.recorded_on (Migration20261209000100IpusRecordedOn),
 *    not the declared prepared_on.
 * 2. PLANS_TERMINATED by TERMINATION_REASON: the rollup keys each termination by its coded reason
 *    (ipus.termination_code, Migration20261209000200TerminationCode; OTHER where none), in report_fact.kind.
 *
 * app.refresh_reports is redefined whole from Migration20261207001010ReportsFastAgain, app.report
 * from Migration20261208000110ReportPlanSpansSolo; nothing else changes.
 */
export class Migration20261209000900ReportRecordedPlans extends Migration {
  override up(): void {
    const M = CELL_KEY_MODULUS;
    this
      .addSql(`create or replace function app.refresh_reports(fresh_enough interval default '0 seconds') returns void language plpgsql security definer set search_path = public, pg_temp as $$
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
        delete from report_delivery_person;
        delete from report_delivery_period;
        delete from report_delivery_cell;

        -- Counts of persons: each row keeps how many persons and the sum of their record keys
        -- (of the surviving record: a merged record and its survivor are one person).
        insert into report_fact (measure, gmina_id, month, value, persons, key_sum)
        select 'APPLICATIONS_RECEIVED', a.gmina_id, ${month('a.filed_on')}, count(*), count(distinct ${person('r')}), sum(${recordKey(person('r'))}) % ${M}
        from application a join resident r on r.id = a.resident_id cross join report_secret sec group by 2, 3;
        insert into report_fact (measure, gmina_id, month, value, persons, key_sum)
        select 'APPLICATIONS_' || a.status, a.gmina_id, ${month('a.decided_on')}, count(*), count(distinct ${person('r')}), sum(${recordKey(person('r'))}) % ${M}
        from application a join resident r on r.id = a.resident_id cross join report_secret sec where a.status <> 'FILED' group by 1, 2, 3;

        insert into report_fact (measure, gmina_id, month, value, persons, key_sum)
        select 'PLANS_PREPARED', p.gmina_id, ${month('p.recorded_on')}, count(*), count(distinct ${person('r')}), sum(${recordKey(person('r'))}) % ${M}
        from ipus p join resident r on r.id = p.resident_id cross join report_secret sec group by 2, 3;
        insert into report_fact (measure, gmina_id, month, value, persons, key_sum)
        select 'PLANS_ACTIVATED', p.gmina_id, ${month('p.activated_on')}, count(*), count(distinct ${person('r')}), sum(${recordKey(person('r'))}) % ${M}
        from ipus p join resident r on r.id = p.resident_id cross join report_secret sec where p.activated_on is not null group by 2, 3;
        -- A termination keyed by its coded reason (kind; OTHER where none was coded).
        insert into report_fact (measure, gmina_id, month, kind, value, persons, key_sum)
        select 'PLANS_' || p.status, p.gmina_id, ${month('p.closed_on')},
          case when p.status = 'TERMINATED' then coalesce(p.termination_code, 'OTHER') else '' end,
          count(*), count(distinct ${person('r')}), sum(${recordKey(person('r'))}) % ${M}
        from ipus p join resident r on r.id = p.resident_id cross join report_secret sec where p.status in ('COMPLETED', 'TERMINATED') group by 1, 2, 3, 4;
        -- Days from application to plan, as a histogram (kind = the number of days): medians and
        -- percentiles of any grouping are read from it exactly. To the day the plan was really prepared.
        insert into report_fact (measure, gmina_id, month, kind, value)
        select 'DAYS_TO_PLAN', p.gmina_id, ${month('p.recorded_on')}, (p.recorded_on - a.filed_on)::text, count(*)
        from ipus p join application a on a.id = p.application_id group by 2, 3, 4;

        -- Deliveries per person (app.report judges each published cell by its own persons), then the
        -- magnitudes' rollup rows from them.
        insert into report_delivery_person (gmina_id, month, area, kind, partner_id, person, sessions, minutes)
        select d.gmina_id, ${month('d.delivered_on')}, s.area, coalesce(pa.kind, ''), d.partner_id, ${person('r')}, count(*), sum(d.duration_minutes)
        from delivery d
          join ipus_item i on i.id = d.ipus_item_id
          join ipus p on p.id = i.ipus_id
          join resident r on r.id = p.resident_id
          join service s on s.id = i.service_id
          left join partner pa on pa.id = d.partner_id
        where d.outcome = 'DELIVERED'
        group by 1, 2, 3, 4, 5, 6;
        -- The same per calendar quarter, half-year and year (month: the period's first), so that a
        -- protected report of a longer period regroups each person's period once, not month by month.
        insert into report_delivery_period (gmina_id, months, month, area, kind, partner_id, person, sessions, minutes)
        select x.gmina_id, p.months, make_date(extract(year from x.month)::int, (extract(month from x.month)::int - 1) / p.months * p.months + 1, 1),
          x.area, x.kind, x.partner_id, x.person, sum(x.sessions), sum(x.minutes)
        from report_delivery_person x cross join (values (3), (6), (12)) p(months)
        group by 1, 2, 3, 4, 5, 6, 7;
        insert into report_delivery_cell (gmina_id, months, month, area, kind, partner_id, sessions, minutes, persons, top_sessions, top_minutes, reach_sessions, reach_minutes)
        with per_person as (
            select gmina_id, 1 as months, month, area, kind, partner_id, person, sessions, minutes from report_delivery_person
            union all
            select gmina_id, months, month, area, kind, partner_id, person, sessions, minutes from report_delivery_period),
          whole as (select months, month, person, sum(sessions) as sessions, sum(minutes) as minutes from per_person group by 1, 2, 3)
        select x.gmina_id, x.months, x.month, x.area, x.kind, x.partner_id, sum(x.sessions), sum(x.minutes), count(*),
          max(x.sessions), max(x.minutes), max(w.sessions), max(w.minutes)
        from per_person x join whole w on w.months = x.months and w.month = x.month and w.person = x.person
        group by 1, 2, 3, 4, 5, 6;
        insert into report_fact (measure, gmina_id, month, area, kind, partner_id, value, persons, top)
        select m.measure, x.gmina_id, x.month, x.area, x.kind, x.partner_id,
          case m.measure when 'DELIVERIES' then sum(x.sessions) else round(sum(x.minutes) / 60.0, 2) end,
          count(*),
          case m.measure when 'DELIVERIES' then max(x.sessions) else round(max(x.minutes) / 60.0, 2) end
        from report_delivery_person x cross join (values ('DELIVERIES'), ('DELIVERY_HOURS')) m(measure)
        group by m.measure, 2, 3, 4, 5, 6;

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
        -- The same, statutory units only and the others only (the report's statutory filter).
        insert into report_fact (measure, gmina_id, kind, value)
        select case when statutory then 'CUS_UNITS_STATUTORY' else 'CUS_UNITS_NON_STATUTORY' end, gmina_id, creation_mode, count(*) from cus_unit group by 1, 2, 3;
        -- Budget used stands for services delivered to persons: it keeps how many persons its commissions served.
        -- A commission of an inter-municipal unit is the gminy's joint budget: each gmina the unit
        -- serves gets its share of the agreement (cus_unit.gmina_shares, in percent; equal when unset).
        insert into report_fact (measure, gmina_id, kind, partner_id, value, persons)
        select m.measure, a.gmina_id, p.kind, c.partner_id,
          round(sum(a.weight * case m.measure when 'COMMISSION_BUDGET' then c.budget else coalesce(c.budget_used, 0) end), 2),
          max((select count(distinct ${person('r')}) from ipus_item i join ipus pl on pl.id = i.ipus_id join resident r on r.id = pl.resident_id
               where i.commission_id = c.id))
        from commission c join partner p on p.id = c.partner_id join cus_unit u on u.id = c.cus_unit_id
          cross join lateral (
            select g as gmina_id, coalesce((u.gmina_shares ->> g::text)::numeric / 100, 1.0 / cardinality(u.served_gmina_ids)) as weight
            from unnest(u.served_gmina_ids) g where u.creation_mode = 'INTERMUNICIPAL_AGREEMENT'
            union all select c.gmina_id, 1 where u.creation_mode <> 'INTERMUNICIPAL_AGREEMENT') a
          cross join (values ('COMMISSION_BUDGET'), ('COMMISSION_BUDGET_USED')) m(measure)
        where c.status in ('ACTIVE', 'SUSPENDED', 'COMPLETED') and c.budget is not null group by 1, 2, 3, 4;
        insert into report_fact (measure, gmina_id, kind, value)
        select 'PARTNERS', g.gmina_id, p.kind, count(*) from partner_gmina g join partner p on p.id = g.partner_id where g.status = 'ACTIVE' group by 2, 3;

        update report_config set refreshed_at = now(), refresh_ms = (extract(epoch from clock_timestamp() - started) * 1000)::int;
      end $$`);

    // --- the one door, redefined whole from Migration20261208000110: only TERMINATION_REASON is new.
    this.addSql(`create or replace function app.report(measure text, dims text[], from_day date, to_day date, only_gminy int[] default null)
      returns table (keys text[], value numeric, suppressed boolean)
      -- keys: one per dimension asked for; null where the row is a total over that dimension.
      language plpgsql stable security definer set search_path = public, pg_temp
      -- the per-person regrouping of a protected magnitude hashes in memory instead of spilling a sort
      set work_mem = '64MB' as $$
      declare
        who text := app.role();
        ministry boolean := app.role() = 'MINISTRY';
        -- Principals with no access to personal data: counts of persons perturbed, magnitudes protected.
        protect boolean := app.role() in (${sqlList(PROTECTED_ROLES)});
        cfg report_config;
        perturbed boolean := measure in (${sqlList(PERTURBED_MEASURES)});
        magnitude boolean := measure in (${sqlList(MAGNITUDE_MEASURES)});
        delivered boolean := measure in ('DELIVERIES', 'DELIVERY_HOURS');
        percentile boolean := measure in ('DAYS_TO_PLAN_MEDIAN', 'DAYS_TO_PLAN_P90');
        base_measure boolean := measure in ('RESIDENTS_SERVED', 'PLANS_ACTIVE');
        scope int[];
        months int;
        exprs text[] := '{}';
        expr text;
        dim text;
        key_sql text;
        sets text;
        person_sets text;
        day_sets text;
        source text;
        decided boolean;
      begin
        select * into cfg from report_config;
        if ministry then
          scope := null;
        elsif who in (${sqlList([...CUS_STAFF, 'GMINA_OFFICIAL'])}) then
          scope := app.gminy();
        else
          raise exception 'reports are for CUS staff, gmina officials and the ministry' using errcode = '42501';
        end if;
        -- A protected report covers the caller's whole scope: totals of chosen sets of gminy, subtracted from each other, would undo protection.
        if ministry and only_gminy is not null then
          raise exception 'ministry reports cover every gmina' using errcode = '42501';
        end if;
        if protect and only_gminy is not null then
          raise exception 'protected reports cover every gmina of the caller' using errcode = '42501';
        end if;
        -- A protected report covers a calendar month, quarter, half-year or year (a fixed table space:
        -- periods chosen freely would give overlapping totals to subtract and average), whoever calls.
        if protect then
          months := (extract(year from to_day)::int - extract(year from from_day)::int) * 12 + extract(month from to_day)::int - extract(month from from_day)::int + 1;
          if from_day is null or to_day is null or extract(day from from_day) <> 1
              or to_day <> (date_trunc('month', to_day) + interval '1 month' - interval '1 day')::date
              or months not in (${PERIOD_MONTHS.join(', ')}) or (extract(month from from_day)::int - 1) % months <> 0 then
            raise exception 'a protected report covers a calendar month, quarter, half-year or year, from its first day to its last; got %..%', from_day, to_day
              using errcode = '22023';
          end if;
        end if;
        if only_gminy is not null then
          scope := array(select unnest(scope) intersect select unnest(only_gminy));
        end if;
        foreach dim in array coalesce(dims, '{}') loop
          expr := case dim
            when 'COUNTRY' then 'left(g.name, 0) || ' || quote_literal('PL') when 'WOJEWODZTWO' then 'g.wojewodztwo_code::text' when 'POWIAT' then 'g.powiat_code::text'
            when 'GMINA' then 'g.terc::text' when 'GMINA_KIND' then 'g.kind'
            when 'AREA' then 'f.area' when 'TARGET_GROUP' then 'f.target_group' when 'PARTNER_KIND' then 'f.kind'
            when 'CREATION_MODE' then 'f.kind' when 'PARTNER' then 'coalesce(f.partner_id::text, '''')' when 'MONTH' then 'to_char(f.month, ' || quote_literal('YYYY-MM') || ')'
            when 'TERMINATION_REASON' then 'f.kind' end;
          if expr is null or (base_measure and (expr like 'f.%' or dim = 'MONTH')) or (delivered and dim = 'TARGET_GROUP')
              or (dim = 'TERMINATION_REASON' and measure <> 'PLANS_TERMINATED') then
            raise exception 'dimension % does not apply to %', dim, measure using errcode = '22023';
          end if;
          exprs := exprs || expr;
        end loop;
        key_sql := 'array[' || array_to_string(exprs, ', ') || ']::text[]';
        sets := case coalesce(array_length(exprs, 1), 0)
          when 0 then '()'
          when 1 then format('(%s), ()', exprs[1])
          else format('(%s, %s), (%s), (%s), ()', exprs[1], exprs[2], exprs[1], exprs[2]) end;
        person_sets := case coalesce(array_length(exprs, 1), 0)
          when 0 then '(f.person)'
          when 1 then format('(%s, f.person), (f.person)', exprs[1])
          else format('(%s, %s, f.person), (%s, f.person), (%s, f.person), (f.person)', exprs[1], exprs[2], exprs[1], exprs[2]) end;
        day_sets := case coalesce(array_length(exprs, 1), 0)
          when 0 then '(f.kind::int)'
          when 1 then format('(%s, f.kind::int), (f.kind::int)', exprs[1])
          else format('(%s, %s, f.kind::int), (%s, f.kind::int), (%s, f.kind::int), (f.kind::int)', exprs[1], exprs[2], exprs[1], exprs[2]) end;

        -- Every source gives per figure: k keys, v value, n what the threshold is judged on,
        -- ks the sum of record keys, pmax the persons behind a magnitude, tmax the largest one person's part.
        if measure = 'RESIDENTS_SERVED' then
          -- Distinct persons (a merged record and its survivor are one), each at one gmina, so every level counts each person once.
          -- A person with one activated plan is that plan's row (no regrouping); the others are regrouped by person.
          source := format($q$select %s as k, count(*)::numeric as v, count(*) as n, sum(f.person_key) as ks, null::int as pmax, null::numeric as tmax
            from (select s.gmina_id, s.person_key from report_plan_span s
                  where s.solo and s.activated_on <= $2 and coalesce(s.closed_on, 'infinity'::date) >= $1 and ($3 is null or s.gmina_id = any ($3))
                  union all
                  select min(s.gmina_id), min(s.person_key) from report_plan_span s
                  where not s.solo and s.activated_on <= $2 and coalesce(s.closed_on, 'infinity'::date) >= $1 and ($3 is null or s.gmina_id = any ($3))
                  group by s.person) f
              join gmina g on g.id = f.gmina_id
            group by grouping sets (%s)$q$, key_sql, sets);
        elsif measure = 'PLANS_ACTIVE' then
          source := format($q$select %s as k, count(*)::numeric as v, count(*) as n, sum(f.person_key) as ks, null::int as pmax, null::numeric as tmax
            from report_plan_span f join gmina g on g.id = f.gmina_id
            where f.activated_on <= $2 and coalesce(f.closed_on, 'infinity'::date) >= $1 and ($3 is null or f.gmina_id = any ($3))
            group by grouping sets (%s)$q$, key_sql, sets);
        elsif percentile then
          source := format($q$with h as (
              select %s as k, f.kind::int as days, sum(f.value) as n from report_fact f join gmina g on g.id = f.gmina_id
              where f.measure = 'DAYS_TO_PLAN' and f.month between date_trunc('month', $1)::date and $2 and ($3 is null or f.gmina_id = any ($3))
              group by grouping sets (%s)),
            c as (select k, days, sum(n) over (partition by k order by days) as cum, sum(n) over (partition by k) as total from h)
            select k, min(days) filter (where cum >= %s * total)::numeric as v, max(total) as n, null::numeric as ks, null::int as pmax, null::numeric as tmax
            from c group by k$q$,
            key_sql, day_sets, case measure when 'DAYS_TO_PLAN_MEDIAN' then '0.5' else '0.9' end);
        elsif delivered and not protect then
          -- Exact figures: no persons to judge.
          source := format($q$select %s as k, %s as v, null::numeric as n, null::numeric as ks, null::int as pmax, null::numeric as tmax
            from report_delivery_person f join gmina g on g.id = f.gmina_id
            where f.month between date_trunc('month', $1)::date and $2 and ($3 is null or f.gmina_id = any ($3))
            group by grouping sets (%s)$q$,
            key_sql, case measure when 'DELIVERIES' then 'sum(f.sessions)::numeric' else 'round(sum(f.minutes) / 60.0, 2)' end, sets);
        elsif delivered then
          -- Each cell judged per person: its distinct persons and its largest one person's part are the cell's own.
          -- Bounds from report_delivery_cell decide most cells without the persons (a protected period is
          -- one calendar month, quarter, half-year or year, so one row per gmina, area and partner):
          -- persons are at least the largest row's and at most the rows' sum; the largest one person's
          -- part is at least the largest row's top and at most the largest whole-period total of any
          -- person of the cell (reach). Rounding is monotone, so hours compare as the exact test does.
          -- A report by month sums periods, where reach bounds nothing: it goes per person, as does any
          -- report the bounds leave undecided.
          if not ('MONTH' = any (coalesce(dims, '{}'))) then
            source := format($q$select k, v, null::numeric as n, null::numeric as ks,
                case when n_most < %1$s then n_most else n_least end::int as pmax,
                case when t_least > %2$s * v then t_least else t_most end as tmax,
                n_most < %1$s or t_least > %2$s * v or (n_least >= %1$s and t_most <= %2$s * v) as decided
              from (select %3$s as k, %4$s as v, sum(f.persons) as n_most, max(f.persons) as n_least, %5$s as t_least, %6$s as t_most
                    from report_delivery_cell f join gmina g on g.id = f.gmina_id
                    where f.months = %7$s and f.month = $1 and ($3 is null or f.gmina_id = any ($3))
                    group by grouping sets (%8$s)) b$q$,
              cfg.threshold, ${DOMINANCE_SHARE}, key_sql,
              case measure when 'DELIVERIES' then 'sum(f.sessions)::numeric' else 'round(sum(f.minutes) / 60.0, 2)' end,
              case measure when 'DELIVERIES' then 'max(f.top_sessions)::numeric' else 'round(max(f.top_minutes) / 60.0, 2)' end,
              case measure when 'DELIVERIES' then 'max(f.reach_sessions)::numeric' else 'round(max(f.reach_minutes) / 60.0, 2)' end,
              months, sets);
            execute format('select bool_and(decided) from (%s) b', source) into decided using from_day, to_day, scope;
          end if;
          if decided is not true then
            source := format($q$select k, %s as v, count(*) as n, null::numeric as ks, count(*)::int as pmax, %s as tmax
              from (select %s as k, f.person, sum(f.sessions) as sessions, sum(f.minutes) as minutes
                    from %s f join gmina g on g.id = f.gmina_id
                    where %s and ($3 is null or f.gmina_id = any ($3))
                    group by grouping sets (%s)) x
              group by k$q$,
              case measure when 'DELIVERIES' then 'sum(x.sessions)::numeric' else 'round(sum(x.minutes) / 60.0, 2)' end,
              case measure when 'DELIVERIES' then 'max(x.sessions)::numeric' else 'round(max(x.minutes) / 60.0, 2)' end,
              key_sql,
              case when months = 1 or 'MONTH' = any (dims) then 'report_delivery_person' else 'report_delivery_period' end,
              case when months = 1 or 'MONTH' = any (dims) then $w$f.month between date_trunc('month', $1)::date and $2$w$
                else format('f.months = %s and f.month = $1', months) end,
              person_sets);
          end if;
        else
          source := format($q$select %s as k, sum(f.value) as v, sum(f.value) as n, sum(f.key_sum) as ks, max(f.persons) as pmax, max(f.top) as tmax
            from report_fact f join gmina g on g.id = f.gmina_id
            where f.measure = %L and (f.month is null or f.month between date_trunc('month', $1)::date and $2)
              and ($3 is null or f.gmina_id = any ($3)) group by grouping sets (%s)$q$, key_sql, measure, sets);
        end if;

        return query execute format($r$
          with s as (%1$s),
          hidden as (
            select s.*, (%3$L and s.n < %5$s)
              -- a magnitude: fewer persons than the threshold behind it, or one person most of it
              or (%4$L and (coalesce(s.pmax, 0) < %5$s or coalesce(s.tmax, 0) > %6$s * s.v)) as h
            from s)
          select x.k,
            case when x.h then null when %2$L then x.v + coalesce(p.deviation, 0) else x.v end,
            x.h
          from hidden x
            left join report_ptable p on %2$L and p.count = least(x.v, %7$s)::int
              and p.key_from <= (x.ks %% ${M}) / ${M}.0 and (x.ks %% ${M}) / ${M}.0 < p.key_to$r$,
          source, protect and perturbed, protect and percentile, protect and magnitude, cfg.threshold, ${DOMINANCE_SHARE}, cfg.ptable_max_count)
          using from_day, to_day, scope;
      end $$`);
  }
}
