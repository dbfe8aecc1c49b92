import { Cursor, raw, type FilterQuery, type QueryOrderMap } from '@mikro-orm/core';
import { findPage, pageSize, type Page, type PageArgs } from '../../platform/graphql/connection.js';
import { loader, type RequestContext } from '../../platform/graphql/context.js';
import { badInput } from '../../platform/graphql/errors.js';
import { uuidFromGlobalId } from '../../platform/graphql/node.js';
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
  return where as FilterQuery<Service>;
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

function parentWhere(parent: ServiceParent, id: string): FilterQuery<Service> {
  return parent === 'location' ? { [atLocation(id)]: [] } : { providerPartnerId: id };
}

/**
 * A page of the services under one parent, by name. First pages of many parents (a list of places,
 * each with its services) come from one windowed query per request, so the statement count does not
 * grow with the number of parents; later pages (`after`) are one parent's, through findPage. Both give
 * the same cursors (MikroORM's, over name and id).
 */
export async function servicesOf(ctx: RequestContext, parent: ServiceParent, id: string, args: PageArgs): Promise<Page<Service>> {
  const count = () => serviceCountOf(ctx, parent).load(id);
  if (args.after) return { ...(await findPage(ctx.em, Service, parentWhere(parent, id), SERVICE_ORDER.NAME, args)), count };
  const first = pageSize(args.first);
  const rows = first === 0 ? [] : await firstPagesOf(ctx, parent, first).load(id);
  const nodes = rows.slice(0, first);
  const meta = ctx.em.getMetadata().get(Service);
  const cursors = nodes.map((s) => Cursor.for(meta, s, SERVICE_ORDER.NAME as never));
  return {
    nodes,
    cursors,
    pageInfo: { hasNextPage: rows.length > first, hasPreviousPage: false, startCursor: cursors[0] ?? null, endCursor: cursors.at(-1) ?? null },
    count,
  };
}

/** Up to first + 1 services of each parent (the extra one tells whether there is a next page). */
function firstPagesOf(ctx: RequestContext, parent: ServiceParent, first: number) {
  return loader<string, Service[]>(ctx, `catalogue.servicesOf.${parent}.${first}`, async (ids) => {
    const { from, parent: key } = PARENT_SQL[parent];
    const rows = await ctx.em.execute<Record<string, unknown>[]>(
      `select * from (
         select s.*, ${key} as page_parent, row_number() over (partition by ${key} order by s.name, s.id) as page_row
         from ${from} where ${key} in (${ids.map(() => '?').join(', ')})
       ) ranked where page_row <= ? order by page_parent, page_row`,
      [...ids, first + 1],
    );
    const byParent = new Map<string, Service[]>(ids.map((id) => [id, []]));
    for (const { page_parent: parentId, page_row: _row, search_vector: _vector, ...columns } of rows) {
      byParent.get(parentId as string)?.push(ctx.em.map(Service, columns as never));
    }
    return ids.map((id) => byParent.get(id) ?? []);
  });
}

function serviceCountOf(ctx: RequestContext, parent: ServiceParent) {
  return loader<string, number>(ctx, `catalogue.serviceCountOf.${parent}`, async (ids) => {
    const { from, parent: key } = PARENT_SQL[parent];
    const rows = await ctx.em.execute<{ page_parent: string; total: string }[]>(
      `select ${key} as page_parent, count(*) as total from ${from} where ${key} in (${ids.map(() => '?').join(', ')}) group by ${key}`,
      [...ids],
    );
    const totals = new Map(rows.map((r) => [r.page_parent, Number(r.total)]));
    return ids.map((id) => totals.get(id) ?? 0);
  });
}
