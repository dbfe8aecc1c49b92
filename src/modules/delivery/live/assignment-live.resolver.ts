import { Arg, Authorized, Ctx, Field, FieldResolver, ID, Int, ObjectType, Resolver, Root, Subscription } from 'type-graphql';
import type { SubscribeResolverData } from 'type-graphql';
import type { RequestContext } from '../../../platform/graphql/context.js';
import { inFreshQuery } from '../../../platform/graphql/context.js';
import { forbidden } from '../../../platform/graphql/errors.js';
import { toGlobalId } from '../../../platform/graphql/node.js';
import { DateTimeScalar } from '../../../platform/graphql/scalars.js';
import { Role } from '../../../platform/auth/roles.js';
import { partnerChannel } from '../../../platform/events/event-hub.js';
import { parseAfter, resumableEvents } from '../../../platform/events/event-stream.js';
import { fromOutboxRow, outboxPageSql, type OutboxEvent, type OutboxRow } from '../../../platform/events/outbox-event.js';
import { AssignmentEventKind } from '../../commission/commission.enums.js';
import { assignmentById, PartnerAssignment } from '../partner-assignment.js';
import { PartnerStanding } from './partner-standing.js';

const REPLAY_PAGE = 500;

@ObjectType({ description: 'A change of an item assigned to your organisation. Pass its eventId as `after` to resume from it' })
export class AssignmentEvent {
  @Field(() => String, { description: 'Increasing cursor of the event; resubscribe with after: eventId to receive what followed it' }) eventId!: string;
  @Field(() => ID, { description: 'The PartnerAssignment (plan item) concerned' }) assignmentId!: string;

  /** The item's uuid, for the `assignment` field. */
  itemKey!: string;

  @Field(() => AssignmentEventKind) kind!: AssignmentEventKind;

  @Field(() => [String], {
    description: 'For CHANGED: the fields that changed (startsAt, weekdays, endOn...); commissionStatus when the commission made the event',
  })
  changes!: string[];

  @Field(() => Int, { description: "The plan's revision that made the change (for a commission's change: the plan's revision then)" }) planRevision!: number;
  @Field(() => DateTimeScalar) occurredAt!: Date;
}

function toAssignmentEvent(event: OutboxEvent): AssignmentEvent {
  return Object.assign(new AssignmentEvent(), {
    eventId: event.id,
    assignmentId: toGlobalId('PartnerAssignment', event.subjectId),
    itemKey: event.subjectId,
    kind: event.kind as AssignmentEventKind,
    changes: event.changes,
    planRevision: event.revision,
    occurredAt: event.occurredAt,
  });
}

type Data = SubscribeResolverData<unknown, Record<string, unknown>, RequestContext>;

/**
 * The partner's own events: replayed from the outbox under its rights, then live from its channel.
 * Both follow the partner's standing now, not when it subscribed: the database keeps a gmina that
 * retired it (or whose commissions with it ended) out of the replay, and PartnerStanding out of the
 * live events, ending the subscription with FORBIDDEN when it is lost.
 */
async function subscribeToAssignments({ args, context: ctx }: Data): Promise<AsyncIterable<OutboxEvent>> {
  const partnerId = ctx.principal.partnerId;
  if (ctx.principal.role !== Role.PARTNER || !partnerId) throw forbidden('Only partner users follow their assignments');
  const after = parseAfter(args.after as string | null | undefined);
  const live = ctx.events.subscribe(
    [partnerChannel(partnerId)],
    (event) => (event.topic === 'ASSIGNMENT' || event.topic === 'STANDING') && event.partnerId === partnerId,
  );
  let standing: PartnerStanding;
  try {
    standing = await PartnerStanding.load(ctx);
  } catch (error) {
    live.close();
    throw error;
  }
  const replayPage = (last: string) =>
    inFreshQuery(ctx, async (fresh) =>
      (await fresh.em.execute<OutboxRow[]>(outboxPageSql(`id > ?::bigint and topic = 'ASSIGNMENT' and partner_id = ?`, REPLAY_PAGE), [last, partnerId])).map(
        fromOutboxRow,
      ),
    );
  return resumableEvents(ctx.principal, { live, replayPage, pageSize: REPLAY_PAGE, admit: (event) => standing.admit(event) }, after);
}

@Resolver(() => AssignmentEvent)
export class AssignmentLiveResolver {
  // subscribeToAssignments refuses other roles before any event; @Authorized states it for the roles snapshot.
  @Authorized(Role.PARTNER)
  @Subscription(() => AssignmentEvent, {
    subscribe: subscribeToAssignments,
    description:
      'Items assigned to your organisation: new, changed, withdrawn, ended, their commission suspended or resumed, live. With `after` (an eventId received earlier), first everything since it. Only gminy where your organisation still works: when a gmina retires it, or its commissions there end, the subscription ends with FORBIDDEN (subscribe again for the others)',
  })
  assignmentUpdated(@Root() event: OutboxEvent, @Arg('after', () => String, { nullable: true }) _after?: string): AssignmentEvent {
    return toAssignmentEvent(event);
  }

  @FieldResolver(() => PartnerAssignment, { nullable: true, description: 'The item as it is now (null once it is no longer yours)' })
  assignment(@Root() event: AssignmentEvent, @Ctx() ctx: RequestContext): Promise<PartnerAssignment | null> {
    return assignmentById(ctx).load(event.itemKey);
  }
}
