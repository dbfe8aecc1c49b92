import type { EntityClass } from '@mikro-orm/core';
import type { RequestContext } from '../../platform/graphql/context.js';
import { UserErrorCode, UserErrors } from '../../platform/graphql/user-error.js';
import { blank, ok, refuse, textOrNull, type Result } from '../common/result.js';
import { findVisible } from '../common/find.js';
import { Partner } from '../partner/partner.entity.js';
import { Diagnosis } from './diagnosis.entity.js';
import { ResearchActivity } from './research-activity.entity.js';
import { DiagnosisNeed } from './diagnosis-need.entity.js';
import { DiagnosisResource } from './diagnosis-resource.entity.js';
import { checkEditable, findDiagnosis } from './diagnosis.service.js';
import type {
  DiagnosisItemRemoveInput,
  DiagnosisNeedAddInput,
  DiagnosisNeedUpdateInput,
  DiagnosisResourceAddInput,
  DiagnosisResourceUpdateInput,
  ResearchActivityAddInput,
  ResearchActivityUpdateInput,
} from './diagnosis.inputs.js';

type Item = ResearchActivity | DiagnosisNeed | DiagnosisResource;

/** An item of a diagnosis by global id, with its diagnosis, which must still be in progress. */
async function findItem<T extends Item>(
  ctx: RequestContext,
  entity: EntityClass<T>,
  what: string,
  globalId: string,
  errors: UserErrors,
): Promise<{ item: T; diagnosis: Diagnosis } | null> {
  const item = await findVisible(ctx, entity, globalId, 'id', errors, what);
  if (!item) return null;
  // Same gmina and same read policy as the item, so visible whenever the item is.
  const diagnosis = await ctx.em.findOneOrFail(Diagnosis, { id: item.diagnosisId });
  checkEditable(diagnosis, errors, 'id');
  return { item, diagnosis };
}

async function removeItem<T extends Item>(
  ctx: RequestContext,
  entity: EntityClass<T>,
  what: string,
  input: DiagnosisItemRemoveInput,
): Promise<Result<{ removedId: string; diagnosis: Diagnosis }>> {
  const errors = new UserErrors();
  const found = await findItem(ctx, entity, what, input.id, errors);
  if (!found || errors.any) return refuse(errors);
  ctx.em.remove(found.item);
  await ctx.em.flush();
  return ok({ removedId: found.item.globalId, diagnosis: found.diagnosis });
}

// --- research activities

interface ActivityValues {
  title: string;
  startDate: string;
  endDate: string;
  targetGroups: string[];
  participants: number | null;
}

function checkActivity(values: ActivityValues, diagnosis: Diagnosis, errors: UserErrors): void {
  if (blank(values.title)) errors.add('title', 'Title is required', UserErrorCode.REQUIRED);
  if (values.endDate < values.startDate) errors.add('endDate', 'The activity must not end before it starts', UserErrorCode.OUT_OF_RANGE);
  const period = `${diagnosis.periodStart} to ${diagnosis.periodEnd}`;
  if (values.startDate < diagnosis.periodStart || values.startDate > diagnosis.periodEnd) {
    errors.add('startDate', `Must fall within the diagnosis period, ${period}`, UserErrorCode.OUT_OF_RANGE);
  }
  if (values.endDate < diagnosis.periodStart || values.endDate > diagnosis.periodEnd) {
    errors.add('endDate', `Must fall within the diagnosis period, ${period}`, UserErrorCode.OUT_OF_RANGE);
  }
  if (new Set(values.targetGroups).size !== values.targetGroups.length) errors.add('targetGroups', 'A group is listed twice', UserErrorCode.DUPLICATE);
  if (values.participants !== null && values.participants < 0) errors.add('participants', 'Must not be negative', UserErrorCode.OUT_OF_RANGE);
}

export async function addResearchActivity(ctx: RequestContext, input: ResearchActivityAddInput): Promise<Result<ResearchActivity>> {
  const errors = new UserErrors();
  const diagnosis = await findDiagnosis(ctx, input.diagnosisId, 'diagnosisId', errors);
  if (!diagnosis) return refuse(errors);
  checkEditable(diagnosis, errors, 'diagnosisId');
  const values = {
    kind: input.kind,
    title: input.title?.trim(),
    startDate: input.startDate,
    endDate: input.endDate,
    targetGroups: input.targetGroups ?? [],
    groupDescription: textOrNull(input.groupDescription),
    participants: input.participants ?? null,
    notes: textOrNull(input.notes),
  };
  checkActivity(values, diagnosis, errors);
  if (errors.any) return refuse(errors);
  const activity = ctx.em.create(ResearchActivity, { ...values, gminaId: diagnosis.gminaId, diagnosisId: diagnosis.id });
  await ctx.em.flush();
  return ok(activity);
}

export async function updateResearchActivity(ctx: RequestContext, input: ResearchActivityUpdateInput): Promise<Result<ResearchActivity>> {
  const errors = new UserErrors();
  const found = await findItem(ctx, ResearchActivity, 'research activity', input.id, errors);
  if (!found) return refuse(errors);
  const { item, diagnosis } = found;
  const values = {
    kind: input.kind ?? item.kind,
    title: input.title?.trim() ?? item.title,
    startDate: input.startDate ?? item.startDate,
    endDate: input.endDate ?? item.endDate,
    targetGroups: input.targetGroups ?? item.targetGroups,
    groupDescription: input.groupDescription === undefined ? item.groupDescription : textOrNull(input.groupDescription),
    participants: input.participants === undefined ? item.participants : input.participants,
    notes: input.notes === undefined ? item.notes : textOrNull(input.notes),
  };
  checkActivity(values, diagnosis, errors);
  if (errors.any) return refuse(errors);
  ctx.em.assign(item, values);
  await ctx.em.flush();
  return ok(item);
}

export const removeResearchActivity = (ctx: RequestContext, input: DiagnosisItemRemoveInput) => removeItem(ctx, ResearchActivity, 'research activity', input);

// --- needs

export async function addNeed(ctx: RequestContext, input: DiagnosisNeedAddInput): Promise<Result<DiagnosisNeed>> {
  const errors = new UserErrors();
  const diagnosis = await findDiagnosis(ctx, input.diagnosisId, 'diagnosisId', errors);
  if (!diagnosis) return refuse(errors);
  checkEditable(diagnosis, errors, 'diagnosisId');
  if (blank(input.description)) errors.add('description', 'Description is required', UserErrorCode.REQUIRED);
  if (errors.any) return refuse(errors);
  const need = ctx.em.create(DiagnosisNeed, {
    gminaId: diagnosis.gminaId,
    diagnosisId: diagnosis.id,
    area: input.area,
    targetGroup: input.targetGroup,
    description: input.description.trim(),
    priority: input.priority,
  });
  await ctx.em.flush();
  return ok(need);
}

export async function updateNeed(ctx: RequestContext, input: DiagnosisNeedUpdateInput): Promise<Result<DiagnosisNeed>> {
  const errors = new UserErrors();
  const found = await findItem(ctx, DiagnosisNeed, 'need', input.id, errors);
  if (!found) return refuse(errors);
  if (input.description !== undefined && input.description !== null && blank(input.description)) {
    errors.add('description', 'Description must not be blank', UserErrorCode.REQUIRED);
  }
  if (errors.any) return refuse(errors);
  const { item } = found;
  ctx.em.assign(item, {
    area: input.area ?? item.area,
    targetGroup: input.targetGroup ?? item.targetGroup,
    description: input.description?.trim() ?? item.description,
    priority: input.priority ?? item.priority,
  });
  await ctx.em.flush();
  return ok(item);
}

export const removeNeed = (ctx: RequestContext, input: DiagnosisItemRemoveInput) => removeItem(ctx, DiagnosisNeed, 'need', input);

// --- resources (potential)

/** The partner named by a resource, which must be one the principal can see. */
async function findPartner(ctx: RequestContext, globalId: string | null | undefined, errors: UserErrors): Promise<string | null> {
  if (globalId === undefined || globalId === null) return null;
  const partner = await findVisible(ctx, Partner, globalId, 'partnerId', errors, 'partner');
  return partner?.id ?? null;
}

export async function addResource(ctx: RequestContext, input: DiagnosisResourceAddInput): Promise<Result<DiagnosisResource>> {
  const errors = new UserErrors();
  const diagnosis = await findDiagnosis(ctx, input.diagnosisId, 'diagnosisId', errors);
  if (!diagnosis) return refuse(errors);
  checkEditable(diagnosis, errors, 'diagnosisId');
  if (blank(input.holder)) errors.add('holder', 'Holder is required', UserErrorCode.REQUIRED);
  if (blank(input.description)) errors.add('description', 'Description is required', UserErrorCode.REQUIRED);
  const partnerId = await findPartner(ctx, input.partnerId, errors);
  if (errors.any) return refuse(errors);
  const resource = ctx.em.create(DiagnosisResource, {
    gminaId: diagnosis.gminaId,
    diagnosisId: diagnosis.id,
    kind: input.kind,
    holder: input.holder.trim(),
    description: input.description.trim(),
    partnerId,
  });
  await ctx.em.flush();
  return ok(resource);
}

export async function updateResource(ctx: RequestContext, input: DiagnosisResourceUpdateInput): Promise<Result<DiagnosisResource>> {
  const errors = new UserErrors();
  const found = await findItem(ctx, DiagnosisResource, 'resource', input.id, errors);
  if (!found) return refuse(errors);
  if (input.holder !== undefined && input.holder !== null && blank(input.holder)) errors.add('holder', 'Holder must not be blank', UserErrorCode.REQUIRED);
  if (input.description !== undefined && input.description !== null && blank(input.description)) {
    errors.add('description', 'Description must not be blank', UserErrorCode.REQUIRED);
  }
  const { item } = found;
  const partnerId = input.partnerId === undefined ? item.partnerId : await findPartner(ctx, input.partnerId, errors);
  if (errors.any) return refuse(errors);
  ctx.em.assign(item, {
    kind: input.kind ?? item.kind,
    holder: input.holder?.trim() ?? item.holder,
    description: input.description?.trim() ?? item.description,
    partnerId,
  });
  await ctx.em.flush();
  return ok(item);
}

export const removeResource = (ctx: RequestContext, input: DiagnosisItemRemoveInput) => removeItem(ctx, DiagnosisResource, 'resource', input);
