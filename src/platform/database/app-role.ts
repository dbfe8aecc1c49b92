import pg from 'pg';

/**
 * The role the server connects as at run time. It owns nothing and has NOBYPASSRLS, so row-level
 * security applies to every statement it sends, whatever a resolver forgets. Migrations grant it
 * privileges table by table; this creates it (cluster-wide) and sets its password.
 */
export const APP_ROLE = 'cus_app';

export async function ensureAppRole(ownerUrl: string, password: string): Promise<void> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_roles where rolname = $1', [APP_ROLE]);
    if (!rowCount) {
      try {
        await client.query(`create role ${APP_ROLE} login nosuperuser nobypassrls nocreatedb nocreaterole`);
      } catch (error) {
        // Another process created it in the meantime (roles are shared by all databases of a cluster).
        if ((error as { code?: string }).code !== '23505' && (error as { code?: string }).code !== '42710') throw error;
      }
    }
    const escaped = (await client.query('select quote_literal($1::text) as q', [password])).rows[0].q as string;
    await client.query(`alter role ${APP_ROLE} login nosuperuser nobypassrls password ${escaped}`);
  } finally {
    await client.end();
  }
}
