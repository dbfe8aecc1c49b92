import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { ObjectType } from 'type-graphql';
import { randomUUID } from 'node:crypto';
import { LocalDateScalar } from '../../platform/graphql/scalars.js';
import { defineEnum, type EnumValue } from '../common/graphql-enum.js';
import { FieldColumn, FieldEnum } from '../common/field-column.js';

/** The stages of a diagnosis, in the order they are worked through. */
export const DiagnosisStageKind = defineEnum('DiagnosisStageKind', 'Stages of a diagnosis, in order', {
  PLAN: 'Plan the diagnosis',
  METHODS: 'Choose the research methods',
  DATA_COLLECTION: 'Collect data',
  ANALYSIS: 'Analyse',
  CONCLUSIONS: 'Conclude and recommend',
  REPORT: 'Write the report',
});
export type DiagnosisStageKind = EnumValue<typeof DiagnosisStageKind>;

export const STAGE_ORDER: readonly DiagnosisStageKind[] = Object.values(DiagnosisStageKind);

@Entity({ tableName: 'diagnosis_stage' })
@ObjectType({ description: 'One stage of a diagnosis (at most one row per stage)' })
export class DiagnosisStage {
  @PrimaryKey({ type: 'uuid' }) id: string = randomUUID();
  @Property({ type: 'integer' }) gminaId!: number;
  @Property({ type: 'uuid' }) diagnosisId!: string;
  @FieldEnum(() => DiagnosisStageKind) stage!: DiagnosisStageKind;
  @FieldColumn({ type: 'date', nullable: true }, () => LocalDateScalar) startDate: string | null = null;
  @FieldColumn({ type: 'date', nullable: true }, () => LocalDateScalar) endDate: string | null = null;
  @FieldColumn({ type: 'boolean' }, () => Boolean) completed: boolean = false;
  @FieldColumn({ type: 'text', nullable: true }, () => String) notes: string | null = null;
}
