import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { LocalDateScalar, TerytCodeScalar } from '../../platform/graphql/scalars.js';
import { Consultation, ConsultationChannel } from './consultation.entity.js';
import { ConsultationSubmission } from './consultation-submission.entity.js';
import { Payload } from '../common/payload.js';
import { VersionedInput } from '../common/versioned-input.js';

@InputType()
export class ConsultationFilter {
  @Field(() => TerytCodeScalar, { nullable: true, description: 'Consultations that concern this gmina' }) gmina?: string;
  @Field(() => Boolean, { nullable: true, description: 'true: taking submissions today (in Poland); false: all others' }) open?: boolean;
}

const GMINY_OF_DRAFT =
  'The gminy the consultation concerns; their staff, officials and partners see it. Default: the gminy of the draft consulted. Each must be one of them, and one at least of your own';

@InputType({ description: 'Exactly one of diagnosisId and programmeId names the draft consulted' })
export class ConsultationOpenInput {
  @Field(() => ID, { nullable: true, description: 'A diagnosis in progress' }) diagnosisId?: string | null;
  @Field(() => ID, { nullable: true, description: 'A programme in DRAFT or IN_CONSULTATION' }) programmeId?: string | null;
  @Field(() => String) title!: string;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => LocalDateScalar) startsOn!: string;
  @Field(() => LocalDateScalar) endsOn!: string;
  @Field(() => [ConsultationChannel]) channels!: ConsultationChannel[];
  @Field(() => [TerytCodeScalar], { nullable: true, description: GMINY_OF_DRAFT }) gminy?: string[] | null;
}

@InputType({ description: 'Only the fields given change; `version` must be the one last read' })
export class ConsultationUpdateInput extends VersionedInput {
  @Field(() => String, { nullable: true }) title?: string;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => LocalDateScalar, { nullable: true }) startsOn?: string;
  @Field(() => LocalDateScalar, { nullable: true }) endsOn?: string;
  @Field(() => [ConsultationChannel], { nullable: true }) channels?: ConsultationChannel[];
  @Field(() => [TerytCodeScalar], {
    nullable: true,
    description: "Replaces the gminy the consultation concerns (each one of the draft's, one at least of your own)",
  })
  gminy?: string[] | null;
}

@InputType()
export class ConsultationCancelInput {
  @Field(() => ID) id!: string;
}

@ObjectType()
export class ConsultationPayload extends Payload(() => Consultation, 'consultation') {}

@InputType()
export class ConsultationSubmitInput {
  @Field(() => ID) consultationId!: string;
  @Field(() => String) text!: string;
  @Field(() => ConsultationChannel, { description: "One of the consultation's channels" }) channel!: ConsultationChannel;
  @Field(() => LocalDateScalar, {
    nullable: true,
    description: 'Defaults to today in Poland; only CUS staff recording a PAPER or EMAIL submission may give an earlier date',
  })
  receivedOn?: string | null;
  @Field(() => String, { nullable: true }) authorName?: string | null;
}

@InputType()
export class ConsultationAnswerInput {
  @Field(() => ID) submissionId!: string;
  @Field(() => String) response!: string;
}

@ObjectType()
export class ConsultationSubmissionPayload extends Payload(() => ConsultationSubmission, 'consultationSubmission') {}
