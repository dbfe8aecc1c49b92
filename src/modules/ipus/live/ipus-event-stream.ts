import type { RequestContext } from '../../../platform/graphql/context.js';
import { inFreshQuery } from '../../../platform/graphql/context.js';
import { gminaChannel } from '../../../platform/events/event-hub.js';
import { resumableEvents } from '../../../platform/events/event-stream.js';
import { fromOutboxRow, outboxPageSql, type OutboxEvent, type OutboxRow } from '../../../platform/events/outbox-event.js';

const REPLAY_PAGE = 500;

export interface PlanScope {
  /** Gminy whose plans the subscriber follows (within its principal's scope). */
  gminy: number[];
  /** One plan only (ipusUpdated), or every plan of the gminy (the feed). */
  ipusId?: string;
}

/** The plan events of `scope`, replayed from `after` under the subscriber's own rights, then live. */
export function planEvents(ctx: RequestContext, scope: PlanScope, after: string | null): AsyncIterableIterator<OutboxEvent> {
  const live = ctx.events.subscribe(scope.gminy.map(gminaChannel), (event) => event.topic === 'IPUS' && (!scope.ipusId || event.subjectId === scope.ipusId));
  return resumableEvents(ctx.principal, { live, pageSize: REPLAY_PAGE, replayPage: (last) => replayPage(ctx, scope, last) }, after);
}

function replayPage(ctx: RequestContext, scope: PlanScope, after: string): Promise<OutboxEvent[]> {
  return inFreshQuery(ctx, async (fresh) => {
    const params: unknown[] = [after, `{${scope.gminy.join(',')}}`];
    let where = `id > ?::bigint and topic = 'IPUS' and gmina_id = any (?::int[])`;
    if (scope.ipusId) {
      where += ' and subject_id = ?';
      params.push(scope.ipusId);
    }
    const rows = await fresh.em.execute<OutboxRow[]>(outboxPageSql(where, REPLAY_PAGE), params);
    return rows.map(fromOutboxRow);
  });
}
