import v8 from 'node:v8';
import vm from 'node:vm';

/**
 * The heap as it is after a full garbage collection, so two readings compare what is retained rather
 * than what happens to be uncollected. `--expose-gc` is switched on at run time when the process was
 * not started with it (vitest workers, `npm run fuzz`).
 */
export interface MemoryReading {
  heapUsedMb: number;
  rssMb: number;
  externalMb: number;
}

let collect: (() => void) | undefined;

function gc(): void {
  if (!collect) {
    const exposed = (globalThis as { gc?: () => void }).gc;
    if (exposed) {
      collect = exposed;
    } else {
      v8.setFlagsFromString('--expose-gc');
      collect = vm.runInNewContext('gc') as () => void;
    }
  }
  collect();
}

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

export async function settledMemory(): Promise<MemoryReading> {
  // Two rounds with a turn of the event loop between, so finalizers and weak callbacks have run.
  for (let round = 0; round < 2; round += 1) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
  const usage = process.memoryUsage();
  return { heapUsedMb: mb(usage.heapUsed), rssMb: mb(usage.rss), externalMb: mb(usage.external) };
}
