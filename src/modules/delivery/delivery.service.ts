import type { RequestContext } from '../../platform/graphql/context.js';
import { uuidFromGlobalId } from '../../platform/graphql/node.js';
import { UserErrorCode, UserErrors } from '../../platform/graphql/user-error.js';
import { todayInPoland } from '../common/dates.js';
import { flushUnlessDuplicate } from '../common/duplicate.js';
import { findVisible, isCurrentVersion } from '../common/find.js';
import { ok, refuse, textOrNull, type Result } from '../common/result.js';
import { CommissionStatus, DeliveryOutcome } from '../commission/commission.enums.js';
import { IpusStatus } from '../ipus/ipus.enums.js';
import { Delivery } from './delivery.entity.js';
import type { DeliveryCorrectInput, DeliveryRecordInput } from './delivery.inputs.js';
import { noteKey, noteOfDelivery } from './delivery.loader.js';
import { assignmentById, type PartnerAssignment } from './partner-assignment.js';

/** Outcomes that say the session took place (or was due and missed): not recorded ahead of time. */
const HAPPENED: readonly DeliveryOutcome[] = [DeliveryOutcome.DELIVERED, DeliveryOutcome.RESIDENT_ABSENT];
const RECORDABLE_PLANS: readonly IpusStatus[] = [IpusStatus.ACTIVE, IpusStatus.COMPLETED, IpusStatus.TERMINATED];

interface Session {
  deliveredOn: string;
  startsAt: string;
  durationMinutes: number;
  outcome: DeliveryOutcome;
  note: string | null;
}

/**
 * A delivery draws on the commission's budget: it is recorded, and corrected, under an ACTIVE commission
 * only (the database refuses it too: migrations, delivery_guard).
 */
function checkCommission(assignment: PartnerAssignment, field: string, errors: UserErrors): boolean {
  if (assignment.commissionStatus === CommissionStatus.ACTIVE) return true;
  errors.add(field, `The commission is ${assignment.commissionStatus}; deliveries are recorded and corrected under an ACTIVE commission`, UserErrorCode.NOT_ALLOWED);
  return false;
}

/** The session fits the item: its dates, the plan's active time, no future for what happened, sane length. */
function checkSession(assignment: PartnerAssignment, session: Session, errors: UserErrors): void {
  if (!RECORDABLE_PLANS.includes(assignment.planStatus)) {
    errors.add('assignmentId', `The plan is ${assignment.planStatus}; deliveries are recorded once it is active`, UserErrorCode.NOT_ALLOWED);
    return;
  }
  const from = assignment.planActivatedOn && assignment.planActivatedOn > assignment.startOn ? assignment.planActivatedOn : assignment.startOn;
  const to = assignment.planClosedOn && assignment.planClosedOn < assignment.endOn ? assignment.planClosedOn : assignment.endOn;
  if (session.deliveredOn < from || session.deliveredOn > to) {
    errors.add('deliveredOn', `The item runs from ${from} to ${to}; a delivery falls within it`, UserErrorCode.OUT_OF_RANGE);
  }
  if (HAPPENED.includes(session.outcome) && session.deliveredOn > todayInPoland()) {
    errors.add('deliveredOn', `A session that is ${session.outcome} cannot be in the future`, UserErrorCode.OUT_OF_RANGE);
  }
  if (!Number.isInteger(session.durationMinutes) || session.durationMinutes < 1 || session.durationMinutes > 1440) {
    errors.add('durationMinutes', 'From 1 to 1440 minutes', UserErrorCode.OUT_OF_RANGE);
  }
  if (session.note !== null && session.note.length > 500) errors.add('note', 'At most 500 characters', UserErrorCode.OUT_OF_RANGE);
}

/**
 * Writes the note of a delivery's current version. Notes live apart from the session's row, in
 * `delivery_note`, which only the coordinators, the director and the partner read; the database sets
 * the note's gmina and partner from the delivery and takes a note for its current version only.
 */
async function writeNote(ctx: RequestContext, delivery: Delivery, note: string | null): Promise<void> {
  if (note === null) return;
  await ctx.em.execute(`insert into delivery_note (delivery_id, version, note) values (?, ?, ?)`, [delivery.id, delivery.version, note]);
}

async function isTaken(ctx: RequestContext, itemId: string, session: Session, exceptId: string | null): Promise<boolean> {
  const rows = await ctx.em.execute<{ taken: boolean }[]>(
    `select exists (select 1 from delivery where ipus_item_id = ? and delivered_on = ?::date and starts_at = ?::time and id is distinct from ?::uuid) as taken`,
    [itemId, session.deliveredOn, session.startsAt, exceptId]);
  return rows[0]?.taken === true;
}

const DUPLICATE_MESSAGE = 'A delivery of this item at this date and time is already recorded; correct that one instead';

export async function recordDelivery(ctx: RequestContext, input: DeliveryRecordInput): Promise<Result<Delivery>> {
  const errors = new UserErrors();
  const itemId = uuidFromGlobalId(input.assignmentId, 'PartnerAssignment', 'assignmentId');
  const assignment = await assignmentById(ctx).load(itemId);
  if (!assignment) {
    errors.add('assignmentId', 'No such assignment of yours', UserErrorCode.NOT_FOUND);
    return refuse(errors);
  }
  if (!checkCommission(assignment, 'assignmentId', errors)) return refuse(errors);
  const session: Session = { ...input, note: textOrNull(input.note) };
  checkSession(assignment, session, errors);
  if (!errors.any && (await isTaken(ctx, itemId, session, null))) errors.add('startsAt', DUPLICATE_MESSAGE, UserErrorCode.DUPLICATE);
  if (errors.any) return refuse(errors);

  const { note, ...columns } = session;
  const delivery = ctx.em.create(Delivery, {
    ...columns, ipusItemId: itemId, gminaId: assignment.gminaId, commissionId: assignment.commissionId,
    partnerId: ctx.principal.partnerId, recordedBy: ctx.principal.subject,
  } as never);
  // Two devices recording the same session at once: the unique key decides.
  if (!(await flushUnlessDuplicate(ctx, 'delivery_item_time_key'))) {
    errors.add('startsAt', DUPLICATE_MESSAGE, UserErrorCode.DUPLICATE);
    return refuse(errors);
  }
  await writeNote(ctx, delivery, note);
  return ok(delivery);
}

export async function correctDelivery(ctx: RequestContext, input: DeliveryCorrectInput): Promise<Result<Delivery>> {
  const errors = new UserErrors();
  const delivery = await findVisible(ctx, Delivery, input.id, 'id', errors, 'delivery');
  if (!delivery || !isCurrentVersion(delivery, input.version, errors, 'delivery')) return refuse(errors);
  const assignment = await assignmentById(ctx).load(delivery.ipusItemId);
  if (!assignment) {
    errors.add('id', 'The item is no longer assigned to you', UserErrorCode.NOT_ALLOWED);
    return refuse(errors);
  }
  if (!checkCommission(assignment, 'id', errors)) return refuse(errors);
  const session: Session = {
    deliveredOn: input.deliveredOn ?? delivery.deliveredOn,
    startsAt: input.startsAt ?? delivery.startsAt,
    durationMinutes: input.durationMinutes ?? delivery.durationMinutes,
    outcome: input.outcome ?? delivery.outcome,
    note: input.note === undefined ? await noteOfDelivery(ctx).load(noteKey(delivery)) : textOrNull(input.note),
  };
  checkSession(assignment, session, errors);
  if (!errors.any && (await isTaken(ctx, delivery.ipusItemId, session, delivery.id))) errors.add('startsAt', DUPLICATE_MESSAGE, UserErrorCode.DUPLICATE);
  if (errors.any) return refuse(errors);

  // Conditional on the version read: of two corrections of one version, the second finds it gone.
  // The database raises the version and keeps the previous values (migrations: delivery_guard); the
  // previous note stays in delivery_note under the version it belonged to, the new one goes under the new.
  const { note, ...columns } = session;
  const changed = await ctx.em.nativeUpdate(Delivery, { id: delivery.id, version: input.version }, columns as never);
  if (changed === 0) {
    errors.add('version', 'The delivery was corrected meanwhile; read it again', UserErrorCode.CONFLICT);
    return refuse(errors);
  }
  const corrected = await ctx.em.findOneOrFail(Delivery, { id: delivery.id }, { refresh: true });
  await writeNote(ctx, corrected, note);
  return ok(corrected);
}
