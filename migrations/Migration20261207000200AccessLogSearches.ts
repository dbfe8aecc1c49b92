import { Migration } from '@mikro-orm/migrations';
import { enableRls, managedBy, policy } from './rls.js';
import { RESIDENT_READERS } from './Migration20261123000500Residents.js';

/**
 * Reads that escaped the access log (issue 17, items 2 to 4).
 *
 * - `resident_search_log`: a search by staff over residents, applications, plans or deliveries, with
 *   its criteria and, when the count was read, how many matched. A PESEL filter with `first: 0` and
 *   `totalCount` shows no record and still says whether the person is a resident. One row per gmina
 *   the search ran over, so each gmina's director reads the searches of its residents. Append-only,
 *   like the access log: no update or delete policy or privilege.
 * - `app.log_partner_reads`: a partner reads the people it serves through the view
 *   `partner_assignment`, which does not say which resident a row is; the function ties the items
 *   and deliveries a partner was shown to their residents and logs the reads, for that partner's own
 *   items and deliveries only.
 * - `resident_access_log.operation` now holds the path the server worked out (`query
 *   plans.nodes.resident`); rows written before this migration hold the client's operation name.
 */
export class Migration20261207000200AccessLogSearches extends Migration {
  override up(): void {
    this.addSql(`create table resident_search_log (
      id bigint generated always as identity primary key,
      gmina_id integer not null references gmina (id),
      subject text not null,
      role text not null,
      operation text not null,
      criteria jsonb not null,
      counted integer,
      accessed_at timestamptz not null default now()
    )`);
    this.addSql(`create index resident_search_log_gmina_idx on resident_search_log (gmina_id, accessed_at desc)`);
    for (const sql of enableRls('resident_search_log')) this.addSql(sql);
    this.addSql(policy({ table: 'resident_search_log', name: 'resident_search_log_read', command: 'select', using: managedBy(['DIRECTOR']) }));
    this.addSql(
      policy({
        table: 'resident_search_log',
        name: 'resident_search_log_insert',
        command: 'insert',
        check: `${managedBy(RESIDENT_READERS)} and subject = (select app.user_id()) and role = (select app.role())`,
      }),
    );
    this.addSql(`grant select, insert on resident_search_log to cus_app`);

    this.addSql(`comment on column resident_access_log.operation is
      'How the record was reached: the operation type and the paths of fields that returned it, by the server (before Migration20261207000200: the client''s operation name)'`);

    // Reads: [{ kind: 'item' | 'delivery', id, path }]. Returns how many of them are not the partner's
    // own (the caller refuses the answer then). Runs as the owner, so it checks the partner itself; the
    // insert in `logged` runs whether or not its rows are read (PostgreSQL runs every data-modifying CTE).
    this.addSql(`create function app.log_partner_reads(reads jsonb, operation_type text) returns integer
      language plpgsql security definer set search_path = public, pg_temp as $$
      declare
        unresolved integer;
      begin
        if (select app.role()) is distinct from 'PARTNER' or (select app.partner_id()) is null then
          raise exception 'only a partner principal logs its reads here' using errcode = '42501';
        end if;
        with given as (
          select r.kind, r.id, r.path from jsonb_to_recordset(reads) as r(kind text, id uuid, path text)
        ), found as (
          select g.kind, g.id, g.path, p.resident_id, p.gmina_id
          from given g
            left join delivery d on g.kind = 'delivery' and d.id = g.id and d.partner_id = (select app.partner_id())
            join ipus_item i on i.id = case g.kind when 'item' then g.id when 'delivery' then d.ipus_item_id end
              and (g.kind = 'delivery' or i.partner_id = (select app.partner_id()))
            join ipus p on p.id = i.ipus_id
        ), logged as (
          insert into resident_access_log (gmina_id, resident_id, subject, role, operation)
          select gmina_id, resident_id, app.user_id(), 'PARTNER', operation_type || ' ' || string_agg(distinct path, ', ' order by path)
          from found group by gmina_id, resident_id
          returning 1
        )
        select count(*) into unresolved from given g
          where not exists (select 1 from found f where f.kind = g.kind and f.id = g.id);
        return unresolved;
      end $$`);
    this.addSql(`revoke all on function app.log_partner_reads(jsonb, text) from public`);
    this.addSql(`grant execute on function app.log_partner_reads(jsonb, text) to cus_app`);
  }
}
