import { findRows } from '../../platform/database/orm-extension/read-rows.js';
import { byKeys, loader, type RequestContext } from '../../platform/graphql/context.js';
import { Location } from './location.entity.js';

/** Places by id, batched per request; a place out of the principal's scope loads as null (RLS). */
export function locationById(ctx: RequestContext) {
  return loader<string, Location | null>(ctx, 'catalogue.locationById', async (ids) => {
    const rows = await findRows(ctx, Location, { id: { $in: [...ids] } });
    return byKeys(ids, rows, (l) => l.id);
  });
}
