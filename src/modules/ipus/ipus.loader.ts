import { findRows } from '../../platform/database/orm-extension/read-rows.js';
import { byKeys, groupByKeys, loader, type RequestContext } from '../../platform/graphql/context.js';
import type { Resident } from '../resident/resident.entity.js';
import { Ipus } from './ipus.entity.js';
import { IpusGoal, IpusItem, IpusMonitoringNote, IpusSupportingAction } from './ipus-parts.entity.js';
import type { PlanParts } from './ipus.snapshot.js';

/** Newest plans first; stable by id. */
export const PLAN_ORDER = [{ periodStart: 'desc' }, { id: 'asc' }] as const;

export function ipusById(ctx: RequestContext) {
  return loader<string, Ipus | null>(ctx, 'ipus.byId', async (ids) => byKeys(ids, await findRows(ctx, Ipus, { id: { $in: [...ids] } }), (p) => p.id));
}

export function plansOfResident(ctx: RequestContext) {
  return loader<string, Ipus[]>(ctx, 'ipus.byResident', async (ids) =>
    groupByKeys(ids, await findRows(ctx, Ipus, { residentId: { $in: [...ids] } }, { orderBy: [...PLAN_ORDER] }), (p) => p.residentId));
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
  return loader<string, Ipus[]>(ctx, 'ipus.byApplication', async (ids) =>
    groupByKeys(ids, await findRows(ctx, Ipus, { applicationId: { $in: [...ids] } }, { orderBy: [...PLAN_ORDER] }), (p) => p.applicationId));
}

export function goalsOfPlan(ctx: RequestContext) {
  return loader<string, IpusGoal[]>(ctx, 'ipus.goals', async (ids) =>
    groupByKeys(ids, await findRows(ctx, IpusGoal, { ipusId: { $in: [...ids] } }, { orderBy: { position: 'asc' } }), (g) => g.ipusId));
}

export function itemsOfPlan(ctx: RequestContext) {
  return loader<string, IpusItem[]>(ctx, 'ipus.items', async (ids) =>
    groupByKeys(ids, await findRows(ctx, IpusItem, { ipusId: { $in: [...ids] } }, { orderBy: { position: 'asc' } }), (i) => i.ipusId));
}

export function actionsOfPlan(ctx: RequestContext) {
  return loader<string, IpusSupportingAction[]>(ctx, 'ipus.actions', async (ids) =>
    groupByKeys(ids, await findRows(ctx, IpusSupportingAction, { ipusId: { $in: [...ids] } }, { orderBy: { position: 'asc' } }), (a) => a.ipusId));
}

export function notesOfPlan(ctx: RequestContext) {
  return loader<string, IpusMonitoringNote[]>(ctx, 'ipus.notes', async (ids) =>
    groupByKeys(ids, await findRows(ctx, IpusMonitoringNote, { ipusId: { $in: [...ids] } }, { orderBy: { notedOn: 'asc', createdAt: 'asc' } }), (n) => n.ipusId));
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
      [first, `{${ids.join(',')}}`]);
    return groupByKeys(ids, rows, (row) => row.id).map((visits) => visits.map((row) => row.day));
  });
}

/** Everything a snapshot holds, read fresh from the database (after the mutation's flush). */
export async function loadParts(ctx: RequestContext, ipusId: string): Promise<PlanParts> {
  const [goals, items, supportingActions, monitoringNotes] = await Promise.all([
    ctx.em.find(IpusGoal, { ipusId }, { orderBy: { position: 'asc' }, refresh: true }),
    ctx.em.find(IpusItem, { ipusId }, { orderBy: { position: 'asc' }, refresh: true }),
    ctx.em.find(IpusSupportingAction, { ipusId }, { orderBy: { position: 'asc' }, refresh: true }),
    ctx.em.find(IpusMonitoringNote, { ipusId }, { orderBy: { notedOn: 'asc', createdAt: 'asc' }, refresh: true }),
  ]);
  return { goals, items, supportingActions, monitoringNotes };
}
