import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Inserts plain rows (snake_case keys) in one statement: the rows travel as one JSON parameter and
 * PostgreSQL turns them into the table's row type, arrays included. Seeds run as the schema owner.
 */
export async function insertRows(em: EntityManager, table: string, rows: Record<string, unknown>[]): Promise<void> {
  // Rows are grouped by the columns they name, so a column a row leaves out keeps its default.
  const groups = new Map<string, Record<string, unknown>[]>();
  for (const row of rows) {
    const columns = Object.keys(row).sort().join(', ');
    groups.set(columns, [...(groups.get(columns) ?? []), row]);
  }
  for (const [columns, group] of groups) {
    await em
      .getConnection()
      .execute(`insert into ${table} (${columns}) select ${columns} from jsonb_populate_recordset(null::${table}, ?::jsonb)`, [JSON.stringify(group)]);
  }
}

/** A fixed, readable UUID for demo rows: `demoId(0x2a, 7)` is 0193a000-0000-7000-802a-000000000007. */
export function demoId(kind: number, n: number): string {
  return `0193a000-0000-7000-80${kind.toString(16).padStart(2, '0')}-${n.toString(16).padStart(12, '0')}`;
}
