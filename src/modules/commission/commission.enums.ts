import { defineEnum, type EnumValue } from '../common/graphql-enum.js';

/** How a CUS commissions a service (DOMAIN.md, "Commissioning services to partners"). */
export const CommissionProcedure = defineEnum('CommissionProcedure', {
  OPEN_CALL: 'Open call for offers under the act on public benefit activity and volunteering (otwarty konkurs ofert)',
  SMALL_GRANT: 'The small-grant route of that act, without an open call (art. 19a)',
  PUBLIC_PROCUREMENT: 'Public procurement under the Pzp act',
  PUBLIC_BODY_AGREEMENT: 'An agreement with another public body',
  IN_HOUSE: 'Delivered in-house (by a unit of the gmina)',
});
export type CommissionProcedure = EnumValue<typeof CommissionProcedure>;

export const CommissionStatus = defineEnum(
  'CommissionStatus',
  'Changed only by commissionActivate, commissionSuspend, commissionResume, commissionComplete and commissionTerminate',
  {
    PLANNED: 'Being prepared; nothing can be assigned yet',
    ACTIVE: 'The agreement is in force: plan items can be assigned within its capacity',
    SUSPENDED: 'Paused (with a reason): assignments stay, no new ones',
    COMPLETED: 'Carried out to its end',
    TERMINATED: 'Ended early (with a reason)',
  },
);
export type CommissionStatus = EnumValue<typeof CommissionStatus>;

export const VolumeUnit = defineEnum('VolumeUnit', 'What the quantitative indicator of a commission counts', ['HOURS', 'SESSIONS']);
export type VolumeUnit = EnumValue<typeof VolumeUnit>;

export const DeliveryOutcome = defineEnum('DeliveryOutcome', 'What happened at a scheduled session', [
  'DELIVERED',
  'RESIDENT_ABSENT',
  'CANCELLED_BY_PROVIDER',
  'CANCELLED_BY_RESIDENT',
]);
export type DeliveryOutcome = EnumValue<typeof DeliveryOutcome>;

export const AssignmentEventKind = defineEnum('AssignmentEventKind', {
  ASSIGNED: 'A new item for you (an approved plan, or an item added or moved to you)',
  CHANGED: 'The schedule, place, dates or quantity of an item changed (see changes)',
  WITHDRAWN: 'The item is no longer yours (removed from the plan or given to another provider)',
  ENDED: 'The plan was completed or terminated, or (changes: commissionStatus) the commission the item falls under: deliver no more',
  SUSPENDED: 'The commission the item falls under was suspended (changes: commissionStatus): deliver nothing until it is RESUMED',
  RESUMED: 'The suspended commission the item falls under is active again (changes: commissionStatus): deliver as planned',
});
export type AssignmentEventKind = EnumValue<typeof AssignmentEventKind>;
