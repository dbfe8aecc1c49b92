import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { LocalDateScalar, TerytCodeScalar } from '../../platform/graphql/scalars.js';
import { TargetGroup } from '../common/domain.enums.js';
import { FeeRuleInput } from '../catalogue/service.inputs.js';
import { LegalActInput } from '../cus-unit/cus-unit.inputs.js';
import { FeeScaleInput } from '../fee/fee.inputs.js';
import { Programme, ProgrammeStatus } from './programme.entity.js';
import { ProgrammeService } from './programme-service.entity.js';
import { Payload } from '../common/payload.js';

@InputType()
export class ProgrammeFilter {
  @Field(() => TerytCodeScalar, { nullable: true, description: 'Programmes of this gmina' }) gmina?: string;
  @Field(() => ID, { nullable: true }) cusUnitId?: string;
  @Field(() => [ProgrammeStatus], { nullable: true }) statuses?: ProgrammeStatus[];
}

@InputType()
export class ProgrammeCreateInput {
  @Field(() => ID) cusUnitId!: string;
  @Field(() => TerytCodeScalar, { description: 'The gmina whose council adopts the programme; one the unit serves' }) gmina!: string;
  @Field(() => String) title!: string;
  @Field(() => LocalDateScalar, { nullable: true }) periodStart?: string | null;
  @Field(() => LocalDateScalar, { nullable: true }) periodEnd?: string | null;
  @Field(() => ID, { nullable: true, description: 'The diagnosis of the same unit the programme rests on' }) diagnosisId?: string | null;
  @Field(() => [TargetGroup], { defaultValue: [] }) targetGroups!: TargetGroup[];
  @Field(() => String, { nullable: true }) qualityStandards?: string | null;
  @Field(() => String, { nullable: true }) evaluation?: string | null;
  @Field(() => LegalActInput, { nullable: true }) resolution?: LegalActInput | null;
}

@InputType({ description: 'Only the fields given change (null clears an optional one); `version` must be the one last read' })
export class ProgrammeUpdateInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) version!: number;
  @Field(() => String, { nullable: true }) title?: string;
  @Field(() => LocalDateScalar, { nullable: true }) periodStart?: string | null;
  @Field(() => LocalDateScalar, { nullable: true }) periodEnd?: string | null;
  @Field(() => ID, { nullable: true }) diagnosisId?: string | null;
  @Field(() => [TargetGroup], { nullable: true }) targetGroups?: TargetGroup[];
  @Field(() => String, { nullable: true }) qualityStandards?: string | null;
  @Field(() => String, { nullable: true }) evaluation?: string | null;
  @Field(() => LegalActInput, { nullable: true }) resolution?: LegalActInput | null;
}

@ObjectType()
export class ProgrammePayload extends Payload(() => Programme, 'programme') {}

@InputType({ description: 'Puts a service into a programme, or replaces its access rules and fee there' })
export class ProgrammeServiceSetInput {
  @Field(() => ID) programmeId!: string;
  @Field(() => ID) serviceId!: string;
  @Field(() => String, { nullable: true }) accessRules?: string | null;
  @Field(() => FeeRuleInput, { nullable: true, description: 'The fee under the programme (same rules as the catalogue); defaults to free' })
  fee?: FeeRuleInput | null;
  @Field(() => String, { nullable: true }) annualLimit?: string | null;
  @Field(() => FeeScaleInput, {
    nullable: true,
    description:
      "The fee table of an INCOME_DEPENDENT fee (the council resolution's shares of the unit cost by income); replaced with what is sent, none when left out",
  })
  feeScale?: FeeScaleInput | null;
}

@ObjectType()
export class ProgrammeServicePayload extends Payload(() => Programme, 'programme') {
  @Field(() => ProgrammeService, { nullable: true }) programmeService!: ProgrammeService | null;
}

@InputType()
export class ProgrammeServiceRemoveInput {
  @Field(() => ID, { description: 'Id of the ProgrammeService' }) id!: string;
}

@ObjectType()
export class ProgrammeServiceRemovePayload extends Payload(() => Programme, 'programme') {
  @Field(() => ID, { nullable: true }) removedId!: string | null;
}

@InputType()
export class ProgrammeIdInput {
  @Field(() => ID) id!: string;
}

@InputType({ description: 'Records the council resolution; values given here complete or replace those of the draft' })
export class ProgrammeAdoptInput {
  @Field(() => ID) id!: string;
  @Field(() => LegalActInput, { nullable: true }) resolution?: LegalActInput | null;
  @Field(() => LocalDateScalar, { nullable: true }) periodStart?: string | null;
  @Field(() => LocalDateScalar, { nullable: true }) periodEnd?: string | null;
}

@InputType()
export class ProgrammeExpireInput {
  @Field(() => ID) id!: string;
  @Field(() => LocalDateScalar, { nullable: true, description: 'The first day it is no longer in force; defaults to today in Poland' })
  expiredOn?: string | null;
}
