import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { LocalDateScalar, TerytCodeScalar } from '../../platform/graphql/scalars.js';
import { UserError } from '../../platform/graphql/user-error.js';
import { ServiceArea, TargetGroup } from '../common/domain.enums.js';
import { GMINY_INPUT, GMINY_UPDATE } from '../common/document-gminy.js';
import { Diagnosis, DiagnosisStatus } from './diagnosis.entity.js';
import { DiagnosisStage, DiagnosisStageKind } from './diagnosis-stage.entity.js';
import { ResearchActivity, ResearchActivityKind } from './research-activity.entity.js';
import { DiagnosisNeed, NeedPriority } from './diagnosis-need.entity.js';
import { DiagnosisResource, DiagnosisResourceKind } from './diagnosis-resource.entity.js';
import { Payload } from '../common/payload.js';

@InputType()
export class DiagnosisFilter {
  @Field(() => ID, { nullable: true }) cusUnitId?: string;
  @Field(() => DiagnosisStatus, { nullable: true }) status?: DiagnosisStatus;
}

@InputType()
export class DiagnosisCreateInput {
  @Field(() => ID) cusUnitId!: string;
  @Field(() => String) title!: string;
  @Field(() => LocalDateScalar) periodStart!: string;
  @Field(() => LocalDateScalar) periodEnd!: string;
  @Field(() => String, { nullable: true }) summary?: string;
  @Field(() => [TerytCodeScalar], { nullable: true, description: GMINY_INPUT }) gminy?: string[] | null;
}

@InputType({ description: 'Only the fields given change; `version` must be the one last read' })
export class DiagnosisUpdateInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) version!: number;
  @Field(() => String, { nullable: true }) title?: string;
  @Field(() => LocalDateScalar, { nullable: true }) periodStart?: string;
  @Field(() => LocalDateScalar, { nullable: true }) periodEnd?: string;
  @Field(() => String, { nullable: true }) summary?: string | null;
  @Field(() => [TerytCodeScalar], { nullable: true, description: GMINY_UPDATE }) gminy?: string[] | null;
}

@InputType()
export class DiagnosisIdInput {
  @Field(() => ID) id!: string;
}

@ObjectType()
export class DiagnosisPayload extends Payload(() => Diagnosis, 'diagnosis') {}

@InputType({ description: 'Sets one stage of a diagnosis, creating it the first time' })
export class DiagnosisStageSetInput {
  @Field(() => ID) diagnosisId!: string;
  @Field(() => DiagnosisStageKind) stage!: DiagnosisStageKind;
  @Field(() => LocalDateScalar, { nullable: true }) startDate?: string | null;
  @Field(() => LocalDateScalar, { nullable: true }) endDate?: string | null;
  @Field(() => Boolean, { defaultValue: false }) completed: boolean = false;
  @Field(() => String, { nullable: true }) notes?: string | null;
}

@ObjectType()
export class DiagnosisStagePayload {
  @Field(() => DiagnosisStage, { nullable: true }) diagnosisStage!: DiagnosisStage | null;
  @Field(() => Diagnosis, { nullable: true }) diagnosis!: Diagnosis | null;
  @Field(() => [UserError]) userErrors!: UserError[];
}

@InputType()
export class ResearchActivityAddInput {
  @Field(() => ID) diagnosisId!: string;
  @Field(() => ResearchActivityKind) kind!: ResearchActivityKind;
  @Field(() => String) title!: string;
  @Field(() => LocalDateScalar) startDate!: string;
  @Field(() => LocalDateScalar) endDate!: string;
  @Field(() => [TargetGroup], { defaultValue: [] }) targetGroups!: TargetGroup[];
  @Field(() => String, { nullable: true }) groupDescription?: string | null;
  @Field(() => Int, { nullable: true }) participants?: number | null;
  @Field(() => String, { nullable: true }) notes?: string | null;
}

@InputType({ description: 'Only the fields given change' })
export class ResearchActivityUpdateInput {
  @Field(() => ID) id!: string;
  @Field(() => ResearchActivityKind, { nullable: true }) kind?: ResearchActivityKind;
  @Field(() => String, { nullable: true }) title?: string;
  @Field(() => LocalDateScalar, { nullable: true }) startDate?: string;
  @Field(() => LocalDateScalar, { nullable: true }) endDate?: string;
  @Field(() => [TargetGroup], { nullable: true }) targetGroups?: TargetGroup[];
  @Field(() => String, { nullable: true }) groupDescription?: string | null;
  @Field(() => Int, { nullable: true }) participants?: number | null;
  @Field(() => String, { nullable: true }) notes?: string | null;
}

@ObjectType()
export class ResearchActivityPayload extends Payload(() => ResearchActivity, 'researchActivity') {}

@InputType()
export class DiagnosisNeedAddInput {
  @Field(() => ID) diagnosisId!: string;
  @Field(() => ServiceArea) area!: ServiceArea;
  @Field(() => TargetGroup) targetGroup!: TargetGroup;
  @Field(() => String) description!: string;
  @Field(() => NeedPriority) priority!: NeedPriority;
}

@InputType({ description: 'Only the fields given change' })
export class DiagnosisNeedUpdateInput {
  @Field(() => ID) id!: string;
  @Field(() => ServiceArea, { nullable: true }) area?: ServiceArea;
  @Field(() => TargetGroup, { nullable: true }) targetGroup?: TargetGroup;
  @Field(() => String, { nullable: true }) description?: string;
  @Field(() => NeedPriority, { nullable: true }) priority?: NeedPriority;
}

@ObjectType()
export class DiagnosisNeedPayload extends Payload(() => DiagnosisNeed, 'diagnosisNeed') {}

@InputType()
export class DiagnosisResourceAddInput {
  @Field(() => ID) diagnosisId!: string;
  @Field(() => DiagnosisResourceKind) kind!: DiagnosisResourceKind;
  @Field(() => String) holder!: string;
  @Field(() => String) description!: string;
  @Field(() => ID, { nullable: true, description: 'The partner holding the resource, if it is one' }) partnerId?: string | null;
}

@InputType({ description: 'Only the fields given change; partnerId null unlinks the partner' })
export class DiagnosisResourceUpdateInput {
  @Field(() => ID) id!: string;
  @Field(() => DiagnosisResourceKind, { nullable: true }) kind?: DiagnosisResourceKind;
  @Field(() => String, { nullable: true }) holder?: string;
  @Field(() => String, { nullable: true }) description?: string;
  @Field(() => ID, { nullable: true }) partnerId?: string | null;
}

@ObjectType()
export class DiagnosisResourcePayload extends Payload(() => DiagnosisResource, 'diagnosisResource') {}

@InputType()
export class DiagnosisItemRemoveInput {
  @Field(() => ID) id!: string;
}

@ObjectType({ description: 'The id of the removed item and the diagnosis it belonged to' })
export class DiagnosisItemRemovePayload extends Payload(() => ID, 'removedId') {
  @Field(() => Diagnosis, { nullable: true }) diagnosis!: Diagnosis | null;
}
