import { inject } from 'vitest';
import pg from 'pg';
import WebSocket from 'ws';
import { createClient, type Client } from 'graphql-ws';
import { loadConfig } from '../../src/platform/config.js';
import { createLogger } from '../../src/platform/logger.js';
import { createOrm } from '../../src/app.js';
import { createTokenVerifier, signDevToken } from '../../src/platform/auth/tokens.js';
import { unitServing } from '../../src/platform/auth/token-door.js';
import { CUS_STAFF, Role } from '../../src/platform/auth/roles.js';
import { tercToId } from '../../src/platform/auth/principal.js';
import { startServer } from '../../src/app.js';
import { subscriptionGauge } from './subscriptions.js';

export { Role };

/** The settings every suite's server runs with; a suite may change some (startTestApp's `env`). */
const TEST_ENV: Record<string, string> = {
  LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
  DEV_KEY_FILE: '.data/test-dev-jwt-key.json',
  // Tests rebuild the report rollup when they need it (reportsRefresh), never behind their back.
  REPORT_REFRESH_SECONDS: '0',
  // Suites send hundreds of requests as one principal; tests/rate-limit.test.ts sets its own limits.
  RATE_LIMIT_PER_PRINCIPAL: '0',
  RATE_LIMIT_PER_ADDRESS: '0',
  // Development tokens of one role share a subject, so a suite's connections would all count as one user's.
  WS_MAX_CONNECTIONS_PER_PRINCIPAL: '0',
  // /metrics on a port of its own, a free one for each suite's server (app.metricsUrl).
  METRICS_PORT: '0',
};

export const testConfig = loadConfig({ ...process.env, ...TEST_ENV });

export interface GraphQLResponse<T = any> {
  status: number;
  body: { data?: T; errors?: { message: string; extensions?: { code?: string }; path?: unknown[] }[] };
}

export interface Who {
  role: Role;
  gminy?: string[];
  /** The CUS unit (UUID) of a staff member; left out, the unit serving all of `gminy` (see staffUnit). */
  unit?: string;
  partner?: string;
}

/**
 * The `cus_unit` claim of a staff member's token: the one given, or the unit that serves all the gminy
 * the token names, looked up when the token is made (suites create their units as they go). None when
 * no unit serves them all: the server then refuses the token, as it must.
 */
export async function staffUnit(lookups: pg.Pool, who: Who): Promise<string | undefined> {
  if (!CUS_STAFF.includes(who.role)) return undefined;
  return who.unit ?? (await unitServing(lookups, (who.gminy ?? []).map(tercToId))) ?? undefined;
}

/** A running server on a random port, as a client sees it, plus the raw handles tests need. */
export interface TestApp {
  url: string;
  wsUrl: string;
  /** GET it for the server's Prometheus metrics (its own port: the public one does not serve them). */
  metricsUrl: string;
  /** Subscriptions this server is following events for, as its `cus_subscriptions_open` gauge counts them. */
  openSubscriptions(): Promise<number>;
  /** Resolves once the server follows exactly `count` subscriptions: a live-only one misses what commits before it is open. */
  untilOpenSubscriptions(count: number, timeoutMs?: number): Promise<void>;
  /** SQL statements the server sent since the last reset (tests assert batching with it). */
  statements: string[];
  token(who: Who, options?: { expiresIn?: string; subject?: string }): Promise<string>;
  gql<T = any>(who: Who | string | null, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
  ws(who: Who | string | null): Client;
  close(): Promise<void>;
}

/**
 * A server for one suite; `env` changes settings for it alone (rate limits, say). `appUrl` is the test
 * file's own database (tests/support/suite-database.ts) unless a suite brings another (ownDemoDatabase).
 */
export async function startTestApp(env: Record<string, string> = {}, appUrl: string = inject('appUrl')): Promise<TestApp> {
  const config = Object.keys(env).length === 0 ? testConfig : loadConfig({ ...process.env, ...TEST_ENV, ...env });
  const log = createLogger(config.logLevel);
  const statements: string[] = [];
  const orm = await createOrm(appUrl, {
    poolSize: 5,
    // As npm start does: at debug level every SQL statement is logged (through the redacting logger).
    log: config.logLevel === 'debug' ? log : undefined,
    onQuery: (message) => {
      if (/\b(select|insert|update|delete|begin|commit|rollback)\b/i.test(message)) statements.push(message);
    },
  });
  const verifier = await createTokenVerifier(testConfig);
  const server = await startServer({ config, orm, verifier, log }, 0);
  const clients: Client[] = [];
  const lookups = new pg.Pool({ connectionString: appUrl, max: 2 });
  // An idle lookup connection ended by the server (a suite's own database dropped with force) is only dropped from the pool.
  lookups.on('error', () => undefined);

  const token = async (who: Who, options: { expiresIn?: string; subject?: string } = {}) =>
    signDevToken(testConfig, { role: who.role, gminy: who.gminy, cus_unit: await staffUnit(lookups, who), partner_id: who.partner, ...options });
  const bearer = async (who: Who | string | null) => (who === null ? null : typeof who === 'string' ? who : token(who));

  const gauge = subscriptionGauge(server.metricsUrl ?? '');

  return {
    url: server.url,
    wsUrl: server.url.replace(/^http/, 'ws'),
    metricsUrl: server.metricsUrl ?? '',
    openSubscriptions: gauge.openSubscriptions,
    untilOpenSubscriptions: gauge.untilOpenSubscriptions,
    statements,
    token,
    async gql(who, query, variables) {
      const auth = await bearer(who);
      const response = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${auth}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, body: (await response.json()) as GraphQLResponse['body'] };
    },
    ws(who) {
      const client = createClient({
        url: server.url.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        lazy: false,
        retryAttempts: 0,
        connectionParams: async () => {
          const auth = await bearer(who);
          return auth ? { authorization: `Bearer ${auth}` } : {};
        },
        onNonLazyError: () => {},
      });
      clients.push(client);
      return client;
    },
    async close() {
      await Promise.all(clients.map((c) => c.dispose()));
      await server.close();
      await orm.close();
      await lookups.end();
    },
  };
}

/** Runs one statement the way the server's database role would, with the given settings (none: no principal). */
export async function rawAsApp<T = Record<string, unknown>>(sql: string, params: unknown[] = [], settings: Record<string, string> | null = null): Promise<T[]> {
  const client = new pg.Client({ connectionString: inject('appUrl') });
  await client.connect();
  try {
    await client.query('begin');
    if (settings) {
      for (const [key, value] of Object.entries(settings)) await client.query('select set_config($1, $2, true)', [key, value]);
    }
    const { rows } = await client.query(sql, params);
    await client.query('rollback');
    return rows as T[];
  } finally {
    await client.end();
  }
}

/** Runs SQL as the schema owner (test fixtures that no API may create). */
export async function rawAsOwner<T = Record<string, unknown>>(sql: string, params: unknown[] = [], ownerUrl: string = inject('ownerUrl')): Promise<T[]> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as T[];
  } finally {
    await client.end();
  }
}

/** A run-unique suffix so tests that run in parallel never collide on names. */
export const unique = (label: string) => `${label} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** Codes of the top-level errors of a response. */
export const codes = (response: GraphQLResponse) => (response.body.errors ?? []).map((e) => e.extensions?.code);
