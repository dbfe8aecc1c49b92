import { Entity, Property } from '@mikro-orm/decorators/legacy';
import { ObjectType } from 'type-graphql';
import { Node } from '../../platform/graphql/node.js';
import { LocalDateScalar } from '../../platform/graphql/scalars.js';
import { ConsultationChannel } from './consultation.entity.js';
import { TenantNode } from '../common/entity-bases.js';
import { FieldColumn, FieldEnum } from '../common/field-column.js';

@Entity({ tableName: 'consultation_submission' })
@ObjectType({ implements: Node, description: 'A submission (uwaga) to a consultation, and the answer of the CUS' })
export class ConsultationSubmission extends TenantNode {
  @Property({ type: 'uuid' }) consultationId!: string;
  @FieldColumn({ type: 'text' }, () => String) text!: string;
  @FieldEnum(() => ConsultationChannel) channel!: ConsultationChannel;
  @FieldColumn({ type: 'date' }, () => LocalDateScalar) receivedOn!: string;
  @FieldColumn({ type: 'text', nullable: true }, () => String, { description: 'The name the author gave, if any' }) authorName: string | null = null;

  /** The subject of the principal who submitted or recorded it. */
  @Property({ type: 'text' }) submittedBy!: string;
  @Property({ type: 'uuid', nullable: true }) submittedByPartnerId: string | null = null;
  @FieldColumn({ type: 'text', nullable: true }, () => String) response: string | null = null;
  @FieldColumn({ type: 'date', nullable: true }, () => LocalDateScalar) respondedOn: string | null = null;
  @Property({ type: 'text', nullable: true }) respondedBy: string | null = null;
}
