import { Migration } from '@mikro-orm/migrations';
import { enableRls, managedBy, parentVisible, policy, roleIn } from './rls.js';
import { OUTBOX_CHANNEL } from '../src/platform/events/outbox-channel.js';

/** Staff who record sessions of items the CUS or a gmina unit provides (RECORD_READERS of src/platform/auth/roles.ts). */
const IN_HOUSE_RECORDERS = ['DIRECTOR', 'SERVICES_ORGANISER', 'COORDINATOR'];

/**
 * Deliveries for every provider (issue 19), and the plausibility rules the database holds itself.
 *
 * 1. A delivery of an item the CUS or a gmina unit provides has no commission and no partner: the
 *    centre's staff of the item's gmina record and correct it (row-level security), with the same
 *    corrections history and notes as a partner's.
 * 2. A commission's status by date: `commission_status_history` keeps each status a commission took
 *    and the day it took it (its `status_changed_on`), written by a trigger and backfilled (a
 *    commission that is not PLANNED counts as ACTIVE from its period's start, then its status now
 *    from the day it took it: what the rule before it assumed). A partner's delivery falls on a day
 *    its commission was ACTIVE (app.commission_status_on).
 * 3. No overlap: under a lock per person (held to commit, so concurrent writers queue), a session that
 *    took place (DELIVERED or RESIDENT_ABSENT) overlaps no other such session of its item, and a
 *    DELIVERED one no other DELIVERED session of the same person, whatever item or provider. Refused
 *    with exclusion_violation (23P01) naming delivery_item_overlap or delivery_person_overlap, which
 *    the service maps to OVERLAPPING (src/modules/delivery/delivery-plausibility.ts takes the same
 *    lock before it checks, so this is the backstop).
 * 4. Live: every delivery recorded or corrected is an IPUS event of its plan (kind UPDATED, changes
 *    `deliveries`, the plan's revision unchanged), so staff following the plan see progress move.
 */
export class Migration20261208000200InHouseDeliveries extends Migration {
  override up(): void {
    const ownPartner = `${roleIn('PARTNER')} and partner_id = (select app.partner_id())`;
    const inHouse = `${managedBy(IN_HOUSE_RECORDERS)} and partner_id is null`;

    // --- 1. in-house deliveries
    this.addSql(`alter table delivery alter column commission_id drop not null, alter column partner_id drop not null`);
    this.addSql(`alter table delivery add constraint delivery_in_house_check check ((partner_id is null) = (commission_id is null))`);
    this.addSql(`alter table delivery_correction alter column partner_id drop not null`);
    this.addSql(`alter table delivery_note alter column partner_id drop not null`);
    this.addSql(`drop policy delivery_insert on delivery`);
    this.addSql(`drop policy delivery_update on delivery`);
    this.addSql(
      policy({
        table: 'delivery',
        name: 'delivery_insert',
        command: 'insert',
        check: `((${ownPartner}) or (${inHouse})) and recorded_by = (select app.user_id())`,
      }),
    );
    this.addSql(
      policy({
        table: 'delivery',
        name: 'delivery_update',
        command: 'update',
        using: `(${ownPartner}) or (${inHouse})`,
        check: `(${ownPartner}) or (${inHouse})`,
      }),
    );
    this.addSql(`drop policy delivery_note_insert on delivery_note`);
    this.addSql(policy({ table: 'delivery_note', name: 'delivery_note_insert', command: 'insert', check: `(${ownPartner}) or (${inHouse})` }));
    // Indexes for the overlap checks: a person's sessions are found through their plans' items.
    this.addSql(`create index if not exists ipus_item_ipus_idx on ipus_item (ipus_id)`);
    this.addSql(`create index if not exists ipus_resident_idx on ipus (resident_id)`);

    // --- 2. a commission's status by date
    this.addSql(`create table commission_status_history (
      id bigint generated always as identity primary key,
      commission_id uuid not null references commission (id),
      gmina_id integer not null references gmina (id),
      status text not null,
      since date not null,
      recorded_at timestamptz not null default now()
    )`);
    this.addSql(`create index commission_status_history_idx on commission_status_history (commission_id, since, id)`);
    this.addSql(`create index commission_status_history_gmina_idx on commission_status_history (gmina_id)`);
    for (const sql of enableRls('commission_status_history')) this.addSql(sql);
    this.addSql(
      policy({
        table: 'commission_status_history',
        name: 'commission_status_history_read',
        command: 'select',
        using: parentVisible('commission', 'commission_id'),
      }),
    );
    this.addSql(`grant select on commission_status_history to cus_app`);
    this.addSql(`insert into commission_status_history (commission_id, gmina_id, status, since)
      select id, gmina_id, s.status, s.since from commission c cross join lateral (values
        (case when c.status <> 'PLANNED' and c.period_start < c.status_changed_on then 'ACTIVE' end, c.period_start),
        (c.status, c.status_changed_on)) s (status, since)
      where s.status is not null order by c.id, s.since`);
    this.addSql(`create function app.commission_status_history() returns trigger language plpgsql security definer set search_path = public, pg_temp as $$
      begin
        -- Written straight in a later status (seeds, imports): ACTIVE from the period's start, as the backfill.
        if tg_op = 'INSERT' and new.status <> 'PLANNED' and new.period_start < new.status_changed_on then
          insert into commission_status_history (commission_id, gmina_id, status, since) values (new.id, new.gmina_id, 'ACTIVE', new.period_start);
        end if;
        insert into commission_status_history (commission_id, gmina_id, status, since) values (new.id, new.gmina_id, new.status, new.status_changed_on);
        return null;
      end $$`);
    this.addSql(`create trigger commission_status_history_insert after insert on commission for each row execute function app.commission_status_history()`);
    this.addSql(`create trigger commission_status_history_update after update of status on commission for each row
      when (old.status is distinct from new.status) execute function app.commission_status_history()`);
    // The status a commission ended the day with (the last taken on or before it; today: its status now).
    this
      .addSql(`create function app.commission_status_on(target uuid, day date) returns text language sql stable security definer set search_path = public, pg_temp as $$
      select h.status from commission_status_history h where h.commission_id = target and h.since <= day order by h.since desc, h.id desc limit 1 $$`);
    this.addSql(`revoke all on function app.commission_status_on(uuid, date) from public`);

    // --- 1 and 3: the guard of every delivery, as Migration20261207000800DeliveryNotes left it, for
    // every provider, with the commission's status on the day and no overlap.
    const session = (d: string) =>
      `tsrange(${d}.delivered_on + ${d}.starts_at, ${d}.delivered_on + ${d}.starts_at + ${d}.duration_minutes * interval '1 minute')`;
    const near = `d.id <> new.id and d.delivered_on between new.delivered_on - 1 and new.delivered_on + 1 and ${session('d')} && ${session('new')}`;
    this.addSql(`create or replace function app.delivery_guard() returns trigger language plpgsql security definer set search_path = public, pg_temp as $$
      declare
        item record;
        status_then text;
      begin
        if tg_op = 'UPDATE' and (new.ipus_item_id is distinct from old.ipus_item_id or new.partner_id is distinct from old.partner_id) then
          raise exception 'a delivery stays with its item' using errcode = '42501';
        end if;
        -- The person is the surviving record of a merge (resident.merged_into): two records of one person are one person's day.
        select i.provider_kind, i.partner_id, i.commission_id, i.gmina_id, i.start_on, i.end_on, coalesce(r.merged_into, r.id) as person_id,
            p.status, p.activated_on, p.closed_on, c.status as commission_status into item
          from ipus_item i join ipus p on p.id = i.ipus_id join resident r on r.id = p.resident_id left join commission c on c.id = i.commission_id
          where i.id = new.ipus_item_id;
        if not found then
          raise exception 'no such item' using errcode = '42501';
        end if;
        if item.provider_kind = 'PARTNER' then
          if item.partner_id is distinct from new.partner_id then
            raise exception 'the item is not assigned to this partner' using errcode = '42501';
          end if;
          if item.commission_status is distinct from 'ACTIVE' then
            raise exception 'the commission is %: deliveries are recorded and corrected under an ACTIVE commission', coalesce(item.commission_status, 'missing')
              using errcode = '42501';
          end if;
          if app.role() = 'PARTNER' and not exists (select 1 from partner_assignment a where a.id = new.ipus_item_id) then
            raise exception 'the partner no longer has access to this item' using errcode = '42501';
          end if;
        elsif new.partner_id is not null then
          raise exception 'the item is provided in house (%): the centre records it, not a partner', item.provider_kind using errcode = '42501';
        end if;
        if item.status not in ('ACTIVE', 'COMPLETED', 'TERMINATED') or new.delivered_on < item.start_on or new.delivered_on > item.end_on
            or new.delivered_on < item.activated_on or (item.closed_on is not null and new.delivered_on > item.closed_on) then
          raise exception 'the delivery falls outside the item''s period' using errcode = '23514';
        end if;
        if item.provider_kind = 'PARTNER' then
          status_then := app.commission_status_on(item.commission_id, new.delivered_on);
          if status_then is distinct from 'ACTIVE' then
            raise exception 'the commission was % on %: a delivery falls on a day its commission was ACTIVE', coalesce(status_then, 'not yet made'), new.delivered_on
              using errcode = '23514', constraint = 'delivery_commission_active_on_day';
          end if;
        end if;
        -- One writer per person at a time, to commit: each check below sees what the one before committed.
        perform pg_advisory_xact_lock(hashtextextended('delivery-person:' || item.person_id::text, 0));
        if new.outcome in ('DELIVERED', 'RESIDENT_ABSENT') and exists (select 1 from delivery d
            where d.ipus_item_id = new.ipus_item_id and d.outcome in ('DELIVERED', 'RESIDENT_ABSENT') and ${near}) then
          raise exception 'the session overlaps another session of its item' using errcode = '23P01', constraint = 'delivery_item_overlap';
        end if;
        if new.outcome = 'DELIVERED' and exists (select 1 from ipus p join ipus_item i on i.ipus_id = p.id join delivery d on d.ipus_item_id = i.id
            where p.resident_id in (select x.id from resident x where x.id = item.person_id or x.merged_into = item.person_id) and d.outcome = 'DELIVERED' and ${near}) then
          raise exception 'the session overlaps another session of the same person' using errcode = '23P01', constraint = 'delivery_person_overlap';
        end if;
        new.gmina_id := item.gmina_id;
        new.commission_id := item.commission_id;
        if tg_op = 'UPDATE' then
          insert into delivery_correction (delivery_id, version, gmina_id, partner_id, changed_by, previous)
          values (old.id, old.version, old.gmina_id, old.partner_id, app.user_id(),
            jsonb_build_object('deliveredOn', old.delivered_on, 'startsAt', old.starts_at, 'durationMinutes', old.duration_minutes,
              'outcome', old.outcome, 'recordedBy', old.recorded_by, 'recordedAt', old.recorded_at, 'updatedAt', old.updated_at));
          new.version := old.version + 1;
          new.updated_at := now();
        end if;
        return new;
      end $$`);

    // What the service checks before it writes (src/modules/delivery/delivery-plausibility.ts), for an
    // item the caller may record (its partner's assignment, or an in-house item of the staff's gminy;
    // otherwise no row): it takes the person's lock first, so the answer holds until the write commits.
    // The person's DELIVERED minutes that day, whether the session overlaps one of the item's or the
    // person's, and the commission's status that day (null in house). Nothing personal leaves it.
    const given = `tsrange(day + starts, day + starts + minutes * interval '1 minute')`;
    const around = `d.id is distinct from except_id and d.delivered_on between day - 1 and day + 1 and ${session('d')} && ${given}`;
    this.addSql(`create function app.delivery_plausibility(item_id uuid, day date, starts time, minutes integer, given_outcome text, except_id uuid)
      returns table (day_minutes integer, overlap text, commission_status text) language plpgsql volatile security definer set search_path = public, pg_temp as $$
      declare
        item record;
      begin
        select i.id, i.provider_kind, i.partner_id, i.gmina_id, i.commission_id, coalesce(r.merged_into, r.id) as person_id into item
          from ipus_item i join ipus p on p.id = i.ipus_id join resident r on r.id = p.resident_id where i.id = item_id;
        if not found
            or (item.provider_kind = 'PARTNER' and not (app.role() = 'PARTNER' and exists (select 1 from partner_assignment a where a.id = item_id)))
            or (item.provider_kind <> 'PARTNER' and not (app.role() in (${IN_HOUSE_RECORDERS.map((r) => `'${r}'`).join(', ')}) and item.gmina_id = any ((select app.gminy())::int[]))) then
          return;
        end if;
        perform pg_advisory_xact_lock(hashtextextended('delivery-person:' || item.person_id::text, 0));
        return query select
          (select coalesce(sum(d.duration_minutes), 0)::int from ipus p join ipus_item i on i.ipus_id = p.id join delivery d on d.ipus_item_id = i.id
            where p.resident_id in (select x.id from resident x where x.id = item.person_id or x.merged_into = item.person_id) and d.delivered_on = day and d.outcome = 'DELIVERED' and d.id is distinct from except_id),
          case
            when given_outcome in ('DELIVERED', 'RESIDENT_ABSENT') and exists (select 1 from delivery d
              where d.ipus_item_id = item_id and d.outcome in ('DELIVERED', 'RESIDENT_ABSENT') and ${around}) then 'ITEM'
            when given_outcome = 'DELIVERED' and exists (select 1 from ipus p join ipus_item i on i.ipus_id = p.id join delivery d on d.ipus_item_id = i.id
              where p.resident_id in (select x.id from resident x where x.id = item.person_id or x.merged_into = item.person_id) and d.outcome = 'DELIVERED' and ${around}) then 'PERSON'
          end,
          case when item.commission_id is not null then app.commission_status_on(item.commission_id, day) end;
      end $$`);
    this.addSql(`revoke all on function app.delivery_plausibility(uuid, date, time, integer, text, uuid) from public`);
    this.addSql(`grant execute on function app.delivery_plausibility(uuid, date, time, integer, text, uuid) to cus_app`);

    // A correction that says nothing of the note keeps it: the previous version's note is carried to the
    // new version for whoever corrects, including a services organiser, who writes notes but may not read
    // them (so the service cannot carry it through the organiser's own reads). Nothing is returned.
    this
      .addSql(`create function app.delivery_note_carry(corrected uuid) returns void language plpgsql volatile security definer set search_path = public, pg_temp as $$
      declare
        d record;
      begin
        select id, version, gmina_id, partner_id into d from delivery where id = corrected;
        if not found
            or (d.partner_id is not null and not (app.role() = 'PARTNER' and d.partner_id = app.partner_id()))
            or (d.partner_id is null and not (app.role() in (${IN_HOUSE_RECORDERS.map((r) => `'${r}'`).join(', ')}) and d.gmina_id = any ((select app.gminy())::int[]))) then
          return;
        end if;
        insert into delivery_note (delivery_id, version, note)
        select n.delivery_id, d.version, n.note from delivery_note n
        where n.delivery_id = d.id and n.version = d.version - 1
          and not exists (select 1 from delivery_note c where c.delivery_id = d.id and c.version = d.version);
      end $$`);
    this.addSql(`revoke all on function app.delivery_note_carry(uuid) from public`);
    this.addSql(`grant execute on function app.delivery_note_carry(uuid) to cus_app`);

    // --- 4. live: a delivery is an event of its plan
    this.addSql(`create function app.delivery_to_outbox() returns trigger language plpgsql security definer set search_path = public, pg_temp as $$
      declare
        event_id bigint;
      begin
        perform pg_advisory_xact_lock(hashtext('${OUTBOX_CHANNEL}'));
        event_id := nextval('outbox_event_id_seq');
        insert into outbox_event (id, topic, gmina_id, subject_id, revision, kind, changes)
        select event_id, 'IPUS', p.gmina_id, p.id, p.revision, 'UPDATED', '{deliveries}'
        from ipus_item i join ipus p on p.id = i.ipus_id where i.id = new.ipus_item_id;
        perform pg_notify('${OUTBOX_CHANNEL}', event_id::text);
        return null;
      end $$`);
    this.addSql(`create trigger delivery_to_outbox after insert or update on delivery for each row execute function app.delivery_to_outbox()`);
  }
}
