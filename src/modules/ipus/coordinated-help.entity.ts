import { ArrayType } from '@mikro-orm/core';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Int, ObjectType } from 'type-graphql';
import { randomUUID } from 'node:crypto';
import { LocalDateScalar } from '../../platform/graphql/scalars.js';
import { Weekday } from '../common/domain.enums.js';
import { FieldColumn, FieldEnum } from '../common/field-column.js';
import { defineEnum, type EnumValue } from '../common/graphql-enum.js';
import { LocalTimeScalar } from '../common/weekly-hours.js';
import { COORDINATED_HELP_SYSTEMS } from './coordinated-help-system.js';

export const CoordinatedHelpSystem = defineEnum('CoordinatedHelpSystem', 'The system help outside the catalogue comes from', COORDINATED_HELP_SYSTEMS);
export type CoordinatedHelpSystem = EnumValue<typeof CoordinatedHelpSystem>;

/**
 * Help the person gets from another system, named in the plan so the coordinator sees the whole of it
 * (issue 20). Outside commissioning: no commission, no deliveries, no capacity. Like the plan's other
 * parts it also carries a revision's snapshot back to clients, so its fields are plain values.
 */
@Entity({ tableName: 'ipus_coordinated_help' })
@ObjectType({
  description:
    'Help from outside the catalogue a plan coordinates: health fund rehabilitation, social-assistance benefits, a school... (no commission, no deliveries)',
})
export class IpusCoordinatedHelp {
  @PrimaryKey({ type: 'uuid' }) id: string = randomUUID();
  @Property({ type: 'integer' }) gminaId!: number;
  @Property({ type: 'uuid' }) ipusId!: string;
  @FieldColumn({ type: 'integer' }, () => Int, { description: 'Its place in the plan (1, 2...)' }) position!: number;
  @FieldEnum(() => CoordinatedHelpSystem, { description: 'The system it comes from' }) system!: CoordinatedHelpSystem;
  @FieldColumn({ type: 'text' }, () => String, { description: 'Who gives it, e.g. "Przychodnia Rehabilitacyjna NFZ w Otwocku"' }) providerName!: string;
  @FieldColumn({ type: 'text' }, () => String, { description: 'What is given' }) description!: string;
  @FieldColumn({ type: 'text', nullable: true }, () => String, { description: 'When, as free text, e.g. "co drugi czwartek"' }) schedule: string | null = null;
  @FieldColumn({ type: ArrayType, columnType: 'text[]', nullable: true }, () => [Weekday], { description: 'Or weekly: the days' }) weekdays: Weekday[] | null =
    null;
  @FieldColumn({ type: 'time', nullable: true }, () => LocalTimeScalar, { description: 'Weekly: from' }) startsAt: string | null = null;
  @FieldColumn({ type: 'time', nullable: true }, () => LocalTimeScalar, { description: 'Weekly: to' }) endsAt: string | null = null;
  @FieldColumn({ type: 'date', nullable: true }, () => LocalDateScalar, { description: 'From when, where known' }) startOn: string | null = null;
  @FieldColumn({ type: 'date', nullable: true }, () => LocalDateScalar, { description: 'Until when, where known' }) endOn: string | null = null;
}

/** The fields a plan's snapshot keeps of each entry (ipus-snapshot.ts), so revisions carry it as they carry items. */
export const COORDINATED_HELP_FIELDS = [
  'id',
  'position',
  'system',
  'providerName',
  'description',
  'schedule',
  'weekdays',
  'startsAt',
  'endsAt',
  'startOn',
  'endOn',
] as const;
