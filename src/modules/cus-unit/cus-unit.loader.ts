import { findRows } from '../../platform/database/orm-extension/read-rows.js';
import { byKeys, groupByKeys, loader, type RequestContext } from '../../platform/graphql/context.js';
import { CusUnit } from './cus-unit.entity.js';
import { FundingProject } from './funding-project.entity.js';

export function cusUnitById(ctx: RequestContext) {
  return loader<string, CusUnit | null>(ctx, 'cusUnit.byId', async (ids) => {
    const rows = await findRows(ctx, CusUnit, { id: { $in: [...ids] } });
    return byKeys(ids, rows, (u) => u.id);
  });
}

/** The units serving each gmina (visible to the principal), batched in one query. */
export function cusUnitsServingGmina(ctx: RequestContext) {
  return loader<number, CusUnit[]>(ctx, 'cusUnit.byServedGmina', async (gminaIds) => {
    const rows = await findRows(ctx, CusUnit, { servedGminaIds: { $overlap: [...gminaIds] } }, { orderBy: { name: 'asc', id: 'asc' } });
    return gminaIds.map((gminaId) => rows.filter((u) => u.servedGminaIds.includes(gminaId)));
  });
}

export function fundingProjectById(ctx: RequestContext) {
  return loader<string, FundingProject | null>(ctx, 'fundingProject.byId', async (ids) => {
    const rows = await findRows(ctx, FundingProject, { id: { $in: [...ids] } });
    return byKeys(ids, rows, (p) => p.id);
  });
}

export function fundingProjectsOfUnit(ctx: RequestContext) {
  return loader<string, FundingProject[]>(ctx, 'fundingProject.byUnit', async (unitIds) => {
    const rows = await findRows(ctx, FundingProject, { cusUnitId: { $in: [...unitIds] } }, { orderBy: { periodStart: 'asc', id: 'asc' } });
    return groupByKeys(unitIds, rows, (p) => p.cusUnitId);
  });
}
