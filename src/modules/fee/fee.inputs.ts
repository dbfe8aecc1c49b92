import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { LocalDateScalar, MoneyScalar } from '../../platform/graphql/scalars.js';
import { Resident } from '../resident/resident.entity.js';
import { Payload } from '../common/payload.js';

@InputType({ description: 'A row of the fee table: income per person up to this percentage of the criterion -> this share of the unit cost' })
export class FeeThresholdInput {
  @Field(() => Float, { description: 'Greater than 0, at most 10000; each row above the one before' }) upToPercentOfCriterion!: number;
  @Field(() => Float, { description: '0..100' }) feePercent!: number;
}

@InputType({ description: 'The table a council resolution sets for an income-dependent fee; above the last row the person pays 100%' })
export class FeeScaleInput {
  @Field(() => MoneyScalar, { nullable: true, description: "PLN per hour or session; when null, the unit price of the item's commission" }) unitCost?:
    string | null;
  @Field(() => [FeeThresholdInput], { description: 'One row at least, ascending by upToPercentOfCriterion' }) thresholds!: FeeThresholdInput[];
}

@InputType()
export class ResidentIncomeDeclareInput {
  @Field(() => ID) residentId!: string;
  @Field(() => MoneyScalar, { description: 'Monthly net income of the whole household, PLN' }) householdIncome!: string;
  @Field(() => Int, { description: 'Persons in the household, 1..30 (1: living alone)' }) householdSize!: number;
  @Field(() => LocalDateScalar, { nullable: true, description: 'When it was declared; not after today; defaults to today in Poland' }) declaredOn?:
    string | null;
}

@ObjectType()
export class ResidentIncomeDeclarePayload extends Payload(
  () => Resident,
  'resident',
  'The resident, whose incomeDeclaration is now this one unless one declared later stands',
) {}
