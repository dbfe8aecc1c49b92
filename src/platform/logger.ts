import type { LogLevel } from './config.js';

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

/** One JSON line per event on stderr, so operators can ship it anywhere. */
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  /** A logger that adds `fields` to every line (a request's id, role and gminy). */
  child(fields: Record<string, unknown>): Logger;
}

const REDACTED = '[redacted]';
/** Field names whose values never reach a log, whatever they hold. */
const SECRET_KEYS = /^(authorization|token|password|pesel|household_?notes|health_?notes|disability.*|notes?|variables)$/i;
/** Values that look like a PESEL (11 digits) or a bearer token (a JWT), wherever they appear in text. */
const PESEL = /(?<!\d)\d{11}(?!\d)/g;
const JWT = /eyJ[\w-]+\.[\w-]+\.[\w-]+/g;

/**
 * What may be logged of a value: secret fields dropped, PESEL numbers and tokens masked inside any
 * text (an SQL parameter, an error message), nested objects and arrays cleaned the same way.
 */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return value.replace(JWT, REDACTED).replace(PESEL, REDACTED);
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_KEYS.test(k) ? REDACTED : redact(v, depth + 1)]));
}

export function createLogger(level: LogLevel, bound: Record<string, unknown> = {}): Logger {
  const write = (at: LogLevel) => (msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[at] < ORDER[level]) return;
    const line = redact({ time: new Date().toISOString(), level: at, msg, ...bound, ...fields });
    process.stderr.write(`${JSON.stringify(line)}\n`);
  };
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (fields) => createLogger(level, { ...bound, ...fields }),
  };
}
