import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { LocalDateScalar } from '../../platform/graphql/scalars.js';
import { Payload } from '../common/payload.js';
import { Weekday } from '../common/domain.enums.js';
import { LocalTimeScalar } from '../common/weekly-hours.js';
import { CoordinatedHelpSystem } from './coordinated-help.entity.js';
import { Ipus } from './ipus.entity.js';
import { AgreementHow, GoalOutcome, IpusStatus, PlaceKind, ProviderKind, QuantityUnit, SupportGiver, TerminationReason } from './ipus.enums.js';

@InputType()
export class IpusFilter {
  @Field(() => ID, { nullable: true }) cusUnitId?: string | null;
  @Field(() => ID, { nullable: true }) residentId?: string | null;
  @Field(() => [IpusStatus], { nullable: true, description: 'Any of these statuses' }) statuses?: IpusStatus[] | null;
  @Field(() => Boolean, { nullable: true, description: 'Only plans you coordinate' }) mine?: boolean | null;
}

@InputType({ description: 'A goal; give the id of an existing goal to keep it (and its id)' })
export class IpusGoalInput {
  @Field(() => ID, { nullable: true }) id?: string | null;
  @Field(() => String) description!: string;
}

/** Help from outside the catalogue is not laid out as visits, so it has no holidays to keep: only its days and hours. */
@InputType({ description: 'Days and hours of help from outside the catalogue, e.g. Mondays 08:00-09:00' })
export class HelpWeeklyInput {
  @Field(() => [Weekday]) weekdays!: Weekday[];
  @Field(() => LocalTimeScalar) startsAt!: string;
  @Field(() => LocalTimeScalar) endsAt!: string;
}

/** An item's visits are laid out on its days and hours, and may keep holidays. */
@InputType({ description: 'Weekly recurrence of an item, e.g. Tuesdays and Thursdays 10:00-12:00' })
export class ItemWeeklyInput extends HelpWeeklyInput {
  @Field(() => Boolean, {
    defaultValue: false,
    description: 'Visits go on on public holidays and days the gmina closes (24-hour care); by default they are skipped',
  })
  keepsHolidays!: boolean;
}

@InputType({ description: 'A service of the plan; give the id of an existing item to keep it (and its id). Either weekly or sessionCount' })
export class IpusItemInput {
  @Field(() => ID, { nullable: true }) id?: string | null;
  @Field(() => Int, { nullable: true, description: 'The goal it serves: its number (1, 2...) in the goals list' }) goal?: number | null;
  @Field(() => ID, { description: 'A service of the catalogue, active and in force under an adopted programme' }) serviceId!: string;
  @Field(() => ProviderKind, { defaultValue: ProviderKind.CUS }) provider!: ProviderKind;
  @Field(() => ID, { nullable: true, description: 'Required when provider is PARTNER' }) partnerId?: string | null;
  @Field(() => ID, {
    nullable: true,
    description:
      "A PARTNER item falls under an ACTIVE commission of that partner covering the service and the item's dates, with capacity left: name it, or one is chosen",
  })
  commissionId?: string | null;
  @Field(() => String, { nullable: true, description: 'Required when provider is GMINA_UNIT' }) providerUnitName?: string | null;
  @Field(() => PlaceKind) place!: PlaceKind;
  @Field(() => ID, { nullable: true, description: 'Required when place is LOCATION' }) locationId?: string | null;
  @Field(() => ItemWeeklyInput, { nullable: true }) weekly?: ItemWeeklyInput | null;
  @Field(() => Int, { nullable: true }) sessionCount?: number | null;
  @Field(() => LocalDateScalar, { description: 'Within the plan period' }) startOn!: string;
  @Field(() => LocalDateScalar, { description: 'Within the plan period' }) endOn!: string;
  @Field(() => Float) quantity!: number;
  @Field(() => QuantityUnit) quantityUnit!: QuantityUnit;
  @Field(() => String, { nullable: true }) note?: string | null;
}

@InputType({ description: 'A supporting action: free of charge, given by a volunteer, a neighbour, a self-help group...' })
export class IpusSupportingActionInput {
  @Field(() => String) description!: string;
  @Field(() => SupportGiver) giverKind!: SupportGiver;
  @Field(() => String, { nullable: true }) giverName?: string | null;
  @Field(() => String, { nullable: true }) schedule?: string | null;
}

@InputType({ description: 'Help from outside the catalogue (health fund, social assistance, a school...): a schedule as free text or weekly, optional dates' })
export class IpusCoordinatedHelpInput {
  @Field(() => CoordinatedHelpSystem) system!: CoordinatedHelpSystem;
  @Field(() => String, { description: 'Who gives it' }) providerName!: string;
  @Field(() => String, { description: 'What is given' }) description!: string;
  @Field(() => String, { nullable: true, description: 'When, as free text' }) schedule?: string | null;
  @Field(() => HelpWeeklyInput, { nullable: true, description: 'Or weekly: days and hours' }) weekly?: HelpWeeklyInput | null;
  @Field(() => LocalDateScalar, { nullable: true }) startOn?: string | null;
  @Field(() => LocalDateScalar, { nullable: true, description: 'Not before startOn' }) endOn?: string | null;
}

@InputType()
export class IpusCreateInput {
  @Field(() => ID, { description: 'A QUALIFIED application; the plan is for its resident' }) applicationId!: string;
  @Field(() => LocalDateScalar, { description: 'The plan covers at least 3 and at most 12 months' }) periodStart!: string;
  @Field(() => LocalDateScalar) periodEnd!: string;
  @Field(() => LocalDateScalar, { nullable: true, description: 'Default: today. More than 30 days after the application records a warning' }) preparedOn?:
    string | null;
  @Field(() => String, { nullable: true, description: 'Default: your user id' }) coordinatorName?: string | null;
  @Field(() => [IpusGoalInput], { defaultValue: [] }) goals!: IpusGoalInput[];
  @Field(() => [IpusItemInput], { defaultValue: [] }) items!: IpusItemInput[];
  @Field(() => [IpusSupportingActionInput], { defaultValue: [] }) supportingActions!: IpusSupportingActionInput[];
  @Field(() => [IpusCoordinatedHelpInput], { defaultValue: [], description: 'Help from outside the catalogue' }) coordinatedHelp!: IpusCoordinatedHelpInput[];
}

@InputType({ description: 'The plan and the revision you last read (optimistic locking)' })
export class IpusRevisionInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) revision!: number;
}

@InputType({ description: 'Edits a DRAFT or updates an ACTIVE plan; only the fields given change; lists, when given, replace' })
export class IpusUpdateInput extends IpusRevisionInput {
  @Field(() => LocalDateScalar, { nullable: true }) periodStart?: string | null;
  @Field(() => LocalDateScalar, { nullable: true }) periodEnd?: string | null;
  @Field(() => String, { nullable: true }) coordinatorName?: string | null;
  @Field(() => [IpusGoalInput], { nullable: true }) goals?: IpusGoalInput[] | null;
  @Field(() => [IpusItemInput], { nullable: true }) items?: IpusItemInput[] | null;
  @Field(() => [IpusSupportingActionInput], { nullable: true }) supportingActions?: IpusSupportingActionInput[] | null;
  @Field(() => [IpusCoordinatedHelpInput], { nullable: true, description: 'Help from outside the catalogue; replaces the list' }) coordinatedHelp?:
    IpusCoordinatedHelpInput[] | null;
}

@InputType({ description: 'A material change of an ACTIVE plan, as ipusUpdate takes it, with its reason' })
export class IpusChangeProposeInput extends IpusUpdateInput {
  @Field(() => String, { description: 'Why the plan should change' }) reason!: string;
}

@InputType()
export class IpusReturnInput extends IpusRevisionInput {
  @Field(() => String, { description: 'What the coordinator should change' }) reason!: string;
}

@InputType()
export class IpusActivateInput extends IpusRevisionInput {
  @Field(() => LocalDateScalar, { description: 'When the resident agreed; not before approval, not in the future' }) agreedOn!: string;
  @Field(() => AgreementHow) agreementHow!: AgreementHow;
}

@InputType()
export class IpusNoteInput extends IpusRevisionInput {
  @Field(() => String) note!: string;
  @Field(() => LocalDateScalar, { nullable: true, description: 'Default: today' }) notedOn?: string | null;
  @Field(() => String, { nullable: true, description: 'Default: your user id' }) authorName?: string | null;
}

@InputType()
export class GoalClosingInput {
  @Field(() => ID) goalId!: string;
  @Field(() => GoalOutcome) outcome!: GoalOutcome;
  @Field(() => String) summary!: string;
}

@InputType()
export class IpusCompleteInput extends IpusRevisionInput {
  @Field(() => LocalDateScalar, { description: 'The closing conversation with the resident' }) closingConversationOn!: string;
  @Field(() => [GoalClosingInput], { description: 'One for every goal of the plan' }) goals!: GoalClosingInput[];
}

@InputType()
export class IpusTerminateInput extends IpusRevisionInput {
  @Field(() => TerminationReason, { description: 'Why, coded for statistics' }) reasonCode!: TerminationReason;
  @Field(() => String, { nullable: true, description: 'Why, in words: required for OTHER, optional otherwise' }) reason?: string | null;
}

@ObjectType()
export class IpusPayload extends Payload(() => Ipus, 'ipus') {
  @Field(() => [String], { description: 'Noted but not refused, e.g. a plan prepared more than 30 days after the application' }) warnings!: string[];
}
