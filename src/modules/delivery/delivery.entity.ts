import { OptionalProps } from '@mikro-orm/core';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Authorized, Field, Float, Int, ObjectType } from 'type-graphql';
import { randomUUID } from 'node:crypto';
import { RECORD_KEEPERS, Role } from '../../platform/auth/roles.js';
import { Node } from '../../platform/graphql/node.js';
import { DateTimeScalar, LocalDateScalar } from '../../platform/graphql/scalars.js';
import { LocalTimeScalar } from '../common/weekly-hours.js';
import { DeliveryOutcome } from '../commission/commission.enums.js';
import { FieldColumn, FieldEnum } from '../common/field-column.js';

/**
 * Who reads a partner's note on a session: the notes are often about the person's health, so they
 * follow the rule of special-category data (ResidentSensitive): the coordinators and the director,
 * and the partner that wrote them; a services organiser reads the session without its note. The
 * database holds the same rule: notes live in `delivery_note`, apart from the session's row
 * (migrations/Migration20261207000800DeliveryNotes.ts), read through noteOfDelivery.
 */
export const DELIVERY_NOTE_READERS: readonly Role[] = [...RECORD_KEEPERS, Role.PARTNER];
export const NOTE_DESCRIPTION = "The partner's note on the session (often about health): coordinators, the director and the partner only, FORBIDDEN to others";

@Entity({ tableName: 'delivery' })
@ObjectType({
  implements: Node,
  description: 'One session of a plan item, as its partner recorded it (or, for an item the CUS or a gmina unit provides, the centre)',
})
export class Delivery extends Node {
  /** Defaulted here or by the database, or computed: em.create does not ask for them. */
  [OptionalProps]?: 'commissionId' | 'partnerId' | 'recordedAt' | 'version' | 'updatedAt' | 'hours' | 'globalId';
  @PrimaryKey({ type: 'uuid' }) id: string = randomUUID();
  /** Set by the database from the item. */
  @Property({ type: 'integer' }) gminaId!: number;
  @Property({ type: 'uuid' }) ipusItemId!: string;
  /** Set by the database from the item; null for an item the CUS or a gmina unit provides. */
  @Property({ type: 'uuid', nullable: true }) commissionId: string | null = null;
  /** The recording partner; null for an in-house item, which the centre's staff record. */
  @Property({ type: 'uuid', nullable: true }) partnerId: string | null = null;
  @FieldColumn({ type: 'date' }, () => LocalDateScalar) deliveredOn!: string;
  @FieldColumn({ type: 'time' }, () => LocalTimeScalar) startsAt!: string;
  @FieldColumn({ type: 'integer' }, () => Int) durationMinutes!: number;
  @FieldEnum(() => DeliveryOutcome) outcome!: DeliveryOutcome;
  @FieldColumn({ type: 'text' }, () => String, { description: 'Who recorded it (the partner user, or the staff member for an in-house item)' })
  recordedBy!: string;
  @FieldColumn({ type: 'datetime' }, () => DateTimeScalar) recordedAt: Date = new Date();
  /** Raised by the database on every correction. */
  @FieldColumn({ type: 'integer' }, () => Int, { description: 'Send it back to correct the delivery; each correction keeps the previous values' })
  version: number = 1;
  @FieldColumn({ type: 'datetime' }, () => DateTimeScalar) updatedAt: Date = new Date();

  @Field(() => Float, { description: 'durationMinutes in hours' })
  get hours(): number {
    return Math.round((this.durationMinutes / 60) * 100) / 100;
  }
}

@ObjectType({ description: 'A delivery as it stood before a correction' })
export class DeliveryCorrection {
  @Field(() => Int, { description: 'The version that was corrected' }) version!: number;
  @Field(() => String, { description: 'Who corrected it' }) changedBy!: string;
  @Field(() => DateTimeScalar) changedAt!: Date;
  @Field(() => LocalDateScalar) deliveredOn!: string;
  @Field(() => LocalTimeScalar) startsAt!: string;
  @Field(() => Int) durationMinutes!: number;
  @Field(() => DeliveryOutcome) outcome!: DeliveryOutcome;
  @Authorized(...DELIVERY_NOTE_READERS) @Field(() => String, { nullable: true, description: NOTE_DESCRIPTION }) note!: string | null;
}

@ObjectType({ description: 'Planned against delivered, for one plan item' })
export class ItemProgress {
  @Field(() => Float, { description: "The item's quantity" }) planned!: number;
  @Field(() => Float, { description: 'Delivered, in the same unit: hours for HOURS, sessions for anything else' }) delivered!: number;
  @Field(() => Int, { description: 'Sessions recorded as DELIVERED' }) deliveredSessions!: number;
  @Field(() => Float) deliveredHours!: number;
  @Field(() => Int) residentAbsent!: number;
  @Field(() => Int, { description: 'Cancelled by the provider or by the resident' }) cancelled!: number;
  @Field(() => LocalDateScalar, { nullable: true }) lastDeliveredOn!: string | null;
}
