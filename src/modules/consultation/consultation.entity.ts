import { ArrayType } from '@mikro-orm/core';
import { Entity, Property } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType } from 'type-graphql';
import { Node } from '../../platform/graphql/node.js';
import { DateTimeScalar, LocalDateScalar } from '../../platform/graphql/scalars.js';
import { todayInPoland } from '../common/dates.js';
import { TenantNode } from '../common/entity-bases.js';
import { defineEnum, type EnumValue } from '../common/graphql-enum.js';

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
  @Property({ type: new ArrayType<number>(Number), columnType: 'integer[]' })
  gminaIds!: number[];

  @Property({ type: 'uuid', nullable: true })
  diagnosisId: string | null = null;

  @Property({ type: 'uuid', nullable: true })
  programmeId: string | null = null;

  @Property({ type: 'text' })
  @Field(() => String)
  title!: string;

  @Property({ type: 'text', nullable: true })
  @Field(() => String, { nullable: true })
  description: string | null = null;

  @Property({ type: 'date' })
  @Field(() => LocalDateScalar, { description: 'First day submissions are accepted' })
  startsOn!: string;

  @Property({ type: 'date' })
  @Field(() => LocalDateScalar, { description: 'Last day submissions are accepted' })
  endsOn!: string;

  @Property({ type: ArrayType, columnType: 'text[]' })
  @Field(() => [ConsultationChannel])
  channels!: ConsultationChannel[];

  @Property({ type: 'datetime', nullable: true })
  @Field(() => DateTimeScalar, { nullable: true })
  cancelledAt: Date | null = null;

  @Property({ type: 'integer', version: true })
  @Field(() => Int, { description: 'Increases with every change; send it back to update (optimistic locking)' })
  version!: number;

  @Field(() => ConsultationStatus)
  get status(): ConsultationStatus {
    if (this.cancelledAt) return ConsultationStatus.CANCELLED;
    const today = todayInPoland();
    if (today < this.startsOn) return ConsultationStatus.UPCOMING;
    return today <= this.endsOn ? ConsultationStatus.OPEN : ConsultationStatus.CLOSED;
  }
}
