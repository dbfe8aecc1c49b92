import { ArrayType } from '@mikro-orm/core';
import { Entity, Enum, Property } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType } from 'type-graphql';
import { Node } from '../../platform/graphql/node.js';
import { DateTimeScalar, LocalDateScalar } from '../../platform/graphql/scalars.js';
import { TargetGroup } from '../common/domain.enums.js';
import { LegalAct } from '../cus-unit/cus-unit.entity.js';
import { EditableTenantNode } from '../common/entity-bases.js';
import { registerEnum } from '../common/graphql-enum.js';

export enum ProgrammeStatus {
  DRAFT = 'DRAFT',
  IN_CONSULTATION = 'IN_CONSULTATION',
  ADOPTED = 'ADOPTED',
  EXPIRED = 'EXPIRED',
}
registerEnum(ProgrammeStatus, 'ProgrammeStatus', 'Changed only by programmeSubmitForConsultation, programmeAdopt and programmeExpire', {
  DRAFT: 'Being prepared',
  IN_CONSULTATION: 'The draft is in public consultation',
  ADOPTED: 'Adopted by the gmina council by resolution',
  EXPIRED: 'No longer in force (from expiredOn)',
});

@Entity({ tableName: 'programme' })
@ObjectType({ implements: Node, description: 'A programme of social services (program usług społecznych), local law adopted by a gmina council' })
export class Programme extends EditableTenantNode {
  /** The gmina whose council adopts the programme (tenant column), one of those its CUS serves. */
  declare gminaId: number;

  @Property({ type: 'uuid' })
  cusUnitId!: string;

  @Property({ type: 'text' })
  @Field(() => String)
  title!: string;

  @Property({ type: 'text', nullable: true })
  resolutionNumber: string | null = null;

  @Property({ type: 'date', nullable: true })
  resolutionDate: string | null = null;

  @Property({ type: 'date', nullable: true })
  @Field(() => LocalDateScalar, { nullable: true, description: 'Required to adopt' })
  periodStart: string | null = null;

  @Property({ type: 'date', nullable: true })
  @Field(() => LocalDateScalar, { nullable: true, description: 'Required to adopt' })
  periodEnd: string | null = null;

  @Property({ type: 'uuid', nullable: true })
  diagnosisId: string | null = null;

  @Property({ type: ArrayType, columnType: 'text[]' })
  @Field(() => [TargetGroup])
  targetGroups: TargetGroup[] = [];

  @Property({ type: 'text', nullable: true })
  @Field(() => String, { nullable: true, description: 'Quality standards, where the law sets none' })
  qualityStandards: string | null = null;

  @Property({ type: 'text', nullable: true })
  @Field(() => String, { nullable: true, description: 'How the programme is evaluated' })
  evaluation: string | null = null;

  @Enum({ items: () => ProgrammeStatus, type: 'text' })
  @Field(() => ProgrammeStatus)
  status: ProgrammeStatus = ProgrammeStatus.DRAFT;

  @Property({ type: 'datetime', nullable: true })
  @Field(() => DateTimeScalar, { nullable: true, description: 'When the adoption was recorded' })
  adoptedAt: Date | null = null;

  @Property({ type: 'date', nullable: true })
  @Field(() => LocalDateScalar, { nullable: true, description: 'The first day the programme is no longer in force' })
  expiredOn: string | null = null;

  @Field(() => LegalAct, { nullable: true, description: 'The council resolution (uchwała) adopting the programme' })
  get resolution(): LegalAct | null {
    return this.resolutionNumber && this.resolutionDate ? { number: this.resolutionNumber, date: this.resolutionDate } : null;
  }
}
