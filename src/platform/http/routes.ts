import type { IncomingMessage, ServerResponse } from 'node:http';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';

/** What a route needs from the running server. */
export interface RouteDeps {
  config: Config;
  orm: MikroORM;
  log: Logger;
}

export interface RouteRequest {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  /** Parameters the route's `match` read from the path. */
  params: Record<string, string>;
}

/**
 * An HTTP endpoint beside /graphql that needs no bearer token (the public HSDS catalogue, the
 * public survey link). Each one reads the database only through `publicSession`, as the PUBLIC
 * principal, so row-level security decides what it can reach.
 */
export interface HttpRoute {
  /** The path parameters when this route serves the request, else null. */
  match(method: string, pathname: string): Record<string, string> | null;
  handle(request: RouteRequest): Promise<void>;
}

/** Builds a module's routes when the server starts; `close` runs when it stops. */
export type RouteFactory = (deps: RouteDeps) => Promise<{ routes: HttpRoute[]; close?: () => Promise<void> }>;

/** Work a server runs beside its requests (a scheduled rebuild, say): started with it, stopped with it. */
export interface Job {
  start(): void;
  stop(): Promise<void>;
}

export type JobFactory = (deps: RouteDeps) => Job;

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  for (const [key, value] of Object.entries(headers)) res.setHeader(key, value);
  res.end(JSON.stringify(body));
}
