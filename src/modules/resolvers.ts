import type { NonEmptyArray } from 'type-graphql';
import { NodeResolver } from '../platform/graphql/node.resolver.js';
import { GminaResolver } from './gmina/gmina.resolver.js';
import { CusUnitResolver, FundingProjectResolver, GminaCusUnitsResolver } from './cus-unit/cus-unit.resolver.js';
import { ViewerResolver } from './viewer/viewer.resolver.js';
import { partnerResolvers } from './partner/index.js';
import { catalogueResolvers } from './catalogue/index.js';
import { diagnosisResolvers } from './diagnosis/index.js';
import { programmeResolvers } from './programme/index.js';
import { feeResolvers } from './fee/index.js';
import { calendarResolvers } from './calendar/index.js';
import { consultationResolvers } from './consultation/index.js';
import { surveyResolvers } from './survey/index.js';
import { communityResolvers } from './community/index.js';
import { residentResolvers } from './resident/index.js';
import { applicationResolvers } from './application/index.js';
import { ipusResolvers } from './ipus/index.js';
import { ipusScanResolvers } from './ipus-scan/index.js';
import { commissionResolvers } from './commission/index.js';
import { deliveryResolvers } from './delivery/index.js';
import { settlementResolvers } from './settlement/index.js';
import { waitingListResolvers } from './waiting-list/index.js';
import { reportResolvers } from './report/index.js';
import { worklistResolvers } from './worklist/index.js';

/** Every resolver class of the authenticated API, in the order their types appear in the schema. */
export const resolvers: NonEmptyArray<Function> = [
  NodeResolver,
  ViewerResolver,
  GminaResolver,
  GminaCusUnitsResolver,
  CusUnitResolver,
  FundingProjectResolver,
  ...partnerResolvers,
  ...catalogueResolvers,
  ...diagnosisResolvers,
  ...programmeResolvers,
  ...feeResolvers,
  ...calendarResolvers,
  ...consultationResolvers,
  ...surveyResolvers,
  ...communityResolvers,
  ...residentResolvers,
  ...applicationResolvers,
  ...ipusResolvers,
  ...ipusScanResolvers,
  ...commissionResolvers,
  ...deliveryResolvers,
  ...settlementResolvers,
  ...waitingListResolvers,
  ...reportResolvers,
  ...worklistResolvers,
];
