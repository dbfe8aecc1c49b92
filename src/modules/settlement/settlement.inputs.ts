import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { Settlement } from './settlement.entity.js';
import { SettlementStatus } from './settlement.enums.js';
import { Payload } from '../common/payload.js';
import { VersionedInput } from '../common/versioned-input.js';

@InputType({ description: "Opens a commission's settlement for a month that has begun, within the commission's period" })
export class SettlementOpenInput {
  @Field(() => ID) commissionId!: string;
  @Field(() => String, { description: 'YYYY-MM, or any day of the month (YYYY-MM-DD)' }) month!: string;
}

@InputType()
export class IndicatorValueInput {
  @Field(() => String, { description: "One of the commission's qualityIndicators, as written there" }) indicator!: string;
  @Field(() => String) value!: string;
}

@InputType({ description: 'The partner submits its report of a month that has ended; the figures are computed from its recorded deliveries' })
export class SettlementSubmitInput extends VersionedInput {
  @Field(() => [IndicatorValueInput], { description: "A value for each of the commission's quality indicators" }) indicatorValues!: IndicatorValueInput[];
}

@InputType()
export class SettlementDecisionInput extends VersionedInput {
  @Field(() => String, { nullable: true, description: 'Required to return the report: what the partner is to put right' }) reason?: string | null;
}

@InputType()
export class SettlementFilter {
  @Field(() => ID, { nullable: true }) commissionId?: string;
  @Field(() => [SettlementStatus], { nullable: true }) statuses?: SettlementStatus[];
}

@ObjectType()
export class SettlementPayload extends Payload(() => Settlement, 'settlement') {}
