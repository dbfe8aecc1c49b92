import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type BaseContext, type HTTPGraphQLResponse } from '@apollo/server';
import { BodyTooLargeError, readBody } from './body.js';
import { ErrorCode } from '../graphql/errors.js';
import { sendGraphQLError } from './graphql-errors.js';

/*
 * The bridge between Node's HTTP server and an Apollo server, shared by /graphql and the public
 * survey endpoint: the request's JSON body, its headers as Apollo reads them, and Apollo's answer
 * written back.
 */

/** A POST's JSON body ({} when empty; undefined for GET), or the refusal already sent (413, 400) as null. */
export async function readJsonBody(req: IncomingMessage, res: ServerResponse, maxBytes: number, refuse = sendGraphQLError): Promise<{ body: unknown } | null> {
  if (req.method !== 'POST') return { body: undefined };
  try {
    const text = await readBody(req, maxBytes);
    return { body: text === '' ? {} : JSON.parse(text) };
  } catch (error) {
    if (error instanceof BodyTooLargeError) refuse(res, 413, `The request body exceeds ${maxBytes} bytes`, ErrorCode.BAD_REQUEST);
    else refuse(res, 400, 'The request body is not valid JSON', ErrorCode.BAD_REQUEST);
    return null;
  }
}

/** The request's headers as Apollo takes them. */
export function headerMapOf(req: IncomingMessage): HeaderMap {
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  return headers;
}

/** Runs the request through Apollo, with `headers` (the request's own unless given) and `context`. */
export function executeWithApollo<Context extends BaseContext>(
  apollo: ApolloServer<Context>,
  req: IncomingMessage,
  url: URL,
  body: unknown,
  context: () => Promise<Context>,
  headers = headerMapOf(req),
): Promise<HTTPGraphQLResponse> {
  return apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
    context,
  });
}

/** Writes Apollo's answer: status, headers, and the body, whole or as it comes (incremental delivery). */
export async function sendApolloResponse(res: ServerResponse, result: HTTPGraphQLResponse): Promise<void> {
  res.statusCode = result.status ?? 200;
  for (const [key, value] of result.headers) res.setHeader(key, value);
  if (result.body.kind === 'complete') {
    res.end(result.body.string);
    return;
  }
  for await (const chunk of result.body.asyncIterator) res.write(chunk);
  res.end();
}
