import { ArrayType } from '@mikro-orm/core';
import { Entity, Enum, Property } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType } from 'type-graphql';
import { Node } from '../../platform/graphql/node.js';
import { LocalDateScalar } from '../../platform/graphql/scalars.js';
import { EditableTenantNode } from '../common/entity-bases.js';
import { defineEnum, type EnumValue } from '../common/graphql-enum.js';

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
  @Property({ type: new ArrayType<number>(Number), columnType: 'integer[]' })
  gminaIds!: number[];

  @Property({ type: 'uuid' })
  cusUnitId!: string;

  @Property({ type: 'text' })
  @Field(() => String)
  title!: string;

  @Property({ type: 'date' })
  @Field(() => LocalDateScalar)
  periodStart!: string;

  @Property({ type: 'date' })
  @Field(() => LocalDateScalar)
  periodEnd!: string;

  @Property({ type: 'text', nullable: true })
  @Field(() => String, { nullable: true })
  summary: string | null = null;

  @Enum({ items: () => DiagnosisStatus, type: 'text' })
  @Field(() => DiagnosisStatus)
  status: DiagnosisStatus = DiagnosisStatus.IN_PROGRESS;
}
