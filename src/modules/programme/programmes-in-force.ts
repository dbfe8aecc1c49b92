import { Field, ObjectType } from 'type-graphql';
import { LocalDateScalar } from '../../platform/graphql/scalars.js';
import type { RequestContext } from '../../platform/graphql/context.js';
import { Programme, ProgrammeStatus } from './programme.entity.js';

/** The answer to "which programmes and services are in force on date D in gmina G". */
@ObjectType({ description: 'Programmes of a gmina in force on a date, and the services they offer' })
export class ProgrammesInForce {
  @Field(() => LocalDateScalar) date!: string;
  gminaId!: number;
  @Field(() => [Programme], { description: 'Adopted programmes whose period contains the date, earliest start first' }) programmes!: Programme[];
}

/**
 * ADOPTED programmes of the gmina whose period contains `on`; an EXPIRED one counts for the days before
 * its expiredOn. Several may be in force at once.
 */
export async function findProgrammesInForce(ctx: RequestContext, gminaId: number, on: string): Promise<Programme[]> {
  return ctx.em.find(
    Programme,
    {
      gminaId,
      periodStart: { $lte: on },
      periodEnd: { $gte: on },
      $or: [{ status: ProgrammeStatus.ADOPTED }, { status: ProgrammeStatus.EXPIRED, expiredOn: { $gt: on } }],
    },
    { orderBy: { periodStart: 'asc', title: 'asc', id: 'asc' } },
  );
}
