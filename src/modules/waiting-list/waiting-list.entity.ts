import { Entity, Property } from '@mikro-orm/decorators/legacy';
import { ObjectType } from 'type-graphql';
import { Node } from '../../platform/graphql/node.js';
import { DateTimeScalar, LocalDateScalar } from '../../platform/graphql/scalars.js';
import { TenantNode } from '../common/entity-bases.js';
import { FieldColumn, FieldEnum } from '../common/field-column.js';
import { WaitingListStatus } from './waiting-list.enums.js';

/**
 * A plan item waiting for room under its commission (migrations/Migration20261209000400WaitingList.ts).
 * The line is ordered by the application's filing (filedOn, then filedAt and the application's id), not
 * by when the item joined; the dates of the wait stay on the row after it ends, for reports.
 */
@Entity({ tableName: 'waiting_list_entry' })
@ObjectType({ implements: Node, description: 'A plan item on the waiting list of a commission that had no room for it; part of the plan (reads are logged)' })
export class WaitingListEntry extends TenantNode {
  @Property({ type: 'uuid' }) ipusId!: string;
  /** Null once the item was removed from its plan (the entry then is REMOVED). */
  @Property({ type: 'uuid', nullable: true }) ipusItemId: string | null = null;
  @Property({ type: 'uuid' }) commissionId!: string;
  @Property({ type: 'uuid' }) applicationId!: string;
  @FieldColumn({ type: 'date' }, () => LocalDateScalar, { description: "The application's filing day: the line's order" }) filedOn!: string;
  @FieldColumn({ type: 'datetime' }, () => DateTimeScalar, { description: 'When the application was recorded: the order among those filed the same day' })
  filedAt!: Date;
  @FieldEnum(() => WaitingListStatus) status: WaitingListStatus = WaitingListStatus.WAITING;
  @FieldColumn({ type: 'date' }, () => LocalDateScalar, { description: 'When the item joined the line (the wait counts from it)' }) joinedOn!: string;
  @FieldColumn({ type: 'text' }, () => String, { description: 'Who put it on the line (user id)' }) joinedBy!: string;
  @FieldColumn({ type: 'date', nullable: true }, () => LocalDateScalar, { description: 'When a freed place was offered to it' }) offeredOn: string | null =
    null;
  @FieldColumn({ type: 'datetime', nullable: true }, () => DateTimeScalar, { description: 'When the place was offered, to the second' })
  offeredAt: Date | null = null;
  @FieldColumn({ type: 'date', nullable: true }, () => LocalDateScalar, { description: 'When the wait ended: accepted, declined or removed' }) endedOn:
    string | null = null;
  @FieldColumn({ type: 'text', nullable: true }, () => String, { description: 'Who ended it (user id); none when the system did' }) endedBy: string | null =
    null;
  @FieldColumn({ type: 'text', nullable: true }, () => String, { description: 'Why it was declined or removed' }) endReason: string | null = null;
}
