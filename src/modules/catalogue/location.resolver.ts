import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { FilterQuery } from '@mikro-orm/core';
import { Connection, findPage, PageArgs, toConnection } from '../../platform/graphql/connection.js';
import type { RequestContext } from '../../platform/graphql/context.js';
import { isUuid, registerNodeType, uuidFromGlobalId } from '../../platform/graphql/node.js';
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

registerNodeType('Location', async (ctx, key) => (isUuid(key) ? locationById(ctx).load(key) : null));

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

  @Authorized(...CATALOGUE_READERS)
  @Query(() => Location, { nullable: true })
  location(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<Location | null> {
    return locationById(ctx).load(uuidFromGlobalId(id, 'Location'));
  }

  @FieldResolver(() => Gmina, { description: 'The gmina the place is in' })
  async gmina(@Root() location: Location, @Ctx() ctx: RequestContext): Promise<Gmina> {
    return (await gminaById(ctx).load(location.gminaId)) as Gmina;
  }

  @FieldResolver(() => ServiceConnection, { description: 'Services given at this place that the principal may see, by name' })
  async services(@Root() location: Location, @Ctx() ctx: RequestContext, @Args(() => PageArgs) page: PageArgs) {
    return toConnection(ServiceConnection, await servicesOf(ctx, 'location', location.id, page));
  }

  @Authorized(...LOCATION_MANAGERS)
  @Mutation(() => LocationPayload, { description: 'Add a place (e.g. a village community room) in one of your gminy' })
  async locationCreate(@Ctx() ctx: RequestContext, @Arg('input', () => LocationCreateInput) input: LocationCreateInput): Promise<LocationPayload> {
    const { value, userErrors } = await createLocation(ctx, input);
    return { location: value, userErrors };
  }

  @Authorized(...LOCATION_MANAGERS)
  @Mutation(() => LocationPayload)
  async locationUpdate(@Ctx() ctx: RequestContext, @Arg('input', () => LocationUpdateInput) input: LocationUpdateInput): Promise<LocationPayload> {
    const { value, userErrors } = await updateLocation(ctx, input);
    return { location: value, userErrors };
  }

  @Authorized(...LOCATION_MANAGERS)
  @Mutation(() => LocationPayload, { description: 'Retire a place: it stays on the services given there, but takes no new ones' })
  async locationRetire(@Ctx() ctx: RequestContext, @Arg('input', () => LocationRetireInput) input: LocationRetireInput): Promise<LocationPayload> {
    const { value, userErrors } = await retireLocation(ctx, input);
    return { location: value, userErrors };
  }
}
