import { findRows } from '../../platform/database/orm-extension/read-rows.js';
import { byKeys, loader, type RequestContext } from '../../platform/graphql/context.js';
import { pageSize, type Page } from '../../platform/graphql/connection.js';
import { badInput } from '../../platform/graphql/errors.js';
import { isUuid } from '../../platform/graphql/node.js';
import { Location } from '../catalogue/location.entity.js';
import { CommunityActivity } from './community-activity.entity.js';
import { CommunityPlan } from './community-plan.entity.js';

const uuidArray = (ids: readonly string[]): string => `{${ids.join(',')}}`;

export function communityPlanById(ctx: RequestContext) {
  return loader<string, CommunityPlan | null>(ctx, 'communityPlan.byId', async (ids) => {
    const rows = await findRows(ctx, CommunityPlan, { id: { $in: [...ids] } });
    return byKeys(ids, rows, (p) => p.id);
  });
}

export function communityActivityById(ctx: RequestContext) {
  return loader<string, CommunityActivity | null>(ctx, 'communityActivity.byId', async (ids) => {
    const rows = await findRows(ctx, CommunityActivity, { id: { $in: [...ids] } });
    return byKeys(ids, rows, (a) => a.id);
  });
}

/** Places by id (this module's own loader of the catalogue's Location; retired places included). */
export function communityLocationById(ctx: RequestContext) {
  return loader<string, Location | null>(ctx, 'community.locationById', async (ids) => {
    const rows = await findRows(ctx, Location, { id: { $in: [...ids] } });
    return byKeys(ids, rows, (l) => l.id);
  });
}

export interface PlanTotals {
  /** Every activity of the plan, cancelled ones included (the size of its activities list). */
  all: number;
  /** Activities planned or held. */
  active: number;
  /** Participants of held activities. */
  participants: number;
}

/** Counts of each plan's activities, in one grouped query. */
export function planTotals(ctx: RequestContext) {
  return loader<string, PlanTotals>(ctx, 'communityPlan.totals', async (planIds) => {
    const rows = await ctx.em.execute<{ plan_id: string; all: number; active: number; participants: number }[]>(
      `select plan_id, count(*)::int as all, (count(*) filter (where status <> 'CANCELLED'))::int as active,
        coalesce(sum(participants_count) filter (where status = 'HELD'), 0)::int as participants
      from community_activity where plan_id = any(?::uuid[]) group by plan_id`,
      [uuidArray(planIds)],
    );
    const totals = new Map(rows.map((r) => [r.plan_id, { all: r.all, active: r.active, participants: r.participants }]));
    return planIds.map((id) => totals.get(id) ?? { all: 0, active: 0, participants: 0 });
  });
}

/** Activities of each place, counted in one grouped query. */
export function activityCountByLocation(ctx: RequestContext) {
  return loader<string, number>(ctx, 'communityActivity.countByLocation', async (locationIds) => {
    const rows = await ctx.em.execute<{ location_id: string; n: number }[]>(
      'select location_id, count(*)::int as n from community_activity where location_id = any(?::uuid[]) group by location_id',
      [uuidArray(locationIds)],
    );
    const counts = new Map(rows.map((r) => [r.location_id, r.n]));
    return locationIds.map((id) => counts.get(id) ?? 0);
  });
}

/** A cursor of a nested activity list: the sort key (startsOn, id) of the last item seen. */
const encodeCursor = (a: CommunityActivity): string => Buffer.from(JSON.stringify([a.startsOn, a.id]), 'utf8').toString('base64url');

function decodeCursor(cursor: string): [string, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && /^\d{4}-\d{2}-\d{2}$/.test(value[0]) && isUuid(value[1])) return [value[0], value[1]];
  } catch {
    // reported below
  }
  throw badInput('after is not a cursor of this list');
}

type ParentColumn = 'plan_id' | 'location_id';

/**
 * One page of activities for each of many parents (plans or places), sorted by startsOn then id, in
 * one query per distinct (first, after): row_number() over each parent's list picks its first rows, so
 * a list of 100 plans with their activities costs one statement, not 100.
 */
export function activityPages(ctx: RequestContext, column: ParentColumn) {
  return loader<string, Omit<Page<CommunityActivity>, 'count'>>(ctx, `communityActivity.pageBy.${column}`, async (keys) => {
    const requests = keys.map((key) => {
      const [parentId, first, after] = key.split('|');
      return { parentId, first: Number(first), after: after || null };
    });
    const groups = new Map<string, typeof requests>();
    for (const r of requests) {
      const group = `${r.first}|${r.after ?? ''}`;
      groups.set(group, [...(groups.get(group) ?? []), r]);
    }
    const rowsByParent = new Map<string, CommunityActivity[]>();
    for (const group of groups.values()) {
      const { first, after } = group[0];
      const params: unknown[] = [uuidArray(group.map((r) => r.parentId))];
      let afterClause = '';
      if (after) {
        afterClause = 'and (a.starts_on, a.id) > (?::date, ?::uuid)';
        params.push(...decodeCursor(after));
      }
      params.push(first + 1);
      const rows = await ctx.em.execute<Record<string, unknown>[]>(
        `select ranked.* from (
          select a.*, row_number() over (partition by a.${column} order by a.starts_on, a.id) as page_row
          from community_activity a where a.${column} = any(?::uuid[]) ${afterClause}
        ) ranked where ranked.page_row <= ? order by ranked.${column}, ranked.page_row`,
        params,
      );
      for (const row of rows) {
        const parentId = row[column] as string;
        delete row.page_row;
        const list = rowsByParent.get(parentId) ?? [];
        list.push(ctx.em.map(CommunityActivity, row));
        rowsByParent.set(parentId, list);
      }
    }
    return requests.map(({ parentId, first, after }) => {
      const rows = rowsByParent.get(parentId) ?? [];
      const nodes = rows.slice(0, first);
      const cursors = nodes.map(encodeCursor);
      return {
        nodes,
        cursors,
        pageInfo: {
          hasNextPage: rows.length > first,
          hasPreviousPage: after !== null,
          startCursor: cursors[0] ?? null,
          endCursor: cursors[cursors.length - 1] ?? null,
        },
      };
    });
  });
}

/** The loader key of one parent's page. */
export function pageKey(parentId: string, first: number | undefined, after: string | undefined | null): string {
  if (after) decodeCursor(after);
  return `${parentId}|${pageSize(first)}|${after ?? ''}`;
}
