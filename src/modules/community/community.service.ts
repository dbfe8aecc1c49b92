import type { EntityClass } from '@mikro-orm/core';
import type { RequestContext } from '../../platform/graphql/context.js';
import { uuidFromGlobalId } from '../../platform/graphql/node.js';
import { UserErrorCode, UserErrors } from '../../platform/graphql/user-error.js';
import { todayInPoland } from '../common/dates.js';
import { Weekday } from '../common/domain.enums.js';
import { findVisible, isCurrentVersion } from '../common/find.js';
import { changeStatus, checkMove, type Moves } from '../common/transitions.js';
import { blank, ok, refuse, textOrNull, type Result } from '../common/result.js';
import { checkWeeklyHours, hhmm } from '../common/weekly-hours.js';
import { CusUnit } from '../cus-unit/cus-unit.entity.js';
import { CommunityActivity, CommunityActivityKind, CommunityActivityStatus } from './community-activity.entity.js';
import { CommunityPlan, CommunityPlanStatus } from './community-plan.entity.js';
import type {
  CommunityActivityCancelInput,
  CommunityActivityCreateInput,
  CommunityActivityRecordOutcomeInput,
  CommunityActivityUpdateInput,
  CommunityPlanArchiveInput,
  CommunityPlanCreateInput,
  CommunityPlanUpdateInput,
  CommunityRecurrenceInput,
} from './community.inputs.js';
import { communityLocationById } from './community.loader.js';

const WEEK_ORDER = Object.values(Weekday);

/** A row the principal can see, at the version the client last read; another gmina's is NOT_FOUND. */
async function findVersioned<T extends CommunityPlan | CommunityActivity>(
  ctx: RequestContext,
  entity: EntityClass<T>,
  input: { id: string; version: number },
  errors: UserErrors,
): Promise<T | null> {
  const label = (entity as unknown) === CommunityPlan ? 'plan' : 'activity';
  const row = await findVisible(ctx, entity, input.id, 'id', errors, label);
  return row && isCurrentVersion(row, input.version, errors, label) ? row : null;
}

// --- plans

interface PlanValues {
  title: string;
  periodStart: string;
  periodEnd: string;
  aims: string[];
}

function checkPlan(values: PlanValues, errors: UserErrors): void {
  if (blank(values.title)) errors.add('title', 'Title is required', UserErrorCode.REQUIRED);
  if (values.periodEnd < values.periodStart) errors.add('periodEnd', 'The period must not end before it starts', UserErrorCode.OUT_OF_RANGE);
  if (values.aims.length === 0) errors.add('aims', 'Name at least one aim', UserErrorCode.REQUIRED);
  values.aims.forEach((aim, i) => {
    if (blank(aim)) errors.add(`aims.${i}`, 'An aim must not be blank', UserErrorCode.REQUIRED);
  });
}

export async function createCommunityPlan(ctx: RequestContext, input: CommunityPlanCreateInput): Promise<Result<CommunityPlan>> {
  const errors = new UserErrors();
  const unit = await findVisible(ctx, CusUnit, input.cusUnitId, 'cusUnitId', errors, 'CUS unit');
  const values: PlanValues = { title: input.title, periodStart: input.periodStart, periodEnd: input.periodEnd, aims: input.aims };
  checkPlan(values, errors);
  if (!unit || errors.any) return refuse(errors);
  const plan = ctx.em.create(CommunityPlan, {
    gminaId: unit.gminaId,
    cusUnitId: unit.id,
    title: values.title.trim(),
    periodStart: values.periodStart,
    periodEnd: values.periodEnd,
    aims: values.aims.map((a) => a.trim()),
  });
  await ctx.em.flush();
  return ok(plan);
}

/** What a community plan may do, or have done to it, in which status: an archived one takes no changes and no new activities. */
const PLAN_MOVES = {
  edit: { from: [CommunityPlanStatus.ACTIVE], what: 'editing' },
  take: { from: [CommunityPlanStatus.ACTIVE], what: 'taking an activity' },
  archive: { from: [CommunityPlanStatus.ACTIVE], to: CommunityPlanStatus.ARCHIVED, what: 'archiving' },
} satisfies Moves<CommunityPlanStatus>;

/** What a community activity may do in which status: a cancelled one no longer changes. */
const ACTIVITY_MOVES = {
  edit: { from: [CommunityActivityStatus.PLANNED, CommunityActivityStatus.HELD], what: 'editing' },
  hold: { from: [CommunityActivityStatus.PLANNED], to: CommunityActivityStatus.HELD, what: 'recording the outcome' },
  cancel: { from: [CommunityActivityStatus.PLANNED], to: CommunityActivityStatus.CANCELLED, what: 'cancellation' },
} satisfies Moves<CommunityActivityStatus>;

export async function updateCommunityPlan(ctx: RequestContext, input: CommunityPlanUpdateInput): Promise<Result<CommunityPlan>> {
  const errors = new UserErrors();
  const plan = await findVersioned(ctx, CommunityPlan, input, errors);
  if (!plan) return refuse(errors);
  if (!checkMove('plan', plan.status, PLAN_MOVES.edit, errors)) return refuse(errors);
  const values: PlanValues = {
    title: input.title ?? plan.title,
    periodStart: input.periodStart ?? plan.periodStart,
    periodEnd: input.periodEnd ?? plan.periodEnd,
    aims: input.aims ?? plan.aims,
  };
  checkPlan(values, errors);
  if (!errors.any && (values.periodStart !== plan.periodStart || values.periodEnd !== plan.periodEnd)) {
    // The plan's activities must stay inside its period.
    const outside = await ctx.em.count(CommunityActivity, {
      planId: plan.id,
      $or: [{ startsOn: { $lt: values.periodStart } }, { startsOn: { $gt: values.periodEnd } }, { endsOn: { $gt: values.periodEnd } }],
    });
    if (outside > 0) errors.add('periodStart', `${outside} of the plan's activities would fall outside the new period`, UserErrorCode.OUT_OF_RANGE);
  }
  if (errors.any) return refuse(errors);
  ctx.em.assign(plan, { ...values, title: values.title.trim(), aims: values.aims.map((a) => a.trim()) });
  await ctx.em.flush();
  return ok(plan);
}

export async function archiveCommunityPlan(ctx: RequestContext, input: CommunityPlanArchiveInput): Promise<Result<CommunityPlan>> {
  const errors = new UserErrors();
  return changeStatus(ctx, 'plan', await findVersioned(ctx, CommunityPlan, input, errors), PLAN_MOVES.archive, errors);
}

// --- activities

interface ActivityValues {
  planId: string | null;
  title: string;
  kind: CommunityActivityKind;
  startsOn: string;
  endsOn: string | null;
  weekdays: Weekday[] | null;
  startsAtTime: string | null;
  endsAtTime: string | null;
  locationId: string | null;
  organiser: string;
  volunteers: string[];
  participantsCount: number | null;
  outcome: string | null;
}

/**
 * Rules of an activity's own fields; `changed` says which references to check again (an existing
 * activity keeps its place even after the place is retired).
 */
async function checkActivity(
  ctx: RequestContext,
  unit: CusUnit,
  values: ActivityValues,
  changed: { plan: boolean; location: boolean },
  errors: UserErrors,
): Promise<void> {
  if (blank(values.title)) errors.add('title', 'Title is required', UserErrorCode.REQUIRED);
  if (blank(values.organiser)) errors.add('organiser', 'Name who organises it', UserErrorCode.REQUIRED);
  values.volunteers.forEach((name, i) => {
    if (blank(name)) errors.add(`volunteers.${i}`, "A volunteer's name must not be blank", UserErrorCode.REQUIRED);
  });
  if (values.participantsCount !== null && values.participantsCount < 0) {
    errors.add('participantsCount', 'Must not be negative', UserErrorCode.OUT_OF_RANGE);
  }
  if (values.endsOn !== null && values.endsOn < values.startsOn) errors.add('endsOn', 'Must not be before startsOn', UserErrorCode.OUT_OF_RANGE);
  if (values.weekdays) {
    if (values.endsOn === null) errors.add('endsOn', 'A recurring activity needs its last day', UserErrorCode.REQUIRED);
    checkWeeklyHours({ weekdays: values.weekdays, startsAt: values.startsAtTime ?? '', endsAt: values.endsAtTime ?? '' }, errors, 'recurrence');
  } else if (values.endsAtTime !== null) {
    if (values.startsAtTime === null) errors.add('startsAt', 'Give the start time with the end time', UserErrorCode.REQUIRED);
    else if (hhmm(values.endsAtTime) <= hhmm(values.startsAtTime)) errors.add('endsAt', 'Must be later than the start time', UserErrorCode.OUT_OF_RANGE);
  }

  if (values.planId) {
    const plan = await ctx.em.findOne(CommunityPlan, { id: values.planId });
    if (!plan) {
      errors.add('planId', 'No such plan', UserErrorCode.NOT_FOUND);
    } else if (plan.cusUnitId !== unit.id) {
      errors.add('planId', 'The plan belongs to another CUS unit', UserErrorCode.INVALID);
    } else {
      if (changed.plan) checkMove('plan', plan.status, PLAN_MOVES.take, errors, 'planId');
      const lastDay = values.endsOn ?? values.startsOn;
      if (values.startsOn < plan.periodStart || values.startsOn > plan.periodEnd) {
        errors.add('startsOn', `Must lie in the plan's period ${plan.periodStart} to ${plan.periodEnd}`, UserErrorCode.OUT_OF_RANGE);
      } else if (lastDay > plan.periodEnd) {
        errors.add('endsOn', `Must lie in the plan's period ${plan.periodStart} to ${plan.periodEnd}`, UserErrorCode.OUT_OF_RANGE);
      }
    }
  }

  if (values.locationId && changed.location) {
    const location = await communityLocationById(ctx).load(values.locationId);
    if (!location) errors.add('locationId', 'No such place', UserErrorCode.NOT_FOUND);
    else if (location.retiredAt) errors.add('locationId', 'The place is retired', UserErrorCode.NOT_ALLOWED);
    else if (!unit.servedGminaIds.includes(location.gminaId))
      errors.add('locationId', 'The place is in a gmina the unit does not serve', UserErrorCode.INVALID);
  }
}

const sortedDays = (days: Weekday[]): Weekday[] => [...days].sort((a, b) => WEEK_ORDER.indexOf(a) - WEEK_ORDER.indexOf(b));

/** A recurrence and single-event times are alternatives: a recurrence carries its own times. */
function checkTimesGivenOnce(recurrence: CommunityRecurrenceInput | null | undefined, startsAt: unknown, endsAt: unknown, errors: UserErrors): void {
  if (recurrence && ((startsAt ?? null) !== null || (endsAt ?? null) !== null)) {
    errors.add('startsAt', 'A recurring activity takes its times from recurrence', UserErrorCode.INVALID);
  }
}

export async function createCommunityActivity(ctx: RequestContext, input: CommunityActivityCreateInput): Promise<Result<CommunityActivity>> {
  const errors = new UserErrors();
  const unit = await findVisible(ctx, CusUnit, input.cusUnitId, 'cusUnitId', errors, 'CUS unit');
  checkTimesGivenOnce(input.recurrence, input.startsAt, input.endsAt, errors);
  const values: ActivityValues = {
    planId: input.planId ? uuidFromGlobalId(input.planId, 'CommunityPlan', 'planId') : null,
    title: input.title,
    kind: input.kind,
    startsOn: input.startsOn,
    endsOn: input.endsOn ?? null,
    weekdays: input.recurrence ? sortedDays(input.recurrence.weekdays) : null,
    startsAtTime: input.recurrence?.startsAt ?? input.startsAt ?? null,
    endsAtTime: input.recurrence?.endsAt ?? input.endsAt ?? null,
    locationId: input.locationId ? uuidFromGlobalId(input.locationId, 'Location', 'locationId') : null,
    organiser: input.organiser,
    volunteers: input.volunteers ?? [],
    participantsCount: input.participantsCount ?? null,
    outcome: textOrNull(input.outcome),
  };
  if (unit) await checkActivity(ctx, unit, values, { plan: true, location: true }, errors);
  if (!unit || errors.any) return refuse(errors);
  const activity = ctx.em.create(CommunityActivity, {
    ...values,
    gminaId: unit.gminaId,
    cusUnitId: unit.id,
    title: values.title.trim(),
    organiser: values.organiser.trim(),
    volunteers: values.volunteers.map((v) => v.trim()),
  });
  await ctx.em.flush();
  return ok(activity);
}

/** The value to store for an optional field: unchanged when absent, cleared by null. */
const patch = <T>(given: T | null | undefined, current: T | null): T | null => (given === undefined ? current : given);

export async function updateCommunityActivity(ctx: RequestContext, input: CommunityActivityUpdateInput): Promise<Result<CommunityActivity>> {
  const errors = new UserErrors();
  const activity = await findVersioned(ctx, CommunityActivity, input, errors);
  if (!activity) return refuse(errors);
  if (!checkMove('activity', activity.status, ACTIVITY_MOVES.edit, errors)) return refuse(errors);
  const recurring = input.recurrence === undefined ? activity.weekdays !== null : input.recurrence !== null;
  if (recurring && !input.recurrence && ((input.startsAt ?? null) !== null || (input.endsAt ?? null) !== null)) {
    errors.add('startsAt', 'A recurring activity changes its times through recurrence', UserErrorCode.INVALID);
  }
  checkTimesGivenOnce(input.recurrence, input.startsAt, input.endsAt, errors);
  const planId = input.planId === undefined ? activity.planId : input.planId === null ? null : uuidFromGlobalId(input.planId, 'CommunityPlan', 'planId');
  const locationId =
    input.locationId === undefined ? activity.locationId : input.locationId === null ? null : uuidFromGlobalId(input.locationId, 'Location', 'locationId');
  const values: ActivityValues = {
    planId,
    title: input.title ?? activity.title,
    kind: input.kind ?? activity.kind,
    startsOn: input.startsOn ?? activity.startsOn,
    endsOn: patch(input.endsOn, activity.endsOn),
    weekdays: input.recurrence === undefined ? activity.weekdays : input.recurrence ? sortedDays(input.recurrence.weekdays) : null,
    startsAtTime: input.recurrence ? input.recurrence.startsAt : patch(input.startsAt, activity.startsAtTime),
    endsAtTime: input.recurrence ? input.recurrence.endsAt : patch(input.endsAt, activity.endsAtTime),
    locationId,
    organiser: input.organiser ?? activity.organiser,
    volunteers: input.volunteers ?? activity.volunteers,
    participantsCount: patch(input.participantsCount, activity.participantsCount),
    outcome: input.outcome === undefined ? activity.outcome : textOrNull(input.outcome),
  };
  const unit = (await ctx.em.findOne(CusUnit, { id: activity.cusUnitId })) as CusUnit;
  await checkActivity(ctx, unit, values, { plan: planId !== activity.planId, location: locationId !== activity.locationId }, errors);
  if (errors.any) return refuse(errors);
  ctx.em.assign(activity, {
    ...values,
    title: values.title.trim(),
    organiser: values.organiser.trim(),
    volunteers: values.volunteers.map((v) => v.trim()),
  });
  await ctx.em.flush();
  return ok(activity);
}

export async function recordActivityOutcome(ctx: RequestContext, input: CommunityActivityRecordOutcomeInput): Promise<Result<CommunityActivity>> {
  const errors = new UserErrors();
  const activity = await findVersioned(ctx, CommunityActivity, input, errors);
  if (!activity) return refuse(errors);
  if (!checkMove('activity', activity.status, ACTIVITY_MOVES.hold, errors)) return refuse(errors);
  if (activity.startsOn > todayInPoland()) errors.add('id', 'The activity has not started yet', UserErrorCode.NOT_ALLOWED);
  if (input.participantsCount < 0) errors.add('participantsCount', 'Must not be negative', UserErrorCode.OUT_OF_RANGE);
  if (blank(input.outcome)) errors.add('outcome', 'Describe the outcome', UserErrorCode.REQUIRED);
  if (errors.any) return refuse(errors);
  ctx.em.assign(activity, { status: CommunityActivityStatus.HELD, participantsCount: input.participantsCount, outcome: input.outcome.trim() });
  await ctx.em.flush();
  return ok(activity);
}

export async function cancelCommunityActivity(ctx: RequestContext, input: CommunityActivityCancelInput): Promise<Result<CommunityActivity>> {
  const errors = new UserErrors();
  return changeStatus(ctx, 'activity', await findVersioned(ctx, CommunityActivity, input, errors), ACTIVITY_MOVES.cancel, errors);
}
