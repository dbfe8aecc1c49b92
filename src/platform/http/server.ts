import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, HeaderMap } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { InMemoryLRUCache } from '@apollo/utils.keyvaluecache';
import { WebSocketServer } from 'ws';
import { useServer } from 'graphql-ws/use/ws';

import {
  execute, getOperationAST, GraphQLError, parse, validate,
  type DocumentNode, type ExecutionArgs, type ExecutionResult,
} from 'graphql';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { GraphQLSchema } from 'graphql';
import { migrationNames } from '../database/orm.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Principal } from '../auth/principal.js';
import { bearerToken, type TokenVerifier } from '../auth/tokens.js';
import { TokenDoor } from '../auth/token-door.js';
import { createRequestContext, inOperation, type RequestContext } from '../graphql/context.js';
import { AppError, type ErrorCode, formatErrorFor, toClientError } from '../graphql/errors.js';
import { idToTerc } from '../auth/principal.js';
import { limitRule } from '../graphql/limits.js';
import { introspectionOffRule } from '../graphql/introspection.js';
import { TrustedDocuments, type DocumentRequest } from '../graphql/trusted-documents.js';
import { CorsPolicy } from './cors.js';
import { trace } from '@opentelemetry/api';
import { inRequestSpan, startTracing } from '../tracing.js';
import { clientAddressOf } from './client-address.js';
import { RateLimiter } from './rate-limit.js';
import { Metrics } from './metrics.js';
import { answerPublicMetrics, startMetricsServer } from './metrics-endpoint.js';
import { observeOperation, telemetryPlugin } from './operation-telemetry.js';
import { BodyTooLargeError, readBody } from './body.js';
import { prefersCsv, prefersHtml, unacceptableRequest } from './negotiation.js';
import { operationTransactionPlugin } from './transaction-plugin.js';
import { isSubscriptionOverHttp, SUBSCRIPTIONS_OVER_HTTP } from './subscriptions-over-websocket.js';
import { subscriptionSafeRules } from '../graphql/subscription-rules.js';
import { refuseServerMessages } from './ws-server-messages.js';
import { sendJson, type JobFactory, type RouteFactory } from './routes.js';
import { EventHub } from '../events/event-hub.js';
import { OutboxListener } from '../events/outbox-listener.js';
import { SubscriptionResults } from '../events/event-results.js';
import { keepConnectionsAlive } from './ws-keepalive.js';
import { DocumentCache } from './ws-documents.js';
import { Ide, IDE_ASSETS_PATH } from './ide.js';

export const GRAPHQL_PATH = '/graphql';
const MAX_BODY_BYTES = 1_000_000;
/** Apollo's parsed-document store, as Apollo measures it (the documents' JSON). */
export const DOCUMENT_STORE_JSON_BYTES = 4 * 2 ** 20;
const DRAIN_TIMEOUT_MS = 10_000;
/** graphql-ws close code for a refused or expired token (CloseCode.Forbidden). */
const CLOSE_FORBIDDEN = 4403;

export interface PlatformServer {
  url: string;
  port: number;
  httpServer: http.Server;
  /** Where /metrics is served on a port of its own (METRICS_PORT); null when it is not. */
  metricsUrl: string | null;
  /** Stops accepting work, lets in-flight operations finish, closes sockets. */
  close(): Promise<void>;
}

export interface ServerDeps {
  config: Config;
  orm: MikroORM;
  verifier: TokenVerifier;
  log: Logger;
  /** The application's GraphQL schema, its HTTP routes beside /graphql, and the jobs that run beside requests (src/app.ts). */
  schema: GraphQLSchema;
  routes: RouteFactory[];
  jobs: JobFactory[];
  /** How a query's JSON answer is rewritten as CSV when the client asks for text/csv; without it, CSV is not offered. */
  csv?: CsvAnswers;
}

/** A query answered as CSV: which requests may not ask for it, and the rewrite of a JSON answer's data. */
export interface CsvAnswers {
  refuse(request: unknown): string | null;
  render(data: Record<string, unknown> | null | undefined): { csv: string; filename: string } | { error: string };
}

type SocketExtra = { principal?: Principal; operations?: Set<string>; address?: string };
/** graphql-ws close code for too many requests (CloseCode.TooManyInitialisationRequests), used for too many connections too. */
const CLOSE_TOO_MANY = 4429;

export async function startServer({ config, orm, verifier: signatures, log, schema, routes: routeFactories, jobs: jobFactories, csv: csvAnswers }: ServerDeps, port = config.port): Promise<PlatformServer> {
  // A token is admitted when its signature holds and what it names is real (its unit, gminy, partner).
  const verifier = new TokenDoor(signatures, orm.config.get('clientUrl') as string);
  const trusted = config.trustedDocumentsFile ? TrustedDocuments.load(config.trustedDocumentsFile) : null;
  if (trusted) log.info('trusted documents only', { documents: trusted.size });
  const cors = new CorsPolicy(config.corsOrigins, config.corsAllowedHeaders);
  const tracing = startTracing(config.tracing, log);
  const events = new EventHub();
  const outbox = new OutboxListener(orm.config.get('clientUrl') as string, events, log);
  await outbox.start();
  const metrics = new Metrics({ poolMax: config.dbPoolSize, subscriptions: () => events.subscriberCount, outboxLag: () => outbox.lag });
  // Our rules, on both paths alike: the operation limits, and introspection when INTROSPECTION is off.
  const ownRules = [limitRule(config.limits), ...(config.introspection ? [] : [introspectionOffRule])];
  const apollo = new ApolloServer<RequestContext>({
    schema,
    formatError: formatErrorFor(log),
    includeStacktraceInErrorResponses: false,
    validationRules: ownRules,
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
      operationTransactionPlugin, telemetryPlugin(metrics),
      // The IDE is our own (./ide.ts); Apollo's landing pages load from its CDN.
      ApolloServerPluginLandingPageDisabled(),
      // We set no cache hints; Apollo's cache-control plugin would still wrap every field's resolver
      // to compute them (a measurable share of a 50-plan dashboard's CPU).
      ApolloServerPluginCacheControlDisabled(),
    ],
  });
  await apollo.start();
  const routeModules = await Promise.all(routeFactories.map((factory) => factory({ config, orm, log })));
  const jobs = jobFactories.map((factory) => factory({ config, orm, log }));
  for (const job of jobs) job.start();
  const limiter = await RateLimiter.create(config.rateLimits, config.redisUrl, log);
  const routes = routeModules.flatMap((m) => m.routes);
  const ide = new Ide();

  let inFlight = 0;
  let draining = false;
  let drained: (() => void) | null = null;
  const track = async <T>(work: () => Promise<T>): Promise<T> => {
    inFlight += 1;
    try {
      return await work();
    } finally {
      inFlight -= 1;
      if (draining && inFlight === 0) drained?.();
    }
  };

  /** A request refused before it became an operation: answered, and counted by its code. */
  const refuse = (res: ServerResponse, status: number, message: string, code: string): void => {
    metrics.refused(code);
    sendGraphQLError(res, status, message, code);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET' && url.pathname === '/healthz') return sendJson(res, 200, { status: 'ok' });
    if (req.method === 'GET' && url.pathname === '/readyz') {
      const ready = !draining && (await databaseReady(orm));
      return sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : draining ? 'draining' : 'database not ready' });
    }
    if (req.method === 'GET' && url.pathname === '/metrics') return answerPublicMetrics(config.metrics, metrics, req, res);
    if (draining) return refuse(res, 503, 'The server is shutting down', 'SERVICE_UNAVAILABLE');
    for (const route of routes) {
      const params = route.match(req.method ?? 'GET', url.pathname);
      if (params) return route.handle({ req, res, url, params });
    }
    if ((req.method === 'GET' || req.method === 'HEAD') && url.pathname.startsWith(IDE_ASSETS_PATH)) return ide.asset(req, res, url.pathname);
    if (url.pathname !== GRAPHQL_PATH) return sendJson(res, 404, { error: 'Not found' });
    const corsAllowed = cors.apply(req, res);
    if (req.method === 'OPTIONS') return cors.answerPreflight(res, corsAllowed);

    if (prefersHtml(req)) return ide.page(res);
    const unacceptable = unacceptableRequest(req);
    if (unacceptable) return refuse(res, unacceptable.status, unacceptable.message, unacceptable.code);
    const token = bearerToken(req.headers.authorization);
    if (!token) return refuse(res, 401, 'Authentication required: send Authorization: Bearer <token>', 'UNAUTHENTICATED');
    let principal: Principal;
    try {
      principal = await verifier.verify(token);
    } catch (error) {
      const { message, code } = toClientError(error);
      return refuse(res, code === 'UNAUTHENTICATED' ? 401 : code === 'SERVICE_UNAVAILABLE' ? 503 : 500, message, code);
    }
    const decision = await limiter.check(principal.subject, clientAddressOf(req, config.trustProxy));
    if (!decision.allowed) {
      res.setHeader('retry-after', String(decision.retryAfterSeconds));
      return refuse(res, decision.status, decision.message, decision.code);
    }

    let body: unknown;
    if (req.method === 'POST') {
      try {
        const text = await readBody(req, MAX_BODY_BYTES);
        body = text === '' ? {} : JSON.parse(text);
      } catch (error) {
        if (error instanceof BodyTooLargeError) return refuse(res, 413, `The request body exceeds ${MAX_BODY_BYTES} bytes`, 'BAD_REQUEST');
        return refuse(res, 400, 'The request body is not valid JSON', 'BAD_REQUEST');
      }
    }
    if (trusted) {
      const refused = useTrustedDocument(trusted, req.method === 'POST' ? body : null, url);
      if (refused) return refuse(res, 400, refused.message, refused.code);
    }
    if (isSubscriptionOverHttp(req.method ?? 'GET', body, url.searchParams, config.limits.maxTokens)) return refuse(res, 400, SUBSCRIPTIONS_OVER_HTTP, 'BAD_REQUEST');
    const csv = csvAnswers && prefersCsv(req) ? csvAnswers : null;
    // Refused before it runs: a mutation would commit and then find no report to answer with.
    const csvProblem = csv ? csv.refuse(req.method === 'POST' ? body : Object.fromEntries(url.searchParams)) : null;
    if (csvProblem) return refuse(res, 406, csvProblem, 'BAD_REQUEST');
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    // A report asked for as CSV runs as JSON and is rewritten below (issue 18).
    if (csv) headers.set('accept', 'application/json');
    // A request id from the caller's proxy is kept (when it looks like one), otherwise made; it comes back in the response.
    const given = req.headers['x-request-id'];
    const requestId = typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    res.setHeader('x-request-id', requestId);
    trace.getActiveSpan()?.setAttributes({ 'cus.request_id': requestId, 'cus.role': principal.role });
    const requestLog = log.child({ requestId, role: principal.role, gminy: principal.gminy.map(idToTerc) });
    const result = await apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body },
      context: async () => createRequestContext(orm, principal, requestLog, events, config.statementTimeoutMs),
    });
    if (csv && result.body.kind === 'complete') return sendCsv(csv, res, result.status ?? 200, result.headers, result.body.string);
    res.statusCode = result.status ?? 200;
    for (const [key, value] of result.headers) res.setHeader(key, value);
    if (result.body.kind === 'complete') {
      res.end(result.body.string);
    } else {
      for await (const chunk of result.body.asyncIterator) res.write(chunk);
      res.end();
    }
  };

  const httpServer = http.createServer((req, res) => {
    const pathname = (req.url ?? '/').split('?')[0];
    // Health checks and scrapes are not traced: they would drown the requests people look for.
    const traced = !['/healthz', '/readyz', '/metrics'].includes(pathname);
    // Public routes carry capabilities in the path (a survey's link token): a span names only the first segment.
    const route = pathname === GRAPHQL_PATH ? pathname : `/${pathname.split('/')[1] ?? ''}/…`;
    const work = traced
      ? () => inRequestSpan(`${req.method} ${route}`, req.headers, { 'http.request.method': req.method ?? '', 'http.route': route }, async (span) => {
        await handle(req, res);
        span.setAttribute('http.response.status_code', res.statusCode);
      })
      : () => handle(req, res);
    void track(work).catch((error) => {
      log.error('request failed', { error: (error as Error).message, stack: (error as Error).stack });
      if (!res.headersSent) sendGraphQLError(res, 500, 'Internal server error', 'INTERNAL_SERVER_ERROR');
      else res.end();
    });
  });

  // No per-message compression: it would keep a zlib context per connection (and cost CPU per message) for
  // events of a few hundred bytes. A message larger than the largest request body closes the socket (1009).
  const wsServer = new WebSocketServer({ server: httpServer, path: GRAPHQL_PATH, perMessageDeflate: false, maxPayload: MAX_BODY_BYTES });
  wsServer.on('connection', refuseServerMessages);
  const subscriptionResults = new SubscriptionResults(schema, (args, payload) => {
    const base = args.contextValue as RequestContext;
    const ctx = createRequestContext(orm, base.principal, log, events, config.statementTimeoutMs);
    return track(() => inOperation(ctx, 'query', async () => (await execute({ ...args, rootValue: payload, contextValue: ctx })) as ExecutionResult, failed));
  });
  // graphql-ws would keep two timers and a listener per connection for this; one sweep does it for all (its own is off below).
  const keepAlive = keepConnectionsAlive(wsServer, config.ws.keepAliveMs);
  /** Open WebSocket connections per principal (subject), for the per-principal cap. */
  const connectionsOf = new Map<string, number>();
  const documents = new DocumentCache((query) => {
    let document: DocumentNode;
    try {
      document = parse(query, { maxTokens: config.limits.maxTokens });
    } catch (error) {
      const { message, code } = toClientError(new GraphQLError((error as Error).message, { extensions: { code: 'GRAPHQL_PARSE_FAILED' } }));
      return [new GraphQLError(message, { extensions: { code } })];
    }
    const invalid = validate(schema, document, [...subscriptionSafeRules, ...ownRules]);
    if (invalid.length > 0) {
      return invalid.map((e) => new GraphQLError(e.message, {
        nodes: e.nodes, extensions: { ...e.extensions, code: e.extensions?.code ?? 'GRAPHQL_VALIDATION_FAILED' },
      }));
    }
    return document;
  });
  const wsCleanup = useServer<Record<string, unknown>, SocketExtra>(
    {
      schema,
      // The token travels in connection_init: { "authorization": "Bearer <token>" }. A bad one closes with 4403.
      connectionInitWaitTimeout: config.ws.initTimeoutMs,
      onConnect: async (ctx) => {
        const token = bearerToken(ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization);
        if (!token || draining) return false;
        let principal: Principal;
        try {
          principal = await verifier.verify(token);
        } catch {
          return false;
        }
        const open = connectionsOf.get(principal.subject) ?? 0;
        if (config.ws.maxConnectionsPerPrincipal > 0 && open >= config.ws.maxConnectionsPerPrincipal) {
          ctx.extra.socket.close(CLOSE_TOO_MANY, `Too many connections: at most ${config.ws.maxConnectionsPerPrincipal} per user`);
          return false;
        }
        connectionsOf.set(principal.subject, open + 1);
        ctx.extra.principal = principal;
        ctx.extra.operations = new Set();
        // The upgrade request is needed for nothing else: read the address now and let it go (it is kilobytes per connection).
        ctx.extra.address = clientAddressOf(ctx.extra.request, config.trustProxy);
        delete (ctx.extra as { request?: unknown }).request;
        return true;
      },
      onClose: (ctx) => {
        const subject = ctx.extra.principal?.subject;
        if (!subject) return;
        const left = (connectionsOf.get(subject) ?? 1) - 1;
        if (left > 0) connectionsOf.set(subject, left);
        else connectionsOf.delete(subject);
      },
      onComplete: (ctx, id) => {
        ctx.extra.operations?.delete(id);
      },
      // Parse and validate here, so a bad document answers this operation with a coded error
      // instead of closing the whole connection; and a token that expired since connect ends it.
      onSubscribe: async (ctx, id, payload) => {
        const principal = ctx.extra.principal;
        if (!principal || principal.expiresAt * 1000 <= Date.now()) {
          ctx.extra.socket.close(CLOSE_FORBIDDEN, 'Forbidden: the token has expired');
          return [new GraphQLError('The token has expired', { extensions: { code: 'UNAUTHENTICATED' } })];
        }
        const decision = await limiter.check(principal.subject, ctx.extra.address ?? '');
        if (!decision.allowed) {
          return [new GraphQLError(decision.message, { extensions: { code: decision.code, retryAfterSeconds: decision.retryAfterSeconds } })];
        }
        let query = payload.query;
        if (trusted) {
          const resolved = trusted.resolve(payload as DocumentRequest);
          if ('refused' in resolved) return [new GraphQLError(resolved.refused.message, { extensions: { code: resolved.refused.code } })];
          query = resolved.query;
        }
        const document = documents.get(query);
        if (Array.isArray(document)) return document;
        // The operation to run is chosen as Apollo does over HTTP, with its code (graphql-ws would answer without one).
        if (!getOperationAST(document, payload.operationName ?? null)) {
          const message = payload.operationName
            ? `Unknown operation named "${payload.operationName.slice(0, 100)}"`
            : 'Must provide operation name if query contains multiple operations';
          return [new GraphQLError(message, { extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } })];
        }
        const operations = ctx.extra.operations ?? new Set<string>();
        if (config.ws.maxSubscriptionsPerConnection > 0 && operations.size >= config.ws.maxSubscriptionsPerConnection) {
          return [new GraphQLError(`Too many operations on this connection: at most ${config.ws.maxSubscriptionsPerConnection} at once`,
            { extensions: { code: 'TOO_MANY_REQUESTS' } })];
        }
        operations.add(id);
        return { schema, document, operationName: payload.operationName, variableValues: payload.variables };
      },
      context: (ctx, id) => {
        const principal = ctx.extra.principal as Principal;
        const operationLog = log.child({ requestId: randomUUID(), subscriptionId: id, role: principal.role, gminy: principal.gminy.map(idToTerc) });
        return forkedOnUse(orm, principal, operationLog, events, config.statementTimeoutMs);
      },
      execute: async (args: ExecutionArgs) => {
        const answered = observeOperation(metrics, 'ws');
        const ctx = args.contextValue as RequestContext;
        // An operation that cannot begin or commit (the database is away) is answered with its code; thrown, it would close the socket with 4500.
        const result = await track(() => inOperation(ctx, operationKind(args), async () => (await execute(args)) as ExecutionResult, failed))
          .catch((error: unknown): ExecutionResult => {
            const { message, code } = toClientError(error);
            return { errors: [new AppError(code as ErrorCode, message)] };
          });
        answered(ctx.log, ctx.principal, args.operationName || (getOperationAST(args.document, null)?.name?.value ?? null), operationKind(args), result.errors ?? []);
        return result;
      },
      // Each event of a subscription is executed as an operation of its own (new transaction, loaders
      // and records); one whose selection needs nothing beyond the event itself touches no database.
      // Counted and logged like any operation when it starts (or is refused), and logged again when it ends.
      subscribe: async (args: ExecutionArgs) => {
        const answered = observeOperation(metrics, 'ws');
        const ctx = args.contextValue as RequestContext;
        const name = args.operationName || (getOperationAST(args.document, null)?.name?.value ?? null);
        let result: Awaited<ReturnType<SubscriptionResults['subscribe']>>;
        try {
          result = await subscriptionResults.subscribe(args);
        } catch (error) {
          answered(ctx.log, ctx.principal, name, 'subscription', [new AppError(toClientError(error).code as ErrorCode, 'failed')]);
          throw error;
        }
        if (!(Symbol.asyncIterator in result)) {
          answered(ctx.log, ctx.principal, name, 'subscription', result.errors ?? []);
          return result;
        }
        answered(ctx.log, ctx.principal, name, 'subscription', []);
        return loggedUntilEnd(result, ctx.log, name);
      },
      onNext: (_ctx, _id, _payload, _args, result) => formatResult(result, log),
    },
    wsServer,
    0,
  );

  // Its own port first: one that is taken stops the start before the public port opens.
  const metricsServer = await startMetricsServer(config.metrics, metrics, log);
  await new Promise<void>((resolve) => httpServer.listen(port, config.host, resolve));
  const address = httpServer.address() as AddressInfo;

  return {
    // Listening on every interface, the address to open is this machine's own.
    url: `http://${['0.0.0.0', '::'].includes(config.host) ? 'localhost' : config.host}:${address.port}${GRAPHQL_PATH}`,
    port: address.port,
    httpServer,
    metricsUrl: metricsServer?.url ?? null,
    async close() {
      draining = true;
      httpServer.close();
      if (inFlight > 0) {
        await Promise.race([
          new Promise<void>((resolve) => { drained = resolve; }),
          new Promise<void>((resolve) => setTimeout(resolve, DRAIN_TIMEOUT_MS).unref()),
        ]);
      }
      for (const client of wsServer.clients) client.close(1001, 'Server shutting down');
      keepAlive.stop();
      events.closeAll();
      await outbox.stop();
      await Promise.all(jobs.map((job) => job.stop()));
      await limiter.close();
      await tracing?.shutdown();
      await wsCleanup.dispose();
      await new Promise<void>((resolve) => wsServer.close(() => resolve()));
      httpServer.closeAllConnections();
      await apollo.stop();
      await Promise.all(routeModules.map((m) => m.close?.()));
      await verifier.close();
      await metricsServer?.close();
    },
  };
}

/**
 * Puts the trusted document a request names in its place (the POST body, or GET's parameters), so the
 * request goes on as if it had sent that text; returns why not when it may not run.
 */
function useTrustedDocument(trusted: TrustedDocuments, body: unknown, url: URL): { code: string; message: string } | null {
  if (body !== null) {
    if (!body || typeof body !== 'object' || Array.isArray(body)) return { code: 'DOCUMENT_NOT_TRUSTED', message: 'Send one operation as a JSON object' };
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
    return { code: 'BAD_REQUEST', message: 'The extensions parameter is not valid JSON' };
  }
  const resolved = trusted.resolve({ query: url.searchParams.get('query') ?? undefined, documentId: url.searchParams.get('documentId') ?? undefined, extensions });
  if ('refused' in resolved) return resolved.refused;
  url.searchParams.set('query', resolved.query);
  url.searchParams.delete('documentId');
  url.searchParams.delete('extensions');
  return null;
}

const failed = (result: ExecutionResult) => (result.errors?.length ?? 0) > 0;

/** A subscription's results, passed on as they are; its end is logged with how long it ran and what it sent. */
function loggedUntilEnd(results: AsyncIterableIterator<ExecutionResult>, log: Logger, operation: string | null): AsyncIterableIterator<ExecutionResult> {
  const started = performance.now();
  let events = 0;
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    log.info('subscription ended', { operation, events, seconds: Math.round((performance.now() - started) / 1000) });
  };
  return {
    async next() {
      const step = await results.next();
      if (step.done) end();
      else events += 1;
      return step;
    },
    async return() {
      end();
      return (await results.return?.()) ?? { value: undefined, done: true };
    },
    async throw(error: unknown) {
      end();
      if (results.throw) return results.throw(error);
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/**
 * A WebSocket operation's context whose entity manager, transaction and loaders are made on first
 * use. A subscription never uses its own (each event, and each replay, runs as an operation of its
 * own), and 10,000 subscriptions would otherwise hold 10,000 forks of the entity manager.
 */
function forkedOnUse(orm: MikroORM, principal: Principal, log: Logger, events: EventHub, statementTimeoutMs: number): RequestContext {
  let full: RequestContext | null = null;
  const context = () => (full ??= createRequestContext(orm, principal, log, events, statementTimeoutMs));
  return {
    principal, log, orm, events, statementTimeoutMs,
    get em() { return context().em; },
    get operation() { return context().operation; },
    get loaders() { return context().loaders; },
  };
}

function operationKind(args: ExecutionArgs): 'query' | 'mutation' | 'subscription' {
  return getOperationAST(args.document, args.operationName || null)?.operation ?? 'query';
}

/** Errors on WebSocket results get the same treatment as over HTTP: a code from the closed set, nothing internal. */
function formatResult(result: ExecutionResult, log: Logger) {
  if (!result.errors?.length) return result;
  return {
    ...result,
    errors: result.errors.map((error) => {
      const { message, code } = toClientError(error);
      if (code === 'INTERNAL_SERVER_ERROR') log.error('internal error', { error: error.message, path: error.path });
      return { message, locations: error.locations, path: error.path, extensions: { code } };
    }),
  };
}

/** Ready when the database answers as the application role and every migration has run. */
async function databaseReady(orm: MikroORM): Promise<boolean> {
  try {
    const rows = await orm.em.fork().getConnection().execute<{ name: string }[]>('select name from mikro_orm_migrations');
    const applied = new Set(rows.map((r) => r.name.replace(/\.(ts|js)$/, '')));
    return migrationNames(orm).every((name) => applied.has(name));
  } catch {
    return false;
  }
}

/** A report's JSON answer as CSV; errors (and anything but one report) stay JSON, with the status they had or 406. */
function sendCsv(csv: CsvAnswers, res: ServerResponse, status: number, headers: HeaderMap, body: string): void {
  const result = JSON.parse(body) as { data?: Record<string, unknown> | null; errors?: unknown[] };
  const table = status === 200 && !result.errors?.length ? csv.render(result.data) : null;
  if (!table || 'error' in table) {
    for (const [key, value] of headers) res.setHeader(key, value);
    if (table) return sendGraphQLError(res, 406, table.error, 'BAD_REQUEST');
    res.statusCode = status;
    return void res.end(body);
  }
  res.statusCode = 200;
  res.setHeader('content-type', 'text/csv; charset=utf-8; header=present');
  res.setHeader('content-disposition', `attachment; filename="${table.filename}"`);
  res.setHeader('vary', 'accept');
  res.end(table.csv);
}

function sendGraphQLError(res: ServerResponse, status: number, message: string, code: string): void {
  if (status === 401) res.setHeader('www-authenticate', 'Bearer');
  sendJson(res, status, { errors: [{ message, extensions: { code } }] });
}

