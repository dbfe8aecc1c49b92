import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';

const HOUR_MS = 3_600_000;

/** Seconds from `now` to the end of its clock hour: when a per-hour counter starts again. */
export function secondsToNextHour(now: number = Date.now()): number {
  return Math.max(1, Math.ceil((HOUR_MS - (now % HOUR_MS)) / 1000));
}

export type Slot = { granted: true; release: () => void } | { granted: false; retryAfter: number };

/**
 * At most `limit` responses per client address and survey link in any sliding hour, counted in this
 * process's memory only: the address is never written anywhere, and the map is keyed by a hash of
 * address and token, so not even a heap dump lists who answered which survey. Expired entries are
 * pruned periodically, so the map holds at most the last hour's clients.
 */
export class AddressRateLimiter {
  private readonly hits = new Map<string, number[]>();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly limit: number,
    private readonly windowMs = HOUR_MS,
    private readonly now: () => number = Date.now,
  ) {
    this.timer = setInterval(() => this.prune(), Math.min(windowMs, 5 * 60_000));
    this.timer.unref();
  }

  /** Takes one slot for this address and link; `release` gives it back if the response was not stored. */
  take(address: string, token: string): Slot {
    const key = createHash('sha256').update(`${address}\n${token}`).digest('base64url');
    const now = this.now();
    const recent = (this.hits.get(key) ?? []).filter((at) => at > now - this.windowMs);
    if (recent.length >= this.limit) {
      this.hits.set(key, recent);
      return { granted: false, retryAfter: Math.max(1, Math.ceil((recent[0] + this.windowMs - now) / 1000)) };
    }
    recent.push(now);
    this.hits.set(key, recent);
    return {
      granted: true,
      release: () => {
        const list = this.hits.get(key);
        const at = list?.indexOf(now) ?? -1;
        if (list && at >= 0) list.splice(at, 1);
      },
    };
  }

  /** Drops timestamps older than the window, and keys left with none. */
  prune(): void {
    const cutoff = this.now() - this.windowMs;
    for (const [key, list] of this.hits) {
      const recent = list.filter((at) => at > cutoff);
      if (recent.length === 0) this.hits.delete(key);
      else this.hits.set(key, recent);
    }
  }

  get size(): number {
    return this.hits.size;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/**
 * Counts one response against the survey link's budget for the current clock hour, in the database
 * so every server instance shares it: survey_rate holds one row per link, the current hour's count,
 * started again at 1 when the hour has changed and otherwise increased only while below `limit`.
 * Returns false (and changes nothing) when the hour's budget is spent. It runs in the response's own
 * transaction, so a response that is not stored is not counted either. Past hours are not kept
 * (expireLinkCounts), so the table tells no more about when people answered than the current hour.
 */
export async function takeLinkSlot(em: EntityManager, survey: { id: string; gminaId: number }, limit: number): Promise<boolean> {
  if (limit < 1) return false;
  const rows = await em.execute<{ responses: number }[]>(
    `insert into survey_rate (survey_id, gmina_id, window_start, responses)
     values (?, ?, date_trunc('hour', now()), 1)
     on conflict (survey_id) do update set
       responses = case when survey_rate.window_start = excluded.window_start then survey_rate.responses + 1 else 1 end,
       window_start = excluded.window_start
     where survey_rate.window_start <> excluded.window_start or survey_rate.responses < ?
     returning responses`,
    [survey.id, survey.gminaId, limit],
  );
  return rows.length === 1;
}

/** How often each server erases the flood guard's counts of hours gone by. */
export const EXPIRE_EVERY_MS = 5 * 60_000;

/** Erases the per-link counts of past clock hours (app.survey_rate_expire, which any server may run). */
export async function expireLinkCounts(em: EntityManager): Promise<void> {
  await em.execute('select app.survey_rate_expire()');
}
