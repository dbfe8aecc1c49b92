import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { defineEnum, type EnumValue } from '../common/graphql-enum.js';
import { VersionedInput } from '../common/versioned-input.js';
import { LocalDateScalar, TerytCodeScalar } from '../../platform/graphql/scalars.js';
import { GMINY_INPUT, GMINY_UPDATE } from '../common/document-gminy.js';
import { Survey, SurveyQuestion, SurveyQuestionKind, SurveyStatus } from './survey.entity.js';
import { Payload } from '../common/payload.js';

@InputType()
export class SurveyQuestionInput {
  @Field(() => SurveyQuestionKind) kind!: SurveyQuestionKind;
  @Field(() => String) text!: string;
  @Field(() => [String], { nullable: true, description: 'Choice kinds only: two or more distinct options' }) options?: string[];
  @Field(() => Int, { nullable: true, description: 'SCALE only' }) scaleMin?: number;
  @Field(() => Int, { nullable: true, description: 'SCALE only; above scaleMin, at most 11 points in all' }) scaleMax?: number;
  @Field(() => Boolean, { defaultValue: true }) required: boolean = true;
}

@InputType()
export class SurveyCreateInput {
  @Field(() => ID) cusUnitId!: string;
  @Field(() => String) title!: string;
  @Field(() => String, { nullable: true }) description?: string;
  @Field(() => LocalDateScalar) opensOn!: string;
  @Field(() => LocalDateScalar) closesOn!: string;
  @Field(() => ID, { nullable: true, description: 'The diagnosis of needs the survey serves (same unit)' }) diagnosisId?: string;
  @Field(() => [SurveyQuestionInput]) questions!: SurveyQuestionInput[];
  @Field(() => [TerytCodeScalar], { nullable: true, description: GMINY_INPUT }) gminy?: string[] | null;
}

@InputType({ description: 'Only the fields given change; questions only while the survey is a DRAFT' })
export class SurveyUpdateInput extends VersionedInput {
  @Field(() => String, { nullable: true }) title?: string;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => LocalDateScalar, { nullable: true }) opensOn?: string;
  @Field(() => LocalDateScalar, { nullable: true }) closesOn?: string;
  @Field(() => ID, { nullable: true, description: 'null detaches the survey from its diagnosis' }) diagnosisId?: string | null;
  @Field(() => [SurveyQuestionInput], { nullable: true, description: 'Replaces all questions (DRAFT only)' }) questions?: SurveyQuestionInput[];
  @Field(() => [TerytCodeScalar], { nullable: true, description: GMINY_UPDATE }) gminy?: string[] | null;
}

@InputType({ description: 'A status change of a survey' })
export class SurveyStatusInput extends VersionedInput {}

@InputType()
export class SurveyFilter {
  @Field(() => ID, { nullable: true }) cusUnitId?: string;
  @Field(() => SurveyStatus, { nullable: true }) status?: SurveyStatus;
}

@ObjectType()
export class SurveyPayload extends Payload(() => Survey, 'survey') {}

@ObjectType({ description: 'How often one option of a choice question was chosen' })
export class OptionResult {
  @Field(() => Int, { description: 'Index of the option, from 0' }) index!: number;
  @Field(() => String) option!: string;
  @Field(() => Int) count!: number;
  @Field(() => Float, { description: 'count / answered, 0..1, rounded to 4 places (multiple choice shares can add up to more than 1)' }) share!: number;
}

@ObjectType({ description: 'How often one value of a scale question was given' })
export class ScaleValueResult {
  @Field(() => Int) value!: number;
  @Field(() => Int) count!: number;
  @Field(() => Float, { description: 'count / answered, 0..1, rounded to 4 places' }) share!: number;
}

export const ResultWithheld = defineEnum('ResultWithheld', 'Why the figures of a question are not shown', {
  SURVEY_NOT_CLOSED: "Results are shown once the survey is closed: figures that moved with each response would tell one person's answers",
  TOO_FEW_ANSWERS: 'Fewer answered the question than SURVEY_MIN_RESPONSES (at least 5)',
});
export type ResultWithheld = EnumValue<typeof ResultWithheld>;

@ObjectType({
  description:
    'The aggregate answers to one question; never what one person answered. Shown once the survey is closed and enough people answered the question (see withheld)',
})
export class QuestionResult {
  @Field(() => SurveyQuestion) question!: SurveyQuestion;
  @Field(() => ResultWithheld, { nullable: true, description: 'Why the figures below are null; null when they are shown' }) withheld!: ResultWithheld | null;
  @Field(() => Int, { nullable: true, description: 'Responses that answered this question (null while withheld)' }) answered!: number | null;
  @Field(() => [OptionResult], { nullable: true, description: 'Choice questions: every option, in order' }) options!: OptionResult[] | null;
  @Field(() => [ScaleValueResult], { nullable: true, description: 'SCALE: every value from scaleMin to scaleMax' }) distribution!: ScaleValueResult[] | null;
  @Field(() => Float, { nullable: true, description: 'SCALE: mean of the values given, rounded to 4 places' }) mean!: number | null;
  @Field(() => Float, { nullable: true, description: 'SCALE: median of the values given' }) median!: number | null;
  @Field(() => [String], { nullable: true, description: 'FREE_TEXT: the texts sorted alphabetically, unlinked to anything else' }) texts!: string[] | null;
}
