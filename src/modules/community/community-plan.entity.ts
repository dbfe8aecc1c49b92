import { Entity, Enum, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { randomUUID } from 'node:crypto';
import { Node } from '../../platform/graphql/node.js';
import { LocalDateScalar } from '../../platform/graphql/scalars.js';
import { TextArrayType } from '../common/text-array.type.js';

export enum CommunityPlanStatus {
  ACTIVE = 'ACTIVE',
  ARCHIVED = 'ARCHIVED',
}
registerEnumType(CommunityPlanStatus, {
  name: 'CommunityPlanStatus',
  valuesConfig: { ARCHIVED: { description: 'Retired: kept for the record, takes no new activities and no changes' } },
});

@Entity({ tableName: 'community_plan' })
@ObjectType({ implements: Node, description: "The community organiser's (OSL) plan of community organising for a CUS" })
export class CommunityPlan extends Node {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** The seat gmina of the unit (tenant column). */
  @Property({ type: 'integer' })
  gminaId!: number;

  @Property({ type: 'uuid' })
  cusUnitId!: string;

  @Property({ type: 'text' })
  @Field(() => String)
  title!: string;

  @Property({ type: 'date' })
  @Field(() => LocalDateScalar)
  periodStart!: string;

  @Property({ type: 'date' })
  @Field(() => LocalDateScalar)
  periodEnd!: string;

  @Property({ type: TextArrayType, columnType: 'text[]' })
  @Field(() => [String], { description: 'What the plan sets out to achieve, in order' })
  aims!: string[];

  @Enum({ items: () => CommunityPlanStatus, type: 'text' })
  @Field(() => CommunityPlanStatus)
  status: CommunityPlanStatus = CommunityPlanStatus.ACTIVE;

  @Property({ type: 'integer', version: true })
  @Field(() => Int, { description: 'Increases with every change; send it back to update (optimistic locking)' })
  version!: number;

  @Property({ type: 'datetime', onCreate: () => new Date() })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
