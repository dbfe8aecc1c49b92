import type { RequestContext } from '../../platform/graphql/context.js';
import { countByKey, rowByKey, rowsByKey } from '../../platform/graphql/row-loaders.js';
import type { Page, PageArgs } from '../../platform/graphql/connection.js';
import type { SortKey } from '../../platform/graphql/keyset.js';
import { parentPage } from '../../platform/graphql/parent-pages.js';
import { PartnerCouncil } from './partner-council.entity.js';
import { PartnerCouncilMeeting } from './partner-council-meeting.entity.js';
import { PartnerCouncilMember } from './partner-council-member.entity.js';

export function councilById(ctx: RequestContext) {
  return rowByKey(ctx, 'partnerCouncil.byId', PartnerCouncil, 'id');
}

/** The council of each CUS unit (a unit has at most one). */
export function councilOfUnit(ctx: RequestContext) {
  return rowByKey(ctx, 'partnerCouncil.byUnit', PartnerCouncil, 'cusUnitId');
}

export function memberById(ctx: RequestContext) {
  return rowByKey(ctx, 'partnerCouncilMember.byId', PartnerCouncilMember, 'id');
}

export function meetingById(ctx: RequestContext) {
  return rowByKey(ctx, 'partnerCouncilMeeting.byId', PartnerCouncilMeeting, 'id');
}

/** Everyone who ever sat on each council, former members included, in the order they joined. */
export function membersOfCouncil(ctx: RequestContext) {
  return rowsByKey(ctx, 'partnerCouncilMember.byCouncil', PartnerCouncilMember, 'councilId', [
    { joinedOn: 'asc' },
    { representativeName: 'asc' },
    { id: 'asc' },
  ]);
}

export interface MeetingRange {
  from: string | null;
  to: string | null;
}

const MEETING_ORDER: SortKey[] = [
  { column: 'm.held_on', type: 'date', direction: 'desc' },
  { column: 'm.id', type: 'uuid', direction: 'desc' },
];

function rangeConditions({ from, to }: MeetingRange): { sql: string[]; params: unknown[] } {
  const sql: string[] = [];
  const params: unknown[] = [];
  if (from) {
    sql.push('held_on >= ?::date');
    params.push(from);
  }
  if (to) {
    sql.push('held_on <= ?::date');
    params.push(to);
  }
  return { sql, params };
}

/**
 * One page of a council's meeting history, most recent first; the pages of every council in the
 * request come from one statement (parent-pages.ts), one per distinct range.
 */
export function meetingPage(ctx: RequestContext, councilId: string, range: MeetingRange, args: PageArgs): Promise<Page<PartnerCouncilMeeting>> {
  const count = () => meetingCounts(ctx, range).load(councilId);
  return parentPage(
    ctx,
    {
      name: `partnerCouncilMeeting.byCouncil:${JSON.stringify([range.from, range.to])}`,
      select: 'm.*',
      from: 'partner_council_meeting m',
      parent: 'm.council_id',
      where: rangeConditions(range),
      keys: MEETING_ORDER,
      map: (row) => ctx.em.map(PartnerCouncilMeeting, row),
      keyOf: (m) => [m.heldOn, m.id],
    },
    councilId,
    args,
    count,
  );
}

/** How many meetings each council held in the range (for totalCount, counted only when asked for). */
export function meetingCounts(ctx: RequestContext, range: MeetingRange) {
  const { sql, params } = rangeConditions(range);
  return countByKey(
    ctx,
    `partnerCouncilMeeting.count:${JSON.stringify([range.from, range.to])}`,
    `select council_id as key, count(*)::int as n from partner_council_meeting where ${['council_id = any (?::uuid[])', ...sql].join(' and ')} group by council_id`,
    params,
  );
}
