import { Migration } from '@mikro-orm/migrations';
import { CUS_STAFF, enableRls, inScope, managedBy, policy, roleIn, staffTablePolicies } from './rls.js';
import { SERVICE_AREAS, sqlList, TARGET_GROUPS } from './Migration20261123000200Catalogue.js';

/** Who prepares programmes: the director and the services organiser. */
export const PROGRAMME_MANAGERS = ['DIRECTOR', 'SERVICES_ORGANISER'];
/** Who runs the diagnosis and its consultations: the director and both organisers. */
export const DIAGNOSIS_MANAGERS = ['DIRECTOR', 'SERVICES_ORGANISER', 'COMMUNITY_ORGANISER'];

/**
 * The diagnosis of needs and potential (stages, research activities, findings), programmes of
 * social services adopted by a gmina council, and public consultations of either draft.
 *
 * A diagnosis belongs to its CUS (gmina_id: the unit's seat gmina). A programme is local law of
 * one gmina (gmina_id: the gmina whose council adopts it, one of those its CUS serves). A
 * consultation takes the gmina of the draft it consults.
 */
export class Migration20261123000300Programmes extends Migration {
  override up(): void {
    this.addSql(`create table diagnosis (
      id uuid primary key default gen_random_uuid(),
      gmina_id integer not null references gmina (id),
      cus_unit_id uuid not null,
      title text not null check (btrim(title) <> ''),
      period_start date not null,
      period_end date not null,
      summary text,
      status text not null default 'IN_PROGRESS' check (status in ('IN_PROGRESS', 'COMPLETED', 'ARCHIVED')),
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (id, gmina_id),
      foreign key (cus_unit_id, gmina_id) references cus_unit (id, gmina_id),
      check (period_end >= period_start)
    )`);
    this.addSql(`create index diagnosis_gmina_idx on diagnosis (gmina_id, period_start)`);
    for (const sql of staffTablePolicies('diagnosis', DIAGNOSIS_MANAGERS)) this.addSql(sql);

    // Stages: plan, choose methods, collect data, analyse, conclude and recommend, report.
    this.addSql(`create table diagnosis_stage (
      id uuid primary key default gen_random_uuid(),
      gmina_id integer not null references gmina (id),
      diagnosis_id uuid not null,
      stage text not null check (stage in ('PLAN', 'METHODS', 'DATA_COLLECTION', 'ANALYSIS', 'CONCLUSIONS', 'REPORT')),
      start_date date,
      end_date date,
      completed boolean not null default false,
      notes text,
      unique (diagnosis_id, stage),
      foreign key (diagnosis_id, gmina_id) references diagnosis (id, gmina_id),
      check (end_date is null or start_date is null or end_date >= start_date)
    )`);
    this.addSql(`create index diagnosis_stage_gmina_idx on diagnosis_stage (gmina_id)`);
    for (const sql of staffTablePolicies('diagnosis_stage', DIAGNOSIS_MANAGERS, { delete: true })) this.addSql(sql);

    this.addSql(`create table research_activity (
      id uuid primary key default gen_random_uuid(),
      gmina_id integer not null references gmina (id),
      diagnosis_id uuid not null,
      kind text not null check (kind in ('SURVEY', 'IDI', 'FGI', 'WORKSHOP', 'DESK_RESEARCH')),
      title text not null check (btrim(title) <> ''),
      start_date date not null,
      end_date date not null,
      target_groups text[] not null default '{}' check (target_groups <@ array[${sqlList(TARGET_GROUPS)}]),
      group_description text,
      participants integer check (participants >= 0),
      notes text,
      created_at timestamptz not null default now(),
      foreign key (diagnosis_id, gmina_id) references diagnosis (id, gmina_id),
      check (end_date >= start_date)
    )`);
    this.addSql(`create index research_activity_gmina_idx on research_activity (gmina_id)`);
    this.addSql(`create index research_activity_diagnosis_idx on research_activity (diagnosis_id, start_date)`);
    for (const sql of staffTablePolicies('research_activity', DIAGNOSIS_MANAGERS, { delete: true })) this.addSql(sql);

    this.addSql(`create table diagnosis_need (
      id uuid primary key default gen_random_uuid(),
      gmina_id integer not null references gmina (id),
      diagnosis_id uuid not null,
      area text not null check (area in (${sqlList(SERVICE_AREAS)})),
      target_group text not null check (target_group in (${sqlList(TARGET_GROUPS)})),
      description text not null check (btrim(description) <> ''),
      priority text not null check (priority in ('HIGH', 'MEDIUM', 'LOW')),
      created_at timestamptz not null default now(),
      foreign key (diagnosis_id, gmina_id) references diagnosis (id, gmina_id)
    )`);
    this.addSql(`create index diagnosis_need_gmina_idx on diagnosis_need (gmina_id)`);
    this.addSql(`create index diagnosis_need_diagnosis_idx on diagnosis_need (diagnosis_id)`);
    for (const sql of staffTablePolicies('diagnosis_need', DIAGNOSIS_MANAGERS, { delete: true })) this.addSql(sql);

    // Potential: resources of institutions, NGOs and residents the centre can build on.
    this.addSql(`create table diagnosis_resource (
      id uuid primary key default gen_random_uuid(),
      gmina_id integer not null references gmina (id),
      diagnosis_id uuid not null,
      kind text not null check (kind in ('INSTITUTION', 'NGO', 'RESIDENTS', 'INFRASTRUCTURE', 'OTHER')),
      holder text not null check (btrim(holder) <> ''),
      description text not null check (btrim(description) <> ''),
      partner_id uuid references partner (id),
      created_at timestamptz not null default now(),
      foreign key (diagnosis_id, gmina_id) references diagnosis (id, gmina_id)
    )`);
    this.addSql(`create index diagnosis_resource_gmina_idx on diagnosis_resource (gmina_id)`);
    this.addSql(`create index diagnosis_resource_diagnosis_idx on diagnosis_resource (diagnosis_id)`);
    for (const sql of staffTablePolicies('diagnosis_resource', DIAGNOSIS_MANAGERS, { delete: true })) this.addSql(sql);

    // --- programmes. An adopted (or expired) programme carries its resolution and its period.
    this.addSql(`create table programme (
      id uuid primary key default gen_random_uuid(),
      gmina_id integer not null references gmina (id),
      cus_unit_id uuid not null references cus_unit (id),
      title text not null check (btrim(title) <> ''),
      resolution_number text,
      resolution_date date,
      period_start date,
      period_end date,
      diagnosis_id uuid references diagnosis (id),
      target_groups text[] not null default '{}' check (target_groups <@ array[${sqlList(TARGET_GROUPS)}]),
      quality_standards text,
      evaluation text,
      status text not null default 'DRAFT' check (status in ('DRAFT', 'IN_CONSULTATION', 'ADOPTED', 'EXPIRED')),
      adopted_at timestamptz,
      expired_on date,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (id, gmina_id),
      check (period_end is null or period_start is null or period_end >= period_start),
      check ((resolution_number is null) = (resolution_date is null)),
      check (status not in ('ADOPTED', 'EXPIRED') or (resolution_number is not null and period_start is not null and period_end is not null))
    )`);
    this.addSql(`create index programme_gmina_idx on programme (gmina_id, status, period_start)`);
    this.addSql(`create index programme_unit_idx on programme (cus_unit_id)`);
    this.addSql(`create index programme_diagnosis_idx on programme (diagnosis_id) where diagnosis_id is not null`);
    for (const sql of staffTablePolicies('programme', PROGRAMME_MANAGERS)) this.addSql(sql);

    // A service in a programme, with the access rules and fee the programme sets for it.
    this.addSql(`create table programme_service (
      id uuid primary key default gen_random_uuid(),
      gmina_id integer not null references gmina (id),
      programme_id uuid not null,
      service_id uuid not null references service (id),
      access_rules text,
      fee_kind text not null default 'FREE' check (fee_kind in ('FREE', 'FIXED', 'INCOME_DEPENDENT')),
      fee_amount numeric(12, 2) check (fee_amount >= 0),
      fee_unit text,
      fee_description text,
      annual_limit text,
      created_at timestamptz not null default now(),
      unique (programme_id, service_id),
      foreign key (programme_id, gmina_id) references programme (id, gmina_id),
      check (fee_kind <> 'FIXED' or fee_amount is not null),
      check (fee_kind <> 'INCOME_DEPENDENT' or btrim(coalesce(fee_description, '')) <> '')
    )`);
    this.addSql(`create index programme_service_gmina_idx on programme_service (gmina_id)`);
    this.addSql(`create index programme_service_service_idx on programme_service (service_id)`);
    for (const sql of staffTablePolicies('programme_service', PROGRAMME_MANAGERS, { delete: true })) this.addSql(sql);

    // --- public consultation of a draft diagnosis or programme.
    this.addSql(`create table consultation (
      id uuid primary key default gen_random_uuid(),
      gmina_id integer not null references gmina (id),
      diagnosis_id uuid references diagnosis (id),
      programme_id uuid references programme (id),
      title text not null check (btrim(title) <> ''),
      description text,
      starts_on date not null,
      ends_on date not null,
      channels text[] not null check (cardinality(channels) >= 1 and channels <@ array['EMAIL', 'PAPER', 'ONLINE', 'MEETING']),
      cancelled_at timestamptz,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      unique (id, gmina_id),
      check ((diagnosis_id is null) <> (programme_id is null)),
      check (ends_on >= starts_on)
    )`);
    this.addSql(`create index consultation_gmina_idx on consultation (gmina_id, starts_on)`);
    this.addSql(`create index consultation_diagnosis_idx on consultation (diagnosis_id) where diagnosis_id is not null`);
    this.addSql(`create index consultation_programme_idx on consultation (programme_id) where programme_id is not null`);
    const consultationReaders = `(${roleIn(...CUS_STAFF, 'GMINA_OFFICIAL')} and ${inScope()})
      or (${roleIn('PARTNER')} and gmina_id = any ((select app.partner_gminy())::int[]))`;
    for (const sql of staffTablePolicies('consultation', DIAGNOSIS_MANAGERS, { read: consultationReaders })) this.addSql(sql);

    // Anyone authenticated for the gmina submits (staff record paper and e-mail submissions too);
    // staff answer. A partner user sees its own submissions.
    this.addSql(`create table consultation_submission (
      id uuid primary key default gen_random_uuid(),
      gmina_id integer not null references gmina (id),
      consultation_id uuid not null,
      text text not null check (btrim(text) <> ''),
      channel text not null check (channel in ('EMAIL', 'PAPER', 'ONLINE', 'MEETING')),
      received_on date not null,
      author_name text,
      submitted_by text not null,
      submitted_by_partner_id uuid,
      response text,
      responded_on date,
      responded_by text,
      created_at timestamptz not null default now(),
      foreign key (consultation_id, gmina_id) references consultation (id, gmina_id),
      check ((response is null) = (responded_on is null))
    )`);
    this.addSql(`create index consultation_submission_gmina_idx on consultation_submission (gmina_id)`);
    this.addSql(`create index consultation_submission_consultation_idx on consultation_submission (consultation_id, received_on)`);
    // The last line behind the service's check: nothing is accepted outside the consultation's dates.
    this.addSql(`create function app.check_submission_window() returns trigger language plpgsql as $$
      declare c record;
      begin
        select starts_on, ends_on, cancelled_at into c from public.consultation where id = new.consultation_id;
        if c is null or c.cancelled_at is not null or new.received_on < c.starts_on or new.received_on > c.ends_on then
          raise exception 'submission outside the consultation period' using errcode = '23514';
        end if;
        return new;
      end $$`);
    this.addSql(`create trigger consultation_submission_window before insert or update of received_on, consultation_id on consultation_submission
      for each row execute function app.check_submission_window()`);
    for (const sql of enableRls('consultation_submission')) this.addSql(sql);
    const submitters = `((${roleIn(...CUS_STAFF, 'GMINA_OFFICIAL')}) and ${inScope()})
      or (${roleIn('PARTNER')} and submitted_by_partner_id = (select app.partner_id()) and gmina_id = any ((select app.partner_gminy())::int[]))`;
    this.addSql(
      policy({
        table: 'consultation_submission',
        name: 'consultation_submission_read',
        command: 'select',
        using: `(${roleIn(...CUS_STAFF, 'GMINA_OFFICIAL')} and ${inScope()}) or (${roleIn('PARTNER')} and submitted_by_partner_id = (select app.partner_id()))`,
      }),
    );
    this.addSql(
      policy({
        table: 'consultation_submission',
        name: 'consultation_submission_insert',
        command: 'insert',
        check: `(${submitters}) and submitted_by = (select app.user_id())`,
      }),
    );
    const answerers = managedBy(DIAGNOSIS_MANAGERS);
    this.addSql(policy({ table: 'consultation_submission', name: 'consultation_submission_update', command: 'update', using: answerers, check: answerers }));
    this.addSql(`grant select, insert, update on consultation_submission to cus_app`);
  }
}
