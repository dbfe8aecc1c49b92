import { SYSTEM_PRINCIPALS } from '../auth/principal.js';

/*
 * Names the outbox's SQL (migrations/Migration20261123000600Ipus.ts and later) and the listener share.
 * Migrations import them from here, so they never change: a new value would be a new migration.
 */

/** The channel NOTIFY uses to wake every server instance after an outbox event commits. */
export const OUTBOX_CHANNEL = 'cus_outbox';
/** The principal the server's outbox listener runs as; only the listener's own connection sets it. */
export const OUTBOX_DISPATCHER = SYSTEM_PRINCIPALS.OUTBOX_DISPATCHER;
