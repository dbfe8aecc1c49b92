import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { FilterQuery } from '@mikro-orm/core';
import { Connection, findPage, PageArgs, toConnection } from '../../platform/graphql/connection.js';
import type { RequestContext } from '../../platform/graphql/context.js';
import { isUuid, registerNodeType, uuidFromGlobalId } from '../../platform/graphql/node.js';
import { TerytCodeScalar } from '../../platform/graphql/scalars.js';
import { idToTerc } from '../../platform/auth/principal.js';
import { GMINA_SCOPED, Role } from '../../platform/auth/roles.js';
import { Service } from '../catalogue/service.entity.js';
import { CusUnit } from '../cus-unit/cus-unit.entity.js';
import { cusUnitById } from '../cus-unit/cus-unit.loader.js';
import { Partner } from '../partner/partner.entity.js';
import { partnerById } from '../partner/partner.loader.js';
import { Commission, CommissionService } from './commission.entity.js';
import { CommissionCreateInput, CommissionFilter, CommissionPayload, CommissionStatusInput, CommissionUpdateInput } from './commission.inputs.js';
import { commissionById, servicesOfCommission } from './commission.loader.js';
import {
  activateCommission,
  completeCommission,
  createCommission,
  resumeCommission,
  suspendCommission,
  terminateCommission,
  updateCommission,
} from './commission.service.js';
import type { Result } from '../common/result.js';

registerNodeType('Commission', async (ctx, key) => (isUuid(key) ? commissionById(ctx).load(key) : null));

const CommissionConnection = Connection(Commission);

/** Who commissions services (DOMAIN.md): the director and the services organiser. */
export const COMMISSION_MANAGERS = [Role.DIRECTOR, Role.SERVICES_ORGANISER];
/** CUS staff and gmina officials read their unit's commissions; a partner reads its own, in every gmina. */
export const COMMISSION_READERS = [...GMINA_SCOPED, Role.PARTNER];

const payload = ({ value, userErrors }: Result<Commission>): CommissionPayload => ({ commission: value, userErrors });

@Resolver(() => Commission)
export class CommissionResolver {
  @Authorized(...COMMISSION_READERS)
  @Query(() => CommissionConnection, { description: 'Commissions you may see (a partner: its own, in every gmina it works in), newest period first' })
  async commissions(
    @Ctx() ctx: RequestContext,
    @Args(() => PageArgs) page: PageArgs,
    @Arg('filter', () => CommissionFilter, { nullable: true }) filter?: CommissionFilter,
  ) {
    const where: FilterQuery<Commission> = {};
    if (filter?.partnerId) where.partnerId = uuidFromGlobalId(filter.partnerId, 'Partner', 'filter.partnerId');
    if (filter?.cusUnitId) where.cusUnitId = uuidFromGlobalId(filter.cusUnitId, 'CusUnit', 'filter.cusUnitId');
    if (filter?.statuses) where.status = { $in: filter.statuses };
    if (filter?.activeOn) Object.assign(where, { periodStart: { $lte: filter.activeOn }, periodEnd: { $gte: filter.activeOn } });
    if (filter?.serviceId) {
      const serviceId = uuidFromGlobalId(filter.serviceId, 'Service', 'filter.serviceId');
      where.id = { $in: (await ctx.em.find(CommissionService, { serviceId })).map((link) => link.commissionId) };
    }
    return toConnection(CommissionConnection, await findPage(ctx.em, Commission, where, [{ createdAt: 'desc' }, { id: 'desc' }], page));
  }

  @Authorized(...COMMISSION_READERS)
  @Query(() => Commission, { nullable: true })
  commission(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<Commission | null> {
    return commissionById(ctx).load(uuidFromGlobalId(id, 'Commission'));
  }

  @FieldResolver(() => Partner, { nullable: true, description: 'The partner carrying out the commission' })
  partner(@Root() commission: Commission, @Ctx() ctx: RequestContext): Promise<Partner | null> {
    return partnerById(ctx).load(commission.partnerId);
  }

  @FieldResolver(() => [Service], { description: 'The services commissioned' })
  services(@Root() commission: Commission, @Ctx() ctx: RequestContext): Promise<Service[]> {
    return servicesOfCommission(ctx).load(commission.id);
  }

  @FieldResolver(() => CusUnit, { nullable: true, description: 'The commissioning CUS unit (null for partners, who do not read units)' })
  cusUnit(@Root() commission: Commission, @Ctx() ctx: RequestContext): Promise<CusUnit | null> {
    return cusUnitById(ctx).load(commission.cusUnitId);
  }

  @FieldResolver(() => [TerytCodeScalar], { description: 'The gminy the commissioning unit serves' })
  gminy(@Root() commission: Commission): string[] {
    return commission.gminaIds.map(idToTerc);
  }

  @Authorized(...COMMISSION_MANAGERS)
  @Mutation(() => CommissionPayload, { description: 'Record a commission (PLANNED) of your unit to a partner' })
  async commissionCreate(@Ctx() ctx: RequestContext, @Arg('input', () => CommissionCreateInput) input: CommissionCreateInput): Promise<CommissionPayload> {
    return payload(await createCommission(ctx, input));
  }

  @Authorized(...COMMISSION_MANAGERS)
  @Mutation(() => CommissionPayload, { description: 'Change a commission (an annex); its terms cannot fall below what is assigned' })
  async commissionUpdate(@Ctx() ctx: RequestContext, @Arg('input', () => CommissionUpdateInput) input: CommissionUpdateInput): Promise<CommissionPayload> {
    return payload(await updateCommission(ctx, input));
  }

  @Authorized(...COMMISSION_MANAGERS)
  @Mutation(() => CommissionPayload, { description: 'PLANNED -> ACTIVE: needs the agreement number, the period, the budget and a service' })
  async commissionActivate(@Ctx() ctx: RequestContext, @Arg('input', () => CommissionStatusInput) input: CommissionStatusInput): Promise<CommissionPayload> {
    return payload(await activateCommission(ctx, input));
  }

  @Authorized(...COMMISSION_MANAGERS)
  @Mutation(() => CommissionPayload, { description: 'ACTIVE -> SUSPENDED, with a reason: assigned items stay, no new ones' })
  async commissionSuspend(@Ctx() ctx: RequestContext, @Arg('input', () => CommissionStatusInput) input: CommissionStatusInput): Promise<CommissionPayload> {
    return payload(await suspendCommission(ctx, input));
  }

  @Authorized(...COMMISSION_MANAGERS)
  @Mutation(() => CommissionPayload, { description: 'SUSPENDED -> ACTIVE' })
  async commissionResume(@Ctx() ctx: RequestContext, @Arg('input', () => CommissionStatusInput) input: CommissionStatusInput): Promise<CommissionPayload> {
    return payload(await resumeCommission(ctx, input));
  }

  @Authorized(...COMMISSION_MANAGERS)
  @Mutation(() => CommissionPayload, { description: 'ACTIVE or SUSPENDED -> COMPLETED, after the period has ended' })
  async commissionComplete(@Ctx() ctx: RequestContext, @Arg('input', () => CommissionStatusInput) input: CommissionStatusInput): Promise<CommissionPayload> {
    return payload(await completeCommission(ctx, input));
  }

  @Authorized(...COMMISSION_MANAGERS)
  @Mutation(() => CommissionPayload, { description: 'Ends a commission early, with a reason' })
  async commissionTerminate(@Ctx() ctx: RequestContext, @Arg('input', () => CommissionStatusInput) input: CommissionStatusInput): Promise<CommissionPayload> {
    return payload(await terminateCommission(ctx, input));
  }
}
