import { EventQueue } from './event-queue.js';
import type { OutboxEvent } from './outbox-event.js';

/** How many undelivered events one subscriber may hold before it is cut off (it can resume). */
const QUEUE_LIMIT = 10_000;
/**
 * Subscribers handed an event in one turn of the event loop. Each hand-over runs that subscriber's
 * delivery (its result, a WebSocket write) before the turn ends; in slices, a fan-out to thousands
 * lets database replies and requests through between them instead of holding them for its whole length.
 */
const SLICE = 250;

interface Subscriber {
  accepts(event: OutboxEvent): boolean;
  queue: EventQueue<OutboxEvent>;
}

/** The channel of a gmina's plan events, and of the events addressed to one partner. */
export const gminaChannel = (gminaId: number): string => `gmina:${gminaId}`;
export const partnerChannel = (partnerId: string): string => `partner:${partnerId}`;

function channelsOf(event: OutboxEvent): string[] {
  return event.partnerId ? [partnerChannel(event.partnerId)] : [gminaChannel(event.gminaId)];
}

/**
 * The in-process fan-out of committed events to this instance's subscribers. Subscribers are
 * indexed by channel (a gmina for plan events, a partner for its assignments), so an event costs
 * work only for those who listen where it is published; each one's own filter (a single plan, say)
 * then decides.
 */
export class EventHub {
  private readonly byChannel = new Map<string, Set<Subscriber>>();
  private count = 0;
  /** Fan-outs not yet done, oldest first: each subscriber receives events in the order they were published. */
  private readonly pending: { event: OutboxEvent; to: Subscriber[]; next: number }[] = [];
  private scheduled = false;

  /** A stream of the events on `channels` that `accepts` lets through, from now on; close it to leave. */
  subscribe(channels: readonly string[], accepts: (event: OutboxEvent) => boolean): EventQueue<OutboxEvent> {
    const subscriber: Subscriber = {
      accepts,
      queue: new EventQueue<OutboxEvent>(QUEUE_LIMIT, () => {
        for (const channel of channels) {
          const set = this.byChannel.get(channel);
          if (set?.delete(subscriber) && set.size === 0) this.byChannel.delete(channel);
        }
        this.count -= 1;
      }),
    };
    for (const channel of channels) {
      let set = this.byChannel.get(channel);
      if (!set) this.byChannel.set(channel, (set = new Set()));
      set.add(subscriber);
    }
    this.count += 1;
    return subscriber.queue;
  }

  /**
   * Hands `event` to every subscriber that listens on its channel and accepts it, as they are now
   * (one who subscribes later replays it from the outbox if it asks from before it), the first
   * slice at once and the rest in later turns.
   */
  publish(event: OutboxEvent): void {
    const to: Subscriber[] = [];
    for (const channel of channelsOf(event)) {
      for (const subscriber of this.byChannel.get(channel) ?? []) {
        if (subscriber.accepts(event)) to.push(subscriber);
      }
    }
    if (to.length === 0) return;
    this.pending.push({ event, to, next: 0 });
    if (!this.scheduled) this.handOver();
  }

  private handOver(): void {
    this.scheduled = false;
    let budget = SLICE;
    while (budget > 0 && this.pending.length > 0) {
      const fanOut = this.pending[0];
      const end = Math.min(fanOut.to.length, fanOut.next + budget);
      for (let i = fanOut.next; i < end; i += 1) fanOut.to[i].queue.push(fanOut.event);
      budget -= end - fanOut.next;
      fanOut.next = end;
      if (end === fanOut.to.length) this.pending.shift();
    }
    if (this.pending.length > 0) {
      this.scheduled = true;
      setImmediate(() => this.handOver());
    }
  }

  /** Ends every subscription (server shutdown); clients resume from their last event id elsewhere. */
  closeAll(): void {
    this.pending.length = 0;
    for (const set of [...this.byChannel.values()]) for (const subscriber of [...set]) subscriber.queue.close();
  }

  get subscriberCount(): number {
    return this.count;
  }
}
