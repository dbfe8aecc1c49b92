import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

/** Latency figures of one measured run, in milliseconds (throughput in operations per second). */
export interface Summary {
  count: number;
  wallMs: number;
  perSecond: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export function median(values: number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

export function summarise(latencies: number[], wallMs: number): Summary {
  const sorted = [...latencies].sort((a, b) => a - b);
  const total = sorted.reduce((sum, v) => sum + v, 0);
  return {
    count: sorted.length,
    wallMs,
    perSecond: sorted.length / (wallMs / 1000),
    mean: total / sorted.length,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1],
  };
}

/**
 * Runs `operation` `count` times with `concurrency` workers, each starting its next operation as soon
 * as its previous one ended (a closed loop). Returns the per-operation latencies and the wall time.
 */
export async function closedLoop(
  count: number,
  concurrency: number,
  operation: (index: number) => Promise<void>,
): Promise<{ latencies: number[]; wallMs: number }> {
  const latencies: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next++;
      const started = performance.now();
      await operation(index);
      latencies.push(performance.now() - started);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return { latencies, wallMs: performance.now() - started };
}

/**
 * Runs `operation` with `concurrency` workers for `seconds`, each starting its next operation as soon
 * as its previous one ended (a closed loop, as autocannon's connections are). Returns the latencies
 * of the operations that ended within the run and the wall time.
 */
export async function closedLoopFor(
  seconds: number,
  concurrency: number,
  operation: (index: number) => Promise<void>,
): Promise<{ latencies: number[]; wallMs: number }> {
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + seconds * 1000;
  let next = 0;
  const worker = async () => {
    while (performance.now() < deadline) {
      const index = next++;
      const began = performance.now();
      await operation(index);
      latencies.push(performance.now() - began);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { latencies, wallMs: performance.now() - started };
}

/** A plan the update scenario may change, with the revision it holds now. */
export interface PlanSlot {
  id: string;
  revision: number;
  periodEnd: string;
}

interface LoadCommon {
  url: string;
  token: string;
  query: string;
  connections: number;
  seconds: number;
  warmUpSeconds: number;
  /** The server process under load, whose CPU time the measured run reads (Linux /proc); none for no reading. */
  serverPid?: number;
}

/** One cell of HTTP load: the same request over and over, or plan updates over a pool of plans. */
export type LoadSpec = (LoadCommon & { kind: 'query'; variables?: Record<string, unknown> }) | (LoadCommon & { kind: 'plan-update'; plans: PlanSlot[] });

export interface LoadResult {
  requests: number;
  durationMs: number;
  perSecond: number;
  latencyMs: { mean: number; p50: number; p95: number; p99: number; max: number };
  /** Connection errors, timeouts, non-2xx responses and bodies with errors (or userErrors). */
  errors: number;
  /** The first few failed bodies, to say why. */
  failures: string[];
  /** CPU time (user + system) the server process spent per request of the measured run, in ms; null where unread. */
  serverCpuMsPerRequest: number | null;
}

/**
 * The load generator, a child process of its own (bench/load.ts): started once, it runs one cell per
 * call, one at a time.
 */
export class LoadGenerator {
  private readonly child: ChildProcess;
  private readonly exited: Promise<void>;

  constructor() {
    const entry = fileURLToPath(new URL('./load.js', import.meta.url));
    this.child = fork(entry, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.exited = new Promise((resolve) => this.child.once('exit', () => resolve()));
  }

  run(spec: LoadSpec): Promise<LoadResult> {
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`the load generator exited (${code}) during a run`));
      this.child.once('exit', onExit);
      this.child.once('message', (message: { result?: LoadResult; error?: string }) => {
        this.child.off('exit', onExit);
        if (message.result) resolve(message.result);
        else reject(new Error(`load generator: ${message.error}`));
      });
      this.child.send(spec);
    });
  }

  async close(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGTERM');
    await this.exited;
  }
}

/** Formats rows as a plain-text table; numeric-looking cells are right-aligned. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const numeric = (cell: string) => /^[\d.,x×-]+$/.test(cell);
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (numeric(c) && i > 0 ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export const fixed = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '-');
