import type { GraphQLScalarType } from 'graphql';
import { Field, ObjectType, type ClassType } from 'type-graphql';
import { UserError } from '../../platform/graphql/user-error.js';

type PayloadShape<K extends string, T> = { [P in K]: T | null } & { userErrors: UserError[] };

/** A payload class with the key its result goes under (for declareMutations, common/mutation-table.ts). */
export type PayloadClass = ClassType & { resultKey: string };

/**
 * The payload of a mutation that returns one `T` under `key` (null when it refused) with its
 * userErrors: `@ObjectType() class DiagnosisPayload extends Payload(() => Diagnosis, 'diagnosis') {}`,
 * or a scalar: `Payload(() => ID, 'removedId')`.
 * The base is an object type only so that the subclass inherits its fields; named by no field, it is
 * never in the schema itself (as EditableTenantNode). `type` is a function, as in
 * `@Field`, so that a class imported in a cycle is read once it is defined.
 */
export function Payload<T, K extends string>(type: () => ClassType<T & object> | GraphQLScalarType<T>, key: K, description?: string) {
  @ObjectType()
  abstract class PayloadBase {
    static readonly resultKey: K = key;
    @Field(() => [UserError]) userErrors!: UserError[];
  }
  Field(type, { nullable: true, ...(description !== undefined && { description }) })(PayloadBase.prototype, key);
  return PayloadBase as (abstract new () => PayloadShape<K, T>) & { resultKey: K };
}
