import { Entity, Property } from '@mikro-orm/decorators/legacy';
import { Field, Float, ObjectType } from 'type-graphql';
import { Node } from '../../platform/graphql/node.js';
import { LocalDateScalar, MoneyScalar } from '../../platform/graphql/scalars.js';
import { TenantNode } from '../common/entity-bases.js';

@Entity({ tableName: 'funding_project' })
@ObjectType({ implements: Node, description: 'A project funding a CUS, e.g. EU programme PO WER, action 2.8' })
export class FundingProject extends TenantNode {
  /** The seat gmina of the unit (tenant column). */
  declare gminaId: number;

  @Property({ type: 'uuid' })
  cusUnitId!: string;

  @Property({ type: 'text' })
  @Field(() => String, { description: 'Funding programme, e.g. "PO WER 2014-2020"' })
  programme!: string;

  @Property({ type: 'text', nullable: true })
  @Field(() => String, { nullable: true, description: 'Action or measure within the programme, e.g. "2.8"' })
  action: string | null = null;

  @Property({ type: 'text' })
  @Field(() => String)
  title!: string;

  @Property({ type: 'date' })
  @Field(() => LocalDateScalar)
  periodStart!: string;

  @Property({ type: 'date' })
  @Field(() => LocalDateScalar)
  periodEnd!: string;

  @Property({ type: 'decimal', precision: 14, scale: 2 })
  @Field(() => MoneyScalar, { description: 'Total value in PLN' })
  totalValue!: string;

  @Property({ type: 'decimal', precision: 14, scale: 2, nullable: true })
  @Field(() => MoneyScalar, { nullable: true, description: 'EU share in PLN' })
  euShare: string | null = null;

  @Property({ type: 'decimal', precision: 14, scale: 2, nullable: true })
  @Field(() => MoneyScalar, { nullable: true, description: 'National (budget) share in PLN' })
  nationalShare: string | null = null;

  @Property({ type: 'decimal', precision: 5, scale: 2, nullable: true })
  coFinancingRate: string | null = null;


  @Field(() => Float, { nullable: true, description: 'Co-financing rate in percent (e.g. 100)' })
  get coFinancingPercent(): number | null {
    return this.coFinancingRate === null ? null : Number(this.coFinancingRate);
  }
}
