import type { RequestContext } from '../../../platform/graphql/context.js';
import { inFreshQuery } from '../../../platform/graphql/context.js';
import { gminaChannel } from '../../../platform/events/event-hub.js';
import { resumableEvents } from '../../../platform/events/event-stream.js';
import { fromOutboxRow, outboxPageSql, type OutboxEvent, type OutboxRow, type OutboxTopic } from '../../../platform/events/outbox-event.js';

const REPLAY_PAGE = 500;

export interface PlanScope {
  /** Gminy whose plans the subscriber follows (within its principal's scope). */
  gminy: number[];
  /** One plan only (ipusUpdated), or every plan of the gminy (the feed). */
  ipusId?: string;
  /** The topics followed on the gminy's channels: plan events unless told (the worklist adds settlements). */
  topics?: readonly OutboxTopic[];
}

const topicsOf = (scope: PlanScope): readonly OutboxTopic[] => scope.topics ?? ['IPUS'];

/** The plan events of `scope`, replayed from `after` under the subscriber's own rights, then live. */
export function planEvents(ctx: RequestContext, scope: PlanScope, after: string | null): AsyncIterableIterator<OutboxEvent> {
  const topics = topicsOf(scope);
  const live = ctx.events.subscribe(
    scope.gminy.map(gminaChannel),
    (event) => topics.includes(event.topic) && (!scope.ipusId || event.subjectId === scope.ipusId),
  );
  return resumableEvents(ctx.principal, { live, pageSize: REPLAY_PAGE, replayPage: (last) => replayPage(ctx, scope, last) }, after);
}

/** The newest event of `scope` after `after` the subscriber may read, or null: one statement, for those who need only the latest. */
export async function newestPlanEvent(ctx: RequestContext, scope: PlanScope, after: string): Promise<OutboxEvent | null> {
  const { where, params } = scopeWhere(scope, after);
  const [newest] = await readEvents(ctx, outboxPageSql(`id = (select max(id) from outbox_event where ${where})`, 1), params);
  return newest ?? null;
}

function replayPage(ctx: RequestContext, scope: PlanScope, after: string): Promise<OutboxEvent[]> {
  const { where, params } = scopeWhere(scope, after);
  return readEvents(ctx, outboxPageSql(where, REPLAY_PAGE), params);
}

function scopeWhere(scope: PlanScope, after: string): { where: string; params: unknown[] } {
  const params: unknown[] = [after, `{${topicsOf(scope).join(',')}}`, `{${scope.gminy.join(',')}}`];
  let where = `id > ?::bigint and topic = any (?::text[]) and gmina_id = any (?::int[])`;
  if (scope.ipusId) {
    where += ' and subject_id = ?';
    params.push(scope.ipusId);
  }
  return { where, params };
}

function readEvents(ctx: RequestContext, sql: string, params: unknown[]): Promise<OutboxEvent[]> {
  return inFreshQuery(ctx, async (fresh) => (await fresh.em.execute<OutboxRow[]>(sql, params)).map(fromOutboxRow));
}
