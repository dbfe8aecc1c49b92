import { loader, type RequestContext } from '../../platform/graphql/context.js';
import { countByKey, rowByKey } from '../../platform/graphql/row-loaders.js';
import type { Page, PageArgs } from '../../platform/graphql/connection.js';
import type { SortKey } from '../../platform/graphql/keyset.js';
import { parentPage } from '../../platform/graphql/parent-pages.js';
import { Location } from '../catalogue/location.entity.js';
import { CommunityActivity } from './community-activity.entity.js';
import { CommunityPlan } from './community-plan.entity.js';

const uuidArray = (ids: readonly string[]): string => `{${ids.join(',')}}`;

export function communityPlanById(ctx: RequestContext) {
  return rowByKey(ctx, 'communityPlan.byId', CommunityPlan, 'id');
}

export function communityActivityById(ctx: RequestContext) {
  return rowByKey(ctx, 'communityActivity.byId', CommunityActivity, 'id');
}

/** Places by id (this module's own loader of the catalogue's Location; retired places included). */
export function communityLocationById(ctx: RequestContext) {
  return rowByKey(ctx, 'community.locationById', Location, 'id');
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
  return countByKey(
    ctx,
    'communityActivity.countByLocation',
    'select location_id as key, count(*)::int as n from community_activity where location_id = any (?::uuid[]) group by location_id',
  );
}

const ACTIVITY_ORDER: SortKey[] = [
  { column: 'a.starts_on', type: 'date', direction: 'asc' },
  { column: 'a.id', type: 'uuid', direction: 'asc' },
];

type ParentColumn = 'plan_id' | 'location_id';

/**
 * One page of the activities of a plan or of a place, by startsOn then id; the pages of every plan
 * (or place) in the request come from one statement (parent-pages.ts).
 */
export function activityPage(
  ctx: RequestContext,
  column: ParentColumn,
  parentId: string,
  args: PageArgs,
  count: () => Promise<number>,
): Promise<Page<CommunityActivity>> {
  return parentPage(
    ctx,
    {
      name: `communityActivity.by.${column}`,
      select: 'a.*',
      from: 'community_activity a',
      parent: `a.${column}`,
      keys: ACTIVITY_ORDER,
      map: (row) => ctx.em.map(CommunityActivity, row),
      keyOf: (a) => [a.startsOn, a.id],
    },
    parentId,
    args,
    count,
  );
}
