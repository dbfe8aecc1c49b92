import { ArrayType } from '@mikro-orm/core';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, Float, Int, ObjectType } from 'type-graphql';
import { randomUUID } from 'node:crypto';
import { Node } from '../../platform/graphql/node.js';
import { DateTimeScalar, LocalDateScalar, MoneyScalar } from '../../platform/graphql/scalars.js';
import { CommissionProcedure, CommissionStatus, VolumeUnit } from './commission.enums.js';
import { FieldColumn, FieldEnum } from '../common/field-column.js';

/**
 * How much of a commission is taken on a day (commission-use.ts). An item reserves its quantity, and its
 * resident a place, while its plan is APPROVED or ACTIVE; a closed plan's items keep what was delivered.
 */
@ObjectType({ description: "A commission's use as it stood at the end of a day: reserved by approved and active plans, delivered, and what is left" })
export class CommissionUse {
  @Field(() => LocalDateScalar, { description: 'The day the figures are as of (a later day than today shows them as they stand now)' }) on!: string;
  @Field(() => Int, { description: 'Residents holding a place: with an item under the commission in an APPROVED or ACTIVE plan' }) recipients!: number;
  @Field(() => Int, { nullable: true, description: 'maxRecipients less recipients: places free' }) recipientsLeft!: number | null;
  @Field(() => Float, {
    description:
      'Hours or sessions (volumeUnit) reserved: the quantity of items in APPROVED or ACTIVE plans, and what was delivered under items of COMPLETED or TERMINATED ones',
  })
  volumeReserved!: number;
  @Field(() => Float, {
    deprecationReason:
      "Use volumeReserved: a DRAFT plan's items are assigned but reserve nothing, and a closed plan's items keep only what was delivered (the same value)",
  })
  volumeAssigned!: number;
  @Field(() => Float, { nullable: true, description: 'volume less volumeReserved: volume free' }) volumeLeft!: number | null;
  @Field(() => Float, { description: 'Hours or sessions delivered by the day (hours when the commission sets no unit)' }) volumeDelivered!: number;
  @Field(() => Int, { description: 'Sessions recorded as DELIVERED by the day' }) deliveredSessions!: number;
  @Field(() => MoneyScalar, { nullable: true, description: 'volumeReserved at unitPrice' }) budgetCommitted!: string | null;
  @Field(() => MoneyScalar, { nullable: true, description: 'volumeDelivered at unitPrice' }) budgetUsed!: string | null;
}

@Entity({ tableName: 'commission' })
@ObjectType({ implements: Node, description: 'A service commissioned by a CUS to a partner (zlecenie usług), with its agreement and indicators' })
export class Commission extends Node {
  @PrimaryKey({ type: 'uuid' }) id: string = randomUUID();
  /** The commissioning unit's seat gmina (tenant column). */
  @Property({ type: 'integer' }) gminaId!: number;
  /** The gminy the unit serves: their staff and officials read the commission. */
  @Property({ type: new ArrayType<number>(Number), columnType: 'integer[]' }) gminaIds!: number[];
  @Property({ type: 'uuid' }) cusUnitId!: string;
  @Property({ type: 'uuid' }) partnerId!: string;
  @FieldColumn({ type: 'text' }, () => String) title!: string;
  @FieldEnum(() => CommissionProcedure) procedure!: CommissionProcedure;
  @FieldColumn({ type: 'text', nullable: true }, () => String, { description: 'Required to activate' }) agreementNumber: string | null = null;
  @FieldColumn({ type: 'date', nullable: true }, () => LocalDateScalar, { description: 'Required to activate' }) periodStart: string | null = null;
  @FieldColumn({ type: 'date', nullable: true }, () => LocalDateScalar, { description: 'Required to activate' }) periodEnd: string | null = null;
  @FieldColumn({ type: 'decimal', columnType: 'numeric(14,2)', nullable: true }, () => MoneyScalar, { description: 'PLN; required to activate' }) budget:
    string | null = null;
  @FieldColumn({ type: 'decimal', columnType: 'numeric(12,2)', nullable: true }, () => MoneyScalar, { description: 'PLN per hour or session (volumeUnit)' })
  unitPrice: string | null = null;
  @FieldColumn({ type: 'integer', nullable: true }, () => Int, { description: 'Quantitative indicator: how many residents at most' }) maxRecipients:
    number | null = null;
  @Property({ type: 'decimal', columnType: 'numeric(12,2)', nullable: true }) volume: string | null = null;
  @FieldEnum(() => VolumeUnit, { nullable: true }) volumeUnit: VolumeUnit | null = null;
  @FieldColumn({ type: ArrayType, columnType: 'text[]' }, () => [String], { description: 'Quality indicators the partner reports on' })
  qualityIndicators: string[] = [];
  @FieldColumn({ type: 'text', nullable: true }, () => String, { description: 'What the partner reports, and when' }) reportingDuty: string | null = null;
  @FieldEnum(() => CommissionStatus) status: CommissionStatus = CommissionStatus.PLANNED;
  @FieldColumn({ type: 'text', nullable: true }, () => String, { description: 'Why it was suspended or terminated' }) statusReason: string | null = null;
  // Kept by the database (app.refresh_commission_use) from assignments and deliveries; never written here.
  @Property({ type: 'integer', default: 0 }) assignedRecipients!: number;
  @Property({ type: 'decimal', columnType: 'numeric(12,2)', default: 0 }) assignedVolume!: string;
  @Property({ type: 'decimal', columnType: 'numeric(12,2)', default: 0 }) deliveredVolume!: string;
  @Property({ type: 'integer', default: 0 }) deliveredCount!: number;
  @Property({ type: 'decimal', columnType: 'numeric(14,2)', nullable: true, generated: 'stored' }) budgetCommitted!: string | null;
  @Property({ type: 'decimal', columnType: 'numeric(14,2)', nullable: true, generated: 'stored' }) budgetUsed!: string | null;
  @FieldColumn({ type: 'integer', version: true }, () => Int, { description: 'Send it back to change the commission (optimistic locking)' }) version!: number;
  @FieldColumn({ type: 'datetime', onCreate: () => new Date() }, () => DateTimeScalar) createdAt: Date = new Date();
  @Property({ type: 'datetime', onUpdate: () => new Date() }) updatedAt: Date = new Date();

  @Field(() => Float, { name: 'volume', nullable: true, description: 'Quantitative indicator: hours or sessions (volumeUnit) at most' })
  get volumeValue(): number | null {
    return this.volume === null ? null : Number(this.volume);
  }
}

@Entity({ tableName: 'commission_service' })
export class CommissionService {
  @PrimaryKey({ type: 'uuid' }) commissionId!: string;
  @PrimaryKey({ type: 'uuid' }) serviceId!: string;
  @Property({ type: 'integer' }) gminaId!: number;
}
