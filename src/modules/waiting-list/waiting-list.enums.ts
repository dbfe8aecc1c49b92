import { defineEnum, type EnumValue } from '../common/graphql-enum.js';

export const WaitingListStatus = defineEnum('WaitingListStatus', 'Where a plan item is on the waiting list of its commission', {
  WAITING: 'In line, in the order its application was filed',
  OFFERED: 'A place freed and it was first in line: the place is held for it until the coordinator answers',
  ACCEPTED: 'The resident took the place; the plan goes on to approval, which the held place lets through',
  DECLINED: 'The resident declined the place or no longer waits',
  REMOVED: 'Taken off the line: the item was removed or its plan closed',
});
export type WaitingListStatus = EnumValue<typeof WaitingListStatus>;

export const WAITING_LIST_STATUSES = Object.values(WaitingListStatus);
/** Statuses of an entry still in line (the rest are ended, with ended_on). */
export const WAITING_LIST_LIVE: readonly WaitingListStatus[] = [WaitingListStatus.WAITING, WaitingListStatus.OFFERED];
