import { IpusCoordinatedHelp } from './coordinated-help.entity.js';
import { IpusCoordinatedHelpResolver, IpusRevisionCoordinatedHelpResolver } from './coordinated-help.js';
import { Ipus } from './ipus.entity.js';
import { IpusGoal, IpusItem, IpusMonitoringNote, IpusSupportingAction } from './ipus-parts.entity.js';
import { ApplicationPlansResolver, IpusItemResolver, IpusResolver, ResidentPlansResolver } from './ipus.resolver.js';
import { IpusLiveResolver } from './live/ipus-live.resolver.js';
// Registers plans' compiled statement (issue 23).
import './plans.compiled.js';

/** The IPUS module's MikroORM entities and type-graphql resolvers, collected by src/modules/entities.ts and resolvers.ts. */
export const ipusEntities: Function[] = [Ipus, IpusGoal, IpusItem, IpusSupportingAction, IpusMonitoringNote, IpusCoordinatedHelp];
export const ipusResolvers: Function[] = [
  IpusResolver,
  IpusItemResolver,
  ResidentPlansResolver,
  ApplicationPlansResolver,
  IpusLiveResolver,
  IpusCoordinatedHelpResolver,
  IpusRevisionCoordinatedHelpResolver,
];
