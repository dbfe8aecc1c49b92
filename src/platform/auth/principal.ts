import type { Role } from './roles.js';

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
