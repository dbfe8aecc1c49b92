import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { LocalDateScalar, MoneyScalar } from '../../platform/graphql/scalars.js';
import { Commission } from './commission.entity.js';
import { CommissionProcedure, CommissionStatus, VolumeUnit } from './commission.enums.js';
import { Payload } from '../common/payload.js';
import { VersionedInput } from '../common/versioned-input.js';

@InputType()
export class CommissionFilter {
  @Field(() => ID, { nullable: true }) partnerId?: string;
  @Field(() => ID, { nullable: true }) cusUnitId?: string;
  @Field(() => ID, { nullable: true, description: 'Commissions that include this service' }) serviceId?: string;
  @Field(() => [CommissionStatus], { nullable: true }) statuses?: CommissionStatus[];
  @Field(() => LocalDateScalar, { nullable: true, description: 'Commissions whose period covers this day' }) activeOn?: string;
}

@InputType({ description: 'A commission starts PLANNED; give what is known, the rest before activation' })
export class CommissionCreateInput {
  @Field(() => ID, { description: 'The commissioning CUS unit' }) cusUnitId!: string;
  @Field(() => ID) partnerId!: string;
  @Field(() => String) title!: string;
  @Field(() => CommissionProcedure) procedure!: CommissionProcedure;
  @Field(() => [ID], { description: 'Services of the catalogue the commission covers (at least one)' }) serviceIds!: string[];
  @Field(() => String, { nullable: true }) agreementNumber?: string | null;
  @Field(() => LocalDateScalar, { nullable: true }) periodStart?: string | null;
  @Field(() => LocalDateScalar, { nullable: true }) periodEnd?: string | null;
  @Field(() => MoneyScalar, { nullable: true }) budget?: string | null;
  @Field(() => MoneyScalar, { nullable: true, description: 'PLN per hour or session; needs volumeUnit' }) unitPrice?: string | null;
  @Field(() => Int, { nullable: true }) maxRecipients?: number | null;
  @Field(() => Float, { nullable: true }) volume?: number | null;
  @Field(() => VolumeUnit, { nullable: true, description: 'Required with volume or unitPrice' }) volumeUnit?: VolumeUnit | null;
  @Field(() => [String], { defaultValue: [] }) qualityIndicators!: string[];
  @Field(() => String, { nullable: true }) reportingDuty?: string | null;
}

@InputType({ description: 'Only the fields given change (null clears an optional one); `version` must be the one last read' })
export class CommissionUpdateInput extends VersionedInput {
  @Field(() => String, { nullable: true }) title?: string;
  @Field(() => CommissionProcedure, { nullable: true }) procedure?: CommissionProcedure;
  @Field(() => [ID], { nullable: true }) serviceIds?: string[];
  @Field(() => String, { nullable: true }) agreementNumber?: string | null;
  @Field(() => LocalDateScalar, { nullable: true }) periodStart?: string | null;
  @Field(() => LocalDateScalar, { nullable: true }) periodEnd?: string | null;
  @Field(() => MoneyScalar, { nullable: true }) budget?: string | null;
  @Field(() => MoneyScalar, { nullable: true }) unitPrice?: string | null;
  @Field(() => Int, { nullable: true }) maxRecipients?: number | null;
  @Field(() => Float, { nullable: true }) volume?: number | null;
  @Field(() => VolumeUnit, { nullable: true }) volumeUnit?: VolumeUnit | null;
  @Field(() => [String], { nullable: true }) qualityIndicators?: string[];
  @Field(() => String, { nullable: true }) reportingDuty?: string | null;
}

@InputType()
export class CommissionStatusInput extends VersionedInput {
  @Field(() => String, { nullable: true, description: 'Required to suspend or terminate' }) reason?: string | null;
}

@ObjectType()
export class CommissionPayload extends Payload(() => Commission, 'commission') {}
