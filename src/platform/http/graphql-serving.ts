import type { GraphQLSchema, ValidationRule } from 'graphql';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { TokenDoor } from '../auth/token-door.js';
import type { TrustedDocuments } from '../graphql/trusted-documents.js';
import type { EventHub } from '../events/event-hub.js';
import type { Metrics } from './metrics.js';
import type { RateLimiter } from './rate-limit.js';

/** What serving GraphQL needs over either transport (HTTP and WebSocket), so that both answer by the same rules. */
export interface GraphQLServingDeps {
  config: Config;
  schema: GraphQLSchema;
  /** Our validation rules (limits, introspection), the same over HTTP and WebSocket. */
  rules: ValidationRule[];
  orm: MikroORM;
  log: Logger;
  events: EventHub;
  metrics: Metrics;
  tokens: TokenDoor;
  limiter: RateLimiter;
  trusted: TrustedDocuments | null;
}
