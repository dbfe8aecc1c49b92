import { Diagnosis } from './diagnosis.entity.js';
import { DiagnosisStage } from './diagnosis-stage.entity.js';
import { ResearchActivity } from './research-activity.entity.js';
import { DiagnosisNeed } from './diagnosis-need.entity.js';
import { DiagnosisResource } from './diagnosis-resource.entity.js';
import { DiagnosisNeedResolver, DiagnosisResolver, DiagnosisResourceResolver, ResearchActivityResolver } from './diagnosis.resolver.js';

/** The diagnosis module's MikroORM entities and type-graphql resolvers, collected by src/modules/entities.ts and resolvers.ts. */
export const diagnosisEntities: Function[] = [Diagnosis, DiagnosisStage, ResearchActivity, DiagnosisNeed, DiagnosisResource];
export const diagnosisResolvers: Function[] = [DiagnosisResolver, ResearchActivityResolver, DiagnosisNeedResolver, DiagnosisResourceResolver];
