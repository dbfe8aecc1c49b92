import type { RequestContext } from '../../../platform/graphql/context.js';
import { inFreshQuery } from '../../../platform/graphql/context.js';
import { forbidden } from '../../../platform/graphql/errors.js';
import type { OutboxEvent } from '../../../platform/events/outbox-event.js';
import { todayInPoland } from '../../common/dates.js';

/** Gmina id → the last day (YYYY-MM-DD) the partner stands there, or null: until something changes. */
type Gminy = Map<number, string | null>;

const terc = (gminaId: number): string => String(gminaId).padStart(7, '0');

function standingEnded(gminy: number[]): Error {
  return forbidden(
    `Your organisation no longer works for gmina ${gminy.map(terc).join(', ')} (its centre retired it, or its commissions ` +
      "there ended): that gmina's assignments no longer reach you. Subscribe again to follow the others",
  );
}

/**
 * What a partner's open subscription may still receive: the gminy where the partner stands now, as
 * the database says (app.partner_live_gminy(), the same rule as the partner's view of its
 * assignments: an ACTIVE relationship with the commissioning centre, the commission ACTIVE or just
 * ended). Held in memory, so that an event costs a map lookup, not a query per event and subscriber;
 * it is read again (one query) only when
 *
 * - a STANDING event says a relationship of the partner stopped being active: where the partner stood
 *   in that gmina, the subscription ends with FORBIDDEN unless it still stands there (through another
 *   of its centre's gminy), so the client knows rather than going quiet; where it never stood there,
 *   nothing ends;
 * - an event comes from a gmina it does not stand in by what it holds (a new commission, or one whose
 *   days ran out): losing a gmina it stood in ends the subscription with FORBIDDEN too; an event of a
 *   gmina it never stood in is passed over.
 *
 * A relationship that becomes active is noted by the next event from there. Replays are filtered by
 * the database itself, with the same function (a restrictive policy on outbox_event).
 */
export class PartnerStanding {
  private constructor(
    private readonly ctx: RequestContext,
    private gminy: Gminy,
  ) {}

  /** Read after the subscription's live queue is open: a change committed in between arrives on it. */
  static async load(ctx: RequestContext): Promise<PartnerStanding> {
    return new PartnerStanding(ctx, await read(ctx));
  }

  /** The event-stream hook: true sends the event, false passes over it, a throw ends the subscription. */
  admit(event: OutboxEvent): boolean | Promise<boolean> {
    if (event.topic === 'STANDING') return event.kind === 'RETIRED' ? this.retired(event.gminaId) : false;
    if (this.holds(event.gminaId)) return true;
    return this.reread().then(() => this.holds(event.gminaId));
  }

  private holds(gminaId: number): boolean {
    const until = this.gminy.get(gminaId);
    return until === null || (until !== undefined && until >= todayInPoland());
  }

  private async retired(gminaId: number): Promise<boolean> {
    // Only a gmina it stood in can be lost: a centre that retires a partner it never commissioned ends nothing.
    const heldBefore = this.holds(gminaId);
    const lost = await this.reread(false);
    if (heldBefore && !this.holds(gminaId)) lost.add(gminaId);
    if (lost.size > 0) throw standingEnded([...lost]);
    return false;
  }

  /** Reads the standing again; losing a gmina held before ends the subscription (unless `failOnLoss` is false: the caller decides). */
  private async reread(failOnLoss = true): Promise<Set<number>> {
    const now = await read(this.ctx);
    const lost = new Set([...this.gminy.keys()].filter((g) => !now.has(g)));
    this.gminy = now;
    if (failOnLoss && lost.size > 0) throw standingEnded([...lost]);
    return lost;
  }
}

async function read(ctx: RequestContext): Promise<Gminy> {
  const rows = await inFreshQuery(ctx, (fresh) =>
    fresh.em.execute<{ gmina_id: number; until: string | null }[]>('select gmina_id, until::text as until from app.partner_live_gminy()'),
  );
  return new Map(rows.map((row) => [row.gmina_id, row.until]));
}
