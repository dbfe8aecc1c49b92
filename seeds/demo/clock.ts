import { addDays, todayInPoland } from '../../src/modules/common/dates.js';

/**
 * The day the demo's story is told from. Its applications, plans, deliveries, commissions, programmes
 * and surveys are written with dates around this day, and the rules compare such dates with today (an
 * agreement not in the future, a programme in force on an item's days, a survey open), so the seeder
 * moves every one of them by the days between this day and the day it runs: a demo seeded a year
 * later tells the same story a year later. The 2021 history (the diagnosis, the consultation, the
 * partner council's meetings, the units' founding) is history, and stays where it was.
 */
export const STORY_DAY = '2026-12-07';

/** A date of the story (`YYYY-MM-DD`, as the seeds write it) moved to the calendar of the day the demo is seeded. */
export type DemoClock = (storyDate: string) => string;

const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / 86_400_000;

/** Days from the story's day to the seeding day; whole days, so a date keeps its distance from today. */
export const storyShift = (seedDay: string): number => dayNumber(seedDay) - dayNumber(STORY_DAY);

/** The clock of a demo seeded on `seedDay` (default: today in Poland, the day the rules count from). */
export function demoClock(seedDay: string = todayInPoland()): DemoClock {
  const shift = storyShift(seedDay);
  return (storyDate) => addDays(storyDate, shift);
}

/** The year of a `YYYY-MM-DD` day, for numbers and titles that carry one ("CUS.526.3.2026"). */
export const yearOf = (day: string): number => Number(day.slice(0, 4));

/** A period's years as titles name them: "2026", or "2026/2027" when it runs into the next year. */
export const yearsOf = (start: string, end: string): string => (yearOf(start) === yearOf(end) ? String(yearOf(start)) : `${yearOf(start)}/${yearOf(end)}`);

const WEEKDAYS = ['SU', 'MO', 'TU', 'WE', 'TH', 'FR', 'SA'] as const;

/** The weekday code (MO..SU) of a day: a weekly item meets on the weekday its moved sessions fall on. */
export const weekdayOf = (day: string): string => WEEKDAYS[new Date(`${day}T00:00:00Z`).getUTCDay()];
