import { type RequestContext } from '../../platform/graphql/context.js';
import { rowByKey } from '../../platform/graphql/row-loaders.js';
import { Gmina } from './gmina.entity.js';

/** Gminy by id, batched per request. */
export function gminaById(ctx: RequestContext) {
  return rowByKey(ctx, 'gmina.byId', Gmina, 'id');
}

/** Loads several gminy in the order given; an id missing from the register is left out. */
export async function loadGminy(ctx: RequestContext, ids: number[]): Promise<Gmina[]> {
  const rows = await gminaById(ctx).loadMany(ids);
  return rows.filter((row): row is Gmina => row instanceof Gmina);
}
