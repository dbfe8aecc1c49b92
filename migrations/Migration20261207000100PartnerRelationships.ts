import { Migration } from '@mikro-orm/migrations';
import { Role } from '../src/platform/auth/roles.js';
import { IDENTITY_COLUMNS, PARTNER_MANAGERS } from '../src/modules/partner/partner-rules.js';
import { CUS_STAFF, enableRls, inScope, policy, roleIn } from './rls.js';

const TODAY = `(now() at time zone 'Europe/Warsaw')::date`;

/**
 * A partner's shared identity and each centre's relationship with it (issue 17, item 1).
 *
 * One organisation is one `partner` row, whichever centres work with it (its NIP is unique), so a
 * centre that joined it could rename it, change its kind or contact, or retire it for every gmina.
 * Now each gmina's relationship with the partner is a row of `partner_gmina`, keyed (partner_id,
 * gmina_id): its status in that gmina (retired or not, and since when), the local contact and notes.
 * Only staff of that gmina read it, and only its partner managers write it.
 *
 * The identity columns of `partner` change only by the partner itself, the platform administrator,
 * or the managers of the gmina that registered it (`gmina_id`) while the partner has not claimed its
 * profile (`claimed_at`: set by its first own edit, or by the administrator); a trigger refuses
 * everyone else. `gmina_ids` and `status` stay on `partner` as what the relationships say (every gmina
 * with a relationship; ACTIVE while any is active), kept by the database: the application role may
 * no longer write them, nor `gmina_id`. Existing rows become relationships with the partner's status.
 */
export class Migration20261207000100PartnerRelationships extends Migration {
  override up(): void {
    const managers = roleIn(...PARTNER_MANAGERS);
    this.addSql(`create table partner_gmina (
      partner_id uuid not null references partner (id),
      gmina_id integer not null references gmina (id),
      status text not null default 'ACTIVE' check (status in ('ACTIVE', 'INACTIVE')),
      contact_name text,
      contact_email text,
      contact_phone text,
      notes text,
      joined_on date not null default ${TODAY},
      retired_on date,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (partner_id, gmina_id),
      check ((status = 'INACTIVE') = (retired_on is not null))
    )`);
    this.addSql(`create index partner_gmina_gmina_idx on partner_gmina (gmina_id, partner_id)`);
    this.addSql(`insert into partner_gmina (partner_id, gmina_id, status, joined_on, retired_on, created_at, updated_at)
      select p.id, g.id, p.status, (p.created_at at time zone 'Europe/Warsaw')::date,
        case when p.status = 'INACTIVE' then (p.updated_at at time zone 'Europe/Warsaw')::date end, p.created_at, p.updated_at
      from partner p cross join unnest(p.gmina_ids) g(id)`);

    for (const sql of enableRls('partner_gmina')) this.addSql(sql);
    this.addSql(
      policy({
        table: 'partner_gmina',
        name: 'partner_gmina_read',
        command: 'select',
        using: `(${roleIn(...CUS_STAFF, Role.GMINA_OFFICIAL)}) and ${inScope()}`,
      }),
    );
    this.addSql(policy({ table: 'partner_gmina', name: 'partner_gmina_insert', command: 'insert', check: `(${managers}) and ${inScope()}` }));
    this.addSql(
      policy({
        table: 'partner_gmina',
        name: 'partner_gmina_update',
        command: 'update',
        using: `(${managers}) and ${inScope()}`,
        check: `(${managers}) and ${inScope()}`,
      }),
    );
    this.addSql(policy({ table: 'partner_gmina', name: 'partner_gmina_delete', command: 'delete', using: `(${managers}) and ${inScope()}` }));
    this.addSql(`grant select, insert, delete on partner_gmina to cus_app`);
    this.addSql(`grant update (status, contact_name, contact_email, contact_phone, notes, retired_on, updated_at) on partner_gmina to cus_app`);

    // --- partner.gmina_ids and partner.status follow the relationships. The order of gmina_ids is kept
    // (a new gmina goes last); the registering gmina moves to another of the caller's gminy when its
    // relationship ends (a centre moving the partner between the gminy it serves).
    this.addSql(`create function app.partner_mirror_relationships() returns trigger language plpgsql security definer set search_path = public, pg_temp as $$
      declare
        target uuid := coalesce(new.partner_id, old.partner_id);
        kept int[];
        state text;
      begin
        select array(select g from unnest(p.gmina_ids) with ordinality u(g, n)
                       where exists (select 1 from partner_gmina r where r.partner_id = target and r.gmina_id = u.g) order by n)
               || array(select r.gmina_id from partner_gmina r where r.partner_id = target and r.gmina_id <> all (p.gmina_ids) order by r.gmina_id),
               case when exists (select 1 from partner_gmina r where r.partner_id = target and r.status = 'ACTIVE') then 'ACTIVE' else 'INACTIVE' end
          into kept, state
          from partner p where p.id = target;
        update partner p set gmina_ids = kept, status = state,
          gmina_id = case when p.gmina_id = any (kept) then p.gmina_id
                          else coalesce((select min(g) from unnest(kept) g where g = any (app.gminy())), kept[1]) end
        where p.id = target and (p.gmina_ids is distinct from kept or p.status is distinct from state);
        return null;
      end $$`);
    this.addSql(`create trigger partner_gmina_mirror after insert or delete or update of status on partner_gmina
      for each row execute function app.partner_mirror_relationships()`);

    // A partner registered (by the API, a seed or a bulk load) starts a relationship in each gmina it names.
    this.addSql(`create function app.partner_start_relationships() returns trigger language plpgsql security definer set search_path = public, pg_temp as $$
      begin
        insert into partner_gmina (partner_id, gmina_id, status, retired_on)
        select new.id, g, new.status, case when new.status = 'INACTIVE' then ${TODAY} end from unnest(new.gmina_ids) g
        on conflict do nothing;
        return null;
      end $$`);
    this.addSql(`create trigger partner_relationships after insert on partner for each row execute function app.partner_start_relationships()`);

    // --- who changes the shared identity, and who says the partner keeps its own profile.
    this.addSql(`alter table partner add column claimed_at timestamptz`);
    const row = (prefix: string) => `(${IDENTITY_COLUMNS.map((c) => `${prefix}.${c}`).join(', ')})`;
    this.addSql(`create function app.partner_identity_guard() returns trigger language plpgsql as $$
      begin
        if ${row('new')} is distinct from ${row('old')} and not (
            app.role() = '${Role.PLATFORM_ADMIN}'
            or (app.role() = '${Role.PARTNER}' and old.id = app.partner_id())
            or (app.role() in (${PARTNER_MANAGERS.map((r) => `'${r}'`).join(', ')}) and old.claimed_at is null and old.gmina_id = any (app.gminy()))) then
          raise exception 'only the partner, the centre that registered it (until the partner claims its profile) or the platform administrator change a partner''s identity'
            using errcode = '42501';
        end if;
        if new.claimed_at is distinct from old.claimed_at and not (
            app.role() = '${Role.PLATFORM_ADMIN}' or (app.role() = '${Role.PARTNER}' and old.id = app.partner_id() and old.claimed_at is null)) then
          raise exception 'only the partner itself or the platform administrator say whether the partner keeps its own profile' using errcode = '42501';
        end if;
        return new;
      end $$`);
    this.addSql(`create trigger partner_identity before update on partner for each row execute function app.partner_identity_guard()`);
    // The register's own columns (which gminy, the aggregate status, the registering gmina) are the
    // database's to keep: the application role writes the identity, the claim and the version only.
    this.addSql(`revoke update on partner from cus_app`);
    this.addSql(`grant update (${[...IDENTITY_COLUMNS, 'claimed_at', 'version', 'updated_at'].join(', ')}) on partner to cus_app`);

    // --- who reads and writes the partner row. Staff of every gmina it works in read it (as before);
    // the platform administrator reads and corrects the register (not the relationships); the public
    // catalogue of a gmina lists the partner only while that gmina's relationship is active.
    this.addSql(`create function app.partner_listed(partner uuid) returns boolean language sql stable security definer set search_path = public, pg_temp as $$
      select exists (select 1 from partner_gmina r where r.partner_id = partner and r.status = 'ACTIVE' and r.gmina_id = any (app.gminy())) $$`);
    const admin = roleIn(Role.PLATFORM_ADMIN);
    const staffSees = `(${roleIn(...CUS_STAFF, Role.GMINA_OFFICIAL)}) and gmina_ids && (select app.gminy())`;
    const ownRow = `${roleIn(Role.PARTNER)} and id = (select app.partner_id())`;
    const managerSees = `(${managers}) and gmina_ids && (select app.gminy())`;
    const publicSees = `${roleIn('PUBLIC')} and gmina_ids && (select app.gminy()) and app.partner_listed(id)`;
    this.addSql(`alter policy partner_read on partner using ((${staffSees}) or (${ownRow}) or (${publicSees}) or (${admin}))`);
    this.addSql(
      `alter policy partner_update on partner using ((${managerSees}) or (${ownRow}) or (${admin})) with check ((${managerSees}) or (${ownRow}) or (${admin}))`,
    );
    // A new partner names only gminy of the registering centre's scope (each becomes a relationship).
    this.addSql(`alter policy partner_insert on partner with check ((${managers}) and ${inScope()} and gmina_ids <@ (select app.gminy()))`);

    // --- joining adds relationships of the joining gminy; nothing else about the partner changes.
    this
      .addSql(`create or replace function app.partner_join(joining_nip text, joining_gminy int[]) returns uuid language plpgsql security definer set search_path = public, pg_temp as $$
      declare
        joined uuid;
        added integer;
      begin
        if app.role() not in (${PARTNER_MANAGERS.map((r) => `'${r}'`).join(', ')}) or cardinality(joining_gminy) = 0
            or not (joining_gminy <@ app.gminy()) then
          raise exception 'only partner managers join a partner, with gminy of their own scope' using errcode = '42501';
        end if;
        select id into joined from partner where nip = joining_nip and status = 'ACTIVE' for update;
        if joined is null then return null; end if;
        insert into partner_gmina (partner_id, gmina_id) select joined, g from unnest(joining_gminy) g order by g on conflict do nothing;
        get diagnostics added = row_count;
        if added > 0 then update partner set version = version + 1, updated_at = now() where id = joined; end if;
        return joined;
      end $$`);

    // --- the gmina dashboards' count of partners follows each gmina's own relationship. The rest of
    // app.refresh_reports stays as it is: the one statement is replaced in the current definition.
    this.addSql(`do $$
      declare
        def text := pg_get_functiondef('app.refresh_reports(interval)'::regprocedure);
        old_sql text := 'from partner p cross join unnest(p.gmina_ids) g(gmina_id) where p.status = ''ACTIVE'' group by 2, 3';
        new_sql text := 'from partner_gmina g join partner p on p.id = g.partner_id where g.status = ''ACTIVE'' group by 2, 3';
      begin
        if position(old_sql in def) = 0 then raise exception 'app.refresh_reports no longer counts partners as expected'; end if;
        execute replace(def, old_sql, new_sql);
      end $$`);
  }
}
