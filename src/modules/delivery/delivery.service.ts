import type { RequestContext } from '../../platform/graphql/context.js';
import { uuidFromGlobalId } from '../../platform/graphql/node.js';
import { UserErrorCode, UserErrors } from '../../platform/graphql/user-error.js';
import { Role } from '../../platform/auth/roles.js';
import { flushUnlessDuplicate } from '../common/duplicate.js';
import { findVisible, isCurrentVersion } from '../common/find.js';
import { ok, refuse, textOrNull, type Result } from '../common/result.js';
import { CommissionStatus } from '../commission/commission.enums.js';
import { ProviderKind } from '../ipus/ipus.enums.js';
import { ipusById } from '../ipus/ipus.loader.js';
import { checkPlausibility, isOverlapRefusal, OVERLAP_MESSAGE, type DeliveryTarget, type Session } from './delivery-plausibility.js';
import { Delivery } from './delivery.entity.js';
import type { DeliveryCorrectInput, DeliveryRecordInput } from './delivery.inputs.js';
import { itemById } from './delivery.loader.js';
import { assignmentById } from './partner-assignment.js';

const DUPLICATE_MESSAGE = 'A delivery of this item at this date and time is already recorded; correct that one instead';

/** The item a delivery is recorded for, as its recorder may act on it, with what the row takes from it. */
interface Recordable {
  target: DeliveryTarget;
  gminaId: number;
  partnerId: string | null;
}

/**
 * A partner's item: its assignment, under a commission that is ACTIVE now (a delivery draws on the
 * commission's budget; the database refuses it too: delivery_guard).
 */
async function partnerItem(
  ctx: RequestContext,
  itemId: string,
  field: string,
  gone: { code: UserErrorCode; message: string },
  errors: UserErrors,
): Promise<Recordable | null> {
  const assignment = await assignmentById(ctx).load(itemId);
  if (!assignment) {
    errors.add(field, gone.message, gone.code);
    return null;
  }
  if (assignment.commissionStatus !== CommissionStatus.ACTIVE) {
    errors.add(
      field,
      `The commission is ${assignment.commissionStatus}; deliveries are recorded and corrected under an ACTIVE commission`,
      UserErrorCode.NOT_ALLOWED,
    );
    return null;
  }
  return { target: { itemId, ...assignment }, gminaId: assignment.gminaId, partnerId: ctx.principal.partnerId };
}

/** An item the CUS or a gmina unit provides, read under the staff's rights (their gminy), with its plan. */
async function inHouseItem(ctx: RequestContext, itemId: string, field: string, errors: UserErrors): Promise<Recordable | null> {
  const item = await itemById(ctx).load(itemId);
  const plan = item ? await ipusById(ctx).load(item.ipusId) : null;
  if (!item || !plan) {
    errors.add(field, 'No such plan item', UserErrorCode.NOT_FOUND);
    return null;
  }
  if (item.providerKind === ProviderKind.PARTNER) {
    errors.add(field, "The item is a partner's: its partner records and corrects its deliveries", UserErrorCode.NOT_ALLOWED);
    return null;
  }
  return {
    target: {
      itemId,
      commissionId: null,
      planStatus: plan.status,
      planActivatedOn: plan.activatedOn,
      planClosedOn: plan.closedOn,
      startOn: item.startOn,
      endOn: item.endOn,
      quantityUnit: item.quantityUnit,
    },
    gminaId: item.gminaId,
    partnerId: null,
  };
}

/** What the recorder names: a partner its assignment, the centre's staff an in-house plan item. */
async function recordableOfInput(ctx: RequestContext, input: DeliveryRecordInput, errors: UserErrors): Promise<Recordable | null> {
  if (ctx.principal.role === Role.PARTNER) {
    if (!input.assignmentId) {
      errors.add('assignmentId', 'A partner names the assignment (PartnerAssignment) it delivered', UserErrorCode.REQUIRED);
      return null;
    }
    const itemId = uuidFromGlobalId(input.assignmentId, 'PartnerAssignment', 'assignmentId');
    return partnerItem(ctx, itemId, 'assignmentId', { code: UserErrorCode.NOT_FOUND, message: 'No such assignment of yours' }, errors);
  }
  if (!input.itemId) {
    if (input.assignmentId)
      errors.add(
        'assignmentId',
        "A partner's item is recorded by its partner; the centre records the items it or a gmina unit provides (itemId)",
        UserErrorCode.NOT_ALLOWED,
      );
    else errors.add('itemId', 'The centre names the plan item (IpusItem) it delivered', UserErrorCode.REQUIRED);
    return null;
  }
  return inHouseItem(ctx, uuidFromGlobalId(input.itemId, 'IpusItem', 'itemId'), 'itemId', errors);
}

/** Writes the note of a delivery's current version (`delivery_note`, behind the notes' wall; see delivery.entity.ts). */
async function writeNote(ctx: RequestContext, delivery: Delivery, note: string | null): Promise<void> {
  if (note === null) return;
  await ctx.em.execute(`insert into delivery_note (delivery_id, version, note) values (?, ?, ?)`, [delivery.id, delivery.version, note]);
}

export async function recordDelivery(ctx: RequestContext, input: DeliveryRecordInput): Promise<Result<Delivery>> {
  const errors = new UserErrors();
  const recordable = await recordableOfInput(ctx, input, errors);
  if (!recordable) return refuse(errors);
  const itemField = input.assignmentId ? 'assignmentId' : 'itemId';
  const session: Session = {
    deliveredOn: input.deliveredOn,
    startsAt: input.startsAt,
    durationMinutes: input.durationMinutes,
    outcome: input.outcome,
    note: textOrNull(input.note),
  };
  await checkPlausibility(ctx, recordable.target, session, null, itemField, errors);
  if (errors.any) return refuse(errors);

  const { note, ...columns } = session;
  const delivery = ctx.em.create(Delivery, {
    ...columns,
    ipusItemId: recordable.target.itemId,
    gminaId: recordable.gminaId,
    commissionId: recordable.target.commissionId,
    partnerId: recordable.partnerId,
    recordedBy: ctx.principal.subject,
  });
  // Two devices recording the same session at once: the unique key decides; an overlap the guard refuses.
  try {
    if (!(await flushUnlessDuplicate(ctx, 'delivery_item_time_key'))) {
      errors.add('startsAt', DUPLICATE_MESSAGE, UserErrorCode.DUPLICATE);
      return refuse(errors);
    }
  } catch (error) {
    if (!isOverlapRefusal(error)) throw error;
    ctx.em.clear();
    errors.add('startsAt', OVERLAP_MESSAGE, UserErrorCode.OVERLAPPING);
    return refuse(errors);
  }
  await writeNote(ctx, delivery, note);
  return ok(delivery);
}

export async function correctDelivery(ctx: RequestContext, input: DeliveryCorrectInput): Promise<Result<Delivery>> {
  const errors = new UserErrors();
  const delivery = await findVisible(ctx, Delivery, input.id, 'id', errors, 'delivery');
  if (!delivery || !isCurrentVersion(delivery, input.version, errors, 'delivery')) return refuse(errors);
  let recordable: Recordable | null;
  if (ctx.principal.role === Role.PARTNER) {
    recordable = await partnerItem(
      ctx,
      delivery.ipusItemId,
      'id',
      { code: UserErrorCode.NOT_ALLOWED, message: 'The item is no longer assigned to you' },
      errors,
    );
  } else if (delivery.partnerId !== null) {
    errors.add('id', "A partner's delivery is corrected by its partner", UserErrorCode.NOT_ALLOWED);
    recordable = null;
  } else {
    recordable = await inHouseItem(ctx, delivery.ipusItemId, 'id', errors);
  }
  if (!recordable) return refuse(errors);
  const session: Session = {
    deliveredOn: input.deliveredOn ?? delivery.deliveredOn,
    startsAt: input.startsAt ?? delivery.startsAt,
    durationMinutes: input.durationMinutes ?? delivery.durationMinutes,
    outcome: input.outcome ?? delivery.outcome,
    // Left out, the note stays (carried by the database after the update); null or blank removes it.
    note: input.note === undefined ? null : textOrNull(input.note),
  };
  await checkPlausibility(ctx, recordable.target, session, delivery.id, 'id', errors);
  if (errors.any) return refuse(errors);

  // Conditional on the version read: of two corrections of one version, the second finds it gone.
  // The database raises the version and keeps the previous values (migrations: delivery_guard); the
  // previous note stays in delivery_note under the version it belonged to, the new one goes under the new.
  const { note, ...columns } = session;
  let changed: number;
  try {
    changed = await ctx.em.transactional((em) => em.nativeUpdate(Delivery, { id: delivery.id, version: input.version }, columns));
  } catch (error) {
    if (!isOverlapRefusal(error)) throw error;
    errors.add('startsAt', OVERLAP_MESSAGE, UserErrorCode.OVERLAPPING);
    return refuse(errors);
  }
  if (changed === 0) {
    errors.add('version', 'The delivery was corrected meanwhile; read it again', UserErrorCode.CONFLICT);
    return refuse(errors);
  }
  const corrected = await ctx.em.findOneOrFail(Delivery, { id: delivery.id }, { refresh: true });
  if (input.note === undefined) await ctx.em.execute(`select app.delivery_note_carry(?::uuid)`, [corrected.id]);
  else await writeNote(ctx, corrected, note);
  return ok(corrected);
}
