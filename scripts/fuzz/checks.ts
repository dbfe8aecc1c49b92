import { getOperationAST, Kind, parse } from 'graphql';
import { ErrorCode } from '../../src/platform/graphql/errors.js';

/**
 * The properties every response must have, whatever was sent: no 5xx, a GraphQL response body
 * (`data` or `errors`), and only codes from the closed set a client may see. INTERNAL_SERVER_ERROR
 * is in that set for real failures, but bad input must never cause one, so here it is a finding.
 */
export const CLIENT_ERROR_CODES: ReadonlySet<string> = new Set([
  ...Object.values(ErrorCode).filter((code) => code !== ErrorCode.INTERNAL_SERVER_ERROR),
  // Apollo's own codes for the client's mistakes, which toClientError (src/platform/graphql/errors.ts) passes through.
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

/**
 * graphql-ws close codes a misbehaving client may get (PROTOCOL.md and src/platform/http/server.ts),
 * plus those the ws library sends for broken frames. 4500 (internal error) and 1011 never.
 */
export const ALLOWED_CLOSE_CODES: ReadonlySet<number> = new Set([1000, 1001, 1002, 1005, 1007, 1009, 4400, 4401, 4403, 4406, 4408, 4409, 4429]);

const short = (value: unknown, max = 300) => {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text && text.length > max ? `${text.slice(0, max)}…` : text;
};

/** Violations in a list of GraphQL errors: each needs a message and a code from the closed set. */
export function errorViolations(errors: unknown, where: string): string[] {
  if (!Array.isArray(errors) || errors.length === 0) return [`${where}: "errors" is not a non-empty list: ${short(errors)}`];
  return errors.flatMap((error) => {
    const e = error as { message?: unknown; extensions?: { code?: unknown } };
    const problems: string[] = [];
    if (typeof e?.message !== 'string') problems.push(`${where}: an error without a message: ${short(error)}`);
    const code = e?.extensions?.code;
    if (typeof code !== 'string' || !CLIENT_ERROR_CODES.has(code)) {
      problems.push(`${where}: error code ${JSON.stringify(code)} (${short(e?.message, 200)})`);
    }
    return problems;
  });
}

/** Violations of a GraphQL response body (JSON text); the parsed body when it is one. */
export function responseViolations(text: string, where: string): { violations: string[]; body?: Record<string, unknown> } {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { violations: [`${where}: the body is not JSON: ${short(text)}`] };
  }
  if (!body || typeof body !== 'object' || Array.isArray(body)) return { violations: [`${where}: the body is not a JSON object: ${short(text)}`] };
  const record = body as Record<string, unknown>;
  if (!('data' in record) && !('errors' in record)) return { violations: [`${where}: neither data nor errors: ${short(text)}`], body: record };
  return { violations: 'errors' in record ? errorViolations(record.errors, where) : [], body: record };
}

export interface HttpAnswer {
  status: number;
  contentType: string;
  text: string;
}

/**
 * Violations of one HTTP answer. Every answer must be below 500. Every answer of /graphql (and of the
 * public /public/graphql) is a GraphQL response, a 405 for another method included, except to OPTIONS
 * and HEAD, the IDE's HTML page, and the bare 413/431 Node itself sends for a request too big to read.
 */
export function httpViolations(
  method: string,
  path: string,
  accept: string | undefined,
  answer: HttpAnswer,
): { violations: string[]; body?: Record<string, unknown> } {
  const where = `${method} ${path.slice(0, 80)} -> ${answer.status}`;
  if (answer.status >= 500) return { violations: [`${where}: a server error: ${short(answer.text)}`] };
  const pathname = path.split(/[?#]/)[0];
  const graphql = pathname === '/graphql' || pathname === '/public/graphql';
  if (!graphql || method === 'OPTIONS' || method === 'HEAD') return { violations: [] };
  if ((answer.status === 431 || answer.status === 413) && answer.text === '') return { violations: [] };
  if (method === 'GET' && /text\/html/.test(accept ?? '') && /text\/html/.test(answer.contentType)) return { violations: [] };
  // A multipart answer (incremental delivery) carries JSON parts; its first part must be a GraphQL response too.
  if (answer.contentType.startsWith('multipart/mixed')) {
    const part = /\r\n\r\n(\{.*?\})\r\n/s.exec(answer.text)?.[1];
    return part ? responseViolations(part, where) : { violations: [`${where}: a multipart answer without a JSON part: ${short(answer.text)}`] };
  }
  if (!/json/.test(answer.contentType)) return { violations: [`${where}: content-type ${answer.contentType}: ${short(answer.text)}`] };
  return responseViolations(answer.text, where);
}

/**
 * Whether a response says a mutation went through: the document's operation is a mutation, the
 * response has data and no errors (any error rolls the whole operation back), and some root field's
 * payload has no userErrors. Anything else changed nothing, and the fingerprint must agree.
 */
export function mutationAccepted(document: string, operationName: string | undefined, body: Record<string, unknown> | undefined): boolean {
  if (!body || (Array.isArray(body.errors) && body.errors.length > 0)) return false;
  const data = body.data as Record<string, unknown> | null | undefined;
  if (!data) return false;
  let operation;
  try {
    operation = getOperationAST(parse(document), operationName ?? null);
  } catch {
    return true; // the server ran something we cannot read: assume it may have changed data
  }
  if (!operation) return true;
  if (operation.operation !== 'mutation') return false;
  return operation.selectionSet.selections.some((selection) => {
    if (selection.kind !== Kind.FIELD) return true;
    if (selection.name.value === '__typename') return false;
    const payload = data[selection.alias?.value ?? selection.name.value];
    if (payload === null || payload === undefined) return false;
    const userErrors = (payload as { userErrors?: unknown }).userErrors;
    return !(Array.isArray(userErrors) && userErrors.length > 0);
  });
}

/** The operation type of a document, when it parses and names one. */
export function operationTypeOf(document: string, operationName?: string): string | null {
  try {
    return getOperationAST(parse(document), operationName ?? null)?.operation ?? null;
  } catch {
    return null;
  }
}
