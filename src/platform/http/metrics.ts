import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { databaseMessages } from '../database/orm-extension/round-trips.js';

/**
 * Distinct operation names counted under their own label; later new names count as `other`. Each
 * name is a series in two metrics (~0.7 kB of heap, ~1.3 kB of /metrics text) kept for the process's
 * life, and any client may invent names: the fuzz campaign sent thousands.
 */
export const MAX_OPERATION_NAMES = 200;

/** What the server counts for operators (GET /metrics, Prometheus text format). */
export class Metrics {
  readonly registry = new Registry();
  private readonly requests = new Counter({
    name: 'cus_graphql_operations_total',
    help: 'GraphQL operations, by operation name, type and transport',
    labelNames: ['operation', 'type', 'transport'] as const,
    registers: [this.registry],
  });
  private readonly duration = new Histogram({
    name: 'cus_graphql_operation_duration_seconds',
    help: 'Time to answer a GraphQL operation',
    labelNames: ['operation', 'type'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  private readonly errors = new Counter({
    name: 'cus_graphql_errors_total',
    help: 'Top-level errors sent to clients, by code',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });
  private inFlight = 0;
  private readonly operationNames = new Set<string>();

  constructor(sources: { poolMax: number; subscriptions: () => number; outboxLag: () => number }) {
    collectDefaultMetrics({ register: this.registry, prefix: 'cus_' });
    new Counter({
      name: 'cus_db_messages_total',
      help: 'Messages (round trips) sent to PostgreSQL; several statements may share one',
      registers: [this.registry],
      collect() {
        this.reset();
        this.inc(databaseMessages());
      },
    });
    new Gauge({
      name: 'cus_db_pool_max',
      help: 'Connections the pool may open',
      registers: [this.registry],
      collect() {
        this.set(sources.poolMax);
      },
    });
    const inFlight = () => this.inFlight;
    new Gauge({
      name: 'cus_graphql_operations_in_progress',
      help: 'Operations being answered; each holds at most one pooled connection, for its transaction',
      registers: [this.registry],
      collect() {
        this.set(inFlight());
      },
    });
    new Gauge({
      name: 'cus_subscriptions_open',
      help: 'Live subscriptions on this instance',
      registers: [this.registry],
      collect() {
        this.set(sources.subscriptions());
      },
    });
    new Gauge({
      name: 'cus_outbox_lag_events',
      help: 'Events notified by the database and not yet handed to subscribers on this instance',
      registers: [this.registry],
      collect() {
        this.set(sources.outboxLag());
      },
    });
  }

  /** Starts timing one operation; call the result with its name, type and error codes when it is answered. */
  operationStarted(transport: 'http' | 'ws'): (operation: string | null, type: string, errorCodes: string[]) => void {
    const started = process.hrtime.bigint();
    this.inFlight += 1;
    let done = false;
    return (operation, type, errorCodes) => {
      if (done) return;
      done = true;
      this.inFlight -= 1;
      const name = this.operationLabel(operation);
      this.requests.inc({ operation: name, type, transport });
      this.duration.observe({ operation: name, type }, Number(process.hrtime.bigint() - started) / 1e9);
      for (const code of errorCodes) this.errors.inc({ code });
    };
  }

  /** Operation names come from clients: the label set is bounded in shape and in number. */
  private operationLabel(operation: string | null): string {
    if (!operation || !/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(operation)) return 'anonymous';
    if (this.operationNames.has(operation)) return operation;
    if (this.operationNames.size >= MAX_OPERATION_NAMES) return 'other';
    this.operationNames.add(operation);
    return operation;
  }

  /** A request refused before it became an operation (401, 413, 429...). */
  refused(code: string): void {
    this.errors.inc({ code });
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
