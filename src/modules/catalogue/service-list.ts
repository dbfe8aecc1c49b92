import { raw, type FilterQuery, type QueryOrderMap } from '@mikro-orm/core';
import { findPage, type Page, type PageArgs } from '../../platform/graphql/connection.js';
import type { SortKey } from '../../platform/graphql/keyset.js';
import { parentPage } from '../../platform/graphql/parent-pages.js';
import type { RequestContext } from '../../platform/graphql/context.js';
import { badInput } from '../../platform/graphql/errors.js';
import { uuidFromGlobalId } from '../../platform/graphql/node.js';
import { countByKey } from '../../platform/graphql/row-loaders.js';
import { tercToId } from '../../platform/auth/principal.js';
import { Service } from './service.entity.js';
import { ServiceOrder, type ServiceFilter } from './service.inputs.js';

/** Both orders end with the primary key, so cursors are stable whatever the filter. */
export const SERVICE_ORDER: Record<ServiceOrder, QueryOrderMap<Service>[]> = {
  [ServiceOrder.NAME]: [{ name: 'asc' }, { id: 'asc' }],
  [ServiceOrder.RECENT]: [{ createdAt: 'desc' }, { id: 'desc' }],
};

/**
 * The longest search accepted (after trimming). The words become one tsquery, and PostgreSQL fails a
 * query with a word over 2047 characters or with very many words (stack depth); also used by HSDS.
 */
export const MAX_SEARCH_LENGTH = 200;

/**
 * The search as app.search_query gets it: control characters read as spaces (PostgreSQL text cannot
 * hold NUL, which would fail the statement; none of them is part of a word), trimmed; undefined when blank.
 */
export function searchWords(search: string | null | undefined): string | undefined {
  return search?.replace(/\p{Cc}/gu, ' ').trim() || undefined;
}

/** Services given at a place (through service_location). */
function atLocation(locationId: string) {
  return raw((alias: string) => `${alias}.id in (select sl.service_id from service_location sl where sl.location_id = ?)`, [locationId]);
}

/**
 * The catalogue filter and full-text search as one MikroORM condition. The search goes through the
 * generated `search_vector` (name weighted above description) and app.search_query, which fold case
 * and Polish diacritics on both sides and treat every word as a prefix: "uslugi opiekuncze" finds
 * "Usługi opiekuńcze", "opiek" finds "Opieka wytchnieniowa".
 */
export function serviceWhere(filter: ServiceFilter | undefined, search: string | undefined): FilterQuery<Service> {
  const where: Record<string | symbol, unknown> = {};
  if (filter?.gmina) where.gminaIds = { $overlap: [tercToId(filter.gmina)] };
  if (filter?.areas?.length) where.area = { $in: filter.areas };
  if (filter?.targetGroups?.length) where.targetGroups = { $overlap: filter.targetGroups };
  if (filter?.providerKind) where.providerKind = filter.providerKind;
  if (filter?.partnerId) where.providerPartnerId = uuidFromGlobalId(filter.partnerId, 'Partner', 'filter.partnerId');
  if (filter?.locationId) where[atLocation(uuidFromGlobalId(filter.locationId, 'Location', 'filter.locationId'))] = [];
  if (filter?.statuses?.length) where.status = { $in: filter.statuses };
  if (filter?.online !== undefined && filter.online !== null) where.online = filter.online;
  const words = searchWords(search);
  if (words) {
    if (words.length > MAX_SEARCH_LENGTH) throw badInput(`search must be at most ${MAX_SEARCH_LENGTH} characters`);
    where[raw((alias: string) => `${alias}.search_vector @@ app.search_query(?)`, [words])] = [];
  }
  return where;
}

export function findServices(ctx: RequestContext, where: FilterQuery<Service>, order: ServiceOrder, page: PageArgs): Promise<Page<Service>> {
  return findPage(ctx.em, Service, where, SERVICE_ORDER[order], page);
}

/** The services listed under a parent object: the services given at a place, or the services a partner gives. */
export type ServiceParent = 'location' | 'partner';

const PARENT_SQL: Record<ServiceParent, { from: string; parent: string }> = {
  location: { from: 'service s join service_location sl on sl.service_id = s.id', parent: 'sl.location_id' },
  partner: { from: 'service s', parent: 's.provider_partner_id' },
};

/** SERVICE_ORDER.NAME, as keyset.ts compares it: cursors are the same as the catalogue's by name. */
const BY_NAME: SortKey[] = [
  { column: 's.name', type: 'text', direction: 'asc' },
  { column: 's.id', type: 'uuid', direction: 'asc' },
];

/**
 * A page of the services under one parent, by name. The pages of every parent in the request (a list of
 * places, each with its services) come from one statement (parent-pages.ts), so the statement count does
 * not grow with the number of parents.
 */
export function servicesOf(ctx: RequestContext, parent: ServiceParent, id: string, args: PageArgs): Promise<Page<Service>> {
  const { from, parent: key } = PARENT_SQL[parent];
  return parentPage(
    ctx,
    {
      name: `catalogue.servicesOf.${parent}`,
      select: 's.*',
      from,
      parent: key,
      keys: BY_NAME,
      map: ({ search_vector: _vector, ...columns }) => ctx.em.map(Service, columns as never),
      keyOf: (service) => [service.name, service.id],
    },
    id,
    args,
    () => serviceCountOf(ctx, parent).load(id),
  );
}

function serviceCountOf(ctx: RequestContext, parent: ServiceParent) {
  const { from, parent: key } = PARENT_SQL[parent];
  return countByKey(
    ctx,
    `catalogue.serviceCountOf.${parent}`,
    `select ${key} as key, count(*) as n from ${from} where ${key} = any (?::uuid[]) group by ${key}`,
  );
}
