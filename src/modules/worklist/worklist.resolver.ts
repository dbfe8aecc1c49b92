import { Arg, Args, Authorized, Ctx, Field, FieldResolver, ID, Int, ObjectType, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { SubscribeResolverData } from 'type-graphql';
import { Connection, PageArgs, toConnection } from '../../platform/graphql/connection.js';
import type { RequestContext } from '../../platform/graphql/context.js';
import { inFreshQuery } from '../../platform/graphql/context.js';
import { forbidden } from '../../platform/graphql/errors.js';
import { toGlobalId } from '../../platform/graphql/node.js';
import { RECORD_READERS, Role } from '../../platform/auth/roles.js';
import { parseAfter } from '../../platform/events/event-stream.js';
import { eventIdAfter, type OutboxEvent, type OutboxTopic } from '../../platform/events/outbox-event.js';
import { newestPlanEvent, planEvents, type PlanScope } from '../ipus/live/ipus-event-stream.js';
import { CusUnit } from '../cus-unit/cus-unit.entity.js';
import { cusUnitById } from '../cus-unit/cus-unit.loader.js';
import { COMMISSION_MANAGERS } from '../commission/commission.resolver.js';
import { IpusChangeKind } from '../ipus/ipus.enums.js';
import { WorklistKind } from './worklist.enums.js';
import { WorklistItem } from './worklist-item.js';
import { countsPerUnit, horizonOf, myCounts, worklistPage, type MyCounts } from './worklist.queries.js';
import { DEFAULT_DUE_WITHIN_DAYS, MAX_DUE_WITHIN_DAYS } from './worklist.rules.js';

const WorklistItemConnection = Connection(WorklistItem);
const DUE_WITHIN = {
  nullable: true,
  description: `Items due within this many days from today, 0..${MAX_DUE_WITHIN_DAYS} (default ${DEFAULT_DUE_WITHIN_DAYS}); overdue items always`,
};

@ObjectType({ description: 'How many items of one kind a worklist holds' })
export class WorklistKindCount {
  @Field(() => WorklistKind) kind!: WorklistKind;
  @Field(() => Int) count!: number;
  @Field(() => Int, { description: 'Of them, due before today' }) overdue!: number;
}

@ObjectType({ description: "A unit's worklist in numbers: every staff member's items together" })
export class WorklistUnitCounts {
  @Field(() => ID) cusUnitId!: string;
  @Field(() => String) unitName!: string;
  @Field(() => Int) total!: number;
  @Field(() => Int, { description: 'Of them, due before today' }) overdue!: number;
  @Field(() => [WorklistKindCount], { description: 'Per kind, the kinds with items only' }) kinds!: WorklistKindCount[];

  /** The unit's uuid, for the `cusUnit` field. */
  cusUnitKey!: string;
}

@ObjectType({ description: 'Your worklist changed: its counts now. Pass eventId as `after` to resume from it' })
export class WorklistChange {
  @Field(() => String, { description: 'The event that changed it; resubscribe with after: eventId to receive what followed' }) eventId!: string;
  @Field(() => ID, { description: 'What the event changed: an Ipus, an Application or a Settlement' }) subjectId!: string;
  @Field(() => Int, { description: 'Items of your worklist now (within dueWithin)' }) total!: number;
  @Field(() => Int, { description: 'Of them, due before today' }) overdue!: number;
  @Field(() => [WorklistKindCount], { description: 'Per kind, the kinds with items only' }) kinds!: WorklistKindCount[];
}

const mayUseWorklist = (ctx: RequestContext) => {
  if (!RECORD_READERS.includes(ctx.principal.role)) throw forbidden('Your role has no worklist');
};

const sum = (kinds: { count: number; overdue: number }[]) => ({
  total: kinds.reduce((n, k) => n + k.count, 0),
  overdue: kinds.reduce((n, k) => n + k.overdue, 0),
});

type Data = SubscribeResolverData<unknown, Record<string, unknown>, RequestContext>;

/**
 * Plan changes that cannot change a worklist, so are not answered with a recount: a draft's edits (a draft
 * has no items; its application has a plan since CREATED), and for the managers, whose items are plans
 * awaiting approval, changes awaiting it and settlements, also a draft's creation, the activation of an
 * approved plan, a note, and the agreement to an approved change.
 */
const CHANGES_NO_WORKLIST: readonly string[] = [IpusChangeKind.EDITED];
const CHANGES_NO_MANAGERS_WORKLIST: readonly string[] = [
  ...CHANGES_NO_WORKLIST,
  IpusChangeKind.CREATED,
  IpusChangeKind.ACTIVATED,
  IpusChangeKind.NOTE_ADDED,
  IpusChangeKind.CHANGE_AGREED,
];

/**
 * The events that may change a worklist: plan events of the subscriber's gminy, for coordinators application
 * events, and for the centre's managers settlement events too (the outbox's policies give them no other), live. Each is answered
 * with the subscriber's counts as they are then, and only when the worklist changed: when its items or
 * their due dates differ from what was last sent (or from the worklist when the subscription opened).
 * Resumed with `after`, the counts are "as of now" whatever happened since: they are computed once
 * and sent with the newest event since `after` the subscriber may read (when there is one).
 */
async function subscribeToWorklist({ args, context: ctx }: Data): Promise<AsyncIterable<WorklistChange>> {
  mayUseWorklist(ctx);
  const after = parseAfter(args.after as string | null | undefined);
  const dueWithin = args.dueWithin as number | null | undefined;
  horizonOf(dueWithin);
  const { gminy, role } = ctx.principal;
  const manager = COMMISSION_MANAGERS.includes(role);
  // Coordinators act on applications without a plan, the managers on settlements. Live events pass no RLS,
  // so each topic is named for the roles that read it (the outbox's policies), not for "everyone else".
  const topics: OutboxTopic[] = ['IPUS'];
  if (manager) topics.push('SETTLEMENT');
  if (role === Role.COORDINATOR) topics.push('APPLICATION');
  const scope: PlanScope = { gminy, topics };
  const unchanging = manager ? CHANGES_NO_MANAGERS_WORKLIST : CHANGES_NO_WORKLIST;
  // Live from now on; what committed before is read below, once the live queue is open, so nothing falls between.
  const events = planEvents(ctx, scope, null);
  let sent: string | null = null;
  let resumedChange: WorklistChange | null = null;
  // Live events up to this one are answered already (by the client's own `after`, or the resumed counts).
  let answered = after;
  try {
    const resumed = after === null ? null : await newestPlanEvent(ctx, scope, after);
    if (after === null || resumed) {
      const counts = await inFreshQuery(ctx, (fresh) => myCounts(fresh, dueWithin));
      sent = counts.digest;
      if (resumed) {
        resumedChange = toChange(resumed, counts);
        answered = resumed.id;
      }
    }
  } catch (error) {
    await events.return?.();
    throw error;
  }
  return {
    async next(): Promise<IteratorResult<WorklistChange>> {
      if (resumedChange) {
        const value = resumedChange;
        resumedChange = null;
        return { value, done: false };
      }
      for (;;) {
        const step = await events.next();
        if (step.done) return step;
        if (answered !== null && !eventIdAfter(step.value.id, answered)) continue;
        if (step.value.topic === 'IPUS' && unchanging.includes(step.value.kind)) continue;
        const counts: MyCounts = await inFreshQuery(ctx, (fresh) => myCounts(fresh, dueWithin));
        if (counts.digest === sent) continue;
        sent = counts.digest;
        return { value: toChange(step.value, counts), done: false };
      }
    },
    return: async () => {
      await events.return?.();
      return { value: undefined, done: true };
    },
    throw: async (error: unknown) => {
      await events.return?.();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  } as AsyncIterableIterator<WorklistChange>;
}

const SUBJECT_TYPES: Partial<Record<OutboxEvent['topic'], string>> = { SETTLEMENT: 'Settlement', APPLICATION: 'Application' };

function toChange(event: OutboxEvent, counts: MyCounts): WorklistChange {
  const kinds = counts.kinds.map((k) => Object.assign(new WorklistKindCount(), k));
  return Object.assign(new WorklistChange(), {
    eventId: event.id,
    subjectId: toGlobalId(SUBJECT_TYPES[event.topic] ?? 'Ipus', event.subjectId),
    ...sum(kinds),
    kinds,
  });
}

@Resolver(() => WorklistUnitCounts)
export class WorklistResolver {
  @Authorized(...RECORD_READERS)
  @Query(() => WorklistItemConnection, {
    description:
      'What you must act on, by due date (overdue first): applications without a plan (coordinators of your unit), plans awaiting approval and settlements to accept (the director, a services organiser), and your own plans awaiting agreement, ending or due for monitoring',
  })
  async worklist(@Ctx() ctx: RequestContext, @Args(() => PageArgs) page: PageArgs, @Arg('dueWithin', () => Int, DUE_WITHIN) dueWithin?: number) {
    return toConnection(WorklistItemConnection, await worklistPage(ctx, dueWithin, page));
  }

  @Authorized(Role.DIRECTOR)
  @Query(() => [WorklistUnitCounts], { description: "Every unit's worklist in your gminy, counted per kind (every staff member's items together)" })
  async worklistCounts(@Ctx() ctx: RequestContext, @Arg('dueWithin', () => Int, DUE_WITHIN) dueWithin?: number): Promise<WorklistUnitCounts[]> {
    const units = new Map<string, WorklistUnitCounts>();
    for (const row of await countsPerUnit(ctx, dueWithin)) {
      let unit = units.get(row.cus_unit_id);
      if (!unit) {
        unit = Object.assign(new WorklistUnitCounts(), {
          cusUnitId: toGlobalId('CusUnit', row.cus_unit_id),
          cusUnitKey: row.cus_unit_id,
          unitName: row.unit_name,
          total: 0,
          overdue: 0,
          kinds: [],
        });
        units.set(row.cus_unit_id, unit);
      }
      unit.kinds.push(Object.assign(new WorklistKindCount(), { kind: row.kind, count: row.count, overdue: row.overdue }));
      unit.total += row.count;
      unit.overdue += row.overdue;
    }
    return [...units.values()];
  }

  @FieldResolver(() => CusUnit, { nullable: true })
  cusUnit(@Root() counts: WorklistUnitCounts, @Ctx() ctx: RequestContext): Promise<CusUnit | null> {
    return cusUnitById(ctx).load(counts.cusUnitKey);
  }

  // subscribeToWorklist refuses other roles before any event; @Authorized states it for the roles snapshot.
  @Authorized(...RECORD_READERS)
  @Subscription(() => WorklistChange, {
    subscribe: subscribeToWorklist,
    description:
      'Your worklist changed (a plan, for coordinators an application, for the director and services organisers a settlement changed it): its counts now. With `after` (an eventId received earlier), first the counts if anything changed since it. The passing of days sends nothing: query worklist when a day begins',
  })
  worklistChanged(
    @Root() change: WorklistChange,
    @Arg('after', () => String, { nullable: true }) _after?: string,
    @Arg('dueWithin', () => Int, DUE_WITHIN) _dueWithin?: number,
  ): WorklistChange {
    return change;
  }
}
