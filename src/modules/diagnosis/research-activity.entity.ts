import { ArrayType } from '@mikro-orm/core';
import { Entity, Property } from '@mikro-orm/decorators/legacy';
import { Int, ObjectType } from 'type-graphql';
import { Node } from '../../platform/graphql/node.js';
import { LocalDateScalar } from '../../platform/graphql/scalars.js';
import { TargetGroup } from '../common/domain.enums.js';
import { TenantNode } from '../common/entity-bases.js';
import { defineEnum, type EnumValue } from '../common/graphql-enum.js';
import { FieldColumn, FieldEnum } from '../common/field-column.js';

export const ResearchActivityKind = defineEnum('ResearchActivityKind', {
  SURVEY: 'Survey (ankieta)',
  IDI: 'Individual in-depth interviews',
  FGI: 'Focus group interviews',
  WORKSHOP: 'Service-design workshop',
  DESK_RESEARCH: 'Desk research (analysis of existing data)',
});
export type ResearchActivityKind = EnumValue<typeof ResearchActivityKind>;

@Entity({ tableName: 'research_activity' })
@ObjectType({ implements: Node, description: 'A research activity of a diagnosis: survey, interviews, focus group, workshop, desk research' })
export class ResearchActivity extends TenantNode {
  @Property({ type: 'uuid' }) diagnosisId!: string;
  @FieldEnum(() => ResearchActivityKind) kind!: ResearchActivityKind;
  @FieldColumn({ type: 'text' }, () => String) title!: string;
  @FieldColumn({ type: 'date' }, () => LocalDateScalar) startDate!: string;
  @FieldColumn({ type: 'date' }, () => LocalDateScalar) endDate!: string;
  @FieldColumn({ type: ArrayType, columnType: 'text[]' }, () => [TargetGroup]) targetGroups: TargetGroup[] = [];

  @FieldColumn({ type: 'text', nullable: true }, () => String, { description: 'Who took part, e.g. "local leaders", "seniors of Gołków"' })
  groupDescription: string | null = null;

  @FieldColumn({ type: 'integer', nullable: true }, () => Int) participants: number | null = null;
  @FieldColumn({ type: 'text', nullable: true }, () => String) notes: string | null = null;
}
