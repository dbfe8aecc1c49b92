import { Migration } from '@mikro-orm/migrations';
import { CUS_STAFF, enableRls, managedBy, parentVisible, policy, roleIn } from './rls.js';
import { sqlList } from './Migration20261123000200Catalogue.js';
import { RESIDENT_READERS } from './Migration20261123000500Residents.js';
import { OUTBOX_CHANNEL } from './Migration20261123000600Ipus.js';

/** Who commissions services: the director and the services organiser. */
export const COMMISSION_MANAGERS = ['DIRECTOR', 'SERVICES_ORGANISER'];
export const COMMISSION_PROCEDURES = ['OPEN_CALL', 'SMALL_GRANT', 'PUBLIC_PROCUREMENT', 'PUBLIC_BODY_AGREEMENT', 'IN_HOUSE'];
export const COMMISSION_STATUSES = ['PLANNED', 'ACTIVE', 'SUSPENDED', 'COMPLETED', 'TERMINATED'];
export const DELIVERY_OUTCOMES = ['DELIVERED', 'RESIDENT_ABSENT', 'CANCELLED_BY_PROVIDER', 'CANCELLED_BY_RESIDENT'];
/** Plan statuses in which a partner sees the items assigned to it: from approval on (a plan terminated before approval, never). */
export const PARTNER_VISIBLE_PLAN_STATUSES = ['APPROVED', 'ACTIVE', 'COMPLETED', 'TERMINATED'];
/** An item's fields that change what the partner does; a change of one is an assignment event. */
const ASSIGNMENT_FIELDS = [
  'serviceId',
  'commissionId',
  'placeKind',
  'locationId',
  'weekdays',
  'startsAt',
  'endsAt',
  'sessionCount',
  'startOn',
  'endOn',
  'quantity',
  'quantityUnit',
];

/**
 * Commissioning services to partners (DOMAIN.md, "Commissioning services to partners"): commissions,
 * plan items assigned under them, and the deliveries partners record.
 *
 * What a partner may know about a person is decided here, not in resolvers. A PARTNER principal has
 * no policy on `resident`, `ipus` or `ipus_item`; it reads its assignments through the view
 * `partner_assignment`, which returns only the rows of items assigned to its own organisation in
 * approved or later plans, and only the columns the service needs: names, contact and, for services
 * at the resident's home, the address, while the plan is approved or active. The view runs with its
 * owner's rights (the migrating role, which bypasses row-level security), so it is the one door.
 *
 * A commission's use (recipients, volume, deliveries) is kept on the commission row by triggers, so
 * whoever may read the commission reads its use, and its capacity is a check constraint: two
 * concurrent assignments of the last place cannot both commit.
 */
export class Migration20261127000700Commissioning extends Migration {
  override up(): void {
    const staffSees = `(${roleIn(...CUS_STAFF, 'GMINA_OFFICIAL')}) and gmina_ids && (select app.gminy())`;
    const ownPartner = `${roleIn('PARTNER')} and partner_id = (select app.partner_id())`;
    const managers = managedBy(COMMISSION_MANAGERS);
    const nonBlank = (column: string) => `btrim(coalesce(${column}, '')) <> ''`;

    this.addSql(`create table commission (
      id uuid primary key default gen_random_uuid(),
      gmina_id integer not null references gmina (id),
      gmina_ids integer[] not null check (cardinality(gmina_ids) >= 1 and gmina_id = any (gmina_ids)),
      cus_unit_id uuid not null,
      partner_id uuid not null references partner (id),
      title text not null check (btrim(title) <> ''),
      procedure text not null check (procedure in (${sqlList(COMMISSION_PROCEDURES)})),
      agreement_number text,
      period_start date,
      period_end date,
      budget numeric(14, 2) check (budget >= 0),
      unit_price numeric(12, 2) check (unit_price > 0),
      max_recipients integer check (max_recipients > 0),
      volume numeric(12, 2) check (volume > 0),
      volume_unit text check (volume_unit in ('HOURS', 'SESSIONS')),
      quality_indicators text[] not null default '{}',
      reporting_duty text,
      status text not null default 'PLANNED' check (status in (${sqlList(COMMISSION_STATUSES)})),
      status_reason text,
      assigned_recipients integer not null default 0,
      assigned_volume numeric(12, 2) not null default 0,
      delivered_volume numeric(12, 2) not null default 0,
      delivered_count integer not null default 0,
      budget_committed numeric(14, 2) generated always as (round(assigned_volume * unit_price, 2)) stored,
      budget_used numeric(14, 2) generated always as (round(delivered_volume * unit_price, 2)) stored,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (id, partner_id),
      foreign key (cus_unit_id, gmina_id) references cus_unit (id, gmina_id),
      check (period_end >= period_start),
      check ((volume is null) = (volume_unit is null)),
      check (unit_price is null or volume_unit is not null),
      check (status = 'PLANNED' or (${nonBlank('agreement_number')} and period_start is not null and period_end is not null and budget is not null)),
      check (status not in ('SUSPENDED', 'TERMINATED') or ${nonBlank('status_reason')}),
      constraint commission_recipients_capacity check (max_recipients is null or assigned_recipients <= max_recipients),
      constraint commission_volume_capacity check (volume is null or assigned_volume <= volume),
      constraint commission_budget_capacity check (budget is null or unit_price is null or round(assigned_volume * unit_price, 2) <= budget)
    )`);
    this.addSql(`create index commission_gminy_idx on commission using gin (gmina_ids)`);
    this.addSql(`create index commission_gmina_idx on commission (gmina_id)`);
    this.addSql(`create index commission_partner_idx on commission (partner_id, status, period_start)`);
    this.addSql(`create index commission_unit_idx on commission (cus_unit_id, status)`);
    this.addSql(`create trigger commission_gminy_exist before insert or update of gmina_ids on commission
      for each row execute function app.check_gmina_ids()`);
    for (const sql of enableRls('commission')) this.addSql(sql);
    this.addSql(policy({ table: 'commission', name: 'commission_read', command: 'select', using: `(${staffSees}) or (${ownPartner})` }));
    this.addSql(policy({ table: 'commission', name: 'commission_insert', command: 'insert', check: managers }));
    this.addSql(policy({ table: 'commission', name: 'commission_update', command: 'update', using: managers, check: managers }));
    this.addSql(`grant select, insert, update on commission to cus_app`);

    this.addSql(`create table commission_service (
      commission_id uuid not null references commission (id),
      service_id uuid not null references service (id),
      gmina_id integer not null references gmina (id),
      primary key (commission_id, service_id)
    )`);
    this.addSql(`create index commission_service_gmina_idx on commission_service (gmina_id)`);
    this.addSql(`create index commission_service_service_idx on commission_service (service_id)`);
    for (const sql of enableRls('commission_service')) this.addSql(sql);
    this.addSql(
      policy({ table: 'commission_service', name: 'commission_service_read', command: 'select', using: parentVisible('commission', 'commission_id') }),
    );
    this.addSql(policy({ table: 'commission_service', name: 'commission_service_write', command: 'all', using: managers, check: managers }));
    this.addSql(`grant select, insert, delete on commission_service to cus_app`);

    // --- one organisation, one register row: a centre that wants to commission a partner another
    // centre registered (its NIP is unique, and the row is invisible outside its gminy) joins it,
    // adding gminy of its own scope. Nothing else about the row changes, and only an active partner joins.
    this
      .addSql(`create function app.partner_join(joining_nip text, joining_gminy int[]) returns uuid language plpgsql security definer set search_path = public, pg_temp as $$
      declare
        joined uuid;
      begin
        if app.role() not in (${sqlList(['DIRECTOR', 'SERVICES_ORGANISER', 'COMMUNITY_ORGANISER'])}) or cardinality(joining_gminy) = 0
            or not (joining_gminy <@ app.gminy()) then
          raise exception 'only partner managers join a partner, with gminy of their own scope' using errcode = '42501';
        end if;
        update partner set gmina_ids = array(select distinct g from unnest(gmina_ids || joining_gminy) g order by g),
          version = version + 1, updated_at = now()
        where nip = joining_nip and status = 'ACTIVE'
        returning id into joined;
        return joined;
      end $$`);

    // --- assignment: an item provided by a partner names the commission it falls under, and the
    // composite key makes the commission that partner's.
    this.addSql(`alter table ipus_item add column commission_id uuid`);
    this.addSql(`alter table ipus_item add foreign key (commission_id, partner_id) references commission (id, partner_id)`);
    // Not validated against rows written before commissions existed; every new or changed item is checked.
    this.addSql(`alter table ipus_item add check ((provider_kind = 'PARTNER') = (commission_id is not null)) not valid`);
    this.addSql(`create index ipus_item_commission_idx on ipus_item (commission_id) where commission_id is not null`);

    // --- deliveries, recorded by partners. gmina_id and commission_id are taken from the item.
    this.addSql(`create table delivery (
      id uuid primary key default gen_random_uuid(),
      gmina_id integer not null references gmina (id),
      ipus_item_id uuid not null,
      commission_id uuid not null references commission (id),
      partner_id uuid not null references partner (id),
      delivered_on date not null,
      starts_at time not null,
      duration_minutes integer not null check (duration_minutes between 1 and 1440),
      outcome text not null check (outcome in (${sqlList(DELIVERY_OUTCOMES)})),
      note text check (char_length(note) <= 500),
      recorded_by text not null,
      recorded_at timestamptz not null default now(),
      version integer not null default 1,
      updated_at timestamptz not null default now(),
      foreign key (ipus_item_id, gmina_id) references ipus_item (id, gmina_id),
      constraint delivery_item_time_key unique (ipus_item_id, delivered_on, starts_at)
    )`);
    this.addSql(`create index delivery_partner_idx on delivery (partner_id, delivered_on, starts_at, id)`);
    this.addSql(`create index delivery_gmina_idx on delivery (gmina_id, delivered_on)`);
    this.addSql(`create index delivery_commission_idx on delivery (commission_id)`);
    for (const sql of enableRls('delivery')) this.addSql(sql);
    const recordReaders = managedBy(RESIDENT_READERS);
    this.addSql(policy({ table: 'delivery', name: 'delivery_read', command: 'select', using: `(${recordReaders}) or (${ownPartner})` }));
    this.addSql(policy({ table: 'delivery', name: 'delivery_insert', command: 'insert', check: `${ownPartner} and recorded_by = (select app.user_id())` }));
    this.addSql(policy({ table: 'delivery', name: 'delivery_update', command: 'update', using: ownPartner, check: ownPartner }));
    this.addSql(`grant select, insert, update on delivery to cus_app`);

    // Every correction keeps the delivery as it was: who changed it, when, and the previous values.
    this.addSql(`create table delivery_correction (
      delivery_id uuid not null references delivery (id),
      version integer not null,
      gmina_id integer not null references gmina (id),
      partner_id uuid not null references partner (id),
      changed_by text not null,
      changed_at timestamptz not null default now(),
      previous jsonb not null,
      primary key (delivery_id, version)
    )`);
    this.addSql(`create index delivery_correction_gmina_idx on delivery_correction (gmina_id)`);
    for (const sql of enableRls('delivery_correction')) this.addSql(sql);
    this.addSql(policy({ table: 'delivery_correction', name: 'delivery_correction_read', command: 'select', using: `(${recordReaders}) or (${ownPartner})` }));
    this.addSql(`grant select on delivery_correction to cus_app`);

    // The guard every delivery passes, whatever the application checked before: the item is the
    // recording partner's, in a plan that is (or was) active on that day, and within the item's dates.
    this.addSql(`create function app.delivery_guard() returns trigger language plpgsql security definer set search_path = public, pg_temp as $$
      declare
        item record;
      begin
        if tg_op = 'UPDATE' and (new.ipus_item_id is distinct from old.ipus_item_id or new.partner_id is distinct from old.partner_id) then
          raise exception 'a delivery stays with its item' using errcode = '42501';
        end if;
        select i.partner_id, i.commission_id, i.gmina_id, i.start_on, i.end_on, p.status, p.activated_on, p.closed_on into item
          from ipus_item i join ipus p on p.id = i.ipus_id where i.id = new.ipus_item_id;
        if not found or item.partner_id is distinct from new.partner_id then
          raise exception 'the item is not assigned to this partner' using errcode = '42501';
        end if;
        if item.status not in ('ACTIVE', 'COMPLETED', 'TERMINATED') or new.delivered_on < item.start_on or new.delivered_on > item.end_on
            or new.delivered_on < item.activated_on or (item.closed_on is not null and new.delivered_on > item.closed_on) then
          raise exception 'the delivery falls outside the item''s period' using errcode = '23514';
        end if;
        new.gmina_id := item.gmina_id;
        new.commission_id := item.commission_id;
        if tg_op = 'UPDATE' then
          insert into delivery_correction (delivery_id, version, gmina_id, partner_id, changed_by, previous)
          values (old.id, old.version, old.gmina_id, old.partner_id, app.user_id(),
            jsonb_build_object('deliveredOn', old.delivered_on, 'startsAt', old.starts_at, 'durationMinutes', old.duration_minutes,
              'outcome', old.outcome, 'note', old.note, 'recordedBy', old.recorded_by, 'recordedAt', old.recorded_at, 'updatedAt', old.updated_at));
          new.version := old.version + 1;
          new.updated_at := now();
        end if;
        return new;
      end $$`);
    this.addSql(`create trigger delivery_guard before insert or update on delivery for each row execute function app.delivery_guard()`);

    // --- a commission's use. Items of terminated plans count with what was delivered, not what was planned.
    // Whoever changes a commission's use holds this lock until commit, so a second writer waits and
    // then counts from what the first committed (each statement after the lock sees it).
    this.addSql(`create function app.lock_commission(target uuid) returns void language sql as
      $$ select pg_advisory_xact_lock(hashtextextended('commission:' || target::text, 0)) $$`);
    this.addSql(`create function app.refresh_commission_use(target uuid) returns void language plpgsql security definer set search_path = public, pg_temp as $$
      begin
      perform app.lock_commission(target);
      with delivered as (
        select d.ipus_item_id, count(*) as sessions, sum(d.duration_minutes) / 60.0 as hours
        from delivery d where d.commission_id = target and d.outcome = 'DELIVERED' group by d.ipus_item_id
      ), items as (
        select i.id, i.quantity, p.resident_id, p.status = 'TERMINATED' as ended, dl.sessions, dl.hours
        from ipus_item i join ipus p on p.id = i.ipus_id left join delivered dl on dl.ipus_item_id = i.id
        where i.commission_id = target
      )
      update commission c set
        delivered_count = coalesce((select sum(sessions) from delivered), 0),
        delivered_volume = coalesce((select sum(case c.volume_unit when 'SESSIONS' then sessions else hours end) from delivered), 0),
        assigned_volume = coalesce((select sum(case when not ended then quantity
          else coalesce(case c.volume_unit when 'SESSIONS' then sessions else hours end, 0) end) from items), 0),
        assigned_recipients = (select count(distinct resident_id) from items where not ended or sessions > 0)
      where c.id = target;
      end $$`);
    this.addSql(`create function app.item_commission_use() returns trigger language plpgsql security definer set search_path = public, pg_temp as $$
      begin
        if tg_op = 'UPDATE' and new.commission_id is not distinct from old.commission_id and new.quantity = old.quantity then return null; end if;
        if tg_op <> 'INSERT' and old.commission_id is not null then perform app.refresh_commission_use(old.commission_id); end if;
        if tg_op <> 'DELETE' and new.commission_id is not null and (tg_op = 'INSERT' or new.commission_id is distinct from old.commission_id) then
          perform app.refresh_commission_use(new.commission_id);
        end if;
        return null;
      end $$`);
    this.addSql(`create trigger ipus_item_commission_use after insert or update or delete on ipus_item
      for each row execute function app.item_commission_use()`);
    this.addSql(`create function app.plan_commission_use() returns trigger language plpgsql security definer set search_path = public, pg_temp as $$
      begin
        perform app.refresh_commission_use(c.id) from (select distinct commission_id as id from ipus_item
          where ipus_id = new.id and commission_id is not null order by 1) c;
        return null;
      end $$`);
    this.addSql(`create trigger ipus_commission_use after update of status on ipus for each row
      when ((old.status = 'TERMINATED') <> (new.status = 'TERMINATED')) execute function app.plan_commission_use()`);
    this.addSql(`create function app.delivery_commission_use() returns trigger language plpgsql security definer set search_path = public, pg_temp as $$
      begin
        perform app.refresh_commission_use(new.commission_id);
        return null;
      end $$`);
    this.addSql(`create trigger delivery_commission_use after insert or update on delivery for each row execute function app.delivery_commission_use()`);

    // --- what a partner sees of the items assigned to it (see the class comment).
    const visible = sqlList(PARTNER_VISIBLE_PLAN_STATUSES);
    const open = `p.status in ('APPROVED', 'ACTIVE')`;
    this.addSql(`create view partner_assignment with (security_barrier) as
      select i.id, i.gmina_id, i.partner_id, i.commission_id, i.service_id, i.place_kind, i.location_id,
        i.weekdays, i.starts_at, i.ends_at, i.session_count, i.start_on, i.end_on, i.quantity, i.quantity_unit,
        p.status as plan_status, p.activated_on as plan_activated_on, p.closed_on as plan_closed_on, p.coordinator_name,
        r.first_name, r.last_name,
        case when ${open} then r.phone end as phone,
        case when ${open} then r.email end as email,
        case when ${open} and i.place_kind = 'RESIDENT_HOME' then r.street end as street,
        case when ${open} and i.place_kind = 'RESIDENT_HOME' then r.postal_code end as postal_code,
        case when ${open} and i.place_kind = 'RESIDENT_HOME' then r.city end as city
      from ipus_item i
        join ipus p on p.id = i.ipus_id
        join resident r on r.id = p.resident_id
      where (select app.role()) = 'PARTNER' and i.partner_id = (select app.partner_id()) and p.status in (${visible}) and p.approved_on is not null`);
    this.addSql(`grant select on partner_assignment to cus_app`);

    // --- live updates for partners: the revision trigger also writes one ASSIGNMENT event per item
    // of a partner that appeared, changed, was withdrawn or ended, addressed to that partner.
    this.addSql(`alter table outbox_event drop constraint outbox_event_topic_check`);
    this.addSql(`alter table outbox_event add constraint outbox_event_topic_check check (topic in ('IPUS', 'ASSIGNMENT'))`);
    this.addSql(`alter table outbox_event add column partner_id uuid`);
    this.addSql(`alter table outbox_event add check ((topic = 'ASSIGNMENT') = (partner_id is not null))`);
    this.addSql(`create index outbox_event_partner_idx on outbox_event (partner_id, id) where partner_id is not null`);
    this.addSql(`drop policy outbox_event_read on outbox_event`);
    this.addSql(
      policy({
        table: 'outbox_event',
        name: 'outbox_event_read',
        command: 'select',
        using: [`(${recordReaders} and topic = 'IPUS')`, `(${ownPartner} and topic = 'ASSIGNMENT')`, `(select app.role()) = 'OUTBOX_DISPATCHER'`].join(' or '),
      }),
    );

    const fields = ASSIGNMENT_FIELDS.map((f) => `'${f}'`).join(', ');
    this
      .addSql(`create function app.assignment_events(revision_row ipus_revision) returns void language plpgsql security definer set search_path = public, pg_temp as $$
      declare
        before jsonb;
        was_visible boolean;
        now_visible boolean;
        ended boolean;
        change record;
      begin
        select snapshot into before from ipus_revision where ipus_id = revision_row.ipus_id and revision = revision_row.revision - 1;
        -- Approved at some point: a plan terminated while still a draft never reaches a partner.
        was_visible := coalesce(before->>'status' in (${visible}) and before->>'approvedOn' is not null, false);
        now_visible := revision_row.snapshot->>'status' in (${visible}) and revision_row.snapshot->>'approvedOn' is not null;
        ended := revision_row.snapshot->>'status' in ('COMPLETED', 'TERMINATED') and not coalesce(before->>'status' in ('COMPLETED', 'TERMINATED'), false);
        for change in
          with was as (
            select e->>'id' as id, e->>'partnerId' as partner, e from jsonb_array_elements(case when was_visible then before->'items' else '[]' end) e
            where e->>'partnerId' is not null
          ), cur as (
            select e->>'id' as id, e->>'partnerId' as partner, e from jsonb_array_elements(case when now_visible then revision_row.snapshot->'items' else '[]' end) e
            where e->>'partnerId' is not null
          )
          select coalesce(cur.id, was.id)::uuid as item_id, was.partner::uuid as old_partner, cur.partner::uuid as new_partner,
            array(select f from unnest(array[${fields}]) f where (was.e->f) is distinct from (cur.e->f)) as changed
          from was full join cur on cur.id = was.id
        loop
          if change.old_partner is distinct from change.new_partner then
            if change.old_partner is not null then perform app.assignment_event(revision_row, change.item_id, change.old_partner, 'WITHDRAWN', '{}'); end if;
            if change.new_partner is not null then perform app.assignment_event(revision_row, change.item_id, change.new_partner, 'ASSIGNED', '{}'); end if;
          elsif ended then
            perform app.assignment_event(revision_row, change.item_id, change.new_partner, 'ENDED', '{}');
          elsif cardinality(change.changed) > 0 then
            perform app.assignment_event(revision_row, change.item_id, change.new_partner, 'CHANGED', change.changed);
          end if;
        end loop;
      end $$`);
    this.addSql(`create function app.assignment_event(revision_row ipus_revision, item uuid, partner uuid, kind text, changes text[]) returns void
      language plpgsql security definer set search_path = public, pg_temp as $$
      declare
        event_id bigint;
      begin
        perform pg_advisory_xact_lock(hashtext('${OUTBOX_CHANNEL}'));
        event_id := nextval('outbox_event_id_seq');
        insert into outbox_event (id, topic, gmina_id, subject_id, revision, kind, changes, partner_id)
        values (event_id, 'ASSIGNMENT', revision_row.gmina_id, item, revision_row.revision, kind, changes, partner);
        perform pg_notify('${OUTBOX_CHANNEL}', event_id::text);
      end $$`);
    this
      .addSql(`create function app.ipus_revision_to_assignment_events() returns trigger language plpgsql security definer set search_path = public, pg_temp as $$
      begin
        perform app.assignment_events(new);
        return null;
      end $$`);
    // Fires after the plan's own event (triggers run in name order): the IPUS event keeps the lower id.
    this.addSql(`create trigger ipus_revision_to_outbox_z_assignments after insert on ipus_revision
      for each row execute function app.ipus_revision_to_assignment_events()`);
  }
}
