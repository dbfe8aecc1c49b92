import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { defineEnum, type EnumValue } from '../common/graphql-enum.js';
import { VersionedInput } from '../common/versioned-input.js';
import { MoneyScalar, TerytCodeScalar } from '../../platform/graphql/scalars.js';
import { FeeKind, ServiceArea, TargetGroup } from '../common/domain.enums.js';
import { WeeklyHoursInput } from '../common/weekly-hours.js';
import { ProviderKind, Service, ServiceStatus } from './service.entity.js';
import { Payload } from '../common/payload.js';

@InputType()
export class ServiceProviderInput {
  @Field(() => ProviderKind) kind!: ProviderKind;
  @Field(() => ID, { nullable: true, description: "The partner giving the service (PARTNER only): active, working in one of the service's gminy" })
  partnerId?: string;
  @Field(() => String, { nullable: true, description: 'Name of the gmina unit (GMINA_UNIT only)' }) unitName?: string;
}

@InputType()
export class FeeRuleInput {
  @Field(() => FeeKind) kind!: FeeKind;
  @Field(() => MoneyScalar, { nullable: true, description: 'Required for FIXED' }) amount?: string;
  @Field(() => String, { nullable: true }) unit?: string;
  @Field(() => String, { nullable: true, description: 'Required for INCOME_DEPENDENT: how the programme sets the fee' }) description?: string;
}

@InputType()
export class ServiceCapacityInput {
  @Field(() => Int, { nullable: true }) recipients?: number;
  @Field(() => String, { nullable: true }) note?: string;
}

@InputType({ description: "Weekly opening hours, optionally at one of the service's places" })
export class ServiceScheduleInput extends WeeklyHoursInput {
  @Field(() => ID, { nullable: true, description: "One of the service's places (locationIds)" }) locationId?: string;
  @Field(() => String, { nullable: true }) note?: string;
}

@InputType()
export class ServiceCreateInput {
  @Field(() => ID, { description: 'The CUS unit whose catalogue holds the service' }) cusUnitId!: string;
  @Field(() => [TerytCodeScalar], { nullable: true, description: 'Where residents can use it; default: every gmina the unit serves' }) gminy?: string[];
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true }) description?: string;
  @Field(() => ServiceArea) area!: ServiceArea;
  @Field(() => [TargetGroup], { description: 'At least one' }) targetGroups!: TargetGroup[];
  @Field(() => ServiceProviderInput) provider!: ServiceProviderInput;
  @Field(() => [ID], { defaultValue: [], description: 'Places (Location ids); at least one unless the service is online' }) locationIds!: string[];
  @Field(() => Boolean, { defaultValue: false }) online: boolean = false;
  @Field(() => String, { nullable: true, description: 'http(s) address of an online service' }) onlineUrl?: string;
  @Field(() => [ServiceScheduleInput], { defaultValue: [] }) schedules!: ServiceScheduleInput[];
  @Field(() => String, { nullable: true }) eligibility?: string;
  @Field(() => FeeRuleInput, { nullable: true, description: 'Default: free' }) fee?: FeeRuleInput;
  @Field(() => ServiceCapacityInput, { nullable: true }) capacity?: ServiceCapacityInput;
}

@InputType({ description: 'Only the fields given change; locationIds and schedules, when given, replace the lists; `version` must be the one last read' })
export class ServiceUpdateInput extends VersionedInput {
  @Field(() => [TerytCodeScalar], { nullable: true }) gminy?: string[];
  @Field(() => String, { nullable: true }) name?: string;
  @Field(() => String, { nullable: true }) description?: string;
  @Field(() => ServiceArea, { nullable: true }) area?: ServiceArea;
  @Field(() => [TargetGroup], { nullable: true }) targetGroups?: TargetGroup[];
  @Field(() => ServiceProviderInput, { nullable: true }) provider?: ServiceProviderInput;
  @Field(() => [ID], { nullable: true }) locationIds?: string[];
  @Field(() => Boolean, { nullable: true }) online?: boolean;
  @Field(() => String, { nullable: true }) onlineUrl?: string;
  @Field(() => [ServiceScheduleInput], { nullable: true }) schedules?: ServiceScheduleInput[];
  @Field(() => String, { nullable: true }) eligibility?: string;
  @Field(() => FeeRuleInput, { nullable: true }) fee?: FeeRuleInput;
  @Field(() => ServiceCapacityInput, { nullable: true }) capacity?: ServiceCapacityInput;
}

@InputType({ description: 'A status change of a service; `version` must be the one last read' })
export class ServiceStatusChangeInput extends VersionedInput {}

@ObjectType()
export class ServicePayload extends Payload(() => Service, 'service') {}

export const ServiceOrder = defineEnum('ServiceOrder', { NAME: 'By name (A-Z)', RECENT: 'Newest entries first' });
export type ServiceOrder = EnumValue<typeof ServiceOrder>;

@InputType({ description: 'All conditions given must hold; a list matches when any of its values does' })
export class ServiceFilter {
  @Field(() => TerytCodeScalar, { nullable: true, description: 'Available in this gmina' }) gmina?: string;
  @Field(() => [ServiceArea], { nullable: true }) areas?: ServiceArea[];
  @Field(() => [TargetGroup], { nullable: true, description: 'For any of these groups' }) targetGroups?: TargetGroup[];
  @Field(() => ProviderKind, { nullable: true }) providerKind?: ProviderKind;
  @Field(() => ID, { nullable: true, description: 'Given by this partner' }) partnerId?: string;
  @Field(() => ID, { nullable: true, description: 'Given at this place' }) locationId?: string;
  @Field(() => [ServiceStatus], { nullable: true }) statuses?: ServiceStatus[];
  @Field(() => Boolean, { nullable: true }) online?: boolean;
}
