import { Role } from '../../platform/auth/roles.js';

/**
 * Who gets protected figures and how (README, "Reports"). Shared by app.report (migrations import
 * these lists) and the service, so the two never disagree.
 */

/** Principals with no access to personal data: they read counts of persons perturbed and magnitudes protected. */
export const PROTECTED_ROLES: string[] = [Role.MINISTRY, Role.GMINA_OFFICIAL];

/** Counts of persons, published by the cell key method (true count + the perturbation table's deviation). */
export const PERTURBED_MEASURES = [
  'APPLICATIONS_RECEIVED',
  'APPLICATIONS_QUALIFIED',
  'APPLICATIONS_REFUSED',
  'APPLICATIONS_FORWARDED',
  'PLANS_PREPARED',
  'PLANS_ACTIVATED',
  'PLANS_COMPLETED',
  'PLANS_TERMINATED',
  'PLANS_ACTIVE',
  'RESIDENTS_SERVED',
];

/** Magnitudes that stand for services to persons: hidden with too few persons behind them or one person most of them. */
export const MAGNITUDE_MEASURES = ['DELIVERIES', 'DELIVERY_HOURS', 'COMMISSION_BUDGET_USED'];

/** Calendar periods a protected report may cover: a month, a quarter, a half-year or a year. */
export const PERIOD_MONTHS = [1, 3, 6, 12];

export const isProtected = (role: string): boolean => PROTECTED_ROLES.includes(role);
