import { findRows } from '../../platform/database/orm-extension/read-rows.js';
import { groupByKeys, loader, type RequestContext } from '../../platform/graphql/context.js';
import { rowByKey, rowsByKey } from '../../platform/graphql/row-loaders.js';
import { Diagnosis } from './diagnosis.entity.js';
import { DiagnosisStage, STAGE_ORDER } from './diagnosis-stage.entity.js';
import { ResearchActivity } from './research-activity.entity.js';
import { DiagnosisNeed, NeedPriority } from './diagnosis-need.entity.js';
import { DiagnosisResource } from './diagnosis-resource.entity.js';
import { ServiceArea } from '../common/domain.enums.js';

export function diagnosisById(ctx: RequestContext) {
  return rowByKey(ctx, 'diagnosis.byId', Diagnosis, 'id');
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
  return rowByKey(ctx, 'researchActivity.byId', ResearchActivity, 'id');
}

export function researchActivitiesOfDiagnosis(ctx: RequestContext) {
  return rowsByKey(ctx, 'researchActivity.byDiagnosis', ResearchActivity, 'diagnosisId', { startDate: 'asc', createdAt: 'asc', id: 'asc' });
}

export function diagnosisNeedById(ctx: RequestContext) {
  return rowByKey(ctx, 'diagnosisNeed.byId', DiagnosisNeed, 'id');
}

const PRIORITY_ORDER = Object.values(NeedPriority);
const AREA_ORDER = Object.values(ServiceArea);

/** Needs of each diagnosis: highest priority first, then by area in the act's order. */
export function needsOfDiagnosis(ctx: RequestContext) {
  return loader<string, DiagnosisNeed[]>(ctx, 'diagnosisNeed.byDiagnosis', async (ids) => {
    const rows = await findRows(ctx, DiagnosisNeed, { diagnosisId: { $in: [...ids] } }, { orderBy: { createdAt: 'asc', id: 'asc' } });
    // Stable sort: within one priority and area, needs keep the order they were recorded in.
    rows.sort((a, b) => PRIORITY_ORDER.indexOf(a.priority) - PRIORITY_ORDER.indexOf(b.priority) || AREA_ORDER.indexOf(a.area) - AREA_ORDER.indexOf(b.area));
    return groupByKeys(ids, rows, (n) => n.diagnosisId);
  });
}

export function diagnosisResourceById(ctx: RequestContext) {
  return rowByKey(ctx, 'diagnosisResource.byId', DiagnosisResource, 'id');
}

export function resourcesOfDiagnosis(ctx: RequestContext) {
  return rowsByKey(ctx, 'diagnosisResource.byDiagnosis', DiagnosisResource, 'diagnosisId', { createdAt: 'asc', id: 'asc' });
}
