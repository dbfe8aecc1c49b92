import { findRows } from '../../platform/database/orm-extension/read-rows.js';
import { groupByKeys, loader, type RequestContext } from '../../platform/graphql/context.js';
import { rowByKey, rowsByKey } from '../../platform/graphql/row-loaders.js';
import { ServiceArea } from '../common/domain.enums.js';
import type { Resident } from '../resident/resident.entity.js';
import { Application } from './application.entity.js';
import { AssessedNeed, NeedsAssessment } from './needs-assessment.entity.js';

/*
 * An Application or NeedsAssessment loaded here is part of the resident's record: whatever field
 * returns one to a client logs the read (src/modules/personal-data.ts).
 */

/** Filing order: filed date, then the filing number the database assigned. */
export const FILING_ORDER = [{ filedOn: 'asc' }, { filingNumber: 'asc' }, { id: 'asc' }] as const;

export function applicationById(ctx: RequestContext) {
  return rowByKey(ctx, 'application.byId', Application, 'id');
}

/** Filing order of applications read for several records. */
function byFilingOrder(a: Application, b: Application): number {
  return a.filedOn.localeCompare(b.filedOn) || a.filingNumber - b.filingNumber || a.id.localeCompare(b.id);
}

/** A person's applications in filing order: those of their record and of the records merged into it (one query for all asked for). */
export async function applicationsOfPerson(ctx: RequestContext, resident: Resident): Promise<Application[]> {
  const lists = await applicationsOfResident(ctx).loadMany(resident.recordIds);
  const found = lists.flatMap((list) => {
    if (list instanceof Error) throw list;
    return list;
  });
  return lists.length === 1 ? found : found.sort(byFilingOrder);
}

/** Each resident's applications in filing order, in one query for all residents asked for. */
export function applicationsOfResident(ctx: RequestContext) {
  return rowsByKey(ctx, 'application.byResident', Application, 'residentId', [...FILING_ORDER]);
}

export function needsAssessmentById(ctx: RequestContext) {
  return rowByKey(ctx, 'needsAssessment.byId', NeedsAssessment, 'id');
}

/** Each application's assessments, earliest conversation first. */
export function needsAssessmentsOfApplication(ctx: RequestContext) {
  return rowsByKey(ctx, 'needsAssessment.byApplication', NeedsAssessment, 'applicationId', { conversationOn: 'asc', createdAt: 'asc', id: 'asc' });
}

const AREA_ORDER = Object.values(ServiceArea);

/** Each assessment's needs, by area in the act's order, then by description. */
export function needsOfAssessment(ctx: RequestContext) {
  return loader<string, AssessedNeed[]>(ctx, 'needsAssessment.needs', async (assessmentIds) => {
    const rows = await findRows(ctx, AssessedNeed, { assessmentId: { $in: [...assessmentIds] } });
    rows.sort(
      (a, b) => AREA_ORDER.indexOf(a.area) - AREA_ORDER.indexOf(b.area) || a.description.localeCompare(b.description, 'pl') || a.id.localeCompare(b.id),
    );
    return groupByKeys(assessmentIds, rows, (n) => n.assessmentId);
  });
}
