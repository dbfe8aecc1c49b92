import { isChoice, SurveyQuestion, SurveyQuestionKind } from './survey.entity.js';
import type { OptionResult, QuestionResult, ScaleValueResult } from './survey.inputs.js';

/** One aggregate row of a survey's answers, as the results query returns it (see surveyResults in survey.loader.ts). */
export interface AnswerAggregate {
  question_id: string;
  /** ANSWERED: responses answering the question; CHOICE: times option `value` was chosen; SCALE: times `value` was given; TEXT: one text. */
  kind: 'ANSWERED' | 'CHOICE' | 'SCALE' | 'TEXT';
  value: number | null;
  text: string | null;
  n: number;
}

const round4 = (x: number): number => Math.round(x * 10_000) / 10_000;
const share = (count: number, of: number): number => (of === 0 ? 0 : round4(count / of));

/** Median of a distribution of whole values (the mean of the two middle values when the count is even). */
function median(distribution: { value: number; count: number }[], total: number): number | null {
  if (total === 0) return null;
  const middle = (rank: number): number => {
    let seen = 0;
    for (const { value, count } of distribution) {
      seen += count;
      if (seen >= rank) return value;
    }
    return distribution[distribution.length - 1].value;
  };
  return total % 2 === 1 ? middle((total + 1) / 2) : (middle(total / 2) + middle(total / 2 + 1)) / 2;
}

const polish = new Intl.Collator('pl');

/** The aggregate result of one question from its aggregate rows: counts and shares, never one person's answers. */
export function questionResult(question: SurveyQuestion, rows: AnswerAggregate[]): QuestionResult {
  const answered = rows.find((r) => r.kind === 'ANSWERED')?.n ?? 0;
  const countOf = (kind: AnswerAggregate['kind'], value: number) => rows.find((r) => r.kind === kind && r.value === value)?.n ?? 0;
  const result: QuestionResult = { question, answered, options: null, distribution: null, mean: null, median: null, texts: null };

  if (isChoice(question.kind)) {
    result.options = question.options.map((option, index): OptionResult => {
      const count = countOf('CHOICE', index);
      return { index, option, count, share: share(count, answered) };
    });
  } else if (question.kind === SurveyQuestionKind.SCALE && question.scaleMin !== null && question.scaleMax !== null) {
    const distribution: ScaleValueResult[] = [];
    for (let value = question.scaleMin; value <= question.scaleMax; value++) {
      const count = countOf('SCALE', value);
      distribution.push({ value, count, share: share(count, answered) });
    }
    const given = distribution.reduce((sum, d) => sum + d.count, 0);
    result.distribution = distribution;
    result.mean = given === 0 ? null : round4(distribution.reduce((sum, d) => sum + d.value * d.count, 0) / given);
    result.median = median(distribution, given);
  } else if (question.kind === SurveyQuestionKind.FREE_TEXT) {
    // Sorted, never in the order of submission, so a text cannot be matched to a response or a time.
    result.texts = rows.filter((r) => r.kind === 'TEXT').map((r) => r.text as string).sort(polish.compare);
  }
  return result;
}
