import { Worker } from 'node:worker_threads';

/**
 * The fuzzed server runs in the fuzzer's own process, so a case that blocks the event loop blocks
 * the client's timeouts too and the run would just stop. A worker thread, which keeps running,
 * watches each case: one that has not ended after `limitMs` is reported (the case, how long) and
 * the process is killed, so the run fails instead of hanging.
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
let current = null;
parentPort.on('message', (message) => { current = message; });
setInterval(() => {
  if (current && Date.now() - current.startedAt > workerData.limitMs) {
    // Written straight to the file descriptor: a worker's process.stderr goes through the (blocked) main thread.
    require('node:fs').writeSync(2, '\\nfuzz watchdog: a case has not ended after ' + Math.round((Date.now() - current.startedAt) / 1000) +
      ' s (the event loop is blocked or an answer never came):\\n' + current.description + '\\n');
    // process.exit() would end only this thread.
    process.kill(process.pid, 'SIGKILL');
  }
}, 1000).unref();
`;

export class Watchdog {
  private readonly worker: Worker;

  constructor(limitMs: number) {
    this.worker = new Worker(WORKER, { eval: true, workerData: { limitMs } });
    this.worker.unref();
  }

  started(description: string): void {
    this.worker.postMessage({ startedAt: Date.now(), description });
  }

  ended(): void {
    this.worker.postMessage(null);
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
  }
}
