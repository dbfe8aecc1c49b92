import { Entity, Property } from '@mikro-orm/decorators/legacy';
import { Field, Float, ObjectType } from 'type-graphql';
import { Node } from '../../platform/graphql/node.js';
import { LocalDateScalar, MoneyScalar } from '../../platform/graphql/scalars.js';
import { TenantNode } from '../common/entity-bases.js';
import { FieldColumn } from '../common/field-column.js';

@Entity({ tableName: 'funding_project' })
@ObjectType({ implements: Node, description: 'A project funding a CUS, e.g. EU programme PO WER, action 2.8' })
export class FundingProject extends TenantNode {
  /** The seat gmina of the unit (tenant column). */
  declare gminaId: number;

  @Property({ type: 'uuid' }) cusUnitId!: string;
  @FieldColumn({ type: 'text' }, () => String, { description: 'Funding programme, e.g. "PO WER 2014-2020"' }) programme!: string;

  @FieldColumn({ type: 'text', nullable: true }, () => String, { description: 'Action or measure within the programme, e.g. "2.8"' })
  action: string | null = null;

  @FieldColumn({ type: 'text' }, () => String) title!: string;
  @FieldColumn({ type: 'date' }, () => LocalDateScalar) periodStart!: string;
  @FieldColumn({ type: 'date' }, () => LocalDateScalar) periodEnd!: string;
  @FieldColumn({ type: 'decimal', precision: 14, scale: 2 }, () => MoneyScalar, { description: 'Total value in PLN' }) totalValue!: string;

  @FieldColumn({ type: 'decimal', precision: 14, scale: 2, nullable: true }, () => MoneyScalar, { description: 'EU share in PLN' })
  euShare: string | null = null;

  @FieldColumn({ type: 'decimal', precision: 14, scale: 2, nullable: true }, () => MoneyScalar, { description: 'National (budget) share in PLN' })
  nationalShare: string | null = null;

  @Property({ type: 'decimal', precision: 5, scale: 2, nullable: true }) coFinancingRate: string | null = null;

  @Field(() => Float, { nullable: true, description: 'Co-financing rate in percent (e.g. 100)' })
  get coFinancingPercent(): number | null {
    return this.coFinancingRate === null ? null : Number(this.coFinancingRate);
  }
}
