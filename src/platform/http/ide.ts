import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ruruHTML, type RuruClientConfig } from 'ruru/server';
import { getStaticFile } from 'ruru/static';

/** Where the IDE's scripts, styles, workers and fonts are served from (this server, never a CDN). */
export const IDE_ASSETS_PATH = '/graphql/ide/';

const DEFAULT_QUERY = `# Put your token in the Headers tab below (npm start prints one per demo role):
#   {"Authorization": "Bearer eyJ…"}
# It goes with every request, and with subscriptions over the WebSocket.
# Then re-fetch the schema (Shift+Ctrl+R) for completion and the docs.
{
  viewer {
    role
    subject
    gminy { terc name }
  }
}
`;

/**
 * The GraphQL IDE (Ruru, a GraphiQL 5 distribution) served whole from this server, so it works
 * with no internet: its page at GET /graphql (Accept: text/html) and its assets under
 * IDE_ASSETS_PATH, from the ruru package. The endpoint and the WebSocket address are the page's
 * own /graphql. GraphiQL's fetcher sends the Headers tab with each HTTP request and as the
 * graphql-ws connectionParams, where the server reads `Authorization` too.
 */
export class Ide {
  private readonly html = ruruHTML({
    staticPath: IDE_ASSETS_PATH,
    endpoint: '/graphql',
    // Ruru's types pick these from GraphiQL's props, which are not installed (so every one reads as required).
    clientConfig: { defaultQuery: DEFAULT_QUERY, isHeadersEditorEnabled: true } as Partial<RuruClientConfig> as RuruClientConfig,
  });

  /**
   * Why this policy: the page may load and connect to nothing but this server ('self', which
   * covers ws:// and wss:// to the same host), so a token typed into it cannot leave for another
   * site and a missing network cannot blank it. Ruru's few inline scripts are allowed by their
   * hashes, nothing else inline runs. Styles may be inline: Monaco and GraphiQL write theirs at
   * run time, and a style can load nothing from elsewhere (img-src and font-src are 'self' and data:).
   */
  private readonly policy = [
    "default-src 'self'",
    `script-src 'self' ${inlineScriptHashes(this.html).join(' ')}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');

  /** The IDE's page. */
  page(res: ServerResponse): void {
    res.statusCode = 200;
    res.setHeader('content-type', 'text/html; charset=utf-8');
    res.setHeader('content-security-policy', this.policy);
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('referrer-policy', 'no-referrer');
    res.setHeader('cache-control', 'no-cache');
    res.end(this.html);
  }

  /** One of the IDE's assets (brotli unless the client cannot take it); 404 for anything else. */
  async asset(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    // Source maps are left out: some 10 MB of memory for the browser's developer tools alone.
    const file = await getStaticFile({
      staticPath: IDE_ASSETS_PATH,
      urlPath: pathname,
      acceptEncoding: req.headers['accept-encoding'],
      disallowDevAssets: true,
    });
    if (!file) {
      res.statusCode = 404;
      res.setHeader('content-type', 'text/plain; charset=utf-8');
      return void res.end('Not found');
    }
    // Ruru tags the brotli bytes; the plain ones are another representation, so another tag.
    const etag = file.headers['content-encoding'] ? file.headers.etag : file.headers.etag?.replace(/"$/, '-identity"');
    res.setHeader('x-content-type-options', 'nosniff');
    res.setHeader('cache-control', 'no-cache');
    res.setHeader('vary', 'accept-encoding');
    if (etag) res.setHeader('etag', etag);
    if (etag && req.headers['if-none-match'] === etag) {
      res.statusCode = 304;
      return void res.end();
    }
    res.statusCode = 200;
    for (const [key, value] of Object.entries(file.headers)) if (key !== 'etag') res.setHeader(key, value);
    res.end(req.method === 'HEAD' ? undefined : file.content);
  }
}

/** CSP source expressions for the page's inline <script> elements (those without src). */
function inlineScriptHashes(html: string): string[] {
  return [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map(
    ([, body]) => `'sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}'`,
  );
}
