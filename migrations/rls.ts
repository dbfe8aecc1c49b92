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
  return [`create policy ${name} on ${table} for ${command} to public`, using ? `using (${using})` : '', check ? `with check (${check})` : '']
    .filter(Boolean)
    .join(' ');
}

/** Staff of a CUS (the roles a CUS token can carry), as SQL role names. */
export const CUS_STAFF = ['DIRECTOR', 'SERVICES_ORGANISER', 'COORDINATOR', 'COMMUNITY_ORGANISER'];

/** Staff of a CUS, and gmina officials, whose scope covers the row's gmina. */
export function staffReads(column = 'gmina_id'): string {
  return `(${roleIn(...CUS_STAFF, 'GMINA_OFFICIAL')}) and ${inScope(column)}`;
}

/** One of `roles`, and the row's gmina is in scope. */
export function managedBy(roles: string[], column = 'gmina_id'): string {
  return `(${roleIn(...roles)}) and ${inScope(column)}`;
}

/**
 * A child row is visible exactly when its parent row is: the subquery runs under the parent
 * table's own policies, so visibility rules live in one place.
 */
export function parentVisible(parentTable: string, foreignKey: string): string {
  return `exists (select 1 from ${parentTable} parent where parent.id = ${foreignKey})`;
}

/** Read, insert, update and delete policies for a tenant table whose rows staff read and `managers` write. */
export function staffTablePolicies(table: string, managers: string[], options: { read?: string; delete?: boolean } = {}): string[] {
  const manage = managedBy(managers);
  return [
    ...enableRls(table),
    policy({ table, name: `${table}_read`, command: 'select', using: options.read ?? staffReads() }),
    policy({ table, name: `${table}_insert`, command: 'insert', check: manage }),
    policy({ table, name: `${table}_update`, command: 'update', using: manage, check: manage }),
    ...(options.delete ? [policy({ table, name: `${table}_delete`, command: 'delete', using: manage })] : []),
    `grant select, insert, update${options.delete ? ', delete' : ''} on ${table} to cus_app`,
  ];
}
