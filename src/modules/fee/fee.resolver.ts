import { Authorized, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { RECORD_KEEPERS } from '../../platform/auth/roles.js';
import { declareMutations } from '../common/mutation-table.js';
import type { RequestContext } from '../../platform/graphql/context.js';
import { FeeKind } from '../common/domain.enums.js';
import { IpusItem } from '../ipus/ipus-parts.entity.js';
import { ProgrammeService } from '../programme/programme-service.entity.js';
import { Resident } from '../resident/resident.entity.js';
import { FeeScale, ResidentIncomeDeclaration } from './fee.entity.js';
import { ResidentIncomeDeclareInput, ResidentIncomeDeclarePayload } from './fee.inputs.js';
import { feeThresholdsOf, incomeDeclarationOf } from './fee.loader.js';
import { declareIncome, IpusItemFee, itemFeeOf } from './fee.service.js';

/*
 * Fees by income. A resident's income is financial data of a person: only the roles that read special-
 * category data (the coordinators and the director, RECORD_KEEPERS, as ResidentSensitive) read or record
 * it, and only they read an item's fee, which tells the income band. The database walls resident_income
 * the same way, so another role's read finds nothing even where the API let it through.
 */

@Resolver(() => ProgrammeService)
export class ProgrammeServiceFeeResolver {
  @FieldResolver(() => FeeScale, { nullable: true, description: 'The fee table of an INCOME_DEPENDENT fee; null when the fee has none' })
  async feeScale(@Root() item: ProgrammeService, @Ctx() ctx: RequestContext): Promise<FeeScale | null> {
    if (item.feeKind !== FeeKind.INCOME_DEPENDENT) return null;
    const thresholds = await feeThresholdsOf(ctx).load(item.id);
    return thresholds.length === 0 ? null : Object.assign(new FeeScale(), { unitCost: item.feeUnitCost, thresholds });
  }
}

@Resolver(() => Resident)
export class ResidentIncomeResolver {
  @Authorized(...RECORD_KEEPERS)
  @FieldResolver(() => ResidentIncomeDeclaration, {
    nullable: true,
    description: "The household's income as last declared (financial data): coordinators and the director only; null when none was declared",
  })
  incomeDeclaration(@Root() resident: Resident, @Ctx() ctx: RequestContext): Promise<ResidentIncomeDeclaration | null> {
    return incomeDeclarationOf(ctx).load(resident.id);
  }
}

declareMutations(ResidentIncomeResolver, RECORD_KEEPERS, ResidentIncomeDeclarePayload, {
  residentIncomeDeclare: {
    description: "Record what a resident declared of the household's monthly net income and size; the latest declared (by declaredOn) sets the fees by income",
    input: ResidentIncomeDeclareInput,
    run: declareIncome,
  },
});

@Resolver(() => IpusItem)
export class IpusItemFeeResolver {
  @Authorized(...RECORD_KEEPERS)
  @FieldResolver(() => IpusItemFee, {
    nullable: true,
    description:
      "The fee per hour or session under the programme in force on the item's first day (coordinators and the director); null when the service is free there",
  })
  fee(@Root() item: IpusItem, @Ctx() ctx: RequestContext): Promise<IpusItemFee | null> {
    return itemFeeOf(ctx, item.id);
  }
}
