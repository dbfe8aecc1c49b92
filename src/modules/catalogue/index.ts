import { Location } from './location.entity.js';
import { LocationResolver } from './location.resolver.js';
import { Service } from './service.entity.js';
import { ServiceLocation } from './service-location.entity.js';
import { ServiceSchedule } from './service-schedule.entity.js';
import './services.compiled.js';
import { PartnerServicesResolver, ServiceProviderResolver, ServiceResolver, ServiceScheduleResolver } from './service.resolver.js';

/** The catalogue module's MikroORM entities and type-graphql resolvers, collected by src/modules/entities.ts and resolvers.ts. */
export const catalogueEntities: Function[] = [Location, Service, ServiceLocation, ServiceSchedule];
export const catalogueResolvers: Function[] = [LocationResolver, ServiceResolver, ServiceProviderResolver, ServiceScheduleResolver, PartnerServicesResolver];
