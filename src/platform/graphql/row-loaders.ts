import type DataLoader from 'dataloader';
import type { EntityClass, FilterQuery, QueryOrderMap } from '@mikro-orm/core';
import { findRows } from '../database/orm-extension/read-rows.js';
import { byKeys, groupByKeys, loader, type RequestContext } from './context.js';

/** The properties of T that hold a key: an id, or the id of a parent. */
type KeyProperty<T> = { [P in keyof T]-?: T[P] extends string | number | null ? P : never }[keyof T] & string;

type RowOrder<T> = QueryOrderMap<T> | readonly QueryOrderMap<T>[];

function whereIn<T extends object>(property: KeyProperty<T>, keys: readonly unknown[]): FilterQuery<T> {
  return { [property]: { $in: [...keys] } } as FilterQuery<T>;
}

/**
 * The row of `entity` whose `property` is each key (an id, or a parent's id that at most one row has), or
 * null where none is or row-level security hides it: one statement for all the keys a request asks for.
 * `name` keys the request's loader cache.
 */
export function rowByKey<T extends object, P extends KeyProperty<T>>(
  ctx: RequestContext,
  name: string,
  entity: EntityClass<T>,
  property: P,
): DataLoader<T[P], T | null> {
  return loader<T[P], T | null>(ctx, name, async (keys) => {
    const rows = await findRows(ctx, entity, whereIn(property, keys));
    return byKeys(keys, rows, (row) => row[property]);
  });
}

/** The rows of `entity` whose `property` is each key (each parent's children), in `orderBy`, batched likewise. */
export function rowsByKey<T extends object, P extends KeyProperty<T>>(
  ctx: RequestContext,
  name: string,
  entity: EntityClass<T>,
  property: P,
  orderBy?: RowOrder<T>,
): DataLoader<T[P], T[]> {
  return loader<T[P], T[]>(ctx, name, async (keys) => {
    const rows = await findRows(ctx, entity, whereIn(property, keys), orderBy ? { orderBy } : {});
    return groupByKeys(keys, rows, (row) => row[property]);
  });
}

/** Ids as one Postgres array literal, for a `= any (?::uuid[])` parameter: the statement is the same text whatever their number. */
export const uuidArray = (ids: readonly string[]): string => `{${ids.join(',')}}`;

/**
 * A count for each key, from one grouped statement: `sql` selects each key `as key` with its count `as n`,
 * takes the keys with `= any (?::uuid[])` as its first parameter (then `params`), and a key without a row counts 0.
 * `name` keys the request's loader cache.
 */
export function countByKey(ctx: RequestContext, name: string, sql: string, params: readonly unknown[] = []): DataLoader<string, number> {
  return loader<string, number>(ctx, name, async (keys) => {
    const rows = await ctx.em.execute<{ key: string; n: number | string }[]>(sql, [uuidArray(keys), ...params]);
    const counts = new Map(rows.map((row) => [row.key, Number(row.n)]));
    return keys.map((key) => counts.get(key) ?? 0);
  });
}
