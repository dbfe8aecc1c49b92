import { Args, Authorized, Ctx, Query, Resolver } from 'type-graphql';
import { Role } from '../../platform/auth/roles.js';
import { Connection, findPage, PageArgs, toConnection } from '../../platform/graphql/connection.js';
import type { RequestContext } from '../../platform/graphql/context.js';
import { ResidentSearchLogEntry } from './resident-search-log.entity.js';

const ResidentSearchLogConnection = Connection(ResidentSearchLogEntry);

@Resolver(() => ResidentSearchLogEntry)
export class ResidentSearchLogResolver {
  @Authorized(Role.DIRECTOR)
  @Query(() => ResidentSearchLogConnection, { description: "Searches of residents' records by staff of your gminy, with their criteria, newest first" })
  async residentSearchLog(@Ctx() ctx: RequestContext, @Args(() => PageArgs) page: PageArgs) {
    return toConnection(ResidentSearchLogConnection, await findPage(ctx.em, ResidentSearchLogEntry, {}, [{ accessedAt: 'desc' }, { id: 'desc' }], page));
  }
}
