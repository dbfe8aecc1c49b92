import type { DocumentNode, GraphQLError } from 'graphql';

/** A dashboard's subscription is a few hundred characters; longer texts are prepared every time. */
const MAX_KEPT_LENGTH = 20_000;

/**
 * WebSocket operations' documents, parsed and validated once per text: thousands of dashboards
 * sending the same subscription share one syntax tree (graphql-js never changes a document), which
 * saves the work at subscribe time and the memory of a tree per subscription. The least recently
 * used go first; a text that does not prepare (its errors) is not kept.
 */
export class DocumentCache {
  private readonly documents = new Map<string, DocumentNode>();

  constructor(private readonly prepare: (query: string) => DocumentNode | GraphQLError[], private readonly capacity = 1000) {}

  /** The document, or the errors to answer the operation with. */
  get(query: string): DocumentNode | GraphQLError[] {
    const kept = this.documents.get(query);
    if (kept) {
      this.documents.delete(query);
      this.documents.set(query, kept);
      return kept;
    }
    const prepared = this.prepare(query);
    if (!Array.isArray(prepared) && query.length <= MAX_KEPT_LENGTH) {
      this.documents.set(query, prepared);
      if (this.documents.size > this.capacity) this.documents.delete(this.documents.keys().next().value as string);
    }
    return prepared;
  }
}
