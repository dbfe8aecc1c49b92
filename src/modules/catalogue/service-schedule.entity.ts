import { ArrayType } from '@mikro-orm/core';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType } from 'type-graphql';
import { randomUUID } from 'node:crypto';
import { LocalDateScalar } from '../../platform/graphql/scalars.js';
import { Weekday } from '../common/domain.enums.js';
import { hhmm, LocalTimeScalar } from '../common/weekly-hours.js';
import { FieldColumn } from '../common/field-column.js';

/** When a service is given: a weekly recurrence (the fields of WeeklyHours), optionally at one of its places. */
@Entity({ tableName: 'service_schedule' })
@ObjectType({ description: 'Opening hours of a service: a weekly recurrence, optionally at one of its places and between two dates' })
export class ServiceSchedule {
  @PrimaryKey({ type: 'uuid' }) id: string = randomUUID();

  /** The service's gmina (tenant column). */
  @Property({ type: 'integer' }) gminaId!: number;
  @Property({ type: 'uuid' }) serviceId!: string;
  @Property({ type: 'uuid', nullable: true }) locationId: string | null = null;
  @FieldColumn({ type: ArrayType, columnType: 'text[]' }, () => [Weekday]) weekdays!: Weekday[];
  @Property({ type: 'time' }) opensAt!: string;
  @Property({ type: 'time' }) closesAt!: string;
  @FieldColumn({ type: 'date', nullable: true }, () => LocalDateScalar) validFrom: string | null = null;
  @FieldColumn({ type: 'date', nullable: true }, () => LocalDateScalar) validTo: string | null = null;
  @FieldColumn({ type: 'text', nullable: true }, () => String, { description: 'E.g. "by appointment", "every other week"' }) note: string | null = null;
  @Property({ type: 'datetime', onCreate: () => new Date() }) createdAt: Date = new Date();

  @Field(() => LocalTimeScalar)
  get startsAt(): string {
    return hhmm(this.opensAt);
  }

  @Field(() => LocalTimeScalar)
  get endsAt(): string {
    return hhmm(this.closesAt);
  }
}
