import type { RequestContext } from '../../platform/graphql/context.js';
import { uuidFromGlobalId } from '../../platform/graphql/node.js';
import { UserErrorCode, type UserErrors } from '../../platform/graphql/user-error.js';
import { locationById } from '../catalogue/location.loader.js';
import { ServiceStatus } from '../catalogue/service.entity.js';
import { serviceById } from '../catalogue/service.loader.js';
import { addDays, addMonths } from '../common/dates.js';
import { textOrNull } from '../common/result.js';
import { checkWeeklyHours } from '../common/weekly-hours.js';
import { partnerById, partnerStandingIn } from '../partner/partner.loader.js';
import { PlaceKind, ProviderKind } from './ipus.enums.js';
import type { IpusGoalInput, IpusItemInput, IpusSupportingActionInput } from './ipus.inputs.js';
import type { IpusGoal, IpusItem, IpusSupportingAction } from './ipus-parts.entity.js';
import { assignCommissions, type AssignmentRequest } from '../commission/commission-assignment.js';

/** At least 3 months and at most 12, counted inclusively (1 Jan to 31 Mar is 3 months), as the database checks. */
export function checkPeriod(start: string, end: string, errors: UserErrors): void {
  const shortest = addDays(addMonths(start, 3), -1);
  const longest = addDays(addMonths(start, 12), -1);
  if (end < shortest) errors.add('periodEnd', `A plan covers at least 3 months: from ${start} it ends on ${shortest} or later`, UserErrorCode.OUT_OF_RANGE);
  if (end > longest) errors.add('periodEnd', `A plan covers at most 12 months: from ${start} it ends on ${longest} or earlier`, UserErrorCode.OUT_OF_RANGE);
}

export interface PlanFrame {
  /** Null while the plan is being created. */
  ipusId: string | null;
  residentId: string;
  gminaId: number;
  cusUnitId: string;
  periodStart: string;
  periodEnd: string;
  /** Whether the plan's items hold capacity under their commissions now (an approved or active plan). */
  holdsCapacity: boolean;
}

export type GoalRow = Pick<IpusGoal, 'id' | 'position' | 'description'>;
export type ActionRow = Pick<IpusSupportingAction, 'position' | 'description' | 'giverKind' | 'giverName' | 'schedule'>;
export type ItemRow = Omit<IpusItem, 'gminaId' | 'ipusId' | 'globalId' | 'quantityValue' | 'id'> & { id: string | null; goalNumber: number | null };

/** Goals in order; an id keeps an existing goal of this plan. */
export function checkGoals(goals: IpusGoalInput[], existing: IpusGoal[], errors: UserErrors): GoalRow[] {
  const known = new Map(existing.map((g) => [g.id, g]));
  return goals.map((goal, i) => {
    const description = textOrNull(goal.description);
    if (description === null) errors.add(['goals', String(i), 'description'], 'Describe the goal', UserErrorCode.REQUIRED);
    let id: string = '';
    if (goal.id) {
      id = uuidFromGlobalId(goal.id, 'IpusGoal', 'goals.id');
      if (!known.has(id)) errors.add(['goals', String(i), 'id'], 'No such goal in this plan', UserErrorCode.NOT_FOUND);
    }
    return { id, position: i + 1, description: description ?? '' };
  });
}

export function checkActions(actions: IpusSupportingActionInput[], errors: UserErrors): ActionRow[] {
  return actions.map((action, i) => {
    const description = textOrNull(action.description);
    if (description === null) errors.add(['supportingActions', String(i), 'description'], 'Describe the supporting action', UserErrorCode.REQUIRED);
    return {
      position: i + 1,
      description: description ?? '',
      giverKind: action.giverKind,
      giverName: textOrNull(action.giverName),
      schedule: textOrNull(action.schedule),
    };
  });
}

/** Whether an adopted programme of the gmina lists the service on that day (DOMAIN.md, "Programmes"). */
async function inForce(ctx: RequestContext, serviceId: string, gminaId: number, day: string): Promise<boolean> {
  const rows = await ctx.em.execute<{ found: boolean }[]>(
    `select exists (select 1 from programme_service ps join programme p on p.id = ps.programme_id
       where ps.service_id = ? and p.gmina_id = ? and p.period_start <= ? and p.period_end >= ?
         and (p.status = 'ADOPTED' or (p.status = 'EXPIRED' and p.expired_on > ?))) as found`,
    [serviceId, gminaId, day, day, day],
  );
  return rows[0]?.found === true;
}

/**
 * Items of a plan: inside its period, a service that is active, offered in the plan's gmina and in
 * force under a programme on the item's first and last day, a provider and a place that exist, and
 * a schedule that is either weekly or a number of sessions.
 */
export async function checkItems(
  ctx: RequestContext,
  plan: PlanFrame,
  items: IpusItemInput[],
  existing: IpusItem[],
  goalCount: number,
  errors: UserErrors,
): Promise<ItemRow[]> {
  const known = new Map(existing.map((item) => [item.id, item]));
  const rows: ItemRow[] = [];
  const assignments: AssignmentRequest[] = [];
  for (const [i, item] of items.entries()) {
    const at = (field: string) => ['items', String(i), field];
    let id: string | null = null;
    if (item.id) {
      id = uuidFromGlobalId(item.id, 'IpusItem', 'items.id');
      if (!known.has(id)) errors.add(at('id'), 'No such item in this plan', UserErrorCode.NOT_FOUND);
      else if (rows.some((row) => row.id === id)) errors.add(at('id'), 'The item is listed twice', UserErrorCode.DUPLICATE);
    }
    if (item.goal !== null && item.goal !== undefined && (item.goal < 1 || item.goal > goalCount)) {
      errors.add(at('goal'), `The plan has ${goalCount} goal(s); name one of 1..${goalCount}`, UserErrorCode.OUT_OF_RANGE);
    }
    if (item.startOn < plan.periodStart || item.endOn > plan.periodEnd) {
      errors.add(at('startOn'), `An item lies within the plan's period (${plan.periodStart} to ${plan.periodEnd})`, UserErrorCode.OUT_OF_RANGE);
    }
    if (item.endOn < item.startOn) errors.add(at('endOn'), 'Must not be before startOn', UserErrorCode.OUT_OF_RANGE);
    if (!(item.quantity > 0) || !Number.isFinite(item.quantity) || item.quantity >= 1e8)
      errors.add(at('quantity'), 'Must be a positive number', UserErrorCode.OUT_OF_RANGE);

    const serviceId = uuidFromGlobalId(item.serviceId, 'Service', 'items.serviceId');
    const service = await serviceById(ctx).load(serviceId);
    if (!service) {
      errors.add(at('serviceId'), 'No such service', UserErrorCode.NOT_FOUND);
    } else if (service.status !== ServiceStatus.ACTIVE) {
      errors.add(at('serviceId'), `${service.name} is ${service.status}; a plan uses active services only`, UserErrorCode.NOT_ALLOWED);
    } else if (!service.gminaIds.includes(plan.gminaId)) {
      errors.add(at('serviceId'), `${service.name} is not offered in the resident's gmina`, UserErrorCode.NOT_ALLOWED);
    } else {
      for (const day of new Set([item.startOn, item.endOn])) {
        if (!(await inForce(ctx, serviceId, plan.gminaId, day))) {
          errors.add(at('serviceId'), `${service.name} is not in force under an adopted programme of the gmina on ${day}`, UserErrorCode.NOT_ALLOWED);
          break;
        }
      }
    }

    let partnerId: string | null = null;
    const providerUnitName = textOrNull(item.providerUnitName);
    if (item.provider === ProviderKind.PARTNER) {
      if (!item.partnerId) errors.add(at('partnerId'), 'Name the partner that provides the service', UserErrorCode.REQUIRED);
      else {
        partnerId = uuidFromGlobalId(item.partnerId, 'Partner', 'items.partnerId');
        const partner = await partnerById(ctx).load(partnerId);
        if (!partner) errors.add(at('partnerId'), 'No such partner', UserErrorCode.NOT_FOUND);
        else {
          // The plan's gmina's own relationship decides: a partner it retired takes no new items there
          // (an item it already had keeps its partner until the plan changes who provides it).
          const standing = await partnerStandingIn(ctx, partner, [plan.gminaId]);
          const kept = id !== null && known.get(id)?.partnerId === partnerId;
          if (!standing.works) errors.add(at('partnerId'), `${partner.name} does not work in the resident's gmina`, UserErrorCode.NOT_ALLOWED);
          else if (!standing.active && !kept) errors.add(at('partnerId'), `${partner.name} is retired in the resident's gmina`, UserErrorCode.NOT_ALLOWED);
        }
      }
    } else if (item.partnerId) errors.add(at('partnerId'), 'Only a PARTNER provider names a partner', UserErrorCode.INVALID);
    if (item.provider === ProviderKind.GMINA_UNIT && providerUnitName === null)
      errors.add(at('providerUnitName'), 'Name the gmina unit', UserErrorCode.REQUIRED);

    let locationId: string | null = null;
    if (item.place === PlaceKind.LOCATION) {
      if (!item.locationId) errors.add(at('locationId'), 'Name the place', UserErrorCode.REQUIRED);
      else {
        locationId = uuidFromGlobalId(item.locationId, 'Location', 'items.locationId');
        if (!(await locationById(ctx).load(locationId))) errors.add(at('locationId'), 'No such place', UserErrorCode.NOT_FOUND);
      }
    } else if (item.locationId) errors.add(at('locationId'), 'Only a LOCATION place names a place', UserErrorCode.INVALID);

    const weekly = item.weekly ?? null;
    const sessions = item.sessionCount ?? null;
    if ((weekly === null) === (sessions === null)) {
      errors.add(at('weekly'), 'Give either a weekly recurrence or a number of sessions', UserErrorCode.REQUIRED);
    }
    if (weekly) checkWeeklyHours(weekly, errors, `items.${i}.weekly`);
    if (sessions !== null && sessions < 1) errors.add(at('sessionCount'), 'At least one session', UserErrorCode.OUT_OF_RANGE);

    if (partnerId && service && Number.isFinite(item.quantity)) {
      const was = id ? known.get(id) : undefined;
      const keepsTerms =
        was?.commissionId &&
        was.partnerId === partnerId &&
        was.serviceId === serviceId &&
        item.startOn >= was.startOn &&
        item.endOn <= was.endOn &&
        item.quantity <= Number(was.quantity) &&
        item.quantityUnit === was.quantityUnit;
      assignments.push({
        index: i,
        partnerId,
        serviceId,
        startOn: item.startOn,
        endOn: item.endOn,
        quantity: item.quantity,
        quantityUnit: item.quantityUnit,
        commissionId: item.commissionId ? uuidFromGlobalId(item.commissionId, 'Commission', 'items.commissionId') : null,
        keptCommissionId: keepsTerms ? was.commissionId : null,
      });
    } else if (item.commissionId && item.provider !== ProviderKind.PARTNER) {
      errors.add(at('commissionId'), 'Only a PARTNER provider works under a commission', UserErrorCode.INVALID);
    }

    rows.push({
      id,
      goalNumber: item.goal ?? null,
      goalId: null,
      position: i + 1,
      serviceId,
      providerKind: item.provider,
      partnerId,
      commissionId: null,
      providerUnitName: item.provider === ProviderKind.GMINA_UNIT ? providerUnitName : null,
      placeKind: item.place,
      locationId,
      weekdays: weekly?.weekdays ?? null,
      startsAt: weekly?.startsAt ?? null,
      endsAt: weekly?.endsAt ?? null,
      sessionCount: sessions,
      keepsHolidays: weekly?.keepsHolidays ?? false,
      startOn: item.startOn,
      endOn: item.endOn,
      quantity: String(item.quantity),
      quantityUnit: item.quantityUnit,
      note: textOrNull(item.note),
    });
  }
  if (!errors.any && assignments.length > 0) {
    const chosen = await assignCommissions(
      ctx,
      {
        ipusId: plan.ipusId,
        cusUnitId: plan.cusUnitId,
        residentId: plan.residentId,
        holdsCapacity: plan.holdsCapacity,
      },
      assignments,
      errors,
    );
    for (const [index, commissionId] of chosen) rows[index].commissionId = commissionId;
  }
  await checkDeliveredItems(ctx, rows, existing, errors);
  return rows;
}

/**
 * Items with deliveries recorded are history: they stay in the plan, with their partner, and
 * their dates keep covering what was delivered.
 */
async function checkDeliveredItems(ctx: RequestContext, rows: ItemRow[], existing: IpusItem[], errors: UserErrors): Promise<void> {
  if (existing.length === 0) return;
  const delivered = await ctx.em.execute<{ ipus_item_id: string; first: string; last: string }[]>(
    `select ipus_item_id, min(delivered_on)::text as first, max(delivered_on)::text as last from delivery
     where ipus_item_id = any (?::uuid[]) group by ipus_item_id`,
    [`{${existing.map((i) => i.id).join(',')}}`],
  );
  for (const d of delivered) {
    const was = existing.find((i) => i.id === d.ipus_item_id) as IpusItem;
    const index = rows.findIndex((row) => row.id === d.ipus_item_id);
    const row = rows[index];
    if (!row) {
      errors.add('items', `Item ${was.position} has deliveries recorded; it stays in the plan (end it earlier instead)`, UserErrorCode.NOT_ALLOWED);
    } else if (row.partnerId !== was.partnerId) {
      errors.add(
        ['items', String(index), 'partnerId'],
        'The item has deliveries recorded by its partner; add a new item for another provider',
        UserErrorCode.NOT_ALLOWED,
      );
    } else if (row.startOn > d.first || row.endOn < d.last) {
      errors.add(
        ['items', String(index), 'startOn'],
        `Deliveries are recorded from ${d.first} to ${d.last}; the item's dates must cover them`,
        UserErrorCode.OUT_OF_RANGE,
      );
    }
  }
}
