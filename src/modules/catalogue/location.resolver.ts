import { Arg, Args, Authorized, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { FilterQuery } from '@mikro-orm/core';
import { Connection, findPage, PageArgs, toConnection } from '../../platform/graphql/connection.js';
import { declareMutations } from '../common/mutation-table.js';
import { declareNodeLookup } from '../common/node-lookup.js';
import type { RequestContext } from '../../platform/graphql/context.js';
import { tercToId } from '../../platform/auth/principal.js';
import { Gmina } from '../gmina/gmina.entity.js';
import { gminaById } from '../gmina/gmina.loader.js';
import { CATALOGUE_READERS, LOCATION_MANAGERS } from './catalogue-roles.js';
import { Location } from './location.entity.js';
import { LocationCreateInput, LocationFilter, LocationPayload, LocationRetireInput, LocationUpdateInput } from './location.inputs.js';
import { locationById } from './location.loader.js';
import { createLocation, retireLocation, updateLocation } from './location.service.js';
import { ServiceConnection } from './service.resolver.js';
import { servicesOf } from './service-list.js';

const LocationConnection = Connection(Location);

@Resolver(() => Location)
export class LocationResolver {
  @Authorized(...CATALOGUE_READERS)
  @Query(() => LocationConnection, { description: 'Places the principal may see, by name; retired places only when asked for' })
  async locations(
    @Ctx() ctx: RequestContext,
    @Args(() => PageArgs) page: PageArgs,
    @Arg('filter', () => LocationFilter, { nullable: true }) filter?: LocationFilter,
  ) {
    const where: FilterQuery<Location> = {};
    if (filter?.gmina) where.gminaId = tercToId(filter.gmina);
    if (filter?.kind) where.kind = filter.kind;
    if (!filter?.includeRetired) where.retiredAt = null;
    return toConnection(LocationConnection, await findPage(ctx.em, Location, where, [{ name: 'asc' }, { id: 'asc' }], page));
  }

  @FieldResolver(() => Gmina, { description: 'The gmina the place is in' })
  async gmina(@Root() location: Location, @Ctx() ctx: RequestContext): Promise<Gmina> {
    return (await gminaById(ctx).load(location.gminaId)) as Gmina;
  }

  @FieldResolver(() => ServiceConnection, { description: 'Services given at this place that the principal may see, by name' })
  async services(@Root() location: Location, @Ctx() ctx: RequestContext, @Args(() => PageArgs) page: PageArgs) {
    return toConnection(ServiceConnection, await servicesOf(ctx, 'location', location.id, page));
  }
}

declareNodeLookup(LocationResolver, 'location', { type: Location, roles: CATALOGUE_READERS, byId: locationById });

declareMutations(LocationResolver, LOCATION_MANAGERS, LocationPayload, {
  locationCreate: { description: 'Add a place (e.g. a village community room) in one of your gminy', input: LocationCreateInput, run: createLocation },
  locationUpdate: { input: LocationUpdateInput, run: updateLocation },
  locationRetire: {
    description: 'Retire a place: it stays on the services given there, but takes no new ones',
    input: LocationRetireInput,
    run: retireLocation,
  },
});
