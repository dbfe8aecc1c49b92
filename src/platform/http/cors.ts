import type { IncomingMessage, ServerResponse } from 'node:http';

/** Without these no browser can call the API at all (the token, the JSON body), so they are always allowed. */
const REQUIRED_HEADERS = ['authorization', 'content-type'];
/**
 * Headers a browser page may send to /graphql from another origin unless CORS_ALLOWED_HEADERS says
 * otherwise: CSRF's preflight header, the operation name and request id Apollo and proxies send,
 * the W3C trace context a traced front end adds, and Apollo Client's clientAwareness headers.
 */
export const DEFAULT_CORS_ALLOWED_HEADERS = [
  ...REQUIRED_HEADERS,
  'apollo-require-preflight',
  'x-apollo-operation-name',
  'x-request-id',
  'traceparent',
  'tracestate',
  'baggage',
  'apollographql-client-name',
  'apollographql-client-version',
];
const PREFLIGHT_MAX_AGE_SECONDS = 600;
/** A header name (RFC 9110's token). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9a-z-]+$/i;

/** CORS_ALLOWED_HEADERS: comma-separated header names; unset, the default list. A bad name stops the server at start. */
export function allowedHeadersFrom(value: string | undefined): string[] {
  if (value === undefined || value.trim() === '') return DEFAULT_CORS_ALLOWED_HEADERS;
  const names = value
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  for (const name of names) if (!HEADER_NAME.test(name)) throw new Error(`CORS_ALLOWED_HEADERS: "${name}" is not a header name`);
  return [...new Set([...REQUIRED_HEADERS, ...names])];
}

/**
 * Cross-origin access to /graphql (CORS_ORIGINS). Browsers send no cookies here (tokens travel in
 * the Authorization header), so an allowed origin gains nothing a script on it could not already do
 * with the user's token; the list keeps other sites' pages from reading responses at all.
 */
export class CorsPolicy {
  private readonly any: boolean;
  private readonly origins: Set<string>;
  private readonly allowedHeaders: string;

  constructor(origins: string[], allowedHeaders: string[]) {
    this.any = origins.includes('*');
    this.origins = new Set(origins);
    this.allowedHeaders = allowedHeaders.join(', ');
  }

  private allows(origin: string): boolean {
    return this.any || this.origins.has(origin);
  }

  /**
   * Sets the response's CORS headers when the request's Origin is on the list. For any other origin
   * it sets none, and the browser keeps the response from the page (and, for a preflight, never sends
   * the request). Same-origin pages (the IDE, the survey page) need no header. Returns whether it allowed.
   */
  apply(req: IncomingMessage, res: ServerResponse): boolean {
    // Responses differ by Origin, so caches must keep them apart.
    res.setHeader('vary', 'Origin');
    const origin = req.headers.origin;
    if (!origin || !this.allows(origin)) return false;
    res.setHeader('access-control-allow-origin', this.any ? '*' : origin);
    res.setHeader('access-control-expose-headers', 'x-request-id, retry-after');
    return true;
  }

  /** Answers a preflight (OPTIONS): what may be sent, when `apply` allowed its origin; nothing otherwise. */
  answerPreflight(res: ServerResponse, allowed: boolean): void {
    res.statusCode = 204;
    if (allowed) {
      res.setHeader('access-control-allow-methods', 'GET, POST, OPTIONS');
      res.setHeader('access-control-allow-headers', this.allowedHeaders);
      res.setHeader('access-control-max-age', String(PREFLIGHT_MAX_AGE_SECONDS));
    }
    res.end();
  }
}
