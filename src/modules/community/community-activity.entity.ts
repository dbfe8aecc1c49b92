import { ArrayType } from '@mikro-orm/core';
import { Entity, Property } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType } from 'type-graphql';
import { Node } from '../../platform/graphql/node.js';
import { LocalDateScalar } from '../../platform/graphql/scalars.js';
import { Weekday } from '../common/domain.enums.js';
import { hhmm, LocalTimeScalar, WeeklyHours } from '../common/weekly-hours.js';
import { TextArrayType } from '../common/text-array-type.js';
import { EditableTenantNode } from '../common/entity-bases.js';
import { defineEnum, type EnumValue } from '../common/graphql-enum.js';
import { FieldColumn, FieldEnum } from '../common/field-column.js';

export const CommunityActivityKind = defineEnum('CommunityActivityKind', {
  EVENT: 'A one-off event: a picnic, a meeting of residents',
  GROUP: 'A regular group: a seniors club, a support group',
  WORKSHOP: 'A workshop or class',
  NEIGHBOURHOOD_INITIATIVE: 'An initiative run by neighbours, such as a neighbourhood help scheme',
});
export type CommunityActivityKind = EnumValue<typeof CommunityActivityKind>;

export const CommunityActivityStatus = defineEnum('CommunityActivityStatus', {
  PLANNED: null,
  HELD: 'Took place; participants count and outcome are recorded',
  CANCELLED: 'Retired: did not and will not take place',
});
export type CommunityActivityStatus = EnumValue<typeof CommunityActivityStatus>;

@Entity({ tableName: 'community_activity' })
@ObjectType({ implements: Node, description: 'A community activity: an event, a group, a workshop or a neighbourhood initiative' })
export class CommunityActivity extends EditableTenantNode {
  /** The seat gmina of the unit (tenant column). */
  declare gminaId: number;

  @Property({ type: 'uuid' }) cusUnitId!: string;
  @Property({ type: 'uuid', nullable: true }) planId: string | null = null;
  @FieldColumn({ type: 'text' }, () => String) title!: string;
  @FieldEnum(() => CommunityActivityKind) kind!: CommunityActivityKind;
  @FieldColumn({ type: 'date' }, () => LocalDateScalar, { description: 'The day of a single activity, or the first day of a recurring one' }) startsOn!: string;

  @FieldColumn({ type: 'date', nullable: true }, () => LocalDateScalar, { description: 'The last day (always set for a recurring activity)' })
  endsOn: string | null = null;

  /** Days of a weekly recurrence; null for a single activity. */
  @Property({ type: new ArrayType<Weekday>((day) => day as Weekday), columnType: 'text[]', nullable: true }) weekdays: Weekday[] | null = null;
  @Property({ type: 'time', nullable: true, fieldName: 'starts_at' }) startsAtTime: string | null = null;
  @Property({ type: 'time', nullable: true, fieldName: 'ends_at' }) endsAtTime: string | null = null;
  @Property({ type: 'uuid', nullable: true }) locationId: string | null = null;
  @FieldColumn({ type: 'text' }, () => String, { description: 'Who runs it: the organiser, a partner, a group of residents' }) organiser!: string;
  @FieldColumn({ type: TextArrayType, columnType: 'text[]' }, () => [String], { description: 'Volunteers who help' }) volunteers: string[] = [];

  @FieldColumn({ type: 'integer', nullable: true }, () => Int, { description: 'People who took part (recorded when held)' })
  participantsCount: number | null = null;

  @FieldColumn({ type: 'text', nullable: true }, () => String) outcome: string | null = null;
  @FieldEnum(() => CommunityActivityStatus) status: CommunityActivityStatus = CommunityActivityStatus.PLANNED;

  @Field(() => LocalTimeScalar, { nullable: true, description: 'Start time (of each occurrence, for a recurring activity)' })
  get startsAt(): string | null {
    return this.startsAtTime === null ? null : hhmm(this.startsAtTime);
  }

  @Field(() => LocalTimeScalar, { nullable: true })
  get endsAt(): string | null {
    return this.endsAtTime === null ? null : hhmm(this.endsAtTime);
  }

  @Field(() => WeeklyHours, { nullable: true, description: 'For a recurring activity: its days and hours, valid from startsOn to endsOn' })
  get recurrence(): WeeklyHours | null {
    if (!this.weekdays || this.startsAtTime === null || this.endsAtTime === null) return null;
    return { weekdays: this.weekdays, startsAt: hhmm(this.startsAtTime), endsAt: hhmm(this.endsAtTime), validFrom: this.startsOn, validTo: this.endsOn };
  }
}
