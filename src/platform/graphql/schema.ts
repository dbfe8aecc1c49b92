import 'reflect-metadata';
import { buildSchema } from 'type-graphql';
import type { GraphQLSchema } from 'graphql';
import { resolvers } from '../../modules/resolvers.js';
import { authChecker } from '../auth/auth-checker.js';

let cached: Promise<GraphQLSchema> | undefined;

/** The executable schema, built once from the resolver classes. */
export function platformSchema(): Promise<GraphQLSchema> {
  cached ??= buildSchema({
    resolvers,
    authChecker,
    // Input is validated by our services (userErrors) and scalars, not by class-validator.
    validate: false,
    emitSchemaFile: false,
  });
  return cached;
}
