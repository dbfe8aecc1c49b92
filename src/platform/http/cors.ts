import type { IncomingMessage, ServerResponse } from 'node:http';

/** Headers a browser may send to /graphql from another origin (the token, the JSON body, CSRF's preflight header). */
const ALLOWED_HEADERS = 'authorization, content-type, apollo-require-preflight, x-apollo-operation-name, x-request-id';
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/**
 * Cross-origin access to /graphql (CORS_ORIGINS). Browsers send no cookies here (tokens travel in
 * the Authorization header), so an allowed origin gains nothing a script on it could not already do
 * with the user's token; the list keeps other sites' pages from reading responses at all.
 */
export class CorsPolicy {
  private readonly any: boolean;
  private readonly origins: Set<string>;

  constructor(origins: string[]) {
    this.any = origins.includes('*');
    this.origins = new Set(origins);
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
      res.setHeader('access-control-allow-headers', ALLOWED_HEADERS);
      res.setHeader('access-control-max-age', String(PREFLIGHT_MAX_AGE_SECONDS));
    }
    res.end();
  }
}
