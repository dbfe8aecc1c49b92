import { Migration } from '@mikro-orm/migrations';
import { Role } from '../src/platform/auth/roles.js';
import { PESEL_IN_CENTRE } from '../src/modules/resident/resident-rules.js';

/** Two gminy are served by one centre: the same gmina, or both among a unit's served gminy (read as the owner). */
const oneCentre = (a: string, b: string) =>
  `(${a} = ${b} or exists (select 1 from cus_unit u where ${a} = any (u.served_gmina_ids) and ${b} = any (u.served_gmina_ids)))`;

/**
 * One person, one record per centre (issue 17, item 8).
 *
 * A resident still belongs to the gmina they live in, but a centre serving several gminy keeps one
 * record per person: a PESEL is unique among the live records of the gminy a unit serves. A unique
 * index cannot span "the gminy of a unit", so a trigger checks it under an advisory lock taken by the
 * PESEL (two registrations at once wait for each other), reading as the owner so that a coordinator whose
 * token names one of the centre's gminy is refused as well; the refusal's detail carries the existing
 * record's id and gmina. The index (gmina_id, pesel) stays behind it, for live records only.
 *
 * Two records of one person are merged, never deleted: the merged record keeps its data, its
 * applications, plans and access-log rows keep its id (their gmina is where they were filed), and
 * `merged_into` points to the surviving record, which lists it in `merged_ids` (kept by the database).
 * Merging is for the director, within one centre, and for good; a merged record no longer changes.
 * Records the rule finds already duplicated (registered before it) stay as they are until merged.
 * The partners' view of a plan made under a merged record shows the survivor (its current contact).
 */
export class Migration20261207000510OnePersonPerCentre extends Migration {
  override up(): void {
    this.addSql(`alter table resident
      add column merged_into uuid references resident (id),
      add column merged_ids uuid[] not null default '{}',
      add column merged_at timestamptz,
      add column merged_by text,
      add column merge_reason text,
      add check (merged_into is distinct from id),
      add check ((merged_into is null) = (merged_at is null) and (merged_into is null) = (merged_by is null)
        and (merged_into is null) = (btrim(coalesce(merge_reason, '')) = ''))`);
    this.addSql(`create index resident_merged_into_idx on resident (merged_into) where merged_into is not null`);
    this.addSql(`drop index resident_pesel_key`);
    this.addSql(`create unique index resident_pesel_key on resident (gmina_id, pesel) where pesel is not null and merged_into is null`);
    this.addSql(`create index resident_pesel_idx on resident (pesel) where pesel is not null and merged_into is null`);
    // Possible duplicates without PESEL are looked up by birth date.
    this.addSql(`create index resident_birth_date_idx on resident (birth_date) where merged_into is null`);

    const identity = (row: string) =>
      `(${['gmina_id', 'first_name', 'last_name', 'pesel', 'birth_date', 'sex', 'street', 'postal_code', 'city', 'phone', 'email', 'household_notes']
        .map((c) => `${row}.${c}`)
        .join(', ')})`;
    this.addSql(`create function app.resident_one_per_centre() returns trigger language plpgsql security definer set search_path = public, pg_temp as $$
      declare
        holder uuid;
        holder_gmina integer;
        target resident;
      begin
        if tg_op = 'UPDATE' and old.merged_into is not null then
          if new.merged_into is null then
            raise exception 'a merge is for good' using errcode = '23514';
          end if;
          if ${identity('new')} is distinct from ${identity('old')} then
            raise exception 'a merged record no longer changes; change the record it was merged into' using errcode = '23514';
          end if;
        end if;

        if new.merged_into is distinct from (case when tg_op = 'UPDATE' then old.merged_into end) then
          if app.role() is distinct from '${Role.DIRECTOR}' then
            raise exception 'only the director merges records' using errcode = '42501';
          end if;
          select * into target from resident where id = new.merged_into;
          if target.id is null or target.merged_into is not null then
            raise exception 'a record is merged into a record that is itself not merged' using errcode = '23514';
          end if;
          -- A new merge joins two records of one centre; re-pointing the records merged into a merged one follows it.
          if (tg_op = 'INSERT' or old.merged_into is null) and not ${oneCentre('target.gmina_id', 'new.gmina_id')} then
            raise exception 'records of gminy no unit serves together are not merged' using errcode = '23514';
          end if;
        end if;

        if new.pesel is not null and new.merged_into is null
            and (tg_op = 'INSERT' or new.pesel is distinct from old.pesel or new.gmina_id <> old.gmina_id) then
          -- One of 256 locks, by the PESEL's hash: registrations of one PESEL wait for each other, and a
          -- bulk load in one transaction holds at most 256 locks.
          perform pg_advisory_xact_lock(hashtext('resident.pesel'), hashtext(new.pesel) & 255);
          select r.id, r.gmina_id into holder, holder_gmina from resident r
          where r.pesel = new.pesel and r.merged_into is null and r.id <> new.id and ${oneCentre('r.gmina_id', 'new.gmina_id')}
          order by r.created_at, r.id limit 1;
          if holder is not null then
            raise exception 'a resident with this PESEL is already registered in this centre'
              using errcode = '23505', constraint = '${PESEL_IN_CENTRE}', detail = holder::text || ' ' || lpad(holder_gmina::text, 7, '0');
          end if;
        end if;
        return new;
      end $$`);
    this.addSql(`create trigger resident_one_per_centre before insert or update on resident
      for each row execute function app.resident_one_per_centre()`);

    // The survivor lists the records merged into it, directly or through another.
    this.addSql(`create function app.resident_merged_ids() returns trigger language plpgsql security definer set search_path = public, pg_temp as $$
      begin
        update resident r set merged_ids = array(select m.id from resident m where m.merged_into = r.id order by m.merged_at, m.id)
        where r.id in (new.merged_into, old.merged_into);
        return null;
      end $$`);
    this.addSql(`create trigger resident_merged_ids after update of merged_into on resident
      for each row when (new.merged_into is distinct from old.merged_into) execute function app.resident_merged_ids()`);

    // A partner reaches the person of a plan made under a merged record through the survivor, whose
    // name, contact and address are the current ones. The rest of the view stays as it is defined now.
    this.addSql(`do $$
      declare
        def text := pg_get_viewdef('partner_assignment'::regclass);
        old_join text := 'JOIN resident r ON ((r.id = p.resident_id))';
        new_join text := 'JOIN resident r ON ((r.id = COALESCE((SELECT m.merged_into FROM resident m WHERE m.id = p.resident_id), p.resident_id)))';
      begin
        if position(old_join in def) = 0 then raise exception 'partner_assignment no longer joins the plan''s resident as expected'; end if;
        execute 'create or replace view partner_assignment with (security_barrier) as ' || replace(def, old_join, new_join);
      end $$`);
  }
}
