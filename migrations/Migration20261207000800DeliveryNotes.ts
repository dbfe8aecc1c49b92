import { Migration } from '@mikro-orm/migrations';
import { enableRls, managedBy, policy, roleIn } from './rls.js';

/** Who reads partners' notes besides the partner that wrote them: as resident_sensitive, coordinators and the director. */
const NOTE_KEEPERS = ['DIRECTOR', 'COORDINATOR'];

/**
 * Partners' notes on sessions, walled by the database (issue 17: personal data walled by the database,
 * not only by the API).
 *
 * A partner's note on a delivered session is often about the person's health, so it follows the rule
 * of special-category data (resident_sensitive, Migration20261123000500Residents): the coordinators
 * and the director of the gmina, and the partner that wrote it. It shared its row with what a services
 * organiser reads of the session (`delivery`), and a correction copied it into
 * `delivery_correction.previous`, so only the API kept it from the organiser. Now it lives in
 * `delivery_note` only, one row per version of the delivery that carried a note: the current note is
 * the row at the delivery's version, a corrected version's note stays as history. The table has no
 * update or delete privilege, so a note once written is kept as it was (the correction history's
 * rule); a note is written by the delivery's partner, for the delivery's current version only.
 */
export class Migration20261207000800DeliveryNotes extends Migration {
  override up(): void {
    const ownPartner = `${roleIn('PARTNER')} and partner_id = (select app.partner_id())`;

    this.addSql(`create table delivery_note (
      delivery_id uuid not null references delivery (id),
      version integer not null,
      gmina_id integer not null references gmina (id),
      partner_id uuid not null references partner (id),
      note text not null check (char_length(note) <= 500),
      primary key (delivery_id, version)
    )`);
    this.addSql(`create index delivery_note_gmina_idx on delivery_note (gmina_id)`);
    for (const sql of enableRls('delivery_note')) this.addSql(sql);
    this.addSql(policy({ table: 'delivery_note', name: 'delivery_note_read', command: 'select', using: `(${managedBy(NOTE_KEEPERS)}) or (${ownPartner})` }));
    this.addSql(policy({ table: 'delivery_note', name: 'delivery_note_insert', command: 'insert', check: ownPartner }));
    this.addSql(`grant select, insert on delivery_note to cus_app`);

    // The notes held today, the current ones and those kept in corrections' previous values (before
    // the guard below, which takes only a current version's note).
    this.addSql(`insert into delivery_note (delivery_id, version, gmina_id, partner_id, note)
      select id, version, gmina_id, partner_id, note from delivery where note is not null`);
    this.addSql(`insert into delivery_note (delivery_id, version, gmina_id, partner_id, note)
      select delivery_id, version, gmina_id, partner_id, previous ->> 'note' from delivery_correction where previous ->> 'note' is not null`);
    this.addSql(`update delivery_correction set previous = previous - 'note' where previous ? 'note'`);

    // The note's gmina and partner are the delivery's, and it belongs to the version the delivery is at
    // (an earlier version's note is history: written when that version was current, or never).
    this.addSql(`create function app.delivery_note_guard() returns trigger language plpgsql security definer set search_path = public, pg_temp as $$
      declare
        d record;
      begin
        select gmina_id, partner_id, version into d from delivery where id = new.delivery_id;
        if not found then
          raise exception 'no such delivery' using errcode = '23503';
        end if;
        if new.version is distinct from d.version then
          raise exception 'a note is written for the delivery''s current version (%)', d.version using errcode = '42501';
        end if;
        new.gmina_id := d.gmina_id;
        new.partner_id := d.partner_id;
        return new;
      end $$`);
    this.addSql(`create trigger delivery_note_guard before insert on delivery_note for each row execute function app.delivery_note_guard()`);

    // The guard of every delivery, as Migration20261207000310PartnerGround left it, but a correction
    // no longer copies a note (there is none on the row: the note of the corrected version stays in
    // delivery_note).
    this.addSql(`create or replace function app.delivery_guard() returns trigger language plpgsql security definer set search_path = public, pg_temp as $$
      declare
        item record;
      begin
        if tg_op = 'UPDATE' and (new.ipus_item_id is distinct from old.ipus_item_id or new.partner_id is distinct from old.partner_id) then
          raise exception 'a delivery stays with its item' using errcode = '42501';
        end if;
        select i.partner_id, i.commission_id, i.gmina_id, i.start_on, i.end_on, p.status, p.activated_on, p.closed_on, c.status as commission_status into item
          from ipus_item i join ipus p on p.id = i.ipus_id left join commission c on c.id = i.commission_id where i.id = new.ipus_item_id;
        if not found or item.partner_id is distinct from new.partner_id then
          raise exception 'the item is not assigned to this partner' using errcode = '42501';
        end if;
        if item.commission_status is distinct from 'ACTIVE' then
          raise exception 'the commission is %: deliveries are recorded and corrected under an ACTIVE commission', coalesce(item.commission_status, 'missing')
            using errcode = '42501';
        end if;
        if app.role() = 'PARTNER' and not exists (select 1 from partner_assignment a where a.id = new.ipus_item_id) then
          raise exception 'the partner no longer has access to this item' using errcode = '42501';
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
              'outcome', old.outcome, 'recordedBy', old.recorded_by, 'recordedAt', old.recorded_at, 'updatedAt', old.updated_at));
          new.version := old.version + 1;
          new.updated_at := now();
        end if;
        return new;
      end $$`);
    this.addSql(`alter table delivery drop column note`);
  }
}
