import { rawAsOwner } from './app.js';
import { addDays, today } from './fixtures.js';
import { fromGlobalId } from '../../src/platform/graphql/node.js';

/**
 * Sessions that took place are not recorded ahead of time (IN_FUTURE: later than now in Poland), so a
 * session "today at 09:00" is refused when a suite runs at eight in the morning. Suites record on a
 * past day instead, which the API alone cannot reach: a plan is active from the day it is activated,
 * and a commission ACTIVE from the day it is activated. These move them back, as the owner (as
 * tests/settlement.test.ts does for past months), so that SESSION_DAY lies within both.
 */
export const DAYS_BACK = 7;

/** The day suites record sessions on: yesterday in Poland, in the past at any time of day. */
export const sessionDay = (): string => addDays(today(), -1);

/**
 * Moves a plan (`Ipus` id) `days` back as a whole: its period, agreement and activation, and every
 * item's start and end, so the plan's rules see the same plan, only begun earlier.
 */
export async function movePlanBack(planId: string, days = DAYS_BACK): Promise<void> {
  const key = fromGlobalId(planId).key;
  await rawAsOwner(
    `update ipus set period_start = period_start - $2::int, period_end = period_end - $2::int,
      agreed_on = agreed_on - $2::int, activated_on = activated_on - $2::int where id = $1`,
    [key, days],
  );
  await rawAsOwner(`update ipus_item set start_on = start_on - $2::int, end_on = end_on - $2::int where ipus_id = $1`, [key, days]);
}

/** Moves the statuses a commission (`Commission` id) has taken so far `days` back: ACTIVE since then, not only since today. */
export async function moveCommissionBack(commissionId: string, days = DAYS_BACK): Promise<void> {
  await rawAsOwner(`update commission_status_history set since = since - $2::int where commission_id = $1`, [fromGlobalId(commissionId).key, days]);
}
