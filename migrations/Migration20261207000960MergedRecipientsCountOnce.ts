import { Migration } from '@mikro-orm/migrations';
import { Role } from '../src/platform/auth/roles.js';

/**
 * A commission's recipients are persons (issue 17, gap c). Two records of one person merged
 * (Migration20261207000510OnePersonPerCentre) were two recipients of a commission under which both had
 * plan items, so a capped commission refused the person's next plan and showed a place taken twice.
 *
 * - `app.commission_persons`: the persons a commission counts, each record read as the record it was
 *   merged into (`coalesce(merged_into, id)`); the rule is the one before: items of plans not
 *   terminated, and items of terminated plans with sessions delivered. Internal (no grant).
 * - `app.refresh_commission_use` is redefined whole to count them.
 * - A merge recounts the commissions the merged record's plans have items under.
 * - `app.commission_other_recipients`: how many persons other than a resident each commission counts,
 *   which the API's capacity check needs and the coordinator's row-level security cannot read (the
 *   person's other records may be of another gmina of the centre). It gives counts only, for record
 *   keepers, for a resident of their own gminy.
 */
export class Migration20261207000960MergedRecipientsCountOnce extends Migration {
  override up(): void {
    this.addSql(`create function app.commission_persons(target uuid) returns table (person uuid)
      language sql stable security definer set search_path = public, pg_temp as $$
        select distinct coalesce(r.merged_into, r.id)
        from ipus_item i
          join ipus p on p.id = i.ipus_id
          join resident r on r.id = p.resident_id
        where i.commission_id = target
          and (p.status <> 'TERMINATED' or exists (select 1 from delivery d
            where d.ipus_item_id = i.id and d.commission_id = target and d.outcome = 'DELIVERED'))
      $$`);
    this.addSql(`revoke all on function app.commission_persons(uuid) from public`);

    this
      .addSql(`create or replace function app.refresh_commission_use(target uuid) returns void language plpgsql security definer set search_path = public, pg_temp as $$
      begin
      perform app.lock_commission(target);
      with delivered as (
        select d.ipus_item_id, count(*) as sessions, sum(d.duration_minutes) / 60.0 as hours
        from delivery d where d.commission_id = target and d.outcome = 'DELIVERED' group by d.ipus_item_id
      ), items as (
        select i.id, i.quantity, p.status = 'TERMINATED' as ended, dl.sessions, dl.hours
        from ipus_item i join ipus p on p.id = i.ipus_id left join delivered dl on dl.ipus_item_id = i.id
        where i.commission_id = target
      )
      update commission c set
        delivered_count = coalesce((select sum(sessions) from delivered), 0),
        delivered_volume = coalesce((select sum(case c.volume_unit when 'SESSIONS' then sessions else hours end) from delivered), 0),
        assigned_volume = coalesce((select sum(case when not ended then quantity
          else coalesce(case c.volume_unit when 'SESSIONS' then sessions else hours end, 0) end) from items), 0),
        assigned_recipients = (select count(*) from app.commission_persons(target))
      where c.id = target;
      end $$`);

    this.addSql(`create function app.resident_merge_commission_use() returns trigger language plpgsql security definer set search_path = public, pg_temp as $$
      begin
        perform app.refresh_commission_use(c.id) from (select distinct i.commission_id as id from ipus_item i join ipus p on p.id = i.ipus_id
          where p.resident_id = new.id and i.commission_id is not null order by 1) c;
        return null;
      end $$`);
    this.addSql(`create trigger resident_merge_commission_use after update of merged_into on resident
      for each row when (new.merged_into is distinct from old.merged_into) execute function app.resident_merge_commission_use()`);

    this.addSql(`create function app.commission_other_recipients(commission_ids uuid[], given_resident uuid)
      returns table (commission_id uuid, others integer)
      language plpgsql stable security definer set search_path = public, pg_temp as $$
      declare
        the_person uuid;
      begin
        select coalesce(r.merged_into, r.id) into the_person from resident r
        where r.id = given_resident and r.gmina_id = any ((select app.gminy())::int[]);
        if (select app.role()) not in ('${Role.DIRECTOR}', '${Role.COORDINATOR}') or the_person is null then
          raise exception 'only a record keeper counts the recipients of a commission, for a resident of its gminy' using errcode = '42501';
        end if;
        return query select c.id, (select count(*)::int from app.commission_persons(c.id) cp where cp.person <> the_person)
          from unnest(commission_ids) as c(id);
      end $$`);
    this.addSql(`revoke all on function app.commission_other_recipients(uuid[], uuid) from public`);
    this.addSql(`grant execute on function app.commission_other_recipients(uuid[], uuid) to cus_app`);
  }
}
