import { Arg, Authorized, Ctx, FieldResolver, ID, Resolver, Root, Subscription } from 'type-graphql';
import type { SubscribeResolverData } from 'type-graphql';
import { idToTerc, tercToId } from '../../../platform/auth/principal.js';
import type { RequestContext } from '../../../platform/graphql/context.js';
import { inFreshQuery } from '../../../platform/graphql/context.js';
import { AppError, ErrorCode, forbidden } from '../../../platform/graphql/errors.js';
import { uuidFromGlobalId } from '../../../platform/graphql/node.js';
import { TerytCodeScalar } from '../../../platform/graphql/scalars.js';
import type { OutboxEvent } from '../../../platform/events/outbox-event.js';
import { parseAfter } from '../../../platform/events/event-stream.js';
import { planEvents } from './ipus-event-stream.js';
import { IpusEvent, toIpusEvent } from './ipus-event.js';
import { Ipus } from '../ipus.entity.js';
import { ipusById } from '../ipus.loader.js';
import { RECORD_READERS } from '../../../platform/auth/roles.js';

/** Who may follow plans live: those who may read them (the staff who work with individuals). */
function mayWatchPlans(ctx: RequestContext): void {
  if (!RECORD_READERS.includes(ctx.principal.role)) throw forbidden('Your role may not follow individual plans');
}

type Data = SubscribeResolverData<unknown, Record<string, unknown>, RequestContext>;

/** ipusUpdated(id): the plan must be one the subscriber can read now; another gmina's looks like none. */
async function subscribeToPlan({ args, context: ctx }: Data): Promise<AsyncIterable<OutboxEvent>> {
  mayWatchPlans(ctx);
  const after = parseAfter(args.after as string | null | undefined);
  const ipusId = uuidFromGlobalId(args.id as string, 'Ipus');
  const plan = await inFreshQuery(ctx, (fresh) => ipusById(fresh).load(ipusId));
  if (!plan) throw new AppError(ErrorCode.NOT_FOUND, 'No such plan');
  return planEvents(ctx, { gminy: [plan.gminaId], ipusId }, after);
}

/** The feed: every plan of the subscriber's gminy, or of those of them it names. */
function subscribeToFeed({ args, context: ctx }: Data): AsyncIterable<OutboxEvent> {
  mayWatchPlans(ctx);
  const after = parseAfter(args.after as string | null | undefined);
  const asked = (args.gminy as string[] | null | undefined)?.map(tercToId);
  const mine = ctx.principal.gminy;
  const outside = asked?.filter((gmina) => !mine.includes(gmina)) ?? [];
  if (outside.length > 0) throw forbidden(`Gmina ${outside.map(idToTerc).join(', ')} is outside your scope`);
  return planEvents(ctx, { gminy: asked && asked.length > 0 ? asked : mine }, after);
}

@Resolver(() => IpusEvent)
export class IpusLiveResolver {
  // The subscribe functions refuse other roles before any event; @Authorized states it for the roles
  // snapshot (schema/roles.snapshot.txt) and guards each event the same way.
  @Authorized(...RECORD_READERS)
  @Subscription(() => IpusEvent, {
    subscribe: subscribeToPlan,
    description: 'Every change of one plan, live. With `after` (an eventId received earlier), first every change committed since it',
  })
  ipusUpdated(@Root() event: OutboxEvent, @Arg('id', () => ID) _id: string, @Arg('after', () => String, { nullable: true }) _after?: string): IpusEvent {
    return toIpusEvent(event);
  }

  @Authorized(...RECORD_READERS)
  @Subscription(() => IpusEvent, {
    subscribe: subscribeToFeed,
    description: 'Every change of every plan in your gminy (or in those of them you name), live, for dashboards. `after` resumes as in ipusUpdated',
  })
  ipusFeed(
    @Root() event: OutboxEvent,
    @Arg('after', () => String, { nullable: true }) _after?: string,
    @Arg('gminy', () => [TerytCodeScalar], { nullable: true }) _gminy?: string[],
  ): IpusEvent {
    return toIpusEvent(event);
  }

  @FieldResolver(() => Ipus, { nullable: true, description: 'The plan as it is now, read under your rights (the read is logged)' })
  async ipus(@Root() event: IpusEvent, @Ctx() ctx: RequestContext): Promise<Ipus | null> {
    return ipusById(ctx).load(event.ipusKey);
  }
}
