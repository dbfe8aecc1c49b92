import type { RequestContext } from '../../platform/graphql/context.js';
import { toHundredths } from '../../platform/money.js';

export interface Held {
  /** Volume held, in hundredths (as the capacity ledger counts). */
  volume: bigint;
  /** Residents held a place, not counted by the commission already. */
  persons: number;
}

/**
 * What pending offers of the waiting list hold of some commissions: an OFFERED entry, or an ACCEPTED one
 * whose plan is not yet approved, keeps its place from other plans until it is answered (app.waiting_list_held,
 * over every gmina of the commission). The plan being checked holds nothing for itself.
 */
export async function heldByWaitingList(ctx: RequestContext, commissionIds: string[], ipusId: string | null): Promise<Map<string, Held>> {
  if (commissionIds.length === 0) return new Map();
  const rows = await ctx.em.execute<{ commission_id: string; volume: string; persons: number }[]>(
    `select commission_id, volume::text as volume, persons from app.waiting_list_held(?::uuid[], ?::uuid)`,
    [`{${commissionIds.join(',')}}`, ipusId],
  );
  return new Map(rows.map((r) => [r.commission_id, { volume: toHundredths(r.volume), persons: r.persons }]));
}
