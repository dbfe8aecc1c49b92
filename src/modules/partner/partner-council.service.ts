import { randomUUID } from 'node:crypto';
import type { RequestContext } from '../../platform/graphql/context.js';
import { UserErrorCode, UserErrors } from '../../platform/graphql/user-error.js';
import { uuidFromGlobalId } from '../../platform/graphql/node.js';
import { blank, ok, refuse, textOrNull, type Result } from '../common/result.js';
import { todayInPoland } from '../common/dates.js';
import { CusUnit } from '../cus-unit/cus-unit.entity.js';
import { flushUnlessDuplicate } from '../common/duplicate.js';
import { findVisible, isCurrentVersion } from '../common/find.js';
import { Partner } from './partner.entity.js';
import { partnerStandingIn } from './partner.loader.js';
import { PartnerCouncil } from './partner-council.entity.js';
import { PartnerCouncilMeeting } from './partner-council-meeting.entity.js';
import { PartnerCouncilMember } from './partner-council-member.entity.js';
import type {
  PartnerCouncilCreateInput,
  PartnerCouncilMeetingAddInput,
  PartnerCouncilMeetingRemoveInput,
  PartnerCouncilMeetingUpdateInput,
  PartnerCouncilMemberAddInput,
  PartnerCouncilMemberRemoveInput,
  PartnerCouncilMemberUpdateInput,
  PartnerCouncilUpdateInput,
} from './partner-council.inputs.js';

/**
 * Council rows belong to the unit's seat gmina: staff of the other gminy an inter-municipal unit serves
 * read the council, but only staff of the seat gmina keep it (the database refuses their writes too).
 */
function keptByCaller(ctx: RequestContext, row: { gminaId: number }, field: string, errors: UserErrors): boolean {
  if (ctx.principal.gminy.includes(row.gminaId)) return true;
  errors.add(field, "The council is kept by the staff of the unit's seat gmina", UserErrorCode.NOT_ALLOWED);
  return false;
}

// --- the council

export async function createCouncil(ctx: RequestContext, input: PartnerCouncilCreateInput): Promise<Result<PartnerCouncil>> {
  const errors = new UserErrors();
  const unit = await findVisible(ctx, CusUnit, input.cusUnitId, 'cusUnitId', errors, 'CUS unit');
  if (blank(input.name)) errors.add('name', 'Name is required', UserErrorCode.REQUIRED);
  if (unit) keptByCaller(ctx, unit, 'cusUnitId', errors);
  if (unit && (await ctx.em.count(PartnerCouncil, { cusUnitId: unit.id })) > 0) {
    errors.add('cusUnitId', 'This unit already has a partner council', UserErrorCode.DUPLICATE);
  }
  if (!unit || errors.any) return refuse(errors);

  const council = ctx.em.create(PartnerCouncil, {
    gminaId: unit.gminaId,
    cusUnitId: unit.id,
    name: input.name.trim(),
    establishedOn: input.establishedOn ?? null,
  });
  if (await flushUnlessDuplicate(ctx, 'partner_council_cus_unit_id_key')) return ok(council);
  errors.add('cusUnitId', 'This unit already has a partner council', UserErrorCode.DUPLICATE);
  return refuse(errors);
}

export async function updateCouncil(ctx: RequestContext, input: PartnerCouncilUpdateInput): Promise<Result<PartnerCouncil>> {
  const errors = new UserErrors();
  const council = await findVisible(ctx, PartnerCouncil, input.id, 'id', errors, 'partner council');
  if (!council || !keptByCaller(ctx, council, 'id', errors)) return refuse(errors);
  if (!isCurrentVersion(council, input.version, errors, 'council')) return refuse(errors);
  if (input.name !== undefined && blank(input.name)) errors.add('name', 'Name must not be blank', UserErrorCode.REQUIRED);
  if (errors.any) return refuse(errors);
  if (input.name) council.name = input.name.trim();
  if (input.establishedOn !== undefined) council.establishedOn = input.establishedOn;
  await ctx.em.flush();
  return ok(council);
}

// --- members

/**
 * A membership period [joinedOn, leftOn] must be in order, must cover every meeting the member is
 * recorded at, and must not overlap another period of the same partner on the same council.
 */
async function checkPeriod(
  ctx: RequestContext,
  member: Pick<PartnerCouncilMember, 'id' | 'councilId' | 'partnerId'>,
  joinedOn: string,
  leftOn: string | null,
  errors: UserErrors,
  field: string,
): Promise<void> {
  if (leftOn !== null && leftOn < joinedOn) {
    errors.add(field, `The partner cannot leave (${leftOn}) before it joined (${joinedOn})`, UserErrorCode.OUT_OF_RANGE);
    return;
  }
  const [attended, periods] = await Promise.all([
    ctx.em.find(PartnerCouncilMeeting, { councilId: member.councilId, attendeeMemberIds: { $contains: [member.id] } }, { orderBy: { heldOn: 'asc' } }),
    ctx.em.find(PartnerCouncilMember, { councilId: member.councilId, partnerId: member.partnerId, id: { $ne: member.id } }),
  ]);
  const outside = attended.find((m) => m.heldOn < joinedOn || (leftOn !== null && m.heldOn > leftOn));
  if (outside) errors.add(field, `The member attended the meeting of ${outside.heldOn}, outside ${joinedOn}..${leftOn ?? 'now'}`, UserErrorCode.INVALID);
  const FOREVER = '9999-12-31';
  for (const other of periods) {
    if (other.joinedOn > (leftOn ?? FOREVER) || joinedOn > (other.leftOn ?? FOREVER)) continue;
    if (other.leftOn === null && leftOn === null) errors.add(field, 'The partner already sits on this council', UserErrorCode.DUPLICATE);
    else errors.add(field, `The partner sat on this council from ${other.joinedOn} to ${other.leftOn ?? 'now'} as well`, UserErrorCode.INVALID);
  }
}

export async function addMember(ctx: RequestContext, input: PartnerCouncilMemberAddInput): Promise<Result<PartnerCouncilMember>> {
  const errors = new UserErrors();
  const council = await findVisible(ctx, PartnerCouncil, input.councilId, 'councilId', errors, 'partner council');
  const partner = await findVisible(ctx, Partner, input.partnerId, 'partnerId', errors, 'partner');
  if (blank(input.representativeName)) errors.add('representativeName', 'Name of the representative is required', UserErrorCode.REQUIRED);
  if (!council || !partner || !keptByCaller(ctx, council, 'councilId', errors)) return refuse(errors);
  const unit = await ctx.em.findOne(CusUnit, { id: council.cusUnitId });
  // The unit's own relationships decide whether the partner is retired, not another gmina's.
  const standing = await partnerStandingIn(ctx, partner, unit?.servedGminaIds ?? []);
  if (!standing.works) errors.add('partnerId', 'The partner does not work in any gmina the unit serves', UserErrorCode.NOT_ALLOWED);
  else if (!standing.active) errors.add('partnerId', 'A retired partner cannot join the council', UserErrorCode.NOT_ALLOWED);
  const id = randomUUID();
  await checkPeriod(ctx, { id, councilId: council.id, partnerId: partner.id }, input.joinedOn, null, errors, 'partnerId');
  if (errors.any) return refuse(errors);
  const member = ctx.em.create(PartnerCouncilMember, {
    id,
    gminaId: council.gminaId,
    councilId: council.id,
    partnerId: partner.id,
    representativeName: input.representativeName.trim(),
    representativeFunction: textOrNull(input.representativeFunction),
    joinedOn: input.joinedOn,
  });
  if (await flushUnlessDuplicate(ctx, 'partner_council_member_current_key')) return ok(member);
  errors.add('partnerId', 'The partner already sits on this council', UserErrorCode.DUPLICATE);
  return refuse(errors);
}

export async function updateMember(ctx: RequestContext, input: PartnerCouncilMemberUpdateInput): Promise<Result<PartnerCouncilMember>> {
  const errors = new UserErrors();
  const member = await findVisible(ctx, PartnerCouncilMember, input.id, 'id', errors, 'council member');
  if (!member || !keptByCaller(ctx, member, 'id', errors)) return refuse(errors);
  if (input.representativeName !== undefined && blank(input.representativeName)) {
    errors.add('representativeName', 'Name of the representative must not be blank', UserErrorCode.REQUIRED);
  }
  const joinedOn = input.joinedOn ?? member.joinedOn;
  if (joinedOn !== member.joinedOn) await checkPeriod(ctx, member, joinedOn, member.leftOn, errors, 'joinedOn');
  if (errors.any) return refuse(errors);
  if (input.representativeName) member.representativeName = input.representativeName.trim();
  if (input.representativeFunction !== undefined) member.representativeFunction = textOrNull(input.representativeFunction);
  member.joinedOn = joinedOn;
  await ctx.em.flush();
  return ok(member);
}

export async function removeMember(ctx: RequestContext, input: PartnerCouncilMemberRemoveInput): Promise<Result<PartnerCouncilMember>> {
  const errors = new UserErrors();
  const member = await findVisible(ctx, PartnerCouncilMember, input.id, 'id', errors, 'council member');
  if (!member || !keptByCaller(ctx, member, 'id', errors)) return refuse(errors);
  if (member.leftOn !== null) {
    errors.add('id', `The partner already left the council on ${member.leftOn}`, UserErrorCode.INVALID);
    return refuse(errors);
  }
  const leftOn = input.leftOn ?? todayInPoland();
  await checkPeriod(ctx, member, member.joinedOn, leftOn, errors, 'leftOn');
  if (errors.any) return refuse(errors);
  member.leftOn = leftOn;
  await ctx.em.flush();
  return ok(member);
}

// --- meetings

function checkTopics(topics: string[], errors: UserErrors): string[] {
  if (topics.length === 0) errors.add('topics', 'Name at least one topic', UserErrorCode.REQUIRED);
  topics.forEach((topic, i) => {
    if (blank(topic)) errors.add(['topics', String(i)], 'A topic must not be blank', UserErrorCode.REQUIRED);
  });
  return topics.map((topic) => topic.trim());
}

/** Attendees as member ids: each a member of this council who had joined by `heldOn` and had not left before it. */
async function checkAttendees(ctx: RequestContext, councilId: string, heldOn: string, globalIds: string[], errors: UserErrors): Promise<string[]> {
  const ids = globalIds.map((id) => uuidFromGlobalId(id, 'PartnerCouncilMember', 'attendeeIds'));
  const members = await ctx.em.find(PartnerCouncilMember, { id: { $in: ids } });
  ids.forEach((id, i) => {
    const member = members.find((m) => m.id === id);
    const at = ['attendeeIds', String(i)];
    if (ids.indexOf(id) !== i) errors.add(at, 'This member is listed twice', UserErrorCode.DUPLICATE);
    else if (!member || member.councilId !== councilId) errors.add(at, 'Not a member of this council', UserErrorCode.INVALID);
    else if (!member.sitsOn(heldOn)) {
      errors.add(
        at,
        `${member.representativeName} did not sit on the council on ${heldOn} (${member.joinedOn}..${member.leftOn ?? 'now'})`,
        UserErrorCode.INVALID,
      );
    }
  });
  return ids;
}

export async function addMeeting(ctx: RequestContext, input: PartnerCouncilMeetingAddInput): Promise<Result<PartnerCouncilMeeting>> {
  const errors = new UserErrors();
  const council = await findVisible(ctx, PartnerCouncil, input.councilId, 'councilId', errors, 'partner council');
  const topics = checkTopics(input.topics, errors);
  if (!council || !keptByCaller(ctx, council, 'councilId', errors)) return refuse(errors);
  const attendeeMemberIds = await checkAttendees(ctx, council.id, input.heldOn, input.attendeeIds ?? [], errors);
  if (errors.any) return refuse(errors);
  const meeting = ctx.em.create(PartnerCouncilMeeting, {
    gminaId: council.gminaId,
    councilId: council.id,
    heldOn: input.heldOn,
    place: textOrNull(input.place),
    topics,
    outcomes: textOrNull(input.outcomes),
    attendeeMemberIds,
  });
  await ctx.em.flush();
  return ok(meeting);
}

export async function updateMeeting(ctx: RequestContext, input: PartnerCouncilMeetingUpdateInput): Promise<Result<PartnerCouncilMeeting>> {
  const errors = new UserErrors();
  const meeting = await findVisible(ctx, PartnerCouncilMeeting, input.id, 'id', errors, 'council meeting');
  if (!meeting || !keptByCaller(ctx, meeting, 'id', errors)) return refuse(errors);
  const heldOn = input.heldOn ?? meeting.heldOn;
  const topics = input.topics ? checkTopics(input.topics, errors) : meeting.topics;
  // A new date must still suit everyone recorded as present, so attendance is checked again whenever either changes.
  let attendeeMemberIds = meeting.attendeeMemberIds;
  if (input.attendeeIds) {
    attendeeMemberIds = await checkAttendees(ctx, meeting.councilId, heldOn, input.attendeeIds, errors);
  } else if (heldOn !== meeting.heldOn) {
    const members = await ctx.em.find(PartnerCouncilMember, { id: { $in: meeting.attendeeMemberIds } });
    for (const member of members.filter((m) => !m.sitsOn(heldOn))) {
      errors.add('heldOn', `${member.representativeName}, recorded as present, did not sit on the council on ${heldOn}`, UserErrorCode.INVALID);
    }
  }
  if (errors.any) return refuse(errors);
  ctx.em.assign(meeting, {
    heldOn,
    topics,
    attendeeMemberIds,
    place: input.place === undefined ? meeting.place : textOrNull(input.place),
    outcomes: input.outcomes === undefined ? meeting.outcomes : textOrNull(input.outcomes),
  });
  await ctx.em.flush();
  return ok(meeting);
}

export async function removeMeeting(ctx: RequestContext, input: PartnerCouncilMeetingRemoveInput): Promise<Result<string>> {
  const errors = new UserErrors();
  const meeting = await findVisible(ctx, PartnerCouncilMeeting, input.id, 'id', errors, 'council meeting');
  if (!meeting || !keptByCaller(ctx, meeting, 'id', errors)) return refuse(errors);
  ctx.em.remove(meeting);
  await ctx.em.flush();
  return ok(meeting.globalId);
}
