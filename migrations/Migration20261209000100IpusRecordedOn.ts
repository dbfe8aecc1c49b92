import { Migration } from '@mikro-orm/migrations';

/** The day in Poland, as the server's clock has it. */
const TODAY = `(now() at time zone 'Europe/Warsaw')::date`;

/**
 * Issue 20, backdating hid lateness: the 30-day clock from application to plan ran to `prepared_on`,
 * a date the coordinator declares. ipus.recorded_on is the day the plan was really prepared, the
 * server's date in Poland of its first save: set by the column's default (the service never writes it)
 * and kept by a trigger on every update. Existing plans take the day of their first revision.
 */
export class Migration20261209000100IpusRecordedOn extends Migration {
  override up(): void {
    this.addSql(`alter table ipus add column recorded_on date`);
    this.addSql(`update ipus p set recorded_on = coalesce(
        (select (min(v.changed_at) at time zone 'Europe/Warsaw')::date from ipus_revision v where v.ipus_id = p.id),
        (p.created_at at time zone 'Europe/Warsaw')::date)`);
    this.addSql(`alter table ipus alter column recorded_on set default ${TODAY}, alter column recorded_on set not null`);
    this.addSql(`create function app.ipus_recorded_on_kept() returns trigger language plpgsql set search_path = public, pg_temp as $$
      begin
        new.recorded_on := old.recorded_on;
        return new;
      end $$`);
    this.addSql(`create trigger ipus_recorded_on_kept before update of recorded_on on ipus for each row execute function app.ipus_recorded_on_kept()`);
    this.addSql(`create index ipus_recorded_on_idx on ipus (gmina_id, recorded_on)`);
  }
}
