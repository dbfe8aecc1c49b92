import type { EntityManager } from '@mikro-orm/postgresql';
import type { EntityName, EntityProperty, QueryOrderMap } from '@mikro-orm/core';
import { badInput } from './errors.js';

/*
 * A list's cursor is the sort key of the last row seen, as MikroORM writes it: base64url JSON, one
 * value per key. A cursor of another list, or a forged one, would reach the database with values
 * of the wrong type and fail there ("operator does not exist: text >= integer"), an internal error
 * that also aborts the operation's transaction for every other field. So each value is checked
 * against its column before the query is built.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INT4 = 2_147_483_647;
const INT8 = 9_223_372_036_854_775_807n;

function isCalendarDay(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const day = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return day.toISOString().slice(0, 10) === text;
}

/** Whether `value` can stand for a value of `prop`'s column in a comparison. */
function fits(prop: EntityProperty, value: unknown): boolean {
  if (value === null) return Boolean(prop.nullable);
  const column = String(prop.columnTypes?.[0] ?? '').toLowerCase();
  if (column === 'uuid') return typeof value === 'string' && UUID.test(value);
  if (column === 'int' || column === 'integer' || column === 'smallint' || column === 'serial') {
    return typeof value === 'number' && Number.isInteger(value) && Math.abs(value) <= INT4;
  }
  if (column === 'bigint' || column === 'bigserial') {
    const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
    return typeof text === 'string' && /^-?\d{1,19}$/.test(text) && BigInt(text) <= INT8 && BigInt(text) >= -INT8 - 1n;
  }
  if (column === 'date') return typeof value === 'string' && isCalendarDay(value);
  if (column.startsWith('time') && !column.startsWith('timestamp')) {
    return typeof value === 'string' && /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?$/.test(value);
  }
  if (column.startsWith('timestamp')) {
    return typeof value === 'string' && isCalendarDay(value.slice(0, 10)) && value[10] === 'T' && !Number.isNaN(Date.parse(value));
  }
  if (column.startsWith('numeric')) return (typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'string' && /^-?\d{1,20}(\.\d{1,10})?$/.test(value));
  if (column === 'boolean') return typeof value === 'boolean';
  if (column === 'text' || column.startsWith('varchar')) return typeof value === 'string' && !value.includes('\u0000');
  // A sort key of another type: the database judges it.
  return true;
}

/** Refuses (BAD_USER_INPUT) a cursor that is not a sort key of this list. */
export function assertCursorFits<T extends object>(em: EntityManager, entity: EntityName<T>, orderBy: QueryOrderMap<T>[], after: string): void {
  const properties = em.getMetadata().get(entity).properties as Record<string, EntityProperty | undefined>;
  const keys = orderBy.flatMap((order) => Object.keys(order));
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(after, 'base64url').toString('utf8'));
  } catch {
    values = undefined;
  }
  const fitting = Array.isArray(values) && values.length === keys.length
    && keys.every((key, i) => {
      const prop = properties[key];
      return prop !== undefined && fits(prop, values[i]);
    });
  if (!fitting) throw badInput('after is not a cursor of this list');
}
