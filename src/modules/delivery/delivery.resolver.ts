import { Arg, Args, Authorized, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { FilterQuery } from '@mikro-orm/core';
import { Connection, findPage, PageArgs, toConnection } from '../../platform/graphql/connection.js';
import { declareMutations } from '../common/mutation-table.js';
import type { RequestContext } from '../../platform/graphql/context.js';
import { badInput } from '../../platform/graphql/errors.js';
import { fromGlobalId, isUuid, registerNodeType, uuidFromGlobalId } from '../../platform/graphql/node.js';
import { LocalDateScalar } from '../../platform/graphql/scalars.js';
import { RECORD_READERS, Role } from '../../platform/auth/roles.js';
import { Service } from '../catalogue/service.entity.js';
import { serviceById } from '../catalogue/service.loader.js';
import { Location } from '../catalogue/location.entity.js';
import { locationById } from '../catalogue/location.loader.js';
import { Commission } from '../commission/commission.entity.js';
import { commissionById } from '../commission/commission.loader.js';
import { IpusItem } from '../ipus/ipus-parts.entity.js';
import { Delivery, DELIVERY_NOTE_READERS, DeliveryCorrection, ItemProgress, NOTE_DESCRIPTION } from './delivery.entity.js';
import { AssignmentFilter, DeliveryCorrectInput, DeliveryFilter, DeliveryPayload, DeliveryRecordInput } from './delivery.inputs.js';
import { correctionsOfDelivery, deliveriesOfItem, deliveryAt, itemById, noteKey, noteOfDelivery, progressKey, progressOfItem } from './delivery.loader.js';
import { correctDelivery, recordDelivery } from './delivery.service.js';
import { assignmentById, PartnerAssignment } from './partner-assignment.js';
import { assignmentPage, schedulePage, ScheduledVisit } from './partner-work.queries.js';

registerNodeType('Delivery', async (ctx, key) => (isUuid(key) ? ctx.em.findOne(Delivery, { id: key }) : null));

const AssignmentConnection = Connection(PartnerAssignment);
const VisitConnection = Connection(ScheduledVisit);
const DeliveryConnection = Connection(Delivery);

/** Partners read what they deliver; the staff who work with individuals read deliveries on their residents' plans. */
export const DELIVERY_READERS = [...RECORD_READERS, Role.PARTNER];
/** Partners record their assigned items; the same staff record items the CUS or a gmina unit provides. */
const DELIVERY_RECORDERS = [...RECORD_READERS, Role.PARTNER];

/** An item named by a partner (PartnerAssignment) or by staff (IpusItem): the same row. */
function itemKey(globalId: string): string {
  const { type, key } = fromGlobalId(globalId);
  if ((type !== 'PartnerAssignment' && type !== 'IpusItem') || !isUuid(key))
    throw badInput('filter.itemId must be the id of a PartnerAssignment or an IpusItem');
  return key;
}

@Resolver(() => PartnerAssignment)
export class PartnerAssignmentResolver {
  @Authorized(Role.PARTNER)
  @Query(() => AssignmentConnection, { description: 'Plan items assigned to your organisation, by start date' })
  async assignments(
    @Ctx() ctx: RequestContext,
    @Args(() => PageArgs) page: PageArgs,
    @Arg('filter', () => AssignmentFilter, { nullable: true }) filter?: AssignmentFilter,
  ) {
    return toConnection(AssignmentConnection, await assignmentPage(ctx, filter, page));
  }

  @Authorized(Role.PARTNER)
  @Query(() => VisitConnection, { description: 'Your sessions between from and to (at most 31 days), across every weekly item assigned to you, in time order' })
  async schedule(
    @Ctx() ctx: RequestContext,
    @Arg('from', () => LocalDateScalar) from: string,
    @Arg('to', () => LocalDateScalar) to: string,
    @Args(() => PageArgs) page: PageArgs,
  ) {
    return toConnection(VisitConnection, await schedulePage(ctx, from, to, page));
  }

  @FieldResolver(() => Service, { nullable: true })
  service(@Root() assignment: PartnerAssignment, @Ctx() ctx: RequestContext): Promise<Service | null> {
    return serviceById(ctx).load(assignment.serviceId);
  }

  @FieldResolver(() => Location, { nullable: true, description: 'The place, for services at a LOCATION' })
  location(@Root() assignment: PartnerAssignment, @Ctx() ctx: RequestContext): Promise<Location | null> {
    return assignment.locationId ? locationById(ctx).load(assignment.locationId) : Promise.resolve(null);
  }

  @FieldResolver(() => Commission, { nullable: true, description: 'The commission the item falls under' })
  commission(@Root() assignment: PartnerAssignment, @Ctx() ctx: RequestContext): Promise<Commission | null> {
    return commissionById(ctx).load(assignment.commissionId);
  }

  @FieldResolver(() => [Delivery], { description: 'What you recorded for this item, in date order' })
  deliveries(@Root() assignment: PartnerAssignment, @Ctx() ctx: RequestContext): Promise<Delivery[]> {
    return deliveriesOfItem(ctx).load(assignment.id);
  }

  @FieldResolver(() => ItemProgress)
  progress(@Root() assignment: PartnerAssignment, @Ctx() ctx: RequestContext): Promise<ItemProgress> {
    return progressOfItem(ctx).load(progressKey(assignment));
  }
}

@Resolver(() => ScheduledVisit)
export class ScheduledVisitResolver {
  @FieldResolver(() => Delivery, { nullable: true, description: 'What was recorded for this session, if anything' })
  delivery(@Root() visit: ScheduledVisit, @Ctx() ctx: RequestContext): Promise<Delivery | null> {
    return deliveryAt(ctx).load(`${visit.assignment.id}|${visit.date}|${visit.startsAt.slice(0, 5)}`);
  }
}

@Resolver(() => Delivery)
export class DeliveryResolver {
  @Authorized(...DELIVERY_READERS)
  @Query(() => DeliveryConnection, { description: 'Deliveries you may see (a partner: those it recorded), by date and time' })
  async deliveries(
    @Ctx() ctx: RequestContext,
    @Args(() => PageArgs) page: PageArgs,
    @Arg('filter', () => DeliveryFilter, { nullable: true }) filter?: DeliveryFilter,
  ) {
    const where: FilterQuery<Delivery> = {};
    if (filter?.from || filter?.to) where.deliveredOn = { ...(filter.from ? { $gte: filter.from } : {}), ...(filter.to ? { $lte: filter.to } : {}) };
    if (filter?.commissionId) where.commissionId = uuidFromGlobalId(filter.commissionId, 'Commission', 'filter.commissionId');
    if (filter?.itemId) where.ipusItemId = itemKey(filter.itemId);
    if (filter?.outcomes) where.outcome = { $in: filter.outcomes };
    return toConnection(DeliveryConnection, await findPage(ctx.em, Delivery, where, [{ deliveredOn: 'asc' }, { startsAt: 'asc' }, { id: 'asc' }], page));
  }

  @Authorized(...DELIVERY_NOTE_READERS)
  @FieldResolver(() => String, { nullable: true, description: NOTE_DESCRIPTION })
  note(@Root() delivery: Delivery, @Ctx() ctx: RequestContext): Promise<string | null> {
    return noteOfDelivery(ctx).load(noteKey(delivery));
  }

  @FieldResolver(() => [DeliveryCorrection], { description: 'Earlier versions, oldest first: who changed what, and when' })
  corrections(@Root() delivery: Delivery, @Ctx() ctx: RequestContext): Promise<DeliveryCorrection[]> {
    return correctionsOfDelivery(ctx).load(delivery.id);
  }

  @FieldResolver(() => PartnerAssignment, { nullable: true, description: 'The item, as its partner sees it (partners only)' })
  assignment(@Root() delivery: Delivery, @Ctx() ctx: RequestContext): Promise<PartnerAssignment | null> {
    return ctx.principal.role === Role.PARTNER ? assignmentById(ctx).load(delivery.ipusItemId) : Promise.resolve(null);
  }

  @FieldResolver(() => IpusItem, { nullable: true, description: 'The plan item (staff only)' })
  item(@Root() delivery: Delivery, @Ctx() ctx: RequestContext): Promise<IpusItem | null> {
    return ctx.principal.role === Role.PARTNER ? Promise.resolve(null) : itemById(ctx).load(delivery.ipusItemId);
  }
}

declareMutations(DeliveryResolver, DELIVERY_RECORDERS, DeliveryPayload, {
  deliveryRecord: {
    description:
      'Record a session: a partner of an item assigned to it (assignmentId), the centre of an item it or a gmina unit provides (itemId). Checked for plausibility (README, Deliveries)',
    input: DeliveryRecordInput,
    run: recordDelivery,
  },
  deliveryCorrect: {
    description: "Correct a delivery: a partner its own, the centre an in-house item's; checked as when recorded, the previous values are kept (corrections)",
    input: DeliveryCorrectInput,
    run: correctDelivery,
  },
});

/** What the coordinator sees of deliveries on a plan item. */
@Resolver(() => IpusItem)
export class IpusItemDeliveriesResolver {
  @FieldResolver(() => [Delivery], { description: 'Deliveries recorded (by its partner, or by the centre for an in-house item), in date order' })
  deliveries(@Root() item: IpusItem, @Ctx() ctx: RequestContext): Promise<Delivery[]> {
    return deliveriesOfItem(ctx).load(item.id);
  }

  @FieldResolver(() => ItemProgress, { description: 'Planned against delivered' })
  progress(@Root() item: IpusItem, @Ctx() ctx: RequestContext): Promise<ItemProgress> {
    return progressOfItem(ctx).load(progressKey(item));
  }

  @FieldResolver(() => Commission, { nullable: true, description: 'The commission a PARTNER item falls under' })
  commission(@Root() item: IpusItem, @Ctx() ctx: RequestContext): Promise<Commission | null> {
    return item.commissionId ? commissionById(ctx).load(item.commissionId) : Promise.resolve(null);
  }
}
