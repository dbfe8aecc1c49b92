import { Migration } from '@mikro-orm/migrations';
import { enableRls, policy, staffReads } from './rls.js';

/**
 * One statutory CUS per gmina (issue 17, item 9).
 *
 * A gmina has at most one statutory centre: the unit its council created (or joined under an
 * agreement) under the act. Units that are not statutory (local units called "CUS" without being
 * one) may serve it beside. A unique index cannot look into `cus_unit.served_gmina_ids`, so each
 * gmina a statutory unit serves is a row of `statutory_cus`, keyed by the gmina: a trigger keeps it
 * from `cus_unit`, and a second statutory unit for a gmina breaks its primary key, also when two
 * administrators create units at once. No extension is needed (intarray's exclusion constraint
 * would be one line, but is not in every PostgreSQL installation).
 *
 * The application role only reads it (under the same rule as other tenant tables: staff and
 * officials of the gmina); only the trigger writes it.
 */
export class Migration20261207000500StatutoryCusPerGmina extends Migration {
  override up(): void {
    this.addSql(`create table statutory_cus (
      gmina_id integer primary key references gmina (id),
      cus_unit_id uuid not null references cus_unit (id)
    )`);
    this.addSql(`create index statutory_cus_unit_idx on statutory_cus (cus_unit_id)`);

    // A database that already holds two statutory units for one gmina stops here and says which: which
    // of them is the gmina's centre is a fact to be checked, not guessed.
    this.addSql(`do $$
      declare found text;
      begin
        select string_agg(format('%s (units %s)', gmina, units), '; ') into found from (
          select g as gmina, string_agg(u.id::text, ', ' order by u.created_at) as units
          from cus_unit u cross join unnest(u.served_gmina_ids) g where u.statutory group by g having count(*) > 1) d;
        if found is not null then
          raise exception 'gminy served by more than one statutory CUS: %. Set statutory = false on every unit that is not the gmina''s statutory centre, then migrate again', found;
        end if;
      end $$`);
    this.addSql(`insert into statutory_cus (gmina_id, cus_unit_id)
      select g, u.id from cus_unit u cross join unnest(u.served_gmina_ids) g where u.statutory`);

    this.addSql(`create function app.statutory_cus_keep() returns trigger language plpgsql security definer set search_path = public, pg_temp as $$
      begin
        delete from statutory_cus where cus_unit_id = new.id and not (new.statutory and gmina_id = any (new.served_gmina_ids));
        if new.statutory then
          insert into statutory_cus (gmina_id, cus_unit_id)
          select g, new.id from unnest(new.served_gmina_ids) g
          where not exists (select 1 from statutory_cus s where s.gmina_id = g and s.cus_unit_id = new.id);
        end if;
        return null;
      end $$`);
    this.addSql(`create trigger cus_unit_statutory after insert or update of statutory, served_gmina_ids on cus_unit
      for each row execute function app.statutory_cus_keep()`);

    for (const sql of enableRls('statutory_cus')) this.addSql(sql);
    this.addSql(policy({ table: 'statutory_cus', name: 'statutory_cus_read', command: 'select', using: staffReads() }));
    this.addSql(`grant select on statutory_cus to cus_app`);
  }
}
