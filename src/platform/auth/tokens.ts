import { SignJWT, createRemoteJWKSet, jwtVerify, type JWTPayload, type JWTVerifyGetKey, type CryptoKey } from 'jose';
import { LRUCache } from 'lru-cache';
import type { Config } from '../config.js';
import { AppError, ErrorCode } from '../graphql/errors.js';
import { DEV_ALG, DEV_AUDIENCE, DEV_ISSUER, loadDevKeys } from './dev-key.js';
import { tercToId, type Principal } from './principal.js';
import { CUS_STAFF, GMINA_SCOPED, Role, isRole } from './roles.js';

/**
 * Claims our tokens carry besides `sub` and `exp`:
 *   role: one Role; gminy: TERC codes (CUS staff and gmina officials); cus_unit: UUID of the CUS unit a
 *   staff member belongs to (CUS staff only); partner_id: UUID (partner users).
 * An OIDC provider (e.g. Keycloak) is configured to map its users' attributes to these claims. What they
 * name must exist (the door, ./token-door.ts, checks it against the database).
 */
export interface PlatformClaims {
  role: Role;
  gminy?: string[];
  cus_unit?: string;
  partner_id?: string;
}

/** The longest `sub` accepted: OpenID Connect's limit (Core 1.0, 2: at most 255 ASCII characters). */
export const SUBJECT_MAX_LENGTH = 255;

export interface TokenVerifier {
  verify(token: string): Promise<Principal>;
}

const TERC = /^\d{7}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const unauthenticated = (message: string) => new AppError(ErrorCode.UNAUTHENTICATED, message);

/**
 * How long a verified token is taken on trust without checking its signature again (never past its
 * `exp`): a withdrawn signing key stops working within this long. A client sends the same token with
 * every request until it expires; checking the signature each time was 5% of a small query's CPU.
 */
export const VERIFIED_TOKEN_TTL_MS = 60_000;
/** Verified tokens kept at most; the least recently used are dropped first. */
export const VERIFIED_TOKENS_KEPT = 10_000;

/** Principals of tokens whose signature was checked, each kept until its `exp` or for VERIFIED_TOKEN_TTL_MS, whichever comes first. */
export class VerifiedTokens {
  private readonly kept: LRUCache<string, Principal>;

  /** `now`: the wall clock in milliseconds, the one `exp` is on. */
  constructor(private readonly now: () => number = Date.now) {
    // ttlResolution 0: the clock is read at every look-up, so no entry is served a moment past its time.
    this.kept = new LRUCache({ max: VERIFIED_TOKENS_KEPT, perf: { now }, ttlResolution: 0 });
  }

  get size(): number {
    return this.kept.size;
  }

  get(token: string): Principal | undefined {
    return this.kept.get(token);
  }

  keep(token: string, principal: Principal): void {
    // An entry is served while its age is at most its ttl, and at `exp` the token has expired: one millisecond less.
    const ttl = Math.min(principal.expiresAt * 1000 - this.now(), VERIFIED_TOKEN_TTL_MS) - 1;
    if (ttl > 0) this.kept.set(token, Object.freeze(principal), { ttl });
  }
}

/** JWKS_URL set: verify against the provider's published keys; otherwise the development key. */
export async function createTokenVerifier(config: Config): Promise<TokenVerifier> {
  let key: JWTVerifyGetKey | CryptoKey;
  let issuer: string | undefined;
  let audience: string | undefined;
  if (config.jwksUrl) {
    key = createRemoteJWKSet(new URL(config.jwksUrl));
    issuer = config.jwtIssuer;
    audience = config.jwtAudience;
  } else {
    key = (await loadDevKeys(config.devKeyFile)).publicKey;
    issuer = DEV_ISSUER;
    audience = DEV_AUDIENCE;
  }
  const verified = new VerifiedTokens();
  return {
    async verify(token: string): Promise<Principal> {
      const known = verified.get(token);
      if (known) return known;
      const principal = await verifySignature(token);
      verified.keep(token, principal);
      return principal;
    },
  };

  async function verifySignature(token: string): Promise<Principal> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, key as CryptoKey, { issuer, audience, requiredClaims: ['sub', 'exp'] }));
    } catch (error) {
      const code = (error as { code?: string }).code;
      throw unauthenticated(code === 'ERR_JWT_EXPIRED' ? 'The token has expired' : 'The token is not valid');
    }
    return principalFromClaims(payload);
  }
}

/** Validates the platform claims; a token that names an impossible scope is refused whole. */
export function principalFromClaims(payload: JWTPayload): Principal {
  // The subject is who the access log and every record name as the author: it must name someone.
  const subject = payload.sub;
  if (typeof subject !== 'string' || subject.trim() === '') throw unauthenticated('The token names no subject (sub)');
  if (subject.length > SUBJECT_MAX_LENGTH) throw unauthenticated(`The token's subject (sub) is longer than ${SUBJECT_MAX_LENGTH} characters`);
  const role = payload.role;
  if (!isRole(role)) throw unauthenticated('The token carries no valid role');
  const gminy = payload.gminy ?? [];
  if (!Array.isArray(gminy) || !gminy.every((g) => typeof g === 'string' && TERC.test(g))) {
    throw unauthenticated('The token carries an invalid gminy claim');
  }
  if (GMINA_SCOPED.includes(role) && gminy.length === 0) throw unauthenticated(`A ${role} token must name its gminy`);
  if (!GMINA_SCOPED.includes(role) && gminy.length > 0) throw unauthenticated(`A ${role} token must not name gminy`);
  const partnerId = payload.partner_id ?? null;
  if (role === Role.PARTNER && (typeof partnerId !== 'string' || !UUID.test(partnerId))) {
    throw unauthenticated('A PARTNER token must carry a partner_id');
  }
  if (role !== Role.PARTNER && partnerId !== null) throw unauthenticated(`A ${role} token must not carry a partner_id`);
  // Staff belong to a unit: their scope is what it serves, never whatever gminy a token lists.
  const unit = payload.cus_unit ?? null;
  if (CUS_STAFF.includes(role) && (typeof unit !== 'string' || !UUID.test(unit))) {
    throw unauthenticated(`A ${role} token must name its CUS unit (cus_unit, a UUID)`);
  }
  if (!CUS_STAFF.includes(role) && unit !== null) throw unauthenticated(`A ${role} token must not name a CUS unit`);
  return {
    subject,
    role,
    gminy: [...new Set((gminy as string[]).map(tercToId))],
    cusUnitId: unit as string | null,
    partnerId: partnerId as string | null,
    expiresAt: Number(payload.exp),
  };
}

export interface DevTokenRequest extends PlatformClaims {
  subject?: string;
  expiresIn?: string;
}

/** Signs a development token with the local development key (never used when JWKS_URL is set). */
export async function signDevToken(config: Config, request: DevTokenRequest): Promise<string> {
  if (config.jwksUrl) throw new Error('JWKS_URL is set: tokens come from the identity provider, not from here');
  const keys = await loadDevKeys(config.devKeyFile);
  const claims: Record<string, unknown> = { role: request.role };
  if (request.gminy?.length) claims.gminy = request.gminy;
  if (request.cus_unit) claims.cus_unit = request.cus_unit;
  if (request.partner_id) claims.partner_id = request.partner_id;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: DEV_ALG, kid: keys.kid })
    .setSubject(request.subject ?? `dev-${request.role.toLowerCase()}`)
    .setIssuer(DEV_ISSUER)
    .setAudience(DEV_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(request.expiresIn ?? '12h')
    .sign(keys.privateKey);
}

/** Reads "Bearer <token>" from an Authorization header value. */
export function bearerToken(header: unknown): string | null {
  if (typeof header !== 'string') return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match ? match[1] : null;
}
