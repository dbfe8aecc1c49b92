/**
 * The worklist's terms, shared by its SQL (worklist.queries.ts), the unit's monitoring interval
 * (cus-unit.entity.ts) and its migration (migrations/Migration20261209000300WorklistMonitoringInterval.ts).
 */

/** A plan is prepared within 30 days of the application's filing (DOMAIN.md, "From application to plan"). */
export const PREPARATION_DAYS = 30;

/**
 * How often a coordinator records a monitoring note on an active plan, unless the unit sets its own
 * interval (cusUnitUpdate's monitoringIntervalDays). The act leaves the frequency to the centre; a
 * quarter is the usual practice of the centres' regulations.
 */
export const DEFAULT_MONITORING_INTERVAL_DAYS = 90;
export const MAX_MONITORING_INTERVAL_DAYS = 366;

/**
 * Days the centre takes to accept or return a partner's monthly report. Not statutory: agreements
 * with partners commonly pay within 14 days of an accepted report, so the report is due by then.
 */
export const SETTLEMENT_REVIEW_DAYS = 14;

/**
 * Days for each step of a proposed change of an active plan (its approval, then the resident's
 * agreement). Not statutory: the centre's own term, as for settlements.
 */
export const CHANGE_STEP_DAYS = 14;

/** The worklist's default horizon: items due within this many days of today (overdue ones always). */
export const DEFAULT_DUE_WITHIN_DAYS = 30;
export const MAX_DUE_WITHIN_DAYS = 366;
