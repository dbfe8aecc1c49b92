import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestContext } from '../graphql/context.js';
import type { Metrics } from './metrics.js';

/**
 * Counts, times and logs every HTTP GraphQL operation: one log line with its name, type, duration
 * and error codes (the context's logger already carries the request id, role and gminy).
 */
export function metricsPlugin(metrics: Metrics): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      const answered = metrics.operationStarted('http');
      const started = performance.now();
      return {
        async willSendResponse({ operationName, operation, response, contextValue }) {
          const errors = response.body.kind === 'single' ? response.body.singleResult.errors ?? [] : [];
          const codes = errors.map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
          answered(operationName ?? null, operation?.operation ?? 'invalid', codes);
          contextValue.log.info('graphql operation', {
            operation: operationName ?? null, type: operation?.operation ?? 'invalid', ms: Math.round(performance.now() - started), errors: codes,
          });
        },
      };
    },
  };
}
