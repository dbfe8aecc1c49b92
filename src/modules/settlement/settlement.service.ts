import type { RequestContext } from '../../platform/graphql/context.js';
import { uuidFromGlobalId } from '../../platform/graphql/node.js';
import { UserErrorCode, UserErrors } from '../../platform/graphql/user-error.js';
import { Role } from '../../platform/auth/roles.js';
import { blank, ok, refuse, textOrNull, type Result } from '../common/result.js';
import { todayInPoland } from '../common/dates.js';
import { findVisible, isCurrentVersion } from '../common/find.js';
import { checkMove, type Moves } from '../common/transitions.js';
import { Commission } from '../commission/commission.entity.js';
import { CommissionStatus } from '../commission/commission.enums.js';
import { findCommission } from '../commission/commission.service.js';
import { IndicatorValue, Settlement } from './settlement.entity.js';
import { SettlementStatus } from './settlement.enums.js';
import type { SettlementDecisionInput, SettlementOpenInput, SettlementSubmitInput } from './settlement.inputs.js';
import { buildStatement, signedGrosze, thawStatement, type LineRow, type SettlementStatement } from './settlement-statement.js';

const { OPEN, SUBMITTED, RETURNED, ACCEPTED } = SettlementStatus;

/** What a settlement may do in which status: the partner submits, the centre accepts or returns; ACCEPTED is final. */
export const SETTLEMENT_MOVES = {
  submit: { from: [OPEN, RETURNED], to: SUBMITTED, what: 'submission' },
  accept: { from: [SUBMITTED], to: ACCEPTED, what: 'acceptance' },
  return: { from: [SUBMITTED], to: RETURNED, what: 'return' },
} satisfies Moves<SettlementStatus>;

/** YYYY-MM, or a day of the month (YYYY-MM-DD), which names its month. */
const MONTH = /^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$/;
const MAX_INDICATOR_VALUE = 500;

const lastDayOf = (month: string): string => {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
};

/** A commission the principal may settle: the partner's own, or (the centre) one of its own gmina. */
async function settleableCommission(ctx: RequestContext, globalId: string, errors: UserErrors): Promise<Commission | null> {
  const commission = await findCommission(ctx, globalId, 'commissionId', errors);
  // Staff of a gmina the unit serves read the commission; the seat gmina's managers settle it.
  if (commission && ctx.principal.role !== Role.PARTNER && !ctx.principal.gminy.includes(commission.gminaId)) {
    errors.add('commissionId', 'No such commission', UserErrorCode.NOT_FOUND);
    return null;
  }
  return commission;
}

export async function openSettlement(ctx: RequestContext, input: SettlementOpenInput): Promise<Result<Settlement>> {
  const errors = new UserErrors();
  const commission = await settleableCommission(ctx, input.commissionId, errors);
  if (!MONTH.test(input.month)) errors.add('month', 'A month is written YYYY-MM (or as one of its days, YYYY-MM-DD)', UserErrorCode.INVALID);
  if (!commission || errors.any) return refuse(errors);
  const name = input.month.slice(0, 7);
  const first = `${name}-01`;
  if (commission.status === CommissionStatus.PLANNED || !commission.periodStart || !commission.periodEnd) {
    errors.add('commissionId', 'A PLANNED commission has nothing to settle yet', UserErrorCode.NOT_ALLOWED);
  } else if (first > commission.periodEnd || lastDayOf(name) < commission.periodStart) {
    errors.add('month', `The commission runs from ${commission.periodStart} to ${commission.periodEnd}`, UserErrorCode.OUT_OF_RANGE);
  } else if (first > todayInPoland()) {
    errors.add('month', 'The month has not begun', UserErrorCode.OUT_OF_RANGE);
  } else if ((await ctx.em.count(Settlement, { commissionId: commission.id, month: first })) > 0) {
    errors.add('month', `The settlement of ${name} is already open`, UserErrorCode.DUPLICATE);
  }
  if (errors.any) return refuse(errors);
  const settlement = ctx.em.create(Settlement, { commissionId: commission.id, partnerId: commission.partnerId, gminaId: commission.gminaId, month: first });
  await ctx.em.flush();
  return ok(settlement);
}

const findSettlement = (ctx: RequestContext, globalId: string, errors: UserErrors) => findVisible(ctx, Settlement, globalId, 'id', errors, 'settlement');

/** The indicator values given, one for each indicator the commission defines, each once and not blank. */
function checkIndicators(defined: string[], given: SettlementSubmitInput['indicatorValues'], errors: UserErrors): IndicatorValue[] {
  const values: IndicatorValue[] = [];
  const seen = new Set<string>();
  given.forEach((entry, i) => {
    const indicator = entry.indicator.trim();
    if (!defined.includes(indicator))
      errors.add(['indicatorValues', String(i), 'indicator'], `The commission defines no indicator "${indicator}"`, UserErrorCode.NOT_FOUND);
    else if (seen.has(indicator)) errors.add(['indicatorValues', String(i), 'indicator'], `"${indicator}" is given twice`, UserErrorCode.DUPLICATE);
    else if (blank(entry.value)) errors.add(['indicatorValues', String(i), 'value'], `Give the value of "${indicator}"`, UserErrorCode.REQUIRED);
    else if (entry.value.trim().length > MAX_INDICATOR_VALUE) {
      errors.add(['indicatorValues', String(i), 'value'], `At most ${MAX_INDICATOR_VALUE} characters`, UserErrorCode.OUT_OF_RANGE);
    } else values.push({ indicator, value: entry.value.trim() });
    seen.add(indicator);
  });
  for (const indicator of defined) {
    if (!seen.has(indicator)) errors.add('indicatorValues', `Give the value of "${indicator}"`, UserErrorCode.REQUIRED);
  }
  // In the commission's order, whatever order they came in.
  return defined.flatMap((indicator) => values.filter((v) => v.indicator === indicator));
}

export async function submitSettlement(ctx: RequestContext, input: SettlementSubmitInput): Promise<Result<Settlement>> {
  const errors = new UserErrors();
  const settlement = await findSettlement(ctx, input.id, errors);
  if (!settlement || !isCurrentVersion(settlement, input.version, errors, 'settlement')) return refuse(errors);
  if (!checkMove('settlement', settlement.status, SETTLEMENT_MOVES.submit, errors)) return refuse(errors);
  if (lastDayOf(settlement.month.slice(0, 7)) >= todayInPoland()) {
    errors.add('id', `${settlement.month.slice(0, 7)} has not ended: report it from the first day of the next month`, UserErrorCode.NOT_ALLOWED);
  }
  const commission = await ctx.em.findOneOrFail(Commission, { id: settlement.commissionId });
  const indicatorValues = checkIndicators(commission.qualityIndicators, input.indicatorValues, errors);
  if (errors.any) return refuse(errors);
  ctx.em.assign(settlement, {
    status: SETTLEMENT_MOVES.submit.to,
    indicatorValues,
    submittedAt: new Date(),
    submittedBy: ctx.principal.subject,
  });
  await ctx.em.flush();
  return ok(settlement);
}

/** Freezes the figures: what this settlement counts of each delivery is recorded, and the statement kept as accepted. */
async function freeze(ctx: RequestContext, settlement: Settlement): Promise<SettlementStatement | null> {
  // Delivery writers of the commission hold this lock until they commit (app.refresh_commission_use):
  // the figures read below stay as they are until this transaction ends.
  await ctx.em.execute('select app.lock_commission(?)', [settlement.commissionId]);
  const statement = await settlementStatement(ctx, settlement.id);
  if (!statement) return null;
  await ctx.em.execute(
    `insert into settlement_delivery (settlement_id, delivery_id, concerns_month, gmina_id, delivered, minutes, absent, cancelled)
    select ?, l.delivery_id, l.concerns_month, ?, sum(l.delivered), sum(l.minutes), sum(l.absent), sum(l.cancelled)
    from app.settlement_lines(?) l group by l.delivery_id, l.concerns_month`,
    [settlement.id, settlement.gminaId, settlement.id],
  );
  return statement;
}

export async function acceptSettlement(ctx: RequestContext, input: SettlementDecisionInput): Promise<Result<Settlement>> {
  const errors = new UserErrors();
  const settlement = await findSettlement(ctx, input.id, errors);
  if (!settlement || !isCurrentVersion(settlement, input.version, errors, 'settlement')) return refuse(errors);
  if (!checkMove('settlement', settlement.status, SETTLEMENT_MOVES.accept, errors)) return refuse(errors);
  const statement = await freeze(ctx, settlement);
  if (!statement) {
    errors.add('id', 'No such settlement', UserErrorCode.NOT_FOUND);
    return refuse(errors);
  }
  const decidedAt = new Date();
  const figures = { ...statement, status: ACCEPTED, frozen: true, frozenAt: decidedAt.toISOString() };
  ctx.em.assign(settlement, { status: SETTLEMENT_MOVES.accept.to, figures, decidedAt, decidedBy: ctx.principal.subject, returnReason: null });
  await ctx.em.flush();
  return ok(settlement);
}

export async function returnSettlement(ctx: RequestContext, input: SettlementDecisionInput): Promise<Result<Settlement>> {
  const errors = new UserErrors();
  const settlement = await findSettlement(ctx, input.id, errors);
  if (!settlement || !isCurrentVersion(settlement, input.version, errors, 'settlement')) return refuse(errors);
  if (!checkMove('settlement', settlement.status, SETTLEMENT_MOVES.return, errors)) return refuse(errors);
  const reason = textOrNull(input.reason);
  if (reason === null) errors.add('reason', 'Say what the partner is to put right', UserErrorCode.REQUIRED);
  else if (reason.length > 2000) errors.add('reason', 'At most 2000 characters', UserErrorCode.OUT_OF_RANGE);
  if (errors.any) return refuse(errors);
  ctx.em.assign(settlement, { status: SETTLEMENT_MOVES.return.to, returnReason: reason, decidedAt: new Date(), decidedBy: ctx.principal.subject });
  await ctx.em.flush();
  return ok(settlement);
}

/**
 * A settlement's full figures, for the API and every export (CSV, the PDF statement): null when the
 * principal may not read it. Accepted: the figures as accepted. Otherwise computed now from the
 * recorded deliveries (app.settlement_lines, which applies the read rule itself), with the amount
 * due (settlement-amount.ts) and the use of the budget by the settlements accepted before it.
 */
export async function settlementStatement(ctx: RequestContext, id: string): Promise<SettlementStatement | null> {
  const settlement = await ctx.em.findOne(Settlement, { id });
  if (!settlement) return null;
  const statement = await figuresOf(ctx, settlement);
  // Who accepted it and the gmina, read at every read: the PDF statement prints them, and figures frozen before they were kept lack them.
  const [gmina] = await ctx.em.execute<{ name: string }[]>('select name from gmina where id = ?', [settlement.gminaId]);
  const accepted = settlement.status === ACCEPTED;
  return { ...statement, gminaName: gmina?.name ?? '', acceptedBy: accepted ? settlement.decidedBy : null, acceptedAt: accepted ? settlement.decidedAt : null };
}

/** The figures: as accepted, or computed now. */
async function figuresOf(ctx: RequestContext, settlement: Settlement): Promise<SettlementStatement> {
  const share = ctx.settings.settlementBudgetWarningShare;
  if (settlement.status === ACCEPTED && settlement.figures) return thawStatement(settlement.figures, share);
  const commission = await ctx.em.findOneOrFail(Commission, { id: settlement.commissionId });
  const [partner] = await ctx.em.execute<{ name: string }[]>('select name from partner where id = ?', [settlement.partnerId]);
  const rows = await ctx.em.execute<LineRow[]>(
    `select item_id, service_name, person_no, concerns_month::text as concerns_month, adjustment, delivered, minutes, absent, cancelled
     from app.settlement_lines(?)`,
    [settlement.id],
  );
  const accepted = await ctx.em.find(Settlement, { commissionId: settlement.commissionId, status: ACCEPTED, id: { $ne: settlement.id } });
  const acceptedBefore = accepted.reduce((sum, s) => sum + signedGrosze(String((s.figures as { amountDue?: string | null } | null)?.amountDue ?? '0')), 0n);
  return buildStatement(
    {
      settlementId: settlement.id,
      month: settlement.month,
      status: settlement.status,
      commissionId: commission.id,
      commissionTitle: commission.title,
      agreementNumber: commission.agreementNumber,
      partnerName: partner?.name ?? '',
      terms: {
        unitPrice: commission.unitPrice,
        budget: commission.budget,
        volume: commission.volume,
        volumeUnit: commission.volumeUnit,
        periodStart: commission.periodStart,
        periodEnd: commission.periodEnd,
      },
      indicatorValues: settlement.indicatorValues,
      acceptedBefore,
    },
    rows,
    share,
  );
}

/** Reads a settlement by global id for the export routes; null when it is not the principal's to read. */
export const statementOf = (ctx: RequestContext, globalId: string): Promise<SettlementStatement | null> =>
  settlementStatement(ctx, uuidFromGlobalId(globalId, 'Settlement'));
