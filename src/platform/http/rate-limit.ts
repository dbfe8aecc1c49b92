import { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Logger } from '../logger.js';
import { ErrorCode } from '../graphql/errors.js';

/** What the limiter does while Redis cannot be reached (RATE_LIMIT_FAIL). */
export type RateLimitFailMode = 'open' | 'closed';

export interface RateLimits {
  /** Requests (HTTP operations and WebSocket operations) per principal per window; 0: no limit. */
  perPrincipal: number;
  /** Requests per client address per window, authenticated or not; 0: no limit. */
  perAddress: number;
  windowMs: number;
  /**
   * `open`: while Redis is away, each instance counts in its own memory (the limits hold per instance,
   * so a client may get up to N times a limit across N instances) and the API stays up. `closed`:
   * limited requests are refused with 503 until Redis is back, for deployments where an unmetered
   * client is worse than an outage.
   */
  fail: RateLimitFailMode;
}

export type RateDecision =
  | { allowed: true }
  | { allowed: false; status: 429 | 503; code: ErrorCode.TOO_MANY_REQUESTS | ErrorCode.SERVICE_UNAVAILABLE; retryAfterSeconds: number; message: string };

const REDIS_PREFIX = 'cus:rate';
/** Retry-After while a fail-closed limiter cannot reach Redis. */
const UNAVAILABLE_RETRY_SECONDS = 5;

interface Rule {
  limiter: RateLimiterAbstract;
  limit: number;
  whose: string;
}

/**
 * Rate limits per principal and per client address (issue 8), fixed windows counted by
 * rate-limiter-flexible: in Redis when REDIS_URL is set, so every instance shares them (any Redis
 * that runs Lua, 2.6 or later), otherwise in this process.
 */
export class RateLimiter {
  private constructor(
    private readonly address: Rule | null,
    private readonly principal: Rule | null,
    private readonly limits: RateLimits,
    private readonly redis: Redis | null,
  ) {}

  /** A limiter on Redis (connected before it returns, or found unreachable and logged) or in memory. */
  static async create(limits: RateLimits, redisUrl: string | undefined, log: Logger): Promise<RateLimiter> {
    const limited = limits.perAddress > 0 || limits.perPrincipal > 0;
    const redis = redisUrl && limited ? await connect(redisUrl, limits.fail, log) : null;
    const duration = limits.windowMs / 1000;
    const rule = (points: number, kind: string, whose: string): Rule | null => {
      if (points <= 0) return null;
      const keyPrefix = `${REDIS_PREFIX}:${kind}`;
      if (!redis) return { limiter: new RateLimiterMemory({ points, duration, keyPrefix }), limit: points, whose };
      const limiter = new RateLimiterRedis({
        storeClient: redis,
        points,
        duration,
        keyPrefix,
        // Fail at once while the connection is down, rather than queue behind reconnecting.
        rejectIfRedisNotReady: true,
        // A key past its limit is refused from memory for the rest of its window: a flood costs Redis nothing.
        inMemoryBlockOnConsumed: points + 1,
        insuranceLimiter: limits.fail === 'open' ? new RateLimiterMemory({ points, duration, keyPrefix }) : undefined,
      });
      return { limiter, limit: points, whose };
    };
    return new RateLimiter(rule(limits.perAddress, 'address', 'from this address'), rule(limits.perPrincipal, 'principal', 'for this user'), limits, redis);
  }

  async check(subject: string | null, address: string): Promise<RateDecision> {
    const checks: [Rule | null, string | null][] = [
      [this.address, address],
      [this.principal, subject],
    ];
    for (const [rule, key] of checks) {
      if (!rule || key === null) continue;
      try {
        await rule.limiter.consume(key);
      } catch (outcome) {
        if (outcome instanceof RateLimiterRes) {
          const retryAfterSeconds = Math.max(1, Math.ceil(outcome.msBeforeNext / 1000));
          return {
            allowed: false,
            status: 429,
            code: ErrorCode.TOO_MANY_REQUESTS,
            retryAfterSeconds,
            message: `Too many requests ${rule.whose}: at most ${rule.limit} per ${this.limits.windowMs / 1000} s; retry after ${retryAfterSeconds} s`,
          };
        }
        // Only a fail-closed limiter gets here (an open one falls back to memory): Redis did not answer.
        return {
          allowed: false,
          status: 503,
          code: ErrorCode.SERVICE_UNAVAILABLE,
          retryAfterSeconds: UNAVAILABLE_RETRY_SECONDS,
          message: `Rate limits cannot be checked right now; retry after ${UNAVAILABLE_RETRY_SECONDS} s`,
        };
      }
    }
    return { allowed: true };
  }

  async close(): Promise<void> {
    this.redis?.disconnect();
  }
}

/** A Redis connection that keeps reconnecting in the background, logging when it goes and comes back. */
async function connect(url: string, fail: RateLimitFailMode, log: Logger): Promise<Redis> {
  const redis = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2000, commandTimeout: 1000 });
  let reachable = true;
  redis.on('error', (error: Error) => {
    if (!reachable) return;
    reachable = false;
    const meanwhile = fail === 'open' ? 'each instance counts in its own memory' : 'limited requests are refused with 503';
    log.warn(`rate limits: Redis cannot be reached; until it is, ${meanwhile} (RATE_LIMIT_FAIL=${fail})`, { error: error.message });
  });
  redis.on('ready', () => {
    if (!reachable) log.info('rate limits: Redis reachable again');
    reachable = true;
  });
  await redis.connect().catch(() => undefined);
  return redis;
}
