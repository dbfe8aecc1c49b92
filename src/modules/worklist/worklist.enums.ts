import { defineEnum, type EnumValue } from '../common/graphql-enum.js';

export const WorklistKind = defineEnum('WorklistKind', 'What a worklist item asks of its staff member', {
  PLAN_DUE: 'An application without a plan: the plan is due 30 days after filing (any coordinator of the unit)',
  PLAN_APPROVAL: "A plan awaits approval (the director or a services organiser); due with the application's 30 days",
  PLAN_AGREEMENT: "An approved plan awaits the resident's agreement (its coordinator); due with the application's 30 days",
  PLAN_ENDING: 'An active plan ends on the due date: the closing conversation and summary (its coordinator)',
  MONITORING_DUE: "An active plan is due for a monitoring note, by the unit's monitoringIntervalDays (its coordinator)",
  CHANGE_APPROVAL: 'A proposed change of an active plan awaits approval (the director or a services organiser); due 14 days after it was proposed',
  CHANGE_AGREEMENT: "An approved change of an active plan awaits the resident's agreement (its coordinator); due 14 days after approval",
  SETTLEMENT_ACCEPTANCE: "A partner's monthly report awaits acceptance or return (the director or a services organiser)",
});
export type WorklistKind = EnumValue<typeof WorklistKind>;
