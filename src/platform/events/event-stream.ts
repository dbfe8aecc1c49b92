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
  /**
   * Decides each live event before it is sent: true sends it, false passes over it, a throw ends the
   * subscription with that error. A plain boolean in the common case, so that costs no await.
   */
  admit?(event: OutboxEvent): boolean | Promise<boolean>;
}

/**
 * A subscription's events: first those committed after `after` (replayed page by page), then live
 * ones. The live queue is open before the replay reads, and events are passed on in id order with
 * anything at or below the last one sent skipped, so an event committed during the replay arrives
 * exactly once.
 *
 * Written as a plain iterator rather than an async generator: a live event is one await on the
 * queue and a few comparisons, which at thousands of subscribers per event is most of what it costs.
 */
export function resumableEvents(principal: Principal, source: EventSource, after: string | null): AsyncIterableIterator<OutboxEvent> {
  const { live } = source;
  let last = after;
  let page: OutboxEvent[] = [];
  let inPage = 0;
  let morePages = after !== null;

  async function nextLive(): Promise<IteratorResult<OutboxEvent>> {
    for (;;) {
      const step = await live.next();
      if (step.done) return step;
      if (last !== null && !eventIdAfter(step.value.id, last)) continue;
      // A token that expired since subscribing ends the subscription; the client resumes with a new one.
      if (principal.expiresAt * 1000 <= Date.now()) {
        live.close();
        throw new AppError(ErrorCode.UNAUTHENTICATED, 'The token has expired; subscribe again with a new one');
      }
      last = step.value.id;
      if (source.admit) {
        let admitted: boolean;
        try {
          const answer = source.admit(step.value);
          admitted = typeof answer === 'boolean' ? answer : await answer;
        } catch (error) {
          live.close();
          throw error;
        }
        if (!admitted) continue;
      }
      return step;
    }
  }

  return {
    async next() {
      if (inPage === page.length && morePages) {
        page = await source.replayPage(last as string);
        inPage = 0;
        morePages = page.length >= source.pageSize;
      }
      if (inPage < page.length) {
        const event = page[inPage++];
        last = event.id;
        return { value: event, done: false };
      }
      return nextLive();
    },
    // Closing the live queue ends a pending next() at once, so an unsubscribe never waits for an event.
    return: async () => {
      live.close();
      return { value: undefined, done: true };
    },
    throw: async (error: unknown) => {
      live.close();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
