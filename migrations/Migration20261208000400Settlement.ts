import { Migration } from '@mikro-orm/migrations';
import { enableRls, managedBy, parentVisible, policy, roleIn } from './rls.js';
import { sqlList } from './Migration20261123000200Catalogue.js';
import { OUTBOX_CHANNEL } from './Migration20261123000600Ipus.js';

/** Who accepts or returns a partner's monthly report: the roles that manage commissions. */
const SETTLEMENT_MANAGERS = ['DIRECTOR', 'SERVICES_ORGANISER'];
const SETTLEMENT_STATUSES = ['OPEN', 'SUBMITTED', 'RETURNED', 'ACCEPTED'];

/**
 * The monthly settlement of a commission with its partner (issue 19, "Monthly settlement").
 *
 * - `settlement`: one per commission and calendar month (`month`, its first day). The partner submits
 *   it (with its indicator values), the commission's managers accept it or return it with a reason.
 *   Its gmina and partner are the commission's, set here from the commission, never from the client.
 *   Once ACCEPTED it never changes again, and `figures` holds what was accepted (the statement as it
 *   stood then): later corrections of that month's deliveries cannot reach it.
 * - `settlement_delivery`: what each accepted settlement counted of each delivery, for the month the
 *   delivery concerned (its own month, or an earlier one as an adjustment). A month's later changes are
 *   the difference between a delivery as it is now and what accepted settlements counted of it for that
 *   month; they go to the next settlement that is not yet accepted (app.settlement_lines).
 * - Partners read and act only on their own commissions' settlements; of the centre, the director and
 *   the services organiser of the commission's gmina. Figures are computed by app.settlement_lines,
 *   which applies the same rule itself (it reads deliveries and plan items the partner cannot).
 * - Every change of a settlement's state writes two outbox events: SETTLEMENT for the centre's staff
 *   (the commission's gmina) and PARTNER_SETTLEMENT addressed to the partner.
 */
export class Migration20261208000400Settlement extends Migration {
  override up(): void {
    const ownPartner = `${roleIn('PARTNER')} and partner_id = (select app.partner_id())`;
    const managers = managedBy(SETTLEMENT_MANAGERS);

    this.addSql(`create table settlement (
      id uuid primary key default gen_random_uuid(),
      gmina_id integer not null references gmina (id),
      commission_id uuid not null,
      partner_id uuid not null references partner (id),
      month date not null check (extract(day from month) = 1),
      status text not null default 'OPEN' check (status in (${sqlList(SETTLEMENT_STATUSES)})),
      indicator_values jsonb not null default '[]' check (jsonb_typeof(indicator_values) = 'array'),
      return_reason text check (char_length(return_reason) <= 2000),
      submitted_at timestamptz,
      submitted_by text,
      decided_at timestamptz,
      decided_by text,
      figures jsonb,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      foreign key (commission_id, partner_id) references commission (id, partner_id),
      constraint settlement_commission_month_key unique (commission_id, month),
      constraint settlement_figures_frozen check ((status = 'ACCEPTED') = (figures is not null)),
      constraint settlement_return_reason check (status <> 'RETURNED' or btrim(coalesce(return_reason, '')) <> '')
    )`);
    this.addSql(`create index settlement_gmina_idx on settlement (gmina_id, month)`);
    this.addSql(`create index settlement_partner_idx on settlement (partner_id, month)`);
    for (const sql of enableRls('settlement')) this.addSql(sql);
    this.addSql(policy({ table: 'settlement', name: 'settlement_read', command: 'select', using: `(${managers}) or (${ownPartner})` }));
    this.addSql(policy({ table: 'settlement', name: 'settlement_insert', command: 'insert', check: `(${managers}) or (${ownPartner})` }));
    this.addSql(
      policy({
        table: 'settlement',
        name: 'settlement_update',
        command: 'update',
        using: `(${managers}) or (${ownPartner})`,
        check: `(${managers}) or (${ownPartner})`,
      }),
    );
    this.addSql(`grant select, insert, update on settlement to cus_app`);

    // Whatever the application checked: the commission decides gmina and partner, the month lies in its
    // period, an accepted settlement is final, and each side makes only its own moves.
    this.addSql(`create function app.settlement_guard() returns trigger language plpgsql security definer set search_path = public, pg_temp as $$
      declare
        c record;
      begin
        if tg_op = 'UPDATE' then
          if old.status = 'ACCEPTED' then raise exception 'an accepted settlement is final' using errcode = '42501'; end if;
          if new.commission_id is distinct from old.commission_id or new.month is distinct from old.month then
            raise exception 'a settlement stays with its commission and month' using errcode = '42501';
          end if;
          if new.status is distinct from old.status and not (
              (app.role() = 'PARTNER' and old.status in ('OPEN', 'RETURNED') and new.status = 'SUBMITTED')
              or (app.role() in (${sqlList(SETTLEMENT_MANAGERS)}) and old.status = 'SUBMITTED' and new.status in ('ACCEPTED', 'RETURNED'))) then
            raise exception 'settlement % -> % is not a move of %', old.status, new.status, app.role() using errcode = '42501';
          end if;
          new.version := old.version + 1;
          new.updated_at := now();
        else
          if new.status <> 'OPEN' then raise exception 'a settlement starts OPEN' using errcode = '42501'; end if;
        end if;
        select cm.gmina_id, cm.partner_id, cm.period_start, cm.period_end into c from commission cm where cm.id = new.commission_id;
        if not found then raise exception 'no such commission' using errcode = '23503'; end if;
        if c.period_start is null or new.month > c.period_end or (new.month + interval '1 month' - interval '1 day')::date < c.period_start then
          raise exception 'the month falls outside the commission''s period' using errcode = '23514';
        end if;
        new.gmina_id := c.gmina_id;
        new.partner_id := c.partner_id;
        return new;
      end $$`);
    this.addSql(`create trigger settlement_guard before insert or update on settlement for each row execute function app.settlement_guard()`);

    this.addSql(`create table settlement_delivery (
      settlement_id uuid not null references settlement (id),
      delivery_id uuid not null references delivery (id),
      concerns_month date not null,
      gmina_id integer not null references gmina (id),
      delivered integer not null,
      minutes integer not null,
      absent integer not null,
      cancelled integer not null,
      primary key (settlement_id, delivery_id, concerns_month)
    )`);
    this.addSql(`create index settlement_delivery_gmina_idx on settlement_delivery (gmina_id)`);
    this.addSql(`create index settlement_delivery_delivery_idx on settlement_delivery (delivery_id, concerns_month)`);
    for (const sql of enableRls('settlement_delivery')) this.addSql(sql);
    this.addSql(
      policy({ table: 'settlement_delivery', name: 'settlement_delivery_read', command: 'select', using: parentVisible('settlement', 'settlement_id') }),
    );
    // Written once, when the managers accept the settlement (still SUBMITTED in that statement).
    this.addSql(
      policy({
        table: 'settlement_delivery',
        name: 'settlement_delivery_insert',
        command: 'insert',
        check: `${managers} and exists (select 1 from settlement s where s.id = settlement_id and s.status = 'SUBMITTED' and s.gmina_id = settlement_delivery.gmina_id)`,
      }),
    );
    this.addSql(`grant select, insert on settlement_delivery to cus_app`);

    // The figures of a settlement not yet accepted, one row per delivery and month it concerns: that
    // month's deliveries as they are now, and (adjustment) the changes since acceptance of deliveries of
    // accepted months before it, unless a settlement between them that is not accepted takes them first.
    // A person is numbered within the answer only (person_no), never named or keyed.
    this.addSql(`create function app.settlement_lines(target uuid) returns table (
        delivery_id uuid, item_id uuid, service_name text, person_no bigint, concerns_month date, adjustment boolean,
        delivered integer, minutes integer, absent integer, cancelled integer)
      language plpgsql stable security definer set search_path = public, pg_temp as $$
      declare
        s record;
      begin
        select x.commission_id, x.month into s from settlement x where x.id = target and x.status <> 'ACCEPTED' and (
          (app.role() in (${sqlList(SETTLEMENT_MANAGERS)}) and x.gmina_id = any (app.gminy()))
          or (app.role() = 'PARTNER' and x.partner_id = app.partner_id()));
        if not found then return; end if;
        return query
        with now_counts as (
          select d.id, date_trunc('month', d.delivered_on)::date as m,
            (d.outcome = 'DELIVERED')::int as delivered,
            case when d.outcome = 'DELIVERED' then d.duration_minutes else 0 end as minutes,
            (d.outcome = 'RESIDENT_ABSENT')::int as absent,
            (d.outcome in ('CANCELLED_BY_PROVIDER', 'CANCELLED_BY_RESIDENT'))::int as cancelled
          from delivery d where d.commission_id = s.commission_id
        ), settled as (
          select a.month from settlement a
          where a.commission_id = s.commission_id and a.status = 'ACCEPTED' and a.month < s.month
            and not exists (select 1 from settlement b where b.commission_id = s.commission_id and b.status <> 'ACCEPTED'
              and b.month > a.month and b.month < s.month)
        ), counted as (
          select l.delivery_id as id, l.concerns_month as m, sum(l.delivered)::int as delivered, sum(l.minutes)::int as minutes,
            sum(l.absent)::int as absent, sum(l.cancelled)::int as cancelled
          from settlement_delivery l join settlement a on a.id = l.settlement_id
          where a.commission_id = s.commission_id and l.concerns_month in (select month from settled)
          group by 1, 2
        ), lines as (
          select n.id, n.m, false as adjustment, n.delivered, n.minutes, n.absent, n.cancelled from now_counts n where n.m = s.month
          union all
          select coalesce(n.id, k.id), coalesce(n.m, k.m), true,
            coalesce(n.delivered, 0) - coalesce(k.delivered, 0), coalesce(n.minutes, 0) - coalesce(k.minutes, 0),
            coalesce(n.absent, 0) - coalesce(k.absent, 0), coalesce(n.cancelled, 0) - coalesce(k.cancelled, 0)
          from (select * from now_counts where m in (select month from settled)) n
            full join counted k on k.id = n.id and k.m = n.m
          where (coalesce(n.delivered, 0), coalesce(n.minutes, 0), coalesce(n.absent, 0), coalesce(n.cancelled, 0))
            is distinct from (coalesce(k.delivered, 0), coalesce(k.minutes, 0), coalesce(k.absent, 0), coalesce(k.cancelled, 0))
        )
        select l.id, i.id, sv.name, dense_rank() over (order by p.resident_id), l.m, l.adjustment,
          l.delivered, l.minutes, l.absent, l.cancelled
        from lines l join delivery d on d.id = l.id join ipus_item i on i.id = d.ipus_item_id
          join ipus p on p.id = i.ipus_id join service sv on sv.id = i.service_id
        order by l.adjustment, l.m, sv.name, i.id, l.id;
      end $$`);

    // --- live: both sides follow the settlement's state.
    this.addSql(`alter table outbox_event drop constraint outbox_event_topic_check`);
    this.addSql(`alter table outbox_event add constraint outbox_event_topic_check
      check (topic in ('IPUS', 'ASSIGNMENT', 'STANDING', 'SETTLEMENT', 'PARTNER_SETTLEMENT'))`);
    this.addSql(`alter table outbox_event drop constraint outbox_event_partner_check`);
    this.addSql(`alter table outbox_event add constraint outbox_event_partner_check
      check ((topic in ('ASSIGNMENT', 'STANDING', 'PARTNER_SETTLEMENT')) = (partner_id is not null))`);
    // Permissive, beside outbox_event_read: the centre's managers read their gminy's settlement events, a partner its own.
    this.addSql(
      policy({
        table: 'outbox_event',
        name: 'outbox_event_settlement_read',
        command: 'select',
        using: [`(${managers} and topic = 'SETTLEMENT')`, `(${ownPartner} and topic = 'PARTNER_SETTLEMENT')`].join(' or '),
      }),
    );
    // The partner's standing narrows its assignments (Migration20261207000900PartnerStanding), not its
    // settlements: a partner retired from a gmina still settles the months it worked there.
    this.addSql(`drop policy outbox_event_partner_standing on outbox_event`);
    this.addSql(`create policy outbox_event_partner_standing on outbox_event as restrictive for select to public using (
      (select app.role()) is distinct from 'PARTNER' or topic = 'PARTNER_SETTLEMENT' or gmina_id in (select s.gmina_id from app.partner_live_gminy() s))`);

    this.addSql(`create function app.settlement_to_outbox() returns trigger language plpgsql security definer set search_path = public, pg_temp as $$
      begin
        -- Held until commit: ids become visible in the order they were handed out (as every outbox writer).
        perform pg_advisory_xact_lock(hashtext('${OUTBOX_CHANNEL}'));
        insert into outbox_event (id, topic, gmina_id, subject_id, partner_id, revision, kind)
        values (nextval('outbox_event_id_seq'), 'SETTLEMENT', new.gmina_id, new.id, null, new.version, new.status),
               (nextval('outbox_event_id_seq'), 'PARTNER_SETTLEMENT', new.gmina_id, new.id, new.partner_id, new.version, new.status);
        perform pg_notify('${OUTBOX_CHANNEL}', currval('outbox_event_id_seq')::text);
        return null;
      end $$`);
    this.addSql(`create trigger settlement_to_outbox_insert after insert on settlement for each row execute function app.settlement_to_outbox()`);
    this.addSql(`create trigger settlement_to_outbox_update after update on settlement for each row
      when (old.status is distinct from new.status) execute function app.settlement_to_outbox()`);
  }
}
