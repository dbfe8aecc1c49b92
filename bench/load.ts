/**
 * The HTTP load generator of `npm run bench`, run as a child process of its own (bench/measure.ts
 * forks it), so that neither the server under test nor the bench process shares its event loop.
 * It receives one LoadSpec per message, runs autocannon (warm-up, then the measured run) and answers
 * with a LoadResult: every response's latency, not autocannon's histogram, which has no p95.
 */
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import autocannon from 'autocannon';
import type { LoadResult, LoadSpec, PlanSlot } from './measure.js';
import { percentile } from './measure.js';

/** A GraphQL response that carries `errors`, or a mutation payload with userErrors, is a failure. */
function verifier(spec: LoadSpec): (body: string) => boolean {
  if (spec.kind === 'plan-update') return (body) => !body.includes('"errors"') && body.includes('"userErrors":[]');
  return (body) => body.startsWith('{"data"') && !body.includes('"errors"');
}

/**
 * Plan updates: each request takes the next plan that no other request has in flight, with the
 * revision it holds now, and moves its end date by a day; the response hands back the new revision.
 * So concurrent requests never touch one plan (no conflicts: the run measures throughput).
 */
function planRequests(spec: LoadSpec & { kind: 'plan-update' }, failures: string[]) {
  const slots: (PlanSlot & { busy: boolean; moves: number })[] = spec.plans.map((p) => ({ ...p, busy: false, moves: 0 }));
  let cursor = 0;
  const take = () => {
    for (let tried = 0; tried < slots.length; tried++) {
      const slot = slots[cursor];
      cursor = (cursor + 1) % slots.length;
      if (!slot.busy) return slot;
    }
    throw new Error('every plan of the pool is in flight: the pool must be larger than the concurrency');
  };
  return [
    {
      method: 'POST',
      setupRequest: (request: Record<string, unknown>, context: Record<string, unknown>) => {
        const slot = take();
        slot.busy = true;
        slot.moves += 1;
        context.slot = slot;
        // A change of coordinator: not a material change, so an ACTIVE plan takes it directly (issue 20).
        const coordinatorName = `Koordynator ${1 + (slot.moves % 28)}`;
        return { ...request, body: JSON.stringify({ query: spec.query, variables: { input: { id: slot.id, revision: slot.revision, coordinatorName } } }) };
      },
      onResponse: (_status: number, body: string, context: Record<string, unknown>) => {
        const slot = context.slot as (typeof slots)[number] | undefined;
        if (!slot) return;
        slot.busy = false;
        const revision = /"revision":(\d+)/.exec(body)?.[1];
        if (revision) slot.revision = Number(revision);
        else if (failures.length < 5) failures.push(body.slice(0, 300));
      },
    },
  ];
}

type Requests = ReturnType<typeof planRequests> | undefined;

/** Clock ticks per second of /proc's CPU times (getconf CLK_TCK; 100 on Linux where it cannot be asked). */
const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * CPU time a process has used so far (user + system), in ms, from /proc/<pid>/stat; null off Linux. Read from
 * outside, it costs the server nothing and counts the same way for every side (our server and PostGraphile).
 */
function processCpuMs(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces, so split after its closing parenthesis): utime is the 14th field, stime the 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return null;
  }
}

async function run(spec: LoadSpec, requests: Requests, seconds: number, record: boolean, failures: string[]) {
  const latencies: number[] = [];
  const verify = verifier(spec);
  const instance = autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: seconds,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${spec.token}` },
    body: spec.kind === 'query' ? JSON.stringify({ query: spec.query, variables: spec.variables }) : undefined,
    requests: requests,
    verifyBody: (body: string) => {
      const ok = verify(body);
      if (!ok && failures.length < 5) failures.push(body.slice(0, 300));
      return ok;
    },
    timeout: 30,
  });
  if (record) instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => latencies.push(ms));
  const result = await instance;
  return { latencies, result };
}

async function measure(spec: LoadSpec): Promise<LoadResult> {
  const failures: string[] = [];
  // One pool of plans for the warm-up and the measured run: the revisions carry over.
  const requests = spec.kind === 'plan-update' ? planRequests(spec, failures) : undefined;
  if (spec.warmUpSeconds > 0) await run(spec, requests, spec.warmUpSeconds, false, failures);
  const cpuBefore = processCpuMs(spec.serverPid);
  const { latencies, result } = await run(spec, requests, spec.seconds, true, failures);
  const cpuAfter = processCpuMs(spec.serverPid);
  const sorted = latencies.sort((a, b) => a - b);
  const durationMs = result.finish.getTime() - result.start.getTime();
  return {
    requests: sorted.length,
    durationMs,
    perSecond: sorted.length / (durationMs / 1000),
    latencyMs: {
      mean: sorted.reduce((sum, v) => sum + v, 0) / sorted.length,
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
      max: sorted[sorted.length - 1] ?? NaN,
    },
    errors: result.errors + result.timeouts + result.non2xx + result.mismatches,
    failures,
    serverCpuMsPerRequest: cpuBefore === null || cpuAfter === null || sorted.length === 0 ? null : (cpuAfter - cpuBefore) / sorted.length,
  };
}

process.on('message', (spec: LoadSpec) => {
  measure(spec).then(
    (result) => process.send!({ result }),
    (error: Error) => process.send!({ error: error.stack ?? String(error) }),
  );
});
