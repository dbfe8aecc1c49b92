import { findRows } from '../../platform/database/orm-extension/read-rows.js';
import { loader, type RequestContext } from '../../platform/graphql/context.js';
import { rowByKey } from '../../platform/graphql/row-loaders.js';
import { Service } from '../catalogue/service.entity.js';
import { Commission, CommissionService } from './commission.entity.js';

export function commissionById(ctx: RequestContext) {
  return rowByKey(ctx, 'commission.byId', Commission, 'id');
}

/** The services of each commission that the principal can see, in two queries for all commissions asked for. */
export function servicesOfCommission(ctx: RequestContext) {
  return loader<string, Service[]>(ctx, 'commission.services', async (ids) => {
    const links = await findRows(ctx, CommissionService, { commissionId: { $in: [...ids] } });
    const services =
      links.length > 0 ? await findRows(ctx, Service, { id: { $in: [...new Set(links.map((l) => l.serviceId))] } }, { orderBy: { name: 'asc' } }) : [];
    return ids.map((id) => {
      const mine = new Set(links.filter((l) => l.commissionId === id).map((l) => l.serviceId));
      return services.filter((s) => mine.has(s.id));
    });
  });
}
