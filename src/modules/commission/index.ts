import { Commission, CommissionService } from './commission.entity.js';
import { CommissionResolver } from './commission.resolver.js';
import { CommissionUseResolver } from './commission-use.js';

/** The commissioning module's MikroORM entities and type-graphql resolvers, collected by src/modules/entities.ts and resolvers.ts. */
export const commissionEntities: Function[] = [Commission, CommissionService];
export const commissionResolvers: Function[] = [CommissionResolver, CommissionUseResolver];
