import type { RequestContext } from '../../platform/graphql/context.js';
import { UserErrorCode, type UserErrors } from '../../platform/graphql/user-error.js';
import { fromHundredths, toHundredths } from '../../platform/money.js';
import { FeeKind } from '../common/domain.enums.js';
import { FeeThreshold } from './fee.entity.js';
import type { FeeScaleInput } from './fee.inputs.js';

/** The most rows a fee table may have; resolutions have a handful. */
const MAX_THRESHOLDS = 20;
/** The highest threshold: 100 times the criterion. */
const MAX_UP_TO = 1_000_000n;

export interface FeeScaleValues {
  unitCost: string | null;
  thresholds: { upToPercent: string; feePercent: string }[];
}

/**
 * A fee table as a council resolution sets it: only for an income-dependent fee; at least one row;
 * thresholds above 0 and strictly ascending (a row's threshold not above the one before is INVALID, an
 * equal one DUPLICATE); shares of the cost 0..100; a unit cost, when given, above 0.
 */
export function checkFeeScale(scale: FeeScaleInput, kind: FeeKind, errors: UserErrors): FeeScaleValues {
  if (kind !== FeeKind.INCOME_DEPENDENT) errors.add('feeScale', 'Only an income-dependent fee has a fee table', UserErrorCode.NOT_ALLOWED);
  if (scale.unitCost !== undefined && scale.unitCost !== null && toHundredths(scale.unitCost) <= 0n) {
    errors.add('feeScale.unitCost', 'The unit cost must be above 0', UserErrorCode.OUT_OF_RANGE);
  }
  if (scale.thresholds.length === 0) errors.add('feeScale.thresholds', 'A fee table has one row at least', UserErrorCode.REQUIRED);
  if (scale.thresholds.length > MAX_THRESHOLDS) errors.add('feeScale.thresholds', `A fee table has at most ${MAX_THRESHOLDS} rows`, UserErrorCode.OUT_OF_RANGE);
  let previous: bigint | null = null;
  const thresholds = scale.thresholds.map((row, i) => {
    const at = ['feeScale', 'thresholds', String(i)];
    const upTo = toHundredths(row.upToPercentOfCriterion);
    const fee = toHundredths(row.feePercent);
    if (upTo <= 0n || upTo > MAX_UP_TO) {
      errors.add(
        [...at, 'upToPercentOfCriterion'],
        `A threshold is above 0% and at most ${fromHundredths(MAX_UP_TO)}% of the criterion`,
        UserErrorCode.OUT_OF_RANGE,
      );
    } else if (previous !== null && upTo === previous) {
      errors.add([...at, 'upToPercentOfCriterion'], `The threshold ${fromHundredths(upTo)}% is in the table twice`, UserErrorCode.DUPLICATE);
    } else if (previous !== null && upTo < previous) {
      errors.add(
        [...at, 'upToPercentOfCriterion'],
        `Thresholds ascend: ${fromHundredths(upTo)}% comes after ${fromHundredths(previous)}%`,
        UserErrorCode.INVALID,
      );
    }
    if (fee < 0n || fee > 10000n) errors.add([...at, 'feePercent'], 'A share of the cost is 0..100%', UserErrorCode.OUT_OF_RANGE);
    if (upTo > 0n && (previous === null || upTo > previous)) previous = upTo;
    return { upToPercent: fromHundredths(upTo), feePercent: fromHundredths(fee) };
  });
  return { unitCost: scale.unitCost ? fromHundredths(toHundredths(scale.unitCost)) : null, thresholds };
}

/** Replaces a programme service's fee table with `thresholds` (none: the service has no table). */
export async function replaceFeeThresholds(
  ctx: RequestContext,
  item: { id: string; gminaId: number },
  thresholds: FeeScaleValues['thresholds'],
): Promise<void> {
  await ctx.em.nativeDelete(FeeThreshold, { programmeServiceId: item.id });
  thresholds.forEach((row, i) => ctx.em.create(FeeThreshold, { programmeServiceId: item.id, gminaId: item.gminaId, position: i + 1, ...row }));
  await ctx.em.flush();
}
