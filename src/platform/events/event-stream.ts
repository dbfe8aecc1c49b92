import { AppError, badInput, ErrorCode } from '../graphql/errors.js';
import type { Principal } from '../auth/principal.js';
import type { EventQueue } from './event-queue.js';
import { eventIdAfter, type OutboxEvent } from './outbox-event.js';

/** The resume cursor a client sends back: an event id, a non-negative integer. */
export function parseAfter(after: string | null | undefined): string | null {
  if (after === null || after === undefined) return null;
  if (!/^\d{1,19}$/.test(after)) throw badInput('after must be an eventId received earlier');
  return BigInt(after).toString();
}

export interface EventSource {
  /** The live events, subscribed to before the replay reads. */
  live: EventQueue<OutboxEvent>;
  /** Up to `pageSize` committed events after `after`, in id order, read under the subscriber's own rights. */
  replayPage(after: string): Promise<OutboxEvent[]>;
  pageSize: number;
}

/**
 * A subscription's events: first those committed after `after` (replayed page by page), then live
 * ones. The live queue is open before the replay reads, and events are passed on in id order with
 * anything at or below the last one sent skipped, so an event committed during the replay arrives
 * exactly once.
 */
export function resumableEvents(principal: Principal, source: EventSource, after: string | null): AsyncIterableIterator<OutboxEvent> {
  const { live } = source;

  async function* events(): AsyncGenerator<OutboxEvent> {
    let last = after;
    if (last !== null) {
      for (;;) {
        const page = await source.replayPage(last);
        for (const event of page) {
          last = event.id;
          yield event;
        }
        if (page.length < source.pageSize) break;
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
