import type { RequestContext } from '../../platform/graphql/context.js';
import { uuidFromGlobalId } from '../../platform/graphql/node.js';
import { UserErrorCode, UserErrors } from '../../platform/graphql/user-error.js';
import { findVisible, isCurrentVersion } from '../common/find.js';
import { changeStatus, checkMove, type Moves } from '../common/transitions.js';
import { blank, ok, refuse, textOrNull, type Result } from '../common/result.js';
import { CusUnit } from '../cus-unit/cus-unit.entity.js';
import { diagnosisById } from '../diagnosis/diagnosis.loader.js';
import { cusUnitById } from '../cus-unit/cus-unit.loader.js';
import { checkOwnUnit, documentGminy } from '../common/document-gminy.js';
import { isChoice, Survey, SurveyQuestion, SurveyQuestionKind, SurveyStatus } from './survey.entity.js';
import type { SurveyCreateInput, SurveyQuestionInput, SurveyStatusInput, SurveyUpdateInput } from './survey.inputs.js';

/** A scale of more points than this is no longer a scale people answer reliably (0-10 is the longest in use). */
export const MAX_SCALE_POINTS = 11;
const MAX_QUESTIONS = 100;
const MAX_OPTIONS = 50;

/** Checks one question; its mistakes go under `questions.<i>`. */
function checkQuestion(q: SurveyQuestionInput, errors: UserErrors, at: string): void {
  if (blank(q.text)) errors.add(`${at}.text`, 'The question needs a text', UserErrorCode.REQUIRED);
  const options = q.options ?? [];
  if (isChoice(q.kind)) {
    if (options.length < 2) errors.add(`${at}.options`, 'A choice question needs at least two options', UserErrorCode.OUT_OF_RANGE);
    if (options.length > MAX_OPTIONS) errors.add(`${at}.options`, `At most ${MAX_OPTIONS} options`, UserErrorCode.OUT_OF_RANGE);
    if (options.some(blank)) errors.add(`${at}.options`, 'An option is blank', UserErrorCode.REQUIRED);
    const distinct = new Set(options.map((o) => o.trim().toLocaleLowerCase('pl')));
    if (distinct.size !== options.length) errors.add(`${at}.options`, 'An option is listed twice', UserErrorCode.DUPLICATE);
  } else if (options.length > 0) {
    errors.add(`${at}.options`, 'Only choice questions have options', UserErrorCode.INVALID);
  }
  const hasScale = q.scaleMin !== undefined && q.scaleMin !== null && q.scaleMax !== undefined && q.scaleMax !== null;
  if (q.kind === SurveyQuestionKind.SCALE) {
    if (!hasScale) {
      errors.add(`${at}.scaleMax`, 'A scale question needs scaleMin and scaleMax', UserErrorCode.REQUIRED);
    } else if ((q.scaleMax as number) <= (q.scaleMin as number)) {
      errors.add(`${at}.scaleMax`, 'Must be greater than scaleMin', UserErrorCode.OUT_OF_RANGE);
    } else if ((q.scaleMax as number) - (q.scaleMin as number) + 1 > MAX_SCALE_POINTS) {
      errors.add(`${at}.scaleMax`, `A scale has at most ${MAX_SCALE_POINTS} points`, UserErrorCode.OUT_OF_RANGE);
    }
  } else if ((q.scaleMin ?? null) !== null || (q.scaleMax ?? null) !== null) {
    errors.add(`${at}.scaleMin`, 'Only scale questions have scaleMin and scaleMax', UserErrorCode.INVALID);
  }
}

function checkQuestions(questions: SurveyQuestionInput[], errors: UserErrors): void {
  if (questions.length === 0) errors.add('questions', 'A survey has at least one question', UserErrorCode.REQUIRED);
  if (questions.length > MAX_QUESTIONS) errors.add('questions', `At most ${MAX_QUESTIONS} questions`, UserErrorCode.OUT_OF_RANGE);
  questions.forEach((q, i) => checkQuestion(q, errors, `questions.${i}`));
}

function checkPeriod(opensOn: string, closesOn: string, errors: UserErrors): void {
  if (closesOn < opensOn) errors.add('closesOn', 'The survey must not close before it opens', UserErrorCode.OUT_OF_RANGE);
}

function questionRows(survey: Survey, questions: SurveyQuestionInput[]) {
  return questions.map((q, i) => ({
    gminaId: survey.gminaId,
    surveyId: survey.id,
    position: i + 1,
    kind: q.kind,
    text: q.text.trim(),
    options: isChoice(q.kind) ? (q.options ?? []).map((o) => o.trim()) : [],
    scaleMin: q.kind === SurveyQuestionKind.SCALE ? (q.scaleMin ?? null) : null,
    scaleMax: q.kind === SurveyQuestionKind.SCALE ? (q.scaleMax ?? null) : null,
    required: q.required ?? true,
  }));
}

/** The diagnosis a survey serves, which must be the same unit's; another gmina's is NOT_FOUND. */
async function checkDiagnosis(ctx: RequestContext, globalId: string, unitId: string, errors: UserErrors): Promise<string | null> {
  const diagnosis = await diagnosisById(ctx).load(uuidFromGlobalId(globalId, 'Diagnosis', 'diagnosisId'));
  if (!diagnosis) {
    errors.add('diagnosisId', 'No such diagnosis', UserErrorCode.NOT_FOUND);
    return null;
  }
  if (diagnosis.cusUnitId !== unitId) errors.add('diagnosisId', 'The diagnosis belongs to another CUS unit', UserErrorCode.INVALID);
  return diagnosis.id;
}

export async function createSurvey(ctx: RequestContext, input: SurveyCreateInput): Promise<Result<Survey>> {
  const errors = new UserErrors();
  const found = await findVisible(ctx, CusUnit, input.cusUnitId, 'cusUnitId', errors, 'CUS unit');
  const unit = found && checkOwnUnit(ctx, found, errors) ? found : null;
  if (blank(input.title)) errors.add('title', 'Title is required', UserErrorCode.REQUIRED);
  checkPeriod(input.opensOn, input.closesOn, errors);
  checkQuestions(input.questions, errors);
  const diagnosisId = unit && input.diagnosisId ? await checkDiagnosis(ctx, input.diagnosisId, unit.id, errors) : null;
  const gminaIds = unit ? documentGminy(ctx, input.gminy, unit.servedGminaIds, 'the unit serves', errors) : null;
  if (!unit || !gminaIds || errors.any) return refuse(errors);

  const survey = ctx.em.create(Survey, {
    gminaId: unit.gminaId,
    gminaIds,
    cusUnitId: unit.id,
    diagnosisId,
    title: input.title.trim(),
    description: textOrNull(input.description),
    opensOn: input.opensOn,
    closesOn: input.closesOn,
  });
  // The survey row first: the entities declare no relation, so the ORM would not order the inserts.
  await ctx.em.flush();
  for (const row of questionRows(survey, input.questions)) ctx.em.create(SurveyQuestion, row as never);
  await ctx.em.flush();
  return ok(survey);
}

/** A survey the principal can see, at the version the client last read; another gmina's is NOT_FOUND. */
async function findSurvey(ctx: RequestContext, input: { id: string; version: number }, errors: UserErrors): Promise<Survey | null> {
  const survey = await findVisible(ctx, Survey, input.id, 'id', errors, 'survey');
  return survey && isCurrentVersion(survey, input.version, errors, 'survey') ? survey : null;
}

const { DRAFT, PUBLISHED, CLOSED } = SurveyStatus;

/** What a survey may do in which status: its questions change only in a draft, nothing changes once it is closed. */
const SURVEY_MOVES = {
  edit: { from: [DRAFT, PUBLISHED], what: 'editing' },
  editQuestions: { from: [DRAFT], what: 'changing the questions' },
  publish: { from: [DRAFT], to: PUBLISHED, what: 'publication' },
  close: { from: [DRAFT, PUBLISHED], to: CLOSED, what: 'closing' },
} satisfies Moves<SurveyStatus>;

export async function updateSurvey(ctx: RequestContext, input: SurveyUpdateInput): Promise<Result<Survey>> {
  const errors = new UserErrors();
  const survey = await findSurvey(ctx, input, errors);
  if (!survey) return refuse(errors);
  if (!checkMove('survey', survey.status, SURVEY_MOVES.edit, errors)) return refuse(errors);
  if (input.title !== undefined && input.title !== null && blank(input.title)) errors.add('title', 'Title must not be blank', UserErrorCode.REQUIRED);
  const opensOn = input.opensOn ?? survey.opensOn;
  const closesOn = input.closesOn ?? survey.closesOn;
  checkPeriod(opensOn, closesOn, errors);
  if (input.questions && checkMove('survey', survey.status, SURVEY_MOVES.editQuestions, errors, 'questions')) checkQuestions(input.questions, errors);
  const unit = input.gminy ? await cusUnitById(ctx).load(survey.cusUnitId) : null;
  const gminaIds = unit ? documentGminy(ctx, input.gminy, unit.servedGminaIds, 'the unit serves', errors) : survey.gminaIds;
  let diagnosisId = survey.diagnosisId;
  if (input.diagnosisId === null) diagnosisId = null;
  else if (input.diagnosisId !== undefined) diagnosisId = await checkDiagnosis(ctx, input.diagnosisId, survey.cusUnitId, errors);
  if (errors.any) return refuse(errors);

  ctx.em.assign(survey, {
    title: input.title?.trim() ?? survey.title,
    description: input.description === undefined ? survey.description : textOrNull(input.description),
    opensOn,
    closesOn,
    diagnosisId,
    gminaIds,
  });
  if (input.questions) {
    // A draft has no answers yet, so its questions are simply replaced.
    await ctx.em.nativeDelete(SurveyQuestion, { surveyId: survey.id });
    for (const row of questionRows(survey, input.questions)) ctx.em.create(SurveyQuestion, row as never);
    survey.updatedAt = new Date();
  }
  await ctx.em.flush();
  return ok(survey);
}

export async function publishSurvey(ctx: RequestContext, input: SurveyStatusInput): Promise<Result<Survey>> {
  const errors = new UserErrors();
  const survey = await findSurvey(ctx, input, errors);
  if (!survey) return refuse(errors);
  if (!checkMove('survey', survey.status, SURVEY_MOVES.publish, errors)) return refuse(errors);
  if ((await ctx.em.count(SurveyQuestion, { surveyId: survey.id })) === 0) {
    errors.add('id', 'A survey needs at least one question to be published', UserErrorCode.NOT_ALLOWED);
    return refuse(errors);
  }
  survey.status = SURVEY_MOVES.publish.to;
  await ctx.em.flush();
  return ok(survey);
}

export async function closeSurvey(ctx: RequestContext, input: SurveyStatusInput): Promise<Result<Survey>> {
  const errors = new UserErrors();
  return changeStatus(ctx, 'survey', await findSurvey(ctx, input, errors), SURVEY_MOVES.close, errors);
}
