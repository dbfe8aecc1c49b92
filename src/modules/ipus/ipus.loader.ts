import { groupByKeys, loader, type RequestContext } from '../../platform/graphql/context.js';
import { rowByKey, rowsByKey } from '../../platform/graphql/row-loaders.js';
import type { Resident } from '../resident/resident.entity.js';
import { Ipus } from './ipus.entity.js';
import { IpusGoal, IpusItem, IpusMonitoringNote, IpusSupportingAction } from './ipus-parts.entity.js';
import type { PlanParts } from './ipus-snapshot.js';
import { IpusCoordinatedHelp } from './coordinated-help.entity.js';

/** Newest plans first; stable by id. */
export const PLAN_ORDER = [{ periodStart: 'desc' }, { id: 'asc' }] as const;

export function ipusById(ctx: RequestContext) {
  return rowByKey(ctx, 'ipus.byId', Ipus, 'id');
}

export function plansOfResident(ctx: RequestContext) {
  return rowsByKey(ctx, 'ipus.byResident', Ipus, 'residentId', [...PLAN_ORDER]);
}

/** A person's plans, latest period first: those of their record and of the records merged into it. */
export async function plansOfPerson(ctx: RequestContext, resident: Resident): Promise<Ipus[]> {
  const lists = await plansOfResident(ctx).loadMany(resident.recordIds);
  const found = lists.flatMap((list) => {
    if (list instanceof Error) throw list;
    return list;
  });
  return lists.length === 1 ? found : found.sort((a, b) => b.periodStart.localeCompare(a.periodStart) || a.id.localeCompare(b.id));
}

export function plansOfApplication(ctx: RequestContext) {
  return rowsByKey(ctx, 'ipus.byApplication', Ipus, 'applicationId', [...PLAN_ORDER]);
}

export function goalsOfPlan(ctx: RequestContext) {
  return rowsByKey(ctx, 'ipus.goals', IpusGoal, 'ipusId', { position: 'asc' });
}

export function itemsOfPlan(ctx: RequestContext) {
  return rowsByKey(ctx, 'ipus.items', IpusItem, 'ipusId', { position: 'asc' });
}

export function actionsOfPlan(ctx: RequestContext) {
  return rowsByKey(ctx, 'ipus.actions', IpusSupportingAction, 'ipusId', { position: 'asc' });
}

export function notesOfPlan(ctx: RequestContext) {
  return rowsByKey(ctx, 'ipus.notes', IpusMonitoringNote, 'ipusId', { notedOn: 'asc', createdAt: 'asc' });
}

/**
 * The next `first` visit days of items (SQL function `ipus_item_next_visits`, under the caller's
 * row-level security), for every item of the request in one statement: one loader per `first`.
 */
export function nextVisitsOfItem(ctx: RequestContext, first: number) {
  return loader<string, string[]>(ctx, `ipus.nextVisits:${first}`, async (ids) => {
    const rows = await ctx.em.execute<{ id: string; day: string }[]>(
      `select i.id, v.day::text as day from ipus_item i cross join lateral ipus_item_next_visits(i, ?) as v(day)
       where i.id = any (?::uuid[]) order by i.id, v.day`,
      [first, `{${ids.join(',')}}`],
    );
    return groupByKeys(ids, rows, (row) => row.id).map((visits) => visits.map((row) => row.day));
  });
}

/** Everything a snapshot holds, read fresh from the database (after the mutation's flush). */
export async function loadParts(ctx: RequestContext, ipusId: string): Promise<PlanParts> {
  const [goals, items, supportingActions, monitoringNotes, coordinatedHelp] = await Promise.all([
    ctx.em.find(IpusGoal, { ipusId }, { orderBy: { position: 'asc' }, refresh: true }),
    ctx.em.find(IpusItem, { ipusId }, { orderBy: { position: 'asc' }, refresh: true }),
    ctx.em.find(IpusSupportingAction, { ipusId }, { orderBy: { position: 'asc' }, refresh: true }),
    ctx.em.find(IpusMonitoringNote, { ipusId }, { orderBy: { notedOn: 'asc', createdAt: 'asc' }, refresh: true }),
    ctx.em.find(IpusCoordinatedHelp, { ipusId }, { orderBy: { position: 'asc' }, refresh: true }),
  ]);
  return { goals, items, supportingActions, monitoringNotes, coordinatedHelp };
}
