import { Arg, Args, Authorized, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { Connection, PageArgs, toConnection } from '../../platform/graphql/connection.js';
import { declareMutations } from '../common/mutation-table.js';
import { declareNodeLookup } from '../common/node-lookup.js';
import type { RequestContext } from '../../platform/graphql/context.js';
import { CusUnit } from '../cus-unit/cus-unit.entity.js';
import { cusUnitById } from '../cus-unit/cus-unit.loader.js';
import { Gmina } from '../gmina/gmina.entity.js';
import { loadGminy } from '../gmina/gmina.loader.js';
import { Partner } from '../partner/partner.entity.js';
import { partnerById } from '../partner/partner.loader.js';
import { CATALOGUE_MANAGERS, CATALOGUE_READERS } from './catalogue-roles.js';
import { Location } from './location.entity.js';
import { locationById } from './location.loader.js';
import { Service, ServiceProvider } from './service.entity.js';
import { ServiceCreateInput, ServiceFilter, ServiceOrder, ServicePayload, ServiceStatusChangeInput, ServiceUpdateInput } from './service.inputs.js';
import { locationsOfService, schedulesOfService, serviceById } from './service.loader.js';
import { findServices, serviceWhere, servicesOf } from './service-list.js';
import { changeServiceStatus, createService, updateService } from './catalogue-service.service.js';
import { ServiceSchedule } from './service-schedule.entity.js';

export const ServiceConnection = Connection(Service);

@Resolver(() => Service)
export class ServiceResolver {
  @Authorized(...CATALOGUE_READERS)
  @Query(() => ServiceConnection, {
    description: 'The catalogue of services the principal may see: staff and officials their gminy, partners the gminy they work in',
  })
  async services(
    @Ctx() ctx: RequestContext,
    @Args(() => PageArgs) page: PageArgs,
    @Arg('filter', () => ServiceFilter, { nullable: true }) filter?: ServiceFilter,
    @Arg('search', () => String, {
      nullable: true,
      description: 'Words to find in the name and description, in any case, with or without Polish diacritics; each word may be a prefix',
    })
    search?: string,
    @Arg('orderBy', () => ServiceOrder, { defaultValue: ServiceOrder.NAME }) orderBy: ServiceOrder = ServiceOrder.NAME,
  ) {
    return toConnection(ServiceConnection, await findServices(ctx, serviceWhere(filter, search), orderBy, page));
  }

  @FieldResolver(() => CusUnit, { nullable: true, description: 'The CUS whose catalogue holds the service (null if out of your scope)' })
  cusUnit(@Root() service: Service, @Ctx() ctx: RequestContext): Promise<CusUnit | null> {
    return cusUnitById(ctx).load(service.cusUnitId);
  }

  @FieldResolver(() => [Gmina], { description: 'The gminy whose residents can use the service' })
  gminy(@Root() service: Service, @Ctx() ctx: RequestContext): Promise<Gmina[]> {
    return loadGminy(ctx, service.gminaIds);
  }

  @FieldResolver(() => [Location], { description: 'The places where the service is given, by name' })
  locations(@Root() service: Service, @Ctx() ctx: RequestContext): Promise<Location[]> {
    return locationsOfService(ctx, service.id);
  }

  @FieldResolver(() => [ServiceSchedule], { description: 'When the service is given' })
  schedules(@Root() service: Service, @Ctx() ctx: RequestContext): Promise<ServiceSchedule[]> {
    return schedulesOfService(ctx).load(service.id);
  }
}

declareNodeLookup(ServiceResolver, 'service', { type: Service, roles: CATALOGUE_READERS, byId: serviceById });

declareMutations(ServiceResolver, CATALOGUE_MANAGERS, ServicePayload, {
  serviceCreate: { description: 'Add a service to the catalogue of a CUS unit, as PLANNED', input: ServiceCreateInput, run: createService },
  serviceUpdate: { description: 'Change a service (not its status); a closed service cannot change', input: ServiceUpdateInput, run: updateService },
  serviceActivate: {
    description: 'PLANNED or SUSPENDED -> ACTIVE; needs a description and a place in use, or to be online',
    input: ServiceStatusChangeInput,
    run: (ctx, input) => changeServiceStatus(ctx, input, 'activate'),
  },
  serviceSuspend: { description: 'ACTIVE -> SUSPENDED', input: ServiceStatusChangeInput, run: (ctx, input) => changeServiceStatus(ctx, input, 'suspend') },
  serviceClose: {
    description: 'Any status but CLOSED -> CLOSED; closing is final',
    input: ServiceStatusChangeInput,
    run: (ctx, input) => changeServiceStatus(ctx, input, 'close'),
  },
});

@Resolver(() => ServiceProvider)
export class ServiceProviderResolver {
  @FieldResolver(() => Partner, { nullable: true, description: 'The partner (PARTNER only; null if out of your scope)' })
  async partner(@Root() provider: ServiceProvider, @Ctx() ctx: RequestContext): Promise<Partner | null> {
    return provider.partnerId ? partnerById(ctx).load(provider.partnerId) : null;
  }

  @FieldResolver(() => CusUnit, { nullable: true, description: 'The centre itself (CUS only)' })
  async cusUnit(@Root() provider: ServiceProvider, @Ctx() ctx: RequestContext): Promise<CusUnit | null> {
    return provider.cusUnitId ? cusUnitById(ctx).load(provider.cusUnitId) : null;
  }
}

@Resolver(() => ServiceSchedule)
export class ServiceScheduleResolver {
  @FieldResolver(() => Location, { nullable: true, description: 'The place these hours are for; null: all places of the service' })
  async location(@Root() schedule: ServiceSchedule, @Ctx() ctx: RequestContext): Promise<Location | null> {
    return schedule.locationId ? locationById(ctx).load(schedule.locationId) : null;
  }
}

@Resolver(() => Partner)
export class PartnerServicesResolver {
  @FieldResolver(() => ServiceConnection, { description: 'Services this partner gives that the principal may see, by name' })
  async services(@Root() partner: Partner, @Ctx() ctx: RequestContext, @Args(() => PageArgs) page: PageArgs) {
    return toConnection(ServiceConnection, await servicesOf(ctx, 'partner', partner.id, page));
  }
}
