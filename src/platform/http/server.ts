import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GraphQLSchema } from 'graphql';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { TokenVerifier } from '../auth/tokens.js';
import { TokenDoor } from '../auth/token-door.js';
import { migrationNames } from '../database/orm.js';
import { ErrorCode } from '../graphql/errors.js';
import { limitRule } from '../graphql/limits.js';
import { introspectionOffRule } from '../graphql/introspection.js';
import { TrustedDocuments } from '../graphql/trusted-documents.js';
import { EventHub } from '../events/event-hub.js';
import { OutboxListener } from '../events/outbox-listener.js';
import { inRequestSpan, startTracing } from '../tracing.js';
import { Drain } from './drain.js';
import { connectionUrlOf } from '../database/urls.js';
import { sendGraphQLError } from './graphql-errors.js';
import { MAX_BODY_BYTES, startGraphQLOverHttp, type AlternativeRendering, type GraphQLOverHttp } from './graphql-over-http.js';
import { startGraphQLOverWebSocket } from './graphql-over-websocket.js';
import { Ide, IDE_ASSETS_PATH } from './ide.js';
import { Metrics } from './metrics.js';
import { answerPublicMetrics, startMetricsServer } from './metrics-endpoint.js';
import { RateLimiter } from './rate-limit.js';
import { sendJson, type HttpRoute, type JobFactory, type RouteFactory } from './routes.js';

export const GRAPHQL_PATH = '/graphql';
const DRAIN_TIMEOUT_MS = 10_000;

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
  /** Renderings of a query's data other than JSON (CSV, PDF), offered by the media type the client asks for; none without. */
  renderings?: AlternativeRendering[];
}

/**
 * The server, put together: events from the outbox, GraphQL over HTTP and over WebSocket on one port,
 * the modules' routes and jobs, /metrics; `close` drains and stops them in turn.
 */
export async function startServer(
  { config, orm, verifier, log, schema, routes: routeFactories, jobs: jobFactories, renderings }: ServerDeps,
  port = config.port,
): Promise<PlatformServer> {
  // A token is admitted when its signature holds and what it names is real (its unit, gminy, partner).
  const tokens = new TokenDoor(verifier, connectionUrlOf(orm));
  const trusted = config.trustedDocumentsFile ? TrustedDocuments.load(config.trustedDocumentsFile) : null;
  if (trusted) log.info('trusted documents only', { documents: trusted.size });
  const tracing = startTracing(config.tracing, log);
  const events = new EventHub();
  const outbox = new OutboxListener(connectionUrlOf(orm), events, log);
  await outbox.start();
  const metrics = new Metrics({ poolMax: config.dbPoolSize, subscriptions: () => events.subscriberCount, outboxLag: () => outbox.lag });
  // Our rules, on both paths alike: the operation limits, and introspection when INTROSPECTION is off.
  const rules = [limitRule(config.limits), ...(config.introspection ? [] : [introspectionOffRule])];
  const limiter = await RateLimiter.create(config.rateLimits, config.redisUrl, log);
  const graphql = { config, schema, rules, orm, log, events, metrics, tokens, limiter, trusted };

  const overHttp = await startGraphQLOverHttp({ ...graphql, renderings });
  const routeModules = await Promise.all(routeFactories.map((factory) => factory({ config, orm, log })));
  const jobs = jobFactories.map((factory) => factory({ config, orm, log }));
  for (const job of jobs) job.start();
  const drain = new Drain();
  const handle = requestHandler({ config, orm, metrics, drain, overHttp, routes: routeModules.flatMap((m) => m.routes), ide: new Ide() });
  const httpServer = http.createServer((req, res) => {
    void drain
      .track(() => traced(req, res, handle))
      .catch((error) => {
        log.error('request failed', { error: (error as Error).message, stack: (error as Error).stack });
        if (!res.headersSent) sendGraphQLError(res, 500, 'Internal server error', ErrorCode.INTERNAL_SERVER_ERROR);
        else res.end();
      });
  });
  const overWebSocket = startGraphQLOverWebSocket({ ...graphql, httpServer, path: GRAPHQL_PATH, maxPayload: MAX_BODY_BYTES, drain });

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
      const drained = drain.drain(DRAIN_TIMEOUT_MS);
      httpServer.close();
      await drained;
      overWebSocket.closeConnections();
      events.closeAll();
      await outbox.stop();
      await Promise.all(jobs.map((job) => job.stop()));
      await limiter.close();
      await tracing?.shutdown();
      await overWebSocket.stop();
      httpServer.closeAllConnections();
      await overHttp.stop();
      await Promise.all(routeModules.map((m) => m.close?.()));
      await tokens.close();
      await metricsServer?.close();
    },
  };
}

interface Routing {
  config: Config;
  orm: MikroORM;
  metrics: Metrics;
  drain: Drain;
  overHttp: GraphQLOverHttp;
  routes: HttpRoute[];
  ide: Ide;
}

/** Where a request goes: health and readiness, /metrics, the modules' routes, the IDE's files, /graphql. */
function requestHandler({ config, orm, metrics, drain, overHttp, routes, ide }: Routing) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET' && url.pathname === '/healthz') return sendJson(res, 200, { status: 'ok' });
    if (req.method === 'GET' && url.pathname === '/readyz') {
      const ready = !drain.draining && (await databaseReady(orm));
      return sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : drain.draining ? 'draining' : 'database not ready' });
    }
    if (req.method === 'GET' && url.pathname === '/metrics') return answerPublicMetrics(config.metrics, metrics, req, res);
    if (drain.draining) return overHttp.refuse(res, 503, 'The server is shutting down', ErrorCode.SERVICE_UNAVAILABLE);
    for (const route of routes) {
      const params = route.match(req.method ?? 'GET', url.pathname);
      if (params) return route.handle({ req, res, url, params });
    }
    if ((req.method === 'GET' || req.method === 'HEAD') && url.pathname.startsWith(IDE_ASSETS_PATH)) return ide.asset(req, res, url.pathname);
    if (url.pathname !== GRAPHQL_PATH) return sendJson(res, 404, { error: 'Not found' });
    return overHttp.handle(req, res, url);
  };
}

/** A request in a span of its own, but for health checks and scrapes, which would drown the requests people look for. */
function traced(req: IncomingMessage, res: ServerResponse, handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>): Promise<void> {
  const pathname = (req.url ?? '/').split('?')[0];
  if (['/healthz', '/readyz', '/metrics'].includes(pathname)) return handle(req, res);
  // Public routes carry capabilities in the path (a survey's link token): a span names only the first segment.
  const route = pathname === GRAPHQL_PATH ? pathname : `/${pathname.split('/')[1] ?? ''}/…`;
  return inRequestSpan(`${req.method} ${route}`, req.headers, { 'http.request.method': req.method ?? '', 'http.route': route }, async (span) => {
    await handle(req, res);
    span.setAttribute('http.response.status_code', res.statusCode);
  });
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
