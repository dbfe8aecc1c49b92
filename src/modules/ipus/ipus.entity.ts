import { Entity, Property } from '@mikro-orm/decorators/legacy';
import { Int, ObjectType } from 'type-graphql';
import { Node } from '../../platform/graphql/node.js';
import { LocalDateScalar } from '../../platform/graphql/scalars.js';
import { IpusStatus, TerminationReason } from './ipus.enums.js';
import type { PendingRevisionData } from './ipus-revision-pending.js';
import { TenantNode } from '../common/entity-bases.js';
import { FieldColumn, FieldEnum } from '../common/field-column.js';

/**
 * An individual plan of social services (IPUS; DOMAIN.md, "The individual plan"). It belongs to the
 * resident's gmina and is part of the resident's record: reading it is logged. `revision` counts its
 * changes; every editing mutation takes the revision the client last saw (optimistic locking).
 */
@Entity({ tableName: 'ipus' })
@ObjectType({ implements: Node, description: "An individual plan of social services (IPUS); part of the resident's record (reads are logged)" })
export class Ipus extends TenantNode {
  @Property({ type: 'uuid' }) cusUnitId!: string;
  @Property({ type: 'uuid' }) residentId!: string;
  @Property({ type: 'uuid' }) applicationId!: string;
  @FieldColumn({ type: 'text' }, () => String, { description: "The coordinator's user id" }) coordinatorSubject!: string;
  @FieldColumn({ type: 'text' }, () => String, { description: 'The coordinator (KIPUS) who prepares and keeps the plan' }) coordinatorName!: string;
  @FieldColumn({ type: 'date' }, () => LocalDateScalar) periodStart!: string;
  @FieldColumn({ type: 'date' }, () => LocalDateScalar) periodEnd!: string;
  @FieldEnum(() => IpusStatus) status: IpusStatus = IpusStatus.DRAFT;

  @FieldColumn({ type: 'integer' }, () => Int, { description: 'Increases by one with every change; send it back with every change (optimistic locking)' })
  revision: number = 1;

  @FieldColumn({ type: 'date' }, () => LocalDateScalar, {
    description: 'The day the coordinator says the plan was prepared (shown; the 30-day clock runs to recordedOn)',
  })
  preparedOn!: string;

  /** Never written by the service: the column's default gives it on insert and a trigger keeps it (Migration20261209000100IpusRecordedOn). */
  @FieldColumn({ type: 'date', defaultRaw: `(now() at time zone 'Europe/Warsaw')::date` }, () => LocalDateScalar, {
    description: "The day the plan was really prepared: the server's date in Poland when it was first saved. The 30-day clock and the reports run to it",
  })
  recordedOn!: string;

  @FieldColumn({ type: 'text', nullable: true }, () => String, {
    description: 'Set when the plan was prepared more than 30 days after the application (a warning, not a refusal)',
  })
  latePreparationWarning: string | null = null;

  @FieldColumn({ type: 'date', nullable: true }, () => LocalDateScalar) submittedOn: string | null = null;
  @FieldColumn({ type: 'date', nullable: true }, () => LocalDateScalar) approvedOn: string | null = null;
  @FieldColumn({ type: 'text', nullable: true }, () => String, { description: 'Who approved it (user id)' }) approvedBy: string | null = null;
  @FieldColumn({ type: 'date', nullable: true }, () => LocalDateScalar, { description: 'When the resident agreed to the plan' }) agreedOn: string | null = null;

  @FieldColumn({ type: 'text', nullable: true }, () => String, { description: 'How the resident agreed (an AgreementHow value)' })
  agreementHow: string | null = null;

  @FieldColumn({ type: 'date', nullable: true }, () => LocalDateScalar) activatedOn: string | null = null;
  @FieldColumn({ type: 'date', nullable: true }, () => LocalDateScalar, { description: 'When it was completed or terminated' }) closedOn: string | null = null;

  @FieldColumn({ type: 'date', nullable: true }, () => LocalDateScalar, { description: 'The closing conversation with the resident (COMPLETED)' })
  closingConversationOn: string | null = null;

  @FieldColumn({ type: 'text', nullable: true }, () => String, { description: 'Why it was terminated, in words (required for OTHER)' })
  terminationReason: string | null = null;

  @FieldEnum(() => TerminationReason, { nullable: true, description: 'Why it was terminated, coded for statistics (TERMINATED)' })
  terminationCode: TerminationReason | null = null;

  /** A proposed material change waiting for approval and agreement (Ipus.pendingRevision in GraphQL, see ipus-revision-pending.ts). */
  @Property({ type: 'json', columnType: 'jsonb', nullable: true }) pendingRevision: PendingRevisionData | null = null;
  @Property({ type: 'datetime', onUpdate: () => new Date() }) updatedAt: Date = new Date();
}
