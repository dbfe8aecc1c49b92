import type { RequestContext } from '../../../platform/graphql/context.js';
import { inFreshQuery } from '../../../platform/graphql/context.js';
import { AppError, badInput, ErrorCode } from '../../../platform/graphql/errors.js';
import { eventIdAfter, fromOutboxRow, OUTBOX_COLUMNS, type OutboxEvent, type OutboxRow } from '../../../platform/events/outbox-event.js';

const REPLAY_PAGE = 500;

export interface PlanScope {
  /** Gminy whose plans the subscriber follows (within its principal's scope). */
  gminy: number[];
  /** One plan only (ipusUpdated), or every plan of the gminy (the feed). */
  ipusId?: string;
}

/** The resume cursor a client sends back: an event id, a non-negative integer. */
export function parseAfter(after: string | null | undefined): string | null {
  if (after === null || after === undefined) return null;
  if (!/^\d{1,19}$/.test(after)) throw badInput('after must be an eventId received earlier');
  return BigInt(after).toString();
}

/**
 * The events of `scope`: first those committed after `after` (read from the outbox under the
 * subscriber's own rights, so row-level security decides what it may replay), then live ones from
 * the hub. The live subscription opens before the replay reads, and events are passed on in id
 * order with anything at or below the last one sent skipped, so an event committed during the
 * replay arrives exactly once.
 */
export function planEvents(ctx: RequestContext, scope: PlanScope, after: string | null): AsyncIterableIterator<OutboxEvent> {
  const live = ctx.events.subscribe(scope.gminy, (event) => event.topic === 'IPUS' && (!scope.ipusId || event.subjectId === scope.ipusId));
  const principal = ctx.principal;

  async function* events(): AsyncGenerator<OutboxEvent> {
    let last = after;
    if (last !== null) {
      for (;;) {
        const page = await replayPage(ctx, scope, last);
        for (const event of page) {
          last = event.id;
          yield event;
        }
        if (page.length < REPLAY_PAGE) break;
      }
    }
    for await (const event of live) {
      if (last !== null && !eventIdAfter(event.id, last)) continue;
      // A token that expired since subscribing ends the subscription; the client resumes with a new one.
      if (principal.expiresAt * 1000 <= Date.now()) throw new AppError(ErrorCode.UNAUTHENTICATED, 'The token has expired; subscribe again with a new one');
      last = event.id;
      yield event;
    }
  }

  // An async generator waiting in `for await` would hold a return() until the next event arrives:
  // closing the live queue first lets an unsubscribe end it at once.
  const generator = events();
  return {
    next: () => generator.next(),
    return: async () => {
      live.close();
      return generator.return(undefined);
    },
    throw: async (error: unknown) => {
      live.close();
      return generator.throw(error);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

function replayPage(ctx: RequestContext, scope: PlanScope, after: string): Promise<OutboxEvent[]> {
  return inFreshQuery(ctx, async (fresh) => {
    const params: unknown[] = [after, `{${scope.gminy.join(',')}}`];
    let where = `id > ?::bigint and gmina_id = any (?::int[])`;
    if (scope.ipusId) {
      where += ' and subject_id = ?';
      params.push(scope.ipusId);
    }
    const rows = await fresh.em.execute<OutboxRow[]>(
      `select ${OUTBOX_COLUMNS} from outbox_event where ${where} order by id limit ${REPLAY_PAGE}`, params);
    return rows.map(fromOutboxRow);
  });
}
