import { ServiceArea, TargetGroup } from '../common/domain.enums.js';
import { derivedId } from './hsds-ids.js';
import type { OrganizationRow, PlaceRow, ScheduleRow, ServiceRow } from './hsds.queries.js';
import { AREA_TERMS, TARGET_GROUP_TERMS, type HsdsTaxonomyTerm } from './hsds-taxonomy.js';

/**
 * Rows to HSDS 3.0 objects (one JSON schema per object in standards/hsds/3.0). Fields we
 * have no value for are left out rather than sent as null: the schemas type them as strings or
 * numbers, and null would not validate. Arrays we fill are always present, [] when empty.
 */
type HsdsObject = Record<string, unknown>;

/** The object without its null and undefined fields. */
function compact<T extends HsdsObject>(object: T): HsdsObject {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== null && value !== undefined));
}

const SERVICE_STATUS: Record<ServiceRow['status'], string> = {
  ACTIVE: 'active',
  SUSPENDED: 'temporarily closed',
  // Never published (RLS shows PUBLIC only ACTIVE and SUSPENDED services); mapped for completeness.
  PLANNED: 'inactive',
  CLOSED: 'defunct',
};

const PARTNER_KINDS: Record<string, string> = {
  NGO: 'organizacja pozarządowa (fundacja lub stowarzyszenie)',
  SOCIAL_ECONOMY: 'podmiot ekonomii społecznej',
  PUBLIC_INSTITUTION: 'instytucja publiczna',
  CHURCH_BODY: 'kościelna osoba prawna lub związek wyznaniowy',
  BUSINESS: 'przedsiębiorca',
  INFORMAL_GROUP: 'grupa nieformalna',
};

const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
const WEEKDAY_NAMES: Record<string, string> = {
  MO: 'poniedziałek',
  TU: 'wtorek',
  WE: 'środa',
  TH: 'czwartek',
  FR: 'piątek',
  SA: 'sobota',
  SU: 'niedziela',
};

const PLN = new Intl.NumberFormat('pl-PL', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** The syntax ajv-formats checks for "email"; an address that fails it is left out, not published broken. */
const EMAIL = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i;

const publicEmail = (text: string | null): string | undefined => (text && EMAIL.test(text.trim()) ? text.trim() : undefined);

/** An http(s) URL as an absolute URI ("www.example.pl" gets https://), or nothing when it is not one. */
export function publicUrl(text: string | null): string | undefined {
  const trimmed = text?.trim();
  if (!trimmed) return undefined;
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:/i.test(trimmed) ? trimmed : `https://${trimmed}`);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The organisation: a partner or a CUS unit, with the partner's contact details and identifiers.
 * An informal group has no legal personality, so its contact details are usually a private
 * person's: they are not published.
 */
export function toOrganization(row: OrganizationRow): HsdsObject {
  const id = row.org_id as string;
  const kind = row.org_kind ? PARTNER_KINDS[row.org_kind] : undefined;
  const partner = row.org_source === 'PARTNER';
  const contactable = partner && row.org_kind !== 'INFORMAL_GROUP';
  const seat = [row.org_street, [row.org_postal_code, row.org_city].filter(Boolean).join(' ')].filter(Boolean).join(', ');
  const identifiers = partner
    ? ([
        ['KRS', row.org_krs],
        ['NIP', row.org_nip],
        ['REGON', row.org_regon],
      ] as const)
    : [];
  return compact({
    id,
    name: row.org_name,
    description: row.org_description ?? (partner ? capitalise(kind ?? 'partner') : `Centrum usług społecznych. Siedziba: ${seat}.`),
    email: contactable ? publicEmail(row.org_email) : undefined,
    website: partner ? publicUrl(row.org_website) : undefined,
    legal_status: partner ? kind : 'jednostka organizacyjna gminy (centrum usług społecznych)',
    phones: contactable && row.org_phone?.trim() ? [{ id: derivedId('phone', id), organization_id: id, number: row.org_phone.trim(), type: 'voice' }] : [],
    organization_identifiers: identifiers
      .filter(([, value]) => value)
      .map(([type, value]) => ({ id: derivedId('organization_identifier', `${id}/${type}`), organization_id: id, identifier_type: type, identifier: value })),
  });
}

/** The service's own fields, organisation, attributes, costs and areas; `nested` adds its places and schedules. */
export function toService(row: ServiceRow, nested?: { places: PlaceRow[]; schedules: ScheduleRow[] }): HsdsObject {
  const service: HsdsObject = compact({
    id: row.id,
    organization_id: row.org_id,
    name: row.name,
    description: serviceDescription(row),
    url: publicUrl(row.online_url),
    status: SERVICE_STATUS[row.status],
    eligibility_description: row.eligibility,
    fees_description: feesDescription(row),
    last_modified: row.last_modified,
    organization: row.org_id ? toOrganization(row) : undefined,
    attributes: serviceAttributes(row),
    cost_options: costOptions(row),
    service_areas: row.areas.map((g) => ({
      id: derivedId('service_area', `${row.id}/${g.terc}`),
      service_id: row.id,
      name: `gmina ${g.name}`,
      description: `Gmina ${g.name} (TERC ${g.terc}), ${region(g.powiat)}, województwo ${g.wojewodztwo}`,
    })),
  });
  if (!nested) return service;
  // A place's schedules go with that place; one for a place no longer published (retired) goes nowhere.
  const inPerson = nested.places.some((p) => !p.loc_virtual);
  const attending = row.online ? (inPerson ? 'osobiście lub online' : 'online') : 'osobiście';
  return {
    ...service,
    service_at_locations: nested.places.map((place) =>
      toServiceAtLocation(
        place,
        nested.schedules.filter((s) => s.location_id === place.loc_id),
      ),
    ),
    schedules: nested.schedules.filter((s) => s.location_id === null).map((s) => toSchedule(s, attending)),
  };
}

/** A service_at_location with its location; `schedules` nests that place's opening hours, `service` the service. */
export function toServiceAtLocation(place: PlaceRow, schedules?: ScheduleRow[], service?: HsdsObject): HsdsObject {
  return compact({
    id: place.sal_id,
    service_id: place.sal_service_id,
    location_id: place.loc_id,
    location: toLocation(place),
    schedules: schedules?.map((s) => toSchedule(s, 'osobiście', place.sal_id)),
    service,
  });
}

export function toLocation(place: PlaceRow): HsdsObject {
  const id = place.loc_id;
  if (place.loc_virtual) {
    return compact({ id, location_type: 'virtual', url: publicUrl(place.loc_url), name: place.loc_name, description: 'Usługa świadczona zdalnie (online)' });
  }
  return compact({
    id,
    location_type: 'physical',
    name: place.loc_name,
    description: place.loc_description,
    latitude: place.loc_latitude,
    longitude: place.loc_longitude,
    addresses: [
      compact({
        id: derivedId('address', id),
        location_id: id,
        address_1: place.loc_street,
        city: place.loc_city,
        region: place.loc_powiat ? region(place.loc_powiat) : undefined,
        state_province: place.loc_wojewodztwo,
        postal_code: place.loc_postal_code,
        country: 'PL',
        address_type: 'physical',
      }),
    ],
    accessibility: place.loc_accessibility ? [{ id: derivedId('accessibility', id), location_id: id, description: place.loc_accessibility }] : [],
  });
}

/** A weekly recurrence as an RFC 5545-style HSDS schedule; times are local (Europe/Warsaw) HH:MM. */
function toSchedule(row: ScheduleRow, attendingType: string, serviceAtLocationId?: string): HsdsObject {
  const days = WEEKDAYS.filter((d) => row.weekdays.includes(d));
  return compact({
    id: row.id,
    service_id: row.service_id,
    location_id: row.location_id,
    service_at_location_id: serviceAtLocationId,
    valid_from: row.valid_from,
    valid_to: row.valid_to,
    freq: 'WEEKLY',
    wkst: 'MO',
    byday: days.join(','),
    opens_at: row.opens_at,
    closes_at: row.closes_at,
    description: `${days.map((d) => WEEKDAY_NAMES[d]).join(', ')}: ${row.opens_at}–${row.closes_at}`,
    attending_type: attendingType,
    notes: row.note,
  });
}

/** Another gmina unit's service is published under the CUS that keeps the entry, naming the unit. */
function serviceDescription(row: ServiceRow): string | undefined {
  const provider = row.provider_kind === 'GMINA_UNIT' && row.provider_unit_name ? `Realizator usługi: ${row.provider_unit_name}.` : null;
  return [row.description, provider].filter(Boolean).join('\n\n') || undefined;
}

function feesDescription(row: ServiceRow): string | undefined {
  switch (row.fee_kind) {
    case 'FREE':
      return 'Bezpłatna';
    case 'FIXED': {
      const amount = `Odpłatna: ${PLN.format(row.fee_amount ?? 0)} zł${row.fee_unit ? ` ${row.fee_unit}` : ''}`;
      return [amount, row.fee_description].filter(Boolean).join('. ');
    }
    case 'INCOME_DEPENDENT':
      return row.fee_description ?? undefined;
  }
}

function costOptions(row: ServiceRow): HsdsObject[] {
  if (row.fee_kind !== 'FIXED' || row.fee_amount === null) return [];
  return [
    compact({
      id: derivedId('cost_option', row.id),
      service_id: row.id,
      option: 'Opłata stała',
      currency: 'PLN',
      amount: row.fee_amount,
      amount_description: row.fee_unit,
    }),
  ];
}

/** The service's area and target groups as attributes carrying our taxonomy terms. */
function serviceAttributes(row: ServiceRow): HsdsObject[] {
  const area = AREA_TERMS.get(row.area as ServiceArea);
  const groups = row.target_groups.map((g) => TARGET_GROUP_TERMS.get(g as TargetGroup));
  const attribute = (term: HsdsTaxonomyTerm, linkType: string) => ({
    id: derivedId('attribute', `${row.id}/${term.id}`),
    link_id: row.id,
    link_type: linkType,
    link_entity: 'service',
    taxonomy_term_id: term.id,
    taxonomy_term: term,
  });
  return [...(area ? [attribute(area, 'category')] : []), ...groups.filter((t): t is HsdsTaxonomyTerm => t !== undefined).map((t) => attribute(t, 'audience'))];
}

/** "powiat jędrzejowski"; a city with powiat rights is named as it is ("Kraków"). */
function region(powiat: string): string {
  return powiat[0] === powiat[0].toLocaleLowerCase('pl') ? `powiat ${powiat}` : powiat;
}

const capitalise = (text: string) => text[0].toLocaleUpperCase('pl') + text.slice(1);
