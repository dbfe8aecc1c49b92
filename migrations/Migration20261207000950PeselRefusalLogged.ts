import { Migration } from '@mikro-orm/migrations';
import { Role } from '../src/platform/auth/roles.js';
import { PESEL_IN_CENTRE } from '../src/modules/resident/resident-rules.js';

/** Two gminy are served by one centre: the same gmina, or both among a unit's served gminy (read as the owner). */
const oneCentre = (a: string, b: string) =>
  `(${a} = ${b} or exists (select 1 from cus_unit u where ${a} = any (u.served_gmina_ids) and ${b} = any (u.served_gmina_ids)))`;

/**
 * A PESEL refusal is a read of the record that holds it (issue 17, gap c).
 *
 * In a centre serving several gminy, refusing a PESEL already registered tells the writer that the
 * person is a resident of the centre, whichever of its gminy holds the record. Until now the refusal
 * also named that record (its id and gmina, in the trigger's detail, passed on by the API) to a writer
 * whose token does not cover that gmina, and nothing was logged.
 *
 * - `app.resident_one_per_centre` is redefined whole, the same but for its refusal, which no longer
 *   carries the holder's id and gmina: the writer learns that the PESEL is taken in the centre, and the
 *   API names the holder only where the writer reads it under row-level security.
 * - `app.log_pesel_refusal`: the API calls it for every such refusal, and it writes the read to the
 *   access log of the holder's gmina (whose director reads who learned it), which the writer's own
 *   policies would refuse. It is narrow: a record keeper's call, for a gmina of its token, logging only
 *   the live records that hold the PESEL in that gmina's centre (two, where it was registered twice
 *   before one person was one record), under a label it writes itself.
 */
export class Migration20261207000950PeselRefusalLogged extends Migration {
  override up(): void {
    const identity = (row: string) =>
      `(${['gmina_id', 'first_name', 'last_name', 'pesel', 'birth_date', 'sex', 'street', 'postal_code', 'city', 'phone', 'email', 'household_notes']
        .map((c) => `${row}.${c}`)
        .join(', ')})`;
    this
      .addSql(`create or replace function app.resident_one_per_centre() returns trigger language plpgsql security definer set search_path = public, pg_temp as $$
      declare
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
          -- Which record holds it is not said: the writer may not read it (the API names it where it may).
          if exists (select 1 from resident r
              where r.pesel = new.pesel and r.merged_into is null and r.id <> new.id and ${oneCentre('r.gmina_id', 'new.gmina_id')}) then
            raise exception 'a resident with this PESEL is already registered in this centre'
              using errcode = '23505', constraint = '${PESEL_IN_CENTRE}';
          end if;
        end if;
        return new;
      end $$`);

    this.addSql(`create function app.log_pesel_refusal(given_pesel text, writer_gmina integer, root_field text) returns void
      language plpgsql security definer set search_path = public, pg_temp as $$
      begin
        if (select app.role()) not in ('${Role.DIRECTOR}', '${Role.COORDINATOR}') or not (writer_gmina = any ((select app.gminy())::int[])) then
          raise exception 'only a record keeper logs a PESEL refusal, for a gmina of its own' using errcode = '42501';
        end if;
        if root_field not in ('residentCreate', 'residentUpdate') then
          raise exception 'a PESEL is refused by residentCreate or residentUpdate' using errcode = '22023';
        end if;
        insert into resident_access_log (gmina_id, resident_id, subject, role, operation)
        select r.gmina_id, r.id, app.user_id(), app.role(), 'mutation ' || root_field || ': PESEL refused as DUPLICATE, held by this record'
        from resident r
        where r.pesel = given_pesel and r.merged_into is null and ${oneCentre('r.gmina_id', 'writer_gmina')};
      end $$`);
    this.addSql(`revoke all on function app.log_pesel_refusal(text, integer, text) from public`);
    this.addSql(`grant execute on function app.log_pesel_refusal(text, integer, text) to cus_app`);
  }
}
