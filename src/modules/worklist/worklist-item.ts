import { Field, ID, ObjectType } from 'type-graphql';
import { toGlobalId } from '../../platform/graphql/node.js';
import { LocalDateScalar } from '../../platform/graphql/scalars.js';
import { Role } from '../../platform/auth/roles.js';
import { WorklistKind } from './worklist.enums.js';

export interface WorklistItemRow {
  kind: WorklistKind;
  due_on: string;
  subject_type: 'Application' | 'Ipus' | 'Settlement';
  subject_id: string;
  cus_unit_id: string;
  actor_name: string | null;
  actor_roles: Role[];
  title: string;
}

@ObjectType({ description: 'One thing a staff member must act on' })
export class WorklistItem {
  @Field(() => WorklistKind) kind!: WorklistKind;
  @Field(() => LocalDateScalar, { description: 'The day it is due (the worklist is in this order, overdue items first)' }) dueOn!: string;
  @Field(() => Boolean, { description: 'Due before today' }) overdue!: boolean;
  @Field(() => ID, { description: 'The global id of what to act on: an Application, an Ipus or a Settlement (read it with node(id:))' }) subjectId!: string;
  @Field(() => String, { description: 'A short title, without personal data' }) title!: string;
  @Field(() => [Role], { description: 'The roles that act on it (in its unit)' }) actorRoles!: Role[];
  @Field(() => String, { nullable: true, description: "The coordinator who must act, when the item is a plan's (null: anyone of actorRoles)" })
  actorName!: string | null;
  @Field(() => ID, { description: 'The CUS unit the item belongs to' }) cusUnitId!: string;

  /** The subject's uuid, the cursor's last part. */
  subjectKey!: string;

  static of(row: WorklistItemRow, today: string): WorklistItem {
    return Object.assign(new WorklistItem(), {
      kind: row.kind,
      dueOn: row.due_on,
      overdue: row.due_on < today,
      subjectId: toGlobalId(row.subject_type, row.subject_id),
      title: row.title,
      actorRoles: row.actor_roles,
      actorName: row.actor_name,
      cusUnitId: toGlobalId('CusUnit', row.cus_unit_id),
      subjectKey: row.subject_id,
    });
  }
}
