import { findRows } from '../../platform/database/orm-extension/read-rows.js';
import { byKeys, loader, type RequestContext } from '../../platform/graphql/context.js';
import { Gmina } from './gmina.entity.js';

/** Gminy by id, batched per request. */
export function gminaById(ctx: RequestContext) {
  return loader<number, Gmina | null>(ctx, 'gmina.byId', async (ids) => {
    const rows = await findRows(ctx, Gmina, { id: { $in: [...ids] } });
    return byKeys(ids, rows, (g) => g.id);
  });
}

/** Loads several gminy in the order given; an id missing from the register is left out. */
export async function loadGminy(ctx: RequestContext, ids: number[]): Promise<Gmina[]> {
  const rows = await gminaById(ctx).loadMany(ids);
  return rows.filter((row): row is Gmina => row instanceof Gmina);
}
