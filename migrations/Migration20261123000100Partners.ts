import { Migration } from '@mikro-orm/migrations';
import { CUS_STAFF, enableRls, inScope, parentVisible, policy, roleIn, staffTablePolicies } from './rls.js';

/** Who keeps the register of partners: the director, the services organiser and the community organiser. */
export const PARTNER_MANAGERS = ['DIRECTOR', 'SERVICES_ORGANISER', 'COMMUNITY_ORGANISER'];
/** Who runs the partner council. */
export const COUNCIL_MANAGERS = ['DIRECTOR', 'SERVICES_ORGANISER'];

/**
 * Partners (NGOs, social-economy entities, public institutions, church bodies, businesses,
 * informal groups) and the partner council of a CUS.
 *
 * A partner may work in several gminy: `gmina_ids` lists them, and staff of any of them see it.
 * `gmina_id` is the gmina that registered it (always among `gmina_ids`). A PARTNER principal sees
 * and edits its own row only, and a trigger keeps it from changing what the CUS decides (status,
 * kind, the gminy it works in, its KRS, NIP and REGON).
 */
export class Migration20261123000100Partners extends Migration {
  override up(): void {
    // Shared by every table that lists gminy in an array: arrays cannot carry foreign keys.
    this.addSql(`create function app.check_gmina_ids() returns trigger language plpgsql as $$
      begin
        if exists (select 1 from unnest(new.gmina_ids) s(id) where not exists (select 1 from public.gmina g where g.id = s.id)) then
          raise exception 'gmina does not exist' using errcode = '23503';
        end if;
        return new;
      end $$`);
    this.addSql(`create table partner (
      id uuid primary key default gen_random_uuid(),
      gmina_id integer not null references gmina (id),
      gmina_ids integer[] not null check (cardinality(gmina_ids) >= 1 and gmina_id = any (gmina_ids)),
      name text not null check (btrim(name) <> ''),
      kind text not null check (kind in ('NGO', 'SOCIAL_ECONOMY', 'PUBLIC_INSTITUTION', 'CHURCH_BODY', 'BUSINESS', 'INFORMAL_GROUP')),
      krs text check (krs ~ '^[0-9]{10}$'),
      nip text check (nip ~ '^[0-9]{10}$'),
      regon text check (regon ~ '^([0-9]{9}|[0-9]{14})$'),
      email text,
      phone text,
      website text,
      street text,
      postal_code text check (postal_code ~ '^[0-9]{2}-[0-9]{3}$'),
      city text,
      description text,
      status text not null default 'ACTIVE' check (status in ('ACTIVE', 'INACTIVE')),
      version integer not null default 1,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`);
    this.addSql(`create index partner_gmina_idx on partner (gmina_id)`);
    this.addSql(`create index partner_gminy_idx on partner using gin (gmina_ids)`);
    this.addSql(`create index partner_name_idx on partner (name, id)`);
    // One organisation, one row: a second registration of the same NIP is refused.
    this.addSql(`create unique index partner_nip_key on partner (nip) where nip is not null`);
    this.addSql(`create trigger partner_gminy_exist before insert or update of gmina_ids on partner
      for each row execute function app.check_gmina_ids()`);
    this.addSql(`create function app.partner_self_edit_guard() returns trigger language plpgsql as $$
      begin
        if app.role() = 'PARTNER' and (new.status is distinct from old.status or new.kind is distinct from old.kind
            or new.gmina_ids is distinct from old.gmina_ids or new.gmina_id is distinct from old.gmina_id
            or new.krs is distinct from old.krs or new.nip is distinct from old.nip or new.regon is distinct from old.regon) then
          raise exception 'a partner may not change its status, kind, gminy or identifiers' using errcode = '42501';
        end if;
        return new;
      end $$`);
    this.addSql(`create trigger partner_self_edit before update on partner for each row execute function app.partner_self_edit_guard()`);
    for (const sql of enableRls('partner')) this.addSql(sql);
    const staffSees = `(${roleIn(...CUS_STAFF, 'GMINA_OFFICIAL')}) and gmina_ids && (select app.gminy())`;
    const ownRow = `${roleIn('PARTNER')} and id = (select app.partner_id())`;
    const managerSees = `(${roleIn(...PARTNER_MANAGERS)}) and gmina_ids && (select app.gminy())`;
    // The public catalogue (HSDS export) names the active organisations that work in the gmina asked for.
    const publicSees = `${roleIn('PUBLIC')} and status = 'ACTIVE' and gmina_ids && (select app.gminy())`;
    this.addSql(policy({ table: 'partner', name: 'partner_read', command: 'select', using: `(${staffSees}) or (${ownRow}) or (${publicSees})` }));
    this.addSql(policy({ table: 'partner', name: 'partner_insert', command: 'insert', check: `(${roleIn(...PARTNER_MANAGERS)}) and ${inScope()}` }));
    this.addSql(
      policy({
        table: 'partner',
        name: 'partner_update',
        command: 'update',
        using: `(${managerSees}) or (${ownRow})`,
        check: `(${managerSees}) or (${ownRow})`,
      }),
    );
    this.addSql(`grant select, insert, update on partner to cus_app`);
    // The gminy a PARTNER principal's organisation works in (empty for everyone else). Runs under
    // the partner table's own policies, so it only ever reads the principal's own partner row.
    this.addSql(`create function app.partner_gminy() returns int[] language sql stable as
      $$ select coalesce((select gmina_ids from public.partner where id = app.partner_id()), '{}'::int[]) $$`);

    // --- the partner council (Rada Partnerów) of a CUS unit; gmina_id is the unit's seat gmina.
    this.addSql(`create table partner_council (
      id uuid primary key default gen_random_uuid(),
      gmina_id integer not null references gmina (id),
      cus_unit_id uuid not null unique,
      name text not null check (btrim(name) <> ''),
      established_on date,
      version integer not null default 1,
      created_at timestamptz not null default now(),
      unique (id, gmina_id),
      foreign key (cus_unit_id, gmina_id) references cus_unit (id, gmina_id)
    )`);
    this.addSql(`create index partner_council_gmina_idx on partner_council (gmina_id)`);
    // The council's rows carry the seat gmina, but the unit may serve several gminy: their staff and
    // officials read the council of the unit serving them (whenever they can see the unit), while
    // only managers of the seat gmina write. Members and meetings follow their council.
    const staffOrOfficial = `(${roleIn(...CUS_STAFF, 'GMINA_OFFICIAL')})`;
    const councilRead = `${staffOrOfficial} and (${inScope()} or ${parentVisible('cus_unit', 'cus_unit_id')})`;
    const childRead = `${staffOrOfficial} and (${inScope()} or ${parentVisible('partner_council', 'council_id')})`;
    for (const sql of staffTablePolicies('partner_council', COUNCIL_MANAGERS, { read: councilRead })) this.addSql(sql);

    this.addSql(`create table partner_council_member (
      id uuid primary key default gen_random_uuid(),
      gmina_id integer not null references gmina (id),
      council_id uuid not null,
      partner_id uuid not null references partner (id),
      representative_name text not null check (btrim(representative_name) <> ''),
      representative_function text,
      joined_on date not null,
      left_on date,
      created_at timestamptz not null default now(),
      foreign key (council_id, gmina_id) references partner_council (id, gmina_id),
      check (left_on is null or left_on >= joined_on)
    )`);
    this.addSql(`create index partner_council_member_gmina_idx on partner_council_member (gmina_id)`);
    this.addSql(`create index partner_council_member_council_idx on partner_council_member (council_id, joined_on)`);
    // A partner sits on a council once at a time.
    this.addSql(`create unique index partner_council_member_current_key on partner_council_member (council_id, partner_id) where left_on is null`);
    for (const sql of staffTablePolicies('partner_council_member', COUNCIL_MANAGERS, { read: childRead })) this.addSql(sql);

    this.addSql(`create table partner_council_meeting (
      id uuid primary key default gen_random_uuid(),
      gmina_id integer not null references gmina (id),
      council_id uuid not null,
      held_on date not null,
      place text,
      topics text[] not null check (cardinality(topics) >= 1),
      outcomes text,
      attendee_member_ids uuid[] not null default '{}',
      created_at timestamptz not null default now(),
      foreign key (council_id, gmina_id) references partner_council (id, gmina_id)
    )`);
    this.addSql(`create index partner_council_meeting_gmina_idx on partner_council_meeting (gmina_id)`);
    this.addSql(`create index partner_council_meeting_council_idx on partner_council_meeting (council_id, held_on)`);
    for (const sql of staffTablePolicies('partner_council_meeting', COUNCIL_MANAGERS, { read: childRead, delete: true })) this.addSql(sql);
  }
}
