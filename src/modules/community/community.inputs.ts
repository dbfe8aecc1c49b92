import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { LocalDateScalar } from '../../platform/graphql/scalars.js';
import { Weekday } from '../common/domain.enums.js';
import { VersionedInput } from '../common/versioned-input.js';
import { LocalTimeScalar } from '../common/weekly-hours.js';
import { CommunityActivity, CommunityActivityKind, CommunityActivityStatus } from './community-activity.entity.js';
import { CommunityPlan, CommunityPlanStatus } from './community-plan.entity.js';
import { Payload } from '../common/payload.js';

@InputType()
export class CommunityPlanCreateInput {
  @Field(() => ID) cusUnitId!: string;
  @Field(() => String) title!: string;
  @Field(() => LocalDateScalar) periodStart!: string;
  @Field(() => LocalDateScalar) periodEnd!: string;
  @Field(() => [String], { description: 'At least one' }) aims!: string[];
}

@InputType({ description: 'Only the fields given change; `version` must be the one last read' })
export class CommunityPlanUpdateInput extends VersionedInput {
  @Field(() => String, { nullable: true }) title?: string;
  @Field(() => LocalDateScalar, { nullable: true }) periodStart?: string;
  @Field(() => LocalDateScalar, { nullable: true }) periodEnd?: string;
  @Field(() => [String], { nullable: true }) aims?: string[];
}

@InputType()
export class CommunityPlanArchiveInput extends VersionedInput {}

@InputType({ description: 'Weekly recurrence of an activity between its startsOn and endsOn' })
export class CommunityRecurrenceInput {
  @Field(() => [Weekday]) weekdays!: Weekday[];
  @Field(() => LocalTimeScalar) startsAt!: string;
  @Field(() => LocalTimeScalar) endsAt!: string;
}

@InputType()
export class CommunityActivityCreateInput {
  @Field(() => ID) cusUnitId!: string;
  @Field(() => ID, { nullable: true, description: "A plan of the same unit; the activity's dates must lie in its period" }) planId?: string;
  @Field(() => String) title!: string;
  @Field(() => CommunityActivityKind) kind!: CommunityActivityKind;
  @Field(() => LocalDateScalar) startsOn!: string;
  @Field(() => LocalDateScalar, { nullable: true, description: 'Required with a recurrence' }) endsOn?: string;
  @Field(() => CommunityRecurrenceInput, { nullable: true }) recurrence?: CommunityRecurrenceInput;
  @Field(() => LocalTimeScalar, { nullable: true, description: 'Single activities; a recurrence carries its own times' }) startsAt?: string;
  @Field(() => LocalTimeScalar, { nullable: true }) endsAt?: string;
  @Field(() => ID, { nullable: true, description: 'A place (Location) in a gmina the unit serves, not retired' }) locationId?: string;
  @Field(() => String) organiser!: string;
  @Field(() => [String], { nullable: true }) volunteers?: string[];
  @Field(() => Int, { nullable: true }) participantsCount?: number;
  @Field(() => String, { nullable: true }) outcome?: string;
}

@InputType({ description: 'Only the fields given change; null clears an optional field' })
export class CommunityActivityUpdateInput extends VersionedInput {
  @Field(() => ID, { nullable: true }) planId?: string | null;
  @Field(() => String, { nullable: true }) title?: string;
  @Field(() => CommunityActivityKind, { nullable: true }) kind?: CommunityActivityKind;
  @Field(() => LocalDateScalar, { nullable: true }) startsOn?: string;
  @Field(() => LocalDateScalar, { nullable: true }) endsOn?: string | null;
  @Field(() => CommunityRecurrenceInput, { nullable: true }) recurrence?: CommunityRecurrenceInput | null;
  @Field(() => LocalTimeScalar, { nullable: true }) startsAt?: string | null;
  @Field(() => LocalTimeScalar, { nullable: true }) endsAt?: string | null;
  @Field(() => ID, { nullable: true }) locationId?: string | null;
  @Field(() => String, { nullable: true }) organiser?: string;
  @Field(() => [String], { nullable: true }) volunteers?: string[];
  @Field(() => Int, { nullable: true }) participantsCount?: number | null;
  @Field(() => String, { nullable: true }) outcome?: string | null;
}

@InputType()
export class CommunityActivityRecordOutcomeInput extends VersionedInput {
  @Field(() => Int) participantsCount!: number;
  @Field(() => String) outcome!: string;
}

@InputType()
export class CommunityActivityCancelInput extends VersionedInput {}

@InputType()
export class CommunityPlanFilter {
  @Field(() => ID, { nullable: true }) cusUnitId?: string;
  @Field(() => CommunityPlanStatus, { nullable: true }) status?: CommunityPlanStatus;
}

@InputType()
export class CommunityActivityFilter {
  @Field(() => ID, { nullable: true }) cusUnitId?: string;
  @Field(() => ID, { nullable: true }) locationId?: string;
  @Field(() => CommunityActivityKind, { nullable: true }) kind?: CommunityActivityKind;
  @Field(() => LocalDateScalar, { nullable: true, description: 'Activities still running on or after this day' }) from?: string;
  @Field(() => LocalDateScalar, { nullable: true, description: 'Activities starting on or before this day' }) to?: string;
  @Field(() => CommunityActivityStatus, { nullable: true }) status?: CommunityActivityStatus;
}

@ObjectType()
export class CommunityPlanPayload extends Payload(() => CommunityPlan, 'communityPlan') {}

@ObjectType()
export class CommunityActivityPayload extends Payload(() => CommunityActivity, 'communityActivity') {}
