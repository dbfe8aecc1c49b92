import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadConfig, type Config } from '../src/platform/config.js';
import { signDevToken } from '../src/platform/auth/tokens.js';
import { unitServing } from '../src/platform/auth/token-door.js';
import { CUS_STAFF, isRole } from '../src/platform/auth/roles.js';
import { tercToId } from '../src/platform/auth/principal.js';
import { withUser } from '../src/platform/database/urls.js';
import { APP_ROLE } from '../src/platform/database/app-role.js';

const USAGE = 'usage: npm run token -- --role <ROLE> [--gmina <TERC>]... [--unit <uuid>] [--partner <uuid>] [--sub <id>] [--expires 12h]\n';

/**
 * npm run token -- --role COORDINATOR --gmina 1417082 [--gmina ...] [--unit <uuid>] [--partner <uuid>] [--sub <id>] [--expires 12h]
 *
 * CUS staff belong to a unit (the cus_unit claim): without --unit, the unit serving all the gminy
 * given is looked up in the database the server uses (DATABASE_URL, or the embedded one while npm start
 * runs).
 */
const { values } = parseArgs({
  options: {
    role: { type: 'string' },
    gmina: { type: 'string', multiple: true },
    unit: { type: 'string' },
    partner: { type: 'string' },
    sub: { type: 'string' },
    expires: { type: 'string' },
  },
});
if (!isRole(values.role)) {
  process.stderr.write(USAGE);
  process.exit(2);
}
const config = loadConfig();

/** The database as the server reaches it: DATABASE_URL's, or the embedded cluster's `cus` database. */
function serverDatabase(config: Config): string {
  if (config.databaseUrl) return config.appDatabaseUrl ?? withUser(config.databaseUrl, APP_ROLE, config.appDbPassword);
  return config.appDatabaseUrl ?? `postgres://${APP_ROLE}:${encodeURIComponent(config.appDbPassword)}@127.0.0.1:${config.embeddedPgPort}/cus`;
}

async function findUnit(gminy: string[]): Promise<string> {
  const pool = new pg.Pool({ connectionString: serverDatabase(config), max: 1, connectionTimeoutMillis: 3000 });
  try {
    const unit = await unitServing(pool, gminy.map(tercToId));
    if (unit) return unit;
    process.stderr.write(`No CUS unit serves all of ${gminy.join(', ')}: a staff token names gminy of its own unit (or pass --unit <uuid>)\n`);
  } catch (error) {
    process.stderr.write(
      `Could not look up the unit serving ${gminy.join(', ')} (${(error as Error).message}): start the server (npm start) or set DATABASE_URL, or pass --unit <uuid>\n`,
    );
  } finally {
    await pool.end();
  }
  process.exit(1);
}

const unit = values.unit ?? (CUS_STAFF.includes(values.role) && values.gmina?.length ? await findUnit(values.gmina) : undefined);
const token = await signDevToken(config, {
  role: values.role,
  gminy: values.gmina,
  cus_unit: unit,
  partner_id: values.partner,
  subject: values.sub,
  expiresIn: values.expires,
});
process.stdout.write(`${token}\n`);
