import { Migration } from '@mikro-orm/migrations';
import { PARTNER_ACCESS_WINDOW_DAYS, PLAN_STATUSES_SERVED } from '../src/modules/delivery/partner-ground.js';
import { sqlList } from './Migration20261123000200Catalogue.js';
import { OUTBOX_CHANNEL } from './Migration20261123000600Ipus.js';

const TODAY = `(now() at time zone 'Europe/Warsaw')::date`;

/**
 * Open WebSockets follow the partner's standing (issue 17, gap b).
 *
 * A partner's live assignments (`assignmentUpdated`) kept flowing from a gmina whose centre had
 * retired it, until its token expired, and a suspended commission sent it nothing. Now:
 *
 * - `app.partner_live_gminy()` is the partner's standing as its one door to people sees it (the view
 *   `partner_assignment`, Migration20261207000310PartnerGround): the gminy of its commissions that it
 *   still sees (an ACTIVE relationship in a gmina the commission's unit serves; the commission ACTIVE,
 *   or within PARTNER_ACCESS_WINDOW_DAYS of leaving ACTIVE), each with the last day it holds (null:
 *   while nothing changes). The server caches it per subscription (src/modules/delivery/live/partner-standing.ts).
 * - A change of a relationship's standing (joined, retired, reactivated, removed) writes a STANDING
 *   event to the outbox, addressed to the partner and naming the gmina: the server re-reads the
 *   standing of that partner's open subscriptions on it, and ends those that lost a gmina. Written
 *   once per statement (a bulk load of partners writes one batch), and only when a status changed.
 *   Partners never read STANDING events; the dispatcher does.
 * - Suspending, resuming, completing or terminating a commission writes an ASSIGNMENT event
 *   (SUSPENDED, RESUMED, ENDED; changes: commissionStatus) for every item under it in an approved or
 *   active plan, so a partner's live schedule learns to stop (or go on) delivering.
 * - A partner reads (and so replays) ASSIGNMENT events only of gminy where it stands: a restrictive
 *   policy, on top of the read policy, in the database like the rest of the partner view.
 */
export class Migration20261207000900PartnerStanding extends Migration {
  override up(): void {
    this.addSql(`alter table outbox_event drop constraint outbox_event_topic_check`);
    this.addSql(`alter table outbox_event add constraint outbox_event_topic_check check (topic in ('IPUS', 'ASSIGNMENT', 'STANDING'))`);
    this.addSql(`alter table outbox_event drop constraint outbox_event_check`);
    this.addSql(`alter table outbox_event add constraint outbox_event_partner_check check ((topic in ('ASSIGNMENT', 'STANDING')) = (partner_id is not null))`);

    this.addSql(`create function app.partner_live_gminy() returns table (gmina_id integer, until date)
      language sql stable security definer set search_path = public, pg_temp as $$
      select g, case when bool_or(c.status = 'ACTIVE') then null else max(c.status_changed_on) + ${PARTNER_ACCESS_WINDOW_DAYS} end
      from commission c cross join unnest(c.gmina_ids) g
      where app.role() = 'PARTNER' and c.partner_id = app.partner_id()
        and exists (select 1 from partner_gmina r where r.partner_id = c.partner_id and r.gmina_id = any (c.gmina_ids) and r.status = 'ACTIVE')
        and (c.status = 'ACTIVE' or c.status_changed_on >= ${TODAY} - ${PARTNER_ACCESS_WINDOW_DAYS})
      group by g $$`);

    // Restrictive: it narrows whatever the read policies allow. Other principals are untouched.
    this.addSql(`create policy outbox_event_partner_standing on outbox_event as restrictive for select to public using (
      (select app.role()) is distinct from 'PARTNER' or gmina_id in (select s.gmina_id from app.partner_live_gminy() s))`);

    // --- STANDING events. Statement triggers (transition tables) so that bulk loads write one batch.
    // The outbox lock is taken only when there is an event: a change of contact or notes takes none.
    this.addSql(`create function app.partner_standing_events() returns trigger language plpgsql security definer set search_path = public, pg_temp as $$
      declare
        partners uuid[];
        gminy integer[];
        kinds text[];
      begin
        if tg_op = 'INSERT' then
          select array_agg(partner_id order by partner_id, gmina_id), array_agg(gmina_id order by partner_id, gmina_id), array_agg('ACTIVE'::text)
            into partners, gminy, kinds from added where status = 'ACTIVE';
        elsif tg_op = 'UPDATE' then
          select array_agg(n.partner_id order by n.partner_id, n.gmina_id), array_agg(n.gmina_id order by n.partner_id, n.gmina_id),
                 array_agg(case n.status when 'ACTIVE' then 'ACTIVE' else 'RETIRED' end order by n.partner_id, n.gmina_id)
            into partners, gminy, kinds
            from added n join removed o on o.partner_id = n.partner_id and o.gmina_id = n.gmina_id where n.status is distinct from o.status;
        else
          select array_agg(partner_id order by partner_id, gmina_id), array_agg(gmina_id order by partner_id, gmina_id), array_agg('RETIRED'::text)
            into partners, gminy, kinds from removed where status = 'ACTIVE';
        end if;
        if partners is null then return null; end if;
        -- Held until commit: ids become visible in the order they were handed out (as every outbox writer).
        perform pg_advisory_xact_lock(hashtext('${OUTBOX_CHANNEL}'));
        insert into outbox_event (id, topic, gmina_id, subject_id, partner_id, revision, kind)
        select nextval('outbox_event_id_seq'), 'STANDING', u.g, u.p, u.p, 0, u.k
        from (select * from unnest(partners, gminy, kinds) with ordinality as t(p, g, k, n) order by n) u;
        perform pg_notify('${OUTBOX_CHANNEL}', currval('outbox_event_id_seq')::text);
        return null;
      end $$`);
    this.addSql(`create trigger partner_gmina_standing_insert after insert on partner_gmina referencing new table as added
      for each statement execute function app.partner_standing_events()`);
    this.addSql(`create trigger partner_gmina_standing_update after update on partner_gmina referencing old table as removed new table as added
      for each statement execute function app.partner_standing_events()`);
    this.addSql(`create trigger partner_gmina_standing_delete after delete on partner_gmina referencing old table as removed
      for each statement execute function app.partner_standing_events()`);

    // --- a commission's status reaches the partner's live schedule, item by item.
    this.addSql(`create function app.commission_assignment_events() returns trigger language plpgsql security definer set search_path = public, pg_temp as $$
      declare
        event_kind text;
        last_id bigint;
      begin
        event_kind := case
          when new.status = 'SUSPENDED' then 'SUSPENDED'
          when new.status = 'ACTIVE' and old.status = 'SUSPENDED' then 'RESUMED'
          when new.status in ('COMPLETED', 'TERMINATED') then 'ENDED' end;
        if event_kind is null or not exists (
            select 1 from ipus_item i join ipus p on p.id = i.ipus_id
            where i.commission_id = new.id and i.partner_id is not null and p.status in (${sqlList([...PLAN_STATUSES_SERVED])})) then
          return null;
        end if;
        perform pg_advisory_xact_lock(hashtext('${OUTBOX_CHANNEL}'));
        with made as (
          insert into outbox_event (id, topic, gmina_id, subject_id, partner_id, revision, kind, changes)
          select nextval('outbox_event_id_seq'), 'ASSIGNMENT', t.gmina_id, t.id, t.partner_id, t.revision, event_kind, '{commissionStatus}'
          from (select i.id, i.gmina_id, i.partner_id, p.revision from ipus_item i join ipus p on p.id = i.ipus_id
                where i.commission_id = new.id and i.partner_id is not null and p.status in (${sqlList([...PLAN_STATUSES_SERVED])})
                  and p.approved_on is not null
                order by i.id) t
          returning id)
        select max(id) into last_id from made;
        perform pg_notify('${OUTBOX_CHANNEL}', last_id::text);
        return null;
      end $$`);
    this.addSql(`create trigger commission_status_to_outbox after update of status on commission
      for each row when (old.status is distinct from new.status) execute function app.commission_assignment_events()`);
  }
}
