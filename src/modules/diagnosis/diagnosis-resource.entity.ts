import { Entity, Enum, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { randomUUID } from 'node:crypto';
import { Node } from '../../platform/graphql/node.js';

export enum DiagnosisResourceKind {
  INSTITUTION = 'INSTITUTION',
  NGO = 'NGO',
  RESIDENTS = 'RESIDENTS',
  INFRASTRUCTURE = 'INFRASTRUCTURE',
  OTHER = 'OTHER',
}
registerEnumType(DiagnosisResourceKind, {
  name: 'DiagnosisResourceKind',
  valuesConfig: {
    INSTITUTION: { description: 'Resources of public institutions' },
    NGO: { description: 'Resources of non-governmental organisations' },
    RESIDENTS: { description: "Residents' own potential: leaders, volunteers, neighbourly help" },
    INFRASTRUCTURE: { description: 'Places and equipment, e.g. village community rooms' },
    OTHER: { description: 'Anything else' },
  },
});

@Entity({ tableName: 'diagnosis_resource' })
@ObjectType({ implements: Node, description: 'Potential found by a diagnosis: a resource of an institution, an NGO or residents' })
export class DiagnosisResource extends Node {
  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'integer' })
  gminaId!: number;

  @Property({ type: 'uuid' })
  diagnosisId!: string;

  @Enum({ items: () => DiagnosisResourceKind, type: 'text' })
  @Field(() => DiagnosisResourceKind)
  kind!: DiagnosisResourceKind;

  @Property({ type: 'text' })
  @Field(() => String, { description: 'Who holds the resource, e.g. "Gminny Ośrodek Kultury"' })
  holder!: string;

  @Property({ type: 'text' })
  @Field(() => String)
  description!: string;

  @Property({ type: 'uuid', nullable: true })
  partnerId: string | null = null;

  @Property({ type: 'datetime', onCreate: () => new Date() })
  createdAt: Date = new Date();
}
