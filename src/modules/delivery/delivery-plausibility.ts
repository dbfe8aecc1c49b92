import type { RequestContext } from '../../platform/graphql/context.js';
import { Role } from '../../platform/auth/roles.js';
import { UserErrorCode, type UserErrors } from '../../platform/graphql/user-error.js';
import { DeliveryOutcome } from '../commission/commission.enums.js';
import { IpusStatus, QuantityUnit } from '../ipus/ipus.enums.js';

/**
 * Whether a session is plausible: one module for every recorder (a partner, the centre's staff) and
 * for recording and correcting alike. Each rule has its own code (README, "Deliveries"); nothing is
 * written when one fails. The rules that depend on other sessions (overlap, the daily maximum) are
 * checked under the person's lock, taken by app.delivery_plausibility and held to commit, and the
 * database's delivery_guard refuses an overlap whatever the application did.
 */

/** The item a session is recorded for, as the recorder sees it (a partner's assignment or an in-house item with its plan). */
export interface DeliveryTarget {
  itemId: string;
  /** The commission of a partner's item; null in house. */
  commissionId: string | null;
  planStatus: IpusStatus;
  planActivatedOn: string | null;
  planClosedOn: string | null;
  startOn: string;
  endOn: string;
  quantityUnit: QuantityUnit;
}

export interface Session {
  deliveredOn: string;
  startsAt: string;
  durationMinutes: number;
  outcome: DeliveryOutcome;
  note: string | null;
}

/** Outcomes that say the session took place (or was due and missed): not recorded ahead of time. */
const HAPPENED: readonly DeliveryOutcome[] = [DeliveryOutcome.DELIVERED, DeliveryOutcome.RESIDENT_ABSENT];
const RECORDABLE_PLANS: readonly IpusStatus[] = [IpusStatus.ACTIVE, IpusStatus.COMPLETED, IpusStatus.TERMINATED];

/**
 * The longest sane session of an item counted in sessions, days, meals or units; an item counted in
 * HOURS takes up to the daily maximum (its minutes are the hours delivered).
 */
export const SESSION_MAX_MINUTES: Readonly<Record<Exclude<QuantityUnit, typeof QuantityUnit.HOURS>, number>> = {
  [QuantityUnit.SESSIONS]: 240,
  [QuantityUnit.DAYS]: 720,
  [QuantityUnit.MEALS]: 120,
  [QuantityUnit.UNITS]: 240,
};

export function maxSessionMinutes(ctx: RequestContext, unit: QuantityUnit): number {
  return unit === QuantityUnit.HOURS ? ctx.settings.deliveryMaxMinutesPerDay : SESSION_MAX_MINUTES[unit];
}

const DUPLICATE_MESSAGE = 'A delivery of this item at this date and time is already recorded; correct that one instead';
export const OVERLAP_MESSAGE = 'The session overlaps another session of this item or of the same person; correct that one instead';

/** `HH:MM:SS` of a time given as `HH:MM` or `HH:MM:SS`. */
const fullTime = (time: string): string => (time.length === 5 ? `${time}:00` : time.slice(0, 8));

/** Now in Poland as `YYYY-MM-DD HH:MM:SS`: a session later today is in the future too. */
export function nowInPoland(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Europe/Warsaw',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).format(now);
}

/** The rules that need nothing but the session and its item. */
function checkAlone(ctx: RequestContext, target: DeliveryTarget, session: Session, itemField: string, errors: UserErrors): void {
  if (!RECORDABLE_PLANS.includes(target.planStatus)) {
    errors.add(itemField, `The plan is ${target.planStatus}; deliveries are recorded once it is active`, UserErrorCode.NOT_ALLOWED);
    return;
  }
  const from = target.planActivatedOn && target.planActivatedOn > target.startOn ? target.planActivatedOn : target.startOn;
  const to = target.planClosedOn && target.planClosedOn < target.endOn ? target.planClosedOn : target.endOn;
  if (session.deliveredOn < from || session.deliveredOn > to) {
    errors.add('deliveredOn', `The item runs from ${from} to ${to}; a delivery falls within it`, UserErrorCode.OUT_OF_RANGE);
  } else if (HAPPENED.includes(session.outcome) && `${session.deliveredOn} ${fullTime(session.startsAt)}` > nowInPoland()) {
    errors.add('deliveredOn', `A session that is ${session.outcome} cannot start later than now`, UserErrorCode.IN_FUTURE);
  }
  const max = maxSessionMinutes(ctx, target.quantityUnit);
  if (!Number.isInteger(session.durationMinutes) || session.durationMinutes < 1 || session.durationMinutes > max) {
    errors.add('durationMinutes', `A session of an item counted in ${target.quantityUnit} lasts from 1 to ${max} minutes`, UserErrorCode.OUT_OF_RANGE);
  }
  if (session.note !== null && session.note.length > 500) errors.add('note', 'At most 500 characters', UserErrorCode.OUT_OF_RANGE);
}

interface PlausibilityRow {
  day_minutes: number;
  overlap: 'ITEM' | 'PERSON' | null;
  commission_status: string | null;
}

/**
 * Every rule, in order: the session alone, then no duplicate of its start, then (under the person's
 * lock) the commission ACTIVE on the day, no overlap and the daily maximum. `exceptId`: the delivery
 * being corrected, which the others are compared without.
 */
export async function checkPlausibility(
  ctx: RequestContext,
  target: DeliveryTarget,
  session: Session,
  exceptId: string | null,
  itemField: string,
  errors: UserErrors,
): Promise<void> {
  checkAlone(ctx, target, session, itemField, errors);
  if (errors.any) return;
  const taken = await ctx.em.execute<{ taken: boolean }[]>(
    `select exists (select 1 from delivery where ipus_item_id = ? and delivered_on = ?::date and starts_at = ?::time and id is distinct from ?::uuid) as taken`,
    [target.itemId, session.deliveredOn, session.startsAt, exceptId],
  );
  if (taken[0]?.taken === true) {
    errors.add('startsAt', DUPLICATE_MESSAGE, UserErrorCode.DUPLICATE);
    return;
  }
  const [row] = await ctx.em.execute<PlausibilityRow[]>(
    `select day_minutes, overlap, commission_status from app.delivery_plausibility(?::uuid, ?::date, ?::time, ?::int, ?, ?::uuid)`,
    [target.itemId, session.deliveredOn, session.startsAt, session.durationMinutes, session.outcome, exceptId],
  );
  if (!row) {
    errors.add(itemField, 'You do not record deliveries of this item', UserErrorCode.NOT_ALLOWED);
    return;
  }
  if (target.commissionId !== null && row.commission_status !== 'ACTIVE') {
    errors.add(
      'deliveredOn',
      `The commission was ${row.commission_status ?? 'not yet made'} on ${session.deliveredOn}; a delivery falls on a day its commission was ACTIVE`,
      UserErrorCode.COMMISSION_NOT_ACTIVE,
    );
  }
  if (row.overlap !== null) errors.add('startsAt', OVERLAP_MESSAGE, UserErrorCode.OVERLAPPING);
  const max = ctx.settings.deliveryMaxMinutesPerDay;
  if (session.outcome === DeliveryOutcome.DELIVERED && row.day_minutes + session.durationMinutes > max) {
    errors.add(
      'durationMinutes',
      // A partner is not told the person's total: it counts other providers' sessions, which are not its to know.
      ctx.principal.role === Role.PARTNER
        ? `With this session the person would receive more than ${max} minutes of services on ${session.deliveredOn}, the daily maximum`
        : `The person would receive ${row.day_minutes + session.durationMinutes} minutes on ${session.deliveredOn}; at most ${max} a day`,
      UserErrorCode.DAILY_LIMIT_EXCEEDED,
    );
  }
}

/** Whether the database refused a write for an overlap (delivery_guard: delivery_item_overlap, delivery_person_overlap). */
export function isOverlapRefusal(error: unknown): boolean {
  return (error as { code?: string }).code === '23P01';
}
