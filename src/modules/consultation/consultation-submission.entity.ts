import { Entity, Enum, Property } from '@mikro-orm/decorators/legacy';
import { Field, ObjectType } from 'type-graphql';
import { Node } from '../../platform/graphql/node.js';
import { LocalDateScalar } from '../../platform/graphql/scalars.js';
import { ConsultationChannel } from './consultation.entity.js';
import { TenantNode } from '../common/entity-bases.js';

@Entity({ tableName: 'consultation_submission' })
@ObjectType({ implements: Node, description: 'A submission (uwaga) to a consultation, and the answer of the CUS' })
export class ConsultationSubmission extends TenantNode {
  @Property({ type: 'uuid' })
  consultationId!: string;

  @Property({ type: 'text' })
  @Field(() => String)
  text!: string;

  @Enum({ items: () => ConsultationChannel, type: 'text' })
  @Field(() => ConsultationChannel)
  channel!: ConsultationChannel;

  @Property({ type: 'date' })
  @Field(() => LocalDateScalar)
  receivedOn!: string;

  @Property({ type: 'text', nullable: true })
  @Field(() => String, { nullable: true, description: 'The name the author gave, if any' })
  authorName: string | null = null;

  /** The subject of the principal who submitted or recorded it. */
  @Property({ type: 'text' })
  submittedBy!: string;

  @Property({ type: 'uuid', nullable: true })
  submittedByPartnerId: string | null = null;

  @Property({ type: 'text', nullable: true })
  @Field(() => String, { nullable: true })
  response: string | null = null;

  @Property({ type: 'date', nullable: true })
  @Field(() => LocalDateScalar, { nullable: true })
  respondedOn: string | null = null;

  @Property({ type: 'text', nullable: true })
  respondedBy: string | null = null;
}
