import { Field, ID, Int, ObjectType } from 'type-graphql';
import { DateTimeScalar, TerytCodeScalar } from '../../../platform/graphql/scalars.js';
import { toGlobalId } from '../../../platform/graphql/node.js';
import { idToTerc } from '../../../platform/auth/principal.js';
import type { OutboxEvent } from '../../../platform/events/outbox-event.js';
import { IpusChangeKind } from '../ipus.enums.js';

/** One change of a plan as subscribers receive it: what changed and the revision it made, nothing personal. */
@ObjectType({ description: 'A change of an individual plan (IPUS). Pass its eventId as `after` to resume from it' })
export class IpusEvent {
  @Field(() => String, { description: 'Increasing cursor of the event; resubscribe with after: eventId to receive what followed it' }) eventId!: string;
  @Field(() => ID, { description: 'The plan that changed' }) ipusId!: string;

  /** The plan's uuid, for the `ipus` field. */
  ipusKey!: string;

  @Field(() => Int, { description: 'The revision the change made' }) revision!: number;
  @Field(() => IpusChangeKind) kind!: IpusChangeKind;
  @Field(() => [String], { description: 'Paths of the fields that changed' }) changes!: string[];
  @Field(() => DateTimeScalar) occurredAt!: Date;
  @Field(() => TerytCodeScalar, { description: "The plan's gmina" }) gmina!: string;
}

export function toIpusEvent(event: OutboxEvent): IpusEvent {
  return Object.assign(new IpusEvent(), {
    eventId: event.id,
    ipusId: toGlobalId('Ipus', event.subjectId),
    ipusKey: event.subjectId,
    revision: event.revision,
    kind: event.kind as IpusChangeKind,
    changes: event.changes,
    occurredAt: event.occurredAt,
    gmina: idToTerc(event.gminaId),
  });
}
