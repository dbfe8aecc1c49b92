import { Settlement } from './settlement.entity.js';
import { SettlementResolver } from './settlement.resolver.js';
import { SettlementLiveResolver } from './live/settlement-live.resolver.js';
import { SettlementLineFeeResolver, SettlementStatementFeeResolver } from './settlement-fees.resolver.js';

/** The monthly settlement's MikroORM entities and type-graphql resolvers, collected by src/modules/entities.ts and resolvers.ts. */
export const settlementEntities: Function[] = [Settlement];
export const settlementResolvers: Function[] = [SettlementResolver, SettlementLiveResolver, SettlementLineFeeResolver, SettlementStatementFeeResolver];
