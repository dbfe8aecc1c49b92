import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { trustProxyFrom, type TrustProxy } from './http/client-address.js';
import { allowedHeadersFrom } from './http/cors.js';
import type { RateLimitFailMode } from './http/rate-limit.js';
import { MIN_METRICS_TOKEN_LENGTH, type MetricsAccess } from './http/metrics-endpoint.js';

/** Root of the project (the folder holding package.json), wherever the code runs from (src or dist). */
export const projectRoot = findProjectRoot();

function findProjectRoot(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  // src/platform -> ../..; dist/src/platform -> ../../..
  return here.includes(`${path.sep}dist${path.sep}`) ? path.resolve(here, '../../..') : path.resolve(here, '../..');
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export interface Config {
  port: number;
  host: string;
  /** Connection of the schema owner: migrations and seeds run with it. Unset: embedded PostgreSQL. */
  databaseUrl: string | undefined;
  /** Connection the server uses at run time; a role that owns nothing and cannot bypass RLS. */
  appDatabaseUrl: string | undefined;
  appDbPassword: string;
  dbPoolSize: number;
  embeddedPgDir: string;
  embeddedPgPort: number;
  jwksUrl: string | undefined;
  jwtIssuer: string | undefined;
  jwtAudience: string | undefined;
  devKeyFile: string;
  logLevel: LogLevel;
  seedOnStart: boolean;
  /** Responses one public survey link accepts per clock hour, across all server instances (flood guard). */
  surveyResponsesPerHour: number;
  /** A question's survey results are shown once its survey is closed and at least this many answered it; never below 5. */
  surveyMinResponses: number;
  /**
   * Behind reverse proxies: which of them are trusted to say who the client is (X-Forwarded-For), for
   * the per-address limits: false (none), true (all), a hop count, or addresses and CIDR ranges.
   */
  trustProxy: TrustProxy;
  /** The most minutes of delivered sessions one person receives on one day, across all providers (a delivery past it is refused). */
  deliveryMaxMinutesPerDay: number;
  /** How often the report rollup is rebuilt (0: never on a schedule, only by reportsRefresh). */
  reportRefreshSeconds: number;
  /** Counts of persons below it are never published as themselves to protected principals (MINISTRY, GMINA_OFFICIAL); never below 5. */
  reportSuppressionThreshold: number;
  /**
   * The cell key method's perturbation table as configured: largest deviation of a published count, and its
   * variance (README, "Reports"); null for the default. The report module fills in and checks them (src/app.ts).
   */
  reportPerturbation: { maxDeviation: number | null; variance: number | null };
  /** Requests per principal and per client address in each window (0: no limit); counted in Redis when redisUrl is set. */
  rateLimits: { perPrincipal: number; perAddress: number; windowMs: number; fail: RateLimitFailMode };
  redisUrl: string | undefined;
  /** WebSocket limits: connections a principal may hold open, operations one connection may run at once, time to connection_init. */
  ws: { maxConnectionsPerPrincipal: number; maxSubscriptionsPerConnection: number; initTimeoutMs: number; keepAliveMs: number };
  /** Limits on the shape of an operation (src/platform/graphql/limits.ts). */
  limits: { maxDepth: number; maxAliases: number; maxCost: number; maxTokens: number };
  /** Whether operations may read the schema (`__schema`, `__type`); off: refused with INTROSPECTION_DISABLED. */
  introspection: boolean;
  /** Whether queries the server can compile (issue 23) are answered by one statement instead of the resolvers (COMPILED_READS). */
  compiledReads: boolean;
  /** Longest one SQL statement of an operation may run (or wait for a lock) before PostgreSQL cancels it (0: no limit). */
  statementTimeoutMs: number;
  /** A commission's settlements warn when their cumulative amount reaches this share of its budget (SETTLEMENT_BUDGET_WARNING_SHARE). */
  settlementBudgetWarningShare: number;
  /** Browser origins allowed to call /graphql from another site (CORS); empty: same origin only; ["*"]: any. */
  corsOrigins: string[];
  /** Request headers those origins' pages may send (CORS_ALLOWED_HEADERS); authorization and content-type always. */
  corsAllowedHeaders: string[];
  /** A JSON file of trusted documents ({ "<sha256 hex>": "<document>" }); when set, only they are executed. */
  trustedDocumentsFile: string | undefined;
  /** OpenTelemetry tracing: spans per request and operation sent over OTLP/HTTP when exporter is "otlp". */
  tracing: { exporter: 'none' | 'otlp'; serviceName: string; endpoint: string };
  /** Who may read /metrics: a port of its own (METRICS_PORT, METRICS_HOST) and/or a bearer token on the public port (METRICS_TOKEN). */
  metrics: MetricsAccess;
  production: boolean;
}

const LOG_LEVELS: LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];

/** The fewest answers to a question whose survey results are shown (SURVEY_MIN_RESPONSES cannot go lower; the database checks it too). */
export const SURVEY_MIN_RESPONSES_FLOOR = 5;
/** Settlements warn at 80% of a commission's budget unless SETTLEMENT_BUDGET_WARNING_SHARE says otherwise. */
export const DEFAULT_SETTLEMENT_BUDGET_WARNING_SHARE = 0.8;

/**
 * The part of the configuration the modules read, as `ctx.settings` (RequestContext): each server hands
 * its configuration over, and a service sees only these settings, typed, whichever server runs it.
 */
export type ModuleSettings = Pick<Config, 'deliveryMaxMinutesPerDay' | 'settlementBudgetWarningShare' | 'surveyMinResponses'>;

/** The password `npm run migrate` gives cus_app when none is set: printed in README, so fit for development only. */
export const DEVELOPMENT_APP_PASSWORD = 'cus_app_dev_password';

/**
 * Whoever holds cus_app's credentials can set any principal's settings (the server sets them), so in
 * production the development password is refused, whether it would come from APP_DB_PASSWORD's default
 * or is written in APP_DATABASE_URL.
 */
function refuseDevelopmentPassword(env: NodeJS.ProcessEnv): void {
  let inUrl: string | undefined;
  try {
    inUrl = env.APP_DATABASE_URL ? decodeURIComponent(new URL(env.APP_DATABASE_URL).password) : undefined;
  } catch {
    throw new Error('APP_DATABASE_URL is not a valid URL');
  }
  const password = env.APP_DATABASE_URL ? inUrl : (env.APP_DB_PASSWORD ?? DEVELOPMENT_APP_PASSWORD);
  if (password === DEVELOPMENT_APP_PASSWORD || (!env.APP_DATABASE_URL && !env.APP_DB_PASSWORD)) {
    throw new Error(`NODE_ENV=production refuses cus_app's development password: set APP_DB_PASSWORD (or APP_DATABASE_URL) to a secret of your own`);
  }
}

/** Reads configuration from environment variables; every variable is documented in README.md. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const logLevel = (env.LOG_LEVEL ?? 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  const production = env.NODE_ENV === 'production';
  const jwksUrl = env.JWKS_URL || undefined;
  if (production && !jwksUrl) {
    // A development key in production would let anyone holding the key file mint tokens.
    throw new Error('NODE_ENV=production requires JWKS_URL: development tokens are refused in production');
  }
  if (production) refuseDevelopmentPassword(env);
  return {
    port: intFrom(env.PORT, 4000, 'PORT'),
    host: env.HOST ?? '127.0.0.1',
    databaseUrl: env.DATABASE_URL || undefined,
    appDatabaseUrl: env.APP_DATABASE_URL || undefined,
    appDbPassword: env.APP_DB_PASSWORD ?? DEVELOPMENT_APP_PASSWORD,
    dbPoolSize: intFrom(env.DB_POOL_SIZE, 10, 'DB_POOL_SIZE'),
    embeddedPgDir: path.resolve(projectRoot, env.EMBEDDED_PG_DIR ?? '.data/postgres'),
    embeddedPgPort: intFrom(env.EMBEDDED_PG_PORT, 54329, 'EMBEDDED_PG_PORT'),
    jwksUrl,
    jwtIssuer: env.JWT_ISSUER || undefined,
    jwtAudience: env.JWT_AUDIENCE || undefined,
    devKeyFile: path.resolve(projectRoot, env.DEV_KEY_FILE ?? '.data/dev-jwt-key.json'),
    logLevel,
    seedOnStart: (env.SEED_ON_START ?? 'true') !== 'false',
    surveyResponsesPerHour: intFrom(env.SURVEY_RESPONSES_PER_HOUR, 300, 'SURVEY_RESPONSES_PER_HOUR'),
    surveyMinResponses: surveyMinResponsesFrom(env.SURVEY_MIN_RESPONSES),
    trustProxy: trustProxyFrom(env.TRUST_PROXY),
    deliveryMaxMinutesPerDay: deliveryMaxMinutesFrom(env.DELIVERY_MAX_MINUTES_PER_DAY),
    reportRefreshSeconds: intFrom(env.REPORT_REFRESH_SECONDS, 900, 'REPORT_REFRESH_SECONDS'),
    reportSuppressionThreshold: thresholdFrom(env.REPORT_SUPPRESSION_THRESHOLD),
    reportPerturbation: {
      maxDeviation: env.REPORT_PERTURBATION_MAX_DEVIATION ? intFrom(env.REPORT_PERTURBATION_MAX_DEVIATION, 0, 'REPORT_PERTURBATION_MAX_DEVIATION') : null,
      variance: env.REPORT_PERTURBATION_VARIANCE ? Number(env.REPORT_PERTURBATION_VARIANCE) : null,
    },
    rateLimits: {
      perPrincipal: intFrom(env.RATE_LIMIT_PER_PRINCIPAL, 1200, 'RATE_LIMIT_PER_PRINCIPAL'),
      perAddress: intFrom(env.RATE_LIMIT_PER_ADDRESS, 3000, 'RATE_LIMIT_PER_ADDRESS'),
      windowMs: 1000 * Math.max(1, intFrom(env.RATE_LIMIT_WINDOW_SECONDS, 60, 'RATE_LIMIT_WINDOW_SECONDS')),
      fail: failModeFrom(env.RATE_LIMIT_FAIL),
    },
    redisUrl: env.REDIS_URL || undefined,
    ws: {
      maxConnectionsPerPrincipal: intFrom(env.WS_MAX_CONNECTIONS_PER_PRINCIPAL, 20, 'WS_MAX_CONNECTIONS_PER_PRINCIPAL'),
      maxSubscriptionsPerConnection: intFrom(env.WS_MAX_SUBSCRIPTIONS_PER_CONNECTION, 100, 'WS_MAX_SUBSCRIPTIONS_PER_CONNECTION'),
      initTimeoutMs: intFrom(env.WS_INIT_TIMEOUT_MS, 3000, 'WS_INIT_TIMEOUT_MS'),
      keepAliveMs: intFrom(env.WS_KEEPALIVE_MS, 12_000, 'WS_KEEPALIVE_MS'),
    },
    limits: {
      maxDepth: intFrom(env.MAX_QUERY_DEPTH, 12, 'MAX_QUERY_DEPTH'),
      maxAliases: intFrom(env.MAX_QUERY_ALIASES, 30, 'MAX_QUERY_ALIASES'),
      maxCost: intFrom(env.MAX_QUERY_COST, 25_000, 'MAX_QUERY_COST'),
      maxTokens: intFrom(env.MAX_QUERY_TOKENS, 5_000, 'MAX_QUERY_TOKENS'),
    },
    introspection: boolFrom(env.INTROSPECTION, !production, 'INTROSPECTION'),
    compiledReads: boolFrom(env.COMPILED_READS, true, 'COMPILED_READS'),
    statementTimeoutMs: intFrom(env.STATEMENT_TIMEOUT_MS, 15_000, 'STATEMENT_TIMEOUT_MS'),
    settlementBudgetWarningShare: shareFrom(env.SETTLEMENT_BUDGET_WARNING_SHARE, DEFAULT_SETTLEMENT_BUDGET_WARNING_SHARE, 'SETTLEMENT_BUDGET_WARNING_SHARE'),
    corsOrigins: originsFrom(env.CORS_ORIGINS),
    corsAllowedHeaders: allowedHeadersFrom(env.CORS_ALLOWED_HEADERS),
    trustedDocumentsFile: env.TRUSTED_DOCUMENTS ? path.resolve(projectRoot, env.TRUSTED_DOCUMENTS) : undefined,
    tracing: {
      exporter: exporterFrom(env.OTEL_TRACES_EXPORTER),
      serviceName: env.OTEL_SERVICE_NAME || 'cus-platform',
      // The standard variables: the traces endpoint itself, or the collector's base address.
      endpoint: env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || `${(env.OTEL_EXPORTER_OTLP_ENDPOINT || 'http://localhost:4318').replace(/\/$/, '')}/v1/traces`,
    },
    metrics: metricsAccessFrom(env),
    production,
  };
}

function originsFrom(value: string | undefined): string[] {
  const origins = (value ?? '')
    .split(',')
    .map((o) => o.trim())
    .filter(Boolean);
  for (const origin of origins) {
    // An origin is scheme://host[:port], nothing more; a path or a trailing slash never matches a browser's Origin header.
    if (origin !== '*' && !/^https?:\/\/[^/\s]+$/.test(origin)) throw new Error(`CORS_ORIGINS: "${origin}" is not an origin like https://panel.example.gov.pl`);
  }
  return origins;
}

function metricsAccessFrom(env: NodeJS.ProcessEnv): MetricsAccess {
  const port = env.METRICS_PORT === undefined || env.METRICS_PORT === '' ? null : intFrom(env.METRICS_PORT, 0, 'METRICS_PORT');
  if (port !== null && port > 65_535) throw new Error(`METRICS_PORT must be a port number, got "${env.METRICS_PORT}"`);
  const token = env.METRICS_TOKEN || undefined;
  if (token !== undefined && token.length < MIN_METRICS_TOKEN_LENGTH) {
    throw new Error(`METRICS_TOKEN must be at least ${MIN_METRICS_TOKEN_LENGTH} characters (for example: openssl rand -hex 32)`);
  }
  return { port, host: env.METRICS_HOST || '127.0.0.1', token };
}

function failModeFrom(value: string | undefined): RateLimitFailMode {
  if (value === undefined || value === '' || value === 'open') return 'open';
  if (value === 'closed') return 'closed';
  throw new Error(`RATE_LIMIT_FAIL must be open or closed, got "${value}"`);
}

function exporterFrom(value: string | undefined): 'none' | 'otlp' {
  if (value === undefined || value === '' || value === 'none') return 'none';
  if (value === 'otlp') return 'otlp';
  throw new Error(`OTEL_TRACES_EXPORTER must be otlp or none, got "${value}"`);
}

function deliveryMaxMinutesFrom(value: string | undefined): number {
  const max = intFrom(value, 720, 'DELIVERY_MAX_MINUTES_PER_DAY');
  if (max < 1 || max > 1440) throw new Error('DELIVERY_MAX_MINUTES_PER_DAY must be from 1 to 1440');
  return max;
}

function surveyMinResponsesFrom(value: string | undefined): number {
  const min = intFrom(value, SURVEY_MIN_RESPONSES_FLOOR, 'SURVEY_MIN_RESPONSES');
  if (min < SURVEY_MIN_RESPONSES_FLOOR) throw new Error(`SURVEY_MIN_RESPONSES must be ${SURVEY_MIN_RESPONSES_FLOOR} or more`);
  return min;
}

function thresholdFrom(value: string | undefined): number {
  const threshold = intFrom(value, 5, 'REPORT_SUPPRESSION_THRESHOLD');
  if (threshold < 5) throw new Error('REPORT_SUPPRESSION_THRESHOLD must be 5 or more');
  return threshold;
}

function intFrom(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${value}"`);
  return n;
}

/** A share of a whole: more than 0, at most 1. */
function shareFrom(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!(n > 0 && n <= 1)) throw new Error(`${name} must be a number more than 0 and at most 1, got "${value}"`);
  return n;
}

function boolFrom(value: string | undefined, fallback: boolean, name: string): boolean {
  if (value === undefined || value === '') return fallback;
  if (value === 'true' || value === 'false') return value === 'true';
  throw new Error(`${name} must be true or false, got "${value}"`);
}
