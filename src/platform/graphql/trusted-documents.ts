import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { parse } from 'graphql';

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

export type Resolved = { query: string } | { refused: { code: 'PERSISTED_QUERY_NOT_FOUND' | 'DOCUMENT_NOT_TRUSTED'; message: string } };

/**
 * Trusted documents (TRUSTED_DOCUMENTS): an allow-list of the operations the platform's own clients
 * send, built from their source at release time. With it, nobody can send the server an operation
 * it has not seen before: no probing of the schema, no hand-made expensive queries. Off by default,
 * since partners' and analysts' own tools write their queries themselves.
 */
export class TrustedDocuments {
  private constructor(private readonly byHash: Map<string, string>) {}

  /** Reads a manifest `{ "<sha256 hex>": "<document>" }`; refuses to start on a wrong hash or a document that does not parse. */
  static load(file: string): TrustedDocuments {
    let manifest: unknown;
    try {
      manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (error) {
      throw new Error(`TRUSTED_DOCUMENTS: cannot read ${file}: ${(error as Error).message}`);
    }
    if (!manifest || typeof manifest !== 'object' || Array.isArray(manifest)) {
      throw new Error(`TRUSTED_DOCUMENTS: ${file} must hold an object of "<sha256 hex>": "<document>"`);
    }
    const byHash = new Map<string, string>();
    for (const [hash, document] of Object.entries(manifest)) {
      if (typeof document !== 'string' || documentHash(document) !== hash) {
        throw new Error(`TRUSTED_DOCUMENTS: the entry ${hash.slice(0, 16)}… of ${file} is not the sha256 of its document`);
      }
      parse(document);
      byHash.set(hash, document);
    }
    return new TrustedDocuments(byHash);
  }

  get size(): number {
    return this.byHash.size;
  }

  /** The document a request may run, or why it may not. */
  resolve(request: DocumentRequest): Resolved {
    const id = requestedId(request);
    if (id !== undefined) {
      const document = this.byHash.get(id);
      if (document === undefined) return { refused: { code: 'PERSISTED_QUERY_NOT_FOUND', message: 'No trusted document has this id' } };
      // A client that sends both must send the same document.
      if (typeof request.query === 'string' && request.query !== '' && request.query !== document) {
        return { refused: { code: 'DOCUMENT_NOT_TRUSTED', message: 'The query does not match the trusted document of this id' } };
      }
      return { query: document };
    }
    if (typeof request.query === 'string' && this.byHash.has(documentHash(request.query))) return { query: request.query };
    return {
      refused: {
        code: 'DOCUMENT_NOT_TRUSTED',
        message: 'This server runs only trusted documents: send the documentId (sha256:<hash>) of one your client was built with',
      },
    };
  }
}

/** `documentId: "sha256:<hex>"` (or the bare hex), else `extensions.persistedQuery.sha256Hash`. */
function requestedId(request: DocumentRequest): string | undefined {
  if (typeof request.documentId === 'string') return request.documentId.replace(/^sha256:/, '').toLowerCase();
  const persisted = (request.extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined)?.persistedQuery;
  if (typeof persisted?.sha256Hash === 'string') return persisted.sha256Hash.toLowerCase();
  return undefined;
}
