import { byKeys, loader, type RequestContext } from '../../platform/graphql/context.js';
import { rowByKey } from '../../platform/graphql/row-loaders.js';
import { findRows } from '../../platform/database/orm-extension/read-rows.js';
import { ResidentSensitive } from './resident-sensitive.entity.js';
import { Resident } from './resident.entity.js';

/**
 * Residents by id, batched per request; the database decides which the principal may see. The id of
 * a merged record gives the record it was merged into (one more statement, only when one was asked for).
 * Whatever field returns a loaded Resident to a client logs the read (src/modules/personal-data.ts).
 */
export function residentById(ctx: RequestContext) {
  return loader<string, Resident | null>(ctx, 'resident.byId', async (ids) => {
    const rows = await findRows(ctx, Resident, { id: { $in: [...ids] } });
    const survivors = [...new Set(rows.flatMap((r) => (r.mergedInto ? [r.mergedInto] : [])))];
    const found = new Map(rows.map((r) => [r.id, r]));
    if (survivors.length > 0) for (const r of await findRows(ctx, Resident, { id: { $in: survivors } })) found.set(r.id, r);
    return byKeys(ids, rows, (r) => r.id).map((r) => (r?.mergedInto ? (found.get(r.mergedInto) ?? null) : r));
  });
}

/** The ids every row of a resident's history may carry: the record's and those merged into it (an unknown id: itself). */
export async function recordIdsOf(ctx: RequestContext, id: string): Promise<string[]> {
  return (await residentById(ctx).load(id))?.recordIds ?? [id];
}

/** The special-category part of each resident; RLS shows it to coordinators and the director only. */
export function residentSensitiveById(ctx: RequestContext) {
  return rowByKey(ctx, 'resident.sensitiveById', ResidentSensitive, 'residentId');
}
