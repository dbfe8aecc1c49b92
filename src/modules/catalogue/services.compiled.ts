import { tercToId } from '../../platform/auth/principal.js';
import { registerCompiledRoot } from '../../platform/graphql/compiled/compiled-reads.js';
import { connectionJson, firstPageSize, firstPageSql } from '../../platform/graphql/compiled/connection-sql.js';
import { quote, registerCompiledColumns, registerCompiledField, type CompileScope } from '../../platform/graphql/compiled/selection-sql.js';
import { uuidFromGlobalId } from '../../platform/graphql/node.js';
import { CATALOGUE_READERS } from './catalogue-roles.js';
import { ServiceOrder, type ServiceFilter } from './service.inputs.js';
import { MAX_SEARCH_LENGTH, searchWords } from './service-list.js';

/*
 * `services`, the catalogue search, as one statement (issue 23; platform/graphql/compiled): the page
 * of services by name under the reader's row-level security, as serviceWhere and findServices read it,
 * with what the selection asks of each service's provider and gminy. The catalogue holds no personal
 * data, so there is nothing to log.
 */

// Who gives the service: read from the service's own row, as Service.provider gives it.
registerCompiledField('Service.provider', ({ row, field, scope }) => scope.sameRow(field, 'ServiceProvider', row));
registerCompiledColumns('ServiceProvider', {
  kind: (service) => `${service}.provider_kind`,
  unitName: (service) => `${service}.provider_unit_name`,
});
registerCompiledField('ServiceProvider.partner', ({ row, field, scope }) =>
  scope.one(field, 'Partner', 'partner', (p) => `${p}.id = ${row}.provider_partner_id`),
);
registerCompiledField('ServiceProvider.cusUnit', ({ row, field, scope }) =>
  scope.one(field, 'CusUnit', 'cus_unit', (u) => `${row}.provider_kind = 'CUS' and ${u}.id = ${row}.cus_unit_id`),
);

// The gminy in the order the service lists them (loadGminy), each as often as it is listed.
registerCompiledField('Service.gminy', ({ row, field, scope }) => {
  const [g, k] = [scope.alias(), scope.alias()];
  const gmina = scope.sameRow(field, 'Gmina', g);
  return (
    gmina &&
    `coalesce((select json_agg(${gmina} order by ${k}.n) from unnest(${row}.gmina_ids) with ordinality ${k}(id, n) join gmina ${g} on ${g}.id = ${k}.id), '[]'::json)`
  );
});
registerCompiledColumns('Gmina', { terc: (gmina) => `lpad(${gmina}.id::text, 7, '0')` });

/** serviceWhere's conditions on `service s`, or null where the resolvers must answer (an id that is not one, a search too long). */
function serviceConditions(scope: CompileScope, filter: ServiceFilter | null | undefined, search: string | null | undefined): string[] | null {
  const conditions: string[] = [];
  const bound = (value: unknown, type: string) => `${scope.bind(value)}::${type}`;
  try {
    if (filter?.gmina) conditions.push(`s.gmina_ids && array[${bound(tercToId(filter.gmina), 'int')}]`);
    if (filter?.areas?.length) conditions.push(`s.area = any (${bound(filter.areas, 'text[]')})`);
    if (filter?.targetGroups?.length) conditions.push(`s.target_groups && ${bound(filter.targetGroups, 'text[]')}`);
    if (filter?.providerKind) conditions.push(`s.provider_kind = ${bound(filter.providerKind, 'text')}`);
    if (filter?.partnerId) conditions.push(`s.provider_partner_id = ${bound(uuidFromGlobalId(filter.partnerId, 'Partner', 'filter.partnerId'), 'uuid')}`);
    if (filter?.locationId) {
      const location = bound(uuidFromGlobalId(filter.locationId, 'Location', 'filter.locationId'), 'uuid');
      conditions.push(`s.id in (select sl.service_id from service_location sl where sl.location_id = ${location})`);
    }
  } catch {
    return null; // the resolvers' refusal of a bad id is the answer
  }
  if (filter?.statuses?.length) conditions.push(`s.status = any (${bound(filter.statuses, 'text[]')})`);
  if (filter?.online !== undefined && filter.online !== null) conditions.push(`s.online = ${bound(filter.online, 'boolean')}`);
  const words = searchWords(search);
  if (words) {
    if (words.length > MAX_SEARCH_LENGTH) return null;
    conditions.push(`s.search_vector @@ app.search_query(${bound(words, 'text')})`);
  }
  return conditions;
}

/** SERVICE_ORDER.NAME (service-list.ts): by name, then id. */
const BY_NAME = [
  { column: 'p.name', cursor: 'p.name' },
  { column: 'p.id', cursor: 'p.id::text' },
];

registerCompiledRoot('services', {
  roles: CATALOGUE_READERS,
  compile({ field, args, scope }) {
    // A cursor or the RECENT order goes through the resolvers.
    const first = firstPageSize(args);
    if (first === null || args.orderBy !== ServiceOrder.NAME || !field.selectionSet) return null;
    const conditions = serviceConditions(scope, args.filter as ServiceFilter | null, args.search as string | null);
    if (!conditions) return null;
    const where = conditions.length > 0 ? `where ${conditions.join(' and ')}` : '';
    const boundFirst = `${scope.bind(first)}::int`;
    const connection = connectionJson(field, scope, {
      type: 'ServiceConnection',
      node: 'Service',
      order: BY_NAME,
      totalCount: `(select count(*) from service s ${where})::int`,
      first: boundFirst,
    });
    if (!connection) return null;
    const page = firstPageSql(`select s.* from service s ${where}`, BY_NAME, boundFirst, `${scope.bind(first + 1)}::int`);
    const sql = `with ${page} select json_build_object(${quote((field.alias ?? field.name).value)}, ${connection}) as data`;
    return { ...scope.statement(sql), refusal: () => null };
  },
});
