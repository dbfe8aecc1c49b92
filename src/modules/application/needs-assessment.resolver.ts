import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { declareMutations } from '../common/mutation-table.js';
import type { RequestContext } from '../../platform/graphql/context.js';
import { isUuid, registerNodeType } from '../../platform/graphql/node.js';
import { Application } from './application.entity.js';
import { NeedsAssessmentPayload, NeedsAssessmentRecordInput, NeedsAssessmentUpdateInput } from './application.inputs.js';
import { applicationById, needsAssessmentById, needsOfAssessment } from './application.loader.js';
import { RECORD_KEEPERS } from '../../platform/auth/roles.js';
import { AssessedNeed, NeedsAssessment } from './needs-assessment.entity.js';
import { recordNeedsAssessment, updateNeedsAssessment } from './needs-assessment.service.js';

// An assessment is part of its application, and so of the resident's record (src/modules/personal-data.ts).
registerNodeType('NeedsAssessment', async (ctx, key) => (isUuid(key) ? needsAssessmentById(ctx).load(key) : null));

@Resolver(() => NeedsAssessment)
export class NeedsAssessmentResolver {
  @FieldResolver(() => Application, { description: 'The application assessed (the read is logged)' })
  async application(@Root() assessment: NeedsAssessment, @Ctx() ctx: RequestContext): Promise<Application> {
    return (await applicationById(ctx).load(assessment.applicationId)) as Application;
  }

  @FieldResolver(() => [AssessedNeed], { description: "Needs found, by area in the act's order" })
  needs(@Root() assessment: NeedsAssessment, @Ctx() ctx: RequestContext): Promise<AssessedNeed[]> {
    return needsOfAssessment(ctx).load(assessment.id);
  }
}

// Each mutation returns the assessment it changed: a read of the resident's record like any other.
declareMutations(NeedsAssessmentResolver, RECORD_KEEPERS, NeedsAssessmentPayload, {
  needsAssessmentRecord: {
    description: 'Record the needs-assessment conversation of a FILED or QUALIFIED application',
    input: NeedsAssessmentRecordInput,
    run: recordNeedsAssessment,
  },
  needsAssessmentUpdate: {
    description: 'Correct a needs assessment while its application is FILED or QUALIFIED',
    input: NeedsAssessmentUpdateInput,
    run: updateNeedsAssessment,
  },
});
