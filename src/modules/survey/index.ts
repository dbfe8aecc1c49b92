import { Survey, SurveyQuestion } from './survey.entity.js';
import { SurveyResolver } from './survey.resolver.js';

/** The survey module's MikroORM entities and type-graphql resolvers, collected by src/modules/entities.ts and resolvers.ts. */
export const surveyEntities: Function[] = [Survey, SurveyQuestion];
export const surveyResolvers: Function[] = [SurveyResolver];
