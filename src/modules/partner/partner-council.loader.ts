import { findRows } from '../../platform/database/orm-extension/read-rows.js';
import { byKeys, groupByKeys, loader, type RequestContext } from '../../platform/graphql/context.js';
import { badInput } from '../../platform/graphql/errors.js';
import { isUuid } from '../../platform/graphql/node.js';
import type { Page } from '../../platform/graphql/connection.js';
import { PartnerCouncil } from './partner-council.entity.js';
import { PartnerCouncilMeeting } from './partner-council-meeting.entity.js';
import { PartnerCouncilMember } from './partner-council-member.entity.js';

export function councilById(ctx: RequestContext) {
  return loader<string, PartnerCouncil | null>(ctx, 'partnerCouncil.byId', async (ids) => {
    const rows = await findRows(ctx, PartnerCouncil, { id: { $in: [...ids] } });
    return byKeys(ids, rows, (c) => c.id);
  });
}

/** The council of each CUS unit (a unit has at most one). */
export function councilOfUnit(ctx: RequestContext) {
  return loader<string, PartnerCouncil | null>(ctx, 'partnerCouncil.byUnit', async (unitIds) => {
    const rows = await findRows(ctx, PartnerCouncil, { cusUnitId: { $in: [...unitIds] } });
    return byKeys(unitIds, rows, (c) => c.cusUnitId);
  });
}

export function memberById(ctx: RequestContext) {
  return loader<string, PartnerCouncilMember | null>(ctx, 'partnerCouncilMember.byId', async (ids) => {
    const rows = await findRows(ctx, PartnerCouncilMember, { id: { $in: [...ids] } });
    return byKeys(ids, rows, (m) => m.id);
  });
}

export function meetingById(ctx: RequestContext) {
  return loader<string, PartnerCouncilMeeting | null>(ctx, 'partnerCouncilMeeting.byId', async (ids) => {
    const rows = await findRows(ctx, PartnerCouncilMeeting, { id: { $in: [...ids] } });
    return byKeys(ids, rows, (m) => m.id);
  });
}

/** Everyone who ever sat on each council, former members included, in the order they joined. */
export function membersOfCouncil(ctx: RequestContext) {
  return loader<string, PartnerCouncilMember[]>(ctx, 'partnerCouncilMember.byCouncil', async (councilIds) => {
    const rows = await findRows(ctx, PartnerCouncilMember, { councilId: { $in: [...councilIds] } }, {
      orderBy: [{ joinedOn: 'asc' }, { representativeName: 'asc' }, { id: 'asc' }],
    });
    return groupByKeys(councilIds, rows, (m) => m.councilId);
  });
}

export interface MeetingRange {
  from: string | null;
  to: string | null;
}

export interface MeetingPageArgs extends MeetingRange {
  first: number;
  after: string | null;
}

/** A meeting's place in the history (most recent first), as an opaque cursor. */
const meetingCursor = (m: PartnerCouncilMeeting) => Buffer.from(JSON.stringify([m.heldOn, m.id])).toString('base64url');

function parseMeetingCursor(cursor: string): [string, string] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && /^\d{4}-\d{2}-\d{2}$/.test(value[0]) && isUuid(value[1])) return [value[0], value[1]];
  } catch {
    // reported below
  }
  throw badInput('after is not a cursor of this list');
}

function rangeConditions({ from, to }: MeetingRange): { sql: string[]; params: unknown[] } {
  const sql: string[] = [];
  const params: unknown[] = [];
  if (from) { sql.push('held_on >= ?'); params.push(from); }
  if (to) { sql.push('held_on <= ?'); params.push(to); }
  return { sql, params };
}

/**
 * One page of meeting history, most recent first, for every council asked for in the request, in a
 * single statement: row_number() per council keeps `first + 1` rows of each (the extra one tells
 * whether there is a next page). One loader per distinct set of page arguments.
 */
export function meetingPages(ctx: RequestContext, args: MeetingPageArgs) {
  const after = args.after ? parseMeetingCursor(args.after) : null;
  return loader<string, Page<PartnerCouncilMeeting>>(ctx, `partnerCouncilMeeting.page:${JSON.stringify(args)}`, async (councilIds) => {
    const range = rangeConditions(args);
    const conditions = ['council_id in (?)', ...range.sql];
    const params: unknown[] = [[...councilIds], ...range.params];
    if (after) {
      conditions.push('(held_on, id) < (?::date, ?::uuid)');
      params.push(...after);
    }
    const rows = await ctx.em.execute<Record<string, unknown>[]>(
      `select * from (
         select m.*, row_number() over (partition by council_id order by held_on desc, id desc) as page_rank
         from partner_council_meeting m where ${conditions.join(' and ')}
       ) ranked where page_rank <= ? order by held_on desc, id desc`,
      [...params, args.first + 1],
    );
    const meetings = rows.map(({ page_rank: _rank, ...row }) => ctx.em.map(PartnerCouncilMeeting, row));
    const count = meetingCounts(ctx, args);
    return groupByKeys(councilIds, meetings, (m) => m.councilId).map((list, i): Page<PartnerCouncilMeeting> => {
      const nodes = list.slice(0, args.first);
      const cursors = nodes.map(meetingCursor);
      return {
        nodes,
        cursors,
        pageInfo: {
          hasNextPage: list.length > args.first,
          hasPreviousPage: after !== null,
          startCursor: cursors[0] ?? null,
          endCursor: cursors.at(-1) ?? null,
        },
        count: () => count.load(councilIds[i]),
      };
    });
  });
}

/** How many meetings each council held in the range (for totalCount, counted only when asked for). */
export function meetingCounts(ctx: RequestContext, range: MeetingRange) {
  return loader<string, number>(ctx, `partnerCouncilMeeting.count:${JSON.stringify([range.from, range.to])}`, async (councilIds) => {
    const { sql, params } = rangeConditions(range);
    const rows = await ctx.em.execute<{ council_id: string; n: number }[]>(
      `select council_id, count(*)::int as n from partner_council_meeting where ${['council_id in (?)', ...sql].join(' and ')} group by council_id`,
      [[...councilIds], ...params],
    );
    const counts = new Map(rows.map((r) => [r.council_id, r.n]));
    return councilIds.map((id) => counts.get(id) ?? 0);
  });
}
