import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { DateTimeScalar, MoneyScalar } from '../../platform/graphql/scalars.js';
import { toGlobalId } from '../../platform/graphql/node.js';
import { toGrosze } from '../../platform/money.js';
import { VolumeUnit } from '../commission/commission.enums.js';
import { IndicatorValue } from './settlement.entity.js';
import { SettlementAmountRule, SettlementStatus } from './settlement.enums.js';
import { amountDue, amountRule, groszeText, lineAmount, quantityHundredths, type AmountTerms } from './settlement-amount.js';

@ObjectType({ description: "One plan item's deliveries for one month: the settled month's own, or an adjustment of an earlier, accepted month" })
export class SettlementLine {
  @Field(() => ID, { description: 'The plan item (PartnerAssignment)' }) assignmentId!: string;
  @Field(() => String) serviceName!: string;
  @Field(() => String, { description: 'The month the deliveries took place, YYYY-MM' }) concernsMonth!: string;
  @Field(() => Boolean, {
    description: 'A change, after that month was accepted, of its deliveries (recorded late or corrected): figures are the difference, and may be negative',
  })
  adjustment!: boolean;
  @Field(() => Int, { description: 'Sessions recorded as DELIVERED' }) deliveredSessions!: number;
  @Field(() => Float, { description: 'Hours of the DELIVERED sessions' }) hours!: number;
  @Field(() => Int) residentAbsent!: number;
  @Field(() => Int, { description: 'Cancelled by the provider or by the resident' }) cancelled!: number;
  @Field(() => Float, { description: "What the amount counts: hours or sessions (the commission's volumeUnit; hours without one)" }) quantity!: number;
  @Field(() => MoneyScalar, { nullable: true, description: 'PLN due for the line (null when the commission is paid in monthly instalments or has no budget)' })
  amount!: string | null;
  /** The minutes `quantity` rounds to hours (null when it counts sessions): residents' fees are priced on them exactly, as the amount is. */
  quantityMinutes?: number | null;
}

@ObjectType({ description: "Totals of a settlement: its month's own lines, or its adjustments" })
export class SettlementTotals {
  @Field(() => Int, { description: "Residents with at least one DELIVERED session (the month's own lines only; 0 for adjustments)" }) persons!: number;
  @Field(() => Int) deliveredSessions!: number;
  @Field(() => Float) hours!: number;
  @Field(() => Int) residentAbsent!: number;
  @Field(() => Int) cancelled!: number;
  @Field(() => Float) quantity!: number;
  @Field(() => MoneyScalar, { nullable: true }) amount!: string | null;
}

/**
 * A settlement's full figures, as exports (CSV, the PDF statement) and the API show them: computed from
 * recorded deliveries until acceptance, then frozen. Built only by settlementStatement (settlement.service.ts).
 */
@ObjectType({ description: "A settlement's full figures: computed from the deliveries recorded until it is accepted, then frozen as accepted" })
export class SettlementStatement {
  @Field(() => ID) settlementId!: string;
  @Field(() => String, { description: 'YYYY-MM' }) month!: string;
  @Field(() => SettlementStatus) status!: SettlementStatus;
  @Field(() => Boolean, { description: 'True once accepted: the figures are those accepted, whatever changed since' }) frozen!: boolean;
  @Field(() => DateTimeScalar, { nullable: true, description: 'When the figures were frozen (acceptance)' }) frozenAt!: Date | null;
  @Field(() => ID) commissionId!: string;
  @Field(() => String) commissionTitle!: string;
  @Field(() => String, { nullable: true }) agreementNumber!: string | null;
  @Field(() => String, { description: 'The partner organisation' }) partnerName!: string;
  @Field(() => String, { description: 'The gmina whose centre settles the commission (its name in the TERC register)' }) gminaName!: string;
  @Field(() => String, { nullable: true, description: 'Who accepted the settlement (the subject of their token); null until accepted' }) acceptedBy!:
    string | null;
  @Field(() => DateTimeScalar, { nullable: true, description: 'When it was accepted; null until accepted' }) acceptedAt!: Date | null;
  @Field(() => VolumeUnit, { nullable: true }) volumeUnit!: VolumeUnit | null;
  @Field(() => MoneyScalar, { nullable: true }) unitPrice!: string | null;
  @Field(() => MoneyScalar, { nullable: true }) budget!: string | null;
  @Field(() => SettlementAmountRule) amountRule!: SettlementAmountRule;
  @Field(() => [SettlementLine], { description: "The month's own lines first, then adjustments by the month they concern" }) lines!: SettlementLine[];
  @Field(() => SettlementTotals, { description: "The month's own lines" }) monthTotals!: SettlementTotals;
  @Field(() => SettlementTotals, { description: 'The adjustments' }) adjustmentTotals!: SettlementTotals;
  @Field(() => [IndicatorValue]) indicatorValues!: IndicatorValue[];
  @Field(() => MoneyScalar, {
    nullable: true,
    description: 'PLN due for this settlement (own lines and adjustments, or the monthly instalment); null without a budget or unit price',
  })
  amountDue!: string | null;
  @Field(() => MoneyScalar, { description: 'PLN of the settlements of the commission accepted before this one' }) acceptedBefore!: string;
  @Field(() => MoneyScalar, { description: 'acceptedBefore plus this amountDue: the budget used once this one is accepted' }) cumulativeUse!: string;
  @Field(() => Float, { nullable: true, description: 'cumulativeUse as a share of the budget (0.85 = 85%)' }) budgetShareUsed!: number | null;
  @Field(() => Boolean, {
    description: 'cumulativeUse has reached the share of the budget the server warns at (SETTLEMENT_BUDGET_WARNING_SHARE, 0.8 by default)',
  })
  budgetWarning!: boolean;
}

/** One row of app.settlement_lines: a delivery's contribution to a month. */
export interface LineRow {
  item_id: string;
  service_name: string;
  person_no: string | number;
  concerns_month: string;
  adjustment: boolean;
  delivered: number;
  minutes: number;
  absent: number;
  cancelled: number;
}

export interface StatementHead {
  settlementId: string;
  month: string;
  status: SettlementStatus;
  commissionId: string;
  commissionTitle: string;
  agreementNumber: string | null;
  partnerName: string;
  /** The settling gmina's name (settlementStatement sets it, with who accepted, on every statement it returns). */
  gminaName?: string;
  terms: AmountTerms;
  indicatorValues: IndicatorValue[];
  /** Grosze of the commission's settlements accepted before this one. */
  acceptedBefore: bigint;
}

const hoursOf = (minutes: number): number => Math.round((minutes / 60) * 100) / 100;
const hundredthsNumber = (value: bigint): number => Number(value) / 100;

function totalsOf(lines: SettlementLine[], raw: { minutes: number }[], persons: number, amount: bigint | null): SettlementTotals {
  const minutes = raw.reduce((sum, line) => sum + line.minutes, 0);
  return {
    persons,
    deliveredSessions: lines.reduce((sum, line) => sum + line.deliveredSessions, 0),
    hours: hoursOf(minutes),
    residentAbsent: lines.reduce((sum, line) => sum + line.residentAbsent, 0),
    cancelled: lines.reduce((sum, line) => sum + line.cancelled, 0),
    quantity: Math.round(lines.reduce((sum, line) => sum + line.quantity, 0) * 100) / 100,
    amount: amount === null ? null : groszeText(amount),
  };
}

/** The statement of figures computed now (a settlement not accepted yet), from the rows of app.settlement_lines. */
export function buildStatement(head: StatementHead, rows: LineRow[], warningShare: number): SettlementStatement {
  const rule = amountRule(head.terms);
  const groups = new Map<string, { row: LineRow; delivered: number; minutes: number; absent: number; cancelled: number }>();
  for (const row of rows) {
    const key = `${row.adjustment}|${row.concerns_month}|${row.item_id}`;
    const group = groups.get(key) ?? { row, delivered: 0, minutes: 0, absent: 0, cancelled: 0 };
    group.delivered += row.delivered;
    group.minutes += row.minutes;
    group.absent += row.absent;
    group.cancelled += row.cancelled;
    groups.set(key, group);
  }
  const raw = [...groups.values()];
  const amounts = raw.map((g) => lineAmount(rule, head.terms, { minutes: g.minutes, sessions: g.delivered }));
  const lines: SettlementLine[] = raw.map((g, i) => {
    const amount = amounts[i];
    return {
      assignmentId: toGlobalId('PartnerAssignment', g.row.item_id),
      serviceName: g.row.service_name,
      concernsMonth: g.row.concerns_month.slice(0, 7),
      adjustment: g.row.adjustment,
      deliveredSessions: g.delivered,
      hours: hoursOf(g.minutes),
      residentAbsent: g.absent,
      cancelled: g.cancelled,
      quantity: hundredthsNumber(quantityHundredths(head.terms.volumeUnit, { minutes: g.minutes, sessions: g.delivered })),
      quantityMinutes: head.terms.volumeUnit === VolumeUnit.SESSIONS ? null : g.minutes,
      amount: amount === null ? null : groszeText(amount),
    };
  });
  const own = (i: number) => !raw[i].row.adjustment;
  const persons = new Set(rows.filter((r) => !r.adjustment && r.delivered > 0).map((r) => String(r.person_no))).size;
  const sumOf = (pick: (i: number) => boolean) =>
    rule === SettlementAmountRule.UNIT_PRICE || rule === SettlementAmountRule.BUDGET_PER_VOLUME
      ? amounts.reduce<bigint>((sum, amount, i) => (pick(i) ? sum + (amount ?? 0n) : sum), 0n)
      : null;
  const due = rule === SettlementAmountRule.NONE ? null : amountDue(rule, head.terms, head.month, amounts);
  return withUse(
    {
      settlementId: toGlobalId('Settlement', head.settlementId),
      month: head.month.slice(0, 7),
      status: head.status,
      frozen: false,
      frozenAt: null,
      commissionId: toGlobalId('Commission', head.commissionId),
      commissionTitle: head.commissionTitle,
      agreementNumber: head.agreementNumber,
      partnerName: head.partnerName,
      gminaName: head.gminaName ?? '',
      acceptedBy: null,
      acceptedAt: null,
      volumeUnit: head.terms.volumeUnit,
      unitPrice: head.terms.unitPrice,
      budget: head.terms.budget,
      amountRule: rule,
      lines,
      monthTotals: totalsOf(
        lines.filter((_, i) => own(i)),
        raw.filter((_, i) => own(i)),
        persons,
        sumOf(own),
      ),
      adjustmentTotals: totalsOf(
        lines.filter((_, i) => !own(i)),
        raw.filter((_, i) => !own(i)),
        0,
        sumOf((i) => !own(i)),
      ),
      indicatorValues: head.indicatorValues,
      amountDue: due === null ? null : groszeText(due),
      acceptedBefore: groszeText(head.acceptedBefore),
      cumulativeUse: '0.00',
      budgetShareUsed: null,
      budgetWarning: false,
    },
    warningShare,
  );
}

/** Cumulative use against the budget, and the warning, from amountDue and acceptedBefore. */
export function withUse(statement: SettlementStatement, warningShare: number): SettlementStatement {
  const cumulative = signedGrosze(statement.acceptedBefore) + (statement.amountDue === null ? 0n : signedGrosze(statement.amountDue));
  const budget = statement.budget === null ? 0n : toGrosze(statement.budget);
  const share = budget > 0n ? Number((cumulative * 10000n) / budget) / 10000 : null;
  return {
    ...statement,
    cumulativeUse: groszeText(cumulative),
    budgetShareUsed: share,
    budgetWarning: share !== null && share >= warningShare,
  };
}

export const signedGrosze = (amount: string): bigint => (amount.startsWith('-') ? -toGrosze(amount.slice(1)) : toGrosze(amount));

/** A frozen statement as stored (JSON: dates as text), made whole again. */
export function thawStatement(figures: Record<string, unknown>, warningShare: number): SettlementStatement {
  const statement = figures as unknown as SettlementStatement;
  return withUse(
    {
      ...statement,
      frozenAt: statement.frozenAt ? new Date(statement.frozenAt) : null,
      acceptedAt: statement.acceptedAt ? new Date(statement.acceptedAt) : null,
    },
    warningShare,
  );
}
