import { Programme } from './programme.entity.js';
import { ProgrammeService } from './programme-service.entity.js';
import { DiagnosisProgrammesResolver, ProgrammeResolver, ProgrammeServiceResolver, ProgrammesInForceResolver } from './programme.resolver.js';

/** The programme module's MikroORM entities and type-graphql resolvers, collected by src/modules/entities.ts and resolvers.ts. */
export const programmeEntities: Function[] = [Programme, ProgrammeService];
export const programmeResolvers: Function[] = [ProgrammeResolver, ProgrammeServiceResolver, ProgrammesInForceResolver, DiagnosisProgrammesResolver];
