/**
 * How long a partner still sees an assignment after the ground for it ended (the plan completed or
 * terminated, the commission suspended, completed or terminated): the person's name and the item, never
 * contact or address, so that it can finish its records and report to the centre. After that the item
 * is gone from its view; its own deliveries stay, without the person. Read by the partner_assignment
 * view (migrations/Migration20261207000310PartnerGround.ts).
 */
export const PARTNER_ACCESS_WINDOW_DAYS = 30;

/** Plan statuses in which a partner serves the person (and sees contact and, for home services, the address). */
export const PLAN_STATUSES_SERVED = ['APPROVED', 'ACTIVE'] as const;
