import { loader, type RequestContext } from '../../platform/graphql/context.js';
import { countByKey, rowByKey, rowsByKey, uuidArray } from '../../platform/graphql/row-loaders.js';
import { Survey, SurveyQuestion, SurveyStatus } from './survey.entity.js';
import { ResultWithheld, type QuestionResult } from './survey.inputs.js';
import { questionResult, withheldResult, type QuestionTally } from './survey-results.js';

export function surveyById(ctx: RequestContext) {
  return rowByKey(ctx, 'survey.byId', Survey, 'id');
}

export function surveyQuestionById(ctx: RequestContext) {
  return rowByKey(ctx, 'surveyQuestion.byId', SurveyQuestion, 'id');
}

/** The questions of each survey, in order, in one query. */
export function questionsOfSurvey(ctx: RequestContext) {
  return rowsByKey(ctx, 'surveyQuestion.bySurvey', SurveyQuestion, 'surveyId', { surveyId: 'asc', position: 'asc' });
}

/** Responses each survey received (kept as counts per day), summed in one query. */
export function responseCountOfSurvey(ctx: RequestContext) {
  return countByKey(
    ctx,
    'survey.responseCount',
    'select survey_id as key, sum(responses)::int as n from survey_day where survey_id = any (?::uuid[]) group by survey_id',
  );
}

/**
 * The aggregate results of each survey, from two queries for all of them: the tallies of its questions
 * and their free texts. The database returns a question's tally only once its survey is CLOSED and at
 * least 5 answered it (survey_tally's policy), and its texts only with it; a question below
 * SURVEY_MIN_RESPONSES is withheld here too. An open survey shows no figure at all: re-read after
 * each response, figures that move would tell what that response said.
 */
export function surveyResults(ctx: RequestContext) {
  return loader<string, QuestionResult[]>(ctx, 'survey.results', async (surveyIds) => {
    const [surveys, questionLists, tallies, texts] = await Promise.all([
      surveyById(ctx).loadMany(surveyIds),
      questionsOfSurvey(ctx).loadMany(surveyIds),
      ctx.em.execute<{ question_id: string; answered: number; counts: number[] }[]>(
        'select question_id, answered, counts from survey_tally where survey_id = any(?::uuid[])',
        [uuidArray(surveyIds)],
      ),
      ctx.em.execute<{ question_id: string; text_value: string }[]>('select question_id, text_value from survey_text where survey_id = any(?::uuid[])', [
        uuidArray(surveyIds),
      ]),
    ]);
    const minimum = ctx.settings.surveyMinResponses;
    const byQuestion = new Map<string, QuestionTally>(tallies.map((t) => [t.question_id, { answered: t.answered, counts: t.counts, texts: [] }]));
    for (const text of texts) byQuestion.get(text.question_id)?.texts.push(text.text_value);
    return questionLists.map((questions, i) => {
      if (questions instanceof Error) return questions;
      const survey = surveys[i];
      const closed = survey instanceof Survey && survey.status === SurveyStatus.CLOSED;
      return questions.map((q) => {
        const tally = byQuestion.get(q.id);
        if (!closed) return withheldResult(q, ResultWithheld.SURVEY_NOT_CLOSED);
        return tally && tally.answered >= minimum ? questionResult(q, tally) : withheldResult(q, ResultWithheld.TOO_FEW_ANSWERS);
      });
    });
  });
}
