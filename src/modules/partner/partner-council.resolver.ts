import { Arg, Args, Authorized, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Connection, PageArgs, toConnection } from '../../platform/graphql/connection.js';
import { declareMutations } from '../common/mutation-table.js';
import { declareNodeLookup } from '../common/node-lookup.js';
import type { RequestContext } from '../../platform/graphql/context.js';
import { badInput } from '../../platform/graphql/errors.js';
import { isUuid, registerNodeType } from '../../platform/graphql/node.js';
import { LocalDateScalar } from '../../platform/graphql/scalars.js';
import { Role } from '../../platform/auth/roles.js';
import { CusUnit } from '../cus-unit/cus-unit.entity.js';
import { cusUnitById } from '../cus-unit/cus-unit.loader.js';
import { Partner } from './partner.entity.js';
import { partnerById } from './partner.loader.js';
import { PARTNER_READERS } from './partner.resolver.js';
import { PartnerCouncil } from './partner-council.entity.js';
import { PartnerCouncilMeeting } from './partner-council-meeting.entity.js';
import { PartnerCouncilMember } from './partner-council-member.entity.js';
import {
  PartnerCouncilCreateInput,
  PartnerCouncilMeetingAddInput,
  PartnerCouncilMeetingPayload,
  PartnerCouncilMeetingRemoveInput,
  PartnerCouncilMeetingRemovePayload,
  PartnerCouncilMeetingUpdateInput,
  PartnerCouncilMemberAddInput,
  PartnerCouncilMemberPayload,
  PartnerCouncilMemberRemoveInput,
  PartnerCouncilMemberUpdateInput,
  PartnerCouncilPayload,
  PartnerCouncilUpdateInput,
} from './partner-council.inputs.js';
import { councilById, councilOfUnit, meetingById, meetingPage, memberById, membersOfCouncil } from './partner-council.loader.js';
import { addMeeting, addMember, createCouncil, removeMeeting, removeMember, updateCouncil, updateMeeting, updateMember } from './partner-council.service.js';

registerNodeType('PartnerCouncilMember', async (ctx, key) => (isUuid(key) ? memberById(ctx).load(key) : null));
registerNodeType('PartnerCouncilMeeting', async (ctx, key) => (isUuid(key) ? meetingById(ctx).load(key) : null));

const MeetingConnection = Connection(PartnerCouncilMeeting);

/** Who runs the partner council: the director and the services organiser. */
export const COUNCIL_MANAGERS = [Role.DIRECTOR, Role.SERVICES_ORGANISER];

@Resolver(() => PartnerCouncil)
export class PartnerCouncilResolver {
  @FieldResolver(() => CusUnit, { nullable: true, description: 'The CUS unit whose council this is' })
  cusUnit(@Root() council: PartnerCouncil, @Ctx() ctx: RequestContext): Promise<CusUnit | null> {
    return cusUnitById(ctx).load(council.cusUnitId);
  }

  @FieldResolver(() => [PartnerCouncilMember], { description: 'Members in the order they joined' })
  async members(
    @Root() council: PartnerCouncil,
    @Ctx() ctx: RequestContext,
    @Arg('current', () => Boolean, { defaultValue: true, description: 'true: those sitting on the council now; false: everyone who ever did' })
    current: boolean,
  ): Promise<PartnerCouncilMember[]> {
    const members = await membersOfCouncil(ctx).load(council.id);
    return current ? members.filter((m) => m.leftOn === null) : members;
  }

  @FieldResolver(() => MeetingConnection, { description: 'Meeting history, most recent first' })
  async meetings(
    @Root() council: PartnerCouncil,
    @Ctx() ctx: RequestContext,
    @Args(() => PageArgs) page: PageArgs,
    // Declared in reverse: type-graphql lists arguments last-declared first, and the schema reads better as from, to.
    @Arg('to', () => LocalDateScalar, { nullable: true, description: 'Meetings held on or before this day' }) to?: string,
    @Arg('from', () => LocalDateScalar, { nullable: true, description: 'Meetings held on or after this day' }) from?: string,
  ) {
    if (from && to && to < from) throw badInput('to must not be earlier than from');
    return toConnection(MeetingConnection, await meetingPage(ctx, council.id, { from: from ?? null, to: to ?? null }, page));
  }
}

declareNodeLookup(PartnerCouncilResolver, 'partnerCouncil', { type: PartnerCouncil, roles: PARTNER_READERS, byId: councilById });

declareMutations(PartnerCouncilResolver, COUNCIL_MANAGERS, PartnerCouncilMemberPayload, {
  partnerCouncilCreate: {
    description: 'Set up the partner council of a CUS unit (one per unit)',
    input: PartnerCouncilCreateInput,
    run: createCouncil,
    payload: PartnerCouncilPayload,
  },
  partnerCouncilUpdate: { input: PartnerCouncilUpdateInput, run: updateCouncil, payload: PartnerCouncilPayload },
  partnerCouncilMemberAdd: { description: 'A partner joins the council through its representative', input: PartnerCouncilMemberAddInput, run: addMember },
  partnerCouncilMemberUpdate: { input: PartnerCouncilMemberUpdateInput, run: updateMember },
  partnerCouncilMemberRemove: {
    description: 'A partner leaves the council; its membership stays in the history',
    input: PartnerCouncilMemberRemoveInput,
    run: removeMember,
  },
  partnerCouncilMeetingAdd: {
    description: 'Record a meeting of the council',
    input: PartnerCouncilMeetingAddInput,
    run: addMeeting,
    payload: PartnerCouncilMeetingPayload,
  },
  partnerCouncilMeetingUpdate: { input: PartnerCouncilMeetingUpdateInput, run: updateMeeting, payload: PartnerCouncilMeetingPayload },
  partnerCouncilMeetingRemove: {
    description: 'Delete a meeting recorded by mistake',
    input: PartnerCouncilMeetingRemoveInput,
    run: removeMeeting,
    payload: PartnerCouncilMeetingRemovePayload,
  },
});

@Resolver(() => PartnerCouncilMember)
export class PartnerCouncilMemberResolver {
  @FieldResolver(() => Partner, { nullable: true, description: 'null if the partner no longer works in any of your gminy' })
  partner(@Root() member: PartnerCouncilMember, @Ctx() ctx: RequestContext): Promise<Partner | null> {
    return partnerById(ctx).load(member.partnerId);
  }

  @FieldResolver(() => PartnerCouncil)
  async council(@Root() member: PartnerCouncilMember, @Ctx() ctx: RequestContext): Promise<PartnerCouncil> {
    return (await councilById(ctx).load(member.councilId)) as PartnerCouncil;
  }
}

@Resolver(() => PartnerCouncilMeeting)
export class PartnerCouncilMeetingResolver {
  @FieldResolver(() => [PartnerCouncilMember], { description: 'Members present' })
  async attendees(@Root() meeting: PartnerCouncilMeeting, @Ctx() ctx: RequestContext): Promise<PartnerCouncilMember[]> {
    const members = await memberById(ctx).loadMany(meeting.attendeeMemberIds);
    return members.filter((m): m is PartnerCouncilMember => m instanceof PartnerCouncilMember);
  }

  @FieldResolver(() => PartnerCouncil)
  async council(@Root() meeting: PartnerCouncilMeeting, @Ctx() ctx: RequestContext): Promise<PartnerCouncil> {
    return (await councilById(ctx).load(meeting.councilId)) as PartnerCouncil;
  }
}

@Resolver(() => CusUnit)
export class CusUnitPartnerCouncilResolver {
  @Authorized(...PARTNER_READERS)
  @FieldResolver(() => PartnerCouncil, { nullable: true, description: "The unit's partner council, if it has one" })
  partnerCouncil(@Root() unit: CusUnit, @Ctx() ctx: RequestContext): Promise<PartnerCouncil | null> {
    return councilOfUnit(ctx).load(unit.id);
  }
}
