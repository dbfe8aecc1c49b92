import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { LocalDateScalar } from '../../platform/graphql/scalars.js';
import { LocalTimeScalar } from '../common/weekly-hours.js';
import { VersionedInput } from '../common/versioned-input.js';
import { DeliveryOutcome } from '../commission/commission.enums.js';
import { Delivery } from './delivery.entity.js';
import { Payload } from '../common/payload.js';

@InputType()
export class DeliveryRecordInput {
  @Field(() => ID, { nullable: true, description: 'Partners: a PartnerAssignment of yours' }) assignmentId?: string | null;
  @Field(() => ID, { nullable: true, description: 'The centre (director, services organiser, coordinator): an IpusItem the CUS or a gmina unit provides' })
  itemId?: string | null;
  @Field(() => LocalDateScalar, { description: "Within the item's dates, while the plan is active" }) deliveredOn!: string;
  @Field(() => LocalTimeScalar) startsAt!: string;
  @Field(() => Int, { description: "From 1 minute to the item's session length (README: Deliveries), within the person's daily maximum" })
  durationMinutes!: number;
  @Field(() => DeliveryOutcome) outcome!: DeliveryOutcome;
  @Field(() => String, { nullable: true, description: 'At most 500 characters' }) note?: string | null;
}

@InputType({ description: 'Only the fields given change; the previous values are kept as a correction' })
export class DeliveryCorrectInput extends VersionedInput {
  @Field(() => LocalDateScalar, { nullable: true }) deliveredOn?: string;
  @Field(() => LocalTimeScalar, { nullable: true }) startsAt?: string;
  @Field(() => Int, { nullable: true }) durationMinutes?: number;
  @Field(() => DeliveryOutcome, { nullable: true }) outcome?: DeliveryOutcome;
  @Field(() => String, { nullable: true }) note?: string | null;
}

@InputType()
export class DeliveryFilter {
  @Field(() => LocalDateScalar, { nullable: true, description: 'Delivered on or after' }) from?: string;
  @Field(() => LocalDateScalar, { nullable: true, description: 'Delivered on or before' }) to?: string;
  @Field(() => ID, { nullable: true }) commissionId?: string;
  @Field(() => ID, { nullable: true, description: 'A PartnerAssignment (partners) or an IpusItem (staff)' }) itemId?: string;
  @Field(() => [DeliveryOutcome], { nullable: true }) outcomes?: DeliveryOutcome[];
}

@InputType()
export class AssignmentFilter {
  @Field(() => ID, { nullable: true }) commissionId?: string;
  @Field(() => LocalDateScalar, { nullable: true, description: 'Items whose dates include this day' }) activeOn?: string;
  @Field(() => Boolean, { nullable: true, description: 'Only items being served: approved or active plans, under an ACTIVE commission' }) current?: boolean;
}

@ObjectType()
export class DeliveryPayload extends Payload(() => Delivery, 'delivery') {}
