import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import type { FilterQuery } from '@mikro-orm/core';
import { Connection, findPage, PageArgs, toConnection } from '../../platform/graphql/connection.js';
import { declareMutations } from '../common/mutation-table.js';
import type { RequestContext } from '../../platform/graphql/context.js';
import { isUuid, registerNodeType, uuidFromGlobalId } from '../../platform/graphql/node.js';
import { Role } from '../../platform/auth/roles.js';
import { Commission } from '../commission/commission.entity.js';
import { commissionById } from '../commission/commission.loader.js';
import { COMMISSION_MANAGERS } from '../commission/commission.resolver.js';
import { Settlement } from './settlement.entity.js';
import { SettlementDecisionInput, SettlementFilter, SettlementOpenInput, SettlementPayload, SettlementSubmitInput } from './settlement.inputs.js';
import { acceptSettlement, openSettlement, returnSettlement, settlementStatement, submitSettlement } from './settlement.service.js';
import { SettlementStatement } from './settlement-statement.js';

/** Who reads settlements: the centre's managers of the commission's gmina, and the partner (its own commissions). */
export const SETTLEMENT_READERS = [...COMMISSION_MANAGERS, Role.PARTNER];

registerNodeType('Settlement', async (ctx, key) => (isUuid(key) ? ctx.em.findOne(Settlement, { id: key }) : null));

const SettlementConnection = Connection(Settlement);
@Resolver(() => Settlement)
export class SettlementResolver {
  @Authorized(...SETTLEMENT_READERS)
  @Query(() => SettlementConnection, { description: "Settlements you may see (a partner: its own commissions'), latest month first" })
  async settlements(
    @Ctx() ctx: RequestContext,
    @Args(() => PageArgs) page: PageArgs,
    @Arg('filter', () => SettlementFilter, { nullable: true }) filter?: SettlementFilter,
  ) {
    const where: FilterQuery<Settlement> = {};
    if (filter?.commissionId) where.commissionId = uuidFromGlobalId(filter.commissionId, 'Commission', 'filter.commissionId');
    if (filter?.statuses) where.status = { $in: filter.statuses };
    return toConnection(SettlementConnection, await findPage(ctx.em, Settlement, where, [{ month: 'desc' }, { id: 'desc' }], page));
  }

  @Authorized(...SETTLEMENT_READERS)
  @Query(() => Settlement, { nullable: true })
  settlement(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<Settlement | null> {
    return ctx.em.findOne(Settlement, { id: uuidFromGlobalId(id, 'Settlement') });
  }

  @Authorized(...SETTLEMENT_READERS)
  @Query(() => SettlementStatement, {
    nullable: true,
    description:
      'A settlement\'s full figures, as its exports show them; ask with Accept: text/csv for the CSV, application/pdf for the PDF statement (README, "Monthly settlement")',
  })
  settlementStatement(@Ctx() ctx: RequestContext, @Arg('settlementId', () => ID) settlementId: string): Promise<SettlementStatement | null> {
    return settlementStatement(ctx, uuidFromGlobalId(settlementId, 'Settlement', 'settlementId'));
  }

  @FieldResolver(() => SettlementStatement, { description: 'The figures: computed from the recorded deliveries until accepted, then frozen' })
  async statement(@Root() settlement: Settlement, @Ctx() ctx: RequestContext): Promise<SettlementStatement> {
    return (await settlementStatement(ctx, settlement.id)) as SettlementStatement;
  }

  @FieldResolver(() => Commission, { nullable: true })
  commission(@Root() settlement: Settlement, @Ctx() ctx: RequestContext): Promise<Commission | null> {
    return commissionById(ctx).load(settlement.commissionId);
  }
}

declareMutations(SettlementResolver, COMMISSION_MANAGERS, SettlementPayload, {
  settlementOpen: {
    description: "Opens a commission's settlement for a month (the partner, or the centre's managers)",
    input: SettlementOpenInput,
    run: openSettlement,
    roles: SETTLEMENT_READERS,
  },
  settlementSubmit: {
    description: 'OPEN or RETURNED -> SUBMITTED: the partner reports the month (after it has ended), with its indicator values',
    input: SettlementSubmitInput,
    run: submitSettlement,
    roles: [Role.PARTNER],
  },
  settlementAccept: {
    description: 'SUBMITTED -> ACCEPTED: freezes the figures; later changes of the month go to the next settlement as adjustments',
    input: SettlementDecisionInput,
    run: acceptSettlement,
  },
  settlementReturn: {
    description: 'SUBMITTED -> RETURNED, with a reason: the partner puts it right and submits again',
    input: SettlementDecisionInput,
    run: returnSettlement,
  },
});
