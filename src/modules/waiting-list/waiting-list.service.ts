import type { RequestContext } from '../../platform/graphql/context.js';
import { UserErrorCode, UserErrors } from '../../platform/graphql/user-error.js';
import { Application } from '../application/application.entity.js';
import { checkRoomAtApproval } from '../commission/commission-assignment.js';
import { todayInPoland } from '../common/dates.js';
import { findVisible } from '../common/find.js';
import { ok, refuse, textOrNull, type Result } from '../common/result.js';
import { Ipus } from '../ipus/ipus.entity.js';
import { IpusStatus } from '../ipus/ipus.enums.js';
import { IpusItem } from '../ipus/ipus-parts.entity.js';
import { WaitingListEntry } from './waiting-list.entity.js';
import { WAITING_LIST_LIVE, WaitingListStatus } from './waiting-list.enums.js';
import type { WaitingListDeclineInput, WaitingListEntryInput, WaitingListJoinInput } from './waiting-list.inputs.js';

/** Plans whose items hold no capacity yet: those an approval refused for want of room can wait. */
const WAITING_PLANS: readonly IpusStatus[] = [IpusStatus.DRAFT, IpusStatus.AWAITING_APPROVAL];

/** Whether `item` fits under its commission now (places, volume, budget, and places held for offers), under the commission's lock. */
async function roomFor(ctx: RequestContext, plan: Ipus, item: IpusItem, errors: UserErrors): Promise<void> {
  await checkRoomAtApproval(
    ctx,
    { ipusId: plan.id, cusUnitId: plan.cusUnitId, residentId: plan.residentId },
    [{ ...item, commissionId: item.commissionId as string, partnerId: item.partnerId as string }],
    errors,
  );
}

/** Offers the freed place to the first in line of a commission, if it fits (the database decides, under the lock). */
async function offerNext(ctx: RequestContext, commissionId: string): Promise<void> {
  await ctx.em.execute(`select app.waiting_list_offer(?)`, [commissionId]);
}

/**
 * A coordinator puts a plan item on its commission's waiting list, once the commission has no room for
 * it (ipusApprove answered CAPACITY_EXCEEDED) or others already wait there. Its place in line is its
 * application's filing, not the day it joins.
 */
export async function joinWaitingList(ctx: RequestContext, input: WaitingListJoinInput): Promise<Result<WaitingListEntry>> {
  const errors = new UserErrors();
  const item = await findVisible(ctx, IpusItem, input.itemId, 'itemId', errors, 'plan item');
  if (!item) return refuse(errors);
  const plan = (await ctx.em.findOne(Ipus, { id: item.ipusId })) as Ipus;
  const commissionId = item.commissionId;
  if (!commissionId) {
    errors.add('itemId', 'Only an item under a commission waits for its room; this one is not provided by a partner', UserErrorCode.NOT_ALLOWED);
    return refuse(errors);
  }
  if (!WAITING_PLANS.includes(plan.status)) {
    errors.add('itemId', `The plan is ${plan.status}: an item waits while its plan is a DRAFT or AWAITING_APPROVAL`, UserErrorCode.NOT_ALLOWED);
    return refuse(errors);
  }
  if ((await ctx.em.count(WaitingListEntry, { ipusItemId: item.id, status: { $in: [...WAITING_LIST_LIVE] } })) > 0) {
    errors.add('itemId', 'The item is already on the waiting list', UserErrorCode.DUPLICATE);
    return refuse(errors);
  }
  // Under the commission's lock from here: the room checked is the room the entry joins against.
  const room = new UserErrors();
  await roomFor(ctx, plan, item, room);
  const inLine = await ctx.em.count(WaitingListEntry, { commissionId, status: { $in: [...WAITING_LIST_LIVE] } });
  if (!room.any && inLine === 0) {
    errors.add('itemId', 'The commission has room for this item now: submit the plan for approval instead', UserErrorCode.NOT_ALLOWED);
    return refuse(errors);
  }
  const application = (await ctx.em.findOne(Application, { id: plan.applicationId })) as Application;
  const entry = ctx.em.create(WaitingListEntry, {
    gminaId: plan.gminaId,
    ipusId: plan.id,
    ipusItemId: item.id,
    commissionId,
    applicationId: application.id,
    filedOn: application.filedOn,
    filedAt: application.createdAt,
    joinedOn: todayInPoland(),
    joinedBy: ctx.principal.subject,
  });
  await ctx.em.flush();
  // Filed earlier than the head of the line, it may be first, and fit where the head did not.
  await offerNext(ctx, commissionId);
  await ctx.em.refresh(entry);
  return ok(entry);
}

async function liveEntry(ctx: RequestContext, id: string, statuses: readonly WaitingListStatus[], errors: UserErrors): Promise<WaitingListEntry | null> {
  const entry = await findVisible(ctx, WaitingListEntry, id, 'id', errors, 'waiting list entry');
  if (entry && !statuses.includes(entry.status)) {
    errors.add('id', `The entry is ${entry.status}; this needs it ${statuses.join(' or ')}`, UserErrorCode.NOT_ALLOWED);
    return null;
  }
  return entry;
}

/**
 * The resident takes the offered place: checked again under the commission's lock (the place is held
 * for the offer, so only a change of the commission's terms can have taken it), the entry is ACCEPTED
 * and keeps holding the place until the plan is approved, which then counts it as its own.
 */
export async function acceptOffer(ctx: RequestContext, input: WaitingListEntryInput): Promise<Result<WaitingListEntry>> {
  const errors = new UserErrors();
  const entry = await liveEntry(ctx, input.id, [WaitingListStatus.OFFERED], errors);
  if (!entry) return refuse(errors);
  const item = (await ctx.em.findOne(IpusItem, { id: entry.ipusItemId as string })) as IpusItem;
  const plan = (await ctx.em.findOne(Ipus, { id: entry.ipusId })) as Ipus;
  await roomFor(ctx, plan, item, errors);
  if (errors.any) return refuse(errors);
  ctx.em.assign(entry, { status: WaitingListStatus.ACCEPTED, endedOn: todayInPoland(), endedBy: ctx.principal.subject });
  await ctx.em.flush();
  return ok(entry);
}

/** The resident declines the place, or no longer waits: the entry leaves the line and the next in line may be offered. */
export async function declineEntry(ctx: RequestContext, input: WaitingListDeclineInput): Promise<Result<WaitingListEntry>> {
  const errors = new UserErrors();
  const reason = textOrNull(input.reason);
  if (reason === null) errors.add('reason', 'Say why the entry leaves the line', UserErrorCode.REQUIRED);
  const entry = await liveEntry(ctx, input.id, WAITING_LIST_LIVE, errors);
  if (!entry || errors.any) return refuse(errors);
  ctx.em.assign(entry, { status: WaitingListStatus.DECLINED, endedOn: todayInPoland(), endedBy: ctx.principal.subject, endReason: reason });
  await ctx.em.flush();
  await offerNext(ctx, entry.commissionId);
  return ok(entry);
}
