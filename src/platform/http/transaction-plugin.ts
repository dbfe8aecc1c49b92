import { HeaderMap, type ApolloServerPlugin, type GraphQLResponse } from '@apollo/server';
import { getLocation, getVariableValues, Kind, type FormattedExecutionResult, type OperationDefinitionNode } from 'graphql';
import type { MetadataStorage } from '@mikro-orm/core';
import type { RequestContext } from '../graphql/context.js';
import { AppError, ErrorCode, toClientError } from '../graphql/errors.js';
import { failsOperation } from '../graphql/operation-outcome.js';
import { compileOperation, runCompiled, UnloggedReads, type CompiledStatement } from '../graphql/compiled/compiled-reads.js';

/**
 * Wraps each HTTP GraphQL operation in its transaction: opened after the document is parsed
 * and validated (a malformed request never touches the database), committed when the result
 * has no errors but fields the principal may not read (failsOperation), rolled back otherwise, so a
 * refused operation changes nothing.
 *
 * It is opened once the operation is resolved rather than when execution starts: Apollo answers a
 * failure there with the error itself, so a database that cannot be reached gives the client
 * SERVICE_UNAVAILABLE (503) instead of an internal error.
 *
 * A query that compiles to one statement (graphql/compiled/compiled-reads.ts, when `entities` is
 * given) is answered by it instead of the resolvers, in a transaction that commits its access log.
 */
export function operationTransactionPlugin(entities: MetadataStorage | null): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      let compiled: CompiledStatement | null = null;
      return {
        async didResolveOperation({ contextValue, operation, schema, request }) {
          if (!operation) return;
          compiled = entities ? compile(schema, entities, operation, request.variables ?? {}, contextValue) : null;
          try {
            await contextValue.operation.begin(operation.operation, { logsInStatement: compiled !== null });
          } catch (error) {
            const { message, code } = toClientError(error);
            if (code === ErrorCode.INTERNAL_SERVER_ERROR) contextValue.log.error('could not begin the operation', { error: (error as Error).message });
            throw new AppError(code, message);
          }
        },
        async responseForOperation({ contextValue, operation }): Promise<GraphQLResponse | null> {
          if (!compiled || !operation) return null;
          const field = operation.selectionSet.selections[0];
          const key = field.kind === Kind.FIELD ? (field.alias ?? field.name).value : '';
          const answer = (singleResult: FormattedExecutionResult): GraphQLResponse => ({
            http: { status: undefined, headers: new HeaderMap() },
            body: { kind: 'single', singleResult },
          });
          try {
            return answer({ data: await runCompiled(contextValue, compiled) });
          } catch (error) {
            const { message, code } = toClientError(error);
            if (code === ErrorCode.INTERNAL_SERVER_ERROR) contextValue.log.error('internal error', { error: (error as Error).message, path: [key] });
            // A log that cannot be written withholds the whole answer, as when the resolvers' records fail (below).
            if (error instanceof UnloggedReads) return answer({ errors: [{ message, extensions: { code } }] });
            // As the resolvers answer a failed root field: its error, and no data.
            const locations = field.loc ? [getLocation(field.loc.source, field.loc.start)] : undefined;
            return answer({ data: null, errors: [{ message, locations, path: [key], extensions: { code } }] });
          }
        },
        async willSendResponse({ contextValue, response }) {
          if (!contextValue.operation.open) return;
          const body = response.body;
          const failed =
            body.kind !== 'single' ||
            failsOperation((body.singleResult.errors ?? []).map((e) => ({ path: e.path, code: e.extensions?.code as string | undefined })));
          try {
            await contextValue.operation.end(!failed);
          } catch (error) {
            // The commit itself failed: nothing was saved, so the client must not see a success.
            const { message, code } = toClientError(error);
            if (code === ErrorCode.INTERNAL_SERVER_ERROR) contextValue.log.error('commit failed', { error: (error as Error).message });
            if (body.kind === 'single') body.singleResult = { errors: [{ message, extensions: { code } }] };
            if (code === ErrorCode.SERVICE_UNAVAILABLE) response.http.status = 503;
          }
        },
      };
    },
  };
}

/** The operation's statement, when it compiles with its variables as the executor would coerce them. */
function compile(
  schema: Parameters<typeof compileOperation>[0],
  entities: MetadataStorage,
  operation: OperationDefinitionNode,
  raw: Record<string, unknown>,
  ctx: RequestContext,
): CompiledStatement | null {
  try {
    const variables = getVariableValues(schema, operation.variableDefinitions ?? [], raw);
    return variables.coerced ? compileOperation(schema, entities, operation, variables.coerced, ctx.principal) : null;
  } catch (error) {
    // Whatever the compiler cannot take, the resolvers answer (and refuse, where they do).
    ctx.log.warn('compiling the query failed; the resolvers answer it', { error: (error as Error).message });
    return null;
  }
}
