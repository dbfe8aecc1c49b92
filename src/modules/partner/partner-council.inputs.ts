import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { LocalDateScalar } from '../../platform/graphql/scalars.js';
import { PartnerCouncil } from './partner-council.entity.js';
import { PartnerCouncilMeeting } from './partner-council-meeting.entity.js';
import { PartnerCouncilMember } from './partner-council-member.entity.js';
import { Payload } from '../common/payload.js';
import { VersionedInput } from '../common/versioned-input.js';

@InputType()
export class PartnerCouncilCreateInput {
  @Field(() => ID, { description: 'The CUS unit; it has at most one council' }) cusUnitId!: string;
  @Field(() => String) name!: string;
  @Field(() => LocalDateScalar, { nullable: true }) establishedOn?: string | null;
}

@InputType({ description: 'Only the fields given change; `version` must be the one last read' })
export class PartnerCouncilUpdateInput extends VersionedInput {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => LocalDateScalar, { nullable: true, description: 'null clears it' }) establishedOn?: string | null;
}

@ObjectType()
export class PartnerCouncilPayload extends Payload(() => PartnerCouncil, 'partnerCouncil') {}

@InputType()
export class PartnerCouncilMemberAddInput {
  @Field(() => ID) councilId!: string;
  @Field(() => ID, { description: 'An active partner working in one of the gminy the unit serves' }) partnerId!: string;
  @Field(() => String) representativeName!: string;
  @Field(() => String, { nullable: true }) representativeFunction?: string | null;
  @Field(() => LocalDateScalar) joinedOn!: string;
}

@InputType({ description: 'Only the fields given change' })
export class PartnerCouncilMemberUpdateInput {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) representativeName?: string | null;
  @Field(() => String, { nullable: true, description: 'null clears it' }) representativeFunction?: string | null;
  @Field(() => LocalDateScalar, { nullable: true }) joinedOn?: string | null;
}

@InputType()
export class PartnerCouncilMemberRemoveInput {
  @Field(() => ID) id!: string;
  @Field(() => LocalDateScalar, { nullable: true, description: 'The day the partner left; default today (Poland)' }) leftOn?: string | null;
}

@ObjectType()
export class PartnerCouncilMemberPayload extends Payload(() => PartnerCouncilMember, 'member') {}

@InputType()
export class PartnerCouncilMeetingAddInput {
  @Field(() => ID) councilId!: string;
  @Field(() => LocalDateScalar) heldOn!: string;
  @Field(() => String, { nullable: true }) place?: string | null;
  @Field(() => [String], { description: 'At least one, none blank' }) topics!: string[];
  @Field(() => String, { nullable: true }) outcomes?: string | null;
  @Field(() => [ID], { nullable: true, description: 'Members of this council who sat on it on the day of the meeting' }) attendeeIds?: string[] | null;
}

@InputType({ description: 'Only the fields given change' })
export class PartnerCouncilMeetingUpdateInput {
  @Field(() => ID) id!: string;
  @Field(() => LocalDateScalar, { nullable: true }) heldOn?: string | null;
  @Field(() => String, { nullable: true, description: 'null clears it' }) place?: string | null;
  @Field(() => [String], { nullable: true }) topics?: string[] | null;
  @Field(() => String, { nullable: true, description: 'null clears it' }) outcomes?: string | null;
  @Field(() => [ID], { nullable: true, description: 'Replaces the attendance list' }) attendeeIds?: string[] | null;
}

@InputType()
export class PartnerCouncilMeetingRemoveInput {
  @Field(() => ID) id!: string;
}

@ObjectType()
export class PartnerCouncilMeetingPayload extends Payload(() => PartnerCouncilMeeting, 'meeting') {}

@ObjectType()
export class PartnerCouncilMeetingRemovePayload extends Payload(() => ID, 'removedId') {}
