import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '../../platform/auth/principal.js';
import { RECORD_READERS, Role } from '../../platform/auth/roles.js';
import type { PersonalReads } from '../../platform/graphql/personal-reads.js';

/*
 * Where an operation's reads of personal data are kept (src/platform/graphql/personal-reads.ts notes
 * them): one row per resident and operation in `resident_access_log`, saying who, with which role,
 * when, and how the operation reached the record: its type and the paths of fields that returned it
 * (`query plans.nodes.resident`), worked out by the server. The client's operation name is not kept:
 * any client can choose it, so it would let a client label its own reads.
 *
 * Searches by staff (a filter over residents, applications, plans or deliveries) are kept in
 * `resident_search_log` with their criteria and the count when it was read: a search that answers
 * whether a PESEL is a resident reveals that as surely as the record. The criteria are kept as
 * given, PESEL included: the log must answer "who looked this person up", for the director and for
 * the person (GDPR art. 15), and a hash of an 11-digit number with a birth date inside it is undone
 * by trying them all, so it would only look safer. Only the director reads either log.
 *
 * Both are written in the operation's record transaction, so they are kept when the operation fails
 * or only read; if they cannot be written, the response carries an error instead of the data.
 */

/** Statement for staff: their reads resolve to residents under their own row-level security. */
const STAFF_LOG = `with reads as (
    select r.kind, r.id, r.path from jsonb_to_recordset(?::jsonb) as r(kind text, id uuid, path text)
  ), found as (
    select r.kind, r.id, r.path, x.resident_id from reads r cross join lateral (
      select r.id as resident_id where r.kind = 'resident'
      union all select a.resident_id from application a where r.kind = 'application' and a.id = r.id
      union all select p.resident_id from ipus p where r.kind = 'plan' and p.id = r.id
      union all select p.resident_id from ipus_item i join ipus p on p.id = i.ipus_id where r.kind = 'item' and i.id = r.id
      union all select p.resident_id from delivery d join ipus_item i on i.id = d.ipus_item_id join ipus p on p.id = i.ipus_id
        where r.kind = 'delivery' and d.id = r.id
    ) x
  ), shown as (
    select f.kind, f.id, f.path, res.id as resident_id, res.gmina_id from found f join resident res on res.id = f.resident_id
  ), logged as (
    insert into resident_access_log (gmina_id, resident_id, subject, role, operation)
    select gmina_id, resident_id, ?, ?, ? || ' ' || string_agg(distinct path, ', ' order by path) from shown group by gmina_id, resident_id
    returning 1
  ), searched as (
    insert into resident_search_log (gmina_id, subject, role, operation, criteria, counted)
    select g.id, ?, ?, ? || ' ' || s.path, s.criteria, s.counted
    from jsonb_to_recordset(?::jsonb) as s(path text, criteria jsonb, counted integer) cross join unnest(?::int[]) as g(id)
    returning 1
  )
  select (select count(*) from reads r where not exists (select 1 from shown s where s.kind = r.kind and s.id = r.id))::int as unresolved,
    (select count(*) from logged)::int as logged, (select count(*) from searched)::int as searched`;

/**
 * A partner cannot read residents, plans or items, so its reads (the items assigned to it, the
 * deliveries it recorded) are resolved by a function of the database that checks they are its own.
 */
const PARTNER_LOG = `select app.log_partner_reads(?::jsonb, ?) as unresolved`;

/** Saves the reads one operation noted; refuses (the data is not sent) when one cannot be tied to a resident the reader may see. */
export async function writeAccessLog(em: EntityManager, principal: Principal, reads: PersonalReads): Promise<void> {
  const rows = reads.records.flatMap(({ ref, paths }) => paths.map((path) => ({ kind: ref.kind, id: ref.id, path })));
  // Searches matter where a reader could learn of residents it was not shown; a partner sees only its own.
  const searches = RECORD_READERS.includes(principal.role) ? reads.searches : [];
  if (rows.length === 0 && searches.length === 0) return;
  let unresolved: number;
  if (principal.role === Role.PARTNER) {
    if (rows.length === 0) return;
    [{ unresolved }] = await em.execute<{ unresolved: number }[]>(PARTNER_LOG, [JSON.stringify(rows), reads.operation]);
  } else {
    const { subject, role } = principal;
    [{ unresolved }] = await em.execute<{ unresolved: number }[]>(STAFF_LOG, [
      JSON.stringify(rows),
      subject,
      role,
      reads.operation,
      subject,
      role,
      reads.operation,
      JSON.stringify(searches),
      `{${principal.gminy.join(',')}}`,
    ]);
  }
  if (unresolved > 0) throw new Error(`${unresolved} read(s) of personal data could not be tied to a resident the reader may see, so they cannot be logged`);
}
