import { Entity, Property } from '@mikro-orm/decorators/legacy';
import { ObjectType } from 'type-graphql';
import { Node } from '../../platform/graphql/node.js';
import { ServiceArea, TargetGroup } from '../common/domain.enums.js';
import { TenantNode } from '../common/entity-bases.js';
import { defineEnum, type EnumValue } from '../common/graphql-enum.js';
import { FieldColumn, FieldEnum } from '../common/field-column.js';

export const NeedPriority = defineEnum('NeedPriority', 'Priority of a need found by a diagnosis, highest first', ['HIGH', 'MEDIUM', 'LOW']);
export type NeedPriority = EnumValue<typeof NeedPriority>;

@Entity({ tableName: 'diagnosis_need' })
@ObjectType({ implements: Node, description: 'A need found by a diagnosis: area, target group, description, priority' })
export class DiagnosisNeed extends TenantNode {
  @Property({ type: 'uuid' }) diagnosisId!: string;
  @FieldEnum(() => ServiceArea) area!: ServiceArea;
  @FieldEnum(() => TargetGroup) targetGroup!: TargetGroup;
  @FieldColumn({ type: 'text' }, () => String) description!: string;
  @FieldEnum(() => NeedPriority) priority!: NeedPriority;
}
