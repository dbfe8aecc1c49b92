import { Field, Float, ObjectType } from 'type-graphql';
import type { RequestContext } from '../../platform/graphql/context.js';
import { LocalDateScalar, MoneyScalar } from '../../platform/graphql/scalars.js';
import { UserErrorCode, UserErrors } from '../../platform/graphql/user-error.js';
import { fromHundredths, toHundredths } from '../../platform/money.js';
import { todayInPoland } from '../common/dates.js';
import { FeeKind } from '../common/domain.enums.js';
import { ok, refuse, type Result } from '../common/result.js';
import type { Resident } from '../resident/resident.entity.js';
import { findResident } from '../resident/resident.service.js';
import { criterionFor, feePerUnit, feeShare, incomePercentOfCriterion } from './fee-calculation.js';
import { ResidentIncomeDeclaration } from './fee.entity.js';
import type { ResidentIncomeDeclareInput } from './fee.inputs.js';
import type { FeeThreshold } from './fee.entity.js';
import { feeThresholdsOf, itemFeeFacts, type ItemFeeFacts } from './fee.loader.js';

/** Households larger than this are a typing mistake rather than a family. */
const MAX_HOUSEHOLD = 30;

/** Records what a resident declared of the household's income; checked whole, nothing written on a refusal. */
export async function declareIncome(ctx: RequestContext, input: ResidentIncomeDeclareInput): Promise<Result<Resident>> {
  const errors = new UserErrors();
  const resident = await findResident(ctx, input.residentId, 'residentId', errors);
  const today = todayInPoland();
  const declaredOn = input.declaredOn ?? today;
  if (!Number.isInteger(input.householdSize) || input.householdSize < 1 || input.householdSize > MAX_HOUSEHOLD) {
    errors.add('householdSize', `A household has 1 to ${MAX_HOUSEHOLD} persons`, UserErrorCode.OUT_OF_RANGE);
  }
  if (declaredOn > today) errors.add('declaredOn', `A declaration cannot be dated after today (${today})`, UserErrorCode.OUT_OF_RANGE);
  if (!resident || errors.any) return refuse(errors);
  ctx.em.create(ResidentIncomeDeclaration, {
    gminaId: resident.gminaId,
    residentId: resident.id,
    householdIncome: fromHundredths(toHundredths(input.householdIncome)),
    householdSize: input.householdSize,
    declaredOn,
    declaredBy: ctx.principal.subject,
  });
  await ctx.em.flush();
  return ok(resident);
}

/** The fee of a plan item per hour or session, as the programme's rule gives it for the person. */
@ObjectType({ description: "The fee a resident pays for an item, per hour or session, under the programme's rule" })
export class IpusItemFee {
  @Field(() => FeeKind) kind!: FeeKind;
  @Field(() => MoneyScalar, {
    nullable: true,
    description: 'PLN per hour or session; null when it cannot be computed: an INCOME_DEPENDENT fee with no fee table, no income declared, or no unit cost',
  })
  perUnit!: string | null;
  @Field(() => Float, { nullable: true, description: 'The share of the unit cost (INCOME_DEPENDENT)' }) sharePercent!: number | null;
  @Field(() => MoneyScalar, { nullable: true, description: "The cost of an hour or session the share applies to: the rule's, or the commission's unit price" })
  unitCost!: string | null;
  @Field(() => MoneyScalar, { nullable: true, description: 'The income criterion that applies to the household, in force when the income was declared' })
  criterion!: string | null;
  @Field(() => Float, { nullable: true, description: 'Income per person as a percentage of the criterion' }) incomePercentOfCriterion!: number | null;
  @Field(() => LocalDateScalar, { nullable: true, description: 'When the income used was declared' }) declaredOn!: string | null;
}

/**
 * Applies the rule: null for a free service or one under no programme; a fixed fee as set; an
 * income-dependent one from the table by the person's last declaration, with the criterion of its date.
 */
export function itemFee(facts: ItemFeeFacts | null, thresholds: FeeThreshold[]): IpusItemFee | null {
  if (!facts?.programmeServiceId || !facts.feeKind || facts.feeKind === FeeKind.FREE) return null;
  const fee: IpusItemFee = Object.assign(new IpusItemFee(), {
    kind: facts.feeKind as FeeKind,
    perUnit: null,
    sharePercent: null,
    unitCost: null,
    criterion: null,
    incomePercentOfCriterion: null,
    declaredOn: null,
  });
  if (facts.feeKind === FeeKind.FIXED) return Object.assign(fee, { perUnit: facts.feeAmount });
  const unitCost = facts.feeUnitCost ?? facts.commissionPrice;
  fee.unitCost = unitCost;
  if (thresholds.length === 0 || facts.householdIncome === null || facts.householdSize === null || !facts.singlePerson || !facts.perPersonInFamily) return fee;
  const household = { householdIncome: facts.householdIncome, householdSize: facts.householdSize };
  const criterion = criterionFor(household, { singlePerson: facts.singlePerson, perPersonInFamily: facts.perPersonInFamily });
  const share = feeShare(household, criterion, thresholds);
  Object.assign(fee, {
    sharePercent: Number(fromHundredths(share)),
    criterion,
    incomePercentOfCriterion: Number(incomePercentOfCriterion(household, criterion)),
    declaredOn: facts.declaredOn,
    perUnit: unitCost ? feePerUnit(unitCost, share) : null,
  });
  return fee;
}

/**
 * The fee of one plan item (by its uuid), read with the principal's rights: IpusItem.fee (by the last
 * income declared), and the residents' share of a settlement (by the declaration in force on `asOf`).
 */
export async function itemFeeOf(ctx: RequestContext, itemId: string, asOf: string | null = null): Promise<IpusItemFee | null> {
  const facts = await itemFeeFacts(ctx, asOf).load(itemId);
  const thresholds = facts?.programmeServiceId && facts.feeKind === FeeKind.INCOME_DEPENDENT ? await feeThresholdsOf(ctx).load(facts.programmeServiceId) : [];
  return itemFee(facts, thresholds);
}
