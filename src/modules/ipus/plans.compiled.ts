import { RECORD_READERS } from '../../platform/auth/roles.js';
import { registerCompiledRoot, showsUnloggedRecords } from '../../platform/graphql/compiled/compiled-reads.js';
import { connectionJson, firstPageSize, firstPageSql } from '../../platform/graphql/compiled/connection-sql.js';
import { quote, registerCompiledField } from '../../platform/graphql/compiled/selection-sql.js';
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

/** The plans' order, as the resolvers page them: newest period first (a cursor holds both). */
const PLAN_ORDER = [
  { column: 'p.period_start', cursor: 'p.period_start::text', descending: true },
  { column: 'p.id', cursor: 'p.id::text' },
];

registerCompiledRoot('plans', {
  roles: RECORD_READERS,
  compile({ field, args, scope, principal, operation }) {
    // A filter or a cursor goes to the resolvers (a filter is logged as a search).
    const first = firstPageSize(args);
    if (args.filter != null || first === null || !field.selectionSet) return null;
    const gminy = `${scope.bind(principal.gminy)}::int[]`;
    const boundFirst = `${scope.bind(first)}::int`;
    const connection = connectionJson(field, scope, {
      type: 'IpusConnection',
      node: 'Ipus',
      order: PLAN_ORDER,
      // As the resolvers count: every plan the reader may see (row-level security holds it to these gminy).
      totalCount: `(select count(*) from ipus p where p.gmina_id = any (${gminy}))::int`,
      first: boundFirst,
    });
    if (!connection) return null;
    if (showsUnloggedRecords(scope, Object.keys(SHOWN_ON))) return null;
    const shows = Object.keys(SHOWN_ON).filter((coordinate) => scope.compiled.has(coordinate));

    const reads = [
      `select resident_id, 'plans' as path from page`,
      ...shows.map((c) => `select x.resident_id, ${quote(SHOWN_ON[c].path)} from (${SHOWN_ON[c].plans('page')}) x`),
    ];
    const page = firstPageSql(`select p.* from ipus p where p.gmina_id = any (${gminy})`, PLAN_ORDER, boundFirst, `${scope.bind(first + 1)}::int`);
    const sql = `with ${page}, reads as (
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
