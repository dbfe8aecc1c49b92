import type { EntityManager } from '@mikro-orm/postgresql';
import { derivedIdSql } from './hsds-ids.js';

/**
 * The SQL behind the HSDS export. Every statement runs in a publicSession as the PUBLIC principal
 * for one gmina, so row-level security already limits each table to what that gmina's public
 * catalogue shows: ACTIVE and SUSPENDED services available in the gmina, the places and schedules
 * of those services, the CUS units serving it, the ACTIVE partners working in it, places that are
 * not retired. The queries add only what RLS does not decide (e.g. that a place is listed because a
 * published service is given there), and select only the columns the export publishes.
 *
 * Listings are a `from` statement counted and paged by `countOf`/`pageOf`: a constant number of
 * statements per request, whatever the page size.
 */

export interface OrganizationRow {
  org_id: string | null;
  org_source: 'CUS' | 'PARTNER' | null;
  org_name: string | null;
  org_kind: string | null;
  org_description: string | null;
  org_street: string | null;
  org_postal_code: string | null;
  org_city: string | null;
  org_email: string | null;
  org_phone: string | null;
  org_website: string | null;
  org_krs: string | null;
  org_nip: string | null;
  org_regon: string | null;
}

export interface GminaArea {
  terc: string;
  name: string;
  powiat: string;
  wojewodztwo: string;
}

export interface ServiceRow extends OrganizationRow {
  id: string;
  name: string;
  description: string | null;
  area: string;
  target_groups: string[];
  provider_kind: 'CUS' | 'PARTNER' | 'GMINA_UNIT';
  provider_unit_name: string | null;
  online: boolean;
  online_url: string | null;
  eligibility: string | null;
  fee_kind: 'FREE' | 'FIXED' | 'INCOME_DEPENDENT';
  fee_amount: number | null;
  fee_unit: string | null;
  fee_description: string | null;
  status: 'PLANNED' | 'ACTIVE' | 'SUSPENDED' | 'CLOSED';
  last_modified: string;
  areas: GminaArea[];
}

/** A place where a service is given (HSDS service_at_location with its location). */
export interface PlaceRow {
  sal_id: string;
  sal_service_id: string;
  loc_id: string;
  loc_virtual: boolean;
  loc_name: string;
  loc_description: string | null;
  loc_street: string | null;
  loc_postal_code: string | null;
  loc_city: string | null;
  loc_latitude: number | null;
  loc_longitude: number | null;
  loc_accessibility: string | null;
  loc_url: string | null;
  loc_powiat: string | null;
  loc_wojewodztwo: string | null;
}

export interface ScheduleRow {
  id: string;
  service_id: string;
  location_id: string | null;
  weekdays: string[];
  opens_at: string;
  closes_at: string;
  valid_from: string | null;
  valid_to: string | null;
  note: string | null;
}

/** The organisations the catalogue names: CUS units and partners, in one shape (org_* columns). */
const ORGANIZATIONS = `
  select u.id as org_id, 'CUS' as org_source, u.name as org_name, null::text as org_kind, null::text as org_description,
         u.seat_street as org_street, u.seat_postal_code as org_postal_code, u.seat_city as org_city,
         null::text as org_email, null::text as org_phone, null::text as org_website,
         null::text as org_krs, null::text as org_nip, null::text as org_regon
  from cus_unit u
  union all
  select p.id, 'PARTNER', p.name, p.kind, p.description, p.street, p.postal_code, p.city,
         p.email, p.phone, p.website, p.krs, p.nip, p.regon
  from partner p`;

/**
 * Published services with their organisation: the partner for a partner's service, otherwise the
 * CUS unit that keeps the entry (also for another gmina unit's service: that unit has no row of its
 * own). The organisation is null when RLS hides it (a partner retired or not working in this gmina).
 */
function servicesSql(where: string): string {
  return `
  select s.id, s.name, s.description, s.area, s.target_groups, s.provider_kind, s.provider_unit_name,
         s.online, s.online_url, s.eligibility, s.fee_kind, s.fee_amount::float8 as fee_amount, s.fee_unit,
         s.fee_description, s.status,
         to_char(s.updated_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as last_modified,
         (select coalesce(json_agg(json_build_object('terc', g.terc, 'name', g.name, 'powiat', g.powiat_name,
                  'wojewodztwo', g.wojewodztwo_name) order by g.name), '[]'::json)
            from gmina g where g.id = any (s.gmina_ids)) as areas,
         o.*
  from service s
  left join (${ORGANIZATIONS}) o
    on o.org_id = case when s.provider_kind = 'PARTNER' then s.provider_partner_id else s.cus_unit_id end
  where ${where}`;
}

/**
 * Every place of a published service: its places that are not retired, and for an online service
 * one virtual place (HSDS location_type "virtual") whose ids derive from the service's id.
 */
const PLACES = `
  select sl.id as sal_id, sl.service_id as sal_service_id, l.id as loc_id, false as loc_virtual,
         l.name as loc_name, l.description as loc_description, l.street as loc_street,
         l.postal_code as loc_postal_code, l.city as loc_city, l.latitude::float8 as loc_latitude,
         l.longitude::float8 as loc_longitude, l.accessibility as loc_accessibility, null::text as loc_url,
         g.powiat_name as loc_powiat, g.wojewodztwo_name as loc_wojewodztwo
  from service_location sl
  join location l on l.id = sl.location_id
  join gmina g on g.id = l.gmina_id
  union all
  select ${derivedIdSql('service_at_location', 's.id')}, s.id, ${derivedIdSql('location', 's.id')}, true,
         'Online: ' || s.name, null, null, null, null, null, null, null, s.online_url, null, null
  from service s
  where s.online`;

const PLACE_COLUMNS =
  'loc_id, loc_virtual, loc_name, loc_description, loc_street, loc_postal_code, loc_city, loc_latitude, loc_longitude, loc_accessibility, loc_url, loc_powiat, loc_wojewodztwo';

/** A listing: the rows of `from`, counted and paged in the given order. */
export interface Listing {
  from: string;
  params: unknown[];
  orderBy: string;
}

export interface ServiceFilter {
  search?: string;
  organizationId?: string;
  area?: string;
  targetGroup?: string;
  /** A filter that matches nothing (an unknown taxonomy term). */
  none?: boolean;
}

export function serviceListing(filter: ServiceFilter): Listing {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.none) where.push('false');
  if (filter.search) {
    where.push('s.search_vector @@ app.search_query(?)');
    params.push(filter.search);
  }
  if (filter.organizationId) {
    where.push('o.org_id = ?');
    params.push(filter.organizationId);
  }
  if (filter.area) {
    where.push('s.area = ?');
    params.push(filter.area);
  }
  if (filter.targetGroup) {
    where.push('? = any (s.target_groups)');
    params.push(filter.targetGroup);
  }
  return { from: servicesSql(where.join(' and ') || 'true'), params, orderBy: 'name, id' };
}

export const organizationListing: Listing = { from: ORGANIZATIONS, params: [], orderBy: 'org_name, org_id' };

/** Each place with its service, so a listed service_at_location carries both. */
export const serviceAtLocationListing: Listing = {
  from: `select * from (${PLACES}) p join (${servicesSql('true')}) s on s.id = p.sal_service_id`,
  params: [],
  orderBy: 'name, id, loc_virtual, loc_name, sal_id',
};

/** Places where a published service is given; a place of no published service is not in the catalogue. */
export const locationListing: Listing = { from: `select distinct ${PLACE_COLUMNS} from (${PLACES}) p`, params: [], orderBy: 'loc_name, loc_id' };

export async function countOf(em: EntityManager, listing: Listing): Promise<number> {
  const [row] = await em.execute<{ n: number }[]>(`select count(*)::int as n from (${listing.from}) x`, listing.params);
  return row.n;
}

export async function pageOf<T>(em: EntityManager, listing: Listing, limit: number, offset: number): Promise<T[]> {
  return em.execute<T[]>(`select * from (${listing.from}) x order by ${listing.orderBy} limit ? offset ?`, [...listing.params, limit, offset]);
}

export async function allOf<T>(em: EntityManager, listing: Listing): Promise<T[]> {
  return em.execute<T[]>(`select * from (${listing.from}) x order by ${listing.orderBy}`, listing.params);
}

/** The one row of `listing` whose `column` is `value`, or null. */
export async function oneOf<T>(em: EntityManager, listing: Listing, column: string, value: string): Promise<T | null> {
  const rows = await em.execute<T[]>(`select * from (${listing.from}) x where ${column} = ? limit 1`, [...listing.params, value]);
  return rows[0] ?? null;
}

export async function gminaExists(em: EntityManager, gminaId: number): Promise<boolean> {
  const rows = await em.execute<{ id: number }[]>('select id from gmina where id = ?', [gminaId]);
  return rows.length > 0;
}

export async function placesOfService(em: EntityManager, serviceId: string): Promise<PlaceRow[]> {
  return em.execute<PlaceRow[]>(`select * from (${PLACES}) p where sal_service_id = ? order by loc_virtual, loc_name, sal_id`, [serviceId]);
}

export async function schedulesOfService(em: EntityManager, serviceId: string): Promise<ScheduleRow[]> {
  return em.execute<ScheduleRow[]>(
    `
    select id, service_id, location_id, weekdays, to_char(opens_at, 'HH24:MI') as opens_at, to_char(closes_at, 'HH24:MI') as closes_at,
           valid_from::text as valid_from, valid_to::text as valid_to, note
    from service_schedule where service_id = ? order by opens_at, id`,
    [serviceId],
  );
}
