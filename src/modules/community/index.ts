import { CommunityActivity } from './community-activity.entity.js';
import { CommunityPlan } from './community-plan.entity.js';
import { CommunityActivityResolver, CommunityPlanResolver, LocationCommunityActivitiesResolver } from './community.resolver.js';

/** The community module's MikroORM entities and type-graphql resolvers, collected by src/modules/entities.ts and resolvers.ts. */
export const communityEntities: Function[] = [CommunityPlan, CommunityActivity];
export const communityResolvers: Function[] = [CommunityPlanResolver, CommunityActivityResolver, LocationCommunityActivitiesResolver];
