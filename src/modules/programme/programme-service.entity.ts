import { Entity, Enum, Property } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType } from 'type-graphql';
import { Node } from '../../platform/graphql/node.js';
import { FeeKind } from '../common/domain.enums.js';
import { FeeRule } from '../catalogue/service.entity.js';
import { TenantNode } from '../common/entity-bases.js';
import { FieldColumn } from '../common/field-column.js';

@Entity({ tableName: 'programme_service' })
@ObjectType({ implements: Node, description: 'A service offered under a programme, with the access rules and fee the programme sets for it' })
export class ProgrammeService extends TenantNode {
  /** The programme's gmina (tenant column). */
  declare gminaId: number;

  @Property({ type: 'uuid' }) programmeId!: string;
  @Property({ type: 'uuid' }) serviceId!: string;

  @FieldColumn({ type: 'text', nullable: true }, () => String, { description: 'Who may use it under the programme, limits, order of applications' })
  accessRules: string | null = null;

  @Enum({ items: () => FeeKind, type: 'text' }) feeKind: FeeKind = FeeKind.FREE;
  @Property({ type: 'decimal', precision: 12, scale: 2, nullable: true }) feeAmount: string | null = null;
  @Property({ type: 'text', nullable: true }) feeUnit: string | null = null;
  @Property({ type: 'text', nullable: true }) feeDescription: string | null = null;

  /** PLN per hour or session an income-dependent fee's table applies to (src/modules/fee/); null: the commission's unit price. */
  @Property({ type: 'decimal', precision: 12, scale: 2, nullable: true }) feeUnitCost: string | null = null;
  @FieldColumn({ type: 'text', nullable: true }, () => String, { description: 'Yearly limit, e.g. "120 hours per person"' }) annualLimit: string | null = null;

  @Field(() => FeeRule, { description: 'The fee the programme sets for the service' })
  get fee(): FeeRule {
    return { kind: this.feeKind, amount: this.feeAmount, unit: this.feeUnit, description: this.feeDescription };
  }
}
