import type { ServerResponse } from 'node:http';
import type { ErrorCode } from '../graphql/errors.js';
import { sendJson } from './routes.js';

/** A request refused before it became an operation, answered as GraphQL answers an error: `errors` with one coded error. */
export function sendGraphQLError(res: ServerResponse, status: number, message: string, code: ErrorCode): void {
  if (status === 401) res.setHeader('www-authenticate', 'Bearer');
  sendJson(res, status, { errors: [{ message, extensions: { code } }] });
}
