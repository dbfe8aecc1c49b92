/**
 * Why a plan was ended early, for statistics: each value with its description. Kept free of
 * decorators: the migration that checks the column imports it, and ipus.enums.ts makes it the
 * GraphQL enum TerminationReason.
 */
export const TERMINATION_REASONS = {
  DEATH: 'The resident died',
  MOVED_AWAY: 'The resident moved out of the gmina',
  RESIDENT_RESIGNED: 'The resident resigned from the plan',
  GOALS_REACHED_EARLY: "The plan's goals were reached before its end",
  OTHER: 'Another reason, stated in the free text (required)',
} as const;

export type TerminationCode = keyof typeof TERMINATION_REASONS;
export const TERMINATION_CODES = Object.keys(TERMINATION_REASONS) as TerminationCode[];
