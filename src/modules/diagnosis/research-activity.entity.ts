import { ArrayType } from '@mikro-orm/core';
import { Entity, Enum, Property } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType } from 'type-graphql';
import { Node } from '../../platform/graphql/node.js';
import { LocalDateScalar } from '../../platform/graphql/scalars.js';
import { TargetGroup } from '../common/domain.enums.js';
import { TenantNode } from '../common/entity-bases.js';
import { defineEnum, type EnumValue } from '../common/graphql-enum.js';

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
  @Property({ type: 'uuid' })
  diagnosisId!: string;

  @Enum({ items: () => ResearchActivityKind, type: 'text' })
  @Field(() => ResearchActivityKind)
  kind!: ResearchActivityKind;

  @Property({ type: 'text' })
  @Field(() => String)
  title!: string;

  @Property({ type: 'date' })
  @Field(() => LocalDateScalar)
  startDate!: string;

  @Property({ type: 'date' })
  @Field(() => LocalDateScalar)
  endDate!: string;

  @Property({ type: ArrayType, columnType: 'text[]' })
  @Field(() => [TargetGroup])
  targetGroups: TargetGroup[] = [];

  @Property({ type: 'text', nullable: true })
  @Field(() => String, { nullable: true, description: 'Who took part, e.g. "local leaders", "seniors of Gołków"' })
  groupDescription: string | null = null;

  @Property({ type: 'integer', nullable: true })
  @Field(() => Int, { nullable: true })
  participants: number | null = null;

  @Property({ type: 'text', nullable: true })
  @Field(() => String, { nullable: true })
  notes: string | null = null;
}
