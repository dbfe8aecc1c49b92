/**
 * A server's work in flight (requests, WebSocket operations, subscription events), so a shutdown
 * can stop taking new work and wait for what is under way.
 */
export class Drain {
  private inFlight = 0;
  private isDraining = false;
  private drained: (() => void) | null = null;

  /** Whether the server has begun to shut down: new work is refused. */
  get draining(): boolean {
    return this.isDraining;
  }

  /** Runs `work`, counted as in flight until it settles. */
  async track<T>(work: () => Promise<T>): Promise<T> {
    this.inFlight += 1;
    try {
      return await work();
    } finally {
      this.inFlight -= 1;
      if (this.isDraining && this.inFlight === 0) this.drained?.();
    }
  }

  /** Refuses new work from now on and waits for the work in flight, for at most `timeoutMs`. */
  async drain(timeoutMs: number): Promise<void> {
    this.isDraining = true;
    if (this.inFlight === 0) return;
    await Promise.race([
      new Promise<void>((resolve) => {
        this.drained = resolve;
      }),
      new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref()),
    ]);
  }
}
