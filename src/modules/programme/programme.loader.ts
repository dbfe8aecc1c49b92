import { type RequestContext } from '../../platform/graphql/context.js';
import { rowByKey, rowsByKey } from '../../platform/graphql/row-loaders.js';
import { Service } from '../catalogue/service.entity.js';
import { Programme } from './programme.entity.js';
import { ProgrammeService } from './programme-service.entity.js';

export function programmeById(ctx: RequestContext) {
  return rowByKey(ctx, 'programme.byId', Programme, 'id');
}

/** Programmes resting on each diagnosis, by period. */
export function programmesOfDiagnosis(ctx: RequestContext) {
  return rowsByKey(ctx, 'programme.byDiagnosis', Programme, 'diagnosisId', { periodStart: 'asc', createdAt: 'asc', id: 'asc' });
}

export function programmeServiceById(ctx: RequestContext) {
  return rowByKey(ctx, 'programmeService.byId', ProgrammeService, 'id');
}

/** The services of each programme, in the order they were added. */
export function servicesOfProgramme(ctx: RequestContext) {
  return rowsByKey(ctx, 'programmeService.byProgramme', ProgrammeService, 'programmeId', { createdAt: 'asc', id: 'asc' });
}

/** Catalogue services named by programmes; the catalogue's own rules (RLS) decide which are visible. */
export function catalogueServiceById(ctx: RequestContext) {
  return rowByKey(ctx, 'programme.serviceById', Service, 'id');
}
