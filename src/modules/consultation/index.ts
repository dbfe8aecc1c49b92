import { Consultation } from './consultation.entity.js';
import { ConsultationSubmission } from './consultation-submission.entity.js';
import {
  ConsultationResolver,
  ConsultationSubmissionResolver,
  DiagnosisConsultationsResolver,
  ProgrammeConsultationsResolver,
} from './consultation.resolver.js';

/** The consultation module's MikroORM entities and type-graphql resolvers, collected by src/modules/entities.ts and resolvers.ts. */
export const consultationEntities: Function[] = [Consultation, ConsultationSubmission];
export const consultationResolvers: Function[] = [
  ConsultationResolver,
  ConsultationSubmissionResolver,
  ProgrammeConsultationsResolver,
  DiagnosisConsultationsResolver,
];
