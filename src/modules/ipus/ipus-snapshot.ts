import type { Ipus } from './ipus.entity.js';
import type { IpusGoal, IpusItem, IpusMonitoringNote, IpusSupportingAction } from './ipus-parts.entity.js';
import { COORDINATED_HELP_FIELDS, type IpusCoordinatedHelp } from './coordinated-help.entity.js';

/** A plan's parts, as loaded for one snapshot. */
export interface PlanParts {
  goals: IpusGoal[];
  items: IpusItem[];
  supportingActions: IpusSupportingAction[];
  monitoringNotes: IpusMonitoringNote[];
  coordinatedHelp: IpusCoordinatedHelp[];
}

type Json = null | string | number | boolean | Json[] | { [key: string]: Json };
export type Snapshot = { [key: string]: Json };

const PLAN_FIELDS = [
  'status',
  'coordinatorSubject',
  'coordinatorName',
  'periodStart',
  'periodEnd',
  'preparedOn',
  'latePreparationWarning',
  'submittedOn',
  'approvedOn',
  'approvedBy',
  'agreedOn',
  'agreementHow',
  'activatedOn',
  'closedOn',
  'closingConversationOn',
  'terminationReason',
  'terminationCode',
] as const;
const PENDING_FIELDS = ['state', 'reason', 'proposedBy', 'proposedOn', 'approvedBy', 'approvedOn', 'returnedReason'] as const;
const GOAL_FIELDS = ['id', 'position', 'description', 'outcome', 'closingSummary'] as const;
const ITEM_FIELDS = [
  'id',
  'position',
  'goalId',
  'serviceId',
  'providerKind',
  'partnerId',
  'commissionId',
  'providerUnitName',
  'placeKind',
  'locationId',
  'weekdays',
  'startsAt',
  'endsAt',
  'sessionCount',
  'keepsHolidays',
  'startOn',
  'endOn',
  'quantity',
  'quantityUnit',
  'note',
] as const;
const ACTION_FIELDS = ['id', 'position', 'description', 'giverKind', 'giverName', 'schedule'] as const;
const NOTE_FIELDS = ['id', 'notedOn', 'authorSubject', 'authorName', 'note'] as const;

function pick(row: object, fields: readonly string[]): Snapshot {
  const out: Snapshot = {};
  for (const field of fields) {
    const value = (row as Record<string, unknown>)[field];
    out[field] = value === undefined ? null : (value as Json);
  }
  return out;
}

/** The whole plan as it stands, as plain JSON: what a revision keeps, and what reads it back. */
export function snapshotOf(plan: Ipus, parts: PlanParts): Snapshot {
  return {
    ...pick(plan, PLAN_FIELDS),
    // Where a proposed change stands (its contents are in the plan's pendingRevision, not in the history).
    pendingRevision: plan.pendingRevision ? pick(plan.pendingRevision, PENDING_FIELDS) : null,
    goals: parts.goals.map((g) => pick(g, GOAL_FIELDS)),
    items: parts.items.map((i) => pick(i, ITEM_FIELDS)),
    supportingActions: parts.supportingActions.map((a) => pick(a, ACTION_FIELDS)),
    monitoringNotes: parts.monitoringNotes.map((n) => pick(n, NOTE_FIELDS)),
    coordinatedHelp: parts.coordinatedHelp.map((h) => pick(h, COORDINATED_HELP_FIELDS)),
  };
}

export interface FieldChange {
  /** `periodEnd`, `items[<id>]` (added or removed), `items[<id>].quantity` (changed). */
  path: string;
  before: Json;
  after: Json;
}

const same = (a: Json | undefined, b: Json | undefined) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** What changed between two snapshots: plan fields, and list entries matched by id. */
export function diffSnapshots(before: Snapshot, after: Snapshot): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const was = before[key];
    const now = after[key];
    if (Array.isArray(was) || Array.isArray(now)) {
      changes.push(...diffList(key, (was ?? []) as Snapshot[], (now ?? []) as Snapshot[]));
    } else if (!same(was, now)) {
      changes.push({ path: key, before: was ?? null, after: now ?? null });
    }
  }
  return changes;
}

function diffList(key: string, before: Snapshot[], after: Snapshot[]): FieldChange[] {
  const changes: FieldChange[] = [];
  const old = new Map(before.map((row) => [row.id as string, row]));
  for (const row of after) {
    const was = old.get(row.id as string);
    old.delete(row.id as string);
    if (!was) {
      changes.push({ path: `${key}[${row.id}]`, before: null, after: row });
      continue;
    }
    for (const field of Object.keys(row)) {
      if (!same(was[field], row[field])) changes.push({ path: `${key}[${row.id}].${field}`, before: was[field] ?? null, after: row[field] ?? null });
    }
  }
  for (const [id, row] of old) changes.push({ path: `${key}[${id}]`, before: row, after: null });
  return changes;
}
