import { ArrayType } from '@mikro-orm/core';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, Float, Int, ObjectType } from 'type-graphql';
import { randomUUID } from 'node:crypto';
import { Node } from '../../platform/graphql/node.js';
import { LocalDateScalar } from '../../platform/graphql/scalars.js';
import { Weekday } from '../common/domain.enums.js';
import { LocalTimeScalar } from '../common/weekly-hours.js';
import { GoalOutcome, PlaceKind, ProviderKind, QuantityUnit, SupportGiver } from './ipus.enums.js';
import { FieldColumn, FieldEnum } from '../common/field-column.js';

/*
 * The contents of a plan. These classes also carry a revision's snapshot back to clients (built from
 * its JSON), so their fields are plain values and relations are resolved from ids.
 */

@Entity({ tableName: 'ipus_goal' })
@ObjectType({ implements: Node, description: 'A goal of a plan, with its outcome once the plan is completed' })
export class IpusGoal extends Node {
  @PrimaryKey({ type: 'uuid' }) id: string = randomUUID();
  @Property({ type: 'integer' }) gminaId!: number;
  @Property({ type: 'uuid' }) ipusId!: string;
  @FieldColumn({ type: 'integer' }, () => Int) position!: number;
  @FieldColumn({ type: 'text' }, () => String) description!: string;
  @FieldEnum(() => GoalOutcome, { nullable: true }) outcome: GoalOutcome | null = null;
  @FieldColumn({ type: 'text', nullable: true }, () => String, { description: 'What was achieved (the closing summary)' }) closingSummary: string | null = null;
}

@Entity({ tableName: 'ipus_item' })
@ObjectType({ implements: Node, description: 'A service of a plan: which, by whom, where, when and how much' })
export class IpusItem extends Node {
  @PrimaryKey({ type: 'uuid' }) id: string = randomUUID();
  @Property({ type: 'integer' }) gminaId!: number;
  @Property({ type: 'uuid' }) ipusId!: string;
  @Property({ type: 'uuid', nullable: true }) goalId: string | null = null;
  @FieldColumn({ type: 'integer' }, () => Int) position!: number;
  @Property({ type: 'uuid' }) serviceId!: string;
  @FieldEnum(() => ProviderKind) providerKind!: ProviderKind;
  @Property({ type: 'uuid', nullable: true }) partnerId: string | null = null;
  /** The commission a PARTNER item falls under. */
  @Property({ type: 'uuid', nullable: true }) commissionId: string | null = null;
  @FieldColumn({ type: 'text', nullable: true }, () => String) providerUnitName: string | null = null;
  @FieldEnum(() => PlaceKind) placeKind!: PlaceKind;
  @Property({ type: 'uuid', nullable: true }) locationId: string | null = null;
  @FieldColumn({ type: ArrayType, columnType: 'text[]', nullable: true }, () => [Weekday], { description: 'Weekly recurrence: the days' }) weekdays:
    Weekday[] | null = null;
  @FieldColumn({ type: 'time', nullable: true }, () => LocalTimeScalar) startsAt: string | null = null;
  @FieldColumn({ type: 'time', nullable: true }, () => LocalTimeScalar) endsAt: string | null = null;
  @FieldColumn({ type: 'integer', nullable: true }, () => Int, { description: 'Or a number of sessions' }) sessionCount: number | null = null;
  @FieldColumn({ type: 'boolean' }, () => Boolean, { description: 'Its visits go on on public holidays and days the gmina closes (24-hour care)' })
  keepsHolidays: boolean = false;
  @FieldColumn({ type: 'date' }, () => LocalDateScalar) startOn!: string;
  @FieldColumn({ type: 'date' }, () => LocalDateScalar) endOn!: string;
  @Property({ type: 'decimal', columnType: 'numeric(10,2)' }) quantity!: string;
  @FieldEnum(() => QuantityUnit) quantityUnit!: QuantityUnit;
  @FieldColumn({ type: 'text', nullable: true }, () => String) note: string | null = null;

  @Field(() => Float, { name: 'quantity', description: 'How much, in quantityUnit' })
  get quantityValue(): number {
    return Number(this.quantity);
  }
}

@Entity({ tableName: 'ipus_supporting_action' })
@ObjectType({ description: 'A supporting action of a plan: volunteer, neighbourly or self-help, always free of charge' })
export class IpusSupportingAction {
  @PrimaryKey({ type: 'uuid' }) id: string = randomUUID();
  @Property({ type: 'integer' }) gminaId!: number;
  @Property({ type: 'uuid' }) ipusId!: string;
  @FieldColumn({ type: 'integer' }, () => Int) position!: number;
  @FieldColumn({ type: 'text' }, () => String) description!: string;
  @FieldEnum(() => SupportGiver) giverKind!: SupportGiver;
  @FieldColumn({ type: 'text', nullable: true }, () => String, { description: 'Who gives it' }) giverName: string | null = null;
  @FieldColumn({ type: 'text', nullable: true }, () => String, { description: 'When, e.g. "Saturdays, mornings"' }) schedule: string | null = null;
}

@Entity({ tableName: 'ipus_monitoring_note' })
@ObjectType({ description: 'A note of the coordinator while the plan is in progress' })
export class IpusMonitoringNote {
  @PrimaryKey({ type: 'uuid' }) id: string = randomUUID();
  @Property({ type: 'integer' }) gminaId!: number;
  @Property({ type: 'uuid' }) ipusId!: string;
  @FieldColumn({ type: 'date' }, () => LocalDateScalar) notedOn!: string;
  @Property({ type: 'text' }) authorSubject!: string;
  @FieldColumn({ type: 'text' }, () => String) authorName!: string;
  @FieldColumn({ type: 'text' }, () => String) note!: string;
  @Property({ type: 'datetime', onCreate: () => new Date() }) createdAt: Date = new Date();
}
