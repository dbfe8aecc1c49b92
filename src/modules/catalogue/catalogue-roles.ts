import { CUS_STAFF, Role } from '../../platform/auth/roles.js';

/**
 * Who reads the catalogue: CUS staff and gmina officials (their gminy) and partners (the gminy they
 * work in); the database decides which rows. PLATFORM_ADMIN and MINISTRY read no catalogue rows.
 */
export const CATALOGUE_READERS = [...CUS_STAFF, Role.GMINA_OFFICIAL, Role.PARTNER];
/** Who keeps the catalogue of services: the director and the services organiser (OUS). */
export const CATALOGUE_MANAGERS = [Role.DIRECTOR, Role.SERVICES_ORGANISER];
/** Places are also kept by the community organiser (OSL), who runs activities in village community rooms. */
export const LOCATION_MANAGERS = [Role.DIRECTOR, Role.SERVICES_ORGANISER, Role.COMMUNITY_ORGANISER];
