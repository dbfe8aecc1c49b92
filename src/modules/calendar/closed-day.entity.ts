import { Entity, Property } from '@mikro-orm/decorators/legacy';
import { ObjectType } from 'type-graphql';
import { Node } from '../../platform/graphql/node.js';
import { LocalDateScalar } from '../../platform/graphql/scalars.js';
import { TenantNode } from '../common/entity-bases.js';
import { FieldColumn } from '../common/field-column.js';

/** A day a gmina closes its offices and the CUS's own services: schedules skip it, as they skip public holidays. */
@Entity({ tableName: 'gmina_closed_day' })
@ObjectType({ implements: Node, description: 'A day the gmina declared closed: visits of plan items fall away that day, unless an item keeps holidays' })
export class GminaClosedDay extends TenantNode {
  @FieldColumn({ type: 'date' }, () => LocalDateScalar, { description: 'The day' }) day!: string;
  @FieldColumn({ type: 'text' }, () => String, { description: 'Why, e.g. "Dzień wolny za 15 sierpnia (sobota)"' }) reason!: string;
  @Property({ type: 'text' }) declaredBy!: string;
}
