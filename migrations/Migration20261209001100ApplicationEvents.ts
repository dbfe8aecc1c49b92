import { Migration } from '@mikro-orm/migrations';
import { managedBy, policy } from './rls.js';
import { OUTBOX_CHANNEL } from './Migration20261123000600Ipus.js';
import { RESIDENT_READERS } from './Migration20261123000500Residents.js';

/**
 * Applications on the outbox (issue 20, the coordinator's worklist live): an application filed, decided,
 * moved to another day or to another unit puts an APPLICATION event on the outbox, so a coordinator's
 * `worklistChanged` answers a new "no plan yet" item without waiting for the next query.
 *
 * - The event names the application and its status (kind) and version (revision), never its content.
 * - The staff who read applications read these events, for their gminy (as plan events).
 * - Only changes that move the worklist are written: a new application, and a change of its status,
 *   filing day or unit; an edit of its text or areas is not.
 */
export class Migration20261209001100ApplicationEvents extends Migration {
  override up(): void {
    this.addSql(`alter table outbox_event drop constraint outbox_event_topic_check`);
    this.addSql(`alter table outbox_event add constraint outbox_event_topic_check
      check (topic in ('IPUS', 'ASSIGNMENT', 'STANDING', 'SETTLEMENT', 'PARTNER_SETTLEMENT', 'APPLICATION'))`);
    // Permissive, beside outbox_event_read: whoever reads a gmina's applications reads their events.
    this.addSql(
      policy({
        table: 'outbox_event',
        name: 'outbox_event_application_read',
        command: 'select',
        using: `${managedBy(RESIDENT_READERS)} and topic = 'APPLICATION'`,
      }),
    );

    this.addSql(`create function app.application_to_outbox() returns trigger language plpgsql security definer set search_path = public, pg_temp as $$
      begin
        -- Held until commit: ids become visible in the order they were handed out (as every outbox writer).
        perform pg_advisory_xact_lock(hashtext('${OUTBOX_CHANNEL}'));
        insert into outbox_event (id, topic, gmina_id, subject_id, partner_id, revision, kind, changes)
        values (nextval('outbox_event_id_seq'), 'APPLICATION', new.gmina_id, new.id, null, new.version, new.status,
          case when tg_op = 'INSERT' then '{}'::text[]
               else array_remove(array[
                 case when old.status is distinct from new.status then 'status' end,
                 case when old.filed_on is distinct from new.filed_on then 'filedOn' end,
                 case when old.cus_unit_id is distinct from new.cus_unit_id then 'cusUnitId' end], null) end);
        perform pg_notify('${OUTBOX_CHANNEL}', currval('outbox_event_id_seq')::text);
        return null;
      end $$`);
    this.addSql(`create trigger application_to_outbox_insert after insert on application for each row execute function app.application_to_outbox()`);
    this.addSql(`create trigger application_to_outbox_update after update on application for each row
      when (old.status is distinct from new.status or old.filed_on is distinct from new.filed_on or old.cus_unit_id is distinct from new.cus_unit_id)
      execute function app.application_to_outbox()`);
  }
}
