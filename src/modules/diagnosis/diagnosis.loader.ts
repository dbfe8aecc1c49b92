import { findRows } from '../../platform/database/orm-extension/read-rows.js';
import { byKeys, groupByKeys, loader, type RequestContext } from '../../platform/graphql/context.js';
import { Diagnosis } from './diagnosis.entity.js';
import { DiagnosisStage, STAGE_ORDER } from './diagnosis-stage.entity.js';
import { ResearchActivity } from './research-activity.entity.js';
import { DiagnosisNeed, NeedPriority } from './diagnosis-need.entity.js';
import { DiagnosisResource } from './diagnosis-resource.entity.js';
import { ServiceArea } from '../common/domain.enums.js';

export function diagnosisById(ctx: RequestContext) {
  return loader<string, Diagnosis | null>(ctx, 'diagnosis.byId', async (ids) => {
    const rows = await findRows(ctx, Diagnosis, { id: { $in: [...ids] } });
    return byKeys(ids, rows, (d) => d.id);
  });
}

/** Stages of each diagnosis, in the order they are worked through (PLAN first). */
export function stagesOfDiagnosis(ctx: RequestContext) {
  return loader<string, DiagnosisStage[]>(ctx, 'diagnosisStage.byDiagnosis', async (ids) => {
    const rows = await findRows(ctx, DiagnosisStage, { diagnosisId: { $in: [...ids] } });
    rows.sort((a, b) => STAGE_ORDER.indexOf(a.stage) - STAGE_ORDER.indexOf(b.stage));
    return groupByKeys(ids, rows, (s) => s.diagnosisId);
  });
}

export function researchActivityById(ctx: RequestContext) {
  return loader<string, ResearchActivity | null>(ctx, 'researchActivity.byId', async (ids) => {
    const rows = await findRows(ctx, ResearchActivity, { id: { $in: [...ids] } });
    return byKeys(ids, rows, (a) => a.id);
  });
}

export function researchActivitiesOfDiagnosis(ctx: RequestContext) {
  return loader<string, ResearchActivity[]>(ctx, 'researchActivity.byDiagnosis', async (ids) => {
    const rows = await findRows(ctx, ResearchActivity, { diagnosisId: { $in: [...ids] } }, { orderBy: { startDate: 'asc', createdAt: 'asc', id: 'asc' } });
    return groupByKeys(ids, rows, (a) => a.diagnosisId);
  });
}

export function diagnosisNeedById(ctx: RequestContext) {
  return loader<string, DiagnosisNeed | null>(ctx, 'diagnosisNeed.byId', async (ids) => {
    const rows = await findRows(ctx, DiagnosisNeed, { id: { $in: [...ids] } });
    return byKeys(ids, rows, (n) => n.id);
  });
}

const PRIORITY_ORDER = Object.values(NeedPriority);
const AREA_ORDER = Object.values(ServiceArea);

/** Needs of each diagnosis: highest priority first, then by area in the act's order. */
export function needsOfDiagnosis(ctx: RequestContext) {
  return loader<string, DiagnosisNeed[]>(ctx, 'diagnosisNeed.byDiagnosis', async (ids) => {
    const rows = await findRows(ctx, DiagnosisNeed, { diagnosisId: { $in: [...ids] } }, { orderBy: { createdAt: 'asc', id: 'asc' } });
    // Stable sort: within one priority and area, needs keep the order they were recorded in.
    rows.sort((a, b) => PRIORITY_ORDER.indexOf(a.priority) - PRIORITY_ORDER.indexOf(b.priority)
      || AREA_ORDER.indexOf(a.area) - AREA_ORDER.indexOf(b.area));
    return groupByKeys(ids, rows, (n) => n.diagnosisId);
  });
}

export function diagnosisResourceById(ctx: RequestContext) {
  return loader<string, DiagnosisResource | null>(ctx, 'diagnosisResource.byId', async (ids) => {
    const rows = await findRows(ctx, DiagnosisResource, { id: { $in: [...ids] } });
    return byKeys(ids, rows, (r) => r.id);
  });
}

export function resourcesOfDiagnosis(ctx: RequestContext) {
  return loader<string, DiagnosisResource[]>(ctx, 'diagnosisResource.byDiagnosis', async (ids) => {
    const rows = await findRows(ctx, DiagnosisResource, { diagnosisId: { $in: [...ids] } }, { orderBy: { createdAt: 'asc', id: 'asc' } });
    return groupByKeys(ids, rows, (r) => r.diagnosisId);
  });
}
