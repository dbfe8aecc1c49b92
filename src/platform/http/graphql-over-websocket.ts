import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import { WebSocketServer } from 'ws';
import { CloseCode } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { execute, getOperationAST, GraphQLError, parse, validate, type DocumentNode, type ExecutionArgs, type ExecutionResult } from 'graphql';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from '../logger.js';
import type { ModuleSettings } from '../config.js';
import { idToTerc, type Principal } from '../auth/principal.js';
import { bearerToken } from '../auth/tokens.js';
import { createRequestContext, inOperation, type RequestContext } from '../graphql/context.js';
import { AppError, ErrorCode, formatErrorFor, toClientError } from '../graphql/errors.js';
import { failsOperation } from '../graphql/operation-outcome.js';
import { subscriptionSafeRules } from '../graphql/subscription-rules.js';
import type { EventHub } from '../events/event-hub.js';
import { SubscriptionResults } from '../events/event-results.js';
import { clientAddressOf } from './client-address.js';
import type { Drain } from './drain.js';
import type { GraphQLServingDeps } from './graphql-serving.js';
import { observeOperation } from './operation-telemetry.js';
import { keepConnectionsAlive } from './ws-keepalive.js';
import { DocumentCache } from './ws-documents.js';
import { refuseServerMessages } from './ws-server-messages.js';

export interface GraphQLOverWebSocketDeps extends GraphQLServingDeps {
  httpServer: http.Server;
  path: string;
  /** The largest message a client may send; a larger one closes the socket (1009). */
  maxPayload: number;
  /** Operations and subscription events count as work in flight; no connection is accepted while draining. */
  drain: Drain;
}

export interface GraphQLOverWebSocket {
  /** Tells every client the server is going away (1001) and stops the keep-alive sweep. */
  closeConnections(): void;
  /** Disposes of graphql-ws and closes the WebSocket server. */
  stop(): Promise<void>;
}

/** The WebSocket protocol's own close code for a server going away (RFC 6455); graphql-ws has none for it. */
const GOING_AWAY = 1001;

type SocketExtra = { principal?: Principal; operations?: Set<string>; address?: string };

/**
 * GraphQL over WebSocket (graphql-ws) on the HTTP server's /graphql: the token in connection_init,
 * per-principal and per-connection caps, the rate limit and trusted documents per operation, each
 * operation in its own transaction, subscriptions fed by the outbox (../events).
 */
export function startGraphQLOverWebSocket(deps: GraphQLOverWebSocketDeps): GraphQLOverWebSocket {
  const { httpServer, path, maxPayload, config, schema, rules, orm, log, events, metrics, tokens, limiter, trusted, drain } = deps;
  // No per-message compression: it would keep a zlib context per connection (and cost CPU per message) for
  // events of a few hundred bytes. A message larger than the largest request body closes the socket (1009).
  const wsServer = new WebSocketServer({ server: httpServer, path, perMessageDeflate: false, maxPayload });
  wsServer.on('connection', refuseServerMessages);
  const subscriptionResults = new SubscriptionResults(schema, (args, payload) => {
    const base = args.contextValue as RequestContext;
    const ctx = createRequestContext(orm, base.principal, log, events, config.statementTimeoutMs, config);
    return drain.track(() => inOperation(ctx, 'query', async () => await execute({ ...args, rootValue: payload, contextValue: ctx }), failed));
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
      const { message, code } = toClientError(new GraphQLError((error as Error).message, { extensions: { code: ErrorCode.GRAPHQL_PARSE_FAILED } }));
      return [new GraphQLError(message, { extensions: { code } })];
    }
    const invalid = validate(schema, document, [...subscriptionSafeRules, ...rules]);
    if (invalid.length > 0) {
      return invalid.map(
        (e) =>
          new GraphQLError(e.message, {
            nodes: e.nodes,
            extensions: { ...e.extensions, code: e.extensions?.code ?? ErrorCode.GRAPHQL_VALIDATION_FAILED },
          }),
      );
    }
    return document;
  });
  const formatError = formatErrorFor(log);
  const wsCleanup = useServer<Record<string, unknown>, SocketExtra>(
    {
      schema,
      // The token travels in connection_init: { "authorization": "Bearer <token>" }. A bad one closes with 4403.
      connectionInitWaitTimeout: config.ws.initTimeoutMs,
      onConnect: async (ctx) => {
        const token = bearerToken(ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization);
        if (!token || drain.draining) return false;
        let principal: Principal;
        try {
          principal = await tokens.verify(token);
        } catch {
          return false;
        }
        const open = connectionsOf.get(principal.subject) ?? 0;
        if (config.ws.maxConnectionsPerPrincipal > 0 && open >= config.ws.maxConnectionsPerPrincipal) {
          // graphql-ws's code for too many requests, used for too many connections too.
          ctx.extra.socket.close(CloseCode.TooManyInitialisationRequests, `Too many connections: at most ${config.ws.maxConnectionsPerPrincipal} per user`);
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
          ctx.extra.socket.close(CloseCode.Forbidden, 'Forbidden: the token has expired');
          return [new GraphQLError('The token has expired', { extensions: { code: ErrorCode.UNAUTHENTICATED } })];
        }
        const decision = await limiter.check(principal.subject, ctx.extra.address ?? '');
        if (!decision.allowed) {
          return [new GraphQLError(decision.message, { extensions: { code: decision.code, retryAfterSeconds: decision.retryAfterSeconds } })];
        }
        let query = payload.query;
        if (trusted) {
          const resolved = trusted.resolve(payload);
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
          return [new GraphQLError(message, { extensions: { code: ErrorCode.OPERATION_RESOLUTION_FAILURE } })];
        }
        const operations = ctx.extra.operations ?? new Set<string>();
        if (config.ws.maxSubscriptionsPerConnection > 0 && operations.size >= config.ws.maxSubscriptionsPerConnection) {
          return [
            new GraphQLError(`Too many operations on this connection: at most ${config.ws.maxSubscriptionsPerConnection} at once`, {
              extensions: { code: ErrorCode.TOO_MANY_REQUESTS },
            }),
          ];
        }
        operations.add(id);
        return { schema, document, operationName: payload.operationName, variableValues: payload.variables };
      },
      context: (ctx, id) => {
        const principal = ctx.extra.principal as Principal;
        const operationLog = log.child({ requestId: randomUUID(), subscriptionId: id, role: principal.role, gminy: principal.gminy.map(idToTerc) });
        return forkedOnUse(orm, principal, operationLog, events, config.statementTimeoutMs, config);
      },
      execute: async (args: ExecutionArgs) => {
        const answered = observeOperation(metrics, 'ws');
        const ctx = args.contextValue as RequestContext;
        // An operation that cannot begin or commit (the database is away) is answered with its code; thrown, it would close the socket with 4500.
        const result = await drain
          .track(() => inOperation(ctx, operationKind(args), async () => await execute(args), failed))
          .catch((error: unknown): ExecutionResult => {
            const { message, code } = toClientError(error);
            return { errors: [new AppError(code, message)] };
          });
        answered(
          ctx.log,
          ctx.principal,
          args.operationName || (getOperationAST(args.document, null)?.name?.value ?? null),
          operationKind(args),
          result.errors ?? [],
        );
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
          answered(ctx.log, ctx.principal, name, 'subscription', [new AppError(toClientError(error).code, 'failed')]);
          throw error;
        }
        if (!(Symbol.asyncIterator in result)) {
          answered(ctx.log, ctx.principal, name, 'subscription', result.errors ?? []);
          return result;
        }
        answered(ctx.log, ctx.principal, name, 'subscription', []);
        return loggedUntilEnd(result, ctx.log, name);
      },
      // The same formatter as over HTTP (../graphql/errors.ts).
      onNext: (_ctx, _id, _payload, _args, result) =>
        result.errors?.length ? { ...result, errors: result.errors.map((error) => formatError(error.toJSON(), error)) } : result,
    },
    wsServer,
    0,
  );

  return {
    closeConnections() {
      for (const client of wsServer.clients) client.close(GOING_AWAY, 'Server shutting down');
      keepAlive.stop();
    },
    async stop() {
      await wsCleanup.dispose();
      await new Promise<void>((resolve) => wsServer.close(() => resolve()));
    },
  };
}

/** As over HTTP (transaction-plugin.ts): a field the principal may not read withholds the field, not the write. */
const failed = (result: ExecutionResult) => failsOperation((result.errors ?? []).map((e) => ({ path: e.path, code: toClientError(e).code })));

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
function forkedOnUse(orm: MikroORM, principal: Principal, log: Logger, events: EventHub, statementTimeoutMs: number, settings: ModuleSettings): RequestContext {
  let full: RequestContext | null = null;
  const context = () => (full ??= createRequestContext(orm, principal, log, events, statementTimeoutMs, settings));
  return {
    principal,
    log,
    orm,
    events,
    statementTimeoutMs,
    settings,
    get em() {
      return context().em;
    },
    get operation() {
      return context().operation;
    },
    get loaders() {
      return context().loaders;
    },
  };
}

function operationKind(args: ExecutionArgs): 'query' | 'mutation' | 'subscription' {
  return getOperationAST(args.document, args.operationName || null)?.operation ?? 'query';
}
