import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Authorized, Ctx, FieldResolver, Info, Mutation, Resolver, Root } from 'type-graphql';
import type { RequestContext } from '../../platform/graphql/context.js';
import { isUuid, registerNodeType } from '../../platform/graphql/node.js';
import type { Result } from '../common/result.js';
import { Application } from './application.entity.js';
import { NeedsAssessmentPayload, NeedsAssessmentRecordInput, NeedsAssessmentUpdateInput } from './application.inputs.js';
import { applicationById, needsAssessmentById, needsOfAssessment } from './application.loader.js';
import { showApplications, showAssessments } from './application.read-log.js';
import { RECORD_KEEPERS } from '../../platform/auth/roles.js';
import { AssessedNeed, NeedsAssessment } from './needs-assessment.entity.js';
import { recordNeedsAssessment, updateNeedsAssessment } from './needs-assessment.service.js';

registerNodeType('NeedsAssessment', async (ctx, key, info) => (isUuid(key) ? showAssessments(ctx, info, await needsAssessmentById(ctx).load(key)) : null));

/** A mutation's payload; the assessment it returns is a read of the resident's record like any other. */
async function payload(ctx: RequestContext, info: GraphQLResolveInfo, { value, userErrors }: Result<NeedsAssessment>): Promise<NeedsAssessmentPayload> {
  return { needsAssessment: await showAssessments(ctx, info, value), userErrors };
}

@Resolver(() => NeedsAssessment)
export class NeedsAssessmentResolver {
  @FieldResolver(() => Application, { description: 'The application assessed (the read is logged)' })
  async application(@Root() assessment: NeedsAssessment, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<Application> {
    return showApplications(ctx, info, (await applicationById(ctx).load(assessment.applicationId)) as Application);
  }

  @FieldResolver(() => [AssessedNeed], { description: "Needs found, by area in the act's order" })
  needs(@Root() assessment: NeedsAssessment, @Ctx() ctx: RequestContext): Promise<AssessedNeed[]> {
    return needsOfAssessment(ctx).load(assessment.id);
  }

  @Authorized(...RECORD_KEEPERS)
  @Mutation(() => NeedsAssessmentPayload, { description: 'Record the needs-assessment conversation of a FILED or QUALIFIED application' })
  async needsAssessmentRecord(@Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo, @Arg('input', () => NeedsAssessmentRecordInput) input: NeedsAssessmentRecordInput): Promise<NeedsAssessmentPayload> {
    return payload(ctx, info, await recordNeedsAssessment(ctx, input));
  }

  @Authorized(...RECORD_KEEPERS)
  @Mutation(() => NeedsAssessmentPayload, { description: 'Correct a needs assessment while its application is FILED or QUALIFIED' })
  async needsAssessmentUpdate(@Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo, @Arg('input', () => NeedsAssessmentUpdateInput) input: NeedsAssessmentUpdateInput): Promise<NeedsAssessmentPayload> {
    return payload(ctx, info, await updateNeedsAssessment(ctx, input));
  }
}
