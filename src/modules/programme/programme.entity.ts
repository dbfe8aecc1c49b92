import { ArrayType } from '@mikro-orm/core';
import { Entity, Property } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType } from 'type-graphql';
import { Node } from '../../platform/graphql/node.js';
import { DateTimeScalar, LocalDateScalar } from '../../platform/graphql/scalars.js';
import { TargetGroup } from '../common/domain.enums.js';
import { LegalAct } from '../cus-unit/cus-unit.entity.js';
import { EditableTenantNode } from '../common/entity-bases.js';
import { defineEnum, type EnumValue } from '../common/graphql-enum.js';
import { FieldColumn, FieldEnum } from '../common/field-column.js';

export const ProgrammeStatus = defineEnum('ProgrammeStatus', 'Changed only by programmeSubmitForConsultation, programmeAdopt and programmeExpire', {
  DRAFT: 'Being prepared',
  IN_CONSULTATION: 'The draft is in public consultation',
  ADOPTED: 'Adopted by the gmina council by resolution',
  EXPIRED: 'No longer in force (from expiredOn)',
});
export type ProgrammeStatus = EnumValue<typeof ProgrammeStatus>;

@Entity({ tableName: 'programme' })
@ObjectType({ implements: Node, description: 'A programme of social services (program usług społecznych), local law adopted by a gmina council' })
export class Programme extends EditableTenantNode {
  /** The gmina whose council adopts the programme (tenant column), one of those its CUS serves. */
  declare gminaId: number;

  @Property({ type: 'uuid' }) cusUnitId!: string;
  @FieldColumn({ type: 'text' }, () => String) title!: string;
  @Property({ type: 'text', nullable: true }) resolutionNumber: string | null = null;
  @Property({ type: 'date', nullable: true }) resolutionDate: string | null = null;
  @FieldColumn({ type: 'date', nullable: true }, () => LocalDateScalar, { description: 'Required to adopt' }) periodStart: string | null = null;
  @FieldColumn({ type: 'date', nullable: true }, () => LocalDateScalar, { description: 'Required to adopt' }) periodEnd: string | null = null;
  @Property({ type: 'uuid', nullable: true }) diagnosisId: string | null = null;
  @FieldColumn({ type: ArrayType, columnType: 'text[]' }, () => [TargetGroup]) targetGroups: TargetGroup[] = [];

  @FieldColumn({ type: 'text', nullable: true }, () => String, { description: 'Quality standards, where the law sets none' })
  qualityStandards: string | null = null;

  @FieldColumn({ type: 'text', nullable: true }, () => String, { description: 'How the programme is evaluated' }) evaluation: string | null = null;
  @FieldEnum(() => ProgrammeStatus) status: ProgrammeStatus = ProgrammeStatus.DRAFT;
  @FieldColumn({ type: 'datetime', nullable: true }, () => DateTimeScalar, { description: 'When the adoption was recorded' }) adoptedAt: Date | null = null;

  @FieldColumn({ type: 'date', nullable: true }, () => LocalDateScalar, { description: 'The first day the programme is no longer in force' })
  expiredOn: string | null = null;

  @Field(() => LegalAct, { nullable: true, description: 'The council resolution (uchwała) adopting the programme' })
  get resolution(): LegalAct | null {
    return this.resolutionNumber && this.resolutionDate ? { number: this.resolutionNumber, date: this.resolutionDate } : null;
  }
}
