import { Field, Int, ObjectType } from 'type-graphql';
import { loader, type RequestContext } from '../../platform/graphql/context.js';
import { LocalDateScalar } from '../../platform/graphql/scalars.js';
import { IpusStatus, TerminationReason } from './ipus.enums.js';
import { IpusGoal, IpusItem, IpusMonitoringNote, IpusSupportingAction } from './ipus-parts.entity.js';
import type { Snapshot } from './ipus-snapshot.js';

/** A plan as it stood at one revision, read back whole from the revision's snapshot. */
@ObjectType({ description: 'A plan as it stood at one revision' })
export class IpusRevisionPlan {
  @Field(() => Int) revision!: number;
  @Field(() => IpusStatus) status!: IpusStatus;
  @Field(() => String) coordinatorName!: string;
  @Field(() => LocalDateScalar) periodStart!: string;
  @Field(() => LocalDateScalar) periodEnd!: string;
  @Field(() => LocalDateScalar) preparedOn!: string;
  @Field(() => String, { nullable: true }) latePreparationWarning!: string | null;
  @Field(() => LocalDateScalar, { nullable: true }) submittedOn!: string | null;
  @Field(() => LocalDateScalar, { nullable: true }) approvedOn!: string | null;
  @Field(() => String, { nullable: true }) approvedBy!: string | null;
  @Field(() => LocalDateScalar, { nullable: true }) agreedOn!: string | null;
  @Field(() => String, { nullable: true }) agreementHow!: string | null;
  @Field(() => LocalDateScalar, { nullable: true }) activatedOn!: string | null;
  @Field(() => LocalDateScalar, { nullable: true }) closedOn!: string | null;
  @Field(() => LocalDateScalar, { nullable: true }) closingConversationOn!: string | null;
  @Field(() => String, { nullable: true }) terminationReason!: string | null;
  @Field(() => TerminationReason, { nullable: true }) terminationCode!: TerminationReason | null;
  @Field(() => [IpusGoal]) goals!: IpusGoal[];
  @Field(() => [IpusItem]) items!: IpusItem[];
  @Field(() => [IpusSupportingAction]) supportingActions!: IpusSupportingAction[];
  @Field(() => [IpusMonitoringNote]) monitoringNotes!: IpusMonitoringNote[];
}

const rows = <T extends object>(type: new () => T, list: unknown, extra: object = {}) =>
  ((list ?? []) as object[]).map((row) => Object.assign(new type(), row, extra));

export function planFromSnapshot(ipusId: string, revision: number, snapshot: Snapshot): IpusRevisionPlan {
  // Each part knows its plan, as the live rows do: the read of a copy is logged against the plan's resident.
  return Object.assign(new IpusRevisionPlan(), snapshot, {
    revision,
    // Goals and items are nodes: as copies of a revision, their ids name it (see Node.asOf).
    goals: rows(IpusGoal, snapshot.goals, { asOf: revision, ipusId }),
    items: rows(IpusItem, snapshot.items, { asOf: revision, ipusId }),
    supportingActions: rows(IpusSupportingAction, snapshot.supportingActions, { ipusId }),
    monitoringNotes: rows(IpusMonitoringNote, snapshot.monitoringNotes, { ipusId }),
  });
}

/** Snapshots by "planId:revision", in one query for every revision asked for. */
export function revisionPlans(ctx: RequestContext) {
  return loader<string, IpusRevisionPlan | null>(ctx, 'ipus.revisionPlans', async (keys) => {
    const pairs = keys.map((key) => key.split(':'));
    const found = await ctx.em.execute<{ ipus_id: string; revision: number; snapshot: Snapshot }[]>(
      `select r.ipus_id, r.revision, r.snapshot from ipus_revision r
       join unnest(?::uuid[], ?::int[]) as k(ipus_id, revision) on k.ipus_id = r.ipus_id and k.revision = r.revision`,
      [`{${pairs.map((p) => p[0]).join(',')}}`, `{${pairs.map((p) => p[1]).join(',')}}`],
    );
    const byKey = new Map(found.map((row) => [`${row.ipus_id}:${row.revision}`, planFromSnapshot(row.ipus_id, row.revision, row.snapshot)]));
    return keys.map((key) => byKey.get(key) ?? null);
  });
}

/**
 * A goal or item as it stood at a revision, by its id and that revision (node(id:) of a copy): read
 * from the revision that holds it, under the reader's rights, with the plan it belongs to.
 */
export async function planPartAsOf(ctx: RequestContext, part: 'goals' | 'items', id: string, revision: number) {
  const [row] = await ctx.em.execute<{ ipus_id: string; snapshot: Snapshot }[]>(
    `select ipus_id, snapshot from ipus_revision where revision = ? and snapshot -> '${part}' @> ?::jsonb limit 1`,
    [revision, JSON.stringify([{ id }])],
  );
  if (!row) return null;
  const found = (planFromSnapshot(row.ipus_id, revision, row.snapshot)[part] as (IpusGoal | IpusItem)[]).find((p) => p.id === id);
  return found ? { planId: row.ipus_id, part: found } : null;
}
