import 'reflect-metadata';
import { buildSchema, type NonEmptyArray } from 'type-graphql';
import type { GraphQLSchema } from 'graphql';
import { authChecker } from '../auth/auth-checker.js';
import { limitTextInputs } from './text-limits.js';
import { logPersonalReads, type PersonalReadsWriter } from './personal-reads.js';

export interface SchemaParts {
  resolvers: NonEmptyArray<Function>;
  /** Writes the log of personal data a response handed out (registered with ./personal-reads.ts). */
  writePersonalReads: PersonalReadsWriter;
}

/**
 * The executable schema, built from the resolver classes; every field that hands a resident's
 * personal data to a client then logs the read (./personal-reads.ts).
 */
export function buildPlatformSchema({ resolvers, writePersonalReads }: SchemaParts): Promise<GraphQLSchema> {
  return buildSchema({
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
  })
    .then(limitTextInputs)
    .then((schema) => logPersonalReads(schema, writePersonalReads));
}
