import { Entity } from '@mikro-orm/decorators/legacy';
import { GraphQLJSON } from 'graphql-scalars';
import { Int, ObjectType } from 'type-graphql';
import { ResidentLogEntry } from './resident-log-entry.entity.js';
import { FieldColumn } from '../common/field-column.js';

/**
 * One search by a member of staff over residents' records (residents, applications, plans,
 * deliveries), with its criteria: it can tell whether a person is a resident, or how their case
 * stands, without showing a record. Written by access-log.ts; append-only like the access log.
 */
@Entity({ tableName: 'resident_search_log' })
@ObjectType({ description: "A search of residents' records by a member of staff: who, when, with which criteria, how many matched" })
export class ResidentSearchLogEntry extends ResidentLogEntry {
  @FieldColumn({ type: 'text' }, () => String, {
    description: 'The search, as the server saw it: the operation type and the field searched (`query residents`)',
  })
  operation!: string;

  @FieldColumn({ type: 'json' }, () => GraphQLJSON, {
    description: 'The arguments of the search other than paging, as given (a PESEL looked up is kept, so the person can learn who looked them up)',
  })
  criteria!: Record<string, unknown>;

  @FieldColumn({ type: 'integer', nullable: true }, () => Int, { description: 'How many matched, when the search read its totalCount' })
  counted!: number | null;
}
