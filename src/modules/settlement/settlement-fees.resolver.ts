import { Authorized, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { RECORD_KEEPERS } from '../../platform/auth/roles.js';
import type { RequestContext } from '../../platform/graphql/context.js';
import { uuidFromGlobalId } from '../../platform/graphql/node.js';
import { MoneyScalar } from '../../platform/graphql/scalars.js';
import { toGrosze, toHundredths } from '../../platform/money.js';
import { addDays, addMonths } from '../common/dates.js';
import { itemFeeFacts } from '../fee/fee.loader.js';
import { itemFeeOf } from '../fee/fee.service.js';
import { groszeText } from './settlement-amount.js';
import { SettlementLine, SettlementStatement, signedGrosze } from './settlement-statement.js';

/*
 * What residents pay and what the centre pays of a settlement (issue 19, "Fees"): each line's residents'
 * fees are its quantity at the fee per hour or session of its plan item (IpusItem.fee, by the person's
 * income declared in force in the month the deliveries took place), the centre's share the amount less those fees. A line is one person's item, so its
 * fee tells that person's income band: like IpusItem.fee, only the roles that read residents' income
 * (RECORD_KEEPERS: of the settlement's readers, the director) see these fields; the partner and the
 * services organiser are refused them (FORBIDDEN), and the database walls resident_income the same way.
 * Computed at every read with the reader's rights, never frozen with the figures: whoever accepted the
 * settlement may not read incomes.
 */

/**
 * `perUnit` złoty for a line, in grosze, rounded half away from zero (adjustments may be negative): for
 * the exact minutes where the line counts hours (as its amount is priced), else for its sessions.
 */
function feeFor(perUnit: string, line: SettlementLine): bigint {
  const minutes = line.quantityMinutes;
  const [exact, divisor] =
    minutes !== undefined && minutes !== null
      ? [toGrosze(perUnit) * BigInt(Math.abs(minutes)), 60n]
      : [toGrosze(perUnit) * toHundredths(Math.abs(line.quantity)), 100n];
  const grosze = (exact * 2n + divisor) / (2n * divisor);
  return line.quantity < 0 || (minutes ?? 0) < 0 ? -grosze : grosze;
}

/**
 * Grosze the residents pay for a line; 0 for a free service or one under no programme; null when an
 * income-dependent fee cannot be computed, or the reader's rights do not reach the item (never
 * counted as free: a hidden item would understate the fees).
 */
async function lineFees(ctx: RequestContext, line: SettlementLine): Promise<bigint | null> {
  const itemId = uuidFromGlobalId(line.assignmentId, 'PartnerAssignment');
  // Priced by the income declaration in force at the end of the month the deliveries took place.
  const asOf = addDays(addMonths(`${line.concernsMonth}-01`, 1), -1);
  if (!(await itemFeeFacts(ctx, asOf).load(itemId))) return null;
  const fee = await itemFeeOf(ctx, itemId, asOf);
  if (!fee) return 0n;
  return fee.perUnit === null ? null : feeFor(fee.perUnit, line);
}

async function statementFees(ctx: RequestContext, statement: SettlementStatement): Promise<bigint | null> {
  const fees = await Promise.all(statement.lines.map((line) => lineFees(ctx, line)));
  return fees.some((fee) => fee === null) ? null : fees.reduce<bigint>((sum, fee) => sum + (fee ?? 0n), 0n);
}

const share = (amount: string | null, fees: bigint | null): string | null =>
  amount === null || fees === null ? null : groszeText(signedGrosze(amount) - fees);

@Resolver(() => SettlementLine)
export class SettlementLineFeeResolver {
  @Authorized(...RECORD_KEEPERS)
  @FieldResolver(() => MoneyScalar, {
    nullable: true,
    description:
      "PLN the resident pays for the line: its quantity at the item's fee (IpusItem.fee); 0 for a free service; null when the fee cannot be computed (no income declared, no fee table or unit cost). The director only: it tells the person's income band",
  })
  async residentsFees(@Root() line: SettlementLine, @Ctx() ctx: RequestContext): Promise<string | null> {
    const fees = await lineFees(ctx, line);
    return fees === null ? null : groszeText(fees);
  }

  @Authorized(...RECORD_KEEPERS)
  @FieldResolver(() => MoneyScalar, {
    nullable: true,
    description: 'PLN the centre pays for the line: amount less residentsFees (null when either is); the director only',
  })
  async centreShare(@Root() line: SettlementLine, @Ctx() ctx: RequestContext): Promise<string | null> {
    return share(line.amount, await lineFees(ctx, line));
  }
}

@Resolver(() => SettlementStatement)
export class SettlementStatementFeeResolver {
  @Authorized(...RECORD_KEEPERS)
  @FieldResolver(() => MoneyScalar, {
    nullable: true,
    description:
      "PLN the residents pay of the settlement: the lines' residentsFees (own lines and adjustments); null when one cannot be computed. The director only",
  })
  async residentsFees(@Root() statement: SettlementStatement, @Ctx() ctx: RequestContext): Promise<string | null> {
    const fees = await statementFees(ctx, statement);
    return fees === null ? null : groszeText(fees);
  }

  @Authorized(...RECORD_KEEPERS)
  @FieldResolver(() => MoneyScalar, {
    nullable: true,
    description: 'PLN the centre pays: amountDue less residentsFees (null when either is); the director only',
  })
  async centreShare(@Root() statement: SettlementStatement, @Ctx() ctx: RequestContext): Promise<string | null> {
    return share(statement.amountDue, await statementFees(ctx, statement));
  }
}
