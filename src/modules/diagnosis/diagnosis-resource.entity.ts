import { Entity, Property } from '@mikro-orm/decorators/legacy';
import { ObjectType } from 'type-graphql';
import { Node } from '../../platform/graphql/node.js';
import { TenantNode } from '../common/entity-bases.js';
import { defineEnum, type EnumValue } from '../common/graphql-enum.js';
import { FieldColumn, FieldEnum } from '../common/field-column.js';

export const DiagnosisResourceKind = defineEnum('DiagnosisResourceKind', {
  INSTITUTION: 'Resources of public institutions',
  NGO: 'Resources of non-governmental organisations',
  RESIDENTS: "Residents' own potential: leaders, volunteers, neighbourly help",
  INFRASTRUCTURE: 'Places and equipment, e.g. village community rooms',
  OTHER: 'Anything else',
});
export type DiagnosisResourceKind = EnumValue<typeof DiagnosisResourceKind>;

@Entity({ tableName: 'diagnosis_resource' })
@ObjectType({ implements: Node, description: 'Potential found by a diagnosis: a resource of an institution, an NGO or residents' })
export class DiagnosisResource extends TenantNode {
  @Property({ type: 'uuid' }) diagnosisId!: string;
  @FieldEnum(() => DiagnosisResourceKind) kind!: DiagnosisResourceKind;
  @FieldColumn({ type: 'text' }, () => String, { description: 'Who holds the resource, e.g. "Gminny Ośrodek Kultury"' }) holder!: string;
  @FieldColumn({ type: 'text' }, () => String) description!: string;
  @Property({ type: 'uuid', nullable: true }) partnerId: string | null = null;
}
