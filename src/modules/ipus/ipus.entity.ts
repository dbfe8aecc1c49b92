import { Entity, Enum, Property } from '@mikro-orm/decorators/legacy';
import { Field, Int, ObjectType } from 'type-graphql';
import { Node } from '../../platform/graphql/node.js';
import { LocalDateScalar } from '../../platform/graphql/scalars.js';
import { IpusStatus } from './ipus.enums.js';
import { TenantNode } from '../common/entity-bases.js';

/**
 * An individual plan of social services (IPUS; DOMAIN.md, "The individual plan"). It belongs to the
 * resident's gmina and is part of the resident's record: reading it is logged. `revision` counts its
 * changes; every editing mutation takes the revision the client last saw (optimistic locking).
 */
@Entity({ tableName: 'ipus' })
@ObjectType({ implements: Node, description: "An individual plan of social services (IPUS); part of the resident's record (reads are logged)" })
export class Ipus extends TenantNode {
  @Property({ type: 'uuid' })
  cusUnitId!: string;

  @Property({ type: 'uuid' })
  residentId!: string;

  @Property({ type: 'uuid' })
  applicationId!: string;

  @Property({ type: 'text' })
  @Field(() => String, { description: "The coordinator's user id" })
  coordinatorSubject!: string;

  @Property({ type: 'text' })
  @Field(() => String, { description: 'The coordinator (KIPUS) who prepares and keeps the plan' })
  coordinatorName!: string;

  @Property({ type: 'date' })
  @Field(() => LocalDateScalar)
  periodStart!: string;

  @Property({ type: 'date' })
  @Field(() => LocalDateScalar)
  periodEnd!: string;

  @Enum({ items: () => IpusStatus, type: 'text' })
  @Field(() => IpusStatus)
  status: IpusStatus = IpusStatus.DRAFT;

  @Property({ type: 'integer' })
  @Field(() => Int, { description: 'Increases by one with every change; send it back with every change (optimistic locking)' })
  revision: number = 1;

  @Property({ type: 'date' })
  @Field(() => LocalDateScalar, { description: 'The day the plan was prepared' })
  preparedOn!: string;

  @Property({ type: 'text', nullable: true })
  @Field(() => String, { nullable: true, description: 'Set when the plan was prepared more than 30 days after the application (a warning, not a refusal)' })
  latePreparationWarning: string | null = null;

  @Property({ type: 'date', nullable: true })
  @Field(() => LocalDateScalar, { nullable: true })
  submittedOn: string | null = null;

  @Property({ type: 'date', nullable: true })
  @Field(() => LocalDateScalar, { nullable: true })
  approvedOn: string | null = null;

  @Property({ type: 'text', nullable: true })
  @Field(() => String, { nullable: true, description: 'Who approved it (user id)' })
  approvedBy: string | null = null;

  @Property({ type: 'date', nullable: true })
  @Field(() => LocalDateScalar, { nullable: true, description: 'When the resident agreed to the plan' })
  agreedOn: string | null = null;

  @Property({ type: 'text', nullable: true })
  @Field(() => String, { nullable: true, description: 'How the resident agreed (an AgreementHow value)' })
  agreementHow: string | null = null;

  @Property({ type: 'date', nullable: true })
  @Field(() => LocalDateScalar, { nullable: true })
  activatedOn: string | null = null;

  @Property({ type: 'date', nullable: true })
  @Field(() => LocalDateScalar, { nullable: true, description: 'When it was completed or terminated' })
  closedOn: string | null = null;

  @Property({ type: 'date', nullable: true })
  @Field(() => LocalDateScalar, { nullable: true, description: 'The closing conversation with the resident (COMPLETED)' })
  closingConversationOn: string | null = null;

  @Property({ type: 'text', nullable: true })
  @Field(() => String, { nullable: true })
  terminationReason: string | null = null;

  @Property({ type: 'datetime', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
