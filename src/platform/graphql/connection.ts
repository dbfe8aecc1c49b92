import { ArgsType, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { EntityName, FilterQuery, QueryOrderMap } from '@mikro-orm/core';
import { badInput } from './errors.js';
import { assertCursorFits } from './cursor-check.js';

/** The most items one page may hold, whatever the client asks for. */
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: `Items to return, 0..${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE})` })
  first?: number;

  @Field(() => String, { nullable: true, description: 'Cursor of the last item already seen (pageInfo.endCursor)' })
  after?: string;
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
    @Field(() => [nodeType], { description: 'The same items as edges.node, for clients that need no cursors' })
    nodes!: T[];
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

/**
 * Keyset pagination over an entity with MikroORM's cursor support: `orderBy` must end with a unique key
 * so cursors are stable. The count runs only if the client asks for totalCount.
 */
export async function findPage<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  where: FilterQuery<T>,
  orderBy: QueryOrderMap<T>[],
  args: PageArgs,
): Promise<Page<T>> {
  const first = pageSize(args.first);
  const count = () => em.count(entity, where as never);
  if (first === 0) {
    return { nodes: [], cursors: [], pageInfo: emptyPageInfo(), count };
  }
  if (args.after) assertCursorFits(em, entity, orderBy, args.after);
  let cursor;
  try {
    cursor = await em.findByCursor(entity, { where, orderBy, first, after: args.after ?? undefined, includeCount: false } as never);
  } catch (error) {
    if (args.after && isCursorError(error)) throw badInput('after is not a cursor of this list');
    throw error;
  }
  const nodes = [...cursor.items] as T[];
  return {
    nodes,
    cursors: nodes.map((node) => cursor.from(node as never)),
    pageInfo: {
      hasNextPage: cursor.hasNextPage,
      hasPreviousPage: cursor.hasPrevPage,
      startCursor: cursor.startCursor,
      endCursor: cursor.endCursor,
    },
    count,
  };
}

function emptyPageInfo(): PageInfo {
  return { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null };
}

function isCursorError(error: unknown): boolean {
  const name = (error as Error)?.name ?? '';
  const message = (error as Error)?.message ?? '';
  return name === 'CursorError' || /cursor/i.test(message) || error instanceof SyntaxError;
}
