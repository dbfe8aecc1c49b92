import { ReportResolver } from './report.resolver.js';

/** The reporting module's resolvers (it has no entities: it reads aggregates through app.report), collected by src/modules/resolvers.ts. */
export const reportResolvers: Function[] = [ReportResolver];
