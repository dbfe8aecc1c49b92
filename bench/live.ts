import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { createClient, type Client } from 'graphql-ws';
import { percentile } from './measure.js';

export interface LiveResult {
  subscribers: number;
  changes: number;
  delivered: number;
  expected: number;
  /** From sending the mutation to the event's arrival at a subscriber, over every subscriber and change. */
  deliveryMs: { p50: number; p95: number; p99: number; max: number };
  /** The mutations' own latency, for reference: delivery minus this is roughly commit to delivery. */
  mutationMs: { p50: number; p95: number };
}

/**
 * Plan changes reaching dashboards: `subscribers` WebSocket connections follow the feed of a gmina
 * (selecting only the event's fields), one coordinator adds `changes` monitoring notes to an active
 * plan, one after another, and every arrival is timed.
 */
export async function measureLive(
  wsUrl: string,
  dashboardToken: string,
  mutate: (revision: number) => Promise<number>,
  startRevision: number,
  subscribers: number,
  changes: number,
): Promise<LiveResult> {
  const sentAt = new Map<number, number>();
  const delivery: number[] = [];
  let delivered = 0;
  const clients: Client[] = [];
  const ready: Promise<void>[] = [];
  for (let i = 0; i < subscribers; i += 1) {
    const client = createClient({ url: wsUrl, webSocketImpl: WebSocket, lazy: false, retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${dashboardToken}` }, onNonLazyError: () => {} });
    clients.push(client);
    ready.push(new Promise((resolve) => client.on('connected', () => resolve())));
    client.subscribe<{ ipusFeed: { revision: number } }>({ query: 'subscription { ipusFeed { eventId revision kind } }' }, {
      next: (result) => {
        const revision = result.data?.ipusFeed.revision;
        const sent = revision === undefined ? undefined : sentAt.get(revision);
        if (sent === undefined) return;
        delivered += 1;
        delivery.push(performance.now() - sent);
      },
      error: () => {},
      complete: () => {},
    });
  }
  await Promise.all(ready);
  await new Promise((resolve) => setTimeout(resolve, 500)); // every subscription registered

  const mutationMs: number[] = [];
  let revision = startRevision;
  for (let i = 0; i < changes; i += 1) {
    const started = performance.now();
    sentAt.set(revision + 1, started);
    revision = await mutate(revision);
    mutationMs.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const deadline = performance.now() + 10_000;
  while (delivered < subscribers * changes && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  await Promise.all(clients.map((c) => c.dispose()));

  const sorted = [...delivery].sort((a, b) => a - b);
  const mutations = [...mutationMs].sort((a, b) => a - b);
  return {
    subscribers,
    changes,
    delivered,
    expected: subscribers * changes,
    deliveryMs: { p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] ?? NaN },
    mutationMs: { p50: percentile(mutations, 50), p95: percentile(mutations, 95) },
  };
}
