/**
 * SQL builders for the row-level-security conventions every tenant table follows.
 *
 * Why: the database is the last line of tenant isolation. Policies read the principal from
 * transaction-local settings (see migrations/Migration20261122000000Platform.ts, schema `app`),
 * always through a scalar subselect `(select app.gminy())::int[]` so PostgreSQL evaluates it once per
 * statement as an InitPlan instead of once per row.
 */

/** Enables and forces RLS, so not even the table owner reads around the policies. */
export function enableRls(table: string): string[] {
  return [`alter table ${table} enable row level security`, `alter table ${table} force row level security`];
}

/** The principal's role is one of these (a list of role names). */
export function roleIn(...roles: string[]): string {
  return `(select app.role()) in (${roles.map((r) => `'${r}'`).join(', ')})`;
}

/** The row's gmina is one the principal may see. */
export function inScope(column = 'gmina_id'): string {
  return `${column} = any ((select app.gminy())::int[])`;
}

export interface PolicySpec {
  table: string;
  name: string;
  command: 'select' | 'insert' | 'update' | 'delete' | 'all';
  using?: string;
  check?: string;
}

export function policy({ table, name, command, using, check }: PolicySpec): string {
  return [
    `create policy ${name} on ${table} for ${command} to public`,
    using ? `using (${using})` : '',
    check ? `with check (${check})` : '',
  ].filter(Boolean).join(' ');
}
