import { badInput } from './errors.js';
import type { Page } from './connection.js';

/*
 * The one keyset pagination of the API. A list is ordered by a sort key that ends with a unique column;
 * a cursor is the sort key of the last row seen, as base64url JSON with one value per key part (the
 * format MikroORM's cursors have always had, so cursors held by clients across a deploy still work).
 * A page is the rows after that key, so it costs an index range scan whatever its depth, and rows
 * inserted meanwhile shift nothing. Entity lists (findPage), hand-written SQL and batched pages of many
 * parents (parent-pages.ts) all encode, check and compare cursors here.
 */

/** The column types a sort key part may have, spelled as PostgreSQL casts them. */
export type KeyType = 'uuid' | 'date' | 'time' | 'timestamptz' | 'text' | 'int' | 'bigint' | 'numeric' | 'boolean';

export interface SortKey {
  /** The column as the query names it (`a.start_on`). */
  column: string;
  type: KeyType;
  direction: 'asc' | 'desc';
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INT4 = 2_147_483_647;
const INT8 = 9_223_372_036_854_775_807n;

function isCalendarDay(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const day = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return day.toISOString().slice(0, 10) === text;
}

/*
 * A cursor of another list, or a forged one, would reach the database with values of the wrong type and
 * fail there ("operator does not exist: text >= integer"), an internal error that also aborts the
 * operation's transaction for every other field. So each value is checked against its column's type.
 */
const FITS: Record<KeyType, (value: unknown) => boolean> = {
  uuid: (v) => typeof v === 'string' && UUID.test(v),
  date: (v) => typeof v === 'string' && isCalendarDay(v),
  time: (v) => typeof v === 'string' && /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?$/.test(v),
  timestamptz: (v) => typeof v === 'string' && isCalendarDay(v.slice(0, 10)) && v[10] === 'T' && !Number.isNaN(Date.parse(v)),
  text: (v) => typeof v === 'string' && !v.includes('\u0000'),
  int: (v) => typeof v === 'number' && Number.isInteger(v) && Math.abs(v) <= INT4,
  bigint: (v) => {
    const text = typeof v === 'number' && Number.isSafeInteger(v) ? String(v) : v;
    return typeof text === 'string' && /^-?\d{1,19}$/.test(text) && BigInt(text) <= INT8 && BigInt(text) >= -INT8 - 1n;
  },
  numeric: (v) => (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && /^-?\d{1,20}(\.\d{1,10})?$/.test(v)),
  boolean: (v) => typeof v === 'boolean',
};

export function encodeCursor(values: readonly unknown[]): string {
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
}

/** The sort key a cursor holds, each value checked against its key part; a bad cursor is BAD_USER_INPUT. */
export function decodeCursor(cursor: string, keys: readonly SortKey[]): unknown[] {
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    values = undefined;
  }
  if (Array.isArray(values) && values.length === keys.length && keys.every((key, i) => FITS[key.type](values[i]))) return values;
  throw badInput('after is not a cursor of this list');
}

/**
 * SQL true for the rows after `bounds` (one SQL expression per key part: a `?` or a column) in the
 * order of `keys`. One direction throughout is a row comparison, which an index on the key serves;
 * mixed directions expand to (a > x) or (a = x and b < y) ...
 */
export function keysetAfter(keys: readonly SortKey[], bounds: readonly string[]): string {
  const after = (key: SortKey) => (key.direction === 'asc' ? '>' : '<');
  if (keys.every((key) => key.direction === keys[0].direction)) {
    return `(${keys.map((k) => k.column).join(', ')}) ${after(keys[0])} (${bounds.join(', ')})`;
  }
  const branches = keys.map((key, i) =>
    [...keys.slice(0, i).map((k, j) => `${k.column} = ${bounds[j]}`), `${key.column} ${after(key)} ${bounds[i]}`].join(' and '),
  );
  return `(${branches.map((b) => `(${b})`).join(' or ')})`;
}

/** The keyset condition for a decoded cursor, with `?` parameters cast to each part's type. */
export function afterCondition(keys: readonly SortKey[], values: readonly unknown[]): { sql: string; params: unknown[] } {
  const uniform = keys.every((key) => key.direction === keys[0].direction);
  const bounds = keys.map((key) => `?::${key.type}`);
  if (uniform) return { sql: keysetAfter(keys, bounds), params: [...values] };
  // The expanded form names the earlier values once per later part.
  return { sql: keysetAfter(keys, bounds), params: keys.flatMap((_, i) => values.slice(0, i + 1)) };
}

export function orderBySql(keys: readonly SortKey[]): string {
  return keys.map((key) => `${key.column} ${key.direction}`).join(', ');
}

/**
 * The page from rows fetched with `limit first + 1` (the extra row says whether more follow), its
 * cursors the sort keys `keyOf` reads from each row.
 */
export function keysetPage<T>(
  rows: T[],
  first: number,
  after: string | null | undefined,
  keyOf: (row: T) => readonly unknown[],
  count: () => Promise<number>,
): Page<T> {
  const nodes = rows.slice(0, first);
  const cursors = nodes.map((row) => encodeCursor(keyOf(row)));
  return {
    nodes,
    cursors,
    pageInfo: { hasNextPage: rows.length > first, hasPreviousPage: Boolean(after), startCursor: cursors[0] ?? null, endCursor: cursors.at(-1) ?? null },
    count,
  };
}
