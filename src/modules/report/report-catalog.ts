import { ReportDimension as D, ReportMeasure as M, ReportUnit } from './report.enums.js';

/** Where a region is in the TERYT hierarchy: allowed for every measure. */
const GEO: readonly D[] = [D.COUNTRY, D.WOJEWODZTWO, D.POWIAT, D.GMINA, D.GMINA_KIND];

export interface MeasureSpec {
  unit: ReportUnit;
  /** Dimensions besides the geographic ones. */
  dimensions: readonly D[];
  /** Counted over a period (from..to); otherwise a stock, as it stands now. */
  overPeriod: boolean;
  /** Cells add up to their totals, so suppressing one cell needs a second (complementary) one. */
  additive: boolean;
}

const persons = (extra: readonly D[] = [D.MONTH]): MeasureSpec => ({ unit: ReportUnit.PERSONS, dimensions: extra, overPeriod: true, additive: true });

/** Every measure, with what it may be grouped by. A combination outside this is refused by name. */
export const MEASURES: Record<M, MeasureSpec> = {
  [M.APPLICATIONS_RECEIVED]: persons(),
  [M.APPLICATIONS_QUALIFIED]: persons(),
  [M.APPLICATIONS_REFUSED]: persons(),
  [M.APPLICATIONS_FORWARDED]: persons(),
  [M.DAYS_TO_PLAN_MEDIAN]: { unit: ReportUnit.DAYS, dimensions: [D.MONTH], overPeriod: true, additive: false },
  [M.DAYS_TO_PLAN_P90]: { unit: ReportUnit.DAYS, dimensions: [D.MONTH], overPeriod: true, additive: false },
  [M.PLANS_PREPARED]: persons(),
  [M.PLANS_ACTIVATED]: persons(),
  [M.PLANS_ACTIVE]: persons([]),
  [M.PLANS_COMPLETED]: persons(),
  [M.PLANS_TERMINATED]: persons([D.MONTH, D.TERMINATION_REASON]),
  [M.RESIDENTS_SERVED]: persons([]),
  [M.DELIVERIES]: { unit: ReportUnit.COUNT, dimensions: [D.MONTH, D.AREA, D.PARTNER_KIND, D.PARTNER], overPeriod: true, additive: true },
  [M.DELIVERY_HOURS]: { unit: ReportUnit.HOURS, dimensions: [D.MONTH, D.AREA, D.PARTNER_KIND, D.PARTNER], overPeriod: true, additive: true },
  [M.COMMISSION_BUDGET]: { unit: ReportUnit.PLN, dimensions: [D.PARTNER_KIND, D.PARTNER], overPeriod: false, additive: true },
  [M.COMMISSION_BUDGET_USED]: { unit: ReportUnit.PLN, dimensions: [D.PARTNER_KIND, D.PARTNER], overPeriod: false, additive: true },
  [M.SERVICES]: { unit: ReportUnit.COUNT, dimensions: [D.AREA, D.TARGET_GROUP], overPeriod: false, additive: true },
  [M.CUS_UNITS]: { unit: ReportUnit.COUNT, dimensions: [D.CREATION_MODE], overPeriod: false, additive: true },
  [M.PARTNERS]: { unit: ReportUnit.COUNT, dimensions: [D.PARTNER_KIND], overPeriod: false, additive: true },
};

export const dimensionsOf = (measure: M): D[] => [...GEO, ...MEASURES[measure].dimensions];

/**
 * The fact the database reads for a measure grouped so. A service serves several target groups, so
 * by target group it counts once per group (and such a table's cells do not add up to its total).
 */
export function factOf(measure: M, groupBy: readonly D[]): { fact: string; additive: boolean } {
  if (measure === M.SERVICES) {
    return groupBy.includes(D.TARGET_GROUP) ? { fact: 'SERVICES', additive: false } : { fact: 'SERVICES_BY_AREA', additive: true };
  }
  return { fact: measure, additive: MEASURES[measure].additive };
}
