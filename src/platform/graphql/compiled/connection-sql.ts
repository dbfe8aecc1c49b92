import { isObjectType, type FieldNode } from 'graphql';
import { pageSize } from '../connection.js';
import { base64urlSql, type CompileScope } from './selection-sql.js';

/*
 * A connection's first page (no `after`) as one JSON value (issue 23): `nodes`, `pageInfo`,
 * `totalCount` and `__typename`, as platform/graphql/connection.ts and keyset.ts answer them, over
 * the CTEs of firstPageSql.
 * `edges` is not compiled (the operation goes through the resolvers).
 */

/** One part of a list's sort key: its SQL over the page's rows `p`, its text in a cursor, its direction. */
export interface SortKeySql {
  column: string;
  cursor: string;
  descending?: boolean;
}

export interface ConnectionSql {
  /** The connection's type (`IpusConnection`) and its node's (`Ipus`). */
  type: string;
  node: string;
  /** The list's order (its last part unique), as firstPageSql fetched it. */
  order: SortKeySql[];
  /** How many the reader may see in the whole list. */
  totalCount: string;
  /** The page's size, bound. */
  first: string;
}

/** `order` as an ORDER BY list, or in the opposite direction. */
const orderBy = (order: SortKeySql[], reversed = false) =>
  order.map((key) => `${key.column}${(key.descending ?? false) !== reversed ? ' desc' : ''}`).join(', ');

/**
 * The page size of a first page (no `after`), as pageSize reads it; null for a cursor or for a size
 * it refuses, which the resolvers answer.
 */
export function firstPageSize(args: Record<string, unknown>): number | null {
  if (args.after != null) return null;
  try {
    return pageSize(args.first as number | undefined);
  } catch {
    return null;
  }
}

/**
 * The CTEs `fetched` (the rows of `select` in `order`, one more than the page, which tells of a next
 * page as findPage and keysetPage read one more) and `page`, over which connectionJson answers.
 */
export function firstPageSql(select: string, order: SortKeySql[], first: string, firstPlusOne: string): string {
  return `fetched as (
        select * from (${select}) p order by ${orderBy(order)} limit ${firstPlusOne}
      ), page as (
        select * from fetched p order by ${orderBy(order)} limit ${first}
      )`;
}

/** The JSON of the connection `field` selects, or null where its selection cannot be compiled. */
export function connectionJson(field: FieldNode, scope: CompileScope, sql: ConnectionSql): string | null {
  const connection = scope.schema.getType(sql.type);
  const node = scope.schema.getType(sql.node);
  if (!field.selectionSet || !isObjectType(connection) || !isObjectType(node)) return null;
  const cursor = (reversed: boolean) =>
    `(select ${cursorSql(sql.order.map((key) => key.cursor))} from page p order by ${orderBy(sql.order, reversed)} limit 1)`;
  const pageInfoFields: Record<string, string> = {
    // keysetPage reads nothing for a page of 0, so it answers false there.
    hasNextPage: `(${sql.first} > 0 and (select count(*) from fetched) > ${sql.first})`,
    hasPreviousPage: 'false',
    startCursor: cursor(false),
    endCursor: cursor(true),
  };
  return scope.shape(connection, field.selectionSet, (selection) => {
    switch (selection.name.value) {
      case 'totalCount':
        return selection.arguments?.length ? null : sql.totalCount;
      case 'pageInfo':
        return selection.arguments?.length ? null : scope.plainShape('PageInfo', selection.selectionSet, pageInfoFields);
      case 'nodes': {
        const object = selection.selectionSet ? scope.object(node, 'p', selection.selectionSet) : null;
        return object && `coalesce((select json_agg(${object} order by ${orderBy(sql.order)}) from page p), '[]'::json)`;
      }
      default:
        return null;
    }
  });
}

/**
 * A keyset cursor as keyset.ts encodes it: base64url of JSON.stringify of the row's sort key, from the
 * SQL of each part (text, a date, a uuid). PostgreSQL escapes a JSON string as JSON.stringify does (the
 * same characters, the same \u00xx form), so a name with quotes or newlines gives the same cursor.
 */
const cursorSql = (parts: string[]): string => base64urlSql(`'[' || ${parts.map((part) => `to_json(${part})::text`).join(` || ',' || `)} || ']'`);
