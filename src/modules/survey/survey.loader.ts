import { findRows } from '../../platform/database/read-rows.js';
import { byKeys, groupByKeys, loader, type RequestContext } from '../../platform/graphql/context.js';
import { Survey, SurveyQuestion } from './survey.entity.js';
import type { QuestionResult } from './survey.inputs.js';
import { questionResult, type AnswerAggregate } from './survey.results.js';

/** A PostgreSQL uuid[] literal for a list of ids (uuids need no quoting inside it). */
export const uuidArray = (ids: readonly string[]): string => `{${ids.join(',')}}`;

export function surveyById(ctx: RequestContext) {
  return loader<string, Survey | null>(ctx, 'survey.byId', async (ids) => {
    const rows = await findRows(ctx, Survey, { id: { $in: [...ids] } });
    return byKeys(ids, rows, (s) => s.id);
  });
}

export function surveyQuestionById(ctx: RequestContext) {
  return loader<string, SurveyQuestion | null>(ctx, 'surveyQuestion.byId', async (ids) => {
    const rows = await findRows(ctx, SurveyQuestion, { id: { $in: [...ids] } });
    return byKeys(ids, rows, (q) => q.id);
  });
}

/** The questions of each survey, in order, in one query. */
export function questionsOfSurvey(ctx: RequestContext) {
  return loader<string, SurveyQuestion[]>(ctx, 'surveyQuestion.bySurvey', async (surveyIds) => {
    const rows = await findRows(ctx, SurveyQuestion, { surveyId: { $in: [...surveyIds] } }, { orderBy: { surveyId: 'asc', position: 'asc' } });
    return groupByKeys(surveyIds, rows, (q) => q.surveyId);
  });
}

/** Responses each survey received, counted in one query. */
export function responseCountOfSurvey(ctx: RequestContext) {
  return loader<string, number>(ctx, 'survey.responseCount', async (surveyIds) => {
    const rows = await ctx.em.execute<{ survey_id: string; n: number }[]>(
      'select survey_id, count(*)::int as n from survey_response where survey_id = any(?::uuid[]) group by survey_id',
      [uuidArray(surveyIds)],
    );
    const counts = new Map(rows.map((r) => [r.survey_id, r.n]));
    return surveyIds.map((id) => counts.get(id) ?? 0);
  });
}

/**
 * The aggregate results of each survey: one query groups the answers by question and value (free
 * texts come one per row, with nothing else of their row), then each question's counts, shares,
 * mean and median are computed from those aggregates.
 */
export function surveyResults(ctx: RequestContext) {
  return loader<string, QuestionResult[]>(ctx, 'survey.results', async (surveyIds) => {
    const [questionLists, rows] = await Promise.all([
      questionsOfSurvey(ctx).loadMany(surveyIds),
      ctx.em.execute<AnswerAggregate[]>(
        `with answers as (select * from survey_answer where survey_id = any(?::uuid[]))
        select question_id, 'ANSWERED' as kind, null::int as value, null as text, count(*)::int as n from answers group by question_id
        union all
        select question_id, 'CHOICE', choice, null, count(*)::int from answers cross join lateral unnest(choice_indexes) as c(choice) group by question_id, choice
        union all
        select question_id, 'SCALE', scale_value, null, count(*)::int from answers where scale_value is not null group by question_id, scale_value
        union all
        select question_id, 'TEXT', null, text_value, 1 from answers where text_value is not null`,
        [uuidArray(surveyIds)],
      ),
    ]);
    const byQuestion = new Map<string, AnswerAggregate[]>();
    for (const row of rows) {
      const list = byQuestion.get(row.question_id);
      if (list) list.push(row);
      else byQuestion.set(row.question_id, [row]);
    }
    return questionLists.map((questions) => {
      if (questions instanceof Error) return questions;
      return questions.map((q) => questionResult(q, byQuestion.get(q.id) ?? []));
    });
  });
}
