import { isObjectType, Kind, type FieldNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import type { MetadataStorage } from '@mikro-orm/core';
import type { Principal } from '../../auth/principal.js';
import type { Role } from '../../auth/roles.js';
import type { RequestContext } from '../context.js';
import type { RoundTripConnectionManager } from '../../database/orm-extension/round-trips.js';
import { personalRegistry } from '../personal-reads.js';
import { CompileScope, objectTypeOf } from './selection-sql.js';

/*
 * Queries answered by one statement (issue 23). A registered root field whose whole selection
 * compiles (./selection-sql.ts) is read, shaped as its JSON answer and logged (the access log as a
 * data-modifying CTE over the same rows) by one statement, in a transaction of its own that commits
 * the log. Everything else, and every refusal, goes through the resolvers as before.
 */

/** One root field's statement: `select ... as data, ... as logged, ... as shown`. */
export interface CompiledStatement {
  sql: string;
  params: unknown[];
  /**
   * Why the answer cannot be sent, from the statement's row (a read the log could not tie to a
   * resident the reader may see, which the resolvers refuse too); null when it can.
   */
  refusal(row: Record<string, unknown>): string | null;
}

export interface CompiledRoot {
  /** Roles the root field admits (its @Authorized): any other goes to the resolvers and is refused there. */
  roles: readonly Role[];
  /** The statement for this selection, or null when it is not compiled. */
  compile(input: { field: FieldNode; args: Record<string, unknown>; scope: CompileScope; principal: Principal; operation: string }): CompiledStatement | null;
}

const roots = new Map<string, CompiledRoot>();

/** Answers the Query field `name` by a compiled statement where its selection allows. */
export function registerCompiledRoot(name: string, root: CompiledRoot): void {
  roots.set(name, root);
}

/** A query of one registered root field, compiled; null when it goes through the resolvers. */
export function compileOperation(
  schema: GraphQLSchema,
  entities: MetadataStorage,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  principal: Principal,
): CompiledStatement | null {
  if (operation.operation !== 'query' || operation.directives?.length) return null;
  const [field, ...others] = operation.selectionSet.selections;
  if (others.length > 0 || field.kind !== Kind.FIELD || field.directives?.length) return null;
  const root = roots.get(field.name.value);
  const queryType = schema.getQueryType();
  if (!root || !queryType || !root.roles.includes(principal.role)) return null;
  const scope = new CompileScope(schema, entities, variables);
  let args: Record<string, unknown> | null;
  try {
    args = scope.argumentsOf(queryType, field);
  } catch {
    return null; // the resolvers' way of refusing the arguments is the reference
  }
  return args && root.compile({ field, args, scope, principal, operation: operation.operation });
}

/** Reads that could not be tied to a resident the reader may see: the answer is withheld, as writeAccessLog withholds it. */
export class UnloggedReads extends Error {}

/** Runs a compiled statement in the operation's transaction, prepared; its `data` is the response's. */
export async function runCompiled(ctx: RequestContext, statement: CompiledStatement): Promise<Record<string, unknown>> {
  const connection = ctx.em.getConnection() as unknown as RoundTripConnectionManager;
  const [row] = await connection.executePrepared<Record<string, unknown>>(ctx.em.getTransactionContext()!, statement.sql, statement.params);
  const refusal = statement.refusal(row);
  if (refusal) throw new UnloggedReads(refusal);
  return row.data as Record<string, unknown>;
}

/**
 * Whether a field compiled so far returns a resident's record (a personal type, personal-reads.ts)
 * that the root's statement does not log (`logged`: the coordinates it logs): the operation then goes
 * through the resolvers, which log whatever they show.
 */
export function showsUnloggedRecords(scope: CompileScope, logged: readonly string[]): boolean {
  return [...scope.compiled].some((coordinate) => showsRecord(scope.schema, coordinate) && !logged.includes(coordinate));
}

const recordFields = new Map<string, boolean>();

/** Whether the field `Type.field` returns a personal type; the schema is fixed, so once per field. */
function showsRecord(schema: GraphQLSchema, coordinate: string): boolean {
  if (!recordFields.has(coordinate)) {
    const [typeName, fieldName] = coordinate.split('.');
    const type = schema.getType(typeName);
    const returned = isObjectType(type) ? objectTypeOf(type.getFields()[fieldName].type) : null;
    recordFields.set(coordinate, returned !== null && personalRegistry().records.has(returned.name));
  }
  return recordFields.get(coordinate)!;
}
