import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { parse } from 'graphql';
import { ErrorCode } from './errors.js';

/** The sha256 of a document's exact text, in hex: its id in a manifest. */
export function documentHash(document: string): string {
  return createHash('sha256').update(document, 'utf8').digest('hex');
}

/** What a request names: a document's text, or the id of one (GraphQL-over-HTTP `documentId`, or APQ's hash). */
export interface DocumentRequest {
  query?: unknown;
  documentId?: unknown;
  extensions?: unknown;
}

export type Resolved = { query: string } | { refused: { code: ErrorCode.PERSISTED_QUERY_NOT_FOUND | ErrorCode.DOCUMENT_NOT_TRUSTED; message: string } };

const APOLLO_MANIFEST_FORMAT = 'apollo-persisted-query-manifest';
const SHA256_ID = /^(?:sha256:)?([0-9a-f]{64})$/i;

/**
 * Trusted documents (TRUSTED_DOCUMENTS): an allow-list of the operations the platform's own clients
 * send, built from their source at release time. With it, nobody can send the server an operation
 * it has not seen before: no probing of the schema, no hand-made expensive queries. Off by default,
 * since partners' and analysts' own tools write their queries themselves.
 */
export class TrustedDocuments {
  /** Every document's sha256, so a client may also send a trusted document's exact text. */
  private readonly texts: Set<string>;

  private constructor(private readonly byId: Map<string, string>) {
    this.texts = new Set([...byId.values()].map(documentHash));
  }

  /**
   * Reads a manifest in any of the forms the common tools write:
   * - `{ "<id>": "<document>" }`: `npm run trusted-documents`, GraphQL Code Generator's client preset
   *   (`persisted-documents.json`, ids `sha256:<hex>`), and most others;
   * - Apollo's persisted-query manifest, `{ format: "apollo-persisted-query-manifest", version: 1,
   *   operations: [{ id, name, type, body }] }`.
   * An id of the form `sha256:<hex>` (or bare hex of that length) must be the sha256 of its document,
   * so a manifest that does not match its documents stops the server at start; any other id (codegen's
   * sha1, an Apollo custom id) is taken as the tool wrote it. Every document must parse.
   */
  static load(file: string): TrustedDocuments {
    let manifest: unknown;
    try {
      manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (error) {
      throw new Error(`TRUSTED_DOCUMENTS: cannot read ${file}: ${(error as Error).message}`, { cause: error });
    }
    const entries = manifestEntries(manifest, file);
    const byId = new Map<string, string>();
    for (const [id, document] of entries) {
      const sha256 = SHA256_ID.exec(id)?.[1]?.toLowerCase();
      if (sha256 !== undefined && documentHash(document) !== sha256) {
        throw new Error(`TRUSTED_DOCUMENTS: the entry ${id.slice(0, 23)}… of ${file} is not the sha256 of its document`);
      }
      try {
        parse(document);
      } catch (error) {
        throw new Error(`TRUSTED_DOCUMENTS: the document of ${id.slice(0, 23)}… in ${file} does not parse: ${(error as Error).message}`, { cause: error });
      }
      byId.set(canonicalId(id), document);
    }
    return new TrustedDocuments(byId);
  }

  get size(): number {
    return this.byId.size;
  }

  /** The document a request may run, or why it may not. */
  resolve(request: DocumentRequest): Resolved {
    const id = requestedId(request);
    if (id !== undefined) {
      const document = this.byId.get(id);
      if (document === undefined) return { refused: { code: ErrorCode.PERSISTED_QUERY_NOT_FOUND, message: 'No trusted document has this id' } };
      // A client that sends both must send the same document.
      if (typeof request.query === 'string' && request.query !== '' && request.query !== document) {
        return { refused: { code: ErrorCode.DOCUMENT_NOT_TRUSTED, message: 'The query does not match the trusted document of this id' } };
      }
      return { query: document };
    }
    if (typeof request.query === 'string' && this.texts.has(documentHash(request.query))) return { query: request.query };
    return {
      refused: {
        code: ErrorCode.DOCUMENT_NOT_TRUSTED,
        message: 'This server runs only trusted documents: send the documentId (sha256:<hash>) of one your client was built with',
      },
    };
  }
}

/** The manifest's [id, document] pairs, whichever tool wrote it; a clear error for anything else. */
function manifestEntries(manifest: unknown, file: string): [string, string][] {
  const shape = `${file} must hold { "<id>": "<document>" } or Apollo's persisted-query manifest`;
  if (!manifest || typeof manifest !== 'object' || Array.isArray(manifest)) throw new Error(`TRUSTED_DOCUMENTS: ${shape}`);
  const record = manifest as Record<string, unknown>;
  if (record.format === APOLLO_MANIFEST_FORMAT) {
    if (record.version !== 1) throw new Error(`TRUSTED_DOCUMENTS: ${file} is an Apollo manifest of version ${String(record.version)}; version 1 is understood`);
    if (!Array.isArray(record.operations)) throw new Error(`TRUSTED_DOCUMENTS: the Apollo manifest ${file} has no operations list`);
    return record.operations.map((operation: unknown, i: number) => {
      const { id, body } = (operation ?? {}) as { id?: unknown; body?: unknown };
      if (typeof id !== 'string' || id === '' || typeof body !== 'string') {
        throw new Error(`TRUSTED_DOCUMENTS: operation ${i} of ${file} needs a string id and body`);
      }
      return [id, body];
    });
  }
  return Object.entries(record).map(([id, document]) => {
    if (typeof document !== 'string') throw new Error(`TRUSTED_DOCUMENTS: ${shape}; the entry ${id.slice(0, 23)}… is not a string`);
    return [id, document];
  });
}

/** sha256 ids are kept as lowercase hex, with or without their `sha256:` prefix; other ids as written. */
function canonicalId(id: string): string {
  return SHA256_ID.exec(id)?.[1]?.toLowerCase() ?? id;
}

/** `documentId` (GraphQL over HTTP: `sha256:<hex>`, or a custom id), else `extensions.persistedQuery.sha256Hash` (Apollo). */
function requestedId(request: DocumentRequest): string | undefined {
  if (typeof request.documentId === 'string') return canonicalId(request.documentId);
  const persisted = (request.extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined)?.persistedQuery;
  if (typeof persisted?.sha256Hash === 'string') return canonicalId(persisted.sha256Hash);
  return undefined;
}
