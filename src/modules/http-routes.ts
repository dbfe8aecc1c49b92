import type { RouteFactory } from '../platform/http/routes.js';

/** Every module's public HTTP endpoints (beside /graphql), started with the server. */
export const routeFactories: RouteFactory[] = [];
