import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestContext } from '../graphql/context.js';
import { AppError, ErrorCode, toClientError } from '../graphql/errors.js';
import { failsOperation } from '../graphql/operation-outcome.js';

/**
 * Wraps each HTTP GraphQL operation in its transaction: opened after the document is parsed
 * and validated (a malformed request never touches the database), committed when the result
 * has no errors but fields the principal may not read (failsOperation), rolled back otherwise, so a
 * refused operation changes nothing.
 *
 * It is opened once the operation is resolved rather than when execution starts: Apollo answers a
 * failure there with the error itself, so a database that cannot be reached gives the client
 * SERVICE_UNAVAILABLE (503) instead of an internal error.
 */
export const operationTransactionPlugin: ApolloServerPlugin<RequestContext> = {
  async requestDidStart() {
    return {
      async didResolveOperation({ contextValue, operation }) {
        if (!operation) return;
        try {
          await contextValue.operation.begin(operation.operation);
        } catch (error) {
          const { message, code } = toClientError(error);
          if (code === ErrorCode.INTERNAL_SERVER_ERROR) contextValue.log.error('could not begin the operation', { error: (error as Error).message });
          throw new AppError(code, message);
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
