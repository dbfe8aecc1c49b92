import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import { AuthorizationError, AuthenticationError, ArgumentValidationError } from 'type-graphql';
import type { Logger } from '../logger.js';

/**
 * The closed set of `extensions.code` values a client can ever see on a top-level error.
 * User mistakes inside a mutation travel as `userErrors` in its payload instead.
 */
export enum ErrorCode {
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  NOT_FOUND = 'NOT_FOUND',
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  CONFLICT = 'CONFLICT',
  BAD_REQUEST = 'BAD_REQUEST',
  GRAPHQL_PARSE_FAILED = 'GRAPHQL_PARSE_FAILED',
  GRAPHQL_VALIDATION_FAILED = 'GRAPHQL_VALIDATION_FAILED',
  /** Operation limits (src/platform/graphql/limits.ts): nesting, aliases, estimated cost, document size. */
  QUERY_TOO_DEEP = 'QUERY_TOO_DEEP',
  TOO_MANY_ALIASES = 'TOO_MANY_ALIASES',
  QUERY_TOO_COMPLEX = 'QUERY_TOO_COMPLEX',
  TOO_MANY_TOKENS = 'TOO_MANY_TOKENS',
  /** INTROSPECTION=false and the operation reads `__schema` or `__type` (src/platform/graphql/introspection.ts). */
  INTROSPECTION_DISABLED = 'INTROSPECTION_DISABLED',
  /** TRUSTED_DOCUMENTS is set and the request's document is not on the list (PERSISTED_QUERY_NOT_FOUND: its id is not). */
  DOCUMENT_NOT_TRUSTED = 'DOCUMENT_NOT_TRUSTED',
  PERSISTED_QUERY_NOT_FOUND = 'PERSISTED_QUERY_NOT_FOUND',
  /** Apollo's: an automatic persisted query was sent and APQ is not served. */
  PERSISTED_QUERY_NOT_SUPPORTED = 'PERSISTED_QUERY_NOT_SUPPORTED',
  /** The document has no operation of the name given, or several and no name (Apollo's code, on WebSocket too). */
  OPERATION_RESOLUTION_FAILURE = 'OPERATION_RESOLUTION_FAILURE',
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
  /** A statement ran past STATEMENT_TIMEOUT_MS (or waited that long for a lock) and was cancelled; nothing was changed. */
  TIMEOUT = 'TIMEOUT',
  TOO_MANY_REQUESTS = 'TOO_MANY_REQUESTS',
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
}

const HTTP_STATUS: Partial<Record<ErrorCode, number>> = {
  [ErrorCode.UNAUTHENTICATED]: 401,
  [ErrorCode.SERVICE_UNAVAILABLE]: 503,
  [ErrorCode.TIMEOUT]: 503,
  [ErrorCode.TOO_MANY_REQUESTS]: 429,
};

/** A failure we expect and can explain to the client; anything else is reported as internal. */
export class AppError extends GraphQLError {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    const status = HTTP_STATUS[code];
    super(message, { extensions: { code, ...(status ? { http: { status } } : {}) } });
  }
}

export const forbidden = (message = 'You are not allowed to do this') => new AppError(ErrorCode.FORBIDDEN, message);
export const badInput = (message: string) => new AppError(ErrorCode.BAD_USER_INPUT, message);

const ERROR_CODES = new Set<string>(Object.values(ErrorCode));

/** Whether `code` is one of the closed set (a code from graphql-js, Apollo or an error's extensions). */
export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && ERROR_CODES.has(code);
}

/** Codes that graphql-js and Apollo attach to the client's own mistakes; their messages are safe to show. */
const CLIENT_CODES = new Set<ErrorCode>([
  ErrorCode.BAD_USER_INPUT,
  ErrorCode.BAD_REQUEST,
  ErrorCode.GRAPHQL_PARSE_FAILED,
  ErrorCode.GRAPHQL_VALIDATION_FAILED,
  ErrorCode.QUERY_TOO_DEEP,
  ErrorCode.TOO_MANY_ALIASES,
  ErrorCode.QUERY_TOO_COMPLEX,
  ErrorCode.TOO_MANY_TOKENS,
  ErrorCode.INTROSPECTION_DISABLED,
  ErrorCode.OPERATION_RESOLUTION_FAILURE,
  ErrorCode.PERSISTED_QUERY_NOT_FOUND,
  ErrorCode.DOCUMENT_NOT_TRUSTED,
  ErrorCode.PERSISTED_QUERY_NOT_SUPPORTED,
]);

const LIMIT_CODES = new Set<ErrorCode>([ErrorCode.QUERY_TOO_DEEP, ErrorCode.TOO_MANY_ALIASES, ErrorCode.QUERY_TOO_COMPLEX, ErrorCode.TOO_MANY_TOKENS]);
/** Codes our own validation rules give; Apollo wraps their errors as GRAPHQL_VALIDATION_FAILED. */
const RULE_CODES = new Set<ErrorCode>([...LIMIT_CODES, ErrorCode.INTROSPECTION_DISABLED]);

/** PostgreSQL SQLSTATEs that a well-formed request can still hit (races, policies); anything else is internal. */
const PG_CONNECTION_LOST = /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/;

function fromDatabaseError(error: { code?: string; message?: string }): AppError | undefined {
  switch (error.code) {
    case '23505':
      return new AppError(ErrorCode.CONFLICT, 'This record already exists');
    case '40001':
    case '40P01':
      return new AppError(ErrorCode.CONFLICT, 'The record was changed concurrently; try again');
    case '42501':
      return forbidden();
    case '23503':
    case '23514':
    case '22P02':
    case '22007':
    case '22008':
      return new AppError(ErrorCode.BAD_USER_INPUT, 'The input breaks a data rule');
    case '57014':
      return new AppError(ErrorCode.TIMEOUT, 'The operation took too long and was cancelled; nothing was changed');
    // The database is down, restarting or full, or the connection to it broke: SQLSTATE classes 08 and 57P, 53300, socket errors.
    case '57P01':
    case '57P02':
    case '57P03':
    case '53300':
    case '08000':
    case '08001':
    case '08003':
    case '08004':
    case '08006':
    case 'ECONNREFUSED':
    case 'ECONNRESET':
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EPIPE':
      return new AppError(ErrorCode.SERVICE_UNAVAILABLE, 'The database is unavailable; try again shortly');
    default:
      // node-postgres reports a broken or timed-out connection without a code.
      return PG_CONNECTION_LOST.test(error.message ?? '')
        ? new AppError(ErrorCode.SERVICE_UNAVAILABLE, 'The database is unavailable; try again shortly')
        : undefined;
  }
}

/** Maps any thrown value to a safe client error: known codes keep their message, the rest say nothing internal. */
export function toClientError(thrown: unknown): { message: string; code: ErrorCode } {
  const original = unwrapResolverError(thrown);
  if (original instanceof AppError) return { message: original.message, code: original.code };
  if (original instanceof AuthenticationError) return { message: 'Authentication required', code: ErrorCode.UNAUTHENTICATED };
  if (original instanceof AuthorizationError) return { message: 'Your role may not do this', code: ErrorCode.FORBIDDEN };
  if ((original as Error)?.name === 'OptimisticLockError') {
    return { message: 'The record was changed by someone else; read it again', code: ErrorCode.CONFLICT };
  }
  if (original instanceof ArgumentValidationError) return { message: original.message, code: ErrorCode.BAD_USER_INPUT };
  const fromDb = original && typeof original === 'object' ? fromDatabaseError(original) : undefined;
  if (fromDb) return { message: fromDb.message, code: fromDb.code };
  if (original instanceof GraphQLError) {
    // Apollo re-codes every validation error GRAPHQL_VALIDATION_FAILED; our rule's own code is on the error it wraps.
    const inner = original.originalError instanceof GraphQLError ? original.originalError.extensions?.code : undefined;
    if (isErrorCode(inner) && RULE_CODES.has(inner)) return { message: original.message, code: inner };
    const code = original.extensions?.code;
    // graphql-js's parser stops at the token limit with a syntax error of its own.
    if (code === ErrorCode.GRAPHQL_PARSE_FAILED && /\d+ tokens\. Parsing aborted/.test(original.message))
      return { message: original.message, code: ErrorCode.TOO_MANY_TOKENS };
    if (isErrorCode(code) && CLIENT_CODES.has(code)) return { message: original.message, code };
    // graphql-js reports input coercion problems (bad scalars, enums, variables) without a code: before
    // execution, with no path; during it (an argument's value), pointing at the argument's node. A
    // code-less error at a field's path with no node of its own is a value the server could not
    // serialise (a scalar's output): the server's fault, not the client's.
    const atField = thrown instanceof GraphQLError && thrown !== original && thrown.path !== undefined;
    if (!code && !original.path && (!atField || (original.nodes?.length ?? 0) > 0)) {
      return { message: original.message, code: ErrorCode.BAD_USER_INPUT };
    }
  }
  return { message: 'Internal server error', code: ErrorCode.INTERNAL_SERVER_ERROR };
}

/**
 * The one error formatter, for Apollo's `formatError` and for results sent over WebSocket alike: a code
 * from the closed set, never a stack trace, SQL or internal message to the client; internals are logged.
 */
export function formatErrorFor(log: Logger) {
  return (formatted: GraphQLFormattedError, thrown: unknown): GraphQLFormattedError => {
    const { message, code } = toClientError(thrown);
    if (code === ErrorCode.INTERNAL_SERVER_ERROR) {
      const original = unwrapResolverError(thrown) as Error | undefined;
      log.error('internal error', { error: original?.message, stack: original?.stack, path: formatted.path });
    }
    // A limit says which limit and what the operation asked for.
    const limited = LIMIT_CODES.has(code) ? (formatted.extensions ?? {}) : {};
    const detail = 'limit' in limited ? { limit: limited.limit, actual: limited.actual } : {};
    return { message, locations: formatted.locations, path: formatted.path, extensions: { code, ...detail } };
  };
}
