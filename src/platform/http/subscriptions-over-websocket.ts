import { GraphQLError, type ValidationRule } from 'graphql';

/**
 * Subscriptions are served over WebSocket (graphql-ws, same URL) only. Sent over HTTP, graphql-js
 * would run a subscription's fields once, like a query's, with no event to resolve them from, and
 * fail inside the resolver. This validation rule, given to the HTTP side alone, refuses such a
 * document as the client's mistake (400) before any transaction begins.
 */
export const noSubscriptionsOverHttp: ValidationRule = (context) => ({
  OperationDefinition(operation) {
    if (operation.operation !== 'subscription') return;
    context.reportError(new GraphQLError('Subscriptions are served over WebSocket (graphql-ws) at this URL, not over HTTP', { nodes: operation }));
  },
});
