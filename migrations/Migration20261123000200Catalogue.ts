import { Migration } from '@mikro-orm/migrations';
import { CUS_STAFF, enableRls, inScope, managedBy, parentVisible, policy, roleIn, staffTablePolicies } from './rls.js';

/** Who keeps the catalogue: the director and the services organiser (OUS). */
export const CATALOGUE_MANAGERS = ['DIRECTOR', 'SERVICES_ORGANISER'];
/** Places are also kept by the community organiser, who runs activities in village community rooms. */
export const LOCATION_MANAGERS = ['DIRECTOR', 'SERVICES_ORGANISER', 'COMMUNITY_ORGANISER'];

/** The 14 areas of art. 2(1) of the act, in the act's order. */
export const SERVICE_AREAS = [
  'FAMILY_POLICY',
  'FAMILY_SUPPORT',
  'FOSTER_CARE',
  'SOCIAL_ASSISTANCE',
  'HEALTH',
  'DISABILITY_SUPPORT',
  'PUBLIC_EDUCATION',
  'UNEMPLOYMENT',
  'CULTURE',
  'PHYSICAL_CULTURE_AND_TOURISM',
  'CIVIC_ACTIVITY',
  'HOUSING',
  'ENVIRONMENT',
  'SOCIAL_REINTEGRATION',
];
export const TARGET_GROUPS = [
  'SENIORS',
  'PEOPLE_WITH_DISABILITIES',
  'CARERS',
  'FAMILIES',
  'LARGE_FAMILIES',
  'FAMILIES_IN_CRISIS',
  'CHILDREN_AND_YOUTH',
  'PEOPLE_WITH_ADDICTIONS',
  'UNEMPLOYED',
  'PEOPLE_LIVING_ALONE',
  'ALL_RESIDENTS',
];
export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

export const sqlList = (values: string[]) => values.map((v) => `'${v}'`).join(', ');

/**
 * The catalogue of services: reusable places (`location`), services with their places, opening
 * schedules, fee rule and capacity, and full-text search that folds Polish diacritics.
 *
 * Visibility: staff and officials see services available in their gminy (`gmina_ids`); a PARTNER
 * sees the catalogue of the gminy it works in and the services it provides; the PUBLIC principal
 * (the unauthenticated HSDS export) sees active and suspended services of the gmina it asks for.
 * Child rows (places of a service, schedules) are visible exactly when their service is.
 */
export class Migration20261123000200Catalogue extends Migration {
  override up(): void {
    // Folds case and Polish diacritics, so "wytchnieniowa" finds "Wytchnieniowa" and "opieka"
    // finds "opieką"-free text alike. Immutable (unlike unaccent), so it can feed a generated column.
    this.addSql(`create function app.fold(text) returns text language sql immutable parallel safe as
      $$ select translate(lower($1), 'ąćęłńóśźżäöüé', 'acelnoszzaoue') $$`);
    // A web-search style query, folded the same way; every word may be a prefix ("opiek" finds "opieka").
    this.addSql(`create function app.search_query(text) returns tsquery language sql immutable parallel safe as
      $$ select nullif(array_to_string(array(
           select quote_literal(w) || ':*' from regexp_split_to_table(app.fold($1), '[^a-z0-9]+') w where w <> ''
         ), ' & '), '')::tsquery $$`);

    // The public catalogue names the centre itself as an organisation providing services.
    this.addSql(
      policy({ table: 'cus_unit', name: 'cus_unit_public_read', command: 'select', using: `${roleIn('PUBLIC')} and served_gmina_ids && (select app.gminy())` }),
    );

    this.addSql(`create table location (
      id uuid primary key default gen_random_uuid(),
      gmina_id integer not null references gmina (id),
      name text not null check (btrim(name) <> ''),
      kind text not null check (kind in ('COMMUNITY_ROOM', 'CUS_OFFICE', 'SCHOOL', 'CULTURE_CENTRE', 'LIBRARY', 'HEALTH_FACILITY', 'SPORTS_FACILITY', 'PARTNER_OFFICE', 'OTHER')),
      street text not null check (btrim(street) <> ''),
      postal_code text not null check (postal_code ~ '^[0-9]{2}-[0-9]{3}$'),
      city text not null check (btrim(city) <> ''),
      latitude numeric(9, 6) check (latitude between -90 and 90),
      longitude numeric(9, 6) check (longitude between -180 and 180),
      accessibility text,
      description text,
      retired_at timestamptz,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`);
    this.addSql(`create index location_gmina_idx on location (gmina_id, name, id)`);
    for (const sql of enableRls('location')) this.addSql(sql);
    const manageLocation = managedBy(LOCATION_MANAGERS);
    this.addSql(policy({ table: 'location', name: 'location_insert', command: 'insert', check: manageLocation }));
    this.addSql(policy({ table: 'location', name: 'location_update', command: 'update', using: manageLocation, check: manageLocation }));
    this.addSql(`grant select, insert, update on location to cus_app`);

    // gmina_id: the seat gmina of the CUS that keeps the entry; gmina_ids: where residents can use it.
    this.addSql(`create table service (
      id uuid primary key default gen_random_uuid(),
      gmina_id integer not null references gmina (id),
      cus_unit_id uuid not null,
      gmina_ids integer[] not null check (cardinality(gmina_ids) >= 1),
      name text not null check (btrim(name) <> ''),
      description text,
      area text not null check (area in (${sqlList(SERVICE_AREAS)})),
      target_groups text[] not null check (cardinality(target_groups) >= 1 and target_groups <@ array[${sqlList(TARGET_GROUPS)}]),
      provider_kind text not null check (provider_kind in ('CUS', 'PARTNER', 'GMINA_UNIT')),
      provider_partner_id uuid references partner (id),
      provider_unit_name text,
      online boolean not null default false,
      online_url text,
      eligibility text,
      fee_kind text not null default 'FREE' check (fee_kind in ('FREE', 'FIXED', 'INCOME_DEPENDENT')),
      fee_amount numeric(12, 2) check (fee_amount >= 0),
      fee_unit text,
      fee_description text,
      capacity_recipients integer check (capacity_recipients > 0),
      capacity_note text,
      status text not null default 'PLANNED' check (status in ('PLANNED', 'ACTIVE', 'SUSPENDED', 'CLOSED')),
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      search_vector tsvector generated always as (
        setweight(to_tsvector('simple', app.fold(name)), 'A') || setweight(to_tsvector('simple', app.fold(coalesce(description, ''))), 'B')
      ) stored,
      unique (id, gmina_id),
      foreign key (cus_unit_id, gmina_id) references cus_unit (id, gmina_id),
      check ((provider_kind = 'PARTNER') = (provider_partner_id is not null)),
      check (provider_kind <> 'GMINA_UNIT' or btrim(coalesce(provider_unit_name, '')) <> ''),
      check (fee_kind <> 'FIXED' or fee_amount is not null),
      check (fee_kind <> 'INCOME_DEPENDENT' or btrim(coalesce(fee_description, '')) <> '')
    )`);
    this.addSql(`create index service_gmina_idx on service (gmina_id)`);
    this.addSql(`create index service_gminy_idx on service using gin (gmina_ids)`);
    this.addSql(`create index service_name_idx on service (name, id)`);
    this.addSql(`create index service_recent_idx on service (created_at desc, id desc)`);
    this.addSql(`create index service_area_idx on service (area, status)`);
    this.addSql(`create index service_target_groups_idx on service using gin (target_groups)`);
    this.addSql(`create index service_provider_idx on service (provider_partner_id) where provider_partner_id is not null`);
    this.addSql(`create index service_search_idx on service using gin (search_vector)`);
    this.addSql(`create trigger service_gminy_exist before insert or update of gmina_ids on service
      for each row execute function app.check_gmina_ids()`);
    for (const sql of enableRls('service')) this.addSql(sql);
    const scopeSees = `gmina_ids && (select app.gminy())`;
    this.addSql(
      policy({
        table: 'service',
        name: 'service_read',
        command: 'select',
        using: [
          `((${roleIn(...CUS_STAFF, 'GMINA_OFFICIAL')}) and ${scopeSees})`,
          `(${roleIn('PARTNER')} and (provider_partner_id = (select app.partner_id()) or gmina_ids && (select app.partner_gminy())))`,
          `(${roleIn('PUBLIC')} and status in ('ACTIVE', 'SUSPENDED') and ${scopeSees})`,
        ].join(' or '),
      }),
    );
    const manageService = managedBy(CATALOGUE_MANAGERS);
    this.addSql(policy({ table: 'service', name: 'service_insert', command: 'insert', check: manageService }));
    this.addSql(policy({ table: 'service', name: 'service_update', command: 'update', using: manageService, check: manageService }));
    this.addSql(`grant select, insert, update on service to cus_app`);

    // The places where a service is given (HSDS service_at_location). gmina_id: the service's.
    this.addSql(`create table service_location (
      id uuid primary key default gen_random_uuid(),
      gmina_id integer not null references gmina (id),
      service_id uuid not null,
      location_id uuid not null references location (id),
      created_at timestamptz not null default now(),
      unique (service_id, location_id),
      foreign key (service_id, gmina_id) references service (id, gmina_id)
    )`);
    this.addSql(`create index service_location_gmina_idx on service_location (gmina_id)`);
    this.addSql(`create index service_location_location_idx on service_location (location_id)`);
    for (const sql of staffTablePolicies('service_location', CATALOGUE_MANAGERS, { read: parentVisible('service', 'service_id'), delete: true }))
      this.addSql(sql);

    // Read policy of places, created once service_location exists: the PUBLIC principal sees the
    // places of its gmina and the places of the services it may see (an inter-municipal unit's
    // service can be given in a neighbouring gmina).
    this.addSql(
      policy({
        table: 'location',
        name: 'location_read',
        command: 'select',
        using: [
          `((${roleIn(...CUS_STAFF, 'GMINA_OFFICIAL')}) and ${inScope()})`,
          `(${roleIn('PARTNER')} and gmina_id = any ((select app.partner_gminy())::int[]))`,
          `(${roleIn('PUBLIC')} and retired_at is null and (${inScope()} or exists (select 1 from service_location sl where sl.location_id = location.id)))`,
        ].join(' or '),
      }),
    );

    // Opening hours: a weekly recurrence with validity dates, optionally for one of the service's places.
    this.addSql(`create table service_schedule (
      id uuid primary key default gen_random_uuid(),
      gmina_id integer not null references gmina (id),
      service_id uuid not null,
      location_id uuid references location (id),
      weekdays text[] not null check (cardinality(weekdays) >= 1 and weekdays <@ array[${sqlList(WEEKDAYS)}]),
      opens_at time not null,
      closes_at time not null,
      valid_from date,
      valid_to date,
      note text,
      created_at timestamptz not null default now(),
      foreign key (service_id, gmina_id) references service (id, gmina_id),
      check (closes_at > opens_at),
      check (valid_to is null or valid_from is null or valid_to >= valid_from)
    )`);
    this.addSql(`create index service_schedule_gmina_idx on service_schedule (gmina_id)`);
    this.addSql(`create index service_schedule_service_idx on service_schedule (service_id)`);
    for (const sql of staffTablePolicies('service_schedule', CATALOGUE_MANAGERS, { read: parentVisible('service', 'service_id'), delete: true }))
      this.addSql(sql);
  }
}
