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
export function unacceptableRequest(req: IncomingMessage): Refusal | null {
  const accept = req.headers.accept;
  if (accept && !prefersCsv(req) && !new Negotiator({ headers: { accept } }).mediaType(RESPONSE_TYPES)) {
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
 * Whether a request asks for a report as CSV: text/csv preferred to every GraphQL response type. It
 * runs as any GraphQL request and its JSON answer is rewritten (src/modules/report/report.csv.ts).
 */
export function prefersCsv(req: IncomingMessage): boolean {
  const accept = req.headers.accept;
  return !!accept && new Negotiator({ headers: { accept } }).mediaType([...RESPONSE_TYPES, 'text/csv']) === 'text/csv';
}
