import { Entity, Property } from '@mikro-orm/decorators/legacy';
import { Int, ObjectType } from 'type-graphql';
import { Node } from '../../platform/graphql/node.js';
import { LocalDateScalar } from '../../platform/graphql/scalars.js';
import { TenantNode } from '../common/entity-bases.js';
import { FieldColumn } from '../common/field-column.js';

@Entity({ tableName: 'partner_council' })
@ObjectType({ implements: Node, description: 'The partner council (Rada Partnerów) of a CUS unit: partners who advise on its services' })
export class PartnerCouncil extends TenantNode {
  /** The unit's seat gmina (tenant column). */
  declare gminaId: number;

  @Property({ type: 'uuid' }) cusUnitId!: string;
  @FieldColumn({ type: 'text' }, () => String) name!: string;
  @FieldColumn({ type: 'date', nullable: true }, () => LocalDateScalar, { description: 'The day the council was set up' }) establishedOn: string | null = null;

  @FieldColumn({ type: 'integer', version: true }, () => Int, { description: 'Increases with every change; send it back to update (optimistic locking)' })
  version!: number;
}
