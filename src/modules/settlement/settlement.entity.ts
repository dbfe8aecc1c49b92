import { Entity, Property } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType } from 'type-graphql';
import { Node } from '../../platform/graphql/node.js';
import { DateTimeScalar } from '../../platform/graphql/scalars.js';
import { EditableTenantNode } from '../common/entity-bases.js';
import { SettlementStatus } from './settlement.enums.js';
import { FieldColumn, FieldEnum } from '../common/field-column.js';

@ObjectType({ description: "A quality indicator of the commission and the partner's value for the month" })
export class IndicatorValue {
  @Field(() => String, { description: 'The indicator, as the commission names it (qualityIndicators)' }) indicator!: string;
  @Field(() => String) value!: string;
}

/** What the centre accepted: the statement as it stood then (settlement.figures.ts), never recomputed. */
export type FrozenFigures = Record<string, unknown>;

@Entity({ tableName: 'settlement' })
@ObjectType({ implements: Node, description: "A commission's settlement for one calendar month: the partner's report and the centre's decision" })
export class Settlement extends EditableTenantNode {
  /** The commission's gmina, set by the database from the commission. */
  @Property({ type: 'uuid' }) commissionId!: string;
  /** Set by the database from the commission. */
  @Property({ type: 'uuid' }) partnerId!: string;
  /** The month's first day (YYYY-MM-01); the `month` field shows YYYY-MM. */
  @Property({ type: 'date' }) month!: string;
  @FieldEnum(() => SettlementStatus) status: SettlementStatus = SettlementStatus.OPEN;
  @FieldColumn({ type: 'json', columnType: 'jsonb' }, () => [IndicatorValue], {
    description: "Values of the commission's quality indicators, as the partner last submitted them",
  })
  indicatorValues: IndicatorValue[] = [];
  @FieldColumn({ type: 'text', nullable: true }, () => String, { description: 'Why the centre returned the report (the last return)' })
  returnReason: string | null = null;
  @FieldColumn({ type: 'datetime', nullable: true }, () => DateTimeScalar) submittedAt: Date | null = null;
  @FieldColumn({ type: 'text', nullable: true }, () => String, { description: 'Who submitted the report last' }) submittedBy: string | null = null;
  @FieldColumn({ type: 'datetime', nullable: true }, () => DateTimeScalar, { description: 'When it was last accepted or returned' }) decidedAt: Date | null =
    null;
  @FieldColumn({ type: 'text', nullable: true }, () => String) decidedBy: string | null = null;
  /** Frozen at acceptance; null before. */
  @Property({ type: 'json', columnType: 'jsonb', nullable: true }) figures: FrozenFigures | null = null;

  @Field(() => String, { name: 'month', description: 'The calendar month settled, YYYY-MM' })
  get monthName(): string {
    return this.month.slice(0, 7);
  }
}
