import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestContext } from '../graphql/context.js';
import type { Metrics } from './metrics.js';

/** Counts and times every HTTP GraphQL operation, with the codes of the errors it answered with. */
export function metricsPlugin(metrics: Metrics): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      const answered = metrics.operationStarted('http');
      return {
        async willSendResponse({ operationName, operation, response }) {
          const errors = response.body.kind === 'single' ? response.body.singleResult.errors ?? [] : [];
          answered(operationName ?? null, operation?.operation ?? 'invalid', errors.map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR')));
        },
      };
    },
  };
}
