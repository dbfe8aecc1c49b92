import { Delivery } from './delivery.entity.js';
import { DeliveryResolver, IpusItemDeliveriesResolver, PartnerAssignmentResolver, ScheduledVisitResolver } from './delivery.resolver.js';
import { AssignmentLiveResolver } from './live/assignment-live.resolver.js';
import './partner-work.compiled.js';

/** The deliveries module (partners' side of commissioning): entities and resolvers, collected by src/modules/entities.ts and resolvers.ts. */
export const deliveryEntities: Function[] = [Delivery];
export const deliveryResolvers: Function[] = [
  PartnerAssignmentResolver,
  ScheduledVisitResolver,
  DeliveryResolver,
  IpusItemDeliveriesResolver,
  AssignmentLiveResolver,
];
