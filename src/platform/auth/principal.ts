import { TOKEN_DOOR, type Role } from './roles.js';

/** The authenticated caller of one request, resolved from its bearer token. */
export interface Principal {
  subject: string;
  role: Role;
  /** Gmina ids (TERC codes read as numbers) the principal may see; empty for platform-wide roles. */
  gminy: number[];
  /** The CUS unit a staff member belongs to (the `cus_unit` claim); null for every other role. */
  cusUnitId?: string | null;
  partnerId: string | null;
  /** When the token stops being valid (epoch seconds); long-lived WebSockets are closed then. */
  expiresAt: number;
}

/**
 * The transaction-local settings row-level-security policies read (see migrations/rls.ts).
 * Set with set_config(..., true) as the first statement of every operation's transaction, so a
 * pooled connection carries nothing into the next request.
 */
export function sessionVariables(principal: Pick<Principal, 'subject' | 'role' | 'gminy' | 'partnerId'>): Record<string, string> {
  return {
    'app.role': principal.role,
    'app.gminy': principal.gminy.join(','),
    'app.partner_id': principal.partnerId ?? '',
    'app.user_id': principal.subject,
  };
}

export function tercToId(terc: string): number {
  return Number(terc);
}

export function idToTerc(id: number): string {
  return String(id).padStart(7, '0');
}

/**
 * The principals of the server's own work, which no token can carry (tokens are checked against the
 * Role enum): policies in the migrations name them, so their values never change.
 */
export const SYSTEM_PRINCIPALS = {
  /** An unauthenticated request: a gmina's published catalogue, a survey link (src/platform/database/public-session.ts). */
  PUBLIC: 'PUBLIC',
  /** The outbox listener, which reads every committed event (src/platform/events/outbox-listener.ts). */
  OUTBOX_DISPATCHER: 'OUTBOX_DISPATCHER',
  /** The scheduled rebuild of the report rollup. */
  REPORT_REFRESHER: 'REPORT_REFRESHER',
  /** The check of what a new token names against the registers (src/platform/auth/token-door.ts). */
  TOKEN_DOOR,
} as const;

export type SystemPrincipal = (typeof SYSTEM_PRINCIPALS)[keyof typeof SYSTEM_PRINCIPALS];
