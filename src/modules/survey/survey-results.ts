import { isChoice, SurveyQuestion, SurveyQuestionKind } from './survey.entity.js';
import { ResultWithheld, type OptionResult, type QuestionResult, type ScaleValueResult } from './survey.inputs.js';

/**
 * What is kept of one question's answers (table survey_tally, texts from survey_text): how many
 * answered, how often each option or scale value was given (`counts`, by option index or from
 * scaleMin up), and the free texts. Nothing per response.
 */
export interface QuestionTally {
  answered: number;
  counts: number[];
  texts: string[];
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

/** A question whose figures are not shown, and why. */
export function withheldResult(question: SurveyQuestion, withheld: ResultWithheld): QuestionResult {
  return { question, withheld, answered: null, options: null, distribution: null, mean: null, median: null, texts: null };
}

/** The aggregate result of one question from its tally: counts and shares, never one person's answers. */
export function questionResult(question: SurveyQuestion, tally: QuestionTally): QuestionResult {
  const { answered } = tally;
  const countAt = (i: number) => tally.counts[i] ?? 0;
  const result: QuestionResult = { question, withheld: null, answered, options: null, distribution: null, mean: null, median: null, texts: null };

  if (isChoice(question.kind)) {
    result.options = question.options.map((option, index): OptionResult => ({ index, option, count: countAt(index), share: share(countAt(index), answered) }));
  } else if (question.kind === SurveyQuestionKind.SCALE && question.scaleMin !== null && question.scaleMax !== null) {
    const distribution: ScaleValueResult[] = [];
    for (let value = question.scaleMin; value <= question.scaleMax; value++) {
      const count = countAt(value - question.scaleMin);
      distribution.push({ value, count, share: share(count, answered) });
    }
    const given = distribution.reduce((sum, d) => sum + d.count, 0);
    result.distribution = distribution;
    result.mean = given === 0 ? null : round4(distribution.reduce((sum, d) => sum + d.value * d.count, 0) / given);
    result.median = median(distribution, given);
  } else if (question.kind === SurveyQuestionKind.FREE_TEXT) {
    // Sorted, never in the order of submission, so a text cannot be matched to a response or a time.
    result.texts = [...tally.texts].sort(polish.compare);
  }
  return result;
}
