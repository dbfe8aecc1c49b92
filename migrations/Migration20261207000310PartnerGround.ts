import { Migration } from '@mikro-orm/migrations';
import { PARTNER_ACCESS_WINDOW_DAYS, PLAN_STATUSES_SERVED } from '../src/modules/delivery/partner-ground.js';
import { sqlList } from './Migration20261123000200Catalogue.js';
import { PARTNER_VISIBLE_PLAN_STATUSES } from './Migration20261127000700Commissioning.js';

/** Today in Poland, as the application counts days. */
const TODAY = `(now() at time zone 'Europe/Warsaw')::date`;

/**
 * A partner's access to a person ends with the ground for it (issue 17, item 5).
 *
 * The ground is the commission: a partner serves a person because its centre commissioned the service
 * and planned it for that person. So the view `partner_assignment` (the partner's one door to people,
 * see Migration20261127000700Commissioning) now asks all of it, not only the plan:
 *
 * - the person's phone, e-mail and (for home services) address, while the plan is approved or active
 *   and the commission is ACTIVE: a suspended, completed or terminated commission withholds them;
 * - the item at all (the person's name and the schedule), while that holds, or for
 *   PARTNER_ACCESS_WINDOW_DAYS after it ended (the plan's closing day, the day the commission left
 *   ACTIVE), so that the partner can finish its records and its report; after that it is gone;
 * - nothing, once the commissioning centre has retired the partner (no ACTIVE relationship in a gmina
 *   the commission's unit serves, as commissioning itself asks: Migration20261207000100PartnerRelationships).
 *   Retirement is the centre's decision to stop working with the partner: it ends access at once.
 *
 * A delivery draws on the commission's budget, so the database refuses one (and a correction) under a
 * commission that is not ACTIVE, and one by a partner for an item it no longer sees. The day a
 * commission's status changed is kept (`status_changed_on`) to count the window from.
 */
export class Migration20261207000310PartnerGround extends Migration {
  override up(): void {
    this.addSql(`alter table commission add column status_changed_on date not null default ${TODAY}`);
    // The best day known for rows written before: their last change.
    this.addSql(`update commission set status_changed_on = (updated_at at time zone 'Europe/Warsaw')::date`);
    this.addSql(`create function app.commission_status_day() returns trigger language plpgsql as $$
      begin
        new.status_changed_on := ${TODAY};
        return new;
      end $$`);
    this.addSql(`create trigger commission_status_day before update of status on commission
      for each row when (old.status is distinct from new.status) execute function app.commission_status_day()`);

    const served = `p.status in (${sqlList([...PLAN_STATUSES_SERVED])}) and c.status = 'ACTIVE'`;
    const windowStart = `${TODAY} - ${PARTNER_ACCESS_WINDOW_DAYS}`;
    // The columns and their order stay as they were (create or replace view may only add at the end).
    this.addSql(`create or replace view partner_assignment with (security_barrier) as
      select i.id, i.gmina_id, i.partner_id, i.commission_id, i.service_id, i.place_kind, i.location_id,
        i.weekdays, i.starts_at, i.ends_at, i.session_count, i.start_on, i.end_on, i.quantity, i.quantity_unit,
        p.status as plan_status, p.activated_on as plan_activated_on, p.closed_on as plan_closed_on, p.coordinator_name,
        r.first_name, r.last_name,
        case when ${served} then r.phone end as phone,
        case when ${served} then r.email end as email,
        case when ${served} and i.place_kind = 'RESIDENT_HOME' then r.street end as street,
        case when ${served} and i.place_kind = 'RESIDENT_HOME' then r.postal_code end as postal_code,
        case when ${served} and i.place_kind = 'RESIDENT_HOME' then r.city end as city,
        c.status as commission_status
      from ipus_item i
        join ipus p on p.id = i.ipus_id
        join resident r on r.id = p.resident_id
        join commission c on c.id = i.commission_id
      where (select app.role()) = 'PARTNER' and i.partner_id = (select app.partner_id())
        and p.status in (${sqlList(PARTNER_VISIBLE_PLAN_STATUSES)}) and p.approved_on is not null
        and exists (select 1 from partner_gmina pg where pg.partner_id = i.partner_id and pg.gmina_id = any (c.gmina_ids) and pg.status = 'ACTIVE')
        and (p.status in (${sqlList([...PLAN_STATUSES_SERVED])}) or p.closed_on >= ${windowStart})
        and (c.status = 'ACTIVE' or c.status_changed_on >= ${windowStart})`);

    // The guard of every delivery (as before), and now the ground: an ACTIVE commission, and for a
    // partner principal an item its view still shows. Seeds write as the owner, with no principal.
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
              'outcome', old.outcome, 'note', old.note, 'recordedBy', old.recorded_by, 'recordedAt', old.recorded_at, 'updatedAt', old.updated_at));
          new.version := old.version + 1;
          new.updated_at := now();
        end if;
        return new;
      end $$`);
  }
}
