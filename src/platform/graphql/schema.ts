import 'reflect-metadata';
import { buildSchema } from 'type-graphql';
import type { GraphQLSchema } from 'graphql';
import { resolvers } from '../../modules/resolvers.js';
import { authChecker } from '../auth/auth-checker.js';
import { limitTextInputs } from './text-limits.js';
import { writeAccessLog } from '../../modules/resident/access-log.js';
// Registers the personal types (after the resolvers, so every module is loaded).
import '../../modules/personal-data.js';
import { logPersonalReads } from './personal-reads.js';

let cached: Promise<GraphQLSchema> | undefined;

/**
 * The executable schema, built once from the resolver classes; every field that hands a resident's
 * personal data to a client then logs the read (./personal-reads.ts).
 */
export function platformSchema(): Promise<GraphQLSchema> {
  cached ??= buildSchema({
    resolvers,
    authChecker,
    // Input is validated by our services (userErrors) and scalars, not by class-validator.
    validate: false,
    emitSchemaFile: false,
    // Every subscription brings its own `subscribe` (fed by the outbox); type-graphql insists on a
    // PubSub all the same, and this one says so if anything ever reaches for it.
    pubSub: {
      publish: () => {
        throw new Error('Subscriptions are fed by the outbox, not by type-graphql PubSub');
      },
      subscribe: () => {
        throw new Error('Subscriptions are fed by the outbox, not by type-graphql PubSub');
      },
    },
  }).then(limitTextInputs).then((schema) => logPersonalReads(schema, writeAccessLog));
  return cached;
}
