import { ArrayType } from '@mikro-orm/core';
import { Entity, Property } from '@mikro-orm/decorators/legacy';
import { ObjectType } from 'type-graphql';
import { Node } from '../../platform/graphql/node.js';
import { LocalDateScalar } from '../../platform/graphql/scalars.js';
import { EditableTenantNode } from '../common/entity-bases.js';
import { defineEnum, type EnumValue } from '../common/graphql-enum.js';
import { FieldColumn, FieldEnum } from '../common/field-column.js';

export const DiagnosisStatus = defineEnum('DiagnosisStatus', {
  IN_PROGRESS: 'Being prepared: stages, research and findings can change',
  COMPLETED: 'Finished: its findings are fixed and programmes can rest on it',
  ARCHIVED: 'Retired, kept for history',
});
export type DiagnosisStatus = EnumValue<typeof DiagnosisStatus>;

@Entity({ tableName: 'diagnosis' })
@ObjectType({ implements: Node, description: "A diagnosis of the community's needs and potential (diagnoza potrzeb i potencjału) prepared by a CUS" })
export class Diagnosis extends EditableTenantNode {
  /** The seat gmina of the unit (tenant column). */
  declare gminaId: number;

  /** The gminy the diagnosis concerns (by default all the unit serves): their staff and officials read it. */
  @Property({ type: new ArrayType<number>(Number), columnType: 'integer[]' }) gminaIds!: number[];
  @Property({ type: 'uuid' }) cusUnitId!: string;
  @FieldColumn({ type: 'text' }, () => String) title!: string;
  @FieldColumn({ type: 'date' }, () => LocalDateScalar) periodStart!: string;
  @FieldColumn({ type: 'date' }, () => LocalDateScalar) periodEnd!: string;
  @FieldColumn({ type: 'text', nullable: true }, () => String) summary: string | null = null;
  @FieldEnum(() => DiagnosisStatus) status: DiagnosisStatus = DiagnosisStatus.IN_PROGRESS;
}
