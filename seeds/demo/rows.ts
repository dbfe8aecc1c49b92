import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Inserts plain rows (snake_case keys) in one statement: the rows travel as one JSON parameter and
 * PostgreSQL turns them into the table's row type, arrays included. Seeds run as the schema owner.
 */
export async function insertRows(em: EntityManager, table: string, rows: Record<string, unknown>[]): Promise<void> {
  if (rows.length === 0) return;
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))].join(', ');
  await em.getConnection().execute(
    `insert into ${table} (${columns}) select ${columns} from jsonb_populate_recordset(null::${table}, ?::jsonb)`,
    [JSON.stringify(rows)],
  );
}

/** A fixed, readable UUID for demo rows: `demoId(0x2a, 7)` is 0193a000-0000-7000-802a-000000000007. */
export function demoId(kind: number, n: number): string {
  return `0193a000-0000-7000-80${kind.toString(16).padStart(2, '0')}-${n.toString(16).padStart(12, '0')}`;
}
