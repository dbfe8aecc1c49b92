import { uuidFromGlobalId } from '../platform/graphql/node.js';
import { registerPersonalField, registerPersonalPart, registerPersonalType } from '../platform/graphql/personal-reads.js';
import { Application, ApplicationDecision } from './application/application.entity.js';
import { AssessedNeed, NeedsAssessment } from './application/needs-assessment.entity.js';
import { Delivery, DeliveryCorrection, ItemProgress } from './delivery/delivery.entity.js';
import { AssignedPerson, PartnerAssignment } from './delivery/partner-assignment.js';
import { ScheduledVisit } from './delivery/partner-work.queries.js';
import { IpusGoal, IpusItem, IpusMonitoringNote, IpusSupportingAction } from './ipus/ipus-parts.entity.js';
import { IpusCoordinatedHelp } from './ipus/coordinated-help.entity.js';
import { IpusRevisionPlan } from './ipus/ipus-revision-plan.js';
import { IpusPendingRevision } from './ipus/ipus-revision-pending.js';
import { IpusFieldChange, IpusRevision } from './ipus/ipus-revision.js';
import { Ipus } from './ipus/ipus.entity.js';
import { IpusAgreementScan } from './ipus-scan/scan.entity.js';
import { ResidentSensitive } from './resident/resident-sensitive.entity.js';
import { ResidentIncomeDeclaration } from './fee/fee.entity.js';
import { IpusItemFee } from './fee/fee.service.js';
import { Resident, ResidentContact } from './resident/resident.entity.js';
import { SettlementLine } from './settlement/settlement-statement.js';
import { WaitingListEntry } from './waiting-list/waiting-list.entity.js';

/*
 * The residents' personal data the API can show, in one list a data-protection officer can read:
 * each type whose objects are a resident's record or part of one, and how to find whose it is. Every
 * field returning one of them, a page of them, or an interface one of them implements, logs the read
 * (src/platform/graphql/personal-reads.ts, written by src/modules/resident/access-log.ts).
 *
 * A record names its resident directly (`resident`), or through what the database ties to one: an
 * application, a plan, a plan item, a delivery. A part is only ever reached through its record, and is
 * logged as that record's read. tests/personal-data.test.ts fails when a type with a person's fields
 * is in neither list, or when a part can be reached other than through its record.
 */

// The resident's record, and what is part of it.
registerPersonalType(Resident, (resident) => ({ kind: 'resident', id: resident.id }));
registerPersonalPart(ResidentContact, 'a Resident');
registerPersonalPart(ResidentSensitive, 'a Resident (special-category data: coordinators and the director)');
registerPersonalPart(ResidentIncomeDeclaration, 'a Resident (financial data: coordinators and the director)');
// The export names the record it holds (the survivor, when the id asked for was merged into it).
registerPersonalField('Query.residentDataExport', (document: { record: { id: string } }) => [
  { kind: 'resident', id: uuidFromGlobalId(document.record.id, 'Resident') },
]);

// Applications and their needs assessments.
registerPersonalType(Application, (application) => ({ kind: 'resident', id: application.residentId }));
registerPersonalPart(ApplicationDecision, 'an Application');
registerPersonalType(NeedsAssessment, (assessment) => ({ kind: 'application', id: assessment.applicationId }));
registerPersonalPart(AssessedNeed, 'a NeedsAssessment');

// Individual plans, their goals and items (also as they stood at a revision), and the rest of a plan.
registerPersonalType(Ipus, (plan) => ({ kind: 'resident', id: plan.residentId }));
registerPersonalType(IpusGoal, (goal) => ({ kind: 'plan', id: goal.ipusId }));
registerPersonalType(IpusItem, (item) => ({ kind: 'plan', id: item.ipusId }));
// A signed plan: no personal field by name, but the file is the whole plan with the resident's signature.
registerPersonalType(IpusAgreementScan, (scan) => ({ kind: 'plan', id: scan.ipusId }));
// An item's wait for room under its commission tells that the plan's resident waits: a read of the plan.
registerPersonalType(WaitingListEntry, (entry) => ({ kind: 'plan', id: entry.ipusId }));
registerPersonalPart(IpusItemFee, 'an IpusItem (it tells the income band: coordinators and the director)');
for (const part of [IpusSupportingAction, IpusCoordinatedHelp, IpusMonitoringNote, IpusRevision, IpusFieldChange, IpusRevisionPlan, IpusPendingRevision])
  registerPersonalPart(part, 'an Ipus');

// What a partner delivers: its sessions (with notes, often about health), and its view of the person.
registerPersonalType(Delivery, (delivery) => ({ kind: 'delivery', id: delivery.id }));
registerPersonalPart(DeliveryCorrection, 'a Delivery');
registerPersonalPart(ItemProgress, 'an IpusItem or a PartnerAssignment');
registerPersonalType(PartnerAssignment, (assignment) => ({ kind: 'item', id: assignment.id }));
registerPersonalPart(AssignedPerson, 'a PartnerAssignment');
registerPersonalType(ScheduledVisit, (visit) => ({ kind: 'item', id: visit.assignment.id }));
// A settlement's line is one plan item's month (one person's sessions and absences, and for the director
// their fee, which tells the income band): read as that item, whichever settlement shows it.
registerPersonalType(SettlementLine, (line) => ({ kind: 'item', id: uuidFromGlobalId(line.assignmentId, 'PartnerAssignment') }));
