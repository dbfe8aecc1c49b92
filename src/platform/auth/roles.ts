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

/** Staff of a CUS: scoped to the gminy their CUS serves. */
export const CUS_STAFF: readonly Role[] = [Role.DIRECTOR, Role.SERVICES_ORGANISER, Role.COORDINATOR, Role.COMMUNITY_ORGANISER];

/** Roles whose scope is a set of gminy, which their token must name. */
export const GMINA_SCOPED: readonly Role[] = [...CUS_STAFF, Role.GMINA_OFFICIAL];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (Object.values(Role) as string[]).includes(value);
}
