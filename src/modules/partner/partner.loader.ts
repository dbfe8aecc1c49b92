import { byKeys, loader, type RequestContext } from '../../platform/graphql/context.js';
import { findRows } from '../../platform/database/read-rows.js';
import { Partner } from './partner.entity.js';

/** Partners by id, batched per request; the database decides which the principal may see. */
export function partnerById(ctx: RequestContext) {
  return loader<string, Partner | null>(ctx, 'partner.byId', async (ids) => {
    const rows = await findRows(ctx, Partner, { id: { $in: [...ids] } });
    return byKeys(ids, rows, (p) => p.id);
  });
}
