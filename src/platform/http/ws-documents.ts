import type { DocumentNode, GraphQLError } from 'graphql';
import { LRUCache } from 'lru-cache';

/** A dashboard's subscription is a few hundred characters; longer texts are prepared every time. */
export const MAX_KEPT_LENGTH = 20_000;
/**
 * Characters of kept texts in all. A parsed document holds its every token and comment with their
 * locations, about 44 bytes of heap per character of its text (measured), so the cache holds about
 * 22 MB at most, whatever clients send: a count alone let 1,000 long texts pin some 860 MB.
 */
export const MAX_KEPT_CHARACTERS = 500_000;

/**
 * WebSocket operations' documents, parsed and validated once per text: thousands of dashboards
 * sending the same subscription share one syntax tree (graphql-js never changes a document), which
 * saves the work at subscribe time and the memory of a tree per subscription. The least recently
 * used go first, bounded in number and in characters; a text that does not prepare (its errors) is
 * not kept.
 */
export class DocumentCache {
  private readonly documents: LRUCache<string, DocumentNode>;

  constructor(
    private readonly prepare: (query: string) => DocumentNode | GraphQLError[],
    capacity = 1000,
    maxCharacters = MAX_KEPT_CHARACTERS,
  ) {
    // A text is weighed by its length; one longer than MAX_KEPT_LENGTH is not kept at all.
    this.documents = new LRUCache({
      max: capacity,
      maxSize: maxCharacters,
      maxEntrySize: MAX_KEPT_LENGTH,
      sizeCalculation: (_document, query) => query.length,
    });
  }

  /** Texts kept, and their characters in all. */
  get size(): { documents: number; characters: number } {
    return { documents: this.documents.size, characters: this.documents.calculatedSize };
  }

  /** The document, or the errors to answer the operation with. */
  get(query: string): DocumentNode | GraphQLError[] {
    const kept = this.documents.get(query);
    if (kept) return kept;
    const prepared = this.prepare(query);
    if (!Array.isArray(prepared)) this.documents.set(query, prepared);
    return prepared;
  }
}
