import { OptionalProps } from '@mikro-orm/core';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, Float, Int, ObjectType } from 'type-graphql';
import { DateTimeScalar, LocalDateScalar, MoneyScalar } from '../../platform/graphql/scalars.js';
import { TenantNode } from '../common/entity-bases.js';
import { FieldColumn } from '../common/field-column.js';

/** A row of an income-dependent fee's table: income per person up to `upToPercent` of the criterion -> `feePercent` of the unit cost. */
@Entity({ tableName: 'programme_service_fee_threshold' })
@ObjectType({
  description:
    'A row of the fee table: a person whose income per person is at most upToPercentOfCriterion of the income criterion pays feePercent of the unit cost',
})
export class FeeThreshold {
  [OptionalProps]?: string;

  @PrimaryKey({ type: 'uuid' }) programmeServiceId!: string;
  @PrimaryKey({ type: 'integer' }) position!: number;

  /** The programme's gmina (tenant column). */
  @Property({ type: 'integer' }) gminaId!: number;
  @Property({ type: 'decimal', columnType: 'numeric(7,2)' }) upToPercent!: string;
  @Property({ type: 'decimal', columnType: 'numeric(5,2)' }) feePercent!: string;

  @Field(() => Float, {
    name: 'upToPercentOfCriterion',
    description: 'Income per person in the household, as a percentage of the income criterion (inclusive)',
  })
  get upToPercentValue(): number {
    return Number(this.upToPercent);
  }

  @Field(() => Float, { name: 'feePercent', description: 'The share of the unit cost the person pays, 0..100' })
  get feePercentValue(): number {
    return Number(this.feePercent);
  }
}

/** The income-dependent fee of a service under a programme: the unit cost and the table of thresholds. */
@ObjectType({
  description: 'How an income-dependent fee is set: a share of the unit cost by income per person against the income criterion; above the last row 100%',
})
export class FeeScale {
  @Field(() => MoneyScalar, {
    nullable: true,
    description: "PLN per hour or session the percentages apply to; when null, the unit price of the item's commission",
  })
  unitCost!: string | null;

  @Field(() => [FeeThreshold], { description: 'Ascending by upToPercentOfCriterion' }) thresholds!: FeeThreshold[];
}

/**
 * What a resident declared of their household's income (financial data of a person): the coordinators
 * and the director read it (RLS), as they read resident_sensitive. A new declaration supersedes the last.
 */
@Entity({ tableName: 'resident_income' })
@ObjectType({ description: "A resident's declaration of the household's monthly net income and size: coordinators and the director only" })
export class ResidentIncomeDeclaration extends TenantNode {
  /** The resident's gmina (tenant column). */
  declare gminaId: number;

  @Property({ type: 'uuid' }) residentId!: string;

  @FieldColumn({ type: 'decimal', columnType: 'numeric(12,2)' }, () => MoneyScalar, { description: 'Monthly net income of the whole household, PLN' })
  householdIncome!: string;

  @FieldColumn({ type: 'integer' }, () => Int, { description: 'Persons in the household (1: living alone)' }) householdSize!: number;
  @FieldColumn({ type: 'date' }, () => LocalDateScalar) declaredOn!: string;
  @Property({ type: 'text' }) declaredBy!: string;

  @Field(() => DateTimeScalar, { name: 'recordedAt' })
  get recordedAt(): Date {
    return this.createdAt;
  }
}
