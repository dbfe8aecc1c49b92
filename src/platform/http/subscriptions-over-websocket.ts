import { Kind, parse } from 'graphql';

/** Why a subscription sent over HTTP is refused. */
export const SUBSCRIPTIONS_OVER_HTTP = 'Subscriptions are served over WebSocket (graphql-ws) at this URL, not over HTTP';

/**
 * Subscriptions are served over WebSocket only. Sent over HTTP, graphql-js would run a subscription's
 * fields once, like a query's, with no event to resolve them from, and fail inside the resolver; and
 * its validation throws (a 500 from Apollo) on @skip/@include with a variable on a subscription's root
 * field. So a document with a subscription in it is refused (400) before Apollo sees it. Only a query
 * that mentions the word is parsed here.
 */
export function isSubscriptionOverHttp(method: string, body: unknown, search: URLSearchParams, maxTokens: number): boolean {
  const query =
    method === 'POST' ? (body && typeof body === 'object' && !Array.isArray(body) ? (body as { query?: unknown }).query : undefined) : search.get('query');
  if (typeof query !== 'string' || !/\bsubscription\b/.test(query)) return false;
  try {
    return parse(query, { maxTokens }).definitions.some((d) => d.kind === Kind.OPERATION_DEFINITION && d.operation === 'subscription');
  } catch {
    return false; // Apollo answers the syntax error
  }
}
