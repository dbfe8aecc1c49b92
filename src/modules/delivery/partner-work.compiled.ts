import { Role } from '../../platform/auth/roles.js';
import { registerCompiledRoot, showsUnloggedRecords } from '../../platform/graphql/compiled/compiled-reads.js';
import { connectionJson, firstPageSize, firstPageSql } from '../../platform/graphql/compiled/connection-sql.js';
import { globalIdSql, quote, registerCompiledColumns, registerCompiledField } from '../../platform/graphql/compiled/selection-sql.js';
import { scheduledVisitsSql, scheduleDaysRefusal } from './partner-work.queries.js';

/*
 * `schedule`, the partner's week, as one statement (issue 23; platform/graphql/compiled): the page of
 * sessions (rows of the view `partner_assignment` with their day), what the selection asks of each
 * assignment, its person, service, progress and delivery, and the access log of the people shown,
 * written by app.log_partner_reads as modules/resident/access-log.ts writes a partner's reads.
 *
 * PartnerAssignment, AssignedPerson and ScheduledVisit are read from the view, not from entities, so
 * each of their fields is named here; a rule reaching them must give them a row of the view.
 */

const hhmm = (time: string) => `to_char(${time}, 'HH24:MI')`;

registerCompiledColumns('ScheduledVisit', {
  date: (visit) => `${visit}.day`,
  startsAt: (visit) => hhmm(`${visit}.starts_at`),
  endsAt: (visit) => hhmm(`${visit}.ends_at`),
});
registerCompiledField('ScheduledVisit.assignment', ({ row, field, scope }) => scope.sameRow(field, 'PartnerAssignment', row));

/** The delivery recorded for the session on the row `visit`, in the alias `d`: at its day and minute (deliveryAt's key; of two, the earlier). */
const deliveryOfVisit = {
  where: (d: string, visit: string) =>
    `${d}.ipus_item_id = ${visit}.id and ${d}.delivered_on = ${visit}.day and ${hhmm(`${d}.starts_at`)} = ${hhmm(`${visit}.starts_at`)}`,
  orderBy: (d: string) => `${d}.starts_at`,
};
registerCompiledField('ScheduledVisit.delivery', ({ row, field, scope }) =>
  scope.one(
    field,
    'Delivery',
    'delivery',
    (d) => deliveryOfVisit.where(d, row),
    (d) => deliveryOfVisit.orderBy(d),
  ),
);

// As toAssignment (partner-assignment.ts) gives them: times as HH:MM, the quantity a number, the gmina its TERC code.
registerCompiledColumns('PartnerAssignment', {
  id: (a) => globalIdSql('PartnerAssignment', `${a}.id`),
  planStatus: (a) => `${a}.plan_status`,
  planActivatedOn: (a) => `${a}.plan_activated_on`,
  planClosedOn: (a) => `${a}.plan_closed_on`,
  coordinatorName: (a) => `${a}.coordinator_name`,
  placeKind: (a) => `${a}.place_kind`,
  weekdays: (a) => `${a}.weekdays`,
  startsAt: (a) => hhmm(`${a}.starts_at`),
  endsAt: (a) => hhmm(`${a}.ends_at`),
  sessionCount: (a) => `${a}.session_count`,
  startOn: (a) => `${a}.start_on`,
  endOn: (a) => `${a}.end_on`,
  quantity: (a) => `${a}.quantity::float8`,
  quantityUnit: (a) => `${a}.quantity_unit`,
  gmina: (a) => `lpad(${a}.gmina_id::text, 7, '0')`,
});
registerCompiledField('PartnerAssignment.person', ({ row, field, scope }) => scope.sameRow(field, 'AssignedPerson', row));
registerCompiledField('PartnerAssignment.service', ({ row, field, scope }) => scope.one(field, 'Service', 'service', (s) => `${s}.id = ${row}.service_id`));

/** Planned against delivered (progressOfItem): the item's deliveries the partner may read, grouped. */
registerCompiledField('PartnerAssignment.progress', ({ row, field, scope }) => {
  const [g, x] = [scope.alias(), scope.alias()];
  const hours = `round(${g}.minutes / 60.0, 2)::float8`;
  const shape = scope.plainShape('ItemProgress', field.selectionSet, {
    planned: `${row}.quantity::float8`,
    delivered: `case when ${row}.quantity_unit = 'HOURS' then ${hours} else ${g}.sessions end`,
    deliveredSessions: `${g}.sessions`,
    deliveredHours: hours,
    residentAbsent: `${g}.absent`,
    cancelled: `${g}.cancelled`,
    lastDeliveredOn: `${g}.last`,
  });
  const delivered = `${x}.outcome = 'DELIVERED'`;
  return (
    shape &&
    `(select ${shape} from (select count(*) filter (where ${delivered})::int as sessions,
        coalesce(sum(${x}.duration_minutes) filter (where ${delivered}), 0)::int as minutes,
        count(*) filter (where ${x}.outcome = 'RESIDENT_ABSENT')::int as absent,
        count(*) filter (where ${x}.outcome in ('CANCELLED_BY_PROVIDER', 'CANCELLED_BY_RESIDENT'))::int as cancelled,
        max(${x}.delivered_on) filter (where ${delivered}) as last
      from delivery ${x} where ${x}.ipus_item_id = ${row}.id) ${g})`
  );
});

registerCompiledColumns('AssignedPerson', {
  firstName: (a) => `${a}.first_name`,
  lastName: (a) => `${a}.last_name`,
  phone: (a) => `${a}.phone`,
  email: (a) => `${a}.email`,
});
// The view gives the address only where the partner serves at home; toAssignment takes it when all three parts are there.
registerCompiledField('AssignedPerson.address', ({ row, field, scope }) => {
  const parts = { street: `${row}.street`, postalCode: `${row}.postal_code`, city: `${row}.city` };
  const shape = scope.plainShape('Address', field.selectionSet, parts);
  const whole = Object.values(parts)
    .map((part) => `coalesce(${part}, '') <> ''`)
    .join(' and ');
  return shape && `case when ${whole} then ${shape} end`;
});

/** The paths (field names from the root) on which a session shows whose it is, and what each logs of the page `page`. */
const SHOWN_ON: Record<string, { path: string; reads: (page: string) => string }> = {
  'ScheduledVisit.assignment': { path: 'schedule.nodes.assignment', reads: (page) => `select 'item' as kind, p.id from ${page} p` },
  'ScheduledVisit.delivery': {
    path: 'schedule.nodes.delivery',
    reads: (page) =>
      `select 'delivery', x.id from ${page} p cross join lateral (
        select d.id from delivery d where ${deliveryOfVisit.where('d', 'p')} order by ${deliveryOfVisit.orderBy('d')} limit 1) x`,
  },
};

/** The sessions' order, as schedulePage's VISIT_ORDER: day, time, item. */
const VISIT_ORDER = [
  { column: 'p.day', cursor: 'p.day::text' },
  { column: 'p.starts_at', cursor: hhmm('p.starts_at') },
  { column: 'p.id', cursor: 'p.id::text' },
];

registerCompiledRoot('schedule', {
  roles: [Role.PARTNER],
  compile({ field, args, scope, operation }) {
    const [from, to] = [args.from as string, args.to as string];
    // A cursor goes through the resolvers; so does a refused period, which they answer with its message.
    const first = firstPageSize(args);
    if (first === null || !field.selectionSet || scheduleDaysRefusal(from, to)) return null;
    const visits = scheduledVisitsSql(scope.bind(from), scope.bind(to));
    const boundFirst = `${scope.bind(first)}::int`;
    const connection = connectionJson(field, scope, {
      type: 'ScheduledVisitConnection',
      node: 'ScheduledVisit',
      order: VISIT_ORDER,
      totalCount: `(select count(*) ${visits})::int`,
      first: boundFirst,
    });
    if (!connection || showsUnloggedRecords(scope, Object.keys(SHOWN_ON))) return null;
    // Each read once (`union`: an item shows on several days); the function groups them by resident.
    const reads = [
      `select 'item' as kind, p.id, 'schedule' as path from page p`,
      ...Object.entries(SHOWN_ON)
        .filter(([coordinate]) => scope.compiled.has(coordinate))
        .map(([, shown]) => `select x.kind, x.id, ${quote(shown.path)} from (${shown.reads('page')}) x(kind, id)`),
    ];
    const page = firstPageSql(`select a.*, d.day::date as day ${visits}`, VISIT_ORDER, boundFirst, `${scope.bind(first + 1)}::int`);
    const sql = `with ${page}, reads as (
        ${reads.join(' union ')}
      ), logged as (
        select app.log_partner_reads(coalesce((select jsonb_agg(jsonb_build_object('kind', kind, 'id', id, 'path', path)) from reads), '[]'::jsonb),
          ${scope.bind(operation)}::text) as unresolved
      )
      select json_build_object(${quote((field.alias ?? field.name).value)}, ${connection}) as data, (select unresolved from logged) as unresolved`;
    return {
      ...scope.statement(sql),
      refusal: (row) =>
        Number(row.unresolved) === 0
          ? null
          : `${row.unresolved} read(s) of personal data could not be tied to a resident the reader may see, so they cannot be logged`,
    };
  },
});
