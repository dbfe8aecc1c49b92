import { defineEnum, type EnumValue } from '../common/graphql-enum.js';
import { TERMINATION_REASONS } from './termination-reason.js';

export const IpusStatus = defineEnum('IpusStatus', 'Where a plan is in its life; changed only by the lifecycle mutations', {
  DRAFT: 'Being prepared by the coordinator',
  AWAITING_APPROVAL: 'Submitted to the director or a services organiser',
  APPROVED: "Approved; waiting for the resident's agreement",
  ACTIVE: 'Agreed with the resident and in progress',
  COMPLETED: 'Ended (term over or goals met), with the closing summary per goal',
  TERMINATED: 'Ended early, with a reason',
});
export type IpusStatus = EnumValue<typeof IpusStatus>;

/** What one revision of a plan did: each lifecycle mutation has its own kind. */
export const IpusChangeKind = defineEnum('IpusChangeKind', 'The kind of change a revision of a plan made', {
  CREATED: 'The draft was created',
  EDITED: 'The draft was edited',
  SUBMITTED: 'Submitted for approval',
  APPROVED: 'Approved by the director or a services organiser',
  RETURNED: 'Returned to the coordinator as a draft, with a reason',
  ACTIVATED: "The resident's agreement was recorded and the plan activated",
  UPDATED: 'The active plan was updated',
  NOTE_ADDED: 'A monitoring note was added',
  COMPLETED: 'Completed, with the closing summary per goal',
  TERMINATED: 'Terminated, with a reason',
  CHANGE_PROPOSED: 'A material change of the active plan was proposed, with a reason (the plan in force is unchanged)',
  CHANGE_APPROVED: 'The proposed change was approved; it waits for the resident',
  CHANGE_RETURNED: 'The proposed change was returned to the coordinator, with a reason',
  CHANGE_WITHDRAWN: 'The proposed change was withdrawn',
  CHANGE_AGREED: 'The resident agreed to the approved change and it took effect',
});
export type IpusChangeKind = EnumValue<typeof IpusChangeKind>;

export const TerminationReason = defineEnum('TerminationReason', 'Why a plan was ended early (for statistics)', TERMINATION_REASONS);
export type TerminationReason = EnumValue<typeof TerminationReason>;

export const ProviderKind = defineEnum('ItemProviderKind', 'Who provides a service of a plan', {
  CUS: 'The CUS itself',
  PARTNER: 'A partner organisation (partnerId)',
  GMINA_UNIT: 'Another unit of the gmina (providerUnitName)',
});
export type ProviderKind = EnumValue<typeof ProviderKind>;

export const PlaceKind = defineEnum('ItemPlaceKind', 'Where a service of a plan is given', {
  LOCATION: 'At a place of the catalogue (locationId)',
  RESIDENT_HOME: "At the resident's home",
  ONLINE: 'Online',
});
export type PlaceKind = EnumValue<typeof PlaceKind>;

export const QuantityUnit = defineEnum('QuantityUnit', 'What the quantity of a plan item counts', ['HOURS', 'SESSIONS', 'DAYS', 'MEALS', 'UNITS']);
export type QuantityUnit = EnumValue<typeof QuantityUnit>;

export const SupportGiver = defineEnum('SupportGiver', 'Who gives a supporting action (always free of charge)', [
  'VOLUNTEER',
  'NEIGHBOUR',
  'SELF_HELP_GROUP',
  'FAMILY',
  'OTHER',
]);
export type SupportGiver = EnumValue<typeof SupportGiver>;

export const GoalOutcome = defineEnum('GoalOutcome', 'How far a goal was reached, in the closing summary', ['ACHIEVED', 'PARTLY_ACHIEVED', 'NOT_ACHIEVED']);
export type GoalOutcome = EnumValue<typeof GoalOutcome>;

export const AgreementHow = defineEnum('AgreementHow', 'How the resident agreed to the plan', ['IN_WRITING', 'ORALLY_IN_PERSON', 'BY_PHONE', 'ELECTRONICALLY']);
export type AgreementHow = EnumValue<typeof AgreementHow>;
