import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { RequestContext } from '../../platform/graphql/context.js';
import { LocalDateScalar, TerytCodeScalar } from '../../platform/graphql/scalars.js';
import { GMINA_SCOPED, Role } from '../../platform/auth/roles.js';
import { dimensionsOf } from './report-catalog.js';
import { ReportDimension, ReportMeasure } from './report.enums.js';
import { refreshReports } from './report-refresh.js';
import { runReport } from './report.service.js';
import { Report, ReportsRefreshPayload } from './report.types.js';

const GROUP_BY = { nullable: true, description: 'Up to two dimensions the measure has (reportDimensions); none for the total only' };
const FROM = { nullable: true, description: "Start of the period (default: 1 January of `to`'s year); ignored for measures that stand as they are now" };
const TO = { nullable: true, description: 'End of the period, inclusive (default: today)' };
const STATUTORY = { nullable: true, description: 'CUS_UNITS only: true for the statutory units (under the act), false for the others; all when unset' };

@Resolver(() => Report)
export class ReportResolver {
  @Authorized(Role.MINISTRY)
  @Query(() => Report, {
    description:
      'A measure across every gmina in Poland, grouped as asked, over a calendar month, quarter, half-year or year. Counts of persons are perturbed by the cell key method; magnitudes with too few persons behind them are hidden (README, "Reports")',
  })
  ministryReport(
    @Ctx() ctx: RequestContext,
    @Arg('measure', () => ReportMeasure) measure: ReportMeasure,
    @Arg('groupBy', () => [ReportDimension], GROUP_BY) groupBy?: ReportDimension[],
    @Arg('from', () => LocalDateScalar, FROM) from?: string,
    @Arg('to', () => LocalDateScalar, TO) to?: string,
    @Arg('statutory', () => Boolean, STATUTORY) statutory?: boolean,
  ): Promise<Report> {
    // Always every gmina: totals of chosen sets of gminy, subtracted from each other, would undo suppression.
    return runReport(ctx, { measure, groupBy: groupBy ?? [], from, to, statutory });
  }

  @Authorized(...GMINA_SCOPED)
  @Query(() => Report, {
    description:
      'A dashboard figure of your own gminy (or of those of them you name): exact for CUS staff; for GMINA_OFFICIAL protected as for the ministry (all your gminy, calendar periods)',
  })
  gminaReport(
    @Ctx() ctx: RequestContext,
    @Arg('measure', () => ReportMeasure) measure: ReportMeasure,
    @Arg('groupBy', () => [ReportDimension], GROUP_BY) groupBy?: ReportDimension[],
    @Arg('from', () => LocalDateScalar, FROM) from?: string,
    @Arg('to', () => LocalDateScalar, TO) to?: string,
    @Arg('gminy', () => [TerytCodeScalar], { nullable: true, description: 'Some of your gminy only' }) gminy?: string[],
    @Arg('statutory', () => Boolean, STATUTORY) statutory?: boolean,
  ): Promise<Report> {
    return runReport(ctx, { measure, groupBy: groupBy ?? [], from, to, gminy, statutory });
  }

  @Authorized(Role.MINISTRY, ...GMINA_SCOPED)
  @Query(() => [ReportDimension], { description: 'The dimensions a measure can be grouped by' })
  reportDimensions(@Arg('measure', () => ReportMeasure) measure: ReportMeasure): ReportDimension[] {
    return dimensionsOf(measure);
  }

  @Authorized(Role.PLATFORM_ADMIN)
  @Mutation(() => ReportsRefreshPayload, { description: 'Rebuild the report rollup now (the server also does it on a schedule: REPORT_REFRESH_SECONDS)' })
  reportsRefresh(@Ctx() ctx: RequestContext): Promise<ReportsRefreshPayload> {
    return refreshReports(ctx);
  }
}
