import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { LocalDateScalar } from '../../platform/graphql/scalars.js';
import { ServiceArea } from '../common/domain.enums.js';
import { Application, ApplicationChannel, ApplicationStatus, FiledBy } from './application.entity.js';
import { AssessmentPlace, NeedsAssessment } from './needs-assessment.entity.js';
import { Payload } from '../common/payload.js';

@InputType()
export class ApplicationFilter {
  @Field(() => ID, { nullable: true, description: 'Applications filed with this CUS unit' }) cusUnitId?: string | null;
  @Field(() => [ApplicationStatus], { nullable: true, description: 'Any of these statuses' }) statuses?: ApplicationStatus[] | null;
  @Field(() => ID, { nullable: true, description: "One resident's applications" }) residentId?: string | null;
  @Field(() => LocalDateScalar, { nullable: true, description: 'Filed on or after this day' }) filedFrom?: string | null;
  @Field(() => LocalDateScalar, { nullable: true, description: 'Filed on or before this day' }) filedTo?: string | null;
}

@InputType()
export class ApplicationFileInput {
  @Field(() => ID) residentId!: string;
  @Field(() => ID, { nullable: true, description: "A CUS unit serving the resident's gmina; default: the one unit of yours that serves it" })
  cusUnitId?: string | null;
  @Field(() => LocalDateScalar, { nullable: true, description: 'Not in the future; default: today (in Poland)' }) filedOn?: string | null;
  @Field(() => ApplicationChannel) channel!: ApplicationChannel;
  @Field(() => FiledBy) filedBy!: FiledBy;
  @Field(() => String, { nullable: true, description: 'Required unless filedBy is PERSON' }) filerName?: string | null;
  @Field(() => [ServiceArea], { defaultValue: [], description: 'Areas asked for; with requestedServiceIds and requestText, at least one' })
  requestedAreas!: ServiceArea[];
  @Field(() => [ID], { defaultValue: [], description: "Services asked for, from the unit's catalogue" }) requestedServiceIds!: string[];
  @Field(() => String, { nullable: true }) requestText?: string | null;
}

@InputType({ description: 'Only the fields given change (lists, when given, replace); only while the application is FILED' })
export class ApplicationUpdateInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) version!: number;
  @Field(() => LocalDateScalar, { nullable: true }) filedOn?: string | null;
  @Field(() => ApplicationChannel, { nullable: true }) channel?: ApplicationChannel | null;
  @Field(() => FiledBy, { nullable: true }) filedBy?: FiledBy | null;
  @Field(() => String, { nullable: true }) filerName?: string | null;
  @Field(() => [ServiceArea], { nullable: true }) requestedAreas?: ServiceArea[] | null;
  @Field(() => [ID], { nullable: true }) requestedServiceIds?: string[] | null;
  @Field(() => String, { nullable: true }) requestText?: string | null;
}

@InputType({ description: 'Qualify a FILED application for services; no administrative decision is issued' })
export class ApplicationQualifyInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) version!: number;
  @Field(() => LocalDateScalar, { nullable: true, description: 'Default: today (in Poland)' }) decidedOn?: string | null;
}

@InputType({ description: 'Refuse a FILED application: an administrative decision, so its number, date and reason are required' })
export class ApplicationRefuseInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) version!: number;
  @Field(() => String, { nullable: true, description: 'Required' }) decisionNumber?: string | null;
  @Field(() => LocalDateScalar, { nullable: true, description: 'Required; not before the application was filed' }) decisionDate?: string | null;
  @Field(() => String, { nullable: true, description: 'Required' }) reason?: string | null;
  @Field(() => String, { nullable: true, description: 'Required: the statutory provisions it rests on, e.g. "art. 104 § 1 KPA; art. 5 ust. 1 ustawy o CUS"' })
  legalBasis?: string | null;
  @Field(() => String, { nullable: true, description: 'Required: the facts found and the evidence relied on' }) factualReasoning?: string | null;
  @Field(() => String, { nullable: true, description: 'Required: the provisions applied and why they lead to refusal' }) legalReasoning?: string | null;
  @Field(() => String, { nullable: true, description: 'Required: the appeals board, in the genitive: "Samorządowego Kolegium Odwoławczego w Warszawie"' })
  appealBody?: string | null;
  @Field(() => String, { nullable: true, description: 'Required: who signs the decision, by name' }) signatoryName?: string | null;
  @Field(() => String, { nullable: true, description: "Required: the signatory's position, e.g. Dyrektor CUS" }) signatoryPosition?: string | null;
}

@InputType({ description: 'Record the day a refusal decision was delivered to the applicant: the 14 days for an appeal run from it' })
export class ApplicationDecisionDeliveredInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) version!: number;
  @Field(() => LocalDateScalar, { nullable: true, description: 'Required; not before the decision, not in the future; recorded once' })
  deliveredOn?: string | null;
}

@InputType({ description: "Forward a FILED application, with the applicant's consent, to the social-assistance team or another gmina unit" })
export class ApplicationForwardInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) version!: number;
  @Field(() => String, { nullable: true, description: 'Required: the team or gmina unit, by name' }) forwardedTo?: string | null;
  @Field(() => LocalDateScalar, { nullable: true, description: 'Required: the day the applicant consented' }) consentOn?: string | null;
  @Field(() => String, { nullable: true, description: 'Required: how the consent was given, e.g. "pisemnie"' }) consentHow?: string | null;
  @Field(() => LocalDateScalar, { nullable: true, description: 'Default: today (in Poland)' }) decidedOn?: string | null;
}

@ObjectType()
export class ApplicationPayload extends Payload(() => Application, 'application') {}

@InputType()
export class AssessedNeedInput {
  @Field(() => ServiceArea) area!: ServiceArea;
  @Field(() => String) description!: string;
}

@InputType()
export class NeedsAssessmentRecordInput {
  @Field(() => ID) applicationId!: string;
  @Field(() => LocalDateScalar, { description: 'Not before the application was filed, not in the future' }) conversationOn!: string;
  @Field(() => AssessmentPlace) place!: AssessmentPlace;
  @Field(() => String, { nullable: true, description: 'Required for OTHER' }) placeNote?: string | null;
  @Field(() => String, { nullable: true, description: 'Default: your user id' }) coordinatorName?: string | null;
  @Field(() => String, { nullable: true }) notes?: string | null;
  @Field(() => [AssessedNeedInput], { description: 'At least one' }) needs!: AssessedNeedInput[];
}

@InputType({ description: 'Only the fields given change; needs, when given, replace the list; `version` must be the one last read' })
export class NeedsAssessmentUpdateInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) version!: number;
  @Field(() => LocalDateScalar, { nullable: true }) conversationOn?: string | null;
  @Field(() => AssessmentPlace, { nullable: true }) place?: AssessmentPlace | null;
  @Field(() => String, { nullable: true }) placeNote?: string | null;
  @Field(() => String, { nullable: true }) coordinatorName?: string | null;
  @Field(() => String, { nullable: true }) notes?: string | null;
  @Field(() => [AssessedNeedInput], { nullable: true }) needs?: AssessedNeedInput[] | null;
}

@ObjectType()
export class NeedsAssessmentPayload extends Payload(() => NeedsAssessment, 'needsAssessment') {}
