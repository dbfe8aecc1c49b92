import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import type { RequestContext } from '../graphql/context.js';
import type { Logger } from '../logger.js';
import type { Metrics } from './metrics.js';

type Answered = (log: Logger, operation: string | null, type: string, errors: readonly (GraphQLError | GraphQLFormattedError)[]) => void;

/**
 * Starts watching one operation; once answered, it is counted and timed (GET /metrics) and logged
 * in one line with its error codes (the logger already carries the request id, role and gminy).
 */
export function observeOperation(metrics: Metrics, transport: 'http' | 'ws'): Answered {
  const counted = metrics.operationStarted(transport);
  const started = performance.now();
  return (log, operation, type, errors) => {
    const codes = errors.map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
    counted(operation, type, codes);
    log.info('graphql operation', { operation, type, transport, ms: Math.round(performance.now() - started), errors: codes });
  };
}

/** The HTTP side: every operation Apollo answers, after the transaction plugin has settled its result. */
export function telemetryPlugin(metrics: Metrics): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      const answered = observeOperation(metrics, 'http');
      return {
        async willSendResponse({ operationName, operation, response, contextValue }) {
          const errors = response.body.kind === 'single' ? response.body.singleResult.errors ?? [] : [];
          answered(contextValue.log, operationName ?? null, operation?.operation ?? 'invalid', errors);
        },
      };
    },
  };
}
