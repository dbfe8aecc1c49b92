import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { LocalDateScalar, TerytCodeScalar } from '../../platform/graphql/scalars.js';
import { Payload } from '../common/payload.js';
import { GminaClosedDay } from './closed-day.entity.js';

@InputType({ description: 'A day the gmina closes' })
export class GminaClosedDayDeclareInput {
  @Field(() => TerytCodeScalar, { description: "The gmina's TERC code; one the director's centre serves" }) gmina!: string;
  @Field(() => LocalDateScalar, { description: 'Today or later; not one declared already' }) day!: string;
  @Field(() => String, { description: 'Why the gmina closes that day' }) reason!: string;
}

@InputType()
export class GminaClosedDayWithdrawInput {
  @Field(() => ID, { description: 'A closed day of today or later' }) id!: string;
}

@ObjectType()
export class GminaClosedDayDeclarePayload extends Payload(() => GminaClosedDay, 'closedDay', 'The day declared closed') {}

@ObjectType()
export class GminaClosedDayWithdrawPayload extends Payload(() => GminaClosedDay, 'closedDay', 'The day withdrawn: it is a working day again') {}
