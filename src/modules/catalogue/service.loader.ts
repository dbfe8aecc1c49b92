import { groupByKeys, loader, type RequestContext } from '../../platform/graphql/context.js';
import { rowByKey, rowsByKey } from '../../platform/graphql/row-loaders.js';
import { findRows } from '../../platform/database/orm-extension/read-rows.js';
import { Location } from './location.entity.js';
import { locationById } from './location.loader.js';
import { Service } from './service.entity.js';
import { ServiceLocation } from './service-location.entity.js';
import { ServiceSchedule } from './service-schedule.entity.js';

export function serviceById(ctx: RequestContext) {
  return rowByKey(ctx, 'catalogue.serviceById', Service, 'id');
}

/** The ids of the places of each service, in one query for all services asked for. */
export function locationIdsOfService(ctx: RequestContext) {
  return loader<string, string[]>(ctx, 'catalogue.locationIdsOfService', async (serviceIds) => {
    const rows = await findRows(ctx, ServiceLocation, { serviceId: { $in: [...serviceIds] } });
    return groupByKeys(serviceIds, rows, (r) => r.serviceId).map((links) => links.map((l) => l.locationId));
  });
}

/** The places of a service, by name; places the principal may not see are left out. */
export async function locationsOfService(ctx: RequestContext, serviceId: string): Promise<Location[]> {
  const ids = await locationIdsOfService(ctx).load(serviceId);
  const places = await locationById(ctx).loadMany(ids);
  return places.filter((p): p is Location => p instanceof Location).sort((a, b) => a.name.localeCompare(b.name, 'pl') || a.id.localeCompare(b.id));
}

export function schedulesOfService(ctx: RequestContext) {
  return rowsByKey(ctx, 'catalogue.schedulesOfService', ServiceSchedule, 'serviceId', { opensAt: 'asc', id: 'asc' });
}
