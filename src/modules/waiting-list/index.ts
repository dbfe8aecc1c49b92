import { WaitingListEntry } from './waiting-list.entity.js';
import { IpusItemWaitingResolver, WaitingListResolver } from './waiting-list.resolver.js';

/** The waiting list's MikroORM entities and type-graphql resolvers, collected by src/modules/entities.ts and resolvers.ts. */
export const waitingListEntities: Function[] = [WaitingListEntry];
export const waitingListResolvers: Function[] = [WaitingListResolver, IpusItemWaitingResolver];
