import { Arg, Authorized, Ctx, Field, FieldResolver, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { declareMutations } from '../common/mutation-table.js';
import type { RequestContext } from '../../platform/graphql/context.js';
import { badInput } from '../../platform/graphql/errors.js';
import { isUuid, registerNodeType } from '../../platform/graphql/node.js';
import { LocalDateScalar, TerytCodeScalar } from '../../platform/graphql/scalars.js';
import { Gmina } from '../gmina/gmina.entity.js';
import { gminaById } from '../gmina/gmina.loader.js';
import { CLOSED_DAY_KEEPERS, CLOSED_DAY_READERS } from './calendar-roles.js';
import { GminaClosedDay } from './closed-day.entity.js';
import { GminaClosedDayDeclareInput, GminaClosedDayDeclarePayload, GminaClosedDayWithdrawInput, GminaClosedDayWithdrawPayload } from './closed-day.inputs.js';
import { closedDaysBetween, declareClosedDay, MAX_CLOSED_DAYS_SPAN, withdrawClosedDay } from './closed-day.service.js';
import { publicHolidays } from './public-holidays.js';

/*
 * Working days: the statutory public holidays (computed, the same for everyone) and the days a gmina
 * declares closed (its director's; row-level security keeps each gmina's to its own staff, and to the
 * partners working there). Plan items' nextVisits and the partner's schedule skip both.
 */

@ObjectType({ description: 'A Polish public holiday (ustawa o dniach wolnych od pracy, art. 1)' })
export class PublicHoliday {
  @Field(() => LocalDateScalar) date!: string;
  @Field(() => String, { description: 'Its name, in Polish' }) name!: string;
}

/** Years a client may ask the holidays of: those a date holds, the computus run back before 1583 as the proleptic Gregorian calendar. */
const HOLIDAY_YEARS = { from: 1, to: 9999 };

registerNodeType('GminaClosedDay', async (ctx, key) => (isUuid(key) ? ctx.em.findOne(GminaClosedDay, { id: key }) : null));

@Resolver(() => GminaClosedDay)
export class CalendarResolver {
  @Query(() => [PublicHoliday], { description: `The public holidays of a year (${HOLIDAY_YEARS.from} to ${HOLIDAY_YEARS.to}), in date order` })
  publicHolidays(@Arg('year', () => Int) year: number): PublicHoliday[] {
    if (!Number.isInteger(year) || year < HOLIDAY_YEARS.from || year > HOLIDAY_YEARS.to) {
      throw badInput(`year must be between ${HOLIDAY_YEARS.from} and ${HOLIDAY_YEARS.to}`);
    }
    return publicHolidays(year).map((holiday) => Object.assign(new PublicHoliday(), holiday));
  }

  @Authorized(...CLOSED_DAY_READERS)
  @Query(() => [GminaClosedDay], {
    description: `Days declared closed from one day to another (inclusive, at most ${MAX_CLOSED_DAYS_SPAN} days), by day, in the gminy the caller works in; of one gmina when given`,
  })
  gminaClosedDays(
    @Ctx() ctx: RequestContext,
    @Arg('from', () => LocalDateScalar) from: string,
    @Arg('to', () => LocalDateScalar) to: string,
    @Arg('gmina', () => TerytCodeScalar, { nullable: true, description: "A gmina's TERC code" }) gmina?: string | null,
  ): Promise<GminaClosedDay[]> {
    return closedDaysBetween(ctx, from, to, gmina);
  }

  @FieldResolver(() => Gmina, { description: 'The gmina that closes' })
  async gmina(@Root() closedDay: GminaClosedDay, @Ctx() ctx: RequestContext): Promise<Gmina> {
    return (await gminaById(ctx).load(closedDay.gminaId)) as Gmina;
  }
}

declareMutations(CalendarResolver, CLOSED_DAY_KEEPERS, GminaClosedDayDeclarePayload, {
  gminaClosedDayDeclare: {
    description: 'Declare a day closed in a gmina: visits of plan items that day fall away, unless an item keeps holidays',
    input: GminaClosedDayDeclareInput,
    run: declareClosedDay,
  },
  gminaClosedDayWithdraw: {
    description: 'Withdraw a closed day still to come: it is a working day again',
    input: GminaClosedDayWithdrawInput,
    run: withdrawClosedDay,
    payload: GminaClosedDayWithdrawPayload,
  },
});
