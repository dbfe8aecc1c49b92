import { Arg, Authorized, Ctx, Field, FieldResolver, ID, Int, ObjectType, Resolver, Root, Subscription } from 'type-graphql';
import type { SubscribeResolverData } from 'type-graphql';
import type { RequestContext } from '../../../platform/graphql/context.js';
import { inFreshQuery } from '../../../platform/graphql/context.js';
import { forbidden } from '../../../platform/graphql/errors.js';
import { toGlobalId } from '../../../platform/graphql/node.js';
import { DateTimeScalar } from '../../../platform/graphql/scalars.js';
import { Role } from '../../../platform/auth/roles.js';
import { gminaChannel, partnerChannel } from '../../../platform/events/event-hub.js';
import { parseAfter, resumableEvents } from '../../../platform/events/event-stream.js';
import { fromOutboxRow, outboxPageSql, type OutboxEvent, type OutboxRow } from '../../../platform/events/outbox-event.js';
import { COMMISSION_MANAGERS } from '../../commission/commission.resolver.js';
import { Settlement } from '../settlement.entity.js';
import { SettlementStatus } from '../settlement.enums.js';
import { SETTLEMENT_READERS } from '../settlement.resolver.js';

const REPLAY_PAGE = 500;

@ObjectType({ description: "A settlement's change of state. Pass its eventId as `after` to resume from it" })
export class SettlementEvent {
  @Field(() => String, { description: 'Increasing cursor of the event; resubscribe with after: eventId to receive what followed it' }) eventId!: string;
  @Field(() => ID) settlementId!: string;

  /** The settlement's uuid, for the `settlement` field. */
  settlementKey!: string;

  @Field(() => SettlementStatus, { description: 'The state it entered (OPEN when it was opened)' }) status!: SettlementStatus;
  @Field(() => Int, { description: "The settlement's version after the change" }) version!: number;
  @Field(() => DateTimeScalar) occurredAt!: Date;
}

type Data = SubscribeResolverData<unknown, Record<string, unknown>, RequestContext>;

/**
 * A partner follows its own commissions' settlements (PARTNER_SETTLEMENT events addressed to it); the
 * centre's managers those of their gminy (SETTLEMENT). Replayed from the outbox under the subscriber's
 * rights (migrations/Migration20261208000400Settlement.ts), then live.
 */
function subscribeToSettlements({ args, context: ctx }: Data): AsyncIterable<OutboxEvent> {
  const after = parseAfter(args.after as string | null | undefined);
  const { role, partnerId, gminy } = ctx.principal;
  if (role === Role.PARTNER && partnerId) {
    const live = ctx.events.subscribe([partnerChannel(partnerId)], (event) => event.topic === 'PARTNER_SETTLEMENT' && event.partnerId === partnerId);
    const replayPage = (last: string) =>
      inFreshQuery(ctx, async (fresh) =>
        (
          await fresh.em.execute<OutboxRow[]>(outboxPageSql(`id > ?::bigint and topic = 'PARTNER_SETTLEMENT' and partner_id = ?`, REPLAY_PAGE), [
            last,
            partnerId,
          ])
        ).map(fromOutboxRow),
      );
    return resumableEvents(ctx.principal, { live, replayPage, pageSize: REPLAY_PAGE }, after);
  }
  if (!COMMISSION_MANAGERS.includes(role)) throw forbidden('Your role does not follow settlements');
  const live = ctx.events.subscribe(gminy.map(gminaChannel), (event) => event.topic === 'SETTLEMENT' && gminy.includes(event.gminaId));
  const replayPage = (last: string) =>
    inFreshQuery(ctx, async (fresh) =>
      (
        await fresh.em.execute<OutboxRow[]>(outboxPageSql(`id > ?::bigint and topic = 'SETTLEMENT' and gmina_id = any (?::int[])`, REPLAY_PAGE), [
          last,
          `{${gminy.join(',')}}`,
        ])
      ).map(fromOutboxRow),
    );
  return resumableEvents(ctx.principal, { live, replayPage, pageSize: REPLAY_PAGE }, after);
}

@Resolver(() => SettlementEvent)
export class SettlementLiveResolver {
  // subscribeToSettlements refuses other roles before any event; @Authorized states it for the roles snapshot.
  @Authorized(...SETTLEMENT_READERS)
  @Subscription(() => SettlementEvent, {
    subscribe: subscribeToSettlements,
    description:
      "Settlements opened, submitted, returned and accepted, live: a partner's own commissions', or (the centre's managers) those of your gminy. With `after` (an eventId received earlier), first everything since it",
  })
  settlementUpdated(@Root() event: OutboxEvent, @Arg('after', () => String, { nullable: true }) _after?: string): SettlementEvent {
    return Object.assign(new SettlementEvent(), {
      eventId: event.id,
      settlementId: toGlobalId('Settlement', event.subjectId),
      settlementKey: event.subjectId,
      status: event.kind as SettlementStatus,
      version: event.revision,
      occurredAt: event.occurredAt,
    });
  }

  @FieldResolver(() => Settlement, { nullable: true, description: 'The settlement as it is now' })
  settlement(@Root() event: SettlementEvent, @Ctx() ctx: RequestContext): Promise<Settlement | null> {
    return ctx.em.findOne(Settlement, { id: event.settlementKey });
  }
}
