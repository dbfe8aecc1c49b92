import { Application } from './application.entity.js';
import { ApplicationResolver, ResidentApplicationsResolver } from './application.resolver.js';
import { AssessedNeed, NeedsAssessment } from './needs-assessment.entity.js';
import { NeedsAssessmentResolver } from './needs-assessment.resolver.js';

/** The application module's MikroORM entities and type-graphql resolvers, collected by src/modules/entities.ts and resolvers.ts. */
export const applicationEntities: Function[] = [Application, NeedsAssessment, AssessedNeed];
export const applicationResolvers: Function[] = [ApplicationResolver, ResidentApplicationsResolver, NeedsAssessmentResolver];
