import { ArrayType } from '@mikro-orm/core';
import { Entity, Enum, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { randomUUID } from 'node:crypto';
import { Node } from '../../platform/graphql/node.js';
import { LocalDateScalar } from '../../platform/graphql/scalars.js';

export enum DiagnosisStatus {
  IN_PROGRESS = 'IN_PROGRESS',
  COMPLETED = 'COMPLETED',
  ARCHIVED = 'ARCHIVED',
}
registerEnumType(DiagnosisStatus, {
  name: 'DiagnosisStatus',
  valuesConfig: {
    IN_PROGRESS: { description: 'Being prepared: stages, research and findings can change' },
    COMPLETED: { description: 'Finished: its findings are fixed and programmes can rest on it' },
    ARCHIVED: { description: 'Retired, kept for history' },
  },
});

@Entity({ tableName: 'diagnosis' })
@ObjectType({ implements: Node, description: "A diagnosis of the community's needs and potential (diagnoza potrzeb i potencjału) prepared by a CUS" })
export class Diagnosis extends Node {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** The seat gmina of the unit (tenant column). */
  @Property({ type: 'integer' })
  gminaId!: number;

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

  @Property({ type: 'integer', version: true })
  @Field(() => Int, { description: 'Increases with every change; send it back to update (optimistic locking)' })
  version!: number;

  @Property({ type: 'datetime', onCreate: () => new Date() })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
