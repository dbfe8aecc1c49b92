import { Field, ObjectType } from 'type-graphql';
import type { RequestContext } from '../../platform/graphql/context.js';
import { badInput } from '../../platform/graphql/errors.js';
import { uuidFromGlobalId } from '../../platform/graphql/node.js';
import { LocalDateScalar } from '../../platform/graphql/scalars.js';
import type { Page } from '../../platform/graphql/connection.js';
import { pageSize } from '../../platform/graphql/connection.js';
import { afterCondition, decodeCursor, keysetPage, orderBySql, type SortKey } from '../../platform/graphql/keyset.js';
import { addDays } from '../common/dates.js';
import { LocalTimeScalar } from '../common/weekly-hours.js';
import type { AssignmentFilter } from './delivery.inputs.js';
import { ASSIGNMENT_COLUMNS, PartnerAssignment, toAssignment, type AssignmentRow } from './partner-assignment.js';

/** The longest schedule one query lays out. */
export const MAX_SCHEDULE_DAYS = 31;

/** The items being served now: an approved or active plan, under an ACTIVE commission. */
const SERVED = `a.plan_status in ('APPROVED', 'ACTIVE') and a.commission_status = 'ACTIVE'`;

/** Where-clauses over the view `partner_assignment a`, with their parameters. */
function assignmentConditions(filter: AssignmentFilter | undefined): { sql: string[]; params: unknown[] } {
  const sql: string[] = [];
  const params: unknown[] = [];
  if (filter?.commissionId) {
    sql.push('a.commission_id = ?');
    params.push(uuidFromGlobalId(filter.commissionId, 'Commission', 'filter.commissionId'));
  }
  if (filter?.activeOn) {
    sql.push('a.start_on <= ?::date and a.end_on >= ?::date');
    params.push(filter.activeOn, filter.activeOn);
  }
  if (filter?.current) sql.push(SERVED);
  return { sql, params };
}

const where = (conditions: string[]) => (conditions.length > 0 ? `where ${conditions.join(' and ')}` : '');

const ASSIGNMENT_ORDER: SortKey[] = [
  { column: 'a.start_on', type: 'date', direction: 'asc' },
  { column: 'a.id', type: 'uuid', direction: 'asc' },
];

const VISIT_ORDER: SortKey[] = [
  { column: 'd.day::date', type: 'date', direction: 'asc' },
  { column: 'a.starts_at', type: 'time', direction: 'asc' },
  { column: 'a.id', type: 'uuid', direction: 'asc' },
];

/** The principal's assignments (the view holds nothing else), by start date. */
export async function assignmentPage(
  ctx: RequestContext,
  filter: AssignmentFilter | undefined,
  args: { first?: number; after?: string },
): Promise<Page<PartnerAssignment>> {
  const first = pageSize(args.first);
  const base = assignmentConditions(filter);
  const conditions = [...base.sql];
  const params = [...base.params];
  if (args.after) {
    const after = afterCondition(ASSIGNMENT_ORDER, decodeCursor(args.after, ASSIGNMENT_ORDER));
    conditions.push(after.sql);
    params.push(...after.params);
  }
  const rows =
    first === 0
      ? []
      : await ctx.em.execute<AssignmentRow[]>(
          `select ${ASSIGNMENT_COLUMNS} from partner_assignment a ${where(conditions)} order by ${orderBySql(ASSIGNMENT_ORDER)} limit ?`,
          [...params, first + 1],
        );
  const count = async () => (await ctx.em.execute<{ n: number }[]>(`select count(*)::int as n from partner_assignment a ${where(base.sql)}`, base.params))[0].n;
  return keysetPage(rows.map(toAssignment), first, args.after, (a) => [a.startOn, a.id], count);
}

@ObjectType({ description: 'One session on the weekly schedule of an assigned item' })
export class ScheduledVisit {
  @Field(() => LocalDateScalar) date!: string;
  @Field(() => LocalTimeScalar) startsAt!: string;
  @Field(() => LocalTimeScalar) endsAt!: string;
  @Field(() => PartnerAssignment) assignment!: PartnerAssignment;
}

interface VisitRow extends AssignmentRow {
  day: string;
}

/**
 * Whether the visit of item `a` on day `d.day` goes ahead: it keeps holidays, or the day is neither a public holiday
 * nor closed in the item's gmina (as app.is_day_off, under the caller's rights). Its two parameters are the first and
 * last day asked for, which bound the holidays (app.public_holiday). Days off as a set (one hashed list of holidays, an index probe
 * for closed days), not app.is_day_off per row: that function cannot be inlined and cost 1.3 s for 2,900 days where
 * this takes 3 ms. tests/working-days.test.ts compares the two. `from` and `to` are SQL of the two days (placeholders).
 */
export const visitGoesAhead = (from: string, to: string): string => `(a.keeps_holidays or (
  d.day::date not in (select h.day from app.public_holiday h where h.day between ${from}::date and ${to}::date)
  and not exists (select 1 from gmina_closed_day c where c.gmina_id = a.gmina_id and c.day = d.day::date)))`;

/**
 * `from ... where ...` of the sessions between the days in the SQL `from` and `to` (placeholders): rows of
 * `partner_assignment a` with the day `d.day` (a timestamp; `d.day::date` the date). See schedulePage.
 */
export const scheduledVisitsSql = (from: string, to: string): string => `from partner_assignment a
    cross join lateral generate_series(greatest(a.start_on, ${from}::date), least(a.end_on, ${to}::date), interval '1 day') as d(day)
    where a.weekdays is not null and ${SERVED}
      and (array['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'])[extract(isodow from d.day)::int] = any (a.weekdays)
      and ${visitGoesAhead(from, to)}`;

/** The checks of a schedule's days the resolver and the compiled path share: the message when they fail, else null. */
export function scheduleDaysRefusal(from: string, to: string): string | null {
  if (to < from) return 'to must not be before from';
  if (to > addDays(from, MAX_SCHEDULE_DAYS - 1)) return `A schedule covers at most ${MAX_SCHEDULE_DAYS} days`;
  return null;
}

/**
 * The sessions of every weekly item of approved and active plans, under ACTIVE commissions, between `from` and `to`, in date
 * and time order. Items given as a number of sessions are arranged with the resident and have no
 * fixed days, so they are not laid out here (the assignments list shows them). Public holidays and days the item's gmina
 * declared closed are skipped, unless the item keeps holidays (24-hour care).
 */
export async function schedulePage(ctx: RequestContext, from: string, to: string, args: { first?: number; after?: string }): Promise<Page<ScheduledVisit>> {
  const refusal = scheduleDaysRefusal(from, to);
  if (refusal) throw badInput(refusal);
  const first = pageSize(args.first);
  const visits = scheduledVisitsSql('?', '?');
  const visitParams = [from, to, from, to];
  const params: unknown[] = [...visitParams];
  let after = '';
  if (args.after) {
    const condition = afterCondition(VISIT_ORDER, decodeCursor(args.after, VISIT_ORDER));
    after = `and ${condition.sql}`;
    params.push(...condition.params);
  }
  const rows =
    first === 0
      ? []
      : await ctx.em.execute<VisitRow[]>(
          `select ${ASSIGNMENT_COLUMNS}, d.day::date::text as day ${visits} ${after} order by ${orderBySql(VISIT_ORDER)} limit ?`,
          [...params, first + 1],
        );
  const count = async () => (await ctx.em.execute<{ n: number }[]>(`select count(*)::int as n ${visits}`, visitParams))[0].n;
  const page = rows.map((row) =>
    Object.assign(new ScheduledVisit(), {
      date: row.day,
      startsAt: row.starts_at as string,
      endsAt: row.ends_at as string,
      assignment: toAssignment(row),
    }),
  );
  return keysetPage(page, first, args.after, (v) => [v.date, v.startsAt, v.assignment.id], count);
}
