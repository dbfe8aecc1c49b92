import type { MikroORM } from '@mikro-orm/postgresql';
import { SURVEY_MIN_RESPONSES_FLOOR } from '../../platform/config.js';

/**
 * SURVEY_MIN_RESPONSES of each running server, by the ORM its requests use (a test process runs
 * several servers with settings of their own). The survey routes register it when the server mounts
 * them (survey.routes.ts); a server that has not falls back to the floor, 5, which the database
 * holds anyway (survey_tally's policy), so forgetting it can only show less.
 */
const minResponses = new WeakMap<MikroORM, number>();

export function registerSurveySettings(orm: MikroORM, settings: { minResponses: number }): void {
  minResponses.set(orm, Math.max(SURVEY_MIN_RESPONSES_FLOOR, settings.minResponses));
}

/** The fewest answers a question needs before its figures are shown. */
export function surveyMinResponses(orm: MikroORM): number {
  return minResponses.get(orm) ?? SURVEY_MIN_RESPONSES_FLOOR;
}
