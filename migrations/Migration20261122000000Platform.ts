import { Migration } from '@mikro-orm/migrations';
import { CUS_STAFF, enableRls, inScope, policy, roleIn } from './rls.js';

/**
 * The platform foundation: the principal's settings, the TERYT register of gminy, CUS units and
 * their funding projects, each tenant table under forced row-level security.
 */
export class Migration20261122000000Platform extends Migration {
  override up(): void {
    // --- the principal, as the server sets it with set_config(..., true) at the start of each transaction
    this.addSql(`create schema if not exists app`);
    this.addSql(`create or replace function app.role() returns text language sql stable parallel safe as
      $$ select nullif(current_setting('app.role', true), '') $$`);
    this.addSql(`create or replace function app.gminy() returns int[] language sql stable parallel safe as
      $$ select coalesce(string_to_array(nullif(current_setting('app.gminy', true), ''), ',')::int[], '{}'::int[]) $$`);
    this.addSql(`create or replace function app.partner_id() returns uuid language sql stable parallel safe as
      $$ select nullif(current_setting('app.partner_id', true), '')::uuid $$`);
    this.addSql(`create or replace function app.user_id() returns text language sql stable parallel safe as
      $$ select nullif(current_setting('app.user_id', true), '') $$`);
    this.addSql(`grant usage on schema app to cus_app`);
    this.addSql(`grant execute on all functions in schema app to cus_app`);
    this.addSql(`grant select on mikro_orm_migrations to cus_app`);

    // --- gminy: reference data from the GUS TERC register, readable by every authenticated principal.
    // id is the TERC code read as a number (1417082 for "1417082"), so ids are the same in every database.
    this.addSql(`create table gmina (
      id integer primary key check (id between 200000 and 3299999 and id % 10 between 1 and 3),
      terc char(7) generated always as (lpad(id::text, 7, '0')) stored unique,
      name text not null,
      kind text not null check (kind in ('URBAN', 'RURAL', 'URBAN_RURAL')),
      capital boolean not null default false,
      powiat_code char(4) not null,
      powiat_name text not null,
      wojewodztwo_code char(2) not null,
      wojewodztwo_name text not null
    )`);
    this.addSql(`create index gmina_name_idx on gmina (name, id)`);
    this.addSql(`create index gmina_powiat_idx on gmina (powiat_code)`);
    this.addSql(`create index gmina_wojewodztwo_idx on gmina (wojewodztwo_code)`);
    for (const sql of enableRls('gmina')) this.addSql(sql);
    this.addSql(policy({ table: 'gmina', name: 'gmina_read', command: 'select', using: '(select app.role()) is not null' }));
    this.addSql(`grant select on gmina to cus_app`);

    // --- CUS units. gmina_id is the seat gmina (whose council created the unit); served_gmina_ids
    // are all gminy it serves, one or several under an inter-municipal agreement.
    this.addSql(`create table cus_unit (
      id uuid primary key default gen_random_uuid(),
      gmina_id integer not null references gmina (id),
      served_gmina_ids integer[] not null check (cardinality(served_gmina_ids) >= 1 and gmina_id = any (served_gmina_ids)),
      name text not null check (btrim(name) <> ''),
      seat_street text not null,
      seat_postal_code text not null check (seat_postal_code ~ '^[0-9]{2}-[0-9]{3}$'),
      seat_city text not null,
      creation_mode text not null check (creation_mode in ('OPS_TRANSFORMED', 'INTERMUNICIPAL_AGREEMENT', 'ADDITIONAL_LARGE_CITY')),
      resolution_number text,
      resolution_date date,
      agreement_number text,
      agreement_date date,
      start_date date not null,
      statutory boolean not null default true,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (id, gmina_id),
      check ((resolution_number is null) = (resolution_date is null)),
      check (resolution_date is null or resolution_date <= start_date)
    )`);
    this.addSql(`create index cus_unit_gmina_idx on cus_unit (gmina_id)`);
    this.addSql(`create index cus_unit_name_idx on cus_unit (name, id)`);
    this.addSql(`create index cus_unit_served_idx on cus_unit using gin (served_gmina_ids)`);
    // Arrays cannot carry foreign keys; this trigger keeps every served gmina a real one.
    this.addSql(`create function app.check_served_gminy() returns trigger language plpgsql as $$
      begin
        if exists (select 1 from unnest(new.served_gmina_ids) s(id) where not exists (select 1 from public.gmina g where g.id = s.id)) then
          raise exception 'served gmina does not exist' using errcode = '23503';
        end if;
        return new;
      end $$`);
    this.addSql(`create trigger cus_unit_served_gminy before insert or update of served_gmina_ids on cus_unit
      for each row execute function app.check_served_gminy()`);
    for (const sql of enableRls('cus_unit')) this.addSql(sql);
    const servedInScope = 'served_gmina_ids && (select app.gminy())';
    this.addSql(
      policy({
        table: 'cus_unit',
        name: 'cus_unit_read',
        command: 'select',
        using: `${roleIn('PLATFORM_ADMIN')} or ((${roleIn(...CUS_STAFF, 'GMINA_OFFICIAL')}) and ${servedInScope})`,
      }),
    );
    this.addSql(policy({ table: 'cus_unit', name: 'cus_unit_insert', command: 'insert', check: roleIn('PLATFORM_ADMIN') }));
    this.addSql(
      policy({
        table: 'cus_unit',
        name: 'cus_unit_update',
        command: 'update',
        using: `${roleIn('PLATFORM_ADMIN')} or (${roleIn('DIRECTOR')} and ${servedInScope})`,
        check: `${roleIn('PLATFORM_ADMIN')} or (${roleIn('DIRECTOR')} and served_gmina_ids <@ (select app.gminy()))`,
      }),
    );
    this.addSql(`grant select, insert, update on cus_unit to cus_app`);

    // --- funding projects of a CUS unit (e.g. PO WER action 2.8). gmina_id is the unit's seat gmina.
    this.addSql(`create table funding_project (
      id uuid primary key default gen_random_uuid(),
      gmina_id integer not null references gmina (id),
      cus_unit_id uuid not null,
      programme text not null check (btrim(programme) <> ''),
      action text,
      title text not null check (btrim(title) <> ''),
      period_start date not null,
      period_end date not null,
      total_value numeric(14, 2) not null check (total_value >= 0),
      eu_share numeric(14, 2) check (eu_share >= 0),
      national_share numeric(14, 2) check (national_share >= 0),
      co_financing_rate numeric(5, 2) check (co_financing_rate > 0 and co_financing_rate <= 100),
      created_at timestamptz not null default now(),
      foreign key (cus_unit_id, gmina_id) references cus_unit (id, gmina_id),
      check (period_end >= period_start),
      check (coalesce(eu_share, 0) + coalesce(national_share, 0) <= total_value)
    )`);
    this.addSql(`create index funding_project_gmina_idx on funding_project (gmina_id)`);
    this.addSql(`create index funding_project_unit_idx on funding_project (cus_unit_id, period_start)`);
    for (const sql of enableRls('funding_project')) this.addSql(sql);
    this.addSql(
      policy({
        table: 'funding_project',
        name: 'funding_project_read',
        command: 'select',
        using: `${roleIn('PLATFORM_ADMIN')} or ((${roleIn(...CUS_STAFF, 'GMINA_OFFICIAL')}) and ${inScope()})`,
      }),
    );
    const manage = `${roleIn('PLATFORM_ADMIN')} or (${roleIn('DIRECTOR')} and ${inScope()})`;
    this.addSql(policy({ table: 'funding_project', name: 'funding_project_insert', command: 'insert', check: manage }));
    this.addSql(policy({ table: 'funding_project', name: 'funding_project_update', command: 'update', using: manage, check: manage }));
    this.addSql(policy({ table: 'funding_project', name: 'funding_project_delete', command: 'delete', using: manage }));
    this.addSql(`grant select, insert, update, delete on funding_project to cus_app`);
  }
}
