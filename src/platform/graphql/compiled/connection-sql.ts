import { isObjectType, type FieldNode } from 'graphql';
import { base64urlSql, type CompileScope } from './selection-sql.js';

/*
 * A connection's first page (no `after`) as one JSON value (issue 23): `nodes`, `pageInfo`,
 * `totalCount` and `__typename`, as platform/graphql/connection.ts and keyset.ts answer them.
 * `edges` is not compiled (the operation goes through the resolvers).
 */

export interface ConnectionSql {
  /** The connection's type (`IpusConnection`) and its node's (`Ipus`). */
  type: string;
  node: string;
  /** The JSON array of the page's nodes, each built by `object` over the page's row alias `p`, in the list's order. */
  nodes: (object: string) => string;
  /** How many the reader may see in the whole list. */
  totalCount: string;
  /** The page's size and the SQL of the rows fetched (the page and one more, which tells of a next page). */
  first: string;
  fetched: string;
  /** The page's first and last row's cursor. */
  startCursor: string;
  endCursor: string;
}

/** The JSON of the connection `field` selects, or null where its selection cannot be compiled. */
export function connectionJson(field: FieldNode, scope: CompileScope, sql: ConnectionSql): string | null {
  const connection = scope.schema.getType(sql.type);
  const node = scope.schema.getType(sql.node);
  if (!field.selectionSet || !isObjectType(connection) || !isObjectType(node)) return null;
  const pageInfoFields: Record<string, string> = {
    // keysetPage reads nothing for a page of 0, so it answers false there.
    hasNextPage: `(${sql.first} > 0 and (select count(*) from ${sql.fetched}) > ${sql.first})`,
    hasPreviousPage: 'false',
    startCursor: sql.startCursor,
    endCursor: sql.endCursor,
  };
  return scope.shape(connection, field.selectionSet, (selection) => {
    switch (selection.name.value) {
      case 'totalCount':
        return selection.arguments?.length ? null : sql.totalCount;
      case 'pageInfo':
        return selection.arguments?.length ? null : scope.plainShape('PageInfo', selection.selectionSet, pageInfoFields);
      case 'nodes': {
        const object = selection.selectionSet ? scope.object(node, 'p', selection.selectionSet) : null;
        return object && sql.nodes(object);
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
export const cursorSql = (parts: string[]): string => base64urlSql(`'[' || ${parts.map((part) => `to_json(${part})::text`).join(` || ',' || `)} || ']'`);
