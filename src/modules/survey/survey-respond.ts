import type { MikroORM } from '@mikro-orm/postgresql';
import { publicSession } from '../../platform/database/public-session.js';
import { AppError, ErrorCode } from '../../platform/graphql/errors.js';
import { fromGlobalId, isUuid } from '../../platform/graphql/node.js';
import { UserErrorCode, UserErrors } from '../../platform/graphql/user-error.js';
import { todayInPoland } from '../common/dates.js';
import { isChoice, Survey, SurveyQuestion, SurveyQuestionKind, SurveyStatus } from './survey.entity.js';
import type { SurveyAnswerInput, SurveyRespondInput, SurveyRespondPayload } from './survey-public.js';
import { secondsToNextHour, takeLinkSlot, type AddressRateLimiter } from './survey-rate-limit.js';

/** Longest free-text answer, in characters. */
export const MAX_TEXT_ANSWER = 2000;

/** What one request to the public endpoint carries: no principal, only what the flood guard needs. */
export interface PublicSurveyContext {
  orm: MikroORM;
  /** The client's network address, used only as a hashed in-memory key (never stored). */
  clientAddress: string;
  addressLimiter: AddressRateLimiter;
  /** Responses one link takes per clock hour (config SURVEY_RESPONSES_PER_HOUR). */
  responsesPerHour: number;
  /**
   * Filled when a limit refuses the request: seconds until it may try again (the Retry-After header).
   * An object, because Apollo hands resolvers a shallow copy of the context.
   */
  refusal: { retryAfter: number | null };
}

/** Refuses a flood: HTTP 429 with TOO_MANY_REQUESTS; the route adds Retry-After from the context. */
function tooManyRequests(ctx: PublicSurveyContext, retryAfter: number): AppError {
  ctx.refusal.retryAfter = retryAfter;
  return new AppError(ErrorCode.TOO_MANY_REQUESTS, `Too many responses through this survey link; try again in ${retryAfter} seconds`);
}

/** A well-formed link token (ours are 43 base64url characters); anything else is not looked up. */
export const looksLikeToken = (token: string): boolean => /^[A-Za-z0-9_-]{22,128}$/.test(token);

/** One checked answer: the options chosen, the scale value or the text. */
interface Answer {
  choices: number[] | null;
  scale: number | null;
  text: string | null;
}

/**
 * What one response adds to one question of its survey (app.survey_respond): 1 to `answered` when it
 * answered it, 1 to each option or scale value given (counts by option index, or from scaleMin up),
 * and the text. Every question of the survey gets one, zeros where unanswered.
 */
interface TallyStep {
  question_id: string;
  answered: 0 | 1;
  counts: (0 | 1)[];
  text: string | null;
}

function tallyStep(question: SurveyQuestion, answer: Answer | undefined): TallyStep {
  const size = isChoice(question.kind)
    ? question.options.length
    : question.kind === SurveyQuestionKind.SCALE
      ? (question.scaleMax as number) - (question.scaleMin as number) + 1
      : 0;
  const counts = new Array<0 | 1>(size).fill(0);
  for (const choice of answer?.choices ?? []) counts[choice] = 1;
  if (answer?.scale !== undefined && answer.scale !== null) counts[answer.scale - (question.scaleMin as number)] = 1;
  return { question_id: question.id, answered: answer ? 1 : 0, counts, text: answer?.text ?? null };
}

function questionUuid(globalId: string): string | null {
  try {
    const { type, key } = fromGlobalId(globalId);
    return type === 'SurveyQuestion' && isUuid(key) ? key.toLowerCase() : null;
  } catch {
    return null;
  }
}

/** Checks every answer against its question; returns the answers by question id (user errors when any is wrong). */
function checkAnswers(questions: SurveyQuestion[], answers: SurveyAnswerInput[], errors: UserErrors): Map<string, Answer> {
  const byId = new Map(questions.map((q) => [q.id, q]));
  const answered = new Set<string>();
  const rows = new Map<string, Answer>();
  answers.forEach((answer, i) => {
    const at = `answers.${i}`;
    const id = questionUuid(answer.questionId);
    const question = id ? byId.get(id) : undefined;
    if (!question) {
      errors.add(`${at}.questionId`, 'This survey has no such question', UserErrorCode.INVALID);
      return;
    }
    if (answered.has(question.id)) {
      errors.add(`${at}.questionId`, `Question ${question.position} is answered twice`, UserErrorCode.DUPLICATE);
      return;
    }
    answered.add(question.id);
    const choices = answer.choices ?? null;
    const scale = answer.scale ?? null;
    const text = answer.text ?? null;
    const row: Answer = { choices: null, scale: null, text: null };
    switch (question.kind) {
      case SurveyQuestionKind.SINGLE_CHOICE:
      case SurveyQuestionKind.MULTIPLE_CHOICE: {
        if (choices === null || scale !== null || text !== null) {
          errors.add(at, `Question ${question.position} is answered with choices only`, UserErrorCode.INVALID);
          return;
        }
        const single = question.kind === SurveyQuestionKind.SINGLE_CHOICE;
        if (single ? choices.length !== 1 : choices.length === 0) {
          errors.add(`${at}.choices`, single ? 'Choose exactly one option' : 'Choose at least one option', UserErrorCode.INVALID);
        } else if (choices.some((c) => c < 0 || c >= question.options.length)) {
          errors.add(`${at}.choices`, `Options are numbered 0 to ${question.options.length - 1}`, UserErrorCode.OUT_OF_RANGE);
        } else if (new Set(choices).size !== choices.length) {
          errors.add(`${at}.choices`, 'An option is chosen twice', UserErrorCode.DUPLICATE);
        }
        row.choices = [...choices].sort((a, b) => a - b);
        break;
      }
      case SurveyQuestionKind.SCALE:
        if (scale === null || choices !== null || text !== null) {
          errors.add(at, `Question ${question.position} is answered with a scale value only`, UserErrorCode.INVALID);
          return;
        }
        if (scale < (question.scaleMin as number) || scale > (question.scaleMax as number)) {
          errors.add(`${at}.scale`, `Must be between ${question.scaleMin} and ${question.scaleMax}`, UserErrorCode.OUT_OF_RANGE);
        }
        row.scale = scale;
        break;
      case SurveyQuestionKind.FREE_TEXT:
        if (text === null || choices !== null || scale !== null) {
          errors.add(at, `Question ${question.position} is answered with a text only`, UserErrorCode.INVALID);
          return;
        }
        if (text.trim() === '') {
          // A blank text is no answer; a required question is reported below.
          answered.delete(question.id);
          return;
        }
        if (text.length > MAX_TEXT_ANSWER) errors.add(`${at}.text`, `At most ${MAX_TEXT_ANSWER} characters`, UserErrorCode.OUT_OF_RANGE);
        row.text = text.trim();
        break;
    }
    rows.set(question.id, row);
  });
  for (const q of questions) {
    if (q.required && !answered.has(q.id)) errors.add('answers', `Question ${q.position} is required`, UserErrorCode.REQUIRED);
  }
  if (rows.size === 0 && !errors.any) errors.add('answers', 'Answer at least one question', UserErrorCode.REQUIRED);
  return rows;
}

/**
 * Stores one anonymous response through a survey link. Everything runs as the PUBLIC principal
 * (publicSession), which may see only the published survey its token names, and which writes the
 * response only through app.survey_respond(): that adds it to the counts of every question of the
 * survey and to the day's count, and writes the survey's texts again, sorted, so that no stored row
 * belongs to one response, or tells when it came beyond the day (see the migration
 * Migration20261207000410SurveyAnonymity). No address, user agent, account or time is stored.
 *
 * Flood guard: at most `responsesPerHour` responses per link per clock hour (counted in the
 * database, shared by all instances), and at most the address limiter's count per client address
 * and link per sliding hour (in memory). Either refusal is HTTP 429 with Retry-After.
 */
export async function respondToSurvey(ctx: PublicSurveyContext, input: SurveyRespondInput): Promise<SurveyRespondPayload> {
  const errors = new UserErrors();
  if (!looksLikeToken(input.token)) {
    errors.add('token', 'No survey has this link', UserErrorCode.NOT_FOUND);
    return { accepted: false, userErrors: errors.list };
  }
  // The address slot is given back when the response is not stored after all (refused or failed).
  const taken: { release?: () => void } = {};
  try {
    const accepted = await publicSession(ctx.orm, { surveyToken: input.token }, 'write', async (em) => {
      const survey = await em.findOne(Survey, { publicToken: input.token, status: SurveyStatus.PUBLISHED });
      if (!survey) {
        errors.add('token', 'No survey has this link, or it is closed', UserErrorCode.NOT_FOUND);
        return false;
      }
      const today = todayInPoland();
      if (today < survey.opensOn || today > survey.closesOn) {
        errors.add('token', `The survey takes responses from ${survey.opensOn} to ${survey.closesOn}`, UserErrorCode.NOT_ALLOWED);
        return false;
      }
      const questions = await em.find(SurveyQuestion, { surveyId: survey.id }, { orderBy: { position: 'asc' } });
      const answers = checkAnswers(questions, input.answers, errors);
      if (errors.any) return false;

      const slot = ctx.addressLimiter.take(ctx.clientAddress, input.token);
      if (!slot.granted) throw tooManyRequests(ctx, slot.retryAfter);
      taken.release = slot.release;
      if (!(await takeLinkSlot(em, survey, ctx.responsesPerHour))) throw tooManyRequests(ctx, secondsToNextHour());

      const steps = questions.map((q) => tallyStep(q, answers.get(q.id)));
      await em.execute('select app.survey_respond(?::jsonb)', [JSON.stringify(steps)]);
      return true;
    });
    return { accepted, userErrors: errors.list };
  } catch (error) {
    taken.release?.();
    throw error;
  }
}
