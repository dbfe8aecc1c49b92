import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { LocalDateScalar, MoneyScalar, TerytCodeScalar } from '../../platform/graphql/scalars.js';
import { AddressInput } from '../common/address.js';
import { VersionedInput } from '../common/versioned-input.js';
import { CusCreationMode, CusUnit } from './cus-unit.entity.js';
import { FundingProject } from './funding-project.entity.js';
import { Payload } from '../common/payload.js';

@InputType()
export class LegalActInput {
  @Field(() => String) number!: string;
  @Field(() => LocalDateScalar) date!: string;
}

@InputType()
export class CusUnitCreateInput {
  @Field(() => String) name!: string;
  @Field(() => TerytCodeScalar, { description: 'The gmina whose council created the unit' }) seatGmina!: string;
  @Field(() => [TerytCodeScalar], { nullable: true, description: 'All gminy served, the seat included; defaults to the seat gmina' }) servedGminy?: string[];
  @Field(() => AddressInput) seatAddress!: AddressInput;
  @Field(() => CusCreationMode) creationMode!: CusCreationMode;
  @Field(() => LegalActInput, { nullable: true }) foundingResolution?: LegalActInput;
  @Field(() => LegalActInput, { nullable: true, description: 'Required for INTERMUNICIPAL_AGREEMENT' }) agreement?: LegalActInput;
  @Field(() => LocalDateScalar) startDate!: string;
  @Field(() => Boolean, {
    defaultValue: true,
    description: 'A statutory CUS under the act; a gmina has one, so a second for a gmina served is DUPLICATE (existingId: the one it has)',
  })
  statutory: boolean = true;
}

@InputType({ description: "A gmina's share of an inter-municipal agreement's joint budget" })
export class GminaShareInput {
  @Field(() => TerytCodeScalar) gmina!: string;
  @Field(() => Float, { description: 'Percent, above 0' }) share!: number;
}

@InputType({ description: 'Only the fields given change; `version` must be the one last read' })
export class CusUnitUpdateInput extends VersionedInput {
  @Field(() => String, { nullable: true }) name?: string;
  @Field(() => AddressInput, { nullable: true }) seatAddress?: AddressInput;
  @Field(() => LegalActInput, { nullable: true }) foundingResolution?: LegalActInput;
  @Field(() => LegalActInput, { nullable: true }) agreement?: LegalActInput;
  @Field(() => LocalDateScalar, { nullable: true }) startDate?: string;
  @Field(() => Boolean, {
    nullable: true,
    description: 'Becoming statutory, or serving a further gmina while statutory: DUPLICATE where a gmina has another statutory CUS',
  })
  statutory?: boolean;
  @Field(() => [TerytCodeScalar], {
    nullable: true,
    description: 'Platform administrators only; shares set before go back to equal unless gminaShares is given too',
  })
  servedGminy?: string[];
  @Field(() => Int, { nullable: true, description: 'Days between monitoring notes on an active plan, 1..366 (the worklist shows plans past it)' })
  monitoringIntervalDays?: number;
  @Field(() => [GminaShareInput], {
    nullable: true,
    description:
      'Platform administrators only, INTERMUNICIPAL_AGREEMENT units: each served gmina once with its share of the joint budget in percent (summing to 100), as the agreement records it; [] for equal shares',
  })
  gminaShares?: GminaShareInput[];
}

@ObjectType()
export class CusUnitPayload extends Payload(() => CusUnit, 'cusUnit') {}

@InputType()
export class FundingProjectAddInput {
  @Field(() => ID) cusUnitId!: string;
  @Field(() => String) programme!: string;
  @Field(() => String, { nullable: true }) action?: string;
  @Field(() => String) title!: string;
  @Field(() => LocalDateScalar) periodStart!: string;
  @Field(() => LocalDateScalar) periodEnd!: string;
  @Field(() => MoneyScalar) totalValue!: string;
  @Field(() => MoneyScalar, { nullable: true }) euShare?: string;
  @Field(() => MoneyScalar, { nullable: true }) nationalShare?: string;
  @Field(() => Float, { nullable: true }) coFinancingPercent?: number;
}

@InputType()
export class FundingProjectUpdateInput {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) programme?: string;
  @Field(() => String, { nullable: true }) action?: string;
  @Field(() => String, { nullable: true }) title?: string;
  @Field(() => LocalDateScalar, { nullable: true }) periodStart?: string;
  @Field(() => LocalDateScalar, { nullable: true }) periodEnd?: string;
  @Field(() => MoneyScalar, { nullable: true }) totalValue?: string;
  @Field(() => MoneyScalar, { nullable: true }) euShare?: string;
  @Field(() => MoneyScalar, { nullable: true }) nationalShare?: string;
  @Field(() => Float, { nullable: true }) coFinancingPercent?: number;
}

@InputType()
export class FundingProjectRemoveInput {
  @Field(() => ID) id!: string;
}

@ObjectType()
export class FundingProjectPayload extends Payload(() => FundingProject, 'fundingProject') {}

@ObjectType()
export class FundingProjectRemovePayload extends Payload(() => ID, 'removedId') {}
