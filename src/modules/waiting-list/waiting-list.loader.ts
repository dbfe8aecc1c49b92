import { loader, type RequestContext } from '../../platform/graphql/context.js';
import { rowsByKey } from '../../platform/graphql/row-loaders.js';
import { WaitingListEntry } from './waiting-list.entity.js';

/** Each item's waits, newest first (the first is the live one, when it waits). */
export function entriesOfItem(ctx: RequestContext) {
  return rowsByKey(ctx, 'waitingList.byItem', WaitingListEntry, 'ipusItemId', [{ createdAt: 'desc' }, { id: 'desc' }]);
}

/** Each live entry's place in its commission's line, counted over every gmina of the commission (app.waiting_list_positions). */
export function placeInLine(ctx: RequestContext) {
  return loader<string, number | null>(ctx, 'waitingList.place', async (ids) => {
    const rows = await ctx.em.execute<{ entry_id: string; place: number }[]>(`select entry_id, place from app.waiting_list_positions(?::uuid[])`, [
      `{${ids.join(',')}}`,
    ]);
    const places = new Map(rows.map((r) => [r.entry_id, r.place]));
    return ids.map((id) => places.get(id) ?? null);
  });
}
