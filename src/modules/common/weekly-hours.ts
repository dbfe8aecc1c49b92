import { Field, InputType, ObjectType } from 'type-graphql';
import { GraphQLLocalTime } from 'graphql-scalars';
import { GraphQLError, GraphQLScalarType, type ValueNode } from 'graphql';
import { LocalDateScalar } from '../../platform/graphql/scalars.js';
import { UserErrorCode, type UserErrors } from '../../platform/graphql/user-error.js';
import { Weekday } from './domain.enums.js';

/** A time taken in, refused when it carries a fraction of a second. */
function toTheSecond(time: unknown): unknown {
  if (typeof time === 'string' && time.includes('.')) {
    throw new GraphQLError(`Value is not a valid LocalTime: ${time}: give it to the second (HH:mm or HH:mm:ss)`);
  }
  return time;
}

/**
 * A time of day, `HH:mm` or `HH:mm:ss`. graphql-scalars' LocalTime also takes `HH:mm:ss.SSS`, but
 * PostgreSQL prints such a time without its trailing zeros (`10:00:00.5`), which that scalar then
 * cannot give back (and the compiled reads would give back as it is): times are taken to the second.
 */
export const LocalTimeScalar = new GraphQLScalarType({
  ...GraphQLLocalTime.toConfig(),
  parseValue: (value) => GraphQLLocalTime.parseValue(toTheSecond(value)),
  parseLiteral: (ast: ValueNode, variables) =>
    GraphQLLocalTime.parseLiteral(ast.kind === 'StringValue' ? { ...ast, value: String(toTheSecond(ast.value)) } : ast, variables),
});

/** A weekly recurrence: "Tuesdays and Thursdays 10:00-12:00", optionally between two dates. */
@ObjectType({ description: 'A weekly recurrence, e.g. Tuesdays and Thursdays 10:00-12:00, optionally between two dates' })
export class WeeklyHours {
  @Field(() => [Weekday]) weekdays!: Weekday[];
  @Field(() => LocalTimeScalar) startsAt!: string;
  @Field(() => LocalTimeScalar) endsAt!: string;
  @Field(() => LocalDateScalar, { nullable: true }) validFrom!: string | null;
  @Field(() => LocalDateScalar, { nullable: true }) validTo!: string | null;
}

@InputType()
export class WeeklyHoursInput {
  @Field(() => [Weekday]) weekdays!: Weekday[];
  @Field(() => LocalTimeScalar) startsAt!: string;
  @Field(() => LocalTimeScalar) endsAt!: string;
  @Field(() => LocalDateScalar, { nullable: true }) validFrom?: string | null;
  @Field(() => LocalDateScalar, { nullable: true }) validTo?: string | null;
}

/** `HH:mm` of a time value as PostgreSQL returns it (`10:00:00`). */
export const hhmm = (time: string): string => time.slice(0, 5);

/** At least one day, no day twice, an end after the start, validity dates in order. */
export function checkWeeklyHours(hours: WeeklyHoursInput, errors: UserErrors, at: string): void {
  if (hours.weekdays.length === 0) errors.add(`${at}.weekdays`, 'Name at least one day of the week', UserErrorCode.REQUIRED);
  if (new Set(hours.weekdays).size !== hours.weekdays.length) errors.add(`${at}.weekdays`, 'A day is listed twice', UserErrorCode.DUPLICATE);
  if (hhmm(hours.endsAt) <= hhmm(hours.startsAt)) errors.add(`${at}.endsAt`, 'Must be later than the start time', UserErrorCode.OUT_OF_RANGE);
  if (hours.validFrom && hours.validTo && hours.validTo < hours.validFrom) {
    errors.add(`${at}.validTo`, 'Must not be earlier than validFrom', UserErrorCode.OUT_OF_RANGE);
  }
}
