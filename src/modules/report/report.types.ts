import { Field, Float, Int, ObjectType } from 'type-graphql';
import { DateTimeScalar, LocalDateScalar } from '../../platform/graphql/scalars.js';
import { ReportDimension, ReportMeasure, ReportUnit } from './report.enums.js';

@ObjectType({ description: 'Where a figure sits on one dimension' })
export class ReportKey {
  @Field(() => ReportDimension) dimension!: ReportDimension;
  @Field(() => String, { description: 'TERYT code, enum value or YYYY-MM' }) code!: string;
  @Field(() => String, { description: 'The name, for regions; otherwise the code' }) label!: string;
}

@ObjectType({ description: 'One figure of a report' })
export class ReportCell {
  @Field(() => [ReportKey], { description: 'One key per dimension grouped by (none for the total)' }) keys!: ReportKey[];
  @Field(() => Float, { nullable: true, description: 'Null when suppressed' }) value!: number | null;
  @Field(() => Boolean, { description: 'Hidden: a count of persons below the threshold, or hidden with one so it cannot be worked out from a total' })
  suppressed!: boolean;
}

@ObjectType({ description: 'A measure grouped by up to two dimensions, with its totals' })
export class Report {
  @Field(() => ReportMeasure) measure!: ReportMeasure;
  @Field(() => ReportUnit) unit!: ReportUnit;
  @Field(() => [ReportDimension]) groupBy!: ReportDimension[];
  @Field(() => LocalDateScalar, { nullable: true, description: 'The period (null for measures that stand as they are now)' }) from!: string | null;
  @Field(() => LocalDateScalar, { nullable: true }) to!: string | null;
  @Field(() => DateTimeScalar, { nullable: true, description: 'When the figures were computed (the last rebuild of the rollup; now for measures read from the records)' })
  asOf!: Date | null;
  @Field(() => Int, { nullable: true, description: 'Counts of persons below it are suppressed (ministry reports); null when nothing is suppressed by rule' })
  suppressionThreshold!: number | null;
  @Field(() => Boolean, { description: 'Whether the cells add up to the totals (not so for services by target group, or for medians)' }) additive!: boolean;
  @Field(() => [ReportCell], { description: 'In key order; a combination with nothing to count is absent' }) cells!: ReportCell[];
  @Field(() => [ReportCell], { description: 'Totals per value of the first dimension (two-dimensional reports)' }) rowTotals!: ReportCell[];
  @Field(() => [ReportCell], { description: 'Totals per value of the second dimension (two-dimensional reports)' }) columnTotals!: ReportCell[];
  @Field(() => ReportCell) total!: ReportCell;
}

@ObjectType()
export class ReportsRefreshPayload {
  @Field(() => DateTimeScalar) refreshedAt!: Date;
  @Field(() => Int, { description: 'How long the rebuild took' }) tookMs!: number;
}
