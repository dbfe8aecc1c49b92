import type pg from 'pg';

/**
 * A fingerprint of the data, read as the schema owner (past row-level security): per table, the row
 * count and an order-independent sum of row hashes, so any insert, update or delete shows. Taken
 * before and after each case; a refused operation must leave it as it was.
 */
export type Fingerprint = Record<string, string>;

/** Tables that legitimately change without any operation being accepted, and why. */
const NOT_DATA: Record<string, string> = {
  // README "Residents and applications": every read by staff is logged in a transaction of its own, kept when the operation fails.
  'public.resident_access_log': 'reads are logged even when the operation is refused',
  // Likewise every search by staff over residents, with its criteria (README, the access log and the search log).
  'public.resident_search_log': 'searches are logged even when the operation is refused',
  'public.mikro_orm_migrations': 'migrations, not data',
};

export async function dataTables(owner: pg.Client): Promise<string[]> {
  const { rows } = await owner.query<{ name: string }>(
    `select format('%I.%I', n.nspname, c.relname) as name
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p') and not c.relispartition
        and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg\\_%'
      order by 1`,
  );
  return rows.map((r) => r.name).filter((name) => !(name in NOT_DATA));
}

export async function dataFingerprint(owner: pg.Client, tables: string[]): Promise<Fingerprint> {
  const parts = tables.map((table) => `select '${table}' as name, count(*) || ':' || coalesce(sum(hashtextextended(t::text, 0)), 0) as hash from ${table} t`);
  const { rows } = await owner.query<{ name: string; hash: string }>(parts.join(' union all '));
  return Object.fromEntries(rows.map((r) => [r.name, r.hash]));
}

/** Tables whose fingerprint differs. */
export function changedTables(before: Fingerprint, after: Fingerprint): string[] {
  return [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((table) => before[table] !== after[table]).sort();
}
