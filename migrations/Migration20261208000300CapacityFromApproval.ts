import { Migration } from '@mikro-orm/migrations';

/** Plan statuses whose items hold their planned quantity (and their resident a place) under a commission. */
const RESERVING = `('APPROVED', 'ACTIVE')`;
/** Plan statuses whose items keep only what was delivered. */
const CLOSED = `('COMPLETED', 'TERMINATED')`;
/** Who reads a commission (the policy commission_read of Migration20261127000700Commissioning, as of this migration). */
const READS_COMMISSION = `((select app.role()) in ('DIRECTOR', 'SERVICES_ORGANISER', 'COORDINATOR', 'COMMUNITY_ORGANISER', 'GMINA_OFFICIAL')
    and c.gmina_ids && (select app.gminy()))
  or ((select app.role()) = 'PARTNER' and c.partner_id = (select app.partner_id()))`;

/**
 * Capacity that follows reality (issue 19). Before, every item of a plan that was not terminated held
 * its whole planned quantity and its resident a place: an abandoned DRAFT blocked places, and a plan
 * COMPLETED early kept 150 hours reserved of which 4 were delivered. Now:
 *
 * - an item reserves its quantity, and its resident a place, while the plan is APPROVED or ACTIVE;
 * - while the plan is DRAFT or AWAITING_APPROVAL the item names its commission and reserves nothing
 *   (the API checks capacity when the plan is approved);
 * - once the plan is COMPLETED or TERMINATED the item keeps only what was delivered, and its resident
 *   no longer occupies a place.
 *
 * `app.commission_persons` and `app.refresh_commission_use` (newest definitions:
 * Migration20261207000960MergedRecipientsCountOnce) are redefined whole with that rule, and a plan's
 * every change of status recounts its commissions (before, only a move into or out of TERMINATED did).
 * The capacity check constraints on `commission` stay the race-free backstop: a reservation beyond them
 * cannot commit.
 *
 * `app.commission_other_recipients` also answers a SERVICES_ORGANISER, who approves plans (and so
 * checks their capacity) as the director does.
 *
 * `app.commission_use_on(commissions, day)`: the same figures as they stood at the end of `day`
 * (Polish time), from each plan's revision of that moment (status and items) and the deliveries
 * dated up to that day; only for commissions the caller reads.
 */
export class Migration20261208000300CapacityFromApproval extends Migration {
  override up(): void {
    this.addSql(`create or replace function app.commission_persons(target uuid) returns table (person uuid)
      language sql stable security definer set search_path = public, pg_temp as $$
        select distinct coalesce(r.merged_into, r.id)
        from ipus_item i
          join ipus p on p.id = i.ipus_id
          join resident r on r.id = p.resident_id
        where i.commission_id = target and p.status in ${RESERVING}
      $$`);

    this
      .addSql(`create or replace function app.refresh_commission_use(target uuid) returns void language plpgsql security definer set search_path = public, pg_temp as $$
      begin
      perform app.lock_commission(target);
      with delivered as (
        select d.ipus_item_id, count(*) as sessions, sum(d.duration_minutes) / 60.0 as hours
        from delivery d where d.commission_id = target and d.outcome = 'DELIVERED' group by d.ipus_item_id
      ), items as (
        select i.id, i.quantity, p.status, dl.sessions, dl.hours
        from ipus_item i join ipus p on p.id = i.ipus_id left join delivered dl on dl.ipus_item_id = i.id
        where i.commission_id = target
      )
      update commission c set
        delivered_count = coalesce((select sum(sessions) from delivered), 0),
        delivered_volume = coalesce((select sum(case c.volume_unit when 'SESSIONS' then sessions else hours end) from delivered), 0),
        assigned_volume = coalesce((select sum(case when status in ${RESERVING} then quantity
          when status in ${CLOSED} then coalesce(case c.volume_unit when 'SESSIONS' then sessions else hours end, 0)
          else 0 end) from items), 0),
        assigned_recipients = (select count(*) from app.commission_persons(target))
      where c.id = target;
      end $$`);

    // Every move of a plan's status may take or release capacity (approval takes, completion releases).
    this.addSql(`drop trigger ipus_commission_use on ipus`);
    this.addSql(`create trigger ipus_commission_use after update of status on ipus for each row
      when (old.status is distinct from new.status) execute function app.plan_commission_use()`);

    // Approval checks capacity now, and a services organiser approves plans too: it may ask how many
    // other persons a commission counts (newest definition: Migration20261207000960MergedRecipientsCountOnce).
    this.addSql(`create or replace function app.commission_other_recipients(commission_ids uuid[], given_resident uuid)
      returns table (commission_id uuid, others integer)
      language plpgsql stable security definer set search_path = public, pg_temp as $$
      declare
        the_person uuid;
      begin
        select coalesce(r.merged_into, r.id) into the_person from resident r
        where r.id = given_resident and r.gmina_id = any ((select app.gminy())::int[]);
        if (select app.role()) not in ('DIRECTOR', 'COORDINATOR', 'SERVICES_ORGANISER') or the_person is null then
          raise exception 'only a record keeper or a plan approver counts the recipients of a commission, for a resident of its gminy' using errcode = '42501';
        end if;
        -- Only commissions of the caller's gminy: another gmina's commission id answers nothing, not its count.
        return query select c.id, (select count(*)::int from app.commission_persons(c.id) cp where cp.person <> the_person)
          from unnest(commission_ids) as c(id) join commission k on k.id = c.id
          where k.gmina_ids && (select app.gminy())::int[];
      end $$`);

    this.addSql(`create function app.commission_use_on(targets uuid[], day date)
      returns table (commission_id uuid, recipients integer, volume_reserved numeric, volume_delivered numeric, delivered_sessions integer)
      language sql stable security definer set search_path = public, pg_temp as $$
        with visible as (
          select c.id, c.volume_unit, c.cus_unit_id from commission c where c.id = any (targets) and (${READS_COMMISSION})
        ), delivered as (
          select d.commission_id, d.ipus_item_id, count(*) as sessions, sum(d.duration_minutes) / 60.0 as hours
          from delivery d join visible v on v.id = d.commission_id
          where d.outcome = 'DELIVERED' and d.delivered_on <= day
          group by d.commission_id, d.ipus_item_id
        ), latest as (
          -- Each plan of the commissioning units as it stood at the end of the day: its last revision by then.
          select r.ipus_id, max(r.revision) as revision
          from ipus_revision r join ipus p on p.id = r.ipus_id
          where p.cus_unit_id in (select cus_unit_id from visible) and r.changed_at < ((day + 1)::timestamp at time zone 'Europe/Warsaw')
          group by r.ipus_id
        ), items as (
          select v.id as commission_id, (it->>'id')::uuid as item_id, (it->>'quantity')::numeric as quantity,
            r.snapshot->>'status' as status, p.resident_id
          from latest l
            join ipus_revision r on r.ipus_id = l.ipus_id and r.revision = l.revision
            join ipus p on p.id = l.ipus_id
            cross join lateral jsonb_array_elements(r.snapshot->'items') it
            join visible v on v.id::text = it->>'commissionId'
        )
        select v.id,
          (select count(distinct coalesce(res.merged_into, res.id))::int from items i join resident res on res.id = i.resident_id
            where i.commission_id = v.id and i.status in ${RESERVING}),
          coalesce((select sum(case when i.status in ${RESERVING} then i.quantity
              when i.status in ${CLOSED} then coalesce(case v.volume_unit when 'SESSIONS' then dl.sessions else dl.hours end, 0)
              else 0 end)
            from items i left join delivered dl on dl.commission_id = i.commission_id and dl.ipus_item_id = i.item_id
            where i.commission_id = v.id), 0)::numeric(12, 2),
          coalesce((select sum(case v.volume_unit when 'SESSIONS' then dl.sessions else dl.hours end) from delivered dl where dl.commission_id = v.id), 0)::numeric(12, 2),
          coalesce((select sum(dl.sessions) from delivered dl where dl.commission_id = v.id), 0)::int
        from visible v
      $$`);
    this.addSql(`revoke all on function app.commission_use_on(uuid[], date) from public`);
    this.addSql(`grant execute on function app.commission_use_on(uuid[], date) to cus_app`);

    // What existing plans hold under the new rule (only ever less than before: drafts and closed plans release).
    this.addSql(`select app.refresh_commission_use(id) from commission order by id`);
  }
}
