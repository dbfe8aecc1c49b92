import { Field, Int, ObjectType } from 'type-graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { groupByKeys, loader, type RequestContext } from '../../platform/graphql/context.js';
import { DateTimeScalar, instant } from '../../platform/graphql/scalars.js';
import { Role } from '../../platform/auth/roles.js';
import { IpusChangeKind } from './ipus.enums.js';
import type { FieldChange, Snapshot } from './ipus-snapshot.js';

@ObjectType({ description: 'One field that a revision changed' })
export class IpusFieldChange {
  @Field(() => String, { description: 'periodEnd; items[<id>] when an item was added or removed; items[<id>].quantity when it changed' }) path!: string;
  @Field(() => GraphQLJSON, { nullable: true }) before!: unknown;
  @Field(() => GraphQLJSON, { nullable: true }) after!: unknown;
}

/** One change of a plan: who, when, what kind, and which fields. `plan` reads the whole plan back as it then stood. */
@ObjectType({ description: 'A revision of a plan: who changed what and when' })
export class IpusRevision {
  ipusId!: string;
  @Field(() => Int) revision!: number;
  @Field(() => IpusChangeKind) kind!: IpusChangeKind;
  @Field(() => String, { description: 'Who made the change (user id)' }) changedBy!: string;
  @Field(() => Role) changedByRole!: Role;
  @Field(() => DateTimeScalar) changedAt!: Date;
  @Field(() => [IpusFieldChange]) changes!: FieldChange[];
}

interface RevisionRow {
  ipus_id: string;
  revision: number;
  kind: IpusChangeKind;
  changed_by: string;
  changed_by_role: Role;
  changed_at: string;
  changes: FieldChange[];
}

const toRevision = (row: RevisionRow): IpusRevision =>
  Object.assign(new IpusRevision(), {
    ipusId: row.ipus_id,
    revision: row.revision,
    kind: row.kind,
    changedBy: row.changed_by,
    changedByRole: row.changed_by_role,
    changedAt: instant(row.changed_at),
    changes: row.changes,
  });

/** Each plan's revisions, newest first (without their snapshots). */
export function revisionsOfPlan(ctx: RequestContext) {
  return loader<string, IpusRevision[]>(ctx, 'ipus.revisions', async (ids) => {
    const rows = await ctx.em.execute<RevisionRow[]>(
      `select ipus_id, revision, kind, changed_by, changed_by_role, changed_at, changes from ipus_revision
       where ipus_id = any (?::uuid[]) order by ipus_id, revision desc`,
      [`{${ids.join(',')}}`],
    );
    return groupByKeys(ids, rows.map(toRevision), (r) => r.ipusId);
  });
}

/**
 * Writes the revision row; a trigger adds its outbox event and takes the lock that keeps event ids in
 * commit order, so it is the last write of the mutation.
 */
export async function insertRevision(
  ctx: RequestContext,
  plan: { id: string; gminaId: number; revision: number },
  kind: IpusChangeKind,
  changes: FieldChange[],
  snapshot: Snapshot,
): Promise<void> {
  await ctx.em.execute(
    `insert into ipus_revision (ipus_id, revision, gmina_id, kind, changed_by, changed_by_role, changes, snapshot)
     values (?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb)`,
    [plan.id, plan.revision, plan.gminaId, kind, ctx.principal.subject, ctx.principal.role, JSON.stringify(changes), JSON.stringify(snapshot)],
  );
}

export async function snapshotAt(ctx: RequestContext, ipusId: string, revision: number): Promise<Snapshot> {
  const [row] = await ctx.em.execute<{ snapshot: Snapshot }[]>('select snapshot from ipus_revision where ipus_id = ? and revision = ?', [ipusId, revision]);
  return row?.snapshot ?? {};
}
