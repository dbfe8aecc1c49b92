import { findRows } from '../../platform/database/orm-extension/read-rows.js';
import { instant } from '../../platform/graphql/scalars.js';
import { byKeys, groupByKeys, loader, type RequestContext } from '../../platform/graphql/context.js';
import { rowByKey, rowsByKey } from '../../platform/graphql/row-loaders.js';
import { IpusItem } from '../ipus/ipus-parts.entity.js';
import { QuantityUnit } from '../ipus/ipus.enums.js';
import { Delivery, DeliveryCorrection, type ItemProgress } from './delivery.entity.js';

const uuids = (ids: readonly string[]) => `{${ids.join(',')}}`;

export function deliveriesOfItem(ctx: RequestContext) {
  return rowsByKey(ctx, 'delivery.ofItem', Delivery, 'ipusItemId', [{ deliveredOn: 'asc' }, { startsAt: 'asc' }, { id: 'asc' }]);
}

/**
 * The delivery recorded for an item at a day and time; keys are `itemId|day|HH:MM`. Of two in the
 * same minute (seconds apart), the earlier (the compiled schedule picks the same one).
 */
export function deliveryAt(ctx: RequestContext) {
  return loader<string, Delivery | null>(ctx, 'delivery.at', async (keys) => {
    const parts = keys.map((k) => k.split('|'));
    const rows = await findRows(ctx, Delivery, {
      ipusItemId: { $in: [...new Set(parts.map((p) => p[0]))] },
      deliveredOn: { $in: [...new Set(parts.map((p) => p[1]))] },
    });
    // byKeys keeps the last row of a key: latest first.
    const latestFirst = [...rows].sort((a, b) => (a.startsAt < b.startsAt ? 1 : a.startsAt > b.startsAt ? -1 : 0));
    return byKeys(keys, latestFirst, (d) => `${d.ipusItemId}|${d.deliveredOn}|${d.startsAt.slice(0, 5)}`);
  });
}

interface ProgressRow {
  ipus_item_id: string;
  sessions: number;
  minutes: number;
  absent: number;
  cancelled: number;
  last: string | null;
}

/** The progress loader's key of an item: its id, planned quantity and unit. */
export const progressKey = (item: { id: string; quantity: number | string; quantityUnit: QuantityUnit }): string =>
  `${item.id}|${item.quantity}|${item.quantityUnit}`;

/** Planned against delivered per item, from the deliveries the principal may read, in one grouped query. */
export function progressOfItem(ctx: RequestContext) {
  return loader<string, ItemProgress>(ctx, 'delivery.progress', async (keys) => {
    const items = keys.map((key) => {
      const [id, quantity, unit] = key.split('|');
      return { id, quantity: Number(quantity), unit: unit as QuantityUnit };
    });
    const rows = await ctx.em.execute<ProgressRow[]>(
      `select ipus_item_id,
         count(*) filter (where outcome = 'DELIVERED')::int as sessions,
         coalesce(sum(duration_minutes) filter (where outcome = 'DELIVERED'), 0)::int as minutes,
         count(*) filter (where outcome = 'RESIDENT_ABSENT')::int as absent,
         count(*) filter (where outcome in ('CANCELLED_BY_PROVIDER', 'CANCELLED_BY_RESIDENT'))::int as cancelled,
         max(delivered_on) filter (where outcome = 'DELIVERED')::text as last
       from delivery where ipus_item_id = any (?::uuid[]) group by ipus_item_id`,
      [uuids(items.map((i) => i.id))],
    );
    const byItem = new Map(rows.map((r) => [r.ipus_item_id, r]));
    return items.map((item) => {
      const row = byItem.get(item.id);
      const hours = Math.round(((row?.minutes ?? 0) / 60) * 100) / 100;
      const sessions = row?.sessions ?? 0;
      return {
        planned: item.quantity,
        delivered: item.unit === QuantityUnit.HOURS ? hours : sessions,
        deliveredSessions: sessions,
        deliveredHours: hours,
        residentAbsent: row?.absent ?? 0,
        cancelled: row?.cancelled ?? 0,
        lastDeliveredOn: row?.last ?? null,
      };
    });
  });
}

/** The note loader's key of a delivery: its id and the version it is at. */
export const noteKey = (delivery: { id: string; version: number }): string => `${delivery.id}|${delivery.version}`;

/**
 * The partner's note on a delivery as it stands at a version, from `delivery_note`, which only the
 * coordinators, the director and the partner read (RLS): one query for all the deliveries asked.
 */
export function noteOfDelivery(ctx: RequestContext) {
  return loader<string, string | null>(ctx, 'delivery.note', async (keys) => {
    const pairs = keys.map((key) => key.split('|'));
    const rows = await ctx.em.execute<{ delivery_id: string; version: number; note: string }[]>(
      `select n.delivery_id, n.version, n.note from delivery_note n join unnest(?::uuid[], ?::int[]) k (delivery_id, version) using (delivery_id, version)`,
      [uuids(pairs.map((p) => p[0])), `{${pairs.map((p) => p[1]).join(',')}}`],
    );
    return byKeys(keys, rows, (n) => `${n.delivery_id}|${n.version}`).map((n) => n?.note ?? null);
  });
}

/** Earlier versions of deliveries, each with the note it carried (read under the same wall as the note). */
export function correctionsOfDelivery(ctx: RequestContext) {
  return loader<string, DeliveryCorrection[]>(ctx, 'delivery.corrections', async (ids) => {
    const rows = await ctx.em.execute<
      { delivery_id: string; version: number; changed_by: string; changed_at: string; previous: Record<string, unknown>; note: string | null }[]
    >(
      `select c.delivery_id, c.version, c.changed_by, c.changed_at, c.previous, n.note
       from delivery_correction c left join delivery_note n on n.delivery_id = c.delivery_id and n.version = c.version
       where c.delivery_id = any (?::uuid[]) order by c.version`,
      [uuids(ids)],
    );
    const corrections = rows.map((r) => ({
      deliveryId: r.delivery_id,
      correction: Object.assign(new DeliveryCorrection(), {
        version: r.version,
        changedBy: r.changed_by,
        changedAt: instant(r.changed_at),
        deliveredOn: r.previous.deliveredOn,
        startsAt: r.previous.startsAt,
        durationMinutes: r.previous.durationMinutes,
        outcome: r.previous.outcome,
        note: r.note,
      }),
    }));
    return groupByKeys(ids, corrections, (c) => c.deliveryId).map((list) => list.map((c) => c.correction));
  });
}

export function itemById(ctx: RequestContext) {
  return rowByKey(ctx, 'delivery.item', IpusItem, 'id');
}
