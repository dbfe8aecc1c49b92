import pg from 'pg';
import { AppError, ErrorCode } from '../graphql/errors.js';
import type { Config } from '../config.js';
import { idToTerc, SYSTEM_PRINCIPALS, tercToId, type Principal } from './principal.js';
import { CUS_STAFF, Role } from './roles.js';
import { readInOneMessage } from './run-as.js';
import { signDevToken, VerifiedTokens, type DevTokenRequest, type TokenVerifier } from './tokens.js';

/**
 * The door's own connections. Checking a token is not part of any operation: it answers before one
 * begins, so it never waits for (or holds) a connection of the operations' pool, and a flood of new
 * tokens waits here rather than starving the requests already admitted.
 */
const DOOR_CONNECTIONS = 2;
const CONNECT_TIMEOUT_MS = 5000;
const STATEMENT_TIMEOUT_MS = 5000;

/** What the register says about what a token names. */
interface RegisterFacts {
  /** Gminy the token names that are not in the TERYT register. */
  unknownGminy: number[];
  /** The gminy the token's unit serves; null when it names no unit or one that does not exist. */
  unitGminy: number[] | null;
  /** The partner's status in the register; null when it names no partner or one that does not exist. */
  partnerStatus: string | null;
}

/**
 * Runs one read as the TOKEN_DOOR principal, whose settings last for one transaction: begin, settings,
 * the read and commit go as a single message. `sql` carries values the claims check already validated
 * (numbers, UUIDs), never free text. A connection whose read failed is dropped, not reused.
 */
async function readAsDoor<T>(pool: pg.Pool, sql: string): Promise<T[]> {
  const client = await pool.connect();
  try {
    const rows = await readInOneMessage(client, { system: SYSTEM_PRINCIPALS.TOKEN_DOOR }, sql, { statement_timeout: String(STATEMENT_TIMEOUT_MS) });
    client.release();
    return rows as T[];
  } catch (error) {
    client.release(error as Error);
    throw error;
  }
}

const intArray = (ids: number[]) => `'{${ids.map((id) => Math.trunc(id)).join(',')}}'::int[]`;
const uuidOrNull = (id: string | null | undefined) => (id ? `'${id.replace(/[^0-9a-fA-F-]/g, '')}'::uuid` : 'null::uuid');

async function registerFacts(pool: pg.Pool, principal: Principal): Promise<RegisterFacts> {
  const [row] = await readAsDoor<{ unknown_gminy: number[]; unit_gminy: number[] | null; partner_status: string | null }>(
    pool,
    `select
    array(select g from unnest(${intArray(principal.gminy)}) g where not exists (select 1 from gmina where id = g) order by g) as unknown_gminy,
    (select served_gmina_ids from cus_unit where id = ${uuidOrNull(principal.cusUnitId)}) as unit_gminy,
    (select status from partner where id = ${uuidOrNull(principal.partnerId)}) as partner_status`,
  );
  return { unknownGminy: row.unknown_gminy, unitGminy: row.unit_gminy, partnerStatus: row.partner_status };
}

/** Why a principal whose claims are well formed may still not come in; null when it may. */
export function refusalOf(principal: Principal, facts: RegisterFacts): string | null {
  const list = (ids: number[]) => ids.map(idToTerc).join(', ');
  if (facts.unknownGminy.length > 0) return `The token names gminy that are not in the TERYT register: ${list(facts.unknownGminy)}`;
  if (CUS_STAFF.includes(principal.role)) {
    if (facts.unitGminy === null) return 'The token names a CUS unit (cus_unit) that does not exist';
    const unserved = principal.gminy.filter((g) => !facts.unitGminy!.includes(g));
    if (unserved.length > 0) return `The token's CUS unit does not serve the gminy it names: ${list(unserved)}`;
  }
  if (principal.role === Role.PARTNER) {
    if (facts.partnerStatus === null) return 'The token names a partner (partner_id) that is not in the register';
    if (facts.partnerStatus !== 'ACTIVE') return 'The token names a partner that is retired from the register';
  }
  return null;
}

/**
 * Admits a token only when what it names is real (issue 17, items 10 and 11): its gminy are in the
 * register; a staff member's unit exists and serves every gmina the token names, so a token cannot
 * gather the gminy of unrelated centres; a partner user's organisation is in the register and not
 * retired. A signature proves who issued the claims, not that they still hold.
 *
 * An admitted token is kept, as a verified one is, until its `exp` or for a minute: a partner retired
 * or a unit that stops serving a gmina shuts out tokens already in use within that minute, and new
 * tokens at once. A refusal is not kept (a unit may be onboarded the next moment).
 */
export class TokenDoor implements TokenVerifier {
  private readonly pool: pg.Pool;
  private readonly admitted: VerifiedTokens;

  /** `signatures` checks the token itself; `url` is the database the register is read from (the server's role). */
  constructor(
    private readonly signatures: TokenVerifier,
    url: string,
    now: () => number = Date.now,
  ) {
    this.pool = new pg.Pool({ connectionString: url, max: DOOR_CONNECTIONS, idleTimeoutMillis: 10_000, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
    // An idle connection that breaks is dropped by the pool; the next check opens another.
    this.pool.on('error', () => undefined);
    this.admitted = new VerifiedTokens(now);
  }

  async verify(token: string): Promise<Principal> {
    const known = this.admitted.get(token);
    if (known) return known;
    const principal = await this.signatures.verify(token);
    const refusal = refusalOf(principal, await registerFacts(this.pool, principal));
    if (refusal) throw new AppError(ErrorCode.UNAUTHENTICATED, refusal);
    this.admitted.keep(token, principal);
    return principal;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/**
 * The CUS unit that serves all of `gminy`, for tools that mint development tokens from gminy alone
 * (npm run token, the test suites): a statutory one first, then the oldest. Null when no unit does.
 */
export async function unitServing(pool: pg.Pool, gminy: number[]): Promise<string | null> {
  if (gminy.length === 0) return null;
  const rows = await readAsDoor<{ id: string }>(
    pool,
    `select id from cus_unit where served_gmina_ids @> ${intArray(gminy)} order by statutory desc, start_date, created_at, id limit 1`,
  );
  return rows[0]?.id ?? null;
}

/**
 * signDevToken for tools that name staff by their gminy (benchmarks, the fuzz campaign): the unit
 * serving them is looked up when the request names none. `lookups` reaches the server's database.
 */
export async function signDevTokenWithUnit(config: Config, lookups: pg.Pool, request: DevTokenRequest): Promise<string> {
  const unit = request.cus_unit ?? (CUS_STAFF.includes(request.role) ? await unitServing(lookups, (request.gminy ?? []).map(tercToId)) : null);
  return signDevToken(config, { ...request, cus_unit: unit ?? undefined });
}
