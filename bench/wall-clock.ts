import { performance } from 'node:perf_hooks';

/**
 * The wall clock with sub-millisecond resolution, for comparing times across processes on one
 * machine (and with PostgreSQL's clock_timestamp()): performance.now() plus the offset at which
 * Date.now() ticks over to a new millisecond. performance.timeOrigin alone can be a few ms off the
 * wall clock, differently in each process.
 */
function calibrate(): number {
  const start = Date.now();
  let now = start;
  while (now === start) now = Date.now();
  return now - performance.now();
}

const offset = calibrate();

/** Milliseconds since the epoch, fractional. */
export const wallClock = (): number => offset + performance.now();

/** How far wallClock() has drifted from Date.now() since calibration (under 1 ms when the clocks agree). */
export const wallClockDrift = (): number => Math.max(0, Math.abs(Date.now() + 0.5 - wallClock()) - 0.5);
