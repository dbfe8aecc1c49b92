import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { Payload } from '../common/payload.js';
import { WaitingListEntry } from './waiting-list.entity.js';

@InputType({ description: 'A plan item to put on the waiting list of its commission' })
export class WaitingListJoinInput {
  @Field(() => ID, { description: 'The plan item (IpusItem) its commission had no room for' }) itemId!: string;
}

@InputType({ description: 'An entry of the waiting list' })
export class WaitingListEntryInput {
  @Field(() => ID, { description: 'The entry (WaitingListEntry)' }) id!: string;
}

@InputType({ description: 'An entry that leaves the line, and why' })
export class WaitingListDeclineInput {
  @Field(() => ID, { description: 'The entry (WaitingListEntry)' }) id!: string;
  @Field(() => String, { description: 'Why: the resident declined the place, no longer needs the service, ...' }) reason!: string;
}

@ObjectType()
export class WaitingListEntryPayload extends Payload(() => WaitingListEntry, 'entry') {}
