import type { RequestContext } from '../../platform/graphql/context.js';
import { badInput } from '../../platform/graphql/errors.js';
import { pageSize, type Page } from '../../platform/graphql/connection.js';
import { afterCondition, decodeCursor, keysetPage, orderBySql, type SortKey } from '../../platform/graphql/keyset.js';
import { Role } from '../../platform/auth/roles.js';
import { PLAN_APPROVERS } from '../ipus/ipus.resolver.js';
import { WorklistItem, type WorklistItemRow } from './worklist-item.js';
import { CHANGE_STEP_DAYS, DEFAULT_DUE_WITHIN_DAYS, MAX_DUE_WITHIN_DAYS, PREPARATION_DAYS, SETTLEMENT_REVIEW_DAYS } from './worklist.rules.js';
import { addDays, todayInPoland } from '../common/dates.js';

/** The roles that act on an item no one is named for, as an SQL array: coordinators, or those who approve plans (and settlements). */
const sqlRoles = (roles: readonly Role[]) => `array[${roles.map((role) => `'${role}'`).join(', ')}]::text[]`;
const COORDINATOR_ACTS = sqlRoles([Role.COORDINATOR]);
const MANAGERS_ACT = sqlRoles(PLAN_APPROVERS);

/**
 * Every item of the worklist the reader's rights reach (row-level security keeps it to the reader's
 * gminy), one branch per kind, with who must act: a named coordinator (actor_subject), or any staff
 * member of the roles in actor_roles in the item's unit. `p` holds today and the horizon.
 */
const ITEMS = `
  select 'PLAN_DUE'::text as kind, a.filed_on + ${PREPARATION_DAYS} as due_on, 'Application'::text as subject_type, a.id as subject_id,
         a.cus_unit_id, null::text as actor_subject, null::text as actor_name, ${COORDINATOR_ACTS} as actor_roles,
         format('Application no. %s of %s: no plan yet', a.filing_number, a.filed_on) as title
    from application a
   where a.status in ('FILED', 'QUALIFIED') and not exists (select 1 from ipus i where i.application_id = a.id)
  union all
  select 'PLAN_APPROVAL', a.filed_on + ${PREPARATION_DAYS}, 'Ipus', i.id, i.cus_unit_id, null, null, ${MANAGERS_ACT},
         format('Plan submitted on %s awaits approval (application of %s)', i.submitted_on, a.filed_on)
    from ipus i join application a on a.id = i.application_id
   where i.status = 'AWAITING_APPROVAL'
  union all
  select 'PLAN_AGREEMENT', a.filed_on + ${PREPARATION_DAYS}, 'Ipus', i.id, i.cus_unit_id, i.coordinator_subject, i.coordinator_name, ${COORDINATOR_ACTS},
         format('Plan approved on %s awaits the resident''s agreement', i.approved_on)
    from ipus i join application a on a.id = i.application_id
   where i.status = 'APPROVED'
  union all
  select 'PLAN_ENDING', i.period_end, 'Ipus', i.id, i.cus_unit_id, i.coordinator_subject, i.coordinator_name, ${COORDINATOR_ACTS},
         format('Plan of %s to %s ends', i.period_start, i.period_end)
    from ipus i
   where i.status = 'ACTIVE'
  union all
  select 'MONITORING_DUE', coalesce(m.last_noted, i.activated_on, i.period_start) + u.monitoring_interval_days, 'Ipus', i.id, i.cus_unit_id,
         i.coordinator_subject, i.coordinator_name, ${COORDINATOR_ACTS},
         case when m.last_noted is null then format('Plan active since %s has no monitoring note', coalesce(i.activated_on, i.period_start))
              else format('Plan''s last monitoring note was on %s', m.last_noted) end
    from ipus i
    join cus_unit u on u.id = i.cus_unit_id
    left join lateral (select max(n.noted_on) as last_noted from ipus_monitoring_note n where n.ipus_id = i.id) m on true
   where i.status = 'ACTIVE'
  union all
  select 'CHANGE_APPROVAL', (i.pending_revision ->> 'proposedOn')::date + ${CHANGE_STEP_DAYS}, 'Ipus', i.id, i.cus_unit_id, null, null, ${MANAGERS_ACT},
         format('Change of the plan proposed on %s awaits approval', i.pending_revision ->> 'proposedOn')
    from ipus i
   where i.status = 'ACTIVE' and i.pending_revision ->> 'state' = 'AWAITING_APPROVAL'
  union all
  select 'CHANGE_AGREEMENT', (i.pending_revision ->> 'approvedOn')::date + ${CHANGE_STEP_DAYS}, 'Ipus', i.id, i.cus_unit_id, i.coordinator_subject,
         i.coordinator_name, ${COORDINATOR_ACTS}, format('Change of the plan approved on %s awaits the resident''s agreement', i.pending_revision ->> 'approvedOn')
    from ipus i
   where i.status = 'ACTIVE' and i.pending_revision ->> 'state' = 'APPROVED'
  union all
  select 'SETTLEMENT_ACCEPTANCE', (s.submitted_at at time zone 'Europe/Warsaw')::date + ${SETTLEMENT_REVIEW_DAYS}, 'Settlement', s.id, c.cus_unit_id,
         null, null, ${MANAGERS_ACT}, format('Settlement of %s for %s awaits acceptance', to_char(s.month, 'YYYY-MM'), c.title)
    from settlement s join commission c on c.id = s.commission_id
   where s.status = 'SUBMITTED'`;

/** The reader's own items: those naming them, or those of their role in their unit. */
const MINE = `(w.actor_subject = ? or (w.actor_subject is null and ?::text = any (w.actor_roles))) and (?::uuid is null or w.cus_unit_id = ?::uuid)`;
const mineParams = (ctx: RequestContext) => {
  const { subject, role, cusUnitId } = ctx.principal;
  return [subject, role, cusUnitId ?? null, cusUnitId ?? null];
};

const ORDER: SortKey[] = [
  { column: 'w.due_on', type: 'date', direction: 'asc' },
  { column: 'w.kind', type: 'text', direction: 'asc' },
  { column: 'w.subject_id', type: 'uuid', direction: 'asc' },
];

/** The horizon: items due up to `dueWithin` days from today, overdue ones included. */
export function horizonOf(dueWithin: number | null | undefined): { today: string; horizon: string } {
  const days = dueWithin ?? DEFAULT_DUE_WITHIN_DAYS;
  if (!Number.isInteger(days) || days < 0 || days > MAX_DUE_WITHIN_DAYS) throw badInput(`dueWithin must be between 0 and ${MAX_DUE_WITHIN_DAYS} days`);
  const today = todayInPoland();
  return { today, horizon: addDays(today, days) };
}

const HORIZON = 'w.due_on <= ?::date';
const COLUMNS = 'w.kind, w.due_on::text as due_on, w.subject_type, w.subject_id, w.cus_unit_id, w.actor_name, w.actor_roles, w.title';

/** One page of the reader's worklist, by due date (overdue first): one statement, and one more for totalCount when asked. */
export async function worklistPage(
  ctx: RequestContext,
  dueWithin: number | null | undefined,
  args: { first?: number; after?: string },
): Promise<Page<WorklistItem>> {
  const first = pageSize(args.first);
  const { today, horizon } = horizonOf(dueWithin);
  const conditions = [HORIZON, MINE];
  const params: unknown[] = [horizon, ...mineParams(ctx)];
  if (args.after) {
    const after = afterCondition(ORDER, decodeCursor(args.after, ORDER));
    conditions.push(after.sql);
    params.push(...after.params);
  }
  const rows =
    first === 0
      ? []
      : await ctx.em.execute<WorklistItemRow[]>(
          `with w as (${ITEMS}) select ${COLUMNS} from w where ${conditions.join(' and ')} order by ${orderBySql(ORDER)} limit ?`,
          [...params, first + 1],
        );
  const count = async () =>
    (
      await ctx.em.execute<{ n: number }[]>(`with w as (${ITEMS}) select count(*)::int as n from w where ${HORIZON} and ${MINE}`, [horizon, ...mineParams(ctx)])
    )[0].n;
  const items = rows.map((row) => WorklistItem.of(row, today));
  return keysetPage(items, first, args.after, (item) => [item.dueOn, item.kind, item.subjectKey], count);
}

interface KindCountRow {
  cus_unit_id: string;
  unit_name: string;
  kind: string;
  count: number;
  overdue: number;
}

/** Items within the horizon per unit and kind, for every unit the reader's gminy reach (one statement). */
export async function countsPerUnit(ctx: RequestContext, dueWithin: number | null | undefined): Promise<KindCountRow[]> {
  const { today, horizon } = horizonOf(dueWithin);
  return ctx.em.execute<KindCountRow[]>(
    `with w as (${ITEMS})
     select w.cus_unit_id, u.name as unit_name, w.kind, count(*)::int as count, (count(*) filter (where w.due_on < ?::date))::int as overdue
       from w join cus_unit u on u.id = w.cus_unit_id
      where w.due_on <= ?::date
      group by w.cus_unit_id, u.name, w.kind
      order by u.name, w.cus_unit_id, w.kind`,
    [today, horizon],
  );
}

export interface MyCounts {
  kinds: { kind: string; count: number; overdue: number }[];
  /** Changes whenever an item of the reader's worklist appears, goes or moves its due date. */
  digest: string;
}

/** The reader's own worklist in counts per kind, and a digest of its items (one statement). */
export async function myCounts(ctx: RequestContext, dueWithin: number | null | undefined): Promise<MyCounts> {
  const { today, horizon } = horizonOf(dueWithin);
  const rows = await ctx.em.execute<{ kinds: MyCounts['kinds'] | null; digest: string | null }[]>(
    `with w as (${ITEMS}), mine as (select * from w where w.due_on <= ?::date and ${MINE}),
          per_kind as (select kind, count(*)::int as count, (count(*) filter (where due_on < ?::date))::int as overdue from mine group by kind)
     select (select json_agg(json_build_object('kind', kind, 'count', count, 'overdue', overdue) order by kind) from per_kind) as kinds,
            (select md5(string_agg(kind || ':' || subject_id || ':' || due_on, ',' order by kind, subject_id)) from mine) as digest`,
    [horizon, ...mineParams(ctx), today],
  );
  return { kinds: rows[0]?.kinds ?? [], digest: rows[0]?.digest ?? '' };
}
