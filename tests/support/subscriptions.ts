import type { Client } from 'graphql-ws';

/** What a subscriber received: results in order, and the error or completion that ended it. */
export interface Subscriber<T = any> {
  results: { data?: T; errors?: { message: string; extensions?: { code?: string } }[] }[];
  /** Data of the results, in order. */
  readonly received: T[];
  ended: Promise<void>;
  error: unknown;
  /** Resolves when `count` results have arrived; fails after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<T[]>;
  stop(): void;
}

export function subscribe<T = any>(client: Client, query: string, variables: Record<string, unknown> = {}): Subscriber<T> {
  let waiters: (() => void)[] = [];
  let endResolve!: () => void;
  const ended = new Promise<void>((resolve) => {
    endResolve = resolve;
  });
  const subscriber: Subscriber<T> = {
    results: [],
    get received() {
      return this.results.filter((r) => r.data).map((r) => r.data as T);
    },
    ended,
    error: undefined,
    async waitFor(count, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (subscriber.results.length < count) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`expected ${count} results, got ${subscriber.results.length}: ${JSON.stringify(subscriber.results)}`);
        await Promise.race([new Promise<void>((resolve) => waiters.push(resolve)), ended, new Promise((r) => setTimeout(r, Math.min(left, 100)))]);
      }
      return subscriber.received;
    },
    stop: () => unsubscribe(),
  };
  const wake = () => {
    const now = waiters;
    waiters = [];
    for (const w of now) w();
  };
  const unsubscribe = client.subscribe<T>(
    { query, variables },
    {
      next: (result) => {
        subscriber.results.push(result as Subscriber<T>['results'][number]);
        wake();
      },
      error: (error) => {
        subscriber.error = error;
        endResolve();
        wake();
      },
      complete: () => {
        endResolve();
        wake();
      },
    },
  );
  return subscriber;
}

/** A server's count of the live subscriptions it follows: its `cus_subscriptions_open` gauge. */
export interface SubscriptionGauge {
  openSubscriptions(): Promise<number>;
  /** Resolves once the server follows exactly `count` subscriptions; fails after `timeoutMs`. */
  untilOpenSubscriptions(count: number, timeoutMs?: number): Promise<void>;
}

/** The gauge of the server whose metrics are served at `metricsUrl` (a TestApp is one already). */
export function subscriptionGauge(metricsUrl: string): SubscriptionGauge {
  const openSubscriptions = async () => {
    const text = await (await fetch(metricsUrl)).text();
    const line = /^cus_subscriptions_open (\d+)$/m.exec(text);
    if (!line) throw new Error('cus_subscriptions_open is missing from /metrics');
    return Number(line[1]);
  };
  return {
    openSubscriptions,
    async untilOpenSubscriptions(count, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      let open = await openSubscriptions();
      while (open !== count) {
        if (Date.now() > deadline) throw new Error(`the server follows ${open} subscriptions, not ${count}, after ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 20));
        open = await openSubscriptions();
      }
    },
  };
}

/**
 * Subscribes, and resolves once the server follows the subscription. graphql-ws's subscribe returns
 * at once and the server registers the subscription a little later; a live one (no `after:`) misses
 * what commits before that, so a test's cause must wait for this. It waits for one subscription more
 * than the server followed before: the server's earlier ones must be open or gone, not stopping
 * (stop them with stopAndWait).
 */
export async function subscribeAndWait<T = any>(
  server: SubscriptionGauge,
  client: Client,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<Subscriber<T>> {
  const before = await server.openSubscriptions();
  const subscriber = subscribe<T>(client, query, variables);
  await server.untilOpenSubscriptions(before + 1).catch((error: Error) => {
    throw new Error(`${error.message}; the subscription got ${JSON.stringify(subscriber.error ?? subscriber.results)}`);
  });
  return subscriber;
}

/** Stops subscriptions the server follows, and resolves once it no longer follows them. */
export async function stopAndWait(server: SubscriptionGauge, ...subscribers: Subscriber[]): Promise<void> {
  const before = await server.openSubscriptions();
  for (const subscriber of subscribers) subscriber.stop();
  await server.untilOpenSubscriptions(before - subscribers.length);
}

/** Lets in-flight deliveries arrive before asserting that nothing more came. */
export const settle = (ms = 300) => new Promise((resolve) => setTimeout(resolve, ms));
