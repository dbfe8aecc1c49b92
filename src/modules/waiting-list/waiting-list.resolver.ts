import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { RECORD_KEEPERS, Role } from '../../platform/auth/roles.js';
import { declareMutations } from '../common/mutation-table.js';
import type { RequestContext } from '../../platform/graphql/context.js';
import { isUuid, registerNodeType, uuidFromGlobalId } from '../../platform/graphql/node.js';
import { LocalDateScalar } from '../../platform/graphql/scalars.js';
import { Commission } from '../commission/commission.entity.js';
import { commissionById } from '../commission/commission.loader.js';
import { daysBetween, todayInPoland } from '../common/dates.js';
import { itemById } from '../delivery/delivery.loader.js';
import { Ipus } from '../ipus/ipus.entity.js';
import { ipusById } from '../ipus/ipus.loader.js';
import { IpusItem } from '../ipus/ipus-parts.entity.js';
import { PLAN_APPROVERS } from '../ipus/ipus.resolver.js';
import { WaitingListEntry } from './waiting-list.entity.js';
import { WAITING_LIST_LIVE, WaitingListStatus } from './waiting-list.enums.js';
import { WaitingListDeclineInput, WaitingListEntryInput, WaitingListEntryPayload, WaitingListJoinInput } from './waiting-list.inputs.js';
import { entriesOfItem, placeInLine } from './waiting-list.loader.js';
import { acceptOffer, declineEntry, joinWaitingList } from './waiting-list.service.js';

registerNodeType('WaitingListEntry', async (ctx, key) => (isUuid(key) ? ctx.em.findOne(WaitingListEntry, { id: key }) : null));

@Resolver(() => WaitingListEntry)
export class WaitingListResolver {
  @Authorized(...PLAN_APPROVERS)
  @Query(() => [WaitingListEntry], {
    description:
      "A commission's waiting list in line order (the applications' filing, not the joining), for the director and services organiser; " +
      'with `ended: true` also the waits that ended (accepted, declined, removed), newest first after the line. Empty for a commission you do not see',
  })
  async waitingList(
    @Ctx() ctx: RequestContext,
    @Arg('commissionId', () => ID) commissionId: string,
    @Arg('ended', () => Boolean, { defaultValue: false, description: 'Also the waits that ended' }) ended: boolean,
  ): Promise<WaitingListEntry[]> {
    const id = uuidFromGlobalId(commissionId, 'Commission', 'commissionId');
    const line = await ctx.em.find(
      WaitingListEntry,
      { commissionId: id, status: { $in: [...WAITING_LIST_LIVE] } },
      { orderBy: [{ filedOn: 'asc' }, { filedAt: 'asc' }, { applicationId: 'asc' }, { id: 'asc' }] },
    );
    if (!ended) return line;
    const past = await ctx.em.find(
      WaitingListEntry,
      { commissionId: id, status: { $nin: [...WAITING_LIST_LIVE] } },
      { orderBy: [{ endedOn: 'desc' }, { id: 'desc' }] },
    );
    return [...line, ...past];
  }

  @FieldResolver(() => Int, {
    nullable: true,
    description: "The entry's place in its commission's line (1: offered next), counted over all its gminy; none once the wait ended",
  })
  position(@Root() entry: WaitingListEntry, @Ctx() ctx: RequestContext): Promise<number | null> | null {
    return (WAITING_LIST_LIVE as readonly string[]).includes(entry.status) ? placeInLine(ctx).load(entry.id) : null;
  }

  @FieldResolver(() => Int, {
    description: 'Days waited: from joining to the offer, or to the end of the wait when none was offered, or to today while it waits',
  })
  daysWaited(@Root() entry: WaitingListEntry): number {
    return daysBetween(entry.joinedOn, entry.offeredOn ?? entry.endedOn ?? todayInPoland());
  }

  @FieldResolver(() => LocalDateScalar, { nullable: true, description: 'When the resident accepted the offered place' })
  acceptedOn(@Root() entry: WaitingListEntry): string | null {
    return entry.status === WaitingListStatus.ACCEPTED ? entry.endedOn : null;
  }

  @FieldResolver(() => Commission, { nullable: true, description: 'The commission whose room it waits for' })
  commission(@Root() entry: WaitingListEntry, @Ctx() ctx: RequestContext): Promise<Commission | null> {
    return commissionById(ctx).load(entry.commissionId);
  }

  @FieldResolver(() => Ipus, { nullable: true, description: 'The plan (the read is logged)' })
  ipus(@Root() entry: WaitingListEntry, @Ctx() ctx: RequestContext): Promise<Ipus | null> {
    return ipusById(ctx).load(entry.ipusId);
  }

  @FieldResolver(() => IpusItem, { nullable: true, description: 'The plan item that waits; none once it was removed from the plan' })
  async item(@Root() entry: WaitingListEntry, @Ctx() ctx: RequestContext): Promise<IpusItem | null> {
    return entry.ipusItemId ? itemById(ctx).load(entry.ipusItemId) : null;
  }
}

declareMutations(WaitingListResolver, [Role.COORDINATOR], WaitingListEntryPayload, {
  waitingListJoin: {
    description:
      "Puts a plan item on its commission's waiting list once the commission has no room for it (ipusApprove answered CAPACITY_EXCEEDED), " +
      "while its plan is DRAFT or AWAITING_APPROVAL; its place is its application's filing. NOT_ALLOWED when there is room (and no line), DUPLICATE when it waits already",
    input: WaitingListJoinInput,
    run: joinWaitingList,
  },
  waitingListAccept: {
    description:
      'The resident takes the place OFFERED to the entry: ACCEPTED, and the place stays held until the plan is approved. ' +
      'CAPACITY_EXCEEDED (nothing changed) if the commission no longer has it',
    input: WaitingListEntryInput,
    run: acceptOffer,
  },
  waitingListDecline: {
    description: 'The entry leaves the line (the resident declines the offered place, or no longer waits), with a reason; the next in line may be offered',
    input: WaitingListDeclineInput,
    run: declineEntry,
    roles: RECORD_KEEPERS,
  },
});

@Resolver(() => IpusItem)
export class IpusItemWaitingResolver {
  @FieldResolver(() => WaitingListEntry, {
    nullable: true,
    description: "The item's wait on its commission's waiting list (its place in line and days waited), the latest when it waited more than once",
  })
  async waitingListEntry(@Root() item: IpusItem, @Ctx() ctx: RequestContext): Promise<WaitingListEntry | null> {
    if (item.asOf !== undefined) return null;
    return (await entriesOfItem(ctx).load(item.id))[0] ?? null;
  }
}
