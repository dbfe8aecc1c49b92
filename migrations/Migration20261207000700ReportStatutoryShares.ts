import { Migration } from '@mikro-orm/migrations';
import { CELL_KEY_MODULUS } from '../src/modules/report/report.ptable.js';

/** A person's permanent record key (as Migration20261207000600ReportCellKey computes it). */
const recordKey = (resident: string) => `('x' || substr(md5(sec.secret || ${resident}::text), 1, 8))::bit(32)::bigint`;
const month = (column: string) => `date_trunc('month', ${column})::date`;

/**
 * Issue 18, readable output: CUS units by statutory status, and joint budgets of inter-municipal units.
 *
 * `cus_unit.gmina_shares` records each served gmina's share of an inter-municipal agreement, in
 * percent, keyed by gmina id (null: equal shares; the platform administrator sets it with
 * cusUnitUpdate). app.refresh_reports, redefined whole from Migration20261207000600, attributes a
 * commission of an INTERMUNICIPAL_AGREEMENT unit (COMMISSION_BUDGET, COMMISSION_BUDGET_USED) to every
 * gmina the unit serves by those shares, where it went to the seat gmina whole; and keeps CUS units
 * also as CUS_UNITS_STATUTORY and CUS_UNITS_NON_STATUTORY, which the reports' `statutory` filter reads.
 */
export class Migration20261207000700ReportStatutoryShares extends Migration {
  override up(): void {
    this.addSql(`alter table cus_unit add column gmina_shares jsonb check (gmina_shares is null or jsonb_typeof(gmina_shares) = 'object')`);
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
        -- The same, statutory units only and the others only (the report's statutory filter).
        insert into report_fact (measure, gmina_id, kind, value)
        select case when statutory then 'CUS_UNITS_STATUTORY' else 'CUS_UNITS_NON_STATUTORY' end, gmina_id, creation_mode, count(*) from cus_unit group by 1, 2, 3;
        -- Budget used stands for services delivered to persons: it keeps how many persons its commissions served.
        -- A commission of an inter-municipal unit is the gminy's joint budget: each gmina the unit
        -- serves gets its share of the agreement (cus_unit.gmina_shares, in percent; equal when unset).
        insert into report_fact (measure, gmina_id, kind, partner_id, value, persons)
        select m.measure, a.gmina_id, p.kind, c.partner_id,
          round(sum(a.weight * case m.measure when 'COMMISSION_BUDGET' then c.budget else coalesce(c.budget_used, 0) end), 2),
          max((select count(distinct pl.resident_id) from ipus_item i join ipus pl on pl.id = i.ipus_id where i.commission_id = c.id))
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
  }
}
