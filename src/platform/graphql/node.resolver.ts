import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Ctx, ID, Info, Query, Resolver } from 'type-graphql';
import type { RequestContext } from './context.js';
import { MAX_PAGE_SIZE } from './connection.js';
import { badInput } from './errors.js';
import { fetchNode, Node } from './node.js';

@Resolver()
export class NodeResolver {
  @Query(() => Node, { nullable: true, description: 'Any object by its global id; null when it does not exist or is out of your scope' })
  node(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string, @Info() info: GraphQLResolveInfo): Promise<object | null> {
    return fetchNode(ctx, id, info);
  }

  @Query(() => [Node], { nullable: 'items', description: `Several objects by global id (at most ${MAX_PAGE_SIZE})` })
  nodes(@Ctx() ctx: RequestContext, @Arg('ids', () => [ID]) ids: string[], @Info() info: GraphQLResolveInfo): Promise<(object | null)[]> {
    if (ids.length > MAX_PAGE_SIZE) throw badInput(`At most ${MAX_PAGE_SIZE} ids at once`);
    return Promise.all(ids.map((id) => fetchNode(ctx, id, info)));
  }
}
