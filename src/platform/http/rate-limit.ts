import { Redis } from 'ioredis';
import type { Logger } from '../logger.js';

/** What a key has used of the current window. */
export interface WindowUse {
  count: number;
  /** Milliseconds until the window starts again. */
  resetMs: number;
}

/** Where the counts live: this process, or Redis so that every instance shares them. */
export interface RateStore {
  hit(key: string, windowMs: number): Promise<WindowUse>;
  close(): Promise<void>;
}

/** Fixed windows in this process's memory; expired ones are dropped as they are met and every minute. */
export class MemoryRateStore implements RateStore {
  private readonly windows = new Map<string, { count: number; endsAt: number }>();
  private readonly timer = setInterval(() => this.prune(), 60_000);

  constructor(private readonly now: () => number = Date.now) {
    this.timer.unref();
  }

  async hit(key: string, windowMs: number): Promise<WindowUse> {
    const now = this.now();
    let window = this.windows.get(key);
    if (!window || window.endsAt <= now) this.windows.set(key, (window = { count: 0, endsAt: now + windowMs }));
    window.count += 1;
    return { count: window.count, resetMs: window.endsAt - now };
  }

  private prune(): void {
    const now = this.now();
    for (const [key, window] of this.windows) if (window.endsAt <= now) this.windows.delete(key);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
  }
}

/** Fixed windows in Redis: INCR and a first-hit expiry in one round trip, shared by every instance. */
export class RedisRateStore implements RateStore {
  private readonly redis: Redis;

  constructor(url: string, private readonly prefix: string, log: Logger) {
    this.redis = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 1, enableOfflineQueue: false });
    this.redis.on('error', (error: Error) => log.warn('rate-limit store unavailable', { error: error.message }));
  }

  async hit(key: string, windowMs: number): Promise<WindowUse> {
    const full = `${this.prefix}${key}`;
    const result = await this.redis.multi().incr(full).pexpire(full, windowMs, 'NX').pttl(full).exec();
    const count = Number(result?.[0]?.[1] ?? 1);
    const ttl = Number(result?.[2]?.[1] ?? windowMs);
    return { count, resetMs: ttl > 0 ? ttl : windowMs };
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}

export interface RateLimits {
  /** Requests (HTTP operations and WebSocket operations) per principal per window; 0: no limit. */
  perPrincipal: number;
  /** Requests per client address per window, authenticated or not; 0: no limit. */
  perAddress: number;
  windowMs: number;
}

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number; message: string };

/**
 * Rate limits per principal and per client address (issue 8). A store that cannot be reached lets
 * requests through (logged): a Redis outage must not take the API down with it.
 */
export class RateLimiter {
  constructor(private readonly store: RateStore, private readonly limits: RateLimits, private readonly log: Logger) {}

  async check(subject: string | null, address: string): Promise<RateDecision> {
    const checks: [string, number, string][] = [];
    if (this.limits.perAddress > 0) checks.push([`address:${address}`, this.limits.perAddress, 'from this address']);
    if (subject && this.limits.perPrincipal > 0) checks.push([`principal:${subject}`, this.limits.perPrincipal, 'for this user']);
    for (const [key, limit, whose] of checks) {
      let use: WindowUse;
      try {
        use = await this.store.hit(key, this.limits.windowMs);
      } catch (error) {
        this.log.warn('rate limit not checked', { error: (error as Error).message });
        continue;
      }
      if (use.count > limit) {
        const retryAfterSeconds = Math.max(1, Math.ceil(use.resetMs / 1000));
        return { allowed: false, retryAfterSeconds, message: `Too many requests ${whose}: at most ${limit} per ${this.limits.windowMs / 1000} s; retry after ${retryAfterSeconds} s` };
      }
    }
    return { allowed: true };
  }

  close(): Promise<void> {
    return this.store.close();
  }
}
