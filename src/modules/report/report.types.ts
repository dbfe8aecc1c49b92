import { Field, Float, Int, ObjectType } from 'type-graphql';
import { DateTimeScalar, LocalDateScalar } from '../../platform/graphql/scalars.js';
import { ReportDimension, ReportMeasure, ReportUnit } from './report.enums.js';

@ObjectType({ description: 'Where a figure sits on one dimension' })
export class ReportKey {
  @Field(() => ReportDimension) dimension!: ReportDimension;
  @Field(() => String, { description: 'TERYT code, enum value or YYYY-MM' }) code!: string;
  @Field(() => String, {
    description:
      'The Polish name: a region as TERYT names it (a gmina with its kind), an area of the act, a target group, a kind, a month ("styczeń 2026"); a partner by name where you may read it, else its id',
  })
  label!: string;
}

@ObjectType({ description: 'One figure of a report' })
export class ReportCell {
  @Field(() => [ReportKey], { description: 'One key per dimension grouped by (none for the total)' }) keys!: ReportKey[];
  @Field(() => Float, { nullable: true, description: 'Null when suppressed; perturbed for counts of persons in protected reports' }) value!: number | null;
  @Field(() => Boolean, {
    description:
      'Hidden (protected reports): a magnitude with fewer persons than the threshold behind it or one person most of it, a median of fewer plans, or a figure hidden with one so it cannot be worked out from a total',
  })
  suppressed!: boolean;
}

@ObjectType({ description: 'How counts of persons were perturbed (the cell key method; README, "Reports")' })
export class ReportPerturbation {
  @Field(() => Int, { description: 'Counts from 1 to threshold − 1 are never published as themselves (they show as 0 or as threshold and above)' })
  threshold!: number;
  @Field(() => Int, { description: 'A published count differs from the true one by at most this' }) maxDeviation!: number;
  @Field(() => Float, { description: 'Variance of the deviation (for counts of threshold and above); its mean is 0' }) variance!: number;
}

@ObjectType({ description: 'A measure grouped by up to two dimensions, with its totals' })
export class Report {
  @Field(() => ReportMeasure) measure!: ReportMeasure;
  @Field(() => ReportUnit) unit!: ReportUnit;
  @Field(() => [ReportDimension]) groupBy!: ReportDimension[];
  @Field(() => LocalDateScalar, { nullable: true, description: 'The period (null for measures that stand as they are now)' }) from!: string | null;
  @Field(() => LocalDateScalar, { nullable: true }) to!: string | null;
  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'When the figures were computed (the last rebuild of the rollup; now for measures read from the records)',
  })
  asOf!: Date | null;
  @Field(() => Int, {
    nullable: true,
    description: 'Protected reports (MINISTRY, GMINA_OFFICIAL): the number of persons below which a figure is not shown as it is; null when no rule applies',
  })
  suppressionThreshold!: number | null;
  @Field(() => ReportPerturbation, {
    nullable: true,
    description:
      'Set when the values are counts of persons perturbed for a protected principal: each cell (and each total, on its own) is off by at most maxDeviation',
  })
  perturbation!: ReportPerturbation | null;
  @Field(() => Boolean, { description: 'Whether the cells add up to the totals (not so for services by target group, or for medians)' }) additive!: boolean;
  @Field(() => [ReportCell], {
    description:
      'In key order. Protected reports list every cell of the table space (0 where nothing is counted, or where a small count is published as 0; PARTNER cells only where something is); dashboards omit empty ones',
  })
  cells!: ReportCell[];
  @Field(() => [ReportCell], { description: 'Totals per value of the first dimension (two-dimensional reports)' }) rowTotals!: ReportCell[];
  @Field(() => [ReportCell], { description: 'Totals per value of the second dimension (two-dimensional reports)' }) columnTotals!: ReportCell[];
  @Field(() => ReportCell) total!: ReportCell;
}

@ObjectType()
export class ReportsRefreshPayload {
  @Field(() => DateTimeScalar) refreshedAt!: Date;
  @Field(() => Int, { description: 'How long the rebuild took' }) tookMs!: number;
}
