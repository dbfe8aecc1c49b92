import { EventQueue } from './event-queue.js';
import type { OutboxEvent } from './outbox-event.js';

/** How many undelivered events one subscriber may hold before it is cut off (it can resume). */
const QUEUE_LIMIT = 10_000;

interface Subscriber {
  accepts(event: OutboxEvent): boolean;
  queue: EventQueue<OutboxEvent>;
}

/**
 * The in-process fan-out of committed events to this instance's subscribers. Subscribers are
 * indexed by gmina, so an event costs work only for those whose scope includes its gmina; each one's
 * own filter (a single plan, say) then decides.
 */
export class EventHub {
  private readonly byGmina = new Map<number, Set<Subscriber>>();
  private count = 0;

  /** A stream of the events of `gminy` that `accepts` lets through, from now on; close it to leave. */
  subscribe(gminy: readonly number[], accepts: (event: OutboxEvent) => boolean): EventQueue<OutboxEvent> {
    const subscriber: Subscriber = {
      accepts,
      queue: new EventQueue<OutboxEvent>(QUEUE_LIMIT, () => {
        for (const gmina of gminy) {
          const set = this.byGmina.get(gmina);
          if (set?.delete(subscriber) && set.size === 0) this.byGmina.delete(gmina);
        }
        this.count -= 1;
      }),
    };
    for (const gmina of gminy) {
      let set = this.byGmina.get(gmina);
      if (!set) this.byGmina.set(gmina, (set = new Set()));
      set.add(subscriber);
    }
    this.count += 1;
    return subscriber.queue;
  }

  publish(event: OutboxEvent): void {
    const subscribers = this.byGmina.get(event.gminaId);
    if (!subscribers) return;
    for (const subscriber of subscribers) {
      if (subscriber.accepts(event)) subscriber.queue.push(event);
    }
  }

  /** Ends every subscription (server shutdown); clients resume from their last event id elsewhere. */
  closeAll(): void {
    for (const set of [...this.byGmina.values()]) for (const subscriber of [...set]) subscriber.queue.close();
  }

  get subscriberCount(): number {
    return this.count;
  }
}
