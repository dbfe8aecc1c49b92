import { Entity, Property } from '@mikro-orm/decorators/legacy';
import { ObjectType } from 'type-graphql';
import { Node } from '../../platform/graphql/node.js';
import { LocalDateScalar } from '../../platform/graphql/scalars.js';
import { TenantNode } from '../common/entity-bases.js';
import { FieldColumn } from '../common/field-column.js';

@Entity({ tableName: 'partner_council_member' })
@ObjectType({ implements: Node, description: 'A partner sitting on a partner council, through its representative' })
export class PartnerCouncilMember extends TenantNode {
  /** The council's gmina (tenant column). */
  declare gminaId: number;

  @Property({ type: 'uuid' }) councilId!: string;
  @Property({ type: 'uuid' }) partnerId!: string;
  @FieldColumn({ type: 'text' }, () => String, { description: 'The person who speaks for the partner on the council' }) representativeName!: string;

  @FieldColumn({ type: 'text', nullable: true }, () => String, { description: "The representative's function in the organisation, e.g. prezes zarządu" })
  representativeFunction: string | null = null;

  @FieldColumn({ type: 'date' }, () => LocalDateScalar) joinedOn!: string;

  @FieldColumn({ type: 'date', nullable: true }, () => LocalDateScalar, { description: 'The day the partner left the council; null while it sits on it' })
  leftOn: string | null = null;

  /** Sat on the council on `day`: joined by then and had not left before it. */
  sitsOn(day: string): boolean {
    return this.joinedOn <= day && (this.leftOn === null || this.leftOn >= day);
  }
}
