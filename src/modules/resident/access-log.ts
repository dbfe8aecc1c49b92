import type { GraphQLResolveInfo } from 'graphql';
import type { RequestContext } from '../../platform/graphql/context.js';

/** A resident's record as the log needs it. */
export interface ResidentRef {
  id: string;
  gminaId: number;
}

const pending = new WeakMap<RequestContext, Map<string, { ref: ResidentRef; operation: string }>>();

/**
 * Notes that this operation showed a resident's record (the resident, or their applications,
 * assessments or plans) to a member of staff. Each record is logged once per operation, with the
 * operation's name, in the operation's `record` transaction: it is saved even when the operation is
 * a read-only query or fails, and if it cannot be saved the data is not sent.
 */
export function noteResidentRead(ctx: RequestContext, residents: ResidentRef | ResidentRef[], info: GraphQLResolveInfo): void {
  const list = (Array.isArray(residents) ? residents : [residents]).filter(Boolean);
  if (list.length === 0) return;
  let notes = pending.get(ctx);
  if (!notes) {
    const created = new Map<string, { ref: ResidentRef; operation: string }>();
    notes = created;
    pending.set(ctx, created);
    ctx.operation.record((em) => writeLog(em, ctx, [...created.values()]));
  }
  // The client's operation name when it gives one, else the root field that led to the record.
  const operation = info.operation.name?.value ?? `${info.operation.operation} ${rootField(info)}`;
  for (const ref of list) if (!notes.has(ref.id)) notes.set(ref.id, { ref, operation });
}

function rootField(info: GraphQLResolveInfo): string {
  let path = info.path;
  while (path.prev) path = path.prev;
  return String(path.key);
}

async function writeLog(em: RequestContext['em'], ctx: RequestContext, notes: { ref: ResidentRef; operation: string }[]): Promise<void> {
  if (notes.length === 0) return;
  const { subject, role } = ctx.principal;
  await em.execute(
    `insert into resident_access_log (gmina_id, resident_id, subject, role, operation)
     select (r->>'gminaId')::int, (r->>'id')::uuid, ?, ?, r->>'operation' from jsonb_array_elements(?::jsonb) r`,
    [subject, role, JSON.stringify(notes.map((n) => ({ ...n.ref, operation: n.operation })))],
  );
}
