import { Migration } from '@mikro-orm/migrations';
import { policy } from './rls.js';

/**
 * When an outbox event committed, as the database's own clock saw it: `occurred_at` is the
 * transaction's start (now()), which says nothing of how long the transaction then ran. A deferred
 * constraint trigger fires at COMMIT, after the last statement and just before the commit record is
 * flushed and NOTIFY sent, so clock_timestamp() there is the commit instant to within the flush;
 * time measured from it to a delivery is never less than the true commit-to-delivery time.
 * (bench/subscribers.ts measures from it.)
 */
export class Migration20261127001000OutboxCommitTime extends Migration {
  override up(): void {
    this.addSql(`alter table outbox_event add column committed_at timestamptz`);
    // Written only by the trigger below, running as the owner; cus_app holds no update privilege.
    this.addSql(policy({ table: 'outbox_event', name: 'outbox_event_commit_time', command: 'update', using: 'true', check: 'true' }));
    this.addSql(`create function app.outbox_event_committed() returns trigger language plpgsql security definer set search_path = public, pg_temp as $$
      begin
        update outbox_event set committed_at = clock_timestamp() where id = new.id;
        return null;
      end $$`);
    this.addSql(`create constraint trigger outbox_event_committed after insert on outbox_event
      deferrable initially deferred for each row execute function app.outbox_event_committed()`);
  }
}
