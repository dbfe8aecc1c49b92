import type { EntityManager } from '@mikro-orm/postgresql';
import { publicSession } from '../../platform/database/public-session.js';
import { isUuid } from '../../platform/graphql/node.js';
import { parseTerc } from '../../platform/graphql/scalars.js';
import { sendJson, type HttpRoute, type RouteFactory } from '../../platform/http/routes.js';
import { MAX_SEARCH_LENGTH, searchWords } from '../catalogue/service-list.js';
import { toLocation, toOrganization, toService, toServiceAtLocation } from './hsds-mapper.js';
import {
  allOf,
  countOf,
  gminaExists,
  locationListing,
  oneOf,
  organizationListing,
  pageOf,
  placesOfService,
  schedulesOfService,
  serviceAtLocationListing,
  serviceListing,
  type Listing,
  type OrganizationRow,
  type PlaceRow,
  type ServiceFilter,
  type ServiceRow,
} from './hsds.queries.js';
import { AREA_TERMS, TAXONOMIES, TAXONOMY_TERMS, TARGET_GROUP_TERMS } from './hsds-taxonomy.js';

/**
 * The Open Referral HSDS 3.0 API for one gmina's catalogue of services, under /hsds/{terc}/, with
 * the paths of standards/hsds/3.0/openapi.json (plus /locations). Public: no token, read
 * only, every statement through publicSession as the PUBLIC principal for that one gmina, so the
 * database's policies decide what is published (see hsds.queries.ts).
 */
export const HSDS_PREFIX = '/hsds';
export const DEFAULT_PER_PAGE = 50;
export const MAX_PER_PAGE = 100;

export const API_INFO = {
  version: '3.0',
  profile: 'https://openreferral.org/specification/3.0',
  openapi_url: 'https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json',
};

/**
 * The catalogue is public and changes rarely, so caches may keep an answer for a minute; any
 * origin may read it (it is open data for other services directories, and it needs no credentials).
 */
const OK_HEADERS = { 'cache-control': 'public, max-age=60', 'access-control-allow-origin': '*' };

class HsdsError extends Error {
  constructor(
    readonly status: 400 | 404 | 405,
    message: string,
  ) {
    super(message);
  }
}

interface Paging {
  page: number;
  perPage: number;
}

interface EndpointRequest {
  em: EntityManager;
  url: URL;
  /** The {id} of the path, a UUID. */
  id: string;
}

interface Endpoint {
  path: RegExp;
  /** The response body, or null when the object is not in this gmina's catalogue. */
  run: (request: EndpointRequest) => Promise<unknown>;
}

const ENDPOINTS: Endpoint[] = [
  { path: /^\/$/, run: async () => API_INFO },
  {
    path: /^\/services$/,
    run: ({ em, url }) => listed(em, serviceListing(serviceFilter(url)), paging(url), (row: ServiceRow) => toService(row)),
  },
  { path: /^\/services\/([^/]+)$/, run: ({ em, id }) => fullService(em, id) },
  {
    path: /^\/organizations$/,
    run: ({ em, url }) => listed(em, organizationListing, paging(url), (row: OrganizationRow) => toOrganization(row)),
  },
  { path: /^\/organizations\/([^/]+)$/, run: ({ em, id }) => fullOrganization(em, id) },
  {
    path: /^\/service_at_locations$/,
    run: ({ em, url }) =>
      listed(em, serviceAtLocationListing, paging(url), (row: PlaceRow & ServiceRow) => toServiceAtLocation(row, undefined, toService(row))),
  },
  { path: /^\/service_at_locations\/([^/]+)$/, run: ({ em, id }) => fullServiceAtLocation(em, id) },
  { path: /^\/locations$/, run: ({ em, url }) => listed(em, locationListing, paging(url), (row: PlaceRow) => toLocation(row)) },
  {
    path: /^\/locations\/([^/]+)$/,
    run: async ({ em, id }) => {
      const row = await oneOf<PlaceRow>(em, locationListing, 'loc_id', id);
      return row && toLocation(row);
    },
  },
  { path: /^\/taxonomies$/, run: async ({ url }) => pageOfList(TAXONOMIES, paging(url)) },
  { path: /^\/taxonomies\/([^/]+)$/, run: async ({ id }) => TAXONOMIES.find((t) => t.id === id) ?? null },
  {
    path: /^\/taxonomy_terms$/,
    run: async ({ url }) => {
      const taxonomyId = uuidParam(url, 'taxonomy_id');
      return pageOfList(
        TAXONOMY_TERMS.filter((t) => !taxonomyId || t.taxonomy_id === taxonomyId),
        paging(url),
      );
    },
  },
  { path: /^\/taxonomy_terms\/([^/]+)$/, run: async ({ id }) => TAXONOMY_TERMS.find((t) => t.id === id) ?? null },
];

export const hsdsRoutes: RouteFactory = async ({ orm, log }) => {
  const route: HttpRoute = {
    match(_method, pathname) {
      if (pathname !== HSDS_PREFIX && !pathname.startsWith(`${HSDS_PREFIX}/`)) return null;
      const [, terc = '', rest = ''] = /^\/hsds\/?([^/]*)(\/.*)?$/.exec(pathname) ?? [];
      // "/services/" is "/services"; the API root is "/".
      return { terc, path: rest.replace(/\/+$/, '') || '/' };
    },

    async handle({ req, res, url, params }) {
      try {
        if (req.method !== 'GET') throw new HsdsError(405, 'The HSDS API is read only: use GET');
        const gminaId = gminaIdOf(params.terc);
        const endpoint = ENDPOINTS.find((e) => e.path.test(params.path));
        if (!endpoint) throw new HsdsError(404, `No HSDS endpoint ${params.path.slice(0, 60)}`);
        const id = endpoint.path.exec(params.path)?.[1] ?? '';
        // Ids are UUIDs; anything else names nothing (and never reaches SQL).
        if (id && !isUuid(id)) throw new HsdsError(404, `Nothing with id "${id.slice(0, 40)}" in this catalogue`);
        const body = await publicSession(orm, { gminy: [gminaId] }, 'read', async (em) => {
          if (!(await gminaExists(em, gminaId))) throw new HsdsError(404, `No gmina with TERC code ${params.terc}`);
          return endpoint.run({ em, url, id: id.toLowerCase() });
        });
        if (body === null) throw new HsdsError(404, `Nothing with id ${id} in the catalogue of gmina ${params.terc}`);
        sendJson(res, 200, body, OK_HEADERS);
      } catch (error) {
        if (error instanceof HsdsError) {
          return sendJson(res, error.status, { error: error.message }, error.status === 405 ? { allow: 'GET' } : {});
        }
        log.error('HSDS request failed', { path: url.pathname, error: (error as Error).message, stack: (error as Error).stack });
        sendJson(res, 500, { error: 'Internal server error' });
      }
    },
  };
  return { routes: [route] };
};

function gminaIdOf(terc: string): number {
  try {
    return Number(parseTerc(terc));
  } catch {
    throw new HsdsError(404, `"${terc.slice(0, 20)}" is not a gmina TERC code (7 digits)`);
  }
}

/** HSDS Page (openapi.json components.schemas.Page) around one page of `contents`. */
function hsdsPage<T>(contents: T[], totalItems: number, { page, perPage }: Paging) {
  const totalPages = Math.ceil(totalItems / perPage);
  return {
    total_items: totalItems,
    total_pages: totalPages,
    page_number: page,
    size: contents.length,
    first_page: page === 1,
    last_page: page >= totalPages,
    empty: contents.length === 0,
    contents,
  };
}

async function listed<R>(em: EntityManager, listing: Listing, paging: Paging, map: (row: R) => unknown) {
  const total = await countOf(em, listing);
  const rows = await pageOf<R>(em, listing, paging.perPage, (paging.page - 1) * paging.perPage);
  return hsdsPage(rows.map(map), total, paging);
}

function pageOfList<T>(items: T[], paging: Paging) {
  const start = (paging.page - 1) * paging.perPage;
  return hsdsPage(items.slice(start, start + paging.perPage), items.length, paging);
}

/** A service with its organisation, places (each with its location and schedules), schedules and costs. */
async function fullService(em: EntityManager, id: string) {
  const row = await oneOf<ServiceRow>(em, serviceListing({}), 'id', id);
  if (!row) return null;
  const places = await placesOfService(em, id);
  const schedules = await schedulesOfService(em, id);
  return toService(row, { places, schedules });
}

/** An organisation with the services it provides in this gmina (their own fields, without the organisation again). */
async function fullOrganization(em: EntityManager, id: string) {
  const row = await oneOf<OrganizationRow>(em, organizationListing, 'org_id', id);
  if (!row) return null;
  const services = await allOf<ServiceRow>(em, serviceListing({ organizationId: id }));
  return {
    ...toOrganization(row),
    services: services.map((service) => {
      const { organization: _organization, ...own } = toService(service);
      return own;
    }),
  };
}

/** A service_at_location with its location, the place's schedules and the service. */
async function fullServiceAtLocation(em: EntityManager, id: string) {
  const row = await oneOf<PlaceRow & ServiceRow>(em, serviceAtLocationListing, 'sal_id', id);
  if (!row) return null;
  const schedules = row.loc_virtual ? [] : (await schedulesOfService(em, row.sal_service_id)).filter((s) => s.location_id === row.loc_id);
  return toServiceAtLocation(row, schedules, toService(row));
}

function paging(url: URL): Paging {
  return { page: positiveInt(url, 'page', 1), perPage: Math.min(positiveInt(url, 'per_page', DEFAULT_PER_PAGE), MAX_PER_PAGE) };
}

function positiveInt(url: URL, name: string, fallback: number): number {
  const raw = url.searchParams.get(name);
  if (raw === null || raw === '') return fallback;
  if (!/^\d{1,9}$/.test(raw) || Number(raw) < 1) throw new HsdsError(400, `${name} must be a whole number from 1`);
  return Number(raw);
}

function uuidParam(url: URL, name: string): string | undefined {
  const raw = url.searchParams.get(name);
  if (!raw) return undefined;
  if (!isUuid(raw)) throw new HsdsError(400, `${name} must be a UUID`);
  return raw.toLowerCase();
}

/** HSDS query parameters of /services (cumulative): search, organization_id, taxonomy_term_id. */
function serviceFilter(url: URL): ServiceFilter {
  const search = searchWords(url.searchParams.get('search'));
  if (search && search.length > MAX_SEARCH_LENGTH) throw new HsdsError(400, `search must be at most ${MAX_SEARCH_LENGTH} characters`);
  const filter: ServiceFilter = { search, organizationId: uuidParam(url, 'organization_id') };
  const termId = uuidParam(url, 'taxonomy_term_id');
  if (termId) {
    const area = [...AREA_TERMS].find(([, term]) => term.id === termId)?.[0];
    const group = [...TARGET_GROUP_TERMS].find(([, term]) => term.id === termId)?.[0];
    if (area) filter.area = area;
    else if (group) filter.targetGroup = group;
    else filter.none = true;
  }
  return filter;
}
