import { Entity, Property } from '@mikro-orm/decorators/legacy';
import { ObjectType } from 'type-graphql';
import { Node } from '../../platform/graphql/node.js';
import { LocalDateScalar } from '../../platform/graphql/scalars.js';
import { TextArrayType } from '../common/text-array-type.js';
import { EditableTenantNode } from '../common/entity-bases.js';
import { defineEnum, type EnumValue } from '../common/graphql-enum.js';
import { FieldColumn, FieldEnum } from '../common/field-column.js';

export const CommunityPlanStatus = defineEnum('CommunityPlanStatus', {
  ACTIVE: null,
  ARCHIVED: 'Retired: kept for the record, takes no new activities and no changes',
});
export type CommunityPlanStatus = EnumValue<typeof CommunityPlanStatus>;

@Entity({ tableName: 'community_plan' })
@ObjectType({ implements: Node, description: "The community organiser's (OSL) plan of community organising for a CUS" })
export class CommunityPlan extends EditableTenantNode {
  /** The seat gmina of the unit (tenant column). */
  declare gminaId: number;

  @Property({ type: 'uuid' }) cusUnitId!: string;
  @FieldColumn({ type: 'text' }, () => String) title!: string;
  @FieldColumn({ type: 'date' }, () => LocalDateScalar) periodStart!: string;
  @FieldColumn({ type: 'date' }, () => LocalDateScalar) periodEnd!: string;
  @FieldColumn({ type: TextArrayType, columnType: 'text[]' }, () => [String], { description: 'What the plan sets out to achieve, in order' }) aims!: string[];
  @FieldEnum(() => CommunityPlanStatus) status: CommunityPlanStatus = CommunityPlanStatus.ACTIVE;
}
