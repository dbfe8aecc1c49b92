import type { RouteFactory } from '../platform/http/routes.js';
import { hsdsRoutes } from './hsds/hsds.routes.js';
import { publicSurveyRoutes } from './survey/survey.routes.js';
import { surveyPageRoutes } from './survey/survey-page.js';

/** Every module's public HTTP endpoints (beside /graphql), started with the server. */
export const routeFactories: RouteFactory[] = [publicSurveyRoutes(), surveyPageRoutes, hsdsRoutes];
