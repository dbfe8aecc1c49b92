import { FeeThreshold, ResidentIncomeDeclaration } from './fee.entity.js';
import { IpusItemFeeResolver, ProgrammeServiceFeeResolver, ResidentIncomeResolver } from './fee.resolver.js';

export const feeEntities: Function[] = [FeeThreshold, ResidentIncomeDeclaration];
export const feeResolvers: Function[] = [ProgrammeServiceFeeResolver, ResidentIncomeResolver, IpusItemFeeResolver];
