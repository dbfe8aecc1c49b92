import { Migration } from '@mikro-orm/migrations';
import { WAITING_LIST_LIVE } from '../src/modules/waiting-list/waiting-list.enums.js';
import { sqlList } from './Migration20261123000200Catalogue.js';

const LIVE = `(${sqlList([...WAITING_LIST_LIVE])})`;

/**
 * The waiting list kept in filing order (found in review of Migration20261209000400WaitingList):
 *
 * - A plan filed after an item that waits could be approved into the room that item needs (the head
 *   needing 6 hours waits for them; a newcomer needing 3 took 3 of the 4 left). Now what waits ahead of a
 *   plan in filing order is held from it, as pending offers are: `app.waiting_list_held` counts the
 *   WAITING entries whose application was filed before the plan's (by the same key the line is ordered
 *   by). A head that does not fit blocks those filed after it; those filed before it are ahead of it.
 * - A place accepted but given up before the plan was approved (the plan closed, or the item removed)
 *   held the line still: no offer followed. Both triggers now end such an acceptance and offer the place.
 */
export class Migration20261209001000WaitingListOrder extends Migration {
  override up(): void {
    this.addSql(`create or replace function app.waiting_list_held(commission_ids uuid[], for_plan uuid)
      returns table (commission_id uuid, volume numeric, persons integer)
      language sql stable security definer set search_path = public, pg_temp as $$
        with own as (
          select a.filed_on, a.created_at as filed_at, a.id as application_id
          from ipus p join application a on a.id = p.application_id where p.id = for_plan
        ), held as (
          select e.commission_id, i.quantity, coalesce(r.merged_into, r.id) as person
          from waiting_list_entry e join ipus_item i on i.id = e.ipus_item_id join ipus p on p.id = e.ipus_id join resident r on r.id = p.resident_id
          where e.commission_id = any (commission_ids) and e.ipus_id is distinct from for_plan
            and (e.status = 'OFFERED' or (e.status = 'ACCEPTED' and p.status in ('DRAFT', 'AWAITING_APPROVAL'))
              or (e.status = 'WAITING' and p.status in ('DRAFT', 'AWAITING_APPROVAL')
                and (e.filed_on, e.filed_at, e.application_id) < (select o.filed_on, o.filed_at, o.application_id from own o)))
            and exists (select 1 from commission k where k.id = e.commission_id and k.gmina_ids && (select app.gminy())::int[])
        )
        select h.commission_id, sum(h.quantity),
          (count(distinct h.person) filter (where h.person not in (select cp.person from app.commission_persons(h.commission_id) cp)
            and h.person is distinct from (select coalesce(r.merged_into, r.id) from ipus p join resident r on r.id = p.resident_id where p.id = for_plan)))::int
        from held h group by h.commission_id
      $$`);

    this
      .addSql(`create or replace function app.ipus_waiting_list_ends() returns trigger language plpgsql security definer set search_path = public, pg_temp as $$
      declare
        target uuid;
      begin
        -- Approved while its place was offered: the plan took it. Otherwise the wait ends with the plan's change.
        for target in update waiting_list_entry set
            status = case when new.status = 'APPROVED' and status = 'OFFERED' then 'ACCEPTED' else 'REMOVED' end,
            ended_on = (now() at time zone 'Europe/Warsaw')::date, ended_by = (select app.user_id()),
            end_reason = case when new.status = 'APPROVED' and status = 'OFFERED' then null else 'The plan was ' || lower(new.status) end
          where ipus_id = new.id and status in ${LIVE} returning commission_id loop
          perform app.waiting_list_offer(target);
        end loop;
        -- A place accepted and held for the plan, given up as the plan closes before approval: the next in line.
        if new.status in ('COMPLETED', 'TERMINATED') then
          for target in update waiting_list_entry set status = 'REMOVED', end_reason = 'The plan was ' || lower(new.status) || ' before approval'
            where ipus_id = new.id and status = 'ACCEPTED' and old.status in ('DRAFT', 'AWAITING_APPROVAL') returning commission_id loop
            perform app.waiting_list_offer(target);
          end loop;
        end if;
        return null;
      end $$`);

    this
      .addSql(`create or replace function app.ipus_item_leaves_waiting() returns trigger language plpgsql security definer set search_path = public, pg_temp as $$
      declare
        target uuid;
      begin
        for target in update waiting_list_entry set status = 'REMOVED', ended_on = (now() at time zone 'Europe/Warsaw')::date,
            ended_by = (select app.user_id()), end_reason = 'The item was removed from the plan'
          where ipus_item_id = old.id and status in ${LIVE} returning commission_id loop
          perform app.waiting_list_offer(target);
        end loop;
        -- The item's accepted place, held until its plan's approval, frees with the item.
        for target in update waiting_list_entry e set status = 'REMOVED', end_reason = 'The item was removed from the plan before approval'
          from ipus p where p.id = e.ipus_id and p.status in ('DRAFT', 'AWAITING_APPROVAL') and e.ipus_item_id = old.id and e.status = 'ACCEPTED'
          returning e.commission_id loop
          perform app.waiting_list_offer(target);
        end loop;
        return old;
      end $$`);
  }
}
