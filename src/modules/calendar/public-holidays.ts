import { addDays } from '../common/dates.js';

/*
 * Polish public holidays (ustawa z dnia 18 stycznia 1951 r. o dniach wolnych od pracy, art. 1), as the act
 * stands today, with the two changes that fall in years plans run in: 6 January (Trzech Króli) is a holiday
 * again from 2011, 24 December (Wigilia) is one from 2025. Earlier history of the act is not modelled.
 *
 * The database computes the same days (app.public_holidays, Migration20261209000500WorkingDays) to skip
 * them in schedules; tests/working-days.test.ts checks the two agree over 1900..2200.
 */

/** The first year 6 January is a public holiday again (ustawa z 24 września 2010). */
export const EPIPHANY_FROM = 2011;
/** The first year 24 December is a public holiday (ustawa z 6 grudnia 2024). */
export const CHRISTMAS_EVE_FROM = 2025;

export interface PublicHoliday {
  /** `YYYY-MM-DD` */
  date: string;
  /** The holiday's Polish name, as the act names it. */
  name: string;
}

const pad = (n: number) => String(n).padStart(2, '0');
const day = (year: number, month: number, date: number) => `${String(year).padStart(4, '0')}-${pad(month)}-${pad(date)}`;

/** Easter Sunday of a year by the Gregorian computus (the anonymous algorithm of Meeus, Jones and Butcher). */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const date = ((h + l - 7 * m + 114) % 31) + 1;
  return day(year, month, date);
}

/** The public holidays of a year, in date order. */
export function publicHolidays(year: number): PublicHoliday[] {
  const easter = easterSunday(year);
  const list: PublicHoliday[] = [
    { date: day(year, 1, 1), name: 'Nowy Rok' },
    ...(year >= EPIPHANY_FROM ? [{ date: day(year, 1, 6), name: 'Święto Trzech Króli' }] : []),
    { date: easter, name: 'Wielkanoc' },
    { date: addDays(easter, 1), name: 'Poniedziałek Wielkanocny' },
    { date: day(year, 5, 1), name: 'Święto Państwowe' },
    { date: day(year, 5, 3), name: 'Święto Narodowe Trzeciego Maja' },
    { date: addDays(easter, 49), name: 'Zielone Świątki (Zesłanie Ducha Świętego)' },
    { date: addDays(easter, 60), name: 'Boże Ciało' },
    { date: day(year, 8, 15), name: 'Wniebowzięcie Najświętszej Maryi Panny' },
    { date: day(year, 11, 1), name: 'Wszystkich Świętych' },
    { date: day(year, 11, 11), name: 'Narodowe Święto Niepodległości' },
    ...(year >= CHRISTMAS_EVE_FROM ? [{ date: day(year, 12, 24), name: 'Wigilia Bożego Narodzenia' }] : []),
    { date: day(year, 12, 25), name: 'Boże Narodzenie (pierwszy dzień)' },
    { date: day(year, 12, 26), name: 'Boże Narodzenie (drugi dzień)' },
  ];
  return list.sort((x, y) => x.date.localeCompare(y.date));
}

/** Whether a `YYYY-MM-DD` day is a public holiday. */
export function isPublicHoliday(date: string): boolean {
  return publicHolidays(Number(date.slice(0, 4))).some((holiday) => holiday.date === date);
}
