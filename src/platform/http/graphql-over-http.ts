import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApolloServer, type HeaderMap } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import type { DocumentNode } from 'graphql';
import { trace } from '@opentelemetry/api';
import { idToTerc, type Principal } from '../auth/principal.js';
import { bearerToken } from '../auth/tokens.js';
import { createRequestContext, type RequestContext } from '../graphql/context.js';
import { ErrorCode, formatErrorFor, toClientError } from '../graphql/errors.js';
import type { DocumentRequest, TrustedDocuments } from '../graphql/trusted-documents.js';
import { executeWithApollo, headerMapOf, readJsonBody, sendApolloResponse } from './apollo-bridge.js';
import { clientAddressOf } from './client-address.js';
import type { GraphQLServingDeps } from './graphql-serving.js';
import { CorsPolicy } from './cors.js';
import { sendGraphQLError } from './graphql-errors.js';
import { Ide } from './ide.js';
import { preferredRendering, prefersHtml, unacceptableRequest } from './negotiation.js';
import { telemetryPlugin } from './operation-telemetry.js';
import { isSubscriptionOverHttp, SUBSCRIPTIONS_OVER_HTTP } from './subscriptions-over-websocket.js';
import { operationTransactionPlugin } from './transaction-plugin.js';

/** The largest request body /graphql reads (and the largest WebSocket message). */
export const MAX_BODY_BYTES = 1_000_000;
/** Apollo's parsed-document store, as Apollo measures it (the documents' JSON). */
export const DOCUMENT_STORE_JSON_BYTES = 4 * 2 ** 20;

/** A file made from a query's data: its bytes, media type and the name a browser saves it under. */
export interface RenderedAnswer {
  body: string | Buffer;
  /** The Content-Type sent, parameters included (text/csv; charset=utf-8; header=present). */
  contentType: string;
  filename: string;
}

/**
 * Another rendering of a query's data than JSON (a report or a settlement as CSV, a settlement as a
 * PDF statement), chosen by the Accept header: the query runs as any JSON request (token, rate limit,
 * trusted documents, the same resolvers and read rules) and the data of its answer is rewritten.
 */
export interface AlternativeRendering {
  /** The media type asked for in Accept, e.g. text/csv. */
  mediaType: string;
  /** Why a request may not be answered this way, decided before it runs (a mutation would commit and then find nothing to render); null when it may. */
  refuse(request: unknown): string | null;
  /** The answer's data rendered, or why it cannot be (sent as a JSON error, 406). */
  render(data: Record<string, unknown> | null | undefined): RenderedAnswer | { error: string } | Promise<RenderedAnswer | { error: string }>;
}

/** A CSV table as a file (UTF-8, with its header row); an error passes through. */
export function csvFile(table: { csv: string; filename: string } | { error: string }): RenderedAnswer | { error: string } {
  return 'error' in table ? table : { body: table.csv, contentType: 'text/csv; charset=utf-8; header=present', filename: table.filename };
}

export interface GraphQLOverHttpDeps extends GraphQLServingDeps {
  renderings?: AlternativeRendering[];
}

export interface GraphQLOverHttp {
  /** Answers one request to /graphql: the IDE, a preflight, or an operation. */
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>;
  /** Refuses a request before it becomes an operation, counted by its code. */
  refuse(res: ServerResponse, status: number, message: string, code: ErrorCode): void;
  stop(): Promise<void>;
}

/**
 * GraphQL over HTTP at /graphql: content negotiation (the IDE for a browser, CSV for a report), the
 * bearer token, the rate limit, the body, trusted documents, then Apollo runs the operation in its
 * own transaction as the token's principal.
 */
export async function startGraphQLOverHttp(deps: GraphQLOverHttpDeps): Promise<GraphQLOverHttp> {
  const { config, schema, rules, orm, log, events, metrics, tokens, limiter, trusted, renderings = [] } = deps;
  const cors = new CorsPolicy(config.corsOrigins, config.corsAllowedHeaders);
  const ide = new Ide();
  const apollo = new ApolloServer<RequestContext>({
    schema,
    formatError: formatErrorFor(log),
    includeStacktraceInErrorResponses: false,
    validationRules: rules,
    // Apollo's own switch (off when NODE_ENV=production) would refuse introspection over HTTP only.
    introspection: true,
    parseOptions: { maxTokens: config.limits.maxTokens },
    // Apollo's default store counts a document by its JSON, which leaves out the tokens a parsed
    // document keeps: its 30 MiB default held some 134 MB of heap once many distinct documents had
    // come (the fuzz campaign). 4 MiB of JSON is about 18 MB of heap, some 1,700 documents.
    documentStore: new InMemoryLRUCache<DocumentNode>({ maxSize: DOCUMENT_STORE_JSON_BYTES }),
    csrfPrevention: true,
    // The process's shutdown (src/main.ts) drains and stops it; its own signal handler would stop it mid-drain.
    stopOnTerminationSignals: false,
    plugins: [
      operationTransactionPlugin(config.compiledReads ? orm.getMetadata() : null),
      telemetryPlugin(metrics),
      // The IDE is our own (./ide.ts); Apollo's landing pages load from its CDN.
      ApolloServerPluginLandingPageDisabled(),
      // We set no cache hints; Apollo's cache-control plugin would still wrap every field's resolver
      // to compute them (a measurable share of a 50-plan dashboard's CPU).
      ApolloServerPluginCacheControlDisabled(),
    ],
  });
  await apollo.start();

  const refuse = (res: ServerResponse, status: number, message: string, code: ErrorCode): void => {
    metrics.refused(code);
    sendGraphQLError(res, status, message, code);
  };

  /** The token's principal, or null once the refusal is sent (401, or 503 while the database is away). */
  const authenticate = async (req: IncomingMessage, res: ServerResponse): Promise<Principal | null> => {
    const token = bearerToken(req.headers.authorization);
    if (!token) {
      refuse(res, 401, 'Authentication required: send Authorization: Bearer <token>', ErrorCode.UNAUTHENTICATED);
      return null;
    }
    try {
      return await tokens.verify(token);
    } catch (error) {
      const { message, code } = toClientError(error);
      refuse(res, code === ErrorCode.UNAUTHENTICATED ? 401 : code === ErrorCode.SERVICE_UNAVAILABLE ? 503 : 500, message, code);
      return null;
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const corsAllowed = cors.apply(req, res);
    if (req.method === 'OPTIONS') return cors.answerPreflight(res, corsAllowed);
    if (prefersHtml(req)) return ide.page(res);
    const rendering = preferredRendering(req, renderings);
    const unacceptable = unacceptableRequest(req, rendering !== null);
    if (unacceptable) return refuse(res, unacceptable.status, unacceptable.message, unacceptable.code);

    const principal = await authenticate(req, res);
    if (!principal) return;
    const decision = await limiter.check(principal.subject, clientAddressOf(req, config.trustProxy));
    if (!decision.allowed) {
      res.setHeader('retry-after', String(decision.retryAfterSeconds));
      return refuse(res, decision.status, decision.message, decision.code);
    }

    const read = await readJsonBody(req, res, MAX_BODY_BYTES, refuse);
    if (!read) return;
    const { body } = read;
    if (trusted) {
      const refused = useTrustedDocument(trusted, req.method === 'POST' ? body : null, url);
      if (refused) return refuse(res, 400, refused.message, refused.code);
    }
    if (isSubscriptionOverHttp(req.method ?? 'GET', body, url.searchParams, config.limits.maxTokens))
      return refuse(res, 400, SUBSCRIPTIONS_OVER_HTTP, ErrorCode.BAD_REQUEST);
    // Refused before it runs: a mutation would commit and then find nothing to render.
    const renderingProblem = rendering ? rendering.refuse(req.method === 'POST' ? body : Object.fromEntries(url.searchParams)) : null;
    if (renderingProblem) return refuse(res, 406, renderingProblem, ErrorCode.BAD_REQUEST);
    const headers = headerMapOf(req);
    // A query asked for as CSV or PDF runs as JSON and its data is rendered below (issues 18, 19).
    if (rendering) headers.set('accept', 'application/json');

    // A request id from the caller's proxy is kept (when it looks like one), otherwise made; it comes back in the response.
    const given = req.headers['x-request-id'];
    const requestId = typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    res.setHeader('x-request-id', requestId);
    trace.getActiveSpan()?.setAttributes({ 'cus.request_id': requestId, 'cus.role': principal.role });
    const requestLog = log.child({ requestId, role: principal.role, gminy: principal.gminy.map(idToTerc) });
    const result = await executeWithApollo(
      apollo,
      req,
      url,
      body,
      async () => createRequestContext(orm, principal, requestLog, events, config.statementTimeoutMs, config),
      headers,
    );
    if (rendering && result.body.kind === 'complete') return sendRendered(rendering, res, result.status ?? 200, result.headers, result.body.string);
    return sendApolloResponse(res, result);
  };

  return { handle, refuse, stop: () => apollo.stop() };
}

/**
 * Puts the trusted document a request names in its place (the POST body, or GET's parameters), so the
 * request goes on as if it had sent that text; returns why not when it may not run.
 */
function useTrustedDocument(trusted: TrustedDocuments, body: unknown, url: URL): { code: ErrorCode; message: string } | null {
  if (body !== null) {
    if (!body || typeof body !== 'object' || Array.isArray(body))
      return { code: ErrorCode.DOCUMENT_NOT_TRUSTED, message: 'Send one operation as a JSON object' };
    const request = body as DocumentRequest & Record<string, unknown>;
    const resolved = trusted.resolve(request);
    if ('refused' in resolved) return resolved.refused;
    request.query = resolved.query;
    delete request.documentId;
    // Apollo would otherwise treat the hash as an automatic persisted query of its own.
    if (request.extensions && typeof request.extensions === 'object') delete (request.extensions as Record<string, unknown>).persistedQuery;
    return null;
  }
  let extensions: unknown;
  try {
    extensions = url.searchParams.has('extensions') ? JSON.parse(url.searchParams.get('extensions') as string) : undefined;
  } catch {
    return { code: ErrorCode.BAD_REQUEST, message: 'The extensions parameter is not valid JSON' };
  }
  const resolved = trusted.resolve({
    query: url.searchParams.get('query') ?? undefined,
    documentId: url.searchParams.get('documentId') ?? undefined,
    extensions,
  });
  if ('refused' in resolved) return resolved.refused;
  url.searchParams.set('query', resolved.query);
  url.searchParams.delete('documentId');
  url.searchParams.delete('extensions');
  return null;
}

/** A query's JSON answer in the rendering asked for; errors (and data it does not take) stay JSON, with the status they had or 406. */
async function sendRendered(rendering: AlternativeRendering, res: ServerResponse, status: number, headers: HeaderMap, body: string): Promise<void> {
  const result = JSON.parse(body) as { data?: Record<string, unknown> | null; errors?: unknown[] };
  const answer = status === 200 && !result.errors?.length ? await rendering.render(result.data) : null;
  if (!answer || 'error' in answer) {
    for (const [key, value] of headers) res.setHeader(key, value);
    if (answer) return sendGraphQLError(res, 406, answer.error, ErrorCode.BAD_REQUEST);
    res.statusCode = status;
    return void res.end(body);
  }
  res.statusCode = 200;
  res.setHeader('content-type', answer.contentType);
  res.setHeader('content-disposition', `attachment; filename="${answer.filename}"`);
  res.setHeader('vary', 'accept');
  res.end(answer.body);
}
