import { WEEKDAY_LABELS } from './domain.labels.js';
import type { Weekday } from './domain.enums.js';
import { hhmm } from './weekly-hours.js';

/** When a plan item's sessions are, as the plan's fields hold it. */
export interface SessionSchedule {
  weekdays?: readonly string[] | null;
  startsAt?: string | null;
  endsAt?: string | null;
  sessionCount?: number | null;
}

/** The schedule in Polish, e.g. "wt., czw. 10:00–12:00 8 spotkań"; empty when the plan sets none (it is agreed as they go). */
export function scheduleText(s: SessionSchedule): string {
  const days = s.weekdays?.length ? s.weekdays.map((d) => WEEKDAY_LABELS[d as Weekday] ?? d).join(', ') : null;
  const hours = s.startsAt && s.endsAt ? `${hhmm(s.startsAt)}–${hhmm(s.endsAt)}` : null;
  const sessions = s.sessionCount ? `${s.sessionCount} spotkań` : null;
  return [days, hours, sessions].filter(Boolean).join(' ');
}
