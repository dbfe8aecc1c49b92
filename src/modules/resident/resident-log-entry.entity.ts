import { PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { ObjectType } from 'type-graphql';
import { Role } from '../../platform/auth/roles.js';
import { DateTimeScalar } from '../../platform/graphql/scalars.js';
import { FieldColumn, FieldEnum } from '../common/field-column.js';

/**
 * What the access log and the search log both keep of an entry: who acted, in which role, when, in
 * which gmina. An object type only so that both entries inherit its fields; it has no table and no
 * GraphQL type of its own.
 */
@ObjectType()
export abstract class ResidentLogEntry {
  @PrimaryKey({ type: 'bigint' }) id!: string;
  @Property({ type: 'integer' }) gminaId!: number;
  @FieldColumn({ type: 'datetime' }, () => DateTimeScalar) accessedAt!: Date;
  @FieldColumn({ type: 'text' }, () => String, { description: "The reader's user id (the token's subject)" }) subject!: string;
  @FieldEnum(() => Role, { description: 'The role the reader acted in' }) role!: Role;
}
