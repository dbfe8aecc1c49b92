import { GMINA_SCOPED, Role } from '../../platform/auth/roles.js';

/** Who reads a gmina's closed days: its staff and officials, and partners working there (their schedules skip them). */
export const CLOSED_DAY_READERS = [...GMINA_SCOPED, Role.PARTNER];
/** Who declares and withdraws closed days: the director of the centre serving the gmina. */
export const CLOSED_DAY_KEEPERS = [Role.DIRECTOR];
