import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { FilterQuery } from '@mikro-orm/core';
import { Connection, findPage, PageArgs, toConnection } from '../../platform/graphql/connection.js';
import type { RequestContext } from '../../platform/graphql/context.js';
import { isUuid, registerNodeType, uuidFromGlobalId } from '../../platform/graphql/node.js';
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

registerNodeType('CommunityPlan', async (ctx, key) => (isUuid(key) ? communityPlanById(ctx).load(key) : null));
registerNodeType('CommunityActivity', async (ctx, key) => (isUuid(key) ? communityActivityById(ctx).load(key) : null));

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

  @Authorized(...COMMUNITY_READERS)
  @Query(() => CommunityPlan, { nullable: true })
  communityPlan(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<CommunityPlan | null> {
    return communityPlanById(ctx).load(uuidFromGlobalId(id, 'CommunityPlan'));
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

  @Authorized(...COMMUNITY_MANAGERS)
  @Mutation(() => CommunityPlanPayload)
  async communityPlanCreate(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => CommunityPlanCreateInput) input: CommunityPlanCreateInput,
  ): Promise<CommunityPlanPayload> {
    const { value, userErrors } = await createCommunityPlan(ctx, input);
    return { communityPlan: value, userErrors };
  }

  @Authorized(...COMMUNITY_MANAGERS)
  @Mutation(() => CommunityPlanPayload)
  async communityPlanUpdate(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => CommunityPlanUpdateInput) input: CommunityPlanUpdateInput,
  ): Promise<CommunityPlanPayload> {
    const { value, userErrors } = await updateCommunityPlan(ctx, input);
    return { communityPlan: value, userErrors };
  }

  @Authorized(...COMMUNITY_MANAGERS)
  @Mutation(() => CommunityPlanPayload, { description: 'Retires the plan (ARCHIVED): kept for the record, no new activities' })
  async communityPlanArchive(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => CommunityPlanArchiveInput) input: CommunityPlanArchiveInput,
  ): Promise<CommunityPlanPayload> {
    const { value, userErrors } = await archiveCommunityPlan(ctx, input);
    return { communityPlan: value, userErrors };
  }
}

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

  @Authorized(...COMMUNITY_READERS)
  @Query(() => CommunityActivity, { nullable: true })
  communityActivity(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<CommunityActivity | null> {
    return communityActivityById(ctx).load(uuidFromGlobalId(id, 'CommunityActivity'));
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

  @Authorized(...COMMUNITY_MANAGERS)
  @Mutation(() => CommunityActivityPayload)
  async communityActivityCreate(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => CommunityActivityCreateInput) input: CommunityActivityCreateInput,
  ): Promise<CommunityActivityPayload> {
    const { value, userErrors } = await createCommunityActivity(ctx, input);
    return { communityActivity: value, userErrors };
  }

  @Authorized(...COMMUNITY_MANAGERS)
  @Mutation(() => CommunityActivityPayload)
  async communityActivityUpdate(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => CommunityActivityUpdateInput) input: CommunityActivityUpdateInput,
  ): Promise<CommunityActivityPayload> {
    const { value, userErrors } = await updateCommunityActivity(ctx, input);
    return { communityActivity: value, userErrors };
  }

  @Authorized(...COMMUNITY_MANAGERS)
  @Mutation(() => CommunityActivityPayload, { description: 'PLANNED -> HELD, with the participants count and the outcome' })
  async communityActivityRecordOutcome(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => CommunityActivityRecordOutcomeInput) input: CommunityActivityRecordOutcomeInput,
  ): Promise<CommunityActivityPayload> {
    const { value, userErrors } = await recordActivityOutcome(ctx, input);
    return { communityActivity: value, userErrors };
  }

  @Authorized(...COMMUNITY_MANAGERS)
  @Mutation(() => CommunityActivityPayload, { description: 'Retires a planned activity (CANCELLED)' })
  async communityActivityCancel(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => CommunityActivityCancelInput) input: CommunityActivityCancelInput,
  ): Promise<CommunityActivityPayload> {
    const { value, userErrors } = await cancelCommunityActivity(ctx, input);
    return { communityActivity: value, userErrors };
  }
}

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
