import { createHash, timingSafeEqual } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logger.js';
import type { Metrics } from './metrics.js';

/**
 * Who may read /metrics. The text names the operations clients sent (their own words), counts errors
 * and shows the process's memory: it is for the operators' Prometheus, not for the public. As
 * Prometheus deployments expect, it is served on a port of its own (METRICS_PORT, on 127.0.0.1 unless
 * METRICS_HOST says otherwise, to be reached from the monitoring network only), or on the public port
 * to a scraper that sends METRICS_TOKEN as a bearer token (`authorization` in a scrape config), or both.
 * With neither, no one reads it.
 */
export interface MetricsAccess {
  /** The port of its own (0: any free port); null: none. */
  port: number | null;
  host: string;
  /** The bearer token that opens /metrics on the public port; undefined: the public port does not serve it. */
  token: string | undefined;
}

/** The shortest METRICS_TOKEN accepted: a scraper's secret, not a password a person types. */
export const MIN_METRICS_TOKEN_LENGTH = 32;

const digest = (text: string) => createHash('sha256').update(text).digest();

async function send(metrics: Metrics, res: ServerResponse): Promise<void> {
  res.setHeader('content-type', metrics.contentType);
  res.setHeader('cache-control', 'no-store');
  res.end(await metrics.text());
}

function notFound(res: ServerResponse): void {
  res.statusCode = 404;
  res.setHeader('content-type', 'application/json');
  res.end(JSON.stringify({ error: 'Not found' }));
}

/** GET /metrics on the public port: only with METRICS_TOKEN, and only to its bearer. */
export async function answerPublicMetrics(access: MetricsAccess, metrics: Metrics, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (!access.token) return notFound(res);
  const given = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
  // Compared as digests of equal length, in constant time: the answer's timing says nothing of the token.
  if (!timingSafeEqual(digest(given), digest(access.token))) {
    res.statusCode = 401;
    res.setHeader('www-authenticate', 'Bearer realm="metrics"');
    res.setHeader('content-type', 'application/json');
    return void res.end(JSON.stringify({ error: 'Send the metrics token as Authorization: Bearer <METRICS_TOKEN>' }));
  }
  await send(metrics, res);
}

export interface MetricsServer {
  url: string;
  close(): Promise<void>;
}

/** /metrics on a port of its own, when METRICS_PORT is set: nothing else is served there. */
export async function startMetricsServer(access: MetricsAccess, metrics: Metrics, log: Logger): Promise<MetricsServer | null> {
  if (access.port === null) {
    if (!access.token) log.info('/metrics is served nowhere: set METRICS_PORT (a port of its own) or METRICS_TOKEN (a bearer token on this port)');
    return null;
  }
  const server = http.createServer((req, res) => {
    const pathname = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' || pathname !== '/metrics') return notFound(res);
    send(metrics, res).catch((error: Error) => {
      log.error('metrics failed', { error: error.message });
      if (!res.headersSent) res.statusCode = 500;
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(access.port ?? 0, access.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = access.host.includes(':') ? `[${access.host}]` : access.host;
  const url = `http://${host}:${port}/metrics`;
  log.info('serving /metrics on a port of its own', { url });
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
