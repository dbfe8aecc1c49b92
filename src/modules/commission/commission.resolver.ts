import { Arg, Args, Authorized, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { FilterQuery } from '@mikro-orm/core';
import { Connection, findPage, PageArgs, toConnection } from '../../platform/graphql/connection.js';
import type { RequestContext } from '../../platform/graphql/context.js';
import { uuidFromGlobalId } from '../../platform/graphql/node.js';
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
import { declareMutations } from '../common/mutation-table.js';
import { declareNodeLookup } from '../common/node-lookup.js';

const CommissionConnection = Connection(Commission);

/** Who commissions services (DOMAIN.md): the director and the services organiser. */
export const COMMISSION_MANAGERS = [Role.DIRECTOR, Role.SERVICES_ORGANISER];
/** CUS staff and gmina officials read their unit's commissions; a partner reads its own, in every gmina. */
export const COMMISSION_READERS = [...GMINA_SCOPED, Role.PARTNER];

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
}

declareNodeLookup(CommissionResolver, 'commission', { type: Commission, roles: COMMISSION_READERS, byId: commissionById });

declareMutations(CommissionResolver, COMMISSION_MANAGERS, CommissionPayload, {
  commissionCreate: { description: 'Record a commission (PLANNED) of your unit to a partner', input: CommissionCreateInput, run: createCommission },
  commissionUpdate: {
    description: 'Change a commission (an annex); its terms cannot fall below what is assigned',
    input: CommissionUpdateInput,
    run: updateCommission,
  },
  commissionActivate: {
    description: 'PLANNED -> ACTIVE: needs the agreement number, the period, the budget and a service',
    input: CommissionStatusInput,
    run: activateCommission,
  },
  commissionSuspend: {
    description: 'ACTIVE -> SUSPENDED, with a reason: assigned items stay, no new ones',
    input: CommissionStatusInput,
    run: suspendCommission,
  },
  commissionResume: { description: 'SUSPENDED -> ACTIVE', input: CommissionStatusInput, run: resumeCommission },
  commissionComplete: { description: 'ACTIVE or SUSPENDED -> COMPLETED, after the period has ended', input: CommissionStatusInput, run: completeCommission },
  commissionTerminate: { description: 'Ends a commission early, with a reason', input: CommissionStatusInput, run: terminateCommission },
});
