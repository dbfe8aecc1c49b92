import { Arg, Args, Authorized, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import type { FilterQuery } from '@mikro-orm/core';
import { Connection, findPage, PageArgs, toConnection } from '../../platform/graphql/connection.js';
import { declareMutations } from '../common/mutation-table.js';
import { declareNodeLookup } from '../common/node-lookup.js';
import type { RequestContext } from '../../platform/graphql/context.js';
import { isUuid, registerNodeType, uuidFromGlobalId } from '../../platform/graphql/node.js';
import { CUS_STAFF, Role } from '../../platform/auth/roles.js';
import { CusUnit } from '../cus-unit/cus-unit.entity.js';
import { cusUnitById } from '../cus-unit/cus-unit.loader.js';
import { Gmina } from '../gmina/gmina.entity.js';
import { loadGminy } from '../gmina/gmina.loader.js';
import { Diagnosis } from '../diagnosis/diagnosis.entity.js';
import { diagnosisById } from '../diagnosis/diagnosis.loader.js';
import { Survey, SurveyQuestion } from './survey.entity.js';
import { QuestionResult, SurveyCreateInput, SurveyFilter, SurveyPayload, SurveyStatusInput, SurveyUpdateInput } from './survey.inputs.js';
import { questionsOfSurvey, responseCountOfSurvey, surveyById, surveyQuestionById, surveyResults } from './survey.loader.js';
import { closeSurvey, createSurvey, publishSurvey, updateSurvey } from './survey.service.js';

registerNodeType('SurveyQuestion', async (ctx, key) => (isUuid(key) ? surveyQuestionById(ctx).load(key) : null));

/** Who runs surveys: the director, the services organiser and the community organiser (as for the diagnosis). */
export const SURVEY_MANAGERS = [Role.DIRECTOR, Role.SERVICES_ORGANISER, Role.COMMUNITY_ORGANISER];
/** Who reads surveys and their aggregate results: staff and officials of the gminy each survey concerns. */
export const SURVEY_READERS = [...CUS_STAFF, Role.GMINA_OFFICIAL];

const SurveyConnection = Connection(Survey);

@Resolver(() => Survey)
export class SurveyResolver {
  @Authorized(...SURVEY_READERS)
  @Query(() => SurveyConnection, { description: "Surveys in the principal's gminy, the latest opening first" })
  async surveys(
    @Ctx() ctx: RequestContext,
    @Args(() => PageArgs) page: PageArgs,
    @Arg('filter', () => SurveyFilter, { nullable: true }) filter?: SurveyFilter,
  ) {
    const where: FilterQuery<Survey> = {};
    if (filter?.cusUnitId) where.cusUnitId = uuidFromGlobalId(filter.cusUnitId, 'CusUnit', 'filter.cusUnitId');
    if (filter?.status) where.status = filter.status;
    return toConnection(SurveyConnection, await findPage(ctx.em, Survey, where, [{ opensOn: 'desc' }, { id: 'desc' }], page));
  }

  @FieldResolver(() => CusUnit)
  async cusUnit(@Root() survey: Survey, @Ctx() ctx: RequestContext): Promise<CusUnit> {
    return (await cusUnitById(ctx).load(survey.cusUnitId)) as CusUnit;
  }

  @FieldResolver(() => [Gmina], { description: 'The gminy the survey concerns: their staff and officials read it and its results' })
  gminy(@Root() survey: Survey, @Ctx() ctx: RequestContext): Promise<Gmina[]> {
    return loadGminy(ctx, survey.gminaIds);
  }

  @FieldResolver(() => Diagnosis, { nullable: true, description: 'The diagnosis of needs the survey serves' })
  diagnosis(@Root() survey: Survey, @Ctx() ctx: RequestContext): Promise<Diagnosis | null> | null {
    return survey.diagnosisId ? diagnosisById(ctx).load(survey.diagnosisId) : null;
  }

  @FieldResolver(() => [SurveyQuestion], { description: 'In order' })
  questions(@Root() survey: Survey, @Ctx() ctx: RequestContext): Promise<SurveyQuestion[]> {
    return questionsOfSurvey(ctx).load(survey.id);
  }

  @FieldResolver(() => Int, { description: 'Responses received through the public link' })
  responseCount(@Root() survey: Survey, @Ctx() ctx: RequestContext): Promise<number> {
    return responseCountOfSurvey(ctx).load(survey.id);
  }

  @FieldResolver(() => [QuestionResult], {
    description:
      "Aggregates per question, in question order; never one person's answers. Figures are shown once the survey is CLOSED, for questions at least SURVEY_MIN_RESPONSES (5 or more) answered; otherwise `withheld` says why",
  })
  results(@Root() survey: Survey, @Ctx() ctx: RequestContext): Promise<QuestionResult[]> {
    return surveyResults(ctx).load(survey.id);
  }
}

declareNodeLookup(SurveyResolver, 'survey', { type: Survey, roles: SURVEY_READERS, byId: surveyById });

declareMutations(SurveyResolver, SURVEY_MANAGERS, SurveyPayload, {
  surveyCreate: { description: 'A new survey (DRAFT) with its questions and its public link', input: SurveyCreateInput, run: createSurvey },
  surveyUpdate: { input: SurveyUpdateInput, run: updateSurvey },
  surveyPublish: {
    description: 'DRAFT -> PUBLISHED: the public link takes responses between opensOn and closesOn',
    input: SurveyStatusInput,
    run: publishSurvey,
  },
  surveyClose: { description: 'Retires the survey (CLOSED): the link takes no more responses; results stay', input: SurveyStatusInput, run: closeSurvey },
});
