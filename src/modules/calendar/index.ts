import { CalendarResolver } from './calendar.resolver.js';
import { GminaClosedDay } from './closed-day.entity.js';

export const calendarEntities: Function[] = [GminaClosedDay];
export const calendarResolvers: Function[] = [CalendarResolver];
