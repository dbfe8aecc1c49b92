import { ArrayType } from '@mikro-orm/core';
import { Entity, Property } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType } from 'type-graphql';
import { Node } from '../../platform/graphql/node.js';
import { DateTimeScalar, LocalDateScalar } from '../../platform/graphql/scalars.js';
import { todayInPoland } from '../common/dates.js';
import { TenantNode } from '../common/entity-bases.js';
import { defineEnum, type EnumValue } from '../common/graphql-enum.js';
import { FieldColumn } from '../common/field-column.js';

export const ConsultationChannel = defineEnum('ConsultationChannel', {
  EMAIL: 'By e-mail',
  PAPER: 'A paper form handed in at an office',
  ONLINE: 'Through this platform',
  MEETING: 'At a consultation meeting',
});
export type ConsultationChannel = EnumValue<typeof ConsultationChannel>;

export const ConsultationStatus = defineEnum('ConsultationStatus', "Computed from the dates and today's date in Poland", {
  UPCOMING: 'Starts later',
  OPEN: 'Takes submissions today',
  CLOSED: 'Ended; no more submissions',
  CANCELLED: 'Cancelled before it ended',
});
export type ConsultationStatus = EnumValue<typeof ConsultationStatus>;

@Entity({ tableName: 'consultation' })
@ObjectType({ implements: Node, description: 'A public consultation (konsultacje społeczne) of a draft diagnosis or programme' })
export class Consultation extends TenantNode {
  /** The gmina of the consulted draft (tenant column). */
  declare gminaId: number;

  /** The gminy the consultation concerns (by default those of the draft): their staff, officials and partners see it. */
  @Property({ type: new ArrayType<number>(Number), columnType: 'integer[]' }) gminaIds!: number[];
  @Property({ type: 'uuid', nullable: true }) diagnosisId: string | null = null;
  @Property({ type: 'uuid', nullable: true }) programmeId: string | null = null;
  @FieldColumn({ type: 'text' }, () => String) title!: string;
  @FieldColumn({ type: 'text', nullable: true }, () => String) description: string | null = null;
  @FieldColumn({ type: 'date' }, () => LocalDateScalar, { description: 'First day submissions are accepted' }) startsOn!: string;
  @FieldColumn({ type: 'date' }, () => LocalDateScalar, { description: 'Last day submissions are accepted' }) endsOn!: string;
  @FieldColumn({ type: ArrayType, columnType: 'text[]' }, () => [ConsultationChannel]) channels!: ConsultationChannel[];
  @FieldColumn({ type: 'datetime', nullable: true }, () => DateTimeScalar) cancelledAt: Date | null = null;

  @FieldColumn({ type: 'integer', version: true }, () => Int, { description: 'Increases with every change; send it back to update (optimistic locking)' })
  version!: number;

  @Field(() => ConsultationStatus)
  get status(): ConsultationStatus {
    if (this.cancelledAt) return ConsultationStatus.CANCELLED;
    const today = todayInPoland();
    if (today < this.startsOn) return ConsultationStatus.UPCOMING;
    return today <= this.endsOn ? ConsultationStatus.OPEN : ConsultationStatus.CLOSED;
  }
}
