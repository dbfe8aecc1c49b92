import { byKeys, loader, type RequestContext } from '../../platform/graphql/context.js';
import { findRows } from '../../platform/database/read-rows.js';
import { ResidentSensitive } from './resident-sensitive.entity.js';
import { Resident } from './resident.entity.js';

/**
 * Residents by id, batched per request; the database decides which the principal may see.
 * Whoever returns a loaded Resident to a client must call noteResidentRead (access-log.ts).
 */
export function residentById(ctx: RequestContext) {
  return loader<string, Resident | null>(ctx, 'resident.byId', async (ids) => {
    const rows = await findRows(ctx, Resident, { id: { $in: [...ids] } });
    return byKeys(ids, rows, (r) => r.id);
  });
}

/** The special-category part of each resident; RLS shows it to coordinators and the director only. */
export function residentSensitiveById(ctx: RequestContext) {
  return loader<string, ResidentSensitive | null>(ctx, 'resident.sensitiveById', async (ids) => {
    const rows = await findRows(ctx, ResidentSensitive, { residentId: { $in: [...ids] } });
    return byKeys(ids, rows, (s) => s.residentId);
  });
}
