import { toGrosze, toHundredths } from '../../platform/money.js';
import { VolumeUnit } from '../commission/commission.enums.js';
import { SettlementAmountRule } from './settlement.enums.js';

/** The commission's terms an amount follows from, as they stand when the statement is made. */
export interface AmountTerms {
  unitPrice: string | null;
  budget: string | null;
  /** Hours or sessions (volumeUnit) at most; numeric text. */
  volume: string | null;
  volumeUnit: VolumeUnit | null;
  periodStart: string | null;
  periodEnd: string | null;
}

/** What was delivered, as the amount counts it: minutes of DELIVERED sessions, and their number (signed in adjustments). */
export interface DeliveredCounts {
  minutes: number;
  sessions: number;
}

/** Divides rounding half away from zero, for signed grosze (an adjustment may take money back). */
export function divideRounded(numerator: bigint, denominator: bigint): bigint {
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const quotient = (n * 2n + d) / (2n * d);
  return negative ? -quotient : quotient;
}

/** Hundredths of an hour or of a session (the commission's unit; hours without one). */
export function quantityHundredths(unit: VolumeUnit | null, counts: DeliveredCounts): bigint {
  return unit === VolumeUnit.SESSIONS ? BigInt(counts.sessions) * 100n : divideRounded(BigInt(counts.minutes) * 100n, 60n);
}

/** Złoty text of grosze: -1234n → "-12.34". */
export function groszeText(grosze: bigint): string {
  const sign = grosze < 0n ? '-' : '';
  const abs = grosze < 0n ? -grosze : grosze;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

/** The rule a commission's terms give (README, "Monthly settlement"). */
export function amountRule(terms: AmountTerms): SettlementAmountRule {
  if (terms.unitPrice !== null) return SettlementAmountRule.UNIT_PRICE;
  if (terms.budget === null) return SettlementAmountRule.NONE;
  if (terms.volume !== null && toHundredths(terms.volume) > 0n) return SettlementAmountRule.BUDGET_PER_VOLUME;
  return SettlementAmountRule.MONTHLY_INSTALMENT;
}

/**
 * Grosze due for `counts` (one line of a statement) under `rule`, or null where the rule pays by the
 * month, not by what was delivered. Hours are priced from minutes (90 minutes at 60 zł: 90 zł), so
 * nothing is lost to rounding hours first.
 */
export function lineAmount(rule: SettlementAmountRule, terms: AmountTerms, counts: DeliveredCounts): bigint | null {
  const bySessions = terms.volumeUnit === VolumeUnit.SESSIONS;
  if (rule === SettlementAmountRule.UNIT_PRICE) {
    const price = toGrosze(terms.unitPrice as string);
    return bySessions ? BigInt(counts.sessions) * price : divideRounded(BigInt(counts.minutes) * price, 60n);
  }
  if (rule === SettlementAmountRule.BUDGET_PER_VOLUME) {
    // The budget over the volume, per unit: budget × quantity / volume, in one division.
    const volume = toHundredths(terms.volume as string);
    const budget = toGrosze(terms.budget as string);
    return bySessions ? divideRounded(BigInt(counts.sessions) * 100n * budget, volume) : divideRounded(BigInt(counts.minutes) * 100n * budget, 60n * volume);
  }
  return null;
}

const monthIndex = (day: string): number => Number(day.slice(0, 4)) * 12 + Number(day.slice(5, 7)) - 1;

/**
 * The month's instalment of a budget paid in equal parts over the months of the period (first and last
 * months whole): the k-th of n is round(budget·k/n) − round(budget·(k−1)/n), so the parts add up to
 * the budget exactly.
 */
export function monthlyInstalment(terms: AmountTerms, month: string): bigint {
  if (terms.budget === null || !terms.periodStart || !terms.periodEnd) return 0n;
  const first = monthIndex(terms.periodStart);
  const n = BigInt(monthIndex(terms.periodEnd) - first + 1);
  const k = BigInt(monthIndex(month) - first + 1);
  if (k < 1n || k > n) return 0n;
  const budget = toGrosze(terms.budget);
  return divideRounded(budget * k, n) - divideRounded(budget * (k - 1n), n);
}

/**
 * The amount due of a settlement: the sum of its lines' amounts (regular and adjustments), or the
 * month's instalment. The one place the amount is decided.
 */
export function amountDue(rule: SettlementAmountRule, terms: AmountTerms, month: string, lineAmounts: (bigint | null)[]): bigint {
  if (rule === SettlementAmountRule.MONTHLY_INSTALMENT) return monthlyInstalment(terms, month);
  return lineAmounts.reduce<bigint>((sum, amount) => sum + (amount ?? 0n), 0n);
}
