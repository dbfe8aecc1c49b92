import { isObjectType, Kind, type FieldNode, type SelectionNode } from 'graphql';
import { RECORD_READERS } from '../../platform/auth/roles.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../platform/graphql/connection.js';
import { registerCompiledRoot } from '../../platform/graphql/compiled/compiled-reads.js';
import { base64urlSql, objectTypeOf, quote, registerCompiledField, type CompileScope } from '../../platform/graphql/compiled/selection-sql.js';
import { personalRegistry } from '../../platform/graphql/personal-reads.js';
import { MAX_NEXT_VISITS } from './ipus.resolver.js';

/*
 * `plans`, the coordinator's dashboard, as one statement (issue 23; platform/graphql/compiled): the
 * page of plans, each with what the selection asks of its resident and items, and the access log of
 * the residents shown, as the resolvers and modules/resident/access-log.ts would write it.
 */

/** The record a plan's resident id leads to: the one it was merged into, if it was (residentById does the same). */
const survivorOf = (residentId: string) => `(select coalesce(m.merged_into, m.id) from resident m where m.id = ${residentId})`;

registerCompiledField('Ipus.resident', ({ row, field, scope }) =>
  scope.one(field, 'Resident', 'resident', (r) => `${r}.id = ${survivorOf(`${row}.resident_id`)}`),
);
registerCompiledField('Ipus.items', ({ row, field, scope }) =>
  scope.list(
    field,
    'IpusItem',
    'ipus_item',
    (i) => `${i}.ipus_id = ${row}.id`,
    (i) => `${i}.position`,
  ),
);
registerCompiledField('IpusItem.service', ({ row, field, scope }) => scope.one(field, 'Service', 'service', (s) => `${s}.id = ${row}.service_id`));
registerCompiledField('IpusItem.partner', ({ row, field, scope }) => scope.one(field, 'Partner', 'partner', (p) => `${p}.id = ${row}.partner_id`));
registerCompiledField('IpusItem.nextVisits', ({ row, args, scope }) => {
  const first = args.first as number;
  // Out of range: the resolver's refusal is the answer.
  if (!Number.isInteger(first) || first < 1 || first > MAX_NEXT_VISITS) return null;
  return `coalesce((select json_agg(v.day order by v.day) from ipus_item_next_visits(${row}, ${scope.bind(first)}::int) as v(day)), '[]'::json)`;
});

/**
 * The paths (field names from the root) on which a page's plan shows its resident's record, and the
 * plans each shows: the access log's `operation` names them as personal-reads.ts does. The page
 * itself shows every plan on it; a list of items shows its plan only when it holds one.
 */
const SHOWN_ON: Record<string, { path: string; plans: (page: string) => string }> = {
  // The record shown: a merged one's survivor (the page itself logs the record the plan names, as the resolvers do).
  'Ipus.resident': { path: 'plans.nodes.resident', plans: (page) => `select ${survivorOf('p.resident_id')} as resident_id from ${page} p` },
  'Ipus.items': {
    path: 'plans.nodes.items',
    plans: (page) => `select p.resident_id from ${page} p where exists (select 1 from ipus_item i where i.ipus_id = p.id)`,
  },
};
registerCompiledRoot('plans', {
  roles: RECORD_READERS,
  compile({ field, args, scope, principal, operation }) {
    // A filter or a cursor goes through the resolvers (a filter is logged as a search).
    if (args.filter != null || args.after != null || !field.selectionSet) return null;
    const first = (args.first as number | null | undefined) ?? DEFAULT_PAGE_SIZE;
    if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) return null;
    const gminy = `${scope.bind(principal.gminy)}::int[]`;
    const connection = connectionJson(field, scope, { first: `${scope.bind(first)}::int`, gminy });
    if (!connection) return null;
    // A field showing a record this root does not know how to log keeps the operation on the resolvers.
    if ([...scope.compiled].some((coordinate) => showsRecord(scope, coordinate) && !(coordinate in SHOWN_ON))) return null;
    const shows = Object.keys(SHOWN_ON).filter((coordinate) => scope.compiled.has(coordinate));

    const reads = [
      `select resident_id, 'plans' as path from page`,
      ...shows.map((c) => `select x.resident_id, ${quote(SHOWN_ON[c].path)} from (${SHOWN_ON[c].plans('page')}) x`),
    ];
    // One row past the page tells whether there is a next one, as findPage does.
    const sql = `with fetched as (
        select p.* from ipus p where p.gmina_id = any (${gminy})
        order by p.period_start desc, p.id limit ${scope.bind(first + 1)}::int
      ), page as (
        select * from fetched order by period_start desc, id limit ${scope.bind(first)}::int
      ), reads as (
        ${reads.join(' union all ')}
      ), logged as (
        insert into resident_access_log (gmina_id, resident_id, subject, role, operation)
        select r.gmina_id, r.id, ${scope.bind(principal.subject)}::text, ${scope.bind(principal.role)}::text, ${scope.bind(operation)}::text || ' ' || string_agg(distinct x.path, ', ' order by x.path)
        from reads x join resident r on r.id = x.resident_id
        group by r.gmina_id, r.id
        returning 1
      )
      select json_build_object(${quote((field.alias ?? field.name).value)}, ${connection}) as data,
        (select count(*) from logged)::int as logged, (select count(distinct resident_id) from reads)::int as shown`;
    return {
      ...scope.statement(sql),
      refusal: (row) =>
        row.logged === row.shown
          ? null
          : `${Number(row.shown) - Number(row.logged)} read(s) of personal data could not be tied to a resident the reader may see, so they cannot be logged`,
    };
  },
});

const recordFields = new Map<string, boolean>();

/** Whether the field `Type.field` returns a resident's record (a personal type, personal-reads.ts); the schema is fixed, so once per field. */
function showsRecord(scope: CompileScope, coordinate: string): boolean {
  if (!recordFields.has(coordinate)) {
    const [typeName, fieldName] = coordinate.split('.');
    const type = scope.schema.getType(typeName);
    const returned = isObjectType(type) ? objectTypeOf(type.getFields()[fieldName].type) : null;
    recordFields.set(coordinate, returned !== null && personalRegistry().records.has(returned.name));
  }
  return recordFields.get(coordinate)!;
}

/** A plan's cursor as keyset.ts encodes it: base64url of the JSON array of its sort key, [periodStart, id]. */
const cursorSql = (plan: string) => base64urlSql(`'["' || ${plan}.period_start::text || '","' || ${plan}.id::text || '"]'`);

/** PageInfo's fields of a first page (no `after`): the SQL of each, over the CTEs `fetched` and `page`. */
const PAGE_INFO: Record<string, (first: string) => string> = {
  __typename: () => quote('PageInfo'),
  // findPage reads nothing for a page of 0, so it answers false there.
  hasNextPage: (first) => `(${first} > 0 and (select count(*) from fetched) > ${first})`,
  hasPreviousPage: () => 'false',
  startCursor: () => `(select ${cursorSql('p')} from page p order by p.period_start desc, p.id limit 1)`,
  endCursor: () => `(select ${cursorSql('p')} from page p order by p.period_start, p.id desc limit 1)`,
};

/**
 * The IpusConnection's JSON: `nodes` (the page, in the plans' order), `pageInfo`, `totalCount` and
 * `__typename`; null for anything else (`edges`).
 */
function connectionJson(field: FieldNode, scope: CompileScope, sql: { first: string; gminy: string }): string | null {
  const parts: string[] = [];
  const keys = new Set<string>();
  const ipus = scope.schema.getType('Ipus');
  for (const selection of field.selectionSet!.selections) {
    if (selection.kind !== Kind.FIELD || selection.directives?.length) return null;
    const key = (selection.alias ?? selection.name).value;
    if (keys.has(key)) return null;
    keys.add(key);
    let value: string | null = null;
    if (selection.name.value === '__typename') {
      value = quote('IpusConnection');
    } else if (selection.name.value === 'totalCount') {
      // As the resolvers count: every plan the reader may see (row-level security holds it to these gminy).
      value = `(select count(*) from ipus p where p.gmina_id = any (${sql.gminy}))::int`;
    } else if (selection.name.value === 'pageInfo' && selection.selectionSet) {
      value = objectOf(selection.selectionSet.selections, (name) => PAGE_INFO[name]?.(sql.first) ?? null);
    } else if (selection.name.value === 'nodes' && selection.selectionSet) {
      const node = isObjectType(ipus) ? scope.object(ipus, 'p', selection.selectionSet) : null;
      value = node && `coalesce((select json_agg(${node} order by p.period_start desc, p.id) from page p), '[]'::json)`;
    }
    if (value === null) return null;
    parts.push(quote(key), value);
  }
  return `json_build_object(${parts.join(', ')})`;
}

/** `json_build_object` of plain fields (no arguments, no selection), each from `valueOf` its name; null when one has none. */
function objectOf(selections: readonly SelectionNode[], valueOf: (name: string) => string | null): string | null {
  const parts: string[] = [];
  const keys = new Set<string>();
  for (const selection of selections) {
    if (selection.kind !== Kind.FIELD || selection.directives?.length || selection.arguments?.length || selection.selectionSet) return null;
    const key = (selection.alias ?? selection.name).value;
    const value = valueOf(selection.name.value);
    if (keys.has(key) || value === null) return null;
    keys.add(key);
    parts.push(quote(key), value);
  }
  return parts.length > 0 ? `json_build_object(${parts.join(', ')})` : null;
}
