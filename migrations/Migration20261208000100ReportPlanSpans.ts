import { Migration } from '@mikro-orm/migrations';
import { CUS_STAFF, enableRls } from './rls.js';
import { sqlList } from './Migration20261123000200Catalogue.js';
import { CELL_KEY_MODULUS, DOMINANCE_SHARE } from '../src/modules/report/report.ptable.js';
import { MAGNITUDE_MEASURES, PERIOD_MONTHS, PERTURBED_MEASURES, PROTECTED_ROLES } from '../src/modules/report/report.protection.js';

/** A person's permanent record key in [0, 2^32), as Migration20261207000600ReportCellKey defines it, of the person's surviving record. */
const recordKey = (personId: string) => `('x' || substr(md5(sec.secret || ${personId}::text), 1, 8))::bit(32)::bigint`;

/** A plan's row of report_plan_span from an ipus row `n`, its resident `r` and the secret `sec`. */
const SPAN_COLUMNS = 'ipus_id, gmina_id, resident_id, person, person_key, activated_on, closed_on';
/** An updated plan (`n`, before it `o`) whose row of report_plan_span changes. */
const CHANGED = '(o.gmina_id, o.resident_id, o.activated_on, o.closed_on) is distinct from (n.gmina_id, n.resident_id, n.activated_on, n.closed_on)';
const spanValues = (n: string) =>
  `${n}.id, ${n}.gmina_id, ${n}.resident_id, coalesce(r.merged_into, r.id), ${recordKey('coalesce(r.merged_into, r.id)')}, ${n}.activated_on, ${n}.closed_on`;

/**
 * Issue 18, the last two slow reports (README, "Measurements"): RESIDENTS_SERVED and PLANS_ACTIVE are
 * read live from the records, and at national scale each request scanned the 300,000 wide rows of
 * ipus and computed every person's record key (an MD5 keyed with the report secret) again.
 *
 * report_plan_span keeps, per activated plan, only what the two measures read: its gmina, its
 * period and its person (the surviving record of a merge) with that person's record key computed
 * once. Triggers keep it current, so both measures stay live:
 * - on ipus, per statement (a bulk load is one insert), a plan's row follows its gmina, resident,
 *   activation and closing;
 * - on resident, when merged_into changes, the rows of its plans take the new person and key;
 * - on report_secret, every key is recomputed.
 * The triggers fire also under session_replication_role = replica (ENABLE ALWAYS): the national
 * dataset and some tests load plans with the other triggers off, and the two measures must see them.
 *
 * The published values do not change: the same persons, the same keys, the same sums, the same
 * perturbation. app.report is redefined whole from Migration20261207001010 with the two sources
 * reading report_plan_span; nothing else in it changes.
 */
export class Migration20261208000100ReportPlanSpans extends Migration {
  override up(): void {
    this.addSql(`create table report_plan_span (
      ipus_id uuid primary key,
      gmina_id integer not null,
      resident_id uuid not null,
      person uuid not null,
      person_key bigint not null,
      activated_on date not null,
      closed_on date
    )`);
    this.addSql(`create index report_plan_span_resident_idx on report_plan_span (resident_id)`);
    // Person-level rows: no policy and no grant, only the owner's functions read and write them.
    for (const sql of enableRls('report_plan_span')) this.addSql(sql);

    this.addSql(`create function app.report_plan_span_insert() returns trigger language plpgsql security definer set search_path = public, pg_temp as $$
      begin
        insert into report_plan_span (${SPAN_COLUMNS})
        select ${spanValues('n')}
        from new_rows n join resident r on r.id = n.resident_id cross join report_secret sec
        where n.activated_on is not null;
        return null;
      end $$`);
    this.addSql(`create function app.report_plan_span_update() returns trigger language plpgsql security definer set search_path = public, pg_temp as $$
      begin
        -- Only plans whose gmina, resident, activation or closing changed (most updates touch none of them).
        delete from report_plan_span s using new_rows n join old_rows o on o.id = n.id
        where s.ipus_id = n.id and ${CHANGED};
        insert into report_plan_span (${SPAN_COLUMNS})
        select ${spanValues('n')}
        from new_rows n join old_rows o on o.id = n.id join resident r on r.id = n.resident_id cross join report_secret sec
        where n.activated_on is not null and ${CHANGED};
        return null;
      end $$`);
    this.addSql(`create function app.report_plan_span_delete() returns trigger language plpgsql security definer set search_path = public, pg_temp as $$
      begin
        delete from report_plan_span s using old_rows o where s.ipus_id = o.id;
        return null;
      end $$`);
    this.addSql(`create trigger report_plan_span_insert after insert on ipus referencing new table as new_rows
      for each statement execute function app.report_plan_span_insert()`);
    this.addSql(`create trigger report_plan_span_update after update on ipus referencing old table as old_rows new table as new_rows
      for each statement execute function app.report_plan_span_update()`);
    this.addSql(`create trigger report_plan_span_delete after delete on ipus referencing old table as old_rows
      for each statement execute function app.report_plan_span_delete()`);

    // A merge (or its undoing) makes a record's plans another person's.
    this.addSql(`create function app.report_plan_span_person() returns trigger language plpgsql security definer set search_path = public, pg_temp as $$
      begin
        update report_plan_span s set person = coalesce(new.merged_into, new.id), person_key = ${recordKey('coalesce(new.merged_into, new.id)')}
        from report_secret sec where s.resident_id = new.id;
        return null;
      end $$`);
    this.addSql(`create trigger report_plan_span_person after update of merged_into on resident
      for each row when (old.merged_into is distinct from new.merged_into) execute function app.report_plan_span_person()`);
    // A new secret gives every person a new key.
    this.addSql(`create function app.report_plan_span_rekey() returns trigger language plpgsql security definer set search_path = public, pg_temp as $$
      begin
        update report_plan_span s set person_key = ${recordKey('s.person')} from report_secret sec;
        return null;
      end $$`);
    this.addSql(`create trigger report_plan_span_rekey after insert or update or delete on report_secret
      for each statement execute function app.report_plan_span_rekey()`);
    for (const trigger of ['report_plan_span_insert', 'report_plan_span_update', 'report_plan_span_delete']) {
      this.addSql(`alter table ipus enable always trigger ${trigger}`);
    }
    this.addSql(`alter table resident enable always trigger report_plan_span_person`);

    this.addSql(`insert into report_plan_span (${SPAN_COLUMNS})
      select ${spanValues('n')}
      from ipus n join resident r on r.id = n.resident_id cross join report_secret sec
      where n.activated_on is not null`);

    const M = CELL_KEY_MODULUS;
    // --- the one door, redefined whole from Migration20261207001010: only the sources of RESIDENTS_SERVED and PLANS_ACTIVE change.
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
            when 'CREATION_MODE' then 'f.kind' when 'PARTNER' then 'coalesce(f.partner_id::text, '''')' when 'MONTH' then 'to_char(f.month, ' || quote_literal('YYYY-MM') || ')' end;
          if expr is null or (base_measure and (expr like 'f.%' or dim = 'MONTH')) or (delivered and dim = 'TARGET_GROUP') then
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
          source := format($q$select %s as k, count(*)::numeric as v, count(*) as n, sum(f.person_key) as ks, null::int as pmax, null::numeric as tmax
            from (select s.person, min(s.gmina_id) as gmina_id, min(s.person_key) as person_key
                  from report_plan_span s
                  where s.activated_on <= $2 and coalesce(s.closed_on, 'infinity'::date) >= $1 and ($3 is null or s.gmina_id = any ($3))
                  group by 1) f
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
