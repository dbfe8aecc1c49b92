import { parse, type GraphQLError } from 'graphql';
import { describe, expect, test } from 'vitest';
import { DocumentCache, MAX_KEPT_CHARACTERS, MAX_KEPT_LENGTH } from '../src/platform/http/ws-documents.js';

/**
 * The WebSocket operations' document cache keeps parsed documents for texts clients repeat. What it
 * keeps is bounded in number and in characters, whatever a client sends: a parsed document holds
 * every token and comment of its text, so a thousand long, distinct texts (valid ones, padded with
 * comments) would otherwise pin hundreds of megabytes.
 */
describe('the WebSocket document cache', () => {
  const padded = (i: number, length: number) => {
    const head = `subscription Padded${i} { ipusChanged { eventId } }\n`;
    return head + '#'.padEnd(length - head.length - 1, '.') + '\n';
  };

  test("keeps at most its characters' worth of long texts, the most recently used ones", () => {
    let prepared = 0;
    const cache = new DocumentCache((query) => {
      prepared += 1;
      return parse(query);
    });
    const texts = Array.from({ length: 200 }, (_, i) => padded(i, 19_000));
    for (const text of texts) cache.get(text);
    const { documents, characters } = cache.size;
    expect(characters).toBeLessThanOrEqual(MAX_KEPT_CHARACTERS);
    expect(documents).toBe(Math.floor(MAX_KEPT_CHARACTERS / 19_000));

    // The newest text is answered from the cache; the oldest was let go and is prepared again.
    prepared = 0;
    cache.get(texts[199]);
    expect(prepared).toBe(0);
    cache.get(texts[0]);
    expect(prepared).toBe(1);
    expect(cache.size.characters).toBeLessThanOrEqual(MAX_KEPT_CHARACTERS);
  });

  test('keeps at most its number of short texts, and a repeated text is prepared once', () => {
    let prepared = 0;
    const cache = new DocumentCache((query) => {
      prepared += 1;
      return parse(query);
    }, 10);
    for (let i = 0; i < 50; i += 1) cache.get(`subscription Short${i} { ipusChanged { eventId } }`);
    expect(cache.size.documents).toBe(10);
    prepared = 0;
    for (let i = 0; i < 5; i += 1) cache.get('subscription Short49 { ipusChanged { eventId } }');
    expect(prepared).toBe(0);
  });

  test('keeps no text longer than its longest, and no text that did not prepare', () => {
    let prepared = 0;
    const cache = new DocumentCache((query) => {
      prepared += 1;
      try {
        return parse(query);
      } catch (error) {
        return [error as GraphQLError];
      }
    });
    const long = padded(1, MAX_KEPT_LENGTH + 1);
    const justKept = padded(2, MAX_KEPT_LENGTH);
    for (let i = 0; i < 3; i += 1) {
      cache.get(long);
      cache.get(justKept);
      expect(cache.get('subscription {')).toHaveLength(1);
    }
    // The long text and the broken one were prepared each time, the other once.
    expect(prepared).toBe(3 + 1 + 3);
    expect(cache.size).toEqual({ documents: 1, characters: MAX_KEPT_LENGTH });
  });
});
