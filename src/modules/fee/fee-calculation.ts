import { fromHundredths, toHundredths } from '../../platform/money.js';

/** Grosze as złoty with two decimals ("12.50"), as the database shows money. */
export function moneyText(grosze: bigint): string {
  const sign = grosze < 0n ? '-' : '';
  const abs = grosze < 0n ? -grosze : grosze;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

/*
 * The fee a resident pays per hour or session under an income-dependent rule (DOMAIN.md, "Decisions,
 * fees and working days"), in exact integer arithmetic: money in grosze, percentages in hundredths of a
 * percent, never a binary float.
 */

export interface FeeThresholdRow {
  /** Income per person as a percentage of the criterion, inclusive, e.g. "150". */
  upToPercent: string;
  /** Share of the unit cost, "0".."100". */
  feePercent: string;
}

export interface IncomeDeclared {
  householdIncome: string;
  householdSize: number;
}

/** The criterion in force: for a person living alone, and per person in a family. */
export interface IncomeCriterionAmounts {
  singlePerson: string;
  perPersonInFamily: string;
}

/** The criterion that applies to a household: a person living alone has their own, a family the per-person one. */
export function criterionFor(household: IncomeDeclared, criterion: IncomeCriterionAmounts): string {
  return household.householdSize === 1 ? criterion.singlePerson : criterion.perPersonInFamily;
}

/**
 * The share of the unit cost (hundredths of a percent) for a household: the first row whose threshold
 * its income per person does not exceed, 100% above the last. income / size <= upTo% of criterion is
 * compared as income * 100 <= upTo * criterion * size, so no division rounds a boundary either way.
 */
export function feeShare(household: IncomeDeclared, criterion: string, thresholds: FeeThresholdRow[]): bigint {
  const income = toHundredths(household.householdIncome);
  const limitFactor = toHundredths(criterion) * BigInt(household.householdSize);
  for (const row of thresholds) {
    if (income * 10000n <= toHundredths(row.upToPercent) * limitFactor) return toHundredths(row.feePercent);
  }
  return 10000n;
}

/** Income per person as a percentage of the criterion, rounded to hundredths (for display only). */
export function incomePercentOfCriterion(household: IncomeDeclared, criterion: string): string {
  const numerator = toHundredths(household.householdIncome) * 10000n;
  const denominator = toHundredths(criterion) * BigInt(household.householdSize);
  return fromHundredths((numerator * 2n + denominator) / (2n * denominator));
}

/** `share` (hundredths of a percent) of `unitCost` złoty, rounded half up to the grosz, as a decimal string. */
export function feePerUnit(unitCost: string, share: bigint): string {
  return moneyText((toHundredths(unitCost) * share * 2n + 10000n) / 20000n);
}
