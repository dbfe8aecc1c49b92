import type { RequestContext } from '../../platform/graphql/context.js';
import { badInput } from '../../platform/graphql/errors.js';
import { UserErrorCode, UserErrors } from '../../platform/graphql/user-error.js';
import { tercToId } from '../../platform/auth/principal.js';
import { addDays, todayInPoland } from '../common/dates.js';
import { flushUnlessDuplicate } from '../common/duplicate.js';
import { findVisible } from '../common/find.js';
import { blank, ok, refuse, type Result } from '../common/result.js';
import { GminaClosedDay } from './closed-day.entity.js';
import type { GminaClosedDayDeclareInput, GminaClosedDayWithdrawInput } from './closed-day.inputs.js';

/** How many days a listing of closed days covers at most. */
export const MAX_CLOSED_DAYS_SPAN = 366;

/**
 * Declares a day closed in one of the director's gminy; checked whole, nothing written on a refusal. A public holiday
 * may be declared too (it changes nothing): refusing it would make a director check the calendar first.
 */
export async function declareClosedDay(ctx: RequestContext, input: GminaClosedDayDeclareInput): Promise<Result<GminaClosedDay>> {
  const errors = new UserErrors();
  const gminaId = tercToId(input.gmina);
  if (!ctx.principal.gminy.includes(gminaId)) errors.add('gmina', 'No such gmina among those your centre serves', UserErrorCode.NOT_FOUND);
  const today = todayInPoland();
  if (input.day < today) errors.add('day', `A closed day is declared ahead: not before today (${today})`, UserErrorCode.OUT_OF_RANGE);
  if (blank(input.reason)) errors.add('reason', 'Say why the gmina closes that day', UserErrorCode.REQUIRED);
  if (!errors.any && (await ctx.em.count(GminaClosedDay, { gminaId, day: input.day })) > 0) {
    errors.add('day', `${input.day} is declared closed already`, UserErrorCode.DUPLICATE);
  }
  if (errors.any) return refuse(errors);
  const closedDay = ctx.em.create(GminaClosedDay, { gminaId, day: input.day, reason: input.reason.trim(), declaredBy: ctx.principal.subject });
  // Two directors declaring the same day at once both pass the check above; the unique key decides.
  if (await flushUnlessDuplicate(ctx, 'gmina_closed_day_gmina_id_day_key')) return ok(closedDay);
  errors.add('day', `${input.day} is declared closed already`, UserErrorCode.DUPLICATE);
  return refuse(errors);
}

/** Withdraws a closed day still to come: it is a working day again. A past one stays, as history. */
export async function withdrawClosedDay(ctx: RequestContext, input: GminaClosedDayWithdrawInput): Promise<Result<GminaClosedDay>> {
  const errors = new UserErrors();
  const closedDay = await findVisible(ctx, GminaClosedDay, input.id, 'id', errors, 'closed day');
  if (closedDay && closedDay.day < todayInPoland()) errors.add('id', `${closedDay.day} has passed: it stays closed in the record`, UserErrorCode.NOT_ALLOWED);
  if (!closedDay || errors.any) return refuse(errors);
  await ctx.em.nativeDelete(GminaClosedDay, { id: closedDay.id });
  return ok(closedDay);
}

/** The closed days the caller may read between two days (inclusive), by day and gmina; of one gmina when given. */
export async function closedDaysBetween(ctx: RequestContext, from: string, to: string, gmina?: string | null): Promise<GminaClosedDay[]> {
  if (to < from) throw badInput('to must not be before from');
  if (to > addDays(from, MAX_CLOSED_DAYS_SPAN - 1)) throw badInput(`A listing covers at most ${MAX_CLOSED_DAYS_SPAN} days`);
  const where = { day: { $gte: from, $lte: to }, ...(gmina ? { gminaId: tercToId(gmina) } : {}) };
  return ctx.em.find(GminaClosedDay, where, { orderBy: [{ day: 'asc' }, { gminaId: 'asc' }] });
}
