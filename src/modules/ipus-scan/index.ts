import { IpusAgreementScan } from './scan.entity.js';
import { IpusAgreementScanOfPlanResolver, IpusAgreementScanResolver } from './scan.resolver.js';

/** The signed scans of plans' agreements (issue 20), collected by src/modules/entities.ts and resolvers.ts. */
export const ipusScanEntities: Function[] = [IpusAgreementScan];
export const ipusScanResolvers: Function[] = [IpusAgreementScanResolver, IpusAgreementScanOfPlanResolver];
