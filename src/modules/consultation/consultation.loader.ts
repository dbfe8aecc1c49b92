import { findRows } from '../../platform/database/orm-extension/read-rows.js';
import { groupByKeys, loader, type RequestContext } from '../../platform/graphql/context.js';
import { countByKey, rowByKey } from '../../platform/graphql/row-loaders.js';
import type { Page, PageArgs } from '../../platform/graphql/connection.js';
import type { SortKey } from '../../platform/graphql/keyset.js';
import { parentPage } from '../../platform/graphql/parent-pages.js';
import { Consultation } from './consultation.entity.js';
import { ConsultationSubmission } from './consultation-submission.entity.js';

export function consultationById(ctx: RequestContext) {
  return rowByKey(ctx, 'consultation.byId', Consultation, 'id');
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
  return rowByKey(ctx, 'consultationSubmission.byId', ConsultationSubmission, 'id');
}

/** Submissions of each consultation the principal may see (a partner: its own), counted in one query. */
export function submissionCount(ctx: RequestContext) {
  return countByKey(
    ctx,
    'consultationSubmission.count',
    'select consultation_id as key, count(*)::int as n from consultation_submission where consultation_id = any (?::uuid[]) group by consultation_id',
  );
}

const SUBMISSION_ORDER: SortKey[] = [
  { column: 's.received_on', type: 'date', direction: 'asc' },
  { column: 's.id', type: 'uuid', direction: 'asc' },
];

/**
 * One page of a consultation's submissions, by receivedOn; the pages of every consultation in the
 * request come from one statement (parent-pages.ts). RLS applies inside, so a partner sees only its own.
 */
export function submissionsPage(ctx: RequestContext, consultationId: string, args: PageArgs): Promise<Page<ConsultationSubmission>> {
  return parentPage(
    ctx,
    {
      name: 'consultationSubmission.byConsultation',
      select: 's.*',
      from: 'consultation_submission s',
      parent: 's.consultation_id',
      keys: SUBMISSION_ORDER,
      map: (row) => ctx.em.map(ConsultationSubmission, row),
      keyOf: (submission) => [submission.receivedOn, submission.id],
    },
    consultationId,
    args,
    () => submissionCount(ctx).load(consultationId),
  );
}
