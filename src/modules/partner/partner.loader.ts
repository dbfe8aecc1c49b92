import { type RequestContext } from '../../platform/graphql/context.js';
import { rowByKey, rowsByKey } from '../../platform/graphql/row-loaders.js';
import { Partner, PartnerStatus } from './partner.entity.js';
import { PartnerRelationship } from './partner-relationship.entity.js';

/** Partners by id, batched per request; the database decides which the principal may see. */
export function partnerById(ctx: RequestContext) {
  return rowByKey(ctx, 'partner.byId', Partner, 'id');
}

/** The relationships of each partner the principal may read: those of its own gminy (row-level security). */
export function relationshipsByPartner(ctx: RequestContext) {
  return rowsByKey(ctx, 'partner.relationships', PartnerRelationship, 'partnerId', { gminaId: 'asc' });
}

/**
 * Whether the partner works with, and is active in, any of `gminaIds` as the caller's centre decided:
 * `works` from the register (every gmina with a relationship), `active` from the caller's own
 * relationships there (another gmina's decision to retire or keep the partner does not count).
 */
export async function partnerStandingIn(ctx: RequestContext, partner: Partner, gminaIds: number[]): Promise<{ works: boolean; active: boolean }> {
  const mine = await relationshipsByPartner(ctx).load(partner.id);
  return {
    works: partner.gminaIds.some((g) => gminaIds.includes(g)),
    active: mine.some((r) => gminaIds.includes(r.gminaId) && r.status === PartnerStatus.ACTIVE),
  };
}
