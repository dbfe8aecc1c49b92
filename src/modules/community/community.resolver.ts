import { Arg, Args, Authorized, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import type { FilterQuery } from '@mikro-orm/core';
import { Connection, findPage, PageArgs, toConnection } from '../../platform/graphql/connection.js';
import { declareMutations } from '../common/mutation-table.js';
import { declareNodeLookup } from '../common/node-lookup.js';
import type { RequestContext } from '../../platform/graphql/context.js';
import { uuidFromGlobalId } from '../../platform/graphql/node.js';
import { CUS_STAFF, Role } from '../../platform/auth/roles.js';
import { Location } from '../catalogue/location.entity.js';
import { CusUnit } from '../cus-unit/cus-unit.entity.js';
import { cusUnitById } from '../cus-unit/cus-unit.loader.js';
import { CommunityActivity } from './community-activity.entity.js';
import { CommunityPlan } from './community-plan.entity.js';
import {
  CommunityActivityCancelInput,
  CommunityActivityCreateInput,
  CommunityActivityFilter,
  CommunityActivityPayload,
  CommunityActivityRecordOutcomeInput,
  CommunityActivityUpdateInput,
  CommunityPlanArchiveInput,
  CommunityPlanCreateInput,
  CommunityPlanFilter,
  CommunityPlanPayload,
  CommunityPlanUpdateInput,
} from './community.inputs.js';
import { activityCountByLocation, activityPage, communityActivityById, communityLocationById, communityPlanById, planTotals } from './community.loader.js';
import {
  archiveCommunityPlan,
  cancelCommunityActivity,
  createCommunityActivity,
  createCommunityPlan,
  recordActivityOutcome,
  updateCommunityActivity,
  updateCommunityPlan,
} from './community.service.js';

/** Who runs community organising: the director and the community organiser (OSL). */
export const COMMUNITY_MANAGERS = [Role.DIRECTOR, Role.COMMUNITY_ORGANISER];
/** Who reads it: staff of the CUS and officials of its gminy. */
export const COMMUNITY_READERS = [...CUS_STAFF, Role.GMINA_OFFICIAL];

const CommunityPlanConnection = Connection(CommunityPlan);
const CommunityActivityConnection = Connection(CommunityActivity);

@Resolver(() => CommunityPlan)
export class CommunityPlanResolver {
  @Authorized(...COMMUNITY_READERS)
  @Query(() => CommunityPlanConnection, { description: 'Community organising plans, the latest period first' })
  async communityPlans(
    @Ctx() ctx: RequestContext,
    @Args(() => PageArgs) page: PageArgs,
    @Arg('filter', () => CommunityPlanFilter, { nullable: true }) filter?: CommunityPlanFilter,
  ) {
    const where: FilterQuery<CommunityPlan> = {};
    if (filter?.cusUnitId) where.cusUnitId = uuidFromGlobalId(filter.cusUnitId, 'CusUnit', 'filter.cusUnitId');
    if (filter?.status) where.status = filter.status;
    return toConnection(CommunityPlanConnection, await findPage(ctx.em, CommunityPlan, where, [{ periodStart: 'desc' }, { id: 'desc' }], page));
  }

  @FieldResolver(() => CusUnit)
  async cusUnit(@Root() plan: CommunityPlan, @Ctx() ctx: RequestContext): Promise<CusUnit> {
    return (await cusUnitById(ctx).load(plan.cusUnitId)) as CusUnit;
  }

  @FieldResolver(() => CommunityActivityConnection, { description: 'The activities of the plan, by startsOn' })
  async activities(@Root() plan: CommunityPlan, @Ctx() ctx: RequestContext, @Args(() => PageArgs) page: PageArgs) {
    const count = async () => (await planTotals(ctx).load(plan.id)).all;
    return toConnection(CommunityActivityConnection, await activityPage(ctx, 'plan_id', plan.id, page, count));
  }

  @FieldResolver(() => Int, { description: 'Activities planned or held (cancelled ones left out)' })
  async activityCount(@Root() plan: CommunityPlan, @Ctx() ctx: RequestContext): Promise<number> {
    return (await planTotals(ctx).load(plan.id)).active;
  }

  @FieldResolver(() => Int, { description: 'Participants of the activities held' })
  async participantsTotal(@Root() plan: CommunityPlan, @Ctx() ctx: RequestContext): Promise<number> {
    return (await planTotals(ctx).load(plan.id)).participants;
  }
}

declareNodeLookup(CommunityPlanResolver, 'communityPlan', { type: CommunityPlan, roles: COMMUNITY_READERS, byId: communityPlanById });

declareMutations(CommunityPlanResolver, COMMUNITY_MANAGERS, CommunityPlanPayload, {
  communityPlanCreate: { input: CommunityPlanCreateInput, run: createCommunityPlan },
  communityPlanUpdate: { input: CommunityPlanUpdateInput, run: updateCommunityPlan },
  communityPlanArchive: {
    description: 'Retires the plan (ARCHIVED): kept for the record, no new activities',
    input: CommunityPlanArchiveInput,
    run: archiveCommunityPlan,
  },
});

@Resolver(() => CommunityActivity)
export class CommunityActivityResolver {
  @Authorized(...COMMUNITY_READERS)
  @Query(() => CommunityActivityConnection, { description: 'Community activities by startsOn, per CUS, per place, per period' })
  async communityActivities(
    @Ctx() ctx: RequestContext,
    @Args(() => PageArgs) page: PageArgs,
    @Arg('filter', () => CommunityActivityFilter, { nullable: true }) filter?: CommunityActivityFilter,
  ) {
    const where: FilterQuery<CommunityActivity> = {};
    if (filter?.cusUnitId) where.cusUnitId = uuidFromGlobalId(filter.cusUnitId, 'CusUnit', 'filter.cusUnitId');
    if (filter?.locationId) where.locationId = uuidFromGlobalId(filter.locationId, 'Location', 'filter.locationId');
    if (filter?.kind) where.kind = filter.kind;
    if (filter?.status) where.status = filter.status;
    // An activity belongs to a period when it overlaps it: it runs until endsOn (or its one day).
    if (filter?.from) where.$or = [{ endsOn: { $gte: filter.from } }, { endsOn: null, startsOn: { $gte: filter.from } }];
    if (filter?.to) where.startsOn = { $lte: filter.to };
    return toConnection(CommunityActivityConnection, await findPage(ctx.em, CommunityActivity, where, [{ startsOn: 'asc' }, { id: 'asc' }], page));
  }

  @FieldResolver(() => CusUnit)
  async cusUnit(@Root() activity: CommunityActivity, @Ctx() ctx: RequestContext): Promise<CusUnit> {
    return (await cusUnitById(ctx).load(activity.cusUnitId)) as CusUnit;
  }

  @FieldResolver(() => CommunityPlan, { nullable: true })
  plan(@Root() activity: CommunityActivity, @Ctx() ctx: RequestContext): Promise<CommunityPlan | null> | null {
    return activity.planId ? communityPlanById(ctx).load(activity.planId) : null;
  }

  @FieldResolver(() => Location, { nullable: true, description: 'Where it takes place, often a village community room' })
  location(@Root() activity: CommunityActivity, @Ctx() ctx: RequestContext): Promise<Location | null> | null {
    return activity.locationId ? communityLocationById(ctx).load(activity.locationId) : null;
  }
}

declareNodeLookup(CommunityActivityResolver, 'communityActivity', { type: CommunityActivity, roles: COMMUNITY_READERS, byId: communityActivityById });

declareMutations(CommunityActivityResolver, COMMUNITY_MANAGERS, CommunityActivityPayload, {
  communityActivityCreate: { input: CommunityActivityCreateInput, run: createCommunityActivity },
  communityActivityUpdate: { input: CommunityActivityUpdateInput, run: updateCommunityActivity },
  communityActivityRecordOutcome: {
    description: 'PLANNED -> HELD, with the participants count and the outcome',
    input: CommunityActivityRecordOutcomeInput,
    run: recordActivityOutcome,
  },
  communityActivityCancel: { description: 'Retires a planned activity (CANCELLED)', input: CommunityActivityCancelInput, run: cancelCommunityActivity },
});

@Resolver(() => Location)
export class LocationCommunityActivitiesResolver {
  // Locations are reachable by roles outside the CUS (partners); volunteers' names are for staff and officials only.
  // Nullable, so that a partner who asks gets null and FORBIDDEN here alone, not a whole list of places nulled up to the root.
  @Authorized(...COMMUNITY_READERS)
  @FieldResolver(() => CommunityActivityConnection, {
    nullable: true,
    description: 'Community activities held at this place, by startsOn (staff of its gminy; null, with FORBIDDEN, for others)',
  })
  async communityActivities(@Root() location: Location, @Ctx() ctx: RequestContext, @Args(() => PageArgs) page: PageArgs) {
    const count = () => activityCountByLocation(ctx).load(location.id);
    return toConnection(CommunityActivityConnection, await activityPage(ctx, 'location_id', location.id, page, count));
  }
}
