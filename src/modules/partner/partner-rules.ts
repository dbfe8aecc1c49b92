import { Role } from '../../platform/auth/roles.js';

/**
 * Who may do what to a partner, shared by the service and the migrations (no decorators here, so
 * migrations import it cheaply). README, "How tenant isolation works", says why.
 */

/** Who keeps a centre's relationships with partners (DOMAIN.md): the director, the services organiser and the community organiser. */
export const PARTNER_MANAGERS: readonly Role[] = [Role.DIRECTOR, Role.SERVICES_ORGANISER, Role.COMMUNITY_ORGANISER];

/**
 * The partner's shared identity, as database columns: one row for every centre that works with it,
 * so only the partner itself, the centre that registered it (until the partner claims its profile)
 * and the platform administrator change them.
 */
export const IDENTITY_COLUMNS = ['name', 'kind', 'krs', 'nip', 'regon', 'email', 'phone', 'website', 'street', 'postal_code', 'city', 'description'] as const;

/** Why the principal may not change a partner's identity, or null when it may. */
export function identityRefusal(
  principal: { role: Role; gminy: number[]; partnerId: string | null },
  partner: { id: string; gminaId: number; claimedAt: Date | null },
): string | null {
  if (principal.role === Role.PLATFORM_ADMIN) return null;
  if (principal.role === Role.PARTNER) return principal.partnerId === partner.id ? null : 'You edit your own organisation only';
  if (partner.claimedAt !== null) {
    return 'The partner keeps its own profile (its users claimed it): ask the partner, or the platform administrator for its kind and identifiers';
  }
  if (!PARTNER_MANAGERS.includes(principal.role) || !principal.gminy.includes(partner.gminaId)) {
    return "Only the centre that registered the partner changes its name, kind, identifiers, contact, address and description; your centre's own status, local contact and notes are in `relationship`";
  }
  return null;
}
