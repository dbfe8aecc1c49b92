import type { RequestContext } from '../../platform/graphql/context.js';
import { UserErrorCode, UserErrors } from '../../platform/graphql/user-error.js';
import { blank, ok, refuse, textOrNull, type Result } from '../common/result.js';
import { findVisible, isCurrentVersion } from '../common/find.js';
import { checkMove, type Moves } from '../common/transitions.js';
import { CusUnit } from '../cus-unit/cus-unit.entity.js';
import { cusUnitById } from '../cus-unit/cus-unit.loader.js';
import { checkOwnUnit, documentGminy } from '../common/document-gminy.js';
import { Diagnosis, DiagnosisStatus } from './diagnosis.entity.js';
import { DiagnosisStage, STAGE_ORDER } from './diagnosis-stage.entity.js';
import { ResearchActivity } from './research-activity.entity.js';
import { DiagnosisNeed } from './diagnosis-need.entity.js';
import type { DiagnosisCreateInput, DiagnosisIdInput, DiagnosisStageSetInput, DiagnosisUpdateInput } from './diagnosis.inputs.js';

/** A diagnosis the principal can see, or NOT_FOUND on `field` (out of scope looks the same as missing). */
export const findDiagnosis = (ctx: RequestContext, globalId: string, field: string, errors: UserErrors): Promise<Diagnosis | null> =>
  findVisible(ctx, Diagnosis, globalId, field, errors, 'diagnosis');

const { IN_PROGRESS, COMPLETED, ARCHIVED } = DiagnosisStatus;

/**
 * What a diagnosis may do, or have done to it, in which status: only one in progress changes or is
 * consulted on; a completed one is the basis of programmes, an archived one is history.
 */
export const DIAGNOSIS_MOVES = {
  edit: { from: [IN_PROGRESS], what: 'editing' },
  consult: { from: [IN_PROGRESS], what: 'consultation' },
  complete: { from: [IN_PROGRESS], to: COMPLETED, what: 'completion' },
  archive: { from: [IN_PROGRESS, COMPLETED], to: ARCHIVED, what: 'archiving' },
  underlie: { from: [IN_PROGRESS, COMPLETED], what: 'basing a programme on it' },
} satisfies Moves<DiagnosisStatus>;

export function checkEditable(diagnosis: Diagnosis, errors: UserErrors, field: string): void {
  checkMove('diagnosis', diagnosis.status, DIAGNOSIS_MOVES.edit, errors, field);
}

/** A period (of a diagnosis, or of a programme, whose ends may still be open) must not end before it starts. */
export function checkPeriod(start: string | null, end: string | null, errors: UserErrors): void {
  if (start && end && end < start) errors.add('periodEnd', `The period must not end (${end}) before it starts (${start})`, UserErrorCode.OUT_OF_RANGE);
}

export async function createDiagnosis(ctx: RequestContext, input: DiagnosisCreateInput): Promise<Result<Diagnosis>> {
  const errors = new UserErrors();
  const found = await findVisible(ctx, CusUnit, input.cusUnitId, 'cusUnitId', errors, 'CUS unit');
  const unit = found && checkOwnUnit(ctx, found, errors) ? found : null;
  // The seat gmina stays the row's tenant column; the gminy named decide who sees it.
  const gminaIds = unit ? documentGminy(ctx, input.gminy, unit.servedGminaIds, 'the unit serves', errors) : null;
  if (blank(input.title)) errors.add('title', 'Title is required', UserErrorCode.REQUIRED);
  checkPeriod(input.periodStart, input.periodEnd, errors);
  if (!unit || !gminaIds || errors.any) return refuse(errors);
  const diagnosis = ctx.em.create(Diagnosis, {
    gminaId: unit.gminaId,
    gminaIds,
    cusUnitId: unit.id,
    title: input.title.trim(),
    periodStart: input.periodStart,
    periodEnd: input.periodEnd,
    summary: textOrNull(input.summary),
  });
  await ctx.em.flush();
  return ok(diagnosis);
}

export async function updateDiagnosis(ctx: RequestContext, input: DiagnosisUpdateInput): Promise<Result<Diagnosis>> {
  const errors = new UserErrors();
  const diagnosis = await findDiagnosis(ctx, input.id, 'id', errors);
  if (!diagnosis || !isCurrentVersion(diagnosis, input.version, errors, 'diagnosis')) return refuse(errors);
  checkEditable(diagnosis, errors, 'id');
  if (input.title !== undefined && input.title !== null && blank(input.title)) errors.add('title', 'Title must not be blank', UserErrorCode.REQUIRED);
  const periodStart = input.periodStart ?? diagnosis.periodStart;
  const periodEnd = input.periodEnd ?? diagnosis.periodEnd;
  checkPeriod(periodStart, periodEnd, errors);
  const unit = input.gminy ? await cusUnitById(ctx).load(diagnosis.cusUnitId) : null;
  const gminaIds = unit ? documentGminy(ctx, input.gminy, unit.servedGminaIds, 'the unit serves', errors) : diagnosis.gminaIds;
  // Research already recorded must stay inside the period.
  const activities = await ctx.em.find(ResearchActivity, { diagnosisId: diagnosis.id });
  for (const activity of activities) {
    if (activity.startDate < periodStart) {
      errors.add('periodStart', `"${activity.title}" starts on ${activity.startDate}, before the new period`, UserErrorCode.OUT_OF_RANGE);
    }
    if (activity.endDate > periodEnd) {
      errors.add('periodEnd', `"${activity.title}" ends on ${activity.endDate}, after the new period`, UserErrorCode.OUT_OF_RANGE);
    }
  }
  if (errors.any) return refuse(errors);
  ctx.em.assign(diagnosis, {
    title: input.title?.trim() ?? diagnosis.title,
    periodStart,
    periodEnd,
    summary: input.summary === undefined ? diagnosis.summary : textOrNull(input.summary),
    gminaIds,
  });
  await ctx.em.flush();
  return ok(diagnosis);
}

/** IN_PROGRESS -> COMPLETED: a diagnosis without research, without findings or with a stage not done is not one. */
export async function completeDiagnosis(ctx: RequestContext, input: DiagnosisIdInput): Promise<Result<Diagnosis>> {
  const errors = new UserErrors();
  const diagnosis = await findDiagnosis(ctx, input.id, 'id', errors);
  if (!diagnosis) return refuse(errors);
  if (!checkMove('diagnosis', diagnosis.status, DIAGNOSIS_MOVES.complete, errors)) return refuse(errors);
  const [activities, needs, stages] = await Promise.all([
    ctx.em.count(ResearchActivity, { diagnosisId: diagnosis.id }),
    ctx.em.count(DiagnosisNeed, { diagnosisId: diagnosis.id }),
    ctx.em.find(DiagnosisStage, { diagnosisId: diagnosis.id, completed: true }),
  ]);
  if (activities === 0) errors.add('id', 'Record at least one research activity before completing the diagnosis', UserErrorCode.REQUIRED);
  if (needs === 0) errors.add('id', 'Record at least one need before completing the diagnosis', UserErrorCode.REQUIRED);
  // Every stage the domain names (plan, methods, data, analysis, conclusions, report) recorded as completed.
  const done = new Set(stages.map((s) => s.stage));
  const missing = STAGE_ORDER.filter((stage) => !done.has(stage));
  if (missing.length > 0) {
    errors.add('id', `Record these stages as completed first (diagnosisStageSet): ${missing.join(', ')}`, UserErrorCode.PREREQUISITE_MISSING);
  }
  if (errors.any) return refuse(errors);
  diagnosis.status = DIAGNOSIS_MOVES.complete.to;
  await ctx.em.flush();
  return ok(diagnosis);
}

/** Retires a diagnosis (in progress or completed); it stays readable, and programmes resting on it keep the link. */
export async function archiveDiagnosis(ctx: RequestContext, input: DiagnosisIdInput): Promise<Result<Diagnosis>> {
  const errors = new UserErrors();
  const diagnosis = await findDiagnosis(ctx, input.id, 'id', errors);
  if (!diagnosis) return refuse(errors);
  if (!checkMove('diagnosis', diagnosis.status, DIAGNOSIS_MOVES.archive, errors)) return refuse(errors);
  diagnosis.status = DIAGNOSIS_MOVES.archive.to;
  await ctx.em.flush();
  return ok(diagnosis);
}

/** Creates the stage the first time, replaces its dates, state and notes afterwards. */
export async function setStage(ctx: RequestContext, input: DiagnosisStageSetInput): Promise<Result<{ stage: DiagnosisStage; diagnosis: Diagnosis }>> {
  const errors = new UserErrors();
  const diagnosis = await findDiagnosis(ctx, input.diagnosisId, 'diagnosisId', errors);
  if (!diagnosis) return refuse(errors);
  checkEditable(diagnosis, errors, 'diagnosisId');
  const startDate = input.startDate ?? null;
  const endDate = input.endDate ?? null;
  if (startDate && endDate && endDate < startDate) errors.add('endDate', 'The stage must not end before it starts', UserErrorCode.OUT_OF_RANGE);
  if (errors.any) return refuse(errors);
  const values = { startDate, endDate, completed: input.completed ?? false, notes: textOrNull(input.notes) };
  let stage = await ctx.em.findOne(DiagnosisStage, { diagnosisId: diagnosis.id, stage: input.stage });
  if (stage) ctx.em.assign(stage, values);
  else stage = ctx.em.create(DiagnosisStage, { ...values, gminaId: diagnosis.gminaId, diagnosisId: diagnosis.id, stage: input.stage });
  await ctx.em.flush();
  return ok({ stage, diagnosis });
}
