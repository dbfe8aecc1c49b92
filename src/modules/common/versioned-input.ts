import { Field, ID, InputType, Int } from 'type-graphql';

/**
 * The input of a change to one editable row: its `id` and the `version` last read (optimistic
 * locking; a stale one is CONFLICT). Named by no field, it is never in the schema itself (as Payload).
 */
@InputType()
export abstract class VersionedInput {
  @Field(() => ID) id!: string;
  @Field(() => Int) version!: number;
}
