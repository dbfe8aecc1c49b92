import type { IncomingMessage } from 'node:http';
import proxyAddr from 'proxy-addr';

/**
 * Which proxies in front of the server are trusted to say who the client is (TRUST_PROXY), as
 * Express's `trust proxy` takes it: `false`, none (the socket's address is the client); a number of
 * hops (the proxies nearest the server); addresses, CIDR ranges or `loopback`/`linklocal`/`uniquelocal`;
 * or `true`, every hop (the leftmost X-Forwarded-For entry, which is safe only when the one proxy
 * overwrites the header).
 */
export type TrustProxy = boolean | number | string[];

type Trust = (address: string, hop: number) => boolean;
const compiledLists = new WeakMap<string[], Trust>();

/**
 * The address the per-address limits count. X-Forwarded-For is read from the right, the end the
 * nearest proxy appended to, and each entry is taken as the client's only while the hop that wrote it
 * is trusted: entries a client wrote itself, on the left, are never reached, so it cannot pick the
 * address it is counted as. Without TRUST_PROXY the header is ignored.
 */
export function clientAddressOf(req: IncomingMessage, trustProxy: TrustProxy): string {
  if (trustProxy === false || trustProxy === 0) return req.socket.remoteAddress ?? 'unknown';
  return proxyAddr(req, trustOf(trustProxy));
}

function trustOf(trustProxy: true | number | string[]): Trust {
  if (trustProxy === true) return () => true;
  if (typeof trustProxy === 'number') return (_address, hop) => hop < trustProxy;
  let trust = compiledLists.get(trustProxy);
  if (!trust) compiledLists.set(trustProxy, (trust = proxyAddr.compile(trustProxy)));
  return trust;
}

/** TRUST_PROXY: `true`, `false`, a hop count, or comma-separated addresses, CIDR ranges and proxy-addr's names. */
export function trustProxyFrom(value: string | undefined): TrustProxy {
  const setting = value?.trim() ?? '';
  if (setting === '' || setting === 'false') return false;
  if (setting === 'true') return true;
  if (/^\d+$/.test(setting)) return Number(setting);
  const addresses = setting
    .split(',')
    .map((address) => address.trim())
    .filter(Boolean);
  try {
    proxyAddr.compile(addresses);
  } catch (error) {
    throw new Error(`TRUST_PROXY must be true, false, a number of hops or a list of proxy addresses or CIDR ranges: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return addresses;
}
