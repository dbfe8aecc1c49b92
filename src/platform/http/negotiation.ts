import type { IncomingMessage } from 'node:http';
import Negotiator from 'negotiator';
import { ErrorCode } from '../graphql/errors.js';

/** The media types a GraphQL response is sent as (GraphQL over HTTP), as Apollo chooses between them. */
const RESPONSE_TYPES = ['application/json', 'application/graphql-response+json'];

export interface Refusal {
  status: number;
  code: ErrorCode;
  message: string;
}

/**
 * Refuses a request whose body or answer the server cannot handle, before anything runs. Apollo
 * negotiates the response type only after executing, so a mutation sent with `Accept: text/html`
 * was committed and then answered 406.
 */
export function unacceptableRequest(req: IncomingMessage, alternative = false): Refusal | null {
  const accept = req.headers.accept;
  if (accept && !alternative && !new Negotiator({ headers: { accept } }).mediaType(RESPONSE_TYPES)) {
    return { status: 406, code: ErrorCode.BAD_REQUEST, message: `The Accept header must allow ${RESPONSE_TYPES.join(' or ')}` };
  }
  if (req.method === 'POST') {
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (type !== 'application/json') {
      return { status: 415, code: ErrorCode.BAD_REQUEST, message: 'A POST request must send its operation as Content-Type: application/json' };
    }
  }
  return null;
}

/**
 * Whether a GET asks for the IDE: text/html preferred to every GraphQL response type, as a browser's
 * address bar asks. A client that accepts both (`application/json, text/html`) gets GraphQL, so it
 * passes the token check and the rate limiter like any other request.
 */
export function prefersHtml(req: IncomingMessage): boolean {
  const accept = req.headers.accept;
  return req.method === 'GET' && !!accept && new Negotiator({ headers: { accept } }).mediaType([...RESPONSE_TYPES, 'text/html']) === 'text/html';
}

/**
 * The alternative rendering a request asks for (a report as text/csv, a settlement as application/pdf):
 * the one whose media type Accept prefers to every GraphQL response type; null for a GraphQL answer.
 * It runs as any GraphQL request and its JSON answer is rewritten (graphql-over-http.ts).
 */
export function preferredRendering<T extends { mediaType: string }>(req: IncomingMessage, renderings: readonly T[]): T | null {
  const accept = req.headers.accept;
  if (!accept || renderings.length === 0) return null;
  const chosen = new Negotiator({ headers: { accept } }).mediaType([...RESPONSE_TYPES, ...renderings.map((r) => r.mediaType)]);
  return renderings.find((r) => r.mediaType === chosen) ?? null;
}
