import { ResidentAccessLogEntry } from './resident-access-log.entity.js';
import { ResidentSearchLogEntry } from './resident-search-log.entity.js';
import { ResidentSensitive } from './resident-sensitive.entity.js';
import { Resident } from './resident.entity.js';
import { ResidentAccessLogEntryResolver, ResidentResolver } from './resident.resolver.js';
import { ResidentSearchLogResolver } from './resident-search-log.resolver.js';

/** The resident module's MikroORM entities and type-graphql resolvers, collected by src/modules/entities.ts and resolvers.ts. */
export const residentEntities: Function[] = [Resident, ResidentSensitive, ResidentAccessLogEntry, ResidentSearchLogEntry];
export const residentResolvers: Function[] = [ResidentResolver, ResidentAccessLogEntryResolver, ResidentSearchLogResolver];
