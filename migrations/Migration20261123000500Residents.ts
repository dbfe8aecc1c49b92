import { Migration } from '@mikro-orm/migrations';
import { enableRls, managedBy, policy } from './rls.js';
import { SERVICE_AREAS, sqlList } from './Migration20261123000200Catalogue.js';

/** Who reads residents' records: the centre's staff who work with individuals. */
export const RESIDENT_READERS = ['DIRECTOR', 'SERVICES_ORGANISER', 'COORDINATOR'];
/** Who keeps residents' records and applications: coordinators (KIPUS) and the director. */
export const RESIDENT_KEEPERS = ['DIRECTOR', 'COORDINATOR'];

/**
 * Residents, their applications and needs assessments (DOMAIN.md, "From application to plan",
 * "Personal data").
 *
 * A resident belongs to the gmina they live in (gmina_id). Their record is personal data: only the
 * staff of a CUS serving that gmina who work with individuals read it; gmina officials, partners,
 * the ministry and the platform administrator read none of it. Special-category data (disability,
 * health; GDPR art. 9) sit in a table of their own that only coordinators and the director read.
 * Every read of a record by staff leaves a row in an append-only access log that only the director
 * reads and nobody can change or delete.
 */
export class Migration20261123000500Residents extends Migration {
  override up(): void {
    const readers = managedBy(RESIDENT_READERS);
    const keepers = managedBy(RESIDENT_KEEPERS);

    this.addSql(`create table resident (
      id uuid primary key default gen_random_uuid(),
      gmina_id integer not null references gmina (id),
      first_name text not null check (btrim(first_name) <> ''),
      last_name text not null check (btrim(last_name) <> ''),
      pesel text check (pesel ~ '^[0-9]{11}$'),
      birth_date date,
      sex text check (sex in ('FEMALE', 'MALE')),
      street text,
      postal_code text check (postal_code ~ '^[0-9]{2}-[0-9]{3}$'),
      city text,
      phone text,
      email text,
      household_notes text,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (id, gmina_id)
    )`);
    this.addSql(`create index resident_gmina_name_idx on resident (gmina_id, last_name, first_name, id)`);
    // PESEL is unique within a gmina (a person moving gminy is a new record there).
    this.addSql(`create unique index resident_pesel_key on resident (gmina_id, pesel) where pesel is not null`);
    for (const sql of enableRls('resident')) this.addSql(sql);
    this.addSql(policy({ table: 'resident', name: 'resident_read', command: 'select', using: readers }));
    this.addSql(policy({ table: 'resident', name: 'resident_insert', command: 'insert', check: keepers }));
    this.addSql(policy({ table: 'resident', name: 'resident_update', command: 'update', using: keepers, check: keepers }));
    this.addSql(`grant select, insert, update on resident to cus_app`);

    // Special-category data (GDPR art. 9): coordinators and the director only. A certificate's
    // validity date means nothing without the level it certifies.
    this.addSql(`create table resident_sensitive (
      resident_id uuid primary key,
      gmina_id integer not null references gmina (id),
      disability_level text check (disability_level in ('MILD', 'MODERATE', 'SEVERE')),
      disability_certificate_valid_until date,
      health_notes text,
      updated_at timestamptz not null default now(),
      foreign key (resident_id, gmina_id) references resident (id, gmina_id),
      check (disability_certificate_valid_until is null or disability_level is not null)
    )`);
    this.addSql(`create index resident_sensitive_gmina_idx on resident_sensitive (gmina_id)`);
    for (const sql of enableRls('resident_sensitive')) this.addSql(sql);
    this.addSql(policy({ table: 'resident_sensitive', name: 'resident_sensitive_all', command: 'all', using: keepers, check: keepers }));
    this.addSql(`grant select, insert, update on resident_sensitive to cus_app`);

    // Who read which record, when, through which operation. Append-only: no update or delete
    // policy and no such privilege, so not even the director can rewrite it.
    this.addSql(`create table resident_access_log (
      id bigint generated always as identity primary key,
      gmina_id integer not null references gmina (id),
      resident_id uuid not null,
      subject text not null,
      role text not null,
      operation text not null,
      accessed_at timestamptz not null default now(),
      foreign key (resident_id, gmina_id) references resident (id, gmina_id)
    )`);
    this.addSql(`create index resident_access_log_resident_idx on resident_access_log (resident_id, accessed_at desc)`);
    this.addSql(`create index resident_access_log_gmina_idx on resident_access_log (gmina_id, accessed_at desc)`);
    for (const sql of enableRls('resident_access_log')) this.addSql(sql);
    this.addSql(policy({ table: 'resident_access_log', name: 'resident_access_log_read', command: 'select', using: managedBy(['DIRECTOR']) }));
    this.addSql(
      policy({
        table: 'resident_access_log',
        name: 'resident_access_log_insert',
        command: 'insert',
        check: `${readers} and subject = (select app.user_id()) and role = (select app.role())`,
      }),
    );
    this.addSql(`grant select, insert on resident_access_log to cus_app`);

    // --- applications (wnioski), served in the order filed: filing_number breaks ties within a day.
    this.addSql(`create table application (
      id uuid primary key default gen_random_uuid(),
      gmina_id integer not null references gmina (id),
      cus_unit_id uuid not null references cus_unit (id),
      resident_id uuid not null,
      filing_number bigint generated always as identity,
      filed_on date not null,
      channel text not null check (channel in ('IN_PERSON', 'POST', 'EMAIL', 'EPUAP', 'PHONE')),
      filed_by text not null check (filed_by in ('PERSON', 'LEGAL_REPRESENTATIVE', 'DE_FACTO_CARER')),
      filer_name text,
      requested_areas text[] not null default '{}' check (requested_areas <@ array[${sqlList(SERVICE_AREAS)}]),
      requested_service_ids uuid[] not null default '{}',
      request_text text,
      status text not null default 'FILED' check (status in ('FILED', 'QUALIFIED', 'REFUSED', 'FORWARDED')),
      decided_on date,
      decided_by text,
      decision_number text,
      decision_date date,
      refusal_reason text,
      forwarded_to text,
      consent_on date,
      consent_how text,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (id, gmina_id),
      foreign key (resident_id, gmina_id) references resident (id, gmina_id),
      check (filed_by = 'PERSON' or btrim(coalesce(filer_name, '')) <> ''),
      check (cardinality(requested_areas) + cardinality(requested_service_ids) >= 1 or btrim(coalesce(request_text, '')) <> ''),
      check ((status = 'FILED') = (decided_on is null)),
      check (status <> 'REFUSED' or (decision_number is not null and decision_date is not null and btrim(coalesce(refusal_reason, '')) <> '')),
      check (status <> 'FORWARDED' or (btrim(coalesce(forwarded_to, '')) <> '' and consent_on is not null))
    )`);
    this.addSql(`create index application_unit_order_idx on application (cus_unit_id, filed_on, filing_number)`);
    this.addSql(`create index application_resident_idx on application (resident_id)`);
    this.addSql(`create index application_gmina_idx on application (gmina_id, status)`);
    // The last line behind the service's check: a decided application is never decided again.
    this.addSql(`create function app.application_decided_once() returns trigger language plpgsql as $$
      begin
        if old.status <> 'FILED' and (new.status is distinct from old.status or new.decided_on is distinct from old.decided_on) then
          raise exception 'the application was already decided' using errcode = '23514';
        end if;
        return new;
      end $$`);
    this.addSql(`create trigger application_decided_once before update on application for each row execute function app.application_decided_once()`);
    for (const sql of enableRls('application')) this.addSql(sql);
    this.addSql(policy({ table: 'application', name: 'application_read', command: 'select', using: readers }));
    this.addSql(policy({ table: 'application', name: 'application_insert', command: 'insert', check: keepers }));
    this.addSql(policy({ table: 'application', name: 'application_update', command: 'update', using: keepers, check: keepers }));
    this.addSql(`grant select, insert, update on application to cus_app`);

    // The needs assessment: a conversation with the applicant, at the centre or at home.
    this.addSql(`create table needs_assessment (
      id uuid primary key default gen_random_uuid(),
      gmina_id integer not null references gmina (id),
      application_id uuid not null,
      conversation_on date not null,
      place text not null check (place in ('CUS_OFFICE', 'RESIDENT_HOME', 'OTHER')),
      place_note text,
      coordinator_subject text not null,
      coordinator_name text not null check (btrim(coordinator_name) <> ''),
      notes text,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (id, gmina_id),
      foreign key (application_id, gmina_id) references application (id, gmina_id)
    )`);
    this.addSql(`create index needs_assessment_application_idx on needs_assessment (application_id, conversation_on)`);
    this.addSql(`create index needs_assessment_gmina_idx on needs_assessment (gmina_id)`);
    for (const sql of enableRls('needs_assessment')) this.addSql(sql);
    this.addSql(policy({ table: 'needs_assessment', name: 'needs_assessment_read', command: 'select', using: readers }));
    this.addSql(policy({ table: 'needs_assessment', name: 'needs_assessment_insert', command: 'insert', check: keepers }));
    this.addSql(policy({ table: 'needs_assessment', name: 'needs_assessment_update', command: 'update', using: keepers, check: keepers }));
    this.addSql(`grant select, insert, update on needs_assessment to cus_app`);

    this.addSql(`create table needs_assessment_need (
      id uuid primary key default gen_random_uuid(),
      gmina_id integer not null references gmina (id),
      assessment_id uuid not null,
      area text not null check (area in (${sqlList(SERVICE_AREAS)})),
      description text not null check (btrim(description) <> ''),
      foreign key (assessment_id, gmina_id) references needs_assessment (id, gmina_id)
    )`);
    this.addSql(`create index needs_assessment_need_assessment_idx on needs_assessment_need (assessment_id)`);
    this.addSql(`create index needs_assessment_need_gmina_idx on needs_assessment_need (gmina_id)`);
    for (const sql of enableRls('needs_assessment_need')) this.addSql(sql);
    this.addSql(policy({ table: 'needs_assessment_need', name: 'needs_assessment_need_read', command: 'select', using: readers }));
    this.addSql(policy({ table: 'needs_assessment_need', name: 'needs_assessment_need_write', command: 'all', using: keepers, check: keepers }));
    this.addSql(`grant select, insert, update, delete on needs_assessment_need to cus_app`);
  }
}
