import type { RequestContext } from '../../platform/graphql/context.js';
import { UserErrorCode, type UserErrors } from '../../platform/graphql/user-error.js';
import { costExceeds, fromHundredths, toHundredths } from '../../platform/money.js';
import { Commission } from './commission.entity.js';
import { IpusStatus } from '../ipus/ipus.enums.js';
import { CommissionStatus } from './commission.enums.js';
import { heldByWaitingList } from '../waiting-list/waiting-list-holds.js';

/** A plan item provided by a partner, as the coordinator asks for it. */
export interface AssignmentRequest {
  /** Where the item sits in the input (for error paths). */
  index: number;
  partnerId: string;
  serviceId: string;
  startOn: string;
  endOn: string;
  quantity: number;
  quantityUnit: string;
  /** The commission the coordinator named; otherwise one is chosen. */
  commissionId: string | null;
  /** The commission the item already falls under, when it keeps its terms (it is not checked again). */
  keptCommissionId: string | null;
}

export interface PlanOfItems {
  /** Null while the plan is being created. */
  ipusId: string | null;
  cusUnitId: string;
  /** The plan's resident: a commission counts persons, and this one once. */
  residentId: string;
  /** Whether the plan's items hold capacity now (planHoldsCapacity of its status). */
  holdsCapacity: boolean;
}

/**
 * A plan's items reserve their quantity, and its resident a place, from its approval until it closes
 * (the rule the database counts by: app.refresh_commission_use). A DRAFT or a plan awaiting approval
 * names its commissions and reserves nothing; a COMPLETED or TERMINATED one keeps what was delivered.
 */
export const planHoldsCapacity = (status: IpusStatus): boolean => status === IpusStatus.APPROVED || status === IpusStatus.ACTIVE;

interface Candidate {
  commission: Commission;
  serviceIds: Set<string>;
}

/** Why `commission` cannot take the request, or null when it can (capacity apart). */
function unfit(candidate: Candidate, request: AssignmentRequest, plan: PlanOfItems): string | null {
  const c = candidate.commission;
  if (c.partnerId !== request.partnerId) return `"${c.title}" is another partner's commission`;
  if (c.cusUnitId !== plan.cusUnitId) return `"${c.title}" was commissioned by another CUS unit`;
  if (c.status !== CommissionStatus.ACTIVE) return `"${c.title}" is ${c.status}; items are assigned under an ACTIVE commission`;
  if (!candidate.serviceIds.has(request.serviceId)) return `"${c.title}" does not cover this service`;
  if (!c.periodStart || !c.periodEnd || request.startOn < c.periodStart || request.endOn > c.periodEnd) {
    return `"${c.title}" runs from ${c.periodStart} to ${c.periodEnd}; the item's dates (${request.startOn} to ${request.endOn}) must fall within it`;
  }
  if (c.volumeUnit && c.volumeUnit !== request.quantityUnit) return `"${c.title}" counts ${c.volumeUnit}; give the item's quantity in ${c.volumeUnit}`;
  return null;
}

/** What this plan takes of each commission now (the items it is about to replace), in hundredths. */
async function planShare(ctx: RequestContext, plan: PlanOfItems): Promise<Map<string, bigint>> {
  if (!plan.ipusId || !plan.holdsCapacity) return new Map();
  const rows = await ctx.em.execute<{ commission_id: string; quantity: string }[]>(
    `select commission_id, sum(quantity)::text as quantity from ipus_item where ipus_id = ? and commission_id is not null group by commission_id`,
    [plan.ipusId],
  );
  return new Map(rows.map((r) => [r.commission_id, toHundredths(r.quantity)]));
}

/**
 * The use of some commissions as this plan would leave it, taken item by item. Opening it locks the
 * commissions (in one order, with the lock the database takes when it recounts their use) and then
 * reads their use as it stands, so two plans taking the last place at once are decided one after the other.
 */
interface Ledger {
  candidates: Candidate[];
  /** Why the commission has no room for the request (as the plan now takes it), or null. */
  roomFor(c: Commission, request: AssignmentRequest): string | null;
  take(c: Commission, request: AssignmentRequest): void;
}

async function openLedger(ctx: RequestContext, plan: PlanOfItems, ids: string[]): Promise<Ledger> {
  if (ids.length > 0) await ctx.em.execute(`select app.lock_commission(id) from unnest(?::uuid[]) id`, [`{${ids.join(',')}}`]);
  const commissions = ids.length > 0 ? await ctx.em.find(Commission, { id: { $in: ids } }, { refresh: true, orderBy: { periodEnd: 'asc', id: 'asc' } }) : [];
  const links =
    ids.length > 0
      ? await ctx.em.execute<{ commission_id: string; service_id: string }[]>(
          `select commission_id, service_id from commission_service where commission_id = any (?::uuid[])`,
          [`{${ids.join(',')}}`],
        )
      : [];
  const candidates = commissions.map((commission) => ({
    commission,
    serviceIds: new Set(links.filter((l) => l.commission_id === commission.id).map((l) => l.service_id)),
  }));

  // Volume (in hundredths, never floats: sums and budgets stay exact) and residents per commission
  // once this plan's items are replaced by the requested ones.
  const before = await planShare(ctx, plan);
  // A place offered to the first in line of the waiting list is held for it until it is answered.
  const held = await heldByWaitingList(ctx, ids, plan.ipusId);
  const volume = new Map(
    candidates.map(({ commission: c }) => [c.id, toHundredths(c.assignedVolume) - (before.get(c.id) ?? 0n) + (held.get(c.id)?.volume ?? 0n)]),
  );
  const quantityIn = (c: Commission, request: AssignmentRequest) => (c.volumeUnit ? toHundredths(request.quantity) : 0n);
  // Persons other than the plan's one: a record merged into another is that person (the database counts
  // across the centre's gminy, which a coordinator's own reads may not cover); the plan's person adds one.
  const others =
    ids.length > 0
      ? await ctx.em.execute<{ commission_id: string; others: number }[]>(`select commission_id, others from app.commission_other_recipients(?::uuid[], ?)`, [
          `{${ids.join(',')}}`,
          plan.residentId,
        ])
      : [];
  const recipients = new Map(others.map((row) => [row.commission_id, row.others + (held.get(row.commission_id)?.persons ?? 0)]));
  const counted = new Set<string>();
  return {
    candidates,
    take(c, request) {
      volume.set(c.id, (volume.get(c.id) ?? 0n) + quantityIn(c, request));
      if (!counted.has(c.id)) recipients.set(c.id, (recipients.get(c.id) ?? 0) + 1);
      counted.add(c.id);
    },
    roomFor(c, request) {
      if (c.maxRecipients !== null && !counted.has(c.id) && (recipients.get(c.id) ?? 0) + 1 > c.maxRecipients) {
        return `"${c.title}" has no place left: ${c.maxRecipients} residents at most`;
      }
      const used = volume.get(c.id) ?? 0n;
      const after = used + quantityIn(c, request);
      if (c.volume !== null && after > toHundredths(c.volume)) {
        const left = toHundredths(c.volume) - used;
        return `"${c.title}" has ${fromHundredths(left > 0n ? left : 0n)} ${c.volumeUnit} left; the item needs ${request.quantity}`;
      }
      if (c.budget !== null && c.unitPrice !== null && costExceeds(after, c.unitPrice, c.budget)) {
        return `"${c.title}" has not enough budget left for ${request.quantity} ${c.volumeUnit}`;
      }
      return null;
    },
  };
}

/**
 * Chooses (or checks) the commission of each partner item: an ACTIVE commission of that partner,
 * from the plan's CUS unit, covering the service and the item's dates, in the item's unit. A plan that
 * holds capacity (approved or active) needs room left for its residents and volume, checked under the
 * commissions' lock; a draft's items only name their commission (one with room when there is one to
 * choose), and the room is checked when the plan is approved (checkRoomAtApproval).
 * Returns the commission id per request index.
 */
export async function assignCommissions(
  ctx: RequestContext,
  plan: PlanOfItems,
  requests: AssignmentRequest[],
  errors: UserErrors,
): Promise<Map<number, string>> {
  // Items that keep their terms keep their commission; the others are checked or chosen below.
  const chosen = new Map<number, string>();
  const open: AssignmentRequest[] = [];
  for (const request of requests) {
    if (request.keptCommissionId && !request.commissionId) chosen.set(request.index, request.keptCommissionId);
    else open.push(request);
  }
  const named = open.flatMap((r) => (r.commissionId ? [r.commissionId] : []));
  const partnerIds = [...new Set(requests.map((r) => r.partnerId))];
  if (partnerIds.length === 0) return chosen;

  // Every commission this plan may touch, in one order.
  const ids = (
    await ctx.em.execute<{ id: string }[]>(
      `select id from commission where (partner_id = any (?::uuid[]) and status = 'ACTIVE' and cus_unit_id = ?) or id = any (?::uuid[]) order by id`,
      [`{${partnerIds.join(',')}}`, plan.cusUnitId, `{${[...new Set([...named, ...chosen.values()])].join(',')}}`],
    )
  ).map((r) => r.id);
  const ledger = await openLedger(ctx, plan, ids);
  const { candidates } = ledger;
  const take = (c: Commission, request: AssignmentRequest) => {
    ledger.take(c, request);
    chosen.set(request.index, c.id);
  };
  // A draft reserves nothing: no room is needed to name a commission.
  const roomFor = (c: Commission, request: AssignmentRequest) => (plan.holdsCapacity ? ledger.roomFor(c, request) : null);

  for (const request of requests.filter((r) => chosen.has(r.index))) {
    const kept = candidates.find((c) => c.commission.id === chosen.get(request.index));
    if (kept) take(kept.commission, request);
  }

  for (const request of open) {
    const at = ['items', String(request.index), 'commissionId'];
    if (request.commissionId) {
      const candidate = candidates.find((c) => c.commission.id === request.commissionId);
      const wrong = candidate ? unfit(candidate, request, plan) : null;
      const full = candidate && !wrong ? roomFor(candidate.commission, request) : null;
      if (!candidate) errors.add(at, 'No such commission', UserErrorCode.NOT_FOUND);
      else if (wrong) errors.add(at, wrong, UserErrorCode.NOT_ALLOWED);
      else if (full) errors.add(at, full, UserErrorCode.CAPACITY_EXCEEDED);
      else take(candidate.commission, request);
      continue;
    }
    const fitting = candidates.filter((c) => unfit(c, request, plan) === null);
    // One with room now, even for a draft (which it may then keep at approval); a draft takes the first that fits otherwise.
    const withRoom = fitting.find((c) => ledger.roomFor(c.commission, request) === null) ?? (plan.holdsCapacity ? undefined : fitting[0]);
    if (withRoom) take(withRoom.commission, request);
    else if (fitting.length > 0) errors.add(at, ledger.roomFor(fitting[0].commission, request) as string, UserErrorCode.CAPACITY_EXCEEDED);
    else
      errors.add(
        at,
        "The partner has no ACTIVE commission from this CUS for this service covering the item's dates; commission the service first",
        UserErrorCode.NOT_ALLOWED,
      );
  }
  return chosen;
}

/** A plan item under a commission, as the plan to approve holds it. */
export interface ItemUnderCommission {
  position: number;
  commissionId: string;
  serviceId: string;
  partnerId: string;
  startOn: string;
  endOn: string;
  quantity: string;
  quantityUnit: string;
}

/**
 * Approval is where a plan's items start to hold capacity: each item's commission must have room for
 * it (and the resident a place) as the commission stands now, under its lock, which the approval then
 * holds until it commits; a second approval for the last place waits, reads the first one's
 * reservation and is refused. Nothing is chosen anew: a refused plan goes back to its coordinator.
 */
export async function checkRoomAtApproval(
  ctx: RequestContext,
  plan: Omit<PlanOfItems, 'holdsCapacity'>,
  items: ItemUnderCommission[],
  errors: UserErrors,
): Promise<void> {
  const ids = [...new Set(items.map((i) => i.commissionId))].sort();
  if (ids.length === 0) return;
  // The plan holds nothing yet, so nothing of its own is subtracted.
  const ledger = await openLedger(ctx, { ...plan, holdsCapacity: false }, ids);
  for (const item of items) {
    const c = ledger.candidates.find((candidate) => candidate.commission.id === item.commissionId)?.commission;
    if (!c) continue; // the item's foreign key keeps its commission: it is there
    const request: AssignmentRequest = { ...item, index: item.position - 1, quantity: Number(item.quantity), commissionId: c.id, keptCommissionId: null };
    const full = ledger.roomFor(c, request);
    if (full) errors.add('id', `Item ${item.position}: ${full}; change the item's commission or quantity before approving`, UserErrorCode.CAPACITY_EXCEEDED);
    else ledger.take(c, request);
  }
}
