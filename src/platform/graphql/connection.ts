import { ArgsType, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import type { EntityManager } from '@mikro-orm/postgresql';
import { raw, ReferenceKind, type EntityName, type EntityProperty, type FilterQuery, type QueryOrderMap } from '@mikro-orm/core';
import { badInput } from './errors.js';
import { afterCondition, decodeCursor, keysetPage, type KeyType, type SortKey } from './keyset.js';

/** The most items one page may hold, whatever the client asks for. */
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: `Items to return, 0..${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE})` }) first?: number;
  @Field(() => String, { nullable: true, description: 'Cursor of the last item already seen (pageInfo.endCursor)' }) after?: string;
}

@ObjectType()
export class PageInfo {
  @Field(() => Boolean) hasNextPage!: boolean;
  @Field(() => Boolean) hasPreviousPage!: boolean;
  @Field(() => String, { nullable: true }) startCursor!: string | null;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

export interface Page<T> {
  nodes: T[];
  cursors: string[];
  pageInfo: PageInfo;
  count: () => Promise<number>;
}

export interface ConnectionShape<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: PageInfo;
  totalCount(): Promise<number>;
}

const connectionTypes = new Map<string, ClassType>();

/** One Relay connection type per node type (`GminaConnection`, `GminaEdge`), built by this one factory. */
export function Connection<T extends object>(nodeType: ClassType<T>, name = nodeType.name): ClassType<ConnectionShape<T>> {
  const existing = connectionTypes.get(name);
  if (existing) return existing as ClassType<ConnectionShape<T>>;

  @ObjectType(`${name}Edge`)
  class Edge {
    @Field(() => String) cursor!: string;
    @Field(() => nodeType) node!: T;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionType implements ConnectionShape<T> {
    @Field(() => [Edge]) edges!: Edge[];
    @Field(() => [nodeType], { description: 'The same items as edges.node, for clients that need no cursors' }) nodes!: T[];
    @Field(() => PageInfo) pageInfo!: PageInfo;
    count!: () => Promise<number>;

    @Field(() => Int, { description: 'All items matching the filter (counted only when asked for)' })
    totalCount(): Promise<number> {
      return this.count();
    }
  }
  connectionTypes.set(name, ConnectionType);
  return ConnectionType;
}

/** Builds a connection object from one fetched page. */
export function toConnection<T extends object>(type: ClassType<ConnectionShape<T>>, page: Page<T>): ConnectionShape<T> {
  const connection = new type() as ConnectionShape<T> & { count: () => Promise<number> };
  connection.nodes = page.nodes;
  connection.edges = page.nodes.map((node, i) => ({ cursor: page.cursors[i], node }));
  connection.pageInfo = page.pageInfo;
  connection.count = page.count;
  return connection;
}

export function pageSize(first: number | undefined): number {
  if (first === undefined || first === null) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 0 || first > MAX_PAGE_SIZE) {
    throw badInput(`first must be between 0 and ${MAX_PAGE_SIZE}`);
  }
  return first;
}

/** The sort key part of an entity's column, as keyset.ts checks and compares it. */
function keyType(columnType: string): KeyType {
  const column = columnType.toLowerCase();
  if (column === 'uuid' || column === 'date' || column === 'boolean') return column;
  if (column === 'bigint' || column === 'bigserial') return 'bigint';
  if (column === 'int' || column === 'integer' || column === 'smallint' || column === 'serial') return 'int';
  if (column.startsWith('timestamp')) return 'timestamptz';
  if (column.startsWith('time')) return 'time';
  if (column.startsWith('numeric')) return 'numeric';
  if (column === 'text' || column.startsWith('varchar')) return 'text';
  throw new Error(`A sort key of column type ${columnType} is not supported`);
}

/** The sort key of an entity list, from `orderBy` (which must end with a unique key so cursors are stable). */
function entitySortKeys<T extends object>(em: EntityManager, entity: EntityName<T>, orderBy: QueryOrderMap<T>[]): (SortKey & { property: string })[] {
  const properties = em.getMetadata().get(entity).properties as Record<string, EntityProperty | undefined>;
  return orderBy.flatMap((order) =>
    Object.entries(order).map(([property, direction]) => {
      const prop = properties[property];
      // A null in a row comparison would drop rows, so a nullable sort key is a programming error.
      if (!prop || prop.nullable || prop.kind !== ReferenceKind.SCALAR) throw new Error(`${String(property)} cannot be a sort key`);
      const descending = String(direction).toLowerCase().startsWith('desc');
      return { property, column: prop.fieldNames[0], type: keyType(String(prop.columnTypes[0])), direction: descending ? ('desc' as const) : ('asc' as const) };
    }),
  );
}

/**
 * One page of an entity list in `orderBy` order (keyset.ts). The count runs only if the client asks
 * for totalCount.
 */
export async function findPage<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  where: FilterQuery<T>,
  orderBy: QueryOrderMap<T>[],
  args: PageArgs,
): Promise<Page<T>> {
  const first = pageSize(args.first);
  const keys = entitySortKeys(em, entity, orderBy);
  const after = args.after ? decodeCursor(args.after, keys) : null;
  const count = () => em.count(entity, where as never);
  const keyOf = (node: T) => keys.map((key) => (node as Record<string, unknown>)[key.property]);
  if (first === 0) return keysetPage([], 0, args.after, keyOf, count);
  let condition = where;
  if (after) {
    const aliased = (alias: string) => keys.map((key) => ({ ...key, column: `${alias}.${key.column}` }));
    const fragment = raw((alias: string) => afterCondition(aliased(alias), after).sql, afterCondition(keys, after).params);
    condition = { $and: [where, { [fragment]: [] }] } as FilterQuery<T>;
  }
  const rows = await em.find(entity, condition as never, { orderBy: orderBy as never, limit: first + 1 });
  return keysetPage(rows as T[], first, args.after, keyOf, count);
}
