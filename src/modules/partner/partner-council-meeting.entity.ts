import { ArrayType } from '@mikro-orm/core';
import { Entity, Property } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType } from 'type-graphql';
import { Node } from '../../platform/graphql/node.js';
import { LocalDateScalar } from '../../platform/graphql/scalars.js';
import { TextArrayType } from '../common/text-array-type.js';
import { TenantNode } from '../common/entity-bases.js';
import { FieldColumn } from '../common/field-column.js';

@Entity({ tableName: 'partner_council_meeting' })
@ObjectType({ implements: Node, description: 'A meeting of a partner council: when, where, what was discussed and agreed, who attended' })
export class PartnerCouncilMeeting extends TenantNode {
  /** The council's gmina (tenant column). */
  declare gminaId: number;

  @Property({ type: 'uuid' }) councilId!: string;
  @FieldColumn({ type: 'date' }, () => LocalDateScalar) heldOn!: string;
  @FieldColumn({ type: 'text', nullable: true }, () => String) place: string | null = null;
  @FieldColumn({ type: new TextArrayType(), columnType: 'text[]' }, () => [String], { description: 'What was on the agenda, in order' }) topics!: string[];
  @FieldColumn({ type: 'text', nullable: true }, () => String, { description: 'What the council agreed' }) outcomes: string | null = null;

  /** Members (PartnerCouncilMember ids) present. */
  @Property({ type: ArrayType, columnType: 'uuid[]' }) attendeeMemberIds: string[] = [];

  @Field(() => Int, { description: 'How many members attended' })
  get attendanceCount(): number {
    return this.attendeeMemberIds.length;
  }
}
