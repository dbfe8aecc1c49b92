import { spawn } from 'node:child_process';
import net from 'node:net';
import { projectRoot } from '../src/platform/config.js';

/**
 * Our server as `npm start` runs it, from the production build, in a process of its own: the load
 * generator and the bench's other work never share its event loop. Configured for the bench: the
 * benchmark database (migrated and loaded already, so no seed), tokens signed with the bench's
 * development key (production mode would require an identity provider's JWKS), and no abuse limits,
 * since one principal sends thousands of requests a minute and holds thousands of WebSockets.
 */
/** The bench scrapes /metrics on the public port with this bearer token (METRICS_TOKEN): the port serves it to no one else. */
export const BENCH_METRICS_TOKEN = 'bench-metrics-scraper-token-0123456789abcdef';

export interface OurServer {
  url: string;
  wsUrl: string;
  pid: number;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function startOurServer(options: { ownerUrl: string; devKeyFile: string; poolSize: number; logLevel: string }): Promise<OurServer> {
  const port = await freePort();
  const child = spawn(process.execPath, ['dist/src/main.js'], {
    cwd: projectRoot,
    env: {
      ...process.env,
      DATABASE_URL: options.ownerUrl,
      APP_DATABASE_URL: '',
      PORT: String(port),
      HOST: '127.0.0.1',
      SEED_ON_START: 'false',
      NODE_ENV: 'development',
      JWKS_URL: '',
      DEV_KEY_FILE: options.devKeyFile,
      LOG_LEVEL: options.logLevel,
      DB_POOL_SIZE: String(options.poolSize),
      RATE_LIMIT_PER_PRINCIPAL: '0',
      RATE_LIMIT_PER_ADDRESS: '0',
      WS_MAX_CONNECTIONS_PER_PRINCIPAL: '0',
      REPORT_REFRESH_SECONDS: '0',
      REDIS_URL: '',
      METRICS_TOKEN: BENCH_METRICS_TOKEN,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`our server exited with ${child.exitCode} while starting`);
    try {
      if ((await fetch(`${base}/readyz`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('our server did not become ready in 60 s');
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return {
    url: `${base}/graphql`,
    wsUrl: `ws://127.0.0.1:${port}/graphql`,
    pid: child.pid!,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
