import type { IncomingMessage } from 'node:http';

/**
 * The address the per-address limit counts. Behind a reverse proxy (TRUST_PROXY=true) the socket's
 * address is the proxy's, shared by every resident, so the first X-Forwarded-For entry is used;
 * without the setting that header is ignored, since any client can write it.
 */
export function clientAddressOf(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const header = req.headers['x-forwarded-for'];
    const first = (Array.isArray(header) ? header[0] : header)?.split(',')[0]?.trim();
    if (first) return first;
  }
  return req.socket.remoteAddress ?? 'unknown';
}
