import { EventQueue } from './event-queue.js';
import type { OutboxEvent } from './outbox-event.js';

/** How many undelivered events one subscriber may hold before it is cut off (it can resume). */
const QUEUE_LIMIT = 10_000;

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

  publish(event: OutboxEvent): void {
    for (const channel of channelsOf(event)) {
      for (const subscriber of this.byChannel.get(channel) ?? []) {
        if (subscriber.accepts(event)) subscriber.queue.push(event);
      }
    }
  }

  /** Ends every subscription (server shutdown); clients resume from their last event id elsewhere. */
  closeAll(): void {
    for (const set of [...this.byChannel.values()]) for (const subscriber of [...set]) subscriber.queue.close();
  }

  get subscriberCount(): number {
    return this.count;
  }
}
