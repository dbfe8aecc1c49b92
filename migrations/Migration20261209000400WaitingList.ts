import { Migration } from '@mikro-orm/migrations';
import { OUTBOX_CHANNEL } from '../src/platform/events/outbox-channel.js';
import { RECORD_READERS } from '../src/platform/auth/roles.js';
import { WAITING_LIST_LIVE, WAITING_LIST_STATUSES } from '../src/modules/waiting-list/waiting-list.enums.js';
import { enableRls, inScope, managedBy, policy, roleIn } from './rls.js';
import { sqlList } from './Migration20261123000200Catalogue.js';

const LIVE = `(${sqlList([...WAITING_LIST_LIVE])})`;

/**
 * The waiting list (issue 20): when a commission has no place or volume left for a plan item, the
 * item waits in the order its application was filed (the act's rule), per commission (capacity is
 * measured on commissions).
 *
 * - `waiting_list_entry`: one row per item and wait. WAITING -> OFFERED (a place freed and this entry
 *   is first in line) -> ACCEPTED; or DECLINED / REMOVED. `filed_on`, `filed_at` (the application's
 *   filing day and its record's creation) and the application id order the line; `joined_on`,
 *   `offered_on` and `ended_on` stay on the row so that time waited can be reported after the wait ends.
 * - `app.waiting_list_offer(commission)`: offers the place to the first WAITING entry in line when its
 *   item fits in what the commission has left, and only while no other offer of that commission is
 *   pending (an OFFERED entry, or an ACCEPTED one whose plan is not yet approved): an offer holds the
 *   place, and the API counts it as taken when it checks other plans' room. It is called by a trigger
 *   whenever a commission's use changes or its terms do (an item shortened or removed, a plan completed
 *   or terminated, an annex raising volume, places or budget), and after an entry leaves the line.
 *   The offer is an IPUS outbox event of the entry's plan (kind UPDATED, changes {waitingList}), as
 *   deliveries are: the coordinator's dashboard (ipusFeed, ipusUpdated) hears it live.
 * - A plan that closes, or an item deleted, takes its live entries off the line (REMOVED); a plan approved
 *   while its item was OFFERED took the place (ACCEPTED), one approved while it WAITING no longer waits (REMOVED).
 */
export class Migration20261209000400WaitingList extends Migration {
  override up(): void {
    // Those who read plans read and keep their waiting (the coordinator joins and answers, the managers read the line).
    const readers = managedBy([...RECORD_READERS]);

    this.addSql(`create table waiting_list_entry (
      id uuid primary key default gen_random_uuid(),
      gmina_id integer not null references gmina (id),
      ipus_id uuid not null,
      ipus_item_id uuid references ipus_item (id) on delete set null,
      commission_id uuid not null references commission (id),
      application_id uuid not null,
      filed_on date not null,
      filed_at timestamptz not null,
      status text not null default 'WAITING' check (status in (${sqlList([...WAITING_LIST_STATUSES])})),
      joined_on date not null,
      joined_by text not null,
      offered_on date,
      offered_at timestamptz,
      ended_on date,
      ended_by text,
      end_reason text,
      created_at timestamptz not null default now(),
      foreign key (ipus_id, gmina_id) references ipus (id, gmina_id),
      foreign key (application_id, gmina_id) references application (id, gmina_id),
      check ((status in ('OFFERED', 'ACCEPTED')) <= (offered_on is not null)),
      check ((status in ${LIVE}) = (ended_on is null)),
      check (status not in ${LIVE} or ipus_item_id is not null)
    )`);
    // One wait at a time per item; the line of a commission in filing order.
    this.addSql(`create unique index waiting_list_entry_item_live_key on waiting_list_entry (ipus_item_id) where status in ${LIVE}`);
    this.addSql(
      `create index waiting_list_entry_line_idx on waiting_list_entry (commission_id, filed_on, filed_at, application_id, id) where status in ${LIVE}`,
    );
    this.addSql(`create index waiting_list_entry_plan_idx on waiting_list_entry (ipus_id)`);
    this.addSql(`create index waiting_list_entry_gmina_idx on waiting_list_entry (gmina_id)`);
    for (const sql of enableRls('waiting_list_entry')) this.addSql(sql);
    this.addSql(policy({ table: 'waiting_list_entry', name: 'waiting_list_entry_read', command: 'select', using: readers }));
    this.addSql(policy({ table: 'waiting_list_entry', name: 'waiting_list_entry_insert', command: 'insert', check: readers }));
    this.addSql(policy({ table: 'waiting_list_entry', name: 'waiting_list_entry_update', command: 'update', using: readers, check: readers }));
    this.addSql(`grant select, insert, update on waiting_list_entry to cus_app`);

    // The head of the line is offered the place when its item fits in what is left and no offer is pending.
    this.addSql(`create function app.waiting_list_offer(target uuid) returns void language plpgsql security definer set search_path = public, pg_temp as $$
      declare
        c commission%rowtype;
        head record;
        person uuid;
        event_id bigint;
      begin
        perform app.lock_commission(target);
        select * into c from commission where id = target;
        if c.status is distinct from 'ACTIVE' then return; end if;
        if exists (select 1 from waiting_list_entry e join ipus p on p.id = e.ipus_id where e.commission_id = target
            and (e.status = 'OFFERED' or (e.status = 'ACCEPTED' and p.status in ('DRAFT', 'AWAITING_APPROVAL')))) then
          return;
        end if;
        select e.id, e.ipus_id, e.gmina_id, i.quantity, p.resident_id, p.revision into head
        from waiting_list_entry e join ipus_item i on i.id = e.ipus_item_id join ipus p on p.id = e.ipus_id
        where e.commission_id = target and e.status = 'WAITING' and p.status in ('DRAFT', 'AWAITING_APPROVAL')
        order by e.filed_on, e.filed_at, e.application_id, e.id limit 1;
        if head.id is null then return; end if;
        select coalesce(r.merged_into, r.id) into person from resident r where r.id = head.resident_id;
        if c.max_recipients is not null and c.assigned_recipients + (case when person in (select cp.person from app.commission_persons(target) cp) then 0 else 1 end) > c.max_recipients then
          return;
        end if;
        if c.volume is not null and c.assigned_volume + head.quantity > c.volume then return; end if;
        if c.budget is not null and c.unit_price is not null and (c.assigned_volume + head.quantity) * c.unit_price > c.budget then return; end if;
        update waiting_list_entry set status = 'OFFERED', offered_on = (now() at time zone 'Europe/Warsaw')::date, offered_at = now() where id = head.id;
        -- Held until commit: ids become visible in the order they were handed out (as every outbox writer).
        perform pg_advisory_xact_lock(hashtext('${OUTBOX_CHANNEL}'));
        event_id := nextval('outbox_event_id_seq');
        insert into outbox_event (id, topic, gmina_id, subject_id, revision, kind, changes)
        values (event_id, 'IPUS', head.gmina_id, head.ipus_id, head.revision, 'UPDATED', '{waitingList}');
        perform pg_notify('${OUTBOX_CHANNEL}', event_id::text);
      end $$`);
    this.addSql(`revoke all on function app.waiting_list_offer(uuid) from public`);
    this.addSql(`grant execute on function app.waiting_list_offer(uuid) to cus_app`);

    // What pending offers hold of some commissions, beside what plans hold: the API adds it to their use when
    // it checks another plan's room (src/modules/waiting-list/waiting-list-holds.ts). Over every gmina of
    // the commission, as its use is; the plan being checked holds nothing for itself here.
    this.addSql(`create function app.waiting_list_held(commission_ids uuid[], for_plan uuid)
      returns table (commission_id uuid, volume numeric, persons integer)
      language sql stable security definer set search_path = public, pg_temp as $$
        with held as (
          select e.commission_id, i.quantity, coalesce(r.merged_into, r.id) as person
          from waiting_list_entry e join ipus_item i on i.id = e.ipus_item_id join ipus p on p.id = e.ipus_id join resident r on r.id = p.resident_id
          where e.commission_id = any (commission_ids) and e.ipus_id is distinct from for_plan
            and (e.status = 'OFFERED' or (e.status = 'ACCEPTED' and p.status in ('DRAFT', 'AWAITING_APPROVAL')))
            and exists (select 1 from commission k where k.id = e.commission_id and k.gmina_ids && (select app.gminy())::int[])
        )
        select h.commission_id, sum(h.quantity),
          (count(distinct h.person) filter (where h.person not in (select cp.person from app.commission_persons(h.commission_id) cp)
            and h.person is distinct from (select coalesce(r.merged_into, r.id) from ipus p join resident r on r.id = p.resident_id where p.id = for_plan)))::int
        from held h group by h.commission_id
      $$`);
    this.addSql(`revoke all on function app.waiting_list_held(uuid[], uuid) from public`);
    this.addSql(`grant execute on function app.waiting_list_held(uuid[], uuid) to cus_app`);

    // An entry's place in its commission's line, counted over every gmina of the commission; only for
    // entries the caller reads.
    this.addSql(`create function app.waiting_list_positions(entry_ids uuid[]) returns table (entry_id uuid, place integer)
      language sql stable security definer set search_path = public, pg_temp as $$
        with asked as (
          select e.id, e.commission_id from waiting_list_entry e
          where e.id = any (entry_ids) and e.status in ${LIVE}
            and ${roleIn(...RECORD_READERS)} and ${inScope('e.gmina_id')}
        ), line as (
          select e.id, row_number() over (partition by e.commission_id order by e.filed_on, e.filed_at, e.application_id, e.id) as place
          from waiting_list_entry e where e.status in ${LIVE} and e.commission_id in (select commission_id from asked)
        )
        select l.id, l.place::int from line l join asked a on a.id = l.id
      $$`);
    this.addSql(`revoke all on function app.waiting_list_positions(uuid[]) from public`);
    this.addSql(`grant execute on function app.waiting_list_positions(uuid[]) to cus_app`);

    // Capacity freed (the use recounted), grown (an annex) or an offer taken up: the head of the line may fit now.
    this.addSql(`create function app.commission_waiting_list() returns trigger language plpgsql security definer set search_path = public, pg_temp as $$
      begin
        perform app.waiting_list_offer(new.id);
        return null;
      end $$`);
    this.addSql(`create trigger commission_waiting_list after update on commission for each row
      when (new.status = 'ACTIVE' and (new.assigned_volume is distinct from old.assigned_volume or new.assigned_recipients is distinct from old.assigned_recipients
        or new.volume is distinct from old.volume or new.max_recipients is distinct from old.max_recipients
        or new.budget is distinct from old.budget or old.status is distinct from 'ACTIVE'))
      execute function app.commission_waiting_list()`);

    // A plan approved (it has its room now) or closed takes its items off the line, and the next in line
    // may be offered: named after ipus_commission_use, it fires once the commission's use is recounted.
    this.addSql(`create function app.ipus_waiting_list_ends() returns trigger language plpgsql security definer set search_path = public, pg_temp as $$
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
        return null;
      end $$`);
    this.addSql(`create trigger ipus_waiting_list_ends after update of status on ipus for each row
      when (new.status in ('APPROVED', 'COMPLETED', 'TERMINATED') and old.status is distinct from new.status) execute function app.ipus_waiting_list_ends()`);

    // An item removed from its plan leaves the line (its row keeps the wait, without the item).
    this.addSql(`create function app.ipus_item_leaves_waiting() returns trigger language plpgsql security definer set search_path = public, pg_temp as $$
      declare
        target uuid;
      begin
        for target in update waiting_list_entry set status = 'REMOVED', ended_on = (now() at time zone 'Europe/Warsaw')::date,
            ended_by = (select app.user_id()), end_reason = 'The item was removed from the plan'
          where ipus_item_id = old.id and status in ${LIVE} returning commission_id loop
          perform app.waiting_list_offer(target);
        end loop;
        return old;
      end $$`);
    this.addSql(`create trigger ipus_item_leaves_waiting before delete on ipus_item for each row execute function app.ipus_item_leaves_waiting()`);
  }
}
