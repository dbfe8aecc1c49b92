import { Arg, Ctx, Field, ID, InputType, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { publicSession } from '../../platform/database/public-session.js';
import { toGlobalId } from '../../platform/graphql/node.js';
import { LocalDateScalar } from '../../platform/graphql/scalars.js';
import { UserError } from '../../platform/graphql/user-error.js';
import { todayInPoland } from '../common/dates.js';
import { Survey, SurveyQuestion, SurveyQuestionKind, SurveyStatus } from './survey.entity.js';
import { looksLikeToken, respondToSurvey, type PublicSurveyContext } from './survey-respond.js';

/**
 * The public survey link's own small GraphQL schema (served at /public/graphql, see survey.routes.ts).
 * These types are deliberately separate from the staff ones: they carry what a respondent needs to
 * answer and nothing else (no unit, no counts, no results).
 */

@ObjectType({ description: 'A question as a respondent sees it' })
export class PublicSurveyQuestion {
  @Field(() => ID, { description: 'Name it in surveyRespond answers' }) id!: string;
  @Field(() => Int) position!: number;
  @Field(() => SurveyQuestionKind) kind!: SurveyQuestionKind;
  @Field(() => String) text!: string;
  @Field(() => [String], { description: 'Choice questions: the options; answers give their indexes from 0' }) options!: string[];
  @Field(() => Int, { nullable: true }) scaleMin!: number | null;
  @Field(() => Int, { nullable: true }) scaleMax!: number | null;
  @Field(() => Boolean) required!: boolean;
}

@ObjectType({ description: 'A published survey, as its public link shows it' })
export class PublicSurvey {
  @Field(() => String) title!: string;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => LocalDateScalar) opensOn!: string;
  @Field(() => LocalDateScalar) closesOn!: string;
  @Field(() => Boolean, { description: 'True between opensOn and closesOn (Polish calendar days)' }) acceptsResponses!: boolean;
  @Field(() => [PublicSurveyQuestion]) questions!: PublicSurveyQuestion[];
}

@InputType({ description: 'The answer to one question: `choices` for choice questions, `scale` for SCALE, `text` for FREE_TEXT' })
export class SurveyAnswerInput {
  @Field(() => ID) questionId!: string;
  @Field(() => [Int], { nullable: true, description: 'Indexes of the chosen options, from 0; exactly one for SINGLE_CHOICE' }) choices?: number[] | null;
  @Field(() => Int, { nullable: true }) scale?: number | null;
  @Field(() => String, { nullable: true, description: 'At most 2000 characters' }) text?: string | null;
}

@InputType()
export class SurveyRespondInput {
  @Field(() => String, { description: 'The token of the survey link' }) token!: string;
  @Field(() => [SurveyAnswerInput]) answers!: SurveyAnswerInput[];
}

@ObjectType()
export class SurveyRespondPayload {
  @Field(() => Boolean, { description: 'True when the response was stored (anonymously)' }) accepted!: boolean;
  @Field(() => [UserError]) userErrors!: UserError[];
}

export function toPublicQuestion(q: SurveyQuestion): PublicSurveyQuestion {
  return {
    id: toGlobalId('SurveyQuestion', q.id),
    position: q.position,
    kind: q.kind,
    text: q.text,
    options: q.options,
    scaleMin: q.scaleMin,
    scaleMax: q.scaleMax,
    required: q.required,
  };
}

@Resolver()
export class PublicSurveyResolver {
  @Query(() => PublicSurvey, { nullable: true, description: 'The survey behind a link; null when the link is unknown, not published or closed' })
  async survey(@Ctx() ctx: PublicSurveyContext, @Arg('token', () => String) token: string): Promise<PublicSurvey | null> {
    if (!looksLikeToken(token)) return null;
    // Row-level security shows the PUBLIC principal only the published survey whose token it names.
    return publicSession(ctx.orm, { surveyToken: token }, 'read', async (em) => {
      const survey = await em.findOne(Survey, { publicToken: token, status: SurveyStatus.PUBLISHED });
      if (!survey) return null;
      const questions = await em.find(SurveyQuestion, { surveyId: survey.id }, { orderBy: { position: 'asc' } });
      const today = todayInPoland();
      return {
        title: survey.title,
        description: survey.description,
        opensOn: survey.opensOn,
        closesOn: survey.closesOn,
        acceptsResponses: survey.opensOn <= today && today <= survey.closesOn,
        questions: questions.map(toPublicQuestion),
      };
    });
  }

  @Mutation(() => SurveyRespondPayload, { description: 'Stores one anonymous response: no account, address or time is kept with it' })
  surveyRespond(@Ctx() ctx: PublicSurveyContext, @Arg('input', () => SurveyRespondInput) input: SurveyRespondInput): Promise<SurveyRespondPayload> {
    return respondToSurvey(ctx, input);
  }
}
