import { Field, InputType, ObjectType } from 'type-graphql';
import { GraphQLLocalTime } from 'graphql-scalars';
import { LocalDateScalar } from '../../platform/graphql/scalars.js';
import { UserErrorCode, type UserErrors } from '../../platform/graphql/user-error.js';
import { Weekday } from './domain.enums.js';

/** A time of day, `HH:mm` or `HH:mm:ss`. */
export const LocalTimeScalar = GraphQLLocalTime;

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
