import { Arg, Args, Authorized, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { FilterQuery } from '@mikro-orm/core';
import { Connection, findPage, PageArgs, toConnection } from '../../platform/graphql/connection.js';
import { declareMutations } from '../common/mutation-table.js';
import { declareNodeLookup } from '../common/node-lookup.js';
import type { RequestContext } from '../../platform/graphql/context.js';
import { tercToId } from '../../platform/auth/principal.js';
import { GMINA_SCOPED, Role } from '../../platform/auth/roles.js';
import { Gmina } from '../gmina/gmina.entity.js';
import { gminaById, loadGminy } from '../gmina/gmina.loader.js';
import { raw } from '@mikro-orm/core';
import { Partner, PartnerStatus } from './partner.entity.js';
import { PartnerRelationship } from './partner-relationship.entity.js';
import {
  PartnerCreateInput,
  PartnerFilter,
  PartnerJoinInput,
  PartnerPayload,
  PartnerProfileUpdateInput,
  PartnerStatusChangeInput,
  PartnerUpdateInput,
} from './partner.inputs.js';
import { partnerById, relationshipsByPartner } from './partner.loader.js';
import { identityRefusal, PARTNER_MANAGERS } from './partner-rules.js';
import { createPartner, joinPartner, reactivatePartner, retirePartner, setClaimed, updateOwnProfile, updatePartner } from './partner.service.js';

// A PARTNER principal reaches its own row this way too: the database shows it no other.

const PartnerConnection = Connection(Partner);

/** Who reads partners and the partner council: CUS staff and gmina officials, each in their gminy. */
export const PARTNER_READERS = [...GMINA_SCOPED];
/** Who reads the register itself: its readers, and the platform administrator, who corrects identities (not relationships). */
const REGISTER_READERS = [...PARTNER_READERS, Role.PLATFORM_ADMIN];

/** Partners whose relationship with one of the reader's gminy is active (row-level security limits partner_gmina to them). */
const activeHere = (alias: string) => `${alias}.id in (select r.partner_id from partner_gmina r where r.status = 'ACTIVE')`;

/** The status filter: the reader's own relationships for staff and officials, the register's for the administrator. */
function statusWhere(ctx: RequestContext, status: PartnerStatus, where: Record<string | symbol, unknown>): void {
  if (!GMINA_SCOPED.includes(ctx.principal.role)) where.status = status;
  else if (status === PartnerStatus.ACTIVE) where[raw(activeHere)] = [];
  else where[raw((alias: string) => `not ${activeHere(alias)}`)] = [];
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

@Resolver(() => Partner)
export class PartnerResolver {
  @Authorized(...REGISTER_READERS)
  @Query(() => PartnerConnection, { description: 'Partners working in your gminy, by name (the platform administrator: every partner)' })
  async partners(
    @Ctx() ctx: RequestContext,
    @Args(() => PageArgs) page: PageArgs,
    @Arg('filter', () => PartnerFilter, { nullable: true }) filter?: PartnerFilter,
  ) {
    const where: Record<string | symbol, unknown> = {};
    if (filter?.gmina) where.gminaIds = { $overlap: [tercToId(filter.gmina)] };
    if (filter?.kind) where.kind = filter.kind;
    if (filter?.status) statusWhere(ctx, filter.status, where);
    if (filter?.nameContains) where.name = { $ilike: `%${escapeLike(filter.nameContains)}%` };
    return toConnection(PartnerConnection, await findPage(ctx.em, Partner, where as FilterQuery<Partner>, [{ name: 'asc' }, { id: 'asc' }], page));
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

  @FieldResolver(() => PartnerStatus, {
    description:
      'For staff and officials, the status in their own gminy (ACTIVE when any of their relationships is); ' +
      'for the partner itself and the administrator, ACTIVE while any gmina works with it',
  })
  async status(@Root() partner: Partner, @Ctx() ctx: RequestContext): Promise<PartnerStatus> {
    if (!GMINA_SCOPED.includes(ctx.principal.role)) return partner.status;
    const mine = await relationshipsByPartner(ctx).load(partner.id);
    return mine.some((r) => r.status === PartnerStatus.ACTIVE) ? PartnerStatus.ACTIVE : PartnerStatus.INACTIVE;
  }

  @FieldResolver(() => [PartnerRelationship], { description: "Your gminy's own relationships with the partner (staff and officials of those gminy only)" })
  relationships(@Root() partner: Partner, @Ctx() ctx: RequestContext): Promise<PartnerRelationship[]> {
    return relationshipsByPartner(ctx).load(partner.id);
  }

  @FieldResolver(() => Boolean, { description: 'The partner keeps its own profile: its users edited it, or the platform administrator said it has users' })
  claimed(@Root() partner: Partner): boolean {
    return partner.claimedAt !== null;
  }

  @FieldResolver(() => Boolean, {
    description:
      "You may change the partner's shared identity with partnerUpdate (a partner user: its own name, contact, address and description, with partnerProfileUpdate)",
  })
  identityEditable(@Root() partner: Partner, @Ctx() ctx: RequestContext): boolean {
    return identityRefusal(ctx.principal, partner) === null;
  }
}

declareNodeLookup(PartnerResolver, 'partner', { type: Partner, roles: REGISTER_READERS, byId: partnerById });

declareMutations(PartnerResolver, PARTNER_MANAGERS, PartnerPayload, {
  partnerCreate: { description: 'Register a partner working in some of your gminy', input: PartnerCreateInput, run: createPartner },
  partnerJoin: {
    description: 'Start working with a partner another centre registered (partnerCreate answers DUPLICATE for its NIP): adds gminy of your scope to it',
    input: PartnerJoinInput,
    run: joinPartner,
  },
  partnerUpdate: {
    description:
      'Change a partner: its shared identity (the centre that registered it until the partner claims its profile, and the platform ' +
      'administrator; NOT_ALLOWED for others), and your own relationship (gminy of your scope, local contact, notes)',
    input: PartnerUpdateInput,
    run: updatePartner,
    roles: [...PARTNER_MANAGERS, Role.PLATFORM_ADMIN],
  },
  partnerRetire: {
    description: 'Retire a partner in your gminy (your relationship becomes INACTIVE); other gminy keep theirs, and its history stays',
    input: PartnerStatusChangeInput,
    run: retirePartner,
  },
  partnerReactivate: {
    description: 'Bring a partner you retired back in your gminy (status ACTIVE)',
    input: PartnerStatusChangeInput,
    run: reactivatePartner,
  },
  partnerMarkClaimed: {
    description: "The partner has users of its own (its accounts were set up): its profile is its own, no longer the registering centre's",
    input: PartnerStatusChangeInput,
    run: (ctx, input) => setClaimed(ctx, input, true),
    roles: [Role.PLATFORM_ADMIN],
  },
  partnerReleaseClaim: {
    description: 'The partner has no users any more: the centre that registered it keeps its profile again',
    input: PartnerStatusChangeInput,
    run: (ctx, input) => setClaimed(ctx, input, false),
    roles: [Role.PLATFORM_ADMIN],
  },
  partnerProfileUpdate: {
    description: "A partner user edits its own organisation's profile (name, contact, address, description); its first edit claims the profile",
    input: PartnerProfileUpdateInput,
    run: updateOwnProfile,
    roles: [Role.PARTNER],
  },
});

@Resolver(() => PartnerRelationship)
export class PartnerRelationshipResolver {
  @FieldResolver(() => Gmina, { description: 'The gmina whose relationship this is' })
  async gmina(@Root() relationship: PartnerRelationship, @Ctx() ctx: RequestContext): Promise<Gmina> {
    return (await gminaById(ctx).load(relationship.gminaId)) as Gmina;
  }
}
