import { ArrayType } from '@mikro-orm/core';
import { Entity, Enum, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, Float, Int, ObjectType } from 'type-graphql';
import { randomUUID } from 'node:crypto';
import { Node } from '../../platform/graphql/node.js';
import { LocalDateScalar } from '../../platform/graphql/scalars.js';
import { Weekday } from '../common/domain.enums.js';
import { LocalTimeScalar } from '../common/weekly-hours.js';
import { GoalOutcome, PlaceKind, ProviderKind, QuantityUnit, SupportGiver } from './ipus.enums.js';

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
  @Property({ type: 'integer' }) @Field(() => Int) position!: number;
  @Property({ type: 'text' }) @Field(() => String) description!: string;
  @Enum({ items: () => GoalOutcome, type: 'text', nullable: true }) @Field(() => GoalOutcome, { nullable: true }) outcome: GoalOutcome | null = null;
  @Property({ type: 'text', nullable: true }) @Field(() => String, { nullable: true, description: 'What was achieved (the closing summary)' }) closingSummary: string | null = null;
}

@Entity({ tableName: 'ipus_item' })
@ObjectType({ implements: Node, description: 'A service of a plan: which, by whom, where, when and how much' })
export class IpusItem extends Node {
  @PrimaryKey({ type: 'uuid' }) id: string = randomUUID();
  @Property({ type: 'integer' }) gminaId!: number;
  @Property({ type: 'uuid' }) ipusId!: string;
  @Property({ type: 'uuid', nullable: true }) goalId: string | null = null;
  @Property({ type: 'integer' }) @Field(() => Int) position!: number;
  @Property({ type: 'uuid' }) serviceId!: string;
  @Enum({ items: () => ProviderKind, type: 'text' }) @Field(() => ProviderKind) providerKind!: ProviderKind;
  @Property({ type: 'uuid', nullable: true }) partnerId: string | null = null;
  /** The commission a PARTNER item falls under. */
  @Property({ type: 'uuid', nullable: true }) commissionId: string | null = null;
  @Property({ type: 'text', nullable: true }) @Field(() => String, { nullable: true }) providerUnitName: string | null = null;
  @Enum({ items: () => PlaceKind, type: 'text' }) @Field(() => PlaceKind) placeKind!: PlaceKind;
  @Property({ type: 'uuid', nullable: true }) locationId: string | null = null;
  @Property({ type: ArrayType, columnType: 'text[]', nullable: true }) @Field(() => [Weekday], { nullable: true, description: 'Weekly recurrence: the days' }) weekdays: Weekday[] | null = null;
  @Property({ type: 'time', nullable: true }) @Field(() => LocalTimeScalar, { nullable: true }) startsAt: string | null = null;
  @Property({ type: 'time', nullable: true }) @Field(() => LocalTimeScalar, { nullable: true }) endsAt: string | null = null;
  @Property({ type: 'integer', nullable: true }) @Field(() => Int, { nullable: true, description: 'Or a number of sessions' }) sessionCount: number | null = null;
  @Property({ type: 'date' }) @Field(() => LocalDateScalar) startOn!: string;
  @Property({ type: 'date' }) @Field(() => LocalDateScalar) endOn!: string;
  @Property({ type: 'decimal', columnType: 'numeric(10,2)' }) quantity!: string;
  @Enum({ items: () => QuantityUnit, type: 'text' }) @Field(() => QuantityUnit) quantityUnit!: QuantityUnit;
  @Property({ type: 'text', nullable: true }) @Field(() => String, { nullable: true }) note: string | null = null;

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
  @Property({ type: 'integer' }) @Field(() => Int) position!: number;
  @Property({ type: 'text' }) @Field(() => String) description!: string;
  @Enum({ items: () => SupportGiver, type: 'text' }) @Field(() => SupportGiver) giverKind!: SupportGiver;
  @Property({ type: 'text', nullable: true }) @Field(() => String, { nullable: true, description: 'Who gives it' }) giverName: string | null = null;
  @Property({ type: 'text', nullable: true }) @Field(() => String, { nullable: true, description: 'When, e.g. "Saturdays, mornings"' }) schedule: string | null = null;
}

@Entity({ tableName: 'ipus_monitoring_note' })
@ObjectType({ description: 'A note of the coordinator while the plan is in progress' })
export class IpusMonitoringNote {
  @PrimaryKey({ type: 'uuid' }) id: string = randomUUID();
  @Property({ type: 'integer' }) gminaId!: number;
  @Property({ type: 'uuid' }) ipusId!: string;
  @Property({ type: 'date' }) @Field(() => LocalDateScalar) notedOn!: string;
  @Property({ type: 'text' }) authorSubject!: string;
  @Property({ type: 'text' }) @Field(() => String) authorName!: string;
  @Property({ type: 'text' }) @Field(() => String) note!: string;
  @Property({ type: 'datetime', onCreate: () => new Date() }) createdAt: Date = new Date();
}
