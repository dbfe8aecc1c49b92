/** Who a principal is to the platform. Kept free of decorators so scripts can import it cheaply. */
export enum Role {
  PLATFORM_ADMIN = 'PLATFORM_ADMIN',
  DIRECTOR = 'DIRECTOR',
  SERVICES_ORGANISER = 'SERVICES_ORGANISER',
  COORDINATOR = 'COORDINATOR',
  COMMUNITY_ORGANISER = 'COMMUNITY_ORGANISER',
  GMINA_OFFICIAL = 'GMINA_OFFICIAL',
  PARTNER = 'PARTNER',
  MINISTRY = 'MINISTRY',
}

/**
 * Staff of a CUS: scoped to the gminy their CUS serves. Their token names the unit they belong to
 * (`cus_unit`), and the gminy it names must all be served by that unit (src/platform/auth/token-door.ts).
 */
export const CUS_STAFF: readonly Role[] = [Role.DIRECTOR, Role.SERVICES_ORGANISER, Role.COORDINATOR, Role.COMMUNITY_ORGANISER];

/**
 * Staff who work with individuals: they read residents' records and everything that is part of one
 * (applications, assessments, plans). Mirrors RESIDENT_READERS of the residents' migration.
 */
export const RECORD_READERS: readonly Role[] = [Role.DIRECTOR, Role.SERVICES_ORGANISER, Role.COORDINATOR];
/** Who keeps residents' records and applications: coordinators (KIPUS) and the director. */
export const RECORD_KEEPERS: readonly Role[] = [Role.DIRECTOR, Role.COORDINATOR];

/** Roles whose scope is a set of gminy, which their token must name. */
export const GMINA_SCOPED: readonly Role[] = [...CUS_STAFF, Role.GMINA_OFFICIAL];

/**
 * The principal the token door runs as when it checks a token's claims against the register (units,
 * gminy, partners). Not a Role: no token can carry it, so only the server's door connection sets it.
 */
export const TOKEN_DOOR = 'TOKEN_DOOR';

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (Object.values(Role) as string[]).includes(value);
}
