import { OptionalProps } from '@mikro-orm/core';
import { PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { Int, ObjectType } from 'type-graphql';
import { randomUUID } from 'node:crypto';
import { Node } from '../../platform/graphql/node.js';
import { FieldColumn } from './field-column.js';

/**
 * The columns every tenant node table shares: a uuid key, the tenant column gmina_id (which row-level
 * security filters on) and created_at. It has no table and no GraphQL type of its own (no field: its
 * subclasses get Node's `id` by `implements: Node`).
 */
export abstract class TenantNode extends Node {
  /**
   * em.create may leave out any property: TypeScript cannot tell a column with a default (id, version,
   * timestamps, a status) or a getter from a required column, and the NOT NULL constraints catch a
   * missing one. Names and types of what is given are still checked.
   */
  [OptionalProps]?: string;

  @PrimaryKey({ type: 'uuid' }) id: string = randomUUID();

  /** The tenant column; each entity says whose gmina it is. */
  @Property({ type: 'integer' }) gminaId!: number;
  @Property({ type: 'datetime', onCreate: () => new Date() }) createdAt: Date = new Date();
}

/**
 * A tenant node that clients edit: optimistic locking on `version` (a field) and updated_at. An object
 * type only so that its subclasses inherit the `version` field; implementing nothing and named by no
 * field, it never appears in the schema itself.
 */
@ObjectType()
export abstract class EditableTenantNode extends TenantNode {
  @FieldColumn({ type: 'integer', version: true }, () => Int, { description: 'Increases with every change; send it back to update (optimistic locking)' })
  version!: number;

  @Property({ type: 'datetime', onUpdate: () => new Date() }) updatedAt: Date = new Date();
}
