import { findRows } from '../../platform/database/orm-extension/read-rows.js';
import { byKeys, groupByKeys, loader, type RequestContext } from '../../platform/graphql/context.js';
import { Service } from '../catalogue/service.entity.js';
import { Programme } from './programme.entity.js';
import { ProgrammeService } from './programme-service.entity.js';

export function programmeById(ctx: RequestContext) {
  return loader<string, Programme | null>(ctx, 'programme.byId', async (ids) => {
    const rows = await findRows(ctx, Programme, { id: { $in: [...ids] } });
    return byKeys(ids, rows, (p) => p.id);
  });
}

/** Programmes resting on each diagnosis, by period. */
export function programmesOfDiagnosis(ctx: RequestContext) {
  return loader<string, Programme[]>(ctx, 'programme.byDiagnosis', async (ids) => {
    const rows = await findRows(ctx, Programme, { diagnosisId: { $in: [...ids] } }, { orderBy: { periodStart: 'asc', createdAt: 'asc', id: 'asc' } });
    return groupByKeys(ids, rows, (p) => p.diagnosisId as string);
  });
}

export function programmeServiceById(ctx: RequestContext) {
  return loader<string, ProgrammeService | null>(ctx, 'programmeService.byId', async (ids) => {
    const rows = await findRows(ctx, ProgrammeService, { id: { $in: [...ids] } });
    return byKeys(ids, rows, (s) => s.id);
  });
}

/** The services of each programme, in the order they were added. */
export function servicesOfProgramme(ctx: RequestContext) {
  return loader<string, ProgrammeService[]>(ctx, 'programmeService.byProgramme', async (ids) => {
    const rows = await findRows(ctx, ProgrammeService, { programmeId: { $in: [...ids] } }, { orderBy: { createdAt: 'asc', id: 'asc' } });
    return groupByKeys(ids, rows, (s) => s.programmeId);
  });
}

/** Catalogue services named by programmes; the catalogue's own rules (RLS) decide which are visible. */
export function catalogueServiceById(ctx: RequestContext) {
  return loader<string, Service | null>(ctx, 'programme.serviceById', async (ids) => {
    const rows = await findRows(ctx, Service, { id: { $in: [...ids] } });
    return byKeys(ids, rows, (s) => s.id);
  });
}
