import { registerEnum } from '../common/graphql-enum.js';

export enum IpusStatus {
  DRAFT = 'DRAFT',
  AWAITING_APPROVAL = 'AWAITING_APPROVAL',
  APPROVED = 'APPROVED',
  ACTIVE = 'ACTIVE',
  COMPLETED = 'COMPLETED',
  TERMINATED = 'TERMINATED',
}
registerEnum(IpusStatus, 'IpusStatus', 'Where a plan is in its life; changed only by the lifecycle mutations', {
  DRAFT: 'Being prepared by the coordinator',
  AWAITING_APPROVAL: 'Submitted to the director or a services organiser',
  APPROVED: "Approved; waiting for the resident's agreement",
  ACTIVE: 'Agreed with the resident and in progress',
  COMPLETED: 'Ended (term over or goals met), with the closing summary per goal',
  TERMINATED: 'Ended early, with a reason',
});

/** What one revision of a plan did: each lifecycle mutation has its own kind. */
export enum IpusChangeKind {
  CREATED = 'CREATED',
  EDITED = 'EDITED',
  SUBMITTED = 'SUBMITTED',
  APPROVED = 'APPROVED',
  RETURNED = 'RETURNED',
  ACTIVATED = 'ACTIVATED',
  UPDATED = 'UPDATED',
  NOTE_ADDED = 'NOTE_ADDED',
  COMPLETED = 'COMPLETED',
  TERMINATED = 'TERMINATED',
}
registerEnum(IpusChangeKind, 'IpusChangeKind', 'The kind of change a revision of a plan made', {
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
});

export enum ProviderKind {
  CUS = 'CUS',
  PARTNER = 'PARTNER',
  GMINA_UNIT = 'GMINA_UNIT',
}
registerEnum(ProviderKind, 'ItemProviderKind', 'Who provides a service of a plan', {
  CUS: 'The CUS itself',
  PARTNER: 'A partner organisation (partnerId)',
  GMINA_UNIT: 'Another unit of the gmina (providerUnitName)',
});

export enum PlaceKind {
  LOCATION = 'LOCATION',
  RESIDENT_HOME = 'RESIDENT_HOME',
  ONLINE = 'ONLINE',
}
registerEnum(PlaceKind, 'ItemPlaceKind', 'Where a service of a plan is given', {
  LOCATION: 'At a place of the catalogue (locationId)',
  RESIDENT_HOME: "At the resident's home",
  ONLINE: 'Online',
});

export enum QuantityUnit {
  HOURS = 'HOURS',
  SESSIONS = 'SESSIONS',
  DAYS = 'DAYS',
  MEALS = 'MEALS',
  UNITS = 'UNITS',
}
registerEnum(QuantityUnit, 'QuantityUnit', 'What the quantity of a plan item counts');

export enum SupportGiver {
  VOLUNTEER = 'VOLUNTEER',
  NEIGHBOUR = 'NEIGHBOUR',
  SELF_HELP_GROUP = 'SELF_HELP_GROUP',
  FAMILY = 'FAMILY',
  OTHER = 'OTHER',
}
registerEnum(SupportGiver, 'SupportGiver', 'Who gives a supporting action (always free of charge)');

export enum GoalOutcome {
  ACHIEVED = 'ACHIEVED',
  PARTLY_ACHIEVED = 'PARTLY_ACHIEVED',
  NOT_ACHIEVED = 'NOT_ACHIEVED',
}
registerEnum(GoalOutcome, 'GoalOutcome', 'How far a goal was reached, in the closing summary');

export enum AgreementHow {
  IN_WRITING = 'IN_WRITING',
  ORALLY_IN_PERSON = 'ORALLY_IN_PERSON',
  BY_PHONE = 'BY_PHONE',
  ELECTRONICALLY = 'ELECTRONICALLY',
}
registerEnum(AgreementHow, 'AgreementHow', "How the resident agreed to the plan");
