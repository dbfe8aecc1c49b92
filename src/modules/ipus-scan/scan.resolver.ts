import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Role } from '../../platform/auth/roles.js';
import { declareMutations } from '../common/mutation-table.js';
import type { RequestContext } from '../../platform/graphql/context.js';
import { isUuid, registerNodeType } from '../../platform/graphql/node.js';
import { Ipus } from '../ipus/ipus.entity.js';
import { IpusAgreementScan } from './scan.entity.js';
import { IpusAgreementScanAttachInput, IpusAgreementScanAttachPayload } from './scan.inputs.js';
import { attachAgreementScan, scanOfPlan } from './scan.service.js';

// Through node(id) as through the plan: the table's policies let only the plan's readers see it.
registerNodeType('IpusAgreementScan', async (ctx, key) => (isUuid(key) ? ctx.em.findOne(IpusAgreementScan, { id: key }) : null));

@Resolver(() => IpusAgreementScan)
export class IpusAgreementScanResolver {
  @FieldResolver(() => String, { description: 'The file itself, base64 (to download it: decode and save as fileName)' })
  async contentBase64(@Root() scan: IpusAgreementScan, @Ctx() ctx: RequestContext): Promise<string> {
    await ctx.em.populate(scan, ['content']);
    return scan.content.toString('base64');
  }
}

declareMutations(IpusAgreementScanResolver, [Role.COORDINATOR], IpusAgreementScanAttachPayload, {
  ipusAgreementScanAttach: {
    description:
      "Attach the signed scan of a plan's agreement (a PDF, JPEG or PNG, base64, 600,000 bytes at most), once the agreement is recorded; once per plan",
    input: IpusAgreementScanAttachInput,
    run: attachAgreementScan,
  },
});

@Resolver(() => Ipus)
export class IpusAgreementScanOfPlanResolver {
  @FieldResolver(() => IpusAgreementScan, {
    nullable: true,
    description: "The signed scan of the resident's agreement, once attached (ipusAgreementScanAttach)",
  })
  agreementScan(@Root() plan: Ipus, @Ctx() ctx: RequestContext): Promise<IpusAgreementScan | null> {
    return scanOfPlan(ctx).load(plan.id);
  }
}
