import { findRows } from '../../platform/database/orm-extension/read-rows.js';
import { loader, type RequestContext } from '../../platform/graphql/context.js';
import { rowByKey, rowsByKey } from '../../platform/graphql/row-loaders.js';
import { CusUnit } from './cus-unit.entity.js';
import { FundingProject } from './funding-project.entity.js';

export function cusUnitById(ctx: RequestContext) {
  return rowByKey(ctx, 'cusUnit.byId', CusUnit, 'id');
}

/** The units serving each gmina (visible to the principal), batched in one query. */
export function cusUnitsServingGmina(ctx: RequestContext) {
  return loader<number, CusUnit[]>(ctx, 'cusUnit.byServedGmina', async (gminaIds) => {
    const rows = await findRows(ctx, CusUnit, { servedGminaIds: { $overlap: [...gminaIds] } }, { orderBy: { name: 'asc', id: 'asc' } });
    return gminaIds.map((gminaId) => rows.filter((u) => u.servedGminaIds.includes(gminaId)));
  });
}

export function fundingProjectById(ctx: RequestContext) {
  return rowByKey(ctx, 'fundingProject.byId', FundingProject, 'id');
}

export function fundingProjectsOfUnit(ctx: RequestContext) {
  return rowsByKey(ctx, 'fundingProject.byUnit', FundingProject, 'cusUnitId', { periodStart: 'asc', id: 'asc' });
}
