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
  const ended = new Promise<void>((resolve) => { endResolve = resolve; });
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
  const unsubscribe = client.subscribe<T>({ query, variables }, {
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
  });
  return subscriber;
}

/** Lets in-flight deliveries arrive before asserting that nothing more came. */
export const settle = (ms = 300) => new Promise((resolve) => setTimeout(resolve, ms));
