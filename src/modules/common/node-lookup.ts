import { Arg, Authorized, Ctx, ID, Query, type ClassType } from 'type-graphql';
import type { Role } from '../../platform/auth/roles.js';
import type { RequestContext } from '../../platform/graphql/context.js';
import { isUuid, registerNodeType, uuidFromGlobalId } from '../../platform/graphql/node.js';

/**
 * How a type is found by its id, declared once: `node(id:)` resolves its global ids, and the root query
 * `query` answers one, as if written `@Authorized(...roles) @Query(() => Type, { nullable: true })
 * query(@Ctx() ctx, @Arg('id', () => ID) id: string)` (null when the caller may not see it).
 */
export function declareNodeLookup<T extends object>(
  resolver: ClassType,
  query: string,
  lookup: { type: ClassType<T>; roles: readonly Role[]; byId: (ctx: RequestContext) => { load(key: string): Promise<T | null> } },
): void {
  const typename = lookup.type.name;
  registerNodeType(typename, async (ctx, key) => (isUuid(key) ? lookup.byId(ctx).load(key) : null));
  const prototype = resolver.prototype as Record<string, unknown>;
  if (query in prototype) throw new Error(`${resolver.name}.${query} is declared twice`);
  prototype[query] = (ctx: RequestContext, id: string) => lookup.byId(ctx).load(uuidFromGlobalId(id, typename));
  const descriptor = Object.getOwnPropertyDescriptor(prototype, query) as PropertyDescriptor;
  Ctx()(prototype, query, 0);
  Arg('id', () => ID)(prototype, query, 1);
  Query(() => lookup.type, { nullable: true })(prototype, query, descriptor);
  Authorized(...lookup.roles)(prototype, query, descriptor);
}
