import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import type { RequestContext } from '../graphql/context.js';
import type { Logger } from '../logger.js';
import type { Metrics } from './metrics.js';
import { idToTerc, type Principal } from '../auth/principal.js';
import { startOperationSpan } from '../tracing.js';

type Answered = (
  log: Logger,
  principal: Principal | undefined,
  operation: string | null,
  type: string,
  errors: readonly (GraphQLError | GraphQLFormattedError)[],
) => void;

/**
 * Starts watching one operation; once answered, it is counted and timed (GET /metrics), logged in
 * one line with its error codes (the logger already carries the request id, role and gminy), and
 * its trace span ended (when tracing is on).
 */
export function observeOperation(metrics: Metrics, transport: 'http' | 'ws'): Answered {
  const counted = metrics.operationStarted(transport);
  const span = startOperationSpan(transport);
  const started = performance.now();
  return (log, principal, operation, type, errors) => {
    const codes = errors.map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
    counted(operation, type, codes);
    span.end(operation, type, codes, { 'cus.role': principal?.role ?? '', 'cus.gminy': principal?.gminy.map(idToTerc) ?? [] });
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
          const errors = response.body.kind === 'single' ? (response.body.singleResult.errors ?? []) : [];
          answered(contextValue.log, contextValue.principal, operationName ?? null, operation?.operation ?? 'invalid', errors);
        },
      };
    },
  };
}
