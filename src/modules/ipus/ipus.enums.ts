import { registerEnumType } from 'type-graphql';

export enum IpusStatus {
  DRAFT = 'DRAFT',
  AWAITING_APPROVAL = 'AWAITING_APPROVAL',
  APPROVED = 'APPROVED',
  ACTIVE = 'ACTIVE',
  COMPLETED = 'COMPLETED',
  TERMINATED = 'TERMINATED',
}
registerEnumType(IpusStatus, {
  name: 'IpusStatus',
  description: 'Where a plan is in its life; changed only by the lifecycle mutations',
  valuesConfig: {
    DRAFT: { description: 'Being prepared by the coordinator' },
    AWAITING_APPROVAL: { description: 'Submitted to the director or a services organiser' },
    APPROVED: { description: "Approved; waiting for the resident's agreement" },
    ACTIVE: { description: 'Agreed with the resident and in progress' },
    COMPLETED: { description: 'Ended (term over or goals met), with the closing summary per goal' },
    TERMINATED: { description: 'Ended early, with a reason' },
  },
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
registerEnumType(IpusChangeKind, {
  name: 'IpusChangeKind',
  description: 'The kind of change a revision of a plan made',
  valuesConfig: {
    CREATED: { description: 'The draft was created' },
    EDITED: { description: 'The draft was edited' },
    SUBMITTED: { description: 'Submitted for approval' },
    APPROVED: { description: 'Approved by the director or a services organiser' },
    RETURNED: { description: 'Returned to the coordinator as a draft, with a reason' },
    ACTIVATED: { description: "The resident's agreement was recorded and the plan activated" },
    UPDATED: { description: 'The active plan was updated' },
    NOTE_ADDED: { description: 'A monitoring note was added' },
    COMPLETED: { description: 'Completed, with the closing summary per goal' },
    TERMINATED: { description: 'Terminated, with a reason' },
  },
});

export enum ProviderKind {
  CUS = 'CUS',
  PARTNER = 'PARTNER',
  GMINA_UNIT = 'GMINA_UNIT',
}
registerEnumType(ProviderKind, {
  name: 'ItemProviderKind',
  description: 'Who provides a service of a plan',
  valuesConfig: {
    CUS: { description: 'The CUS itself' },
    PARTNER: { description: 'A partner organisation (partnerId)' },
    GMINA_UNIT: { description: 'Another unit of the gmina (providerUnitName)' },
  },
});

export enum PlaceKind {
  LOCATION = 'LOCATION',
  RESIDENT_HOME = 'RESIDENT_HOME',
  ONLINE = 'ONLINE',
}
registerEnumType(PlaceKind, {
  name: 'ItemPlaceKind',
  description: 'Where a service of a plan is given',
  valuesConfig: {
    LOCATION: { description: 'At a place of the catalogue (locationId)' },
    RESIDENT_HOME: { description: "At the resident's home" },
    ONLINE: { description: 'Online' },
  },
});

export enum QuantityUnit {
  HOURS = 'HOURS',
  SESSIONS = 'SESSIONS',
  DAYS = 'DAYS',
  MEALS = 'MEALS',
  UNITS = 'UNITS',
}
registerEnumType(QuantityUnit, { name: 'QuantityUnit', description: 'What the quantity of a plan item counts' });

export enum SupportGiver {
  VOLUNTEER = 'VOLUNTEER',
  NEIGHBOUR = 'NEIGHBOUR',
  SELF_HELP_GROUP = 'SELF_HELP_GROUP',
  FAMILY = 'FAMILY',
  OTHER = 'OTHER',
}
registerEnumType(SupportGiver, { name: 'SupportGiver', description: 'Who gives a supporting action (always free of charge)' });

export enum GoalOutcome {
  ACHIEVED = 'ACHIEVED',
  PARTLY_ACHIEVED = 'PARTLY_ACHIEVED',
  NOT_ACHIEVED = 'NOT_ACHIEVED',
}
registerEnumType(GoalOutcome, { name: 'GoalOutcome', description: 'How far a goal was reached, in the closing summary' });

export enum AgreementHow {
  IN_WRITING = 'IN_WRITING',
  ORALLY_IN_PERSON = 'ORALLY_IN_PERSON',
  BY_PHONE = 'BY_PHONE',
  ELECTRONICALLY = 'ELECTRONICALLY',
}
registerEnumType(AgreementHow, { name: 'AgreementHow', description: "How the resident agreed to the plan" });
