import { Partner } from './partner.entity.js';
import { PartnerRelationship } from './partner-relationship.entity.js';
import { PartnerCouncil } from './partner-council.entity.js';
import { PartnerCouncilMeeting } from './partner-council-meeting.entity.js';
import { PartnerCouncilMember } from './partner-council-member.entity.js';
import { PartnerRelationshipResolver, PartnerResolver } from './partner.resolver.js';
import {
  CusUnitPartnerCouncilResolver,
  PartnerCouncilMeetingResolver,
  PartnerCouncilMemberResolver,
  PartnerCouncilResolver,
} from './partner-council.resolver.js';

/** The partner module's MikroORM entities and type-graphql resolvers, collected by src/modules/entities.ts and resolvers.ts. */
export const partnerEntities: Function[] = [Partner, PartnerRelationship, PartnerCouncil, PartnerCouncilMember, PartnerCouncilMeeting];
export const partnerResolvers: Function[] = [
  PartnerResolver,
  PartnerRelationshipResolver,
  PartnerCouncilResolver,
  PartnerCouncilMemberResolver,
  PartnerCouncilMeetingResolver,
  CusUnitPartnerCouncilResolver,
];
