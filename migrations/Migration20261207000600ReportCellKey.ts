import { Migration } from '@mikro-orm/migrations';
import { CUS_STAFF, enableRls } from './rls.js';
import { sqlList } from './Migration20261123000200Catalogue.js';
import { MIN_SUPPRESSION_THRESHOLD } from './Migration20261127000800Reporting.js';
import { buildPtable, CELL_KEY_MODULUS, DEFAULT_MAX_DEVIATION, DEFAULT_VARIANCE, DOMINANCE_SHARE, ptableSql } from '../src/modules/report/report.ptable.js';
import { MAGNITUDE_MEASURES, PERTURBED_MEASURES, PROTECTED_ROLES } from '../src/modules/report/report.protection.js';

/** A person's permanent record key in [0, 2^32): a keyed hash of the resident id with the database's own secret. */
const recordKey = (resident: string) => `('x' || substr(md5(sec.secret || ${resident}::text), 1, 8))::bit(32)::bigint`;
const month = (column: string) => `date_trunc('month', ${column})::date`;

/**
 * Issue 18: ministry statistics that cannot identify a person (README, "Reports").
 *
 * Counts of persons are published by the cell key method instead of per-cell suppression: every
 * person has a permanent record key (a keyed hash of the resident id with `report_secret`, which no
 * role but the owner reads), each rollup row keeps the sum of its persons' keys modulo 2^32, and a
 * cell's key is the sum of its rows' sums, so the same persons give the same key whatever query made
 * the cell. `app.report` adds the deviation that `report_ptable` gives for (true count, cell key) for
 * MINISTRY and GMINA_OFFICIAL principals; staff keep exact figures.
 *
 * Magnitudes (deliveries, hours, budget used) keep, per rollup row, the persons behind it and the
 * largest one person's part; a protected principal's cell is hidden when fewer than the threshold
 * persons stand behind it for sure or one person makes most of it.
 *
 * RESIDENTS_SERVED counts distinct residents and is now judged on that count (it was judged on
 * plans). app.refresh_reports is redefined whole from its latest definition (with the partner
 * relationships of Migration20261207000100), adding the new columns.
 */
export class Migration20261207000600ReportCellKey extends Migration {
  override up(): void {
    this.addSql(`create table report_secret (
      id integer primary key default 1 check (id = 1),
      secret text not null
    )`);
    this.addSql(`insert into report_secret (secret) values (replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''))`);
    // No policy and no grant: only the owner's functions read it.
    for (const sql of enableRls('report_secret')) this.addSql(sql);

    this.addSql(`create table report_ptable (
      count integer not null,
      deviation integer not null,
      key_from double precision not null,
      key_to double precision not null,
      primary key (count, deviation)
    )`);
    for (const sql of enableRls('report_ptable')) this.addSql(sql);
    this.addSql(`alter table report_config add column max_deviation integer, add column variance double precision, add column ptable_max_count integer`);
    for (const sql of ptableSql(buildPtable({ maxDeviation: DEFAULT_MAX_DEVIATION, variance: DEFAULT_VARIANCE, threshold: MIN_SUPPRESSION_THRESHOLD })))
      this.addSql(sql);

    this.addSql(`alter table report_fact add column persons integer, add column key_sum bigint, add column top numeric(16, 2)`);
    // The application role reads the rollup's figures, never its key sums (a one-person row's sum is that person's key).
    this.addSql(`revoke select on report_fact from cus_app`);
    this.addSql(`grant select (measure, gmina_id, month, area, target_group, kind, partner_id, value, persons, top) on report_fact to cus_app`);

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

        -- Counts of persons: each row keeps how many persons and the sum of their record keys.
        insert into report_fact (measure, gmina_id, month, value, persons, key_sum)
        select 'APPLICATIONS_RECEIVED', a.gmina_id, ${month('a.filed_on')}, count(*), count(distinct a.resident_id), sum(${recordKey('a.resident_id')}) % ${M}
        from application a cross join report_secret sec group by 2, 3;
        insert into report_fact (measure, gmina_id, month, value, persons, key_sum)
        select 'APPLICATIONS_' || a.status, a.gmina_id, ${month('a.decided_on')}, count(*), count(distinct a.resident_id), sum(${recordKey('a.resident_id')}) % ${M}
        from application a cross join report_secret sec where a.status <> 'FILED' group by 1, 2, 3;

        insert into report_fact (measure, gmina_id, month, value, persons, key_sum)
        select 'PLANS_PREPARED', p.gmina_id, ${month('p.prepared_on')}, count(*), count(distinct p.resident_id), sum(${recordKey('p.resident_id')}) % ${M}
        from ipus p cross join report_secret sec group by 2, 3;
        insert into report_fact (measure, gmina_id, month, value, persons, key_sum)
        select 'PLANS_ACTIVATED', p.gmina_id, ${month('p.activated_on')}, count(*), count(distinct p.resident_id), sum(${recordKey('p.resident_id')}) % ${M}
        from ipus p cross join report_secret sec where p.activated_on is not null group by 2, 3;
        insert into report_fact (measure, gmina_id, month, value, persons, key_sum)
        select 'PLANS_' || p.status, p.gmina_id, ${month('p.closed_on')}, count(*), count(distinct p.resident_id), sum(${recordKey('p.resident_id')}) % ${M}
        from ipus p cross join report_secret sec where p.status in ('COMPLETED', 'TERMINATED') group by 1, 2, 3;
        -- Days from application to plan, as a histogram (kind = the number of days): medians and
        -- percentiles of any grouping are read from it exactly.
        insert into report_fact (measure, gmina_id, month, kind, value)
        select 'DAYS_TO_PLAN', p.gmina_id, ${month('p.prepared_on')}, (p.prepared_on - a.filed_on)::text, count(*)
        from ipus p join application a on a.id = p.application_id group by 2, 3, 4;

        -- Magnitudes: per row also the persons behind it and the largest one person's part.
        insert into report_fact (measure, gmina_id, month, area, kind, partner_id, value, persons, top)
        select m.measure, x.gmina_id, x.month, x.area, x.kind, x.partner_id,
          case m.measure when 'DELIVERIES' then sum(x.sessions) else round(sum(x.minutes) / 60.0, 2) end,
          count(*),
          case m.measure when 'DELIVERIES' then max(x.sessions) else round(max(x.minutes) / 60.0, 2) end
        from (
          select d.gmina_id, ${month('d.delivered_on')} as month, s.area, coalesce(pa.kind, '') as kind, d.partner_id, p.resident_id,
            count(*) as sessions, sum(d.duration_minutes) as minutes
          from delivery d
            join ipus_item i on i.id = d.ipus_item_id
            join ipus p on p.id = i.ipus_id
            join service s on s.id = i.service_id
            left join partner pa on pa.id = d.partner_id
          where d.outcome = 'DELIVERED'
          group by 1, 2, 3, 4, 5, 6) x
          cross join (values ('DELIVERIES'), ('DELIVERY_HOURS')) m(measure)
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
        -- Budget used stands for services delivered to persons: it keeps how many persons its commissions served.
        insert into report_fact (measure, gmina_id, kind, partner_id, value, persons)
        select m.measure, c.gmina_id, p.kind, c.partner_id, sum(case m.measure when 'COMMISSION_BUDGET' then c.budget else coalesce(c.budget_used, 0) end),
          max((select count(distinct pl.resident_id) from ipus_item i join ipus pl on pl.id = i.ipus_id where i.commission_id = c.id))
        from commission c join partner p on p.id = c.partner_id
          cross join (values ('COMMISSION_BUDGET'), ('COMMISSION_BUDGET_USED')) m(measure)
        where c.status in ('ACTIVE', 'SUSPENDED', 'COMPLETED') and c.budget is not null group by 1, 2, 3, 4;
        insert into report_fact (measure, gmina_id, kind, value)
        select 'PARTNERS', g.gmina_id, p.kind, count(*) from partner_gmina g join partner p on p.id = g.partner_id where g.status = 'ACTIVE' group by 2, 3;

        update report_config set refreshed_at = now(), refresh_ms = (extract(epoch from clock_timestamp() - started) * 1000)::int;
      end $$`);

    // --- the one door, redefined whole (from Migration20261127000800 with the COUNTRY fix of ...1100).
    this.addSql(`create or replace function app.report(measure text, dims text[], from_day date, to_day date, only_gminy int[] default null)
      returns table (keys text[], value numeric, suppressed boolean)
      -- keys: one per dimension asked for; null where the row is a total over that dimension.
      language plpgsql stable security definer set search_path = public, pg_temp as $$
      declare
        who text := app.role();
        ministry boolean := app.role() = 'MINISTRY';
        -- Principals with no access to personal data: counts of persons perturbed, magnitudes protected.
        protect boolean := app.role() in (${sqlList(PROTECTED_ROLES)});
        cfg report_config;
        perturbed boolean := measure in (${sqlList(PERTURBED_MEASURES)});
        magnitude boolean := measure in (${sqlList(MAGNITUDE_MEASURES)});
        percentile boolean := measure in ('DAYS_TO_PLAN_MEDIAN', 'DAYS_TO_PLAN_P90');
        base_measure boolean := measure in ('RESIDENTS_SERVED', 'PLANS_ACTIVE');
        scope int[];
        exprs text[] := '{}';
        expr text;
        dim text;
        key_sql text;
        sets text;
        day_sets text;
        source text;
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
        if only_gminy is not null then
          scope := array(select unnest(scope) intersect select unnest(only_gminy));
        end if;
        foreach dim in array coalesce(dims, '{}') loop
          expr := case dim
            when 'COUNTRY' then 'left(g.name, 0) || ' || quote_literal('PL') when 'WOJEWODZTWO' then 'g.wojewodztwo_code::text' when 'POWIAT' then 'g.powiat_code::text'
            when 'GMINA' then 'g.terc::text' when 'GMINA_KIND' then 'g.kind'
            when 'AREA' then 'f.area' when 'TARGET_GROUP' then 'f.target_group' when 'PARTNER_KIND' then 'f.kind'
            when 'CREATION_MODE' then 'f.kind' when 'PARTNER' then 'coalesce(f.partner_id::text, '''')' when 'MONTH' then 'to_char(f.month, ' || quote_literal('YYYY-MM') || ')' end;
          if expr is null or (base_measure and (expr like 'f.%' or dim = 'MONTH')) then
            raise exception 'dimension % does not apply to %', dim, measure using errcode = '22023';
          end if;
          exprs := exprs || expr;
        end loop;
        key_sql := 'array[' || array_to_string(exprs, ', ') || ']::text[]';
        sets := case coalesce(array_length(exprs, 1), 0)
          when 0 then '()'
          when 1 then format('(%s), ()', exprs[1])
          else format('(%s, %s), (%s), (%s), ()', exprs[1], exprs[2], exprs[1], exprs[2]) end;
        day_sets := case coalesce(array_length(exprs, 1), 0)
          when 0 then '(f.kind::int)'
          when 1 then format('(%s, f.kind::int), (f.kind::int)', exprs[1])
          else format('(%s, %s, f.kind::int), (%s, f.kind::int), (%s, f.kind::int), (f.kind::int)', exprs[1], exprs[2], exprs[1], exprs[2]) end;

        -- Every source gives per figure: k keys, v value, n what the threshold is judged on,
        -- ks the sum of record keys, pmax the persons of its largest row, tmax the largest one person's part.
        if measure = 'RESIDENTS_SERVED' then
          -- Distinct residents, each at one gmina, so every level counts each person once.
          source := format($q$select %s as k, count(*)::numeric as v, count(*) as n, sum(${recordKey('f.resident_id')}) as ks, null::int as pmax, null::numeric as tmax
            from (select distinct on (p.resident_id) p.resident_id, p.gmina_id from ipus p
                  where p.activated_on <= $2 and coalesce(p.closed_on, 'infinity'::date) >= $1 and ($3 is null or p.gmina_id = any ($3))
                  order by p.resident_id, p.gmina_id) f
              join gmina g on g.id = f.gmina_id cross join report_secret sec
            group by grouping sets (%s)$q$, key_sql, sets);
        elsif measure = 'PLANS_ACTIVE' then
          source := format($q$select %s as k, count(*)::numeric as v, count(*) as n, sum(${recordKey('f.resident_id')}) as ks, null::int as pmax, null::numeric as tmax
            from ipus f join gmina g on g.id = f.gmina_id cross join report_secret sec
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
              -- a magnitude: fewer persons than the threshold behind its largest row, or one person most of it
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
