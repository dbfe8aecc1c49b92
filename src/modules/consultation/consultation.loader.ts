import { findRows } from '../../platform/database/orm-extension/read-rows.js';
import { badInput } from '../../platform/graphql/errors.js';
import { byKeys, groupByKeys, loader, type RequestContext } from '../../platform/graphql/context.js';
import { pageSize, type Page, type PageArgs } from '../../platform/graphql/connection.js';
import { Consultation } from './consultation.entity.js';
import { ConsultationSubmission } from './consultation-submission.entity.js';

export function consultationById(ctx: RequestContext) {
  return loader<string, Consultation | null>(ctx, 'consultation.byId', async (ids) => {
    const rows = await findRows(ctx, Consultation, { id: { $in: [...ids] } });
    return byKeys(ids, rows, (c) => c.id);
  });
}

const CONSULTATION_ORDER = { startsOn: 'asc', createdAt: 'asc', id: 'asc' } as const;

export function consultationsOfProgramme(ctx: RequestContext) {
  return loader<string, Consultation[]>(ctx, 'consultation.byProgramme', async (ids) => {
    const rows = await findRows(ctx, Consultation, { programmeId: { $in: [...ids] } }, { orderBy: CONSULTATION_ORDER });
    return groupByKeys(ids, rows, (c) => c.programmeId as string);
  });
}

export function consultationsOfDiagnosis(ctx: RequestContext) {
  return loader<string, Consultation[]>(ctx, 'consultation.byDiagnosis', async (ids) => {
    const rows = await findRows(ctx, Consultation, { diagnosisId: { $in: [...ids] } }, { orderBy: CONSULTATION_ORDER });
    return groupByKeys(ids, rows, (c) => c.diagnosisId as string);
  });
}

export function submissionById(ctx: RequestContext) {
  return loader<string, ConsultationSubmission | null>(ctx, 'consultationSubmission.byId', async (ids) => {
    const rows = await findRows(ctx, ConsultationSubmission, { id: { $in: [...ids] } });
    return byKeys(ids, rows, (s) => s.id);
  });
}

/** Submissions of each consultation the principal may see (a partner: its own), counted in one query. */
export function submissionCount(ctx: RequestContext) {
  return loader<string, number>(ctx, 'consultationSubmission.count', async (ids) => {
    const rows = await ctx.em.execute<{ consultation_id: string; n: number }[]>(
      'select consultation_id, count(*)::int as n from consultation_submission where consultation_id in (?) group by consultation_id',
      [[...ids]],
    );
    const counts = new Map(rows.map((row) => [row.consultation_id, Number(row.n)]));
    return ids.map((id) => counts.get(id) ?? 0);
  });
}

// --- submissions as a connection per consultation, ordered by receivedOn, batched across consultations.

interface SubmissionCursor {
  receivedOn: string;
  id: string;
}

const encodeCursor = (s: ConsultationSubmission) => Buffer.from(JSON.stringify([s.receivedOn, s.id]), 'utf8').toString('base64url');

function decodeCursor(cursor: string): SubmissionCursor {
  try {
    const [receivedOn, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof receivedOn === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(receivedOn) && typeof id === 'string' && /^[0-9a-f-]{36}$/i.test(id)) {
      return { receivedOn, id };
    }
  } catch {
    // fall through: not one of our cursors
  }
  throw badInput('after is not a cursor of this list');
}

interface PageKey {
  consultationId: string;
  first: number;
  after: SubmissionCursor | null;
}

/**
 * One page of submissions for each (consultation, first, after) asked for in this request, fetched in
 * one statement: a LATERAL subquery per key, each limited to first + 1 rows (the extra row tells
 * whether another page follows). RLS applies inside, so a partner sees only its own submissions.
 */
function submissionPages(ctx: RequestContext) {
  return loader<string, ConsultationSubmission[]>(ctx, 'consultationSubmission.pages', async (rawKeys) => {
    const keys = rawKeys.map((raw) => JSON.parse(raw) as PageKey);
    const values = keys.map(() => '(?::int, ?::uuid, ?::date, ?::uuid, ?::int)').join(', ');
    const params = keys.flatMap((k, i) => [i, k.consultationId, k.after?.receivedOn ?? null, k.after?.id ?? null, k.first + 1]);
    const rows = await ctx.em.execute<Record<string, unknown>[]>(
      `select k.key_index, s.* from (values ${values}) as k(key_index, consultation_id, after_on, after_id, lim)
       cross join lateral (
         select * from consultation_submission s
         where s.consultation_id = k.consultation_id
           and (k.after_on is null or (s.received_on, s.id) > (k.after_on, k.after_id))
         order by s.received_on, s.id
         limit k.lim
       ) s
       order by k.key_index, s.received_on, s.id`,
      params,
    );
    const pages: ConsultationSubmission[][] = keys.map(() => []);
    for (const { key_index: index, ...row } of rows) pages[Number(index)].push(ctx.em.map(ConsultationSubmission, row));
    return pages;
  });
}

export async function submissionsPage(ctx: RequestContext, consultationId: string, args: PageArgs): Promise<Page<ConsultationSubmission>> {
  const first = pageSize(args.first);
  const after = args.after ? decodeCursor(args.after) : null;
  const count = () => submissionCount(ctx).load(consultationId);
  const emptyInfo = { hasNextPage: false, hasPreviousPage: after !== null, startCursor: null, endCursor: null };
  if (first === 0) return { nodes: [], cursors: [], pageInfo: emptyInfo, count };
  const rows = await submissionPages(ctx).load(JSON.stringify({ consultationId, first, after } satisfies PageKey));
  const nodes = rows.slice(0, first);
  const cursors = nodes.map(encodeCursor);
  return {
    nodes,
    cursors,
    pageInfo: {
      hasNextPage: rows.length > first,
      hasPreviousPage: after !== null,
      startCursor: cursors[0] ?? null,
      endCursor: cursors[cursors.length - 1] ?? null,
    },
    count,
  };
}
