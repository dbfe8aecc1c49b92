import { badInput } from './errors.js';
import type { Page } from './connection.js';

/*
 * Keyset pages over hand-written SQL: the cursor is the sort key of the last row seen, so a page
 * costs an index range scan whatever its depth, and rows inserted meanwhile shift nothing.
 */

export function encodeKeyset(values: string[]): string {
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
}

/** The sort key a cursor holds, each part checked against its pattern; a bad cursor is BAD_USER_INPUT. */
export function decodeKeyset(cursor: string, patterns: RegExp[]): string[] {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === patterns.length && value.every((v, i) => typeof v === 'string' && patterns[i].test(v))) return value;
  } catch {
    // reported below
  }
  throw badInput('after is not a cursor of this list');
}

/** The page from rows fetched with `limit first + 1` (the extra row says whether more follow). */
export function keysetPage<T>(rows: T[], first: number, after: string | null | undefined, keyOf: (row: T) => string[], count: () => Promise<number>): Page<T> {
  const nodes = rows.slice(0, first);
  const cursors = nodes.map((row) => encodeKeyset(keyOf(row)));
  return {
    nodes,
    cursors,
    pageInfo: { hasNextPage: rows.length > first, hasPreviousPage: Boolean(after), startCursor: cursors[0] ?? null, endCursor: cursors.at(-1) ?? null },
    count,
  };
}


export const DAY = /^\d{4}-\d{2}-\d{2}$/;
export const TIME = /^\d{2}:\d{2}(:\d{2})?$/;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
