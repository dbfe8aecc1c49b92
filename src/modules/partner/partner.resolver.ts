import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { FilterQuery } from '@mikro-orm/core';
import { Connection, findPage, PageArgs, toConnection } from '../../platform/graphql/connection.js';
import type { RequestContext } from '../../platform/graphql/context.js';
import { isUuid, registerNodeType, uuidFromGlobalId } from '../../platform/graphql/node.js';
import { tercToId } from '../../platform/auth/principal.js';
import { GMINA_SCOPED, Role } from '../../platform/auth/roles.js';
import { Gmina } from '../gmina/gmina.entity.js';
import { loadGminy } from '../gmina/gmina.loader.js';
import { Partner } from './partner.entity.js';
import {
  PartnerCreateInput, PartnerFilter, PartnerJoinInput, PartnerPayload, PartnerProfileUpdateInput, PartnerStatusChangeInput, PartnerUpdateInput,
} from './partner.inputs.js';
import { partnerById } from './partner.loader.js';
import { createPartner, joinPartner, reactivatePartner, retirePartner, updateOwnProfile, updatePartner } from './partner.service.js';

// A PARTNER principal reaches its own row this way too: the database shows it no other.
registerNodeType('Partner', async (ctx, key) => (isUuid(key) ? partnerById(ctx).load(key) : null));

const PartnerConnection = Connection(Partner);

/** Who keeps the register of partners (DOMAIN.md): the director, the services organiser and the community organiser. */
export const PARTNER_MANAGERS = [Role.DIRECTOR, Role.SERVICES_ORGANISER, Role.COMMUNITY_ORGANISER];
/** Who reads partners and the partner council: CUS staff and gmina officials, each in their gminy. */
export const PARTNER_READERS = [...GMINA_SCOPED];

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

@Resolver(() => Partner)
export class PartnerResolver {
  @Authorized(...PARTNER_READERS)
  @Query(() => PartnerConnection, { description: 'Partners working in your gminy, by name' })
  async partners(
    @Ctx() ctx: RequestContext,
    @Args(() => PageArgs) page: PageArgs,
    @Arg('filter', () => PartnerFilter, { nullable: true }) filter?: PartnerFilter,
  ) {
    const where: FilterQuery<Partner> = {};
    if (filter?.gmina) where.gminaIds = { $overlap: [tercToId(filter.gmina)] };
    if (filter?.kind) where.kind = filter.kind;
    if (filter?.status) where.status = filter.status;
    if (filter?.nameContains) where.name = { $ilike: `%${escapeLike(filter.nameContains)}%` };
    return toConnection(PartnerConnection, await findPage(ctx.em, Partner, where, [{ name: 'asc' }, { id: 'asc' }], page));
  }

  @Authorized(...PARTNER_READERS)
  @Query(() => Partner, { nullable: true })
  partner(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<Partner | null> {
    return partnerById(ctx).load(uuidFromGlobalId(id, 'Partner'));
  }

  @Authorized(Role.PARTNER)
  @Query(() => Partner, { nullable: true, description: "A partner user's own organisation; null when it is not in the register" })
  myPartner(@Ctx() ctx: RequestContext): Promise<Partner | null> {
    return ctx.principal.partnerId ? partnerById(ctx).load(ctx.principal.partnerId) : Promise.resolve(null);
  }

  @FieldResolver(() => [Gmina], { description: 'Every gmina the partner works in' })
  gminy(@Root() partner: Partner, @Ctx() ctx: RequestContext): Promise<Gmina[]> {
    return loadGminy(ctx, partner.gminaIds);
  }

  @Authorized(...PARTNER_MANAGERS)
  @Mutation(() => PartnerPayload, { description: 'Register a partner working in some of your gminy' })
  async partnerCreate(@Ctx() ctx: RequestContext, @Arg('input', () => PartnerCreateInput) input: PartnerCreateInput): Promise<PartnerPayload> {
    const { value, userErrors } = await createPartner(ctx, input);
    return { partner: value, userErrors };
  }

  @Authorized(...PARTNER_MANAGERS)
  @Mutation(() => PartnerPayload, {
    description: 'Start working with a partner another centre registered (partnerCreate answers DUPLICATE for its NIP): adds gminy of your scope to it',
  })
  async partnerJoin(@Ctx() ctx: RequestContext, @Arg('input', () => PartnerJoinInput) input: PartnerJoinInput): Promise<PartnerPayload> {
    const { value, userErrors } = await joinPartner(ctx, input);
    return { partner: value, userErrors };
  }

  @Authorized(...PARTNER_MANAGERS)
  @Mutation(() => PartnerPayload, { description: "Change a partner's record; gminy outside your scope stay as they are" })
  async partnerUpdate(@Ctx() ctx: RequestContext, @Arg('input', () => PartnerUpdateInput) input: PartnerUpdateInput): Promise<PartnerPayload> {
    const { value, userErrors } = await updatePartner(ctx, input);
    return { partner: value, userErrors };
  }

  @Authorized(...PARTNER_MANAGERS)
  @Mutation(() => PartnerPayload, { description: 'Retire a partner from the register (status INACTIVE); its history stays' })
  async partnerRetire(@Ctx() ctx: RequestContext, @Arg('input', () => PartnerStatusChangeInput) input: PartnerStatusChangeInput): Promise<PartnerPayload> {
    const { value, userErrors } = await retirePartner(ctx, input);
    return { partner: value, userErrors };
  }

  @Authorized(...PARTNER_MANAGERS)
  @Mutation(() => PartnerPayload, { description: 'Bring a retired partner back (status ACTIVE)' })
  async partnerReactivate(@Ctx() ctx: RequestContext, @Arg('input', () => PartnerStatusChangeInput) input: PartnerStatusChangeInput): Promise<PartnerPayload> {
    const { value, userErrors } = await reactivatePartner(ctx, input);
    return { partner: value, userErrors };
  }

  @Authorized(Role.PARTNER)
  @Mutation(() => PartnerPayload, { description: "A partner user edits its own organisation's profile (name, contact, address, description)" })
  async partnerProfileUpdate(@Ctx() ctx: RequestContext, @Arg('input', () => PartnerProfileUpdateInput) input: PartnerProfileUpdateInput): Promise<PartnerPayload> {
    const { value, userErrors } = await updateOwnProfile(ctx, input);
    return { partner: value, userErrors };
  }
}
