import { Field, Int, ObjectType } from 'type-graphql';
import { loader, type RequestContext } from '../../platform/graphql/context.js';
import { LocalDateScalar } from '../../platform/graphql/scalars.js';
import { IpusStatus } from './ipus.enums.js';
import { IpusGoal, IpusItem, IpusMonitoringNote, IpusSupportingAction } from './ipus-parts.entity.js';
import type { Snapshot } from './ipus.snapshot.js';

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
  @Field(() => [IpusGoal]) goals!: IpusGoal[];
  @Field(() => [IpusItem]) items!: IpusItem[];
  @Field(() => [IpusSupportingAction]) supportingActions!: IpusSupportingAction[];
  @Field(() => [IpusMonitoringNote]) monitoringNotes!: IpusMonitoringNote[];
}

const rows = <T extends object>(type: new () => T, list: unknown) => ((list ?? []) as object[]).map((row) => Object.assign(new type(), row));

export function planFromSnapshot(revision: number, snapshot: Snapshot): IpusRevisionPlan {
  return Object.assign(new IpusRevisionPlan(), snapshot, {
    revision,
    goals: rows(IpusGoal, snapshot.goals),
    items: rows(IpusItem, snapshot.items),
    supportingActions: rows(IpusSupportingAction, snapshot.supportingActions),
    monitoringNotes: rows(IpusMonitoringNote, snapshot.monitoringNotes),
  });
}

/** Snapshots by "planId:revision", in one query for every revision asked for. */
export function revisionPlans(ctx: RequestContext) {
  return loader<string, IpusRevisionPlan | null>(ctx, 'ipus.revisionPlans', async (keys) => {
    const pairs = keys.map((key) => key.split(':'));
    const found = await ctx.em.execute<{ ipus_id: string; revision: number; snapshot: Snapshot }[]>(
      `select r.ipus_id, r.revision, r.snapshot from ipus_revision r
       join unnest(?::uuid[], ?::int[]) as k(ipus_id, revision) on k.ipus_id = r.ipus_id and k.revision = r.revision`,
      [`{${pairs.map((p) => p[0]).join(',')}}`, `{${pairs.map((p) => p[1]).join(',')}}`]);
    const byKey = new Map(found.map((row) => [`${row.ipus_id}:${row.revision}`, planFromSnapshot(row.revision, row.snapshot)]));
    return keys.map((key) => byKey.get(key) ?? null);
  });
}
