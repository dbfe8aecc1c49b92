import 'reflect-metadata';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { buildSchema } from 'type-graphql';
import { formatErrorFor } from '../../platform/graphql/errors.js';
import { executeWithApollo, readJsonBody, sendApolloResponse } from '../../platform/http/apollo-bridge.js';
import { sendGraphQLError } from '../../platform/http/graphql-errors.js';
import { unacceptableRequest } from '../../platform/http/negotiation.js';
import { limitRule } from '../../platform/graphql/limits.js';
import { limitTextInputs } from '../../platform/graphql/text-limits.js';
import { introspectionOffRule } from '../../platform/graphql/introspection.js';
import type { HttpRoute, RouteFactory } from '../../platform/http/routes.js';
import { PublicSurveyResolver } from './survey-public.js';
import { AddressRateLimiter, EXPIRE_EVERY_MS, expireLinkCounts } from './survey-rate-limit.js';
import { clientAddressOf } from '../../platform/http/client-address.js';
import type { PublicSurveyContext } from './survey-respond.js';

/** The public survey endpoint: no token, its own schema, nothing of the staff API reachable. */
export const PUBLIC_GRAPHQL_PATH = '/public/graphql';
/** Responses one client address may send through one link per sliding hour. */
export const RESPONSES_PER_ADDRESS_PER_HOUR = 20;
/** 100 questions with 2000-character answers fit; anything bigger is not a survey response. */
const MAX_BODY_BYTES = 512_000;

export interface PublicSurveyLimits {
  /** Per link and clock hour, across instances; defaults to config.surveyResponsesPerHour. */
  responsesPerHour?: number;
  /** Per client address and link, per sliding hour, in this process. */
  responsesPerAddressPerHour?: number;
}

/**
 * Serves `/public/graphql` (GET and POST) with a schema built from PublicSurveyResolver alone, on its
 * own Apollo server, so an anonymous caller can reach the survey link operations and nothing else.
 * CSRF prevention is on (a browser form cannot post to it cross-site), and so are the operation limits.
 * Response limits are injectable for tests.
 */
export function publicSurveyRoutes(limits: PublicSurveyLimits = {}): RouteFactory {
  return async ({ config, orm, log }) => {
    // Text inputs are bounded and NUL-free here as on /graphql (a NUL in an answer was an internal error).
    const schema = limitTextInputs(
      await buildSchema({
        resolvers: [PublicSurveyResolver],
        // Nothing here is @Authorized; should a shared type ever carry a role gate, the public side is refused.
        authChecker: () => false,
        validate: false,
        emitSchemaFile: false,
      }),
    );
    const apollo = new ApolloServer<PublicSurveyContext>({
      schema,
      formatError: formatErrorFor(log),
      includeStacktraceInErrorResponses: false,
      csrfPrevention: true,
      // The same operation limits and introspection setting as /graphql: anyone can reach this endpoint.
      validationRules: [limitRule(config.limits), ...(config.introspection ? [] : [introspectionOffRule])],
      parseOptions: { maxTokens: config.limits.maxTokens },
      introspection: true,
      // The process's shutdown (src/main.ts) stops it; its own signal handler would exit mid-drain.
      stopOnTerminationSignals: false,
      plugins: [ApolloServerPluginLandingPageDisabled()],
    });
    await apollo.start();
    // Flood counts of hours gone by tell when people answered: every server erases them.
    const expire = () =>
      expireLinkCounts(orm.em.fork()).catch((error) => log.warn('survey flood counts: could not erase past hours', { error: (error as Error).message }));
    const expiry = setInterval(() => void expire(), EXPIRE_EVERY_MS);
    expiry.unref();
    await expire();
    const addressLimiter = new AddressRateLimiter(limits.responsesPerAddressPerHour ?? RESPONSES_PER_ADDRESS_PER_HOUR);
    const responsesPerHour = limits.responsesPerHour ?? config.surveyResponsesPerHour;

    const route: HttpRoute = {
      match: (_method, pathname) => (pathname === PUBLIC_GRAPHQL_PATH ? {} : null),
      async handle({ req, res, url }) {
        const unacceptable = unacceptableRequest(req);
        if (unacceptable) return sendGraphQLError(res, unacceptable.status, unacceptable.message, unacceptable.code);
        const read = await readJsonBody(req, res, MAX_BODY_BYTES);
        if (!read) return;
        const context: PublicSurveyContext = {
          orm,
          addressLimiter,
          responsesPerHour,
          clientAddress: clientAddressOf(req, config.trustProxy),
          refusal: { retryAfter: null },
        };
        const result = await executeWithApollo(apollo, req, url, read.body, async () => context);
        if (result.status === 429 && context.refusal.retryAfter !== null) res.setHeader('retry-after', String(context.refusal.retryAfter));
        return sendApolloResponse(res, result);
      },
    };
    return {
      routes: [route],
      async close() {
        clearInterval(expiry);
        addressLimiter.stop();
        await apollo.stop();
      },
    };
  };
}
