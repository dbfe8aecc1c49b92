import { Migration } from '@mikro-orm/migrations';
import { enableRls, managedBy, policy } from './rls.js';
import { WEEKDAYS, sqlList } from './Migration20261123000200Catalogue.js';
import { RESIDENT_READERS } from './Migration20261123000500Residents.js';
import { OUTBOX_CHANNEL, OUTBOX_DISPATCHER } from '../src/platform/events/outbox-channel.js';

/** Who prepares and edits plans: the coordinator (KIPUS). */
export const PLAN_EDITORS = ['COORDINATOR'];
/** Who approves plans: the director or an authorised services organiser. */
export const PLAN_APPROVERS = ['DIRECTOR', 'SERVICES_ORGANISER'];
/** The outbox listener's principal and NOTIFY channel ('OUTBOX_DISPATCHER', 'cus_outbox'), shared with the server; kept importable from here for older imports. */
export { OUTBOX_CHANNEL, OUTBOX_DISPATCHER };

export const PLAN_STATUSES = ['DRAFT', 'AWAITING_APPROVAL', 'APPROVED', 'ACTIVE', 'COMPLETED', 'TERMINATED'];

/**
 * Individual plans of social services (IPUS; DOMAIN.md, "The individual plan"), their revisions,
 * and the outbox that carries every change to live subscribers (ARCHITECTURE.md, "Live plan updates").
 *
 * A plan is personal data of the same weight as the resident's record: the same staff read it.
 * Every change of a plan inserts one `ipus_revision` row (who, when, what changed, and the whole
 * plan as it then stood); inserting it writes one `outbox_event` row in the same transaction,
 * through a trigger, so no code path can change a plan without its event.
 *
 * Outbox ids are handed out under a transaction-scoped advisory lock, which is released only at
 * commit: an event with a higher id never becomes visible before one with a lower id. Listeners
 * and resuming subscribers can therefore read "every event after id N" and never skip one that
 * commits late. The cost is that plan changes commit one at a time (the lock is held from the
 * revision insert to the commit, which the services keep short by inserting it last).
 */
export class Migration20261123000600Ipus extends Migration {
  override up(): void {
    const readers = managedBy(RESIDENT_READERS);
    const editors = managedBy(PLAN_EDITORS);
    const planWriters = managedBy([...PLAN_EDITORS, ...PLAN_APPROVERS]);

    this.addSql(`create table ipus (
      id uuid primary key default gen_random_uuid(),
      gmina_id integer not null references gmina (id),
      cus_unit_id uuid not null references cus_unit (id),
      resident_id uuid not null,
      application_id uuid not null,
      coordinator_subject text not null,
      coordinator_name text not null check (btrim(coordinator_name) <> ''),
      period_start date not null,
      period_end date not null,
      status text not null default 'DRAFT' check (status in (${sqlList(PLAN_STATUSES)})),
      revision integer not null default 1 check (revision >= 1),
      prepared_on date not null,
      late_preparation_warning text,
      submitted_on date,
      approved_on date,
      approved_by text,
      agreed_on date,
      agreement_how text,
      activated_on date,
      closed_on date,
      closing_conversation_on date,
      termination_reason text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (id, gmina_id),
      foreign key (resident_id, gmina_id) references resident (id, gmina_id),
      foreign key (application_id, gmina_id) references application (id, gmina_id),
      -- At least 3 months and at most 12 (DOMAIN.md), counted inclusively: 1 Jan to 31 Mar is 3 months.
      check (period_end >= (period_start + interval '3 months')::date - 1),
      check (period_end <= (period_start + interval '12 months')::date - 1),
      check (status not in ('APPROVED', 'ACTIVE', 'COMPLETED') or (approved_on is not null and approved_by is not null)),
      check (status not in ('ACTIVE', 'COMPLETED') or (agreed_on is not null and btrim(coalesce(agreement_how, '')) <> '' and activated_on is not null)),
      check (status not in ('COMPLETED', 'TERMINATED') or closed_on is not null),
      check (status <> 'TERMINATED' or btrim(coalesce(termination_reason, '')) <> '')
    )`);
    this.addSql(`create index ipus_unit_status_idx on ipus (cus_unit_id, status, period_start)`);
    this.addSql(`create index ipus_gmina_status_idx on ipus (gmina_id, status)`);
    this.addSql(`create index ipus_resident_idx on ipus (resident_id)`);
    // One live plan per application: a new one may follow only a terminated plan.
    this.addSql(`create unique index ipus_application_live_key on ipus (application_id) where status <> 'TERMINATED'`);
    for (const sql of enableRls('ipus')) this.addSql(sql);
    this.addSql(policy({ table: 'ipus', name: 'ipus_read', command: 'select', using: readers }));
    this.addSql(policy({ table: 'ipus', name: 'ipus_insert', command: 'insert', check: editors }));
    this.addSql(policy({ table: 'ipus', name: 'ipus_update', command: 'update', using: planWriters, check: planWriters }));
    this.addSql(`grant select, insert, update on ipus to cus_app`);

    this.addSql(`create table ipus_goal (
      id uuid primary key default gen_random_uuid(),
      gmina_id integer not null references gmina (id),
      ipus_id uuid not null,
      position integer not null check (position >= 1),
      description text not null check (btrim(description) <> ''),
      outcome text check (outcome in ('ACHIEVED', 'PARTLY_ACHIEVED', 'NOT_ACHIEVED')),
      closing_summary text,
      unique (id, gmina_id),
      foreign key (ipus_id, gmina_id) references ipus (id, gmina_id),
      check ((outcome is null) = (closing_summary is null))
    )`);
    this.addSql(`create index ipus_goal_plan_idx on ipus_goal (ipus_id, position)`);
    this.addSql(`create index ipus_goal_gmina_idx on ipus_goal (gmina_id)`);

    this.addSql(`create table ipus_item (
      id uuid primary key default gen_random_uuid(),
      gmina_id integer not null references gmina (id),
      ipus_id uuid not null,
      goal_id uuid,
      position integer not null check (position >= 1),
      service_id uuid not null references service (id),
      provider_kind text not null check (provider_kind in ('CUS', 'PARTNER', 'GMINA_UNIT')),
      partner_id uuid references partner (id),
      provider_unit_name text,
      place_kind text not null check (place_kind in ('LOCATION', 'RESIDENT_HOME', 'ONLINE')),
      location_id uuid references location (id),
      weekdays text[] check (weekdays <@ array[${sqlList(WEEKDAYS)}]),
      starts_at time,
      ends_at time,
      session_count integer check (session_count > 0),
      start_on date not null,
      end_on date not null,
      quantity numeric(10, 2) not null check (quantity > 0),
      quantity_unit text not null check (quantity_unit in ('HOURS', 'SESSIONS', 'DAYS', 'MEALS', 'UNITS')),
      note text,
      unique (id, gmina_id),
      foreign key (ipus_id, gmina_id) references ipus (id, gmina_id),
      foreign key (goal_id, gmina_id) references ipus_goal (id, gmina_id),
      check (end_on >= start_on),
      check ((provider_kind = 'PARTNER') = (partner_id is not null)),
      check (provider_kind <> 'GMINA_UNIT' or btrim(coalesce(provider_unit_name, '')) <> ''),
      check ((place_kind = 'LOCATION') = (location_id is not null)),
      -- A weekly recurrence (days and times) or a number of sessions, never both.
      check (
        (cardinality(weekdays) >= 1 and starts_at is not null and ends_at > starts_at and session_count is null)
        or (weekdays is null and starts_at is null and ends_at is null and session_count is not null)
      )
    )`);
    this.addSql(`create index ipus_item_plan_idx on ipus_item (ipus_id, position)`);
    this.addSql(`create index ipus_item_gmina_idx on ipus_item (gmina_id)`);
    this.addSql(`create index ipus_item_partner_idx on ipus_item (partner_id) where partner_id is not null`);
    this.addSql(`create index ipus_item_service_idx on ipus_item (service_id)`);

    this.addSql(`create table ipus_supporting_action (
      id uuid primary key default gen_random_uuid(),
      gmina_id integer not null references gmina (id),
      ipus_id uuid not null,
      position integer not null check (position >= 1),
      description text not null check (btrim(description) <> ''),
      giver_kind text not null check (giver_kind in ('VOLUNTEER', 'NEIGHBOUR', 'SELF_HELP_GROUP', 'FAMILY', 'OTHER')),
      giver_name text,
      schedule text,
      foreign key (ipus_id, gmina_id) references ipus (id, gmina_id)
    )`);
    this.addSql(`create index ipus_supporting_action_plan_idx on ipus_supporting_action (ipus_id, position)`);
    this.addSql(`create index ipus_supporting_action_gmina_idx on ipus_supporting_action (gmina_id)`);

    // The plan's contents are written by its coordinator only; approvers change the plan row itself.
    for (const table of ['ipus_goal', 'ipus_item', 'ipus_supporting_action']) {
      for (const sql of enableRls(table)) this.addSql(sql);
      this.addSql(policy({ table, name: `${table}_read`, command: 'select', using: readers }));
      this.addSql(policy({ table, name: `${table}_write`, command: 'all', using: editors, check: editors }));
      this.addSql(`grant select, insert, update, delete on ${table} to cus_app`);
    }

    this.addSql(`create table ipus_monitoring_note (
      id uuid primary key default gen_random_uuid(),
      gmina_id integer not null references gmina (id),
      ipus_id uuid not null,
      noted_on date not null,
      author_subject text not null,
      author_name text not null check (btrim(author_name) <> ''),
      note text not null check (btrim(note) <> ''),
      created_at timestamptz not null default now(),
      foreign key (ipus_id, gmina_id) references ipus (id, gmina_id)
    )`);
    this.addSql(`create index ipus_monitoring_note_plan_idx on ipus_monitoring_note (ipus_id, noted_on)`);
    this.addSql(`create index ipus_monitoring_note_gmina_idx on ipus_monitoring_note (gmina_id)`);
    for (const sql of enableRls('ipus_monitoring_note')) this.addSql(sql);
    this.addSql(policy({ table: 'ipus_monitoring_note', name: 'ipus_monitoring_note_read', command: 'select', using: readers }));
    // Coordinators write notes; an approver who returns a plan leaves the reason as one.
    this.addSql(
      policy({
        table: 'ipus_monitoring_note',
        name: 'ipus_monitoring_note_insert',
        command: 'insert',
        check: `${planWriters} and author_subject = (select app.user_id())`,
      }),
    );
    this.addSql(`grant select, insert on ipus_monitoring_note to cus_app`);

    // Append-only history: one row per change, numbered by the plan's revision. The primary key
    // makes a repeated revision number impossible, whatever the application does.
    this.addSql(`create table ipus_revision (
      ipus_id uuid not null,
      revision integer not null check (revision >= 1),
      gmina_id integer not null references gmina (id),
      kind text not null,
      changed_by text not null,
      changed_by_role text not null,
      changed_at timestamptz not null default now(),
      changes jsonb not null default '[]' check (jsonb_typeof(changes) = 'array'),
      snapshot jsonb not null check (jsonb_typeof(snapshot) = 'object'),
      primary key (ipus_id, revision),
      foreign key (ipus_id, gmina_id) references ipus (id, gmina_id)
    )`);
    this.addSql(`create index ipus_revision_gmina_idx on ipus_revision (gmina_id, changed_at)`);
    for (const sql of enableRls('ipus_revision')) this.addSql(sql);
    this.addSql(policy({ table: 'ipus_revision', name: 'ipus_revision_read', command: 'select', using: readers }));
    this.addSql(
      policy({
        table: 'ipus_revision',
        name: 'ipus_revision_insert',
        command: 'insert',
        check: `${planWriters} and changed_by = (select app.user_id()) and changed_by_role = (select app.role())`,
      }),
    );
    this.addSql(`grant select, insert on ipus_revision to cus_app`);

    // --- the outbox. Events carry no personal data: which plan, its revision, the kind of change and
    // the paths of the fields that changed. Subscribers read the plan itself under their own rights.
    this.addSql(`create sequence outbox_event_id_seq`);
    this.addSql(`create table outbox_event (
      id bigint primary key,
      topic text not null check (topic in ('IPUS')),
      gmina_id integer not null references gmina (id),
      subject_id uuid not null,
      revision integer not null,
      kind text not null,
      changes text[] not null default '{}',
      occurred_at timestamptz not null default now()
    )`);
    this.addSql(`alter sequence outbox_event_id_seq owned by outbox_event.id`);
    this.addSql(`create index outbox_event_subject_idx on outbox_event (subject_id, id)`);
    this.addSql(`create index outbox_event_gmina_idx on outbox_event (gmina_id, id)`);
    for (const sql of enableRls('outbox_event')) this.addSql(sql);
    this.addSql(
      policy({ table: 'outbox_event', name: 'outbox_event_read', command: 'select', using: `(${readers}) or (select app.role()) = '${OUTBOX_DISPATCHER}'` }),
    );
    // Only the trigger below (running as the owner) writes events; cus_app has no insert privilege.
    this.addSql(policy({ table: 'outbox_event', name: 'outbox_event_insert', command: 'insert', check: 'true' }));
    this.addSql(`grant select on outbox_event to cus_app`);

    this.addSql(`create function app.ipus_revision_to_outbox() returns trigger language plpgsql security definer set search_path = public, pg_temp as $$
      declare
        event_id bigint;
      begin
        -- Held until commit: ids become visible in the order they were handed out.
        perform pg_advisory_xact_lock(hashtext('${OUTBOX_CHANNEL}'));
        event_id := nextval('outbox_event_id_seq');
        insert into outbox_event (id, topic, gmina_id, subject_id, revision, kind, changes)
        values (event_id, 'IPUS', new.gmina_id, new.ipus_id, new.revision, new.kind,
          -- Only the top-level field of each change ("items", not which item): enough for a dashboard to refresh.
          coalesce((select array_agg(distinct (regexp_match(c->>'path', '^[A-Za-z]+'))[1]) from jsonb_array_elements(new.changes) c
            where c->>'path' ~ '^[A-Za-z]'), '{}'));
        perform pg_notify('${OUTBOX_CHANNEL}', event_id::text);
        return null;
      end $$`);
    this.addSql(`create trigger ipus_revision_to_outbox after insert on ipus_revision for each row execute function app.ipus_revision_to_outbox()`);
  }
}
