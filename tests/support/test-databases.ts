import pg from 'pg';

/**
 * The databases of a test run: one template, migrated and seeded once by the global setup, and a clone
 * of it for every test file (tests/support/suite-database.ts) and every ownDemoDatabase(). All their
 * names start with the run's prefix, which holds the run's start time, so the global teardown drops
 * what a crashed worker left, and a later run drops what an interrupted run left.
 */

const PREFIX = 'cus_test_';

/** What the global setup hands every worker (vitest `provide`): where to clone from, and how to name clones. */
export interface TestDatabases {
  /** A connection with the right to create and drop databases, to a database that is not the template. */
  adminUrl: string;
  /** The migrated, seeded database every clone copies; nobody may connect to it. */
  template: string;
  /** This run's prefix: every database the run makes starts with it. */
  prefix: string;
}

/** `cus_test_<start time, base 36>_<pid>_`: unique per run, and tells when the run began. */
export const runPrefix = (startedAt = Date.now()) => `${PREFIX}${startedAt.toString(36)}_${process.pid}_`;

/** A name under the run's prefix for a clone: `label` (a test file's name) cut to fit PostgreSQL's 63 bytes, and a random tail. */
export function cloneName(prefix: string, label: string): string {
  const slug = label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .slice(0, 62 - prefix.length - 5);
  return `${prefix}${slug}_${Math.random().toString(36).slice(2, 6)}`;
}

async function asAdmin<T>(adminUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Closes the template to connections. CREATE DATABASE ... TEMPLATE refuses to copy a database anyone is
 * connected to, so a stray connection (a pool still closing after the seed, a suite that reached for the
 * template) would fail clones at random; with connections refused, it cannot happen.
 */
export function sealTemplate(adminUrl: string, template: string): Promise<void> {
  return asAdmin(adminUrl, async (client) => {
    await refuseWhatClonesLose(client, template);
    const name = client.escapeIdentifier(template);
    await client.query(`alter database ${name} with allow_connections false`);
    await client.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [template]);
  });
}

/**
 * CREATE DATABASE copies what lives inside a database, not what is set on it: database-level settings
 * (ALTER DATABASE ... SET, ALTER ROLE ... IN DATABASE ... SET) and the database's own grants. The
 * migrations set none of these; should one start to, every clone would silently lack it, so the run
 * stops here instead, until cloneDatabase re-applies it.
 */
async function refuseWhatClonesLose(client: pg.Client, template: string): Promise<void> {
  const { rows } = await client.query<{ acl: string | null; settings: string[] | null }>(
    `select d.datacl::text as acl,
            (select array_agg(coalesce(r.rolname, 'every role') || ': ' || array_to_string(s.setconfig, ', '))
               from pg_db_role_setting s left join pg_roles r on r.oid = s.setrole where s.setdatabase = d.oid) as settings
       from pg_database d where d.datname = $1`,
    [template],
  );
  const [{ acl, settings }] = rows;
  if (acl !== null || settings !== null) {
    throw new Error(
      `The migrations set database-level grants (${acl ?? 'none'}) or settings (${settings?.join('; ') ?? 'none'}), ` +
        'which CREATE DATABASE does not copy to the test clones: make cloneDatabase (tests/support/test-databases.ts) re-apply them',
    );
  }
}

/**
 * Copies the template into a new database and returns how long it took. The default strategy (WAL_LOG on
 * PostgreSQL 15 and later) reads the template through shared buffers and logs the pages: for a database of
 * this size (15 MB) it costs about what an empty CREATE DATABASE costs. FILE_COPY would copy the files
 * but starts with a checkpoint of the whole server, which under other writers took 2 to 4 times as long
 * (README, "Tests"). Everything inside the database comes along: schema, data, grants, RLS policies,
 * functions; roles are the cluster's, shared by every clone. What is set on the database itself is not
 * copied (refuseWhatClonesLose).
 */
export function cloneDatabase(adminUrl: string, template: string, name: string): Promise<number> {
  return asAdmin(adminUrl, async (client) => {
    const started = performance.now();
    await client.query(`create database ${client.escapeIdentifier(name)} template ${client.escapeIdentifier(template)}`);
    return Math.round(performance.now() - started);
  });
}

export function dropTestDatabase(adminUrl: string, name: string): Promise<void> {
  return asAdmin(adminUrl, async (client) => {
    await client.query(`drop database if exists ${client.escapeIdentifier(name)} with (force)`);
  });
}

/**
 * Drops the databases of this run (`prefix`), and those an interrupted run left (vitest stopped with
 * Ctrl+C skips the global teardown): runs that began more than a day ago, and, when `localServer` (the
 * embedded one, which only this machine uses), runs whose process is gone. Younger runs of others on a
 * shared server are left alone: several may run at once, from other machines too.
 */
export function dropRunDatabases(adminUrl: string, prefix: string, options: { localServer?: boolean } = {}): Promise<string[]> {
  return asAdmin(adminUrl, async (client) => {
    const { rows } = await client.query<{ datname: string }>('select datname from pg_database where starts_with(datname, $1)', [PREFIX]);
    const doomed = rows.map((r) => r.datname).filter((name) => name.startsWith(prefix) || abandoned(name, options.localServer ?? false));
    for (const name of doomed) await client.query(`drop database if exists ${client.escapeIdentifier(name)} with (force)`);
    return doomed;
  });
}

/** Whether a `cus_test_<time>_<pid>_...` database belongs to a run that is surely over (names of another shape: no). */
function abandoned(name: string, localServer: boolean): boolean {
  const [time, pid] = name.slice(PREFIX.length).split('_');
  const started = parseInt(time, 36);
  if (!Number.isFinite(started) || started < 1_600_000_000_000) return false;
  if (started < Date.now() - 24 * 3600_000) return true;
  return localServer && /^\d+$/.test(pid ?? '') && !processAlive(Number(pid));
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
