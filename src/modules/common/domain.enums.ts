import { AREA_LABELS, TARGET_GROUP_LABELS } from './domain.labels.js';
import { defineEnum, type EnumValue } from './graphql-enum.js';

/** The 14 areas of social services of art. 2(1) of the act of 19 July 2019, in the act's order; described by their Polish names. */
export const ServiceArea = defineEnum('ServiceArea', 'Area of social services, art. 2(1) of the act on CUS, in the order of the act', AREA_LABELS);
export type ServiceArea = EnumValue<typeof ServiceArea>;

/** Groups of residents a service, a need or a programme is for; described by their Polish names. */
export const TargetGroup = defineEnum('TargetGroup', TARGET_GROUP_LABELS);
export type TargetGroup = EnumValue<typeof TargetGroup>;

/** Days of the week, as iCalendar (and HSDS `byday`) spell them. */
export const Weekday = defineEnum('Weekday', 'Day of the week (iCalendar BYDAY codes)', ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU']);
export type Weekday = EnumValue<typeof Weekday>;

/** How much a service costs the resident. */
export const FeeKind = defineEnum('FeeKind', {
  FREE: 'Free of charge',
  FIXED: 'A fixed amount per unit (e.g. per hour)',
  INCOME_DEPENDENT: 'Depends on income, as the programme of social services sets it',
});
export type FeeKind = EnumValue<typeof FeeKind>;
