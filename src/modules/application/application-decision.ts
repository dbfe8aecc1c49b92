import { addDays } from '../common/dates.js';
import { isPublicHoliday } from '../calendar/public-holidays.js';

/** Days for an appeal from a decision, counted from the day after its delivery (KPA art. 129 § 2, art. 57 § 1). */
export const APPEAL_DAYS = 14;

/**
 * The last day to appeal a decision delivered on `deliveredOn`: 14 days on; a deadline ending on a Saturday,
 * a Sunday or a public holiday ends on the next working day (KPA art. 57 § 4).
 */
export function appealDeadline(deliveredOn: string): string {
  let day = addDays(deliveredOn, APPEAL_DAYS);
  while ([0, 6].includes(new Date(`${day}T00:00:00Z`).getUTCDay()) || isPublicHoliday(day)) day = addDays(day, 1);
  return day;
}

/** The instruction on appeal (pouczenie) a refusal decision carries (KPA art. 107 § 1, art. 127–129). */
export function appealInstruction(appealBody: string): string {
  return (
    `Od niniejszej decyzji przysługuje odwołanie do ${appealBody} za pośrednictwem organu, który wydał decyzję, ` +
    `w terminie ${APPEAL_DAYS} dni od dnia jej doręczenia. W trakcie biegu terminu do wniesienia odwołania strona może ` +
    `zrzec się prawa do jego wniesienia wobec organu, który wydał decyzję; z dniem doręczenia oświadczenia o zrzeczeniu się ` +
    `prawa do wniesienia odwołania decyzja staje się ostateczna i prawomocna.`
  );
}
