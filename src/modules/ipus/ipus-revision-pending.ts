import { randomUUID } from 'node:crypto';
import { Field, ObjectType } from 'type-graphql';
import { LocalDateScalar } from '../../platform/graphql/scalars.js';
import { defineEnum, type EnumValue } from '../common/graphql-enum.js';
import type { CoordinatedHelpRow } from './coordinated-help.js';
import type { IpusUpdateInput } from './ipus.inputs.js';
import type { IpusGoal, IpusItem } from './ipus-parts.entity.js';
import { IpusFieldChange } from './ipus-revision.js';
import { IpusRevisionPlan } from './ipus-revision-plan.js';
import type { ActionRow, GoalRow, ItemRow } from './ipus.rules.js';
import type { FieldChange, Snapshot } from './ipus-snapshot.js';

/*
 * A material change of an ACTIVE plan (README, "Changing an active plan, and ending one"): proposed
 * with a reason, approved like the plan was, agreed by the resident, and only then in force. Until
 * then it waits on the plan (ipus.pending_revision) and the plan in force stays as it was.
 */

export const PendingRevisionState = defineEnum('PendingRevisionState', 'Where a proposed change of an active plan stands', {
  AWAITING_APPROVAL: 'Proposed by the coordinator; waits for the director or a services organiser',
  APPROVED: "Approved; waits for the resident's agreement, recorded by the coordinator",
  RETURNED: 'Returned by the approver with a reason; the coordinator proposes anew or withdraws it',
});
export type PendingRevisionState = EnumValue<typeof PendingRevisionState>;

/** The fields of an update that a proposal carries, as given: they are checked again when it is approved and when it takes effect. */
export type ProposedUpdate = Omit<IpusUpdateInput, 'id' | 'revision'>;

/** What ipus.pending_revision holds. */
export interface PendingRevisionData {
  state: PendingRevisionState;
  reason: string;
  proposedBy: string;
  proposedOn: string;
  approvedBy: string | null;
  approvedOn: string | null;
  returnedReason: string | null;
  update: ProposedUpdate;
  /** The plan as it would stand, and what would change, as when proposed. */
  preview: Snapshot;
  changes: FieldChange[];
}

@ObjectType({ description: "A material change of an ACTIVE plan waiting for approval and the resident's agreement; the plan in force is unchanged until then" })
export class IpusPendingRevision {
  @Field(() => PendingRevisionState) state!: PendingRevisionState;
  @Field(() => String, { description: 'Why the plan should change (the coordinator)' }) reason!: string;
  @Field(() => String, { description: 'Who proposed it (user id)' }) proposedBy!: string;
  @Field(() => LocalDateScalar) proposedOn!: string;
  @Field(() => String, { nullable: true, description: 'Who approved it (user id)' }) approvedBy!: string | null;
  @Field(() => LocalDateScalar, { nullable: true }) approvedOn!: string | null;
  @Field(() => String, { nullable: true, description: 'Why it was returned (RETURNED)' }) returnedReason!: string | null;
  @Field(() => [IpusFieldChange], { description: 'What would change, against the plan in force when it was proposed' }) changes!: FieldChange[];
  @Field(() => IpusRevisionPlan, {
    description: 'The plan as it would stand once in force; new goals and items get their ids only then (their ids here are provisional)',
  })
  plan!: IpusRevisionPlan;
}

/** Item fields a correction may change at once: the note only. */
const ITEM_FIELDS_NOT_MATERIAL = new Set(['id', 'goalNumber', 'goalId', 'position', 'note']);

const normal = (value: unknown): string => {
  if (typeof value === 'string' && /^\d\d:\d\d(:00)?$/.test(value)) return value.slice(0, 5);
  if (Array.isArray(value)) return JSON.stringify([...value].sort());
  if (value === undefined) return 'null';
  return JSON.stringify(value);
};

export interface CheckedUpdate {
  periodStart: string;
  periodEnd: string;
  goals?: GoalRow[];
  items?: ItemRow[];
  actions?: ActionRow[];
  help?: CoordinatedHelpRow[];
}

/**
 * Whether an update of a plan is material (issue 20): its period, any goal (its text included), or
 * any item other than its note (service, provider, commission, place, schedule, dates, quantity,
 * goal, order aside; adding or removing one). Not material, applied at once: the coordinator's name,
 * items' notes, supporting actions (free help of volunteers, neighbours, family) and coordinated help
 * from other systems, neither of which the centre provides or commissions.
 */
export function isMaterial(plan: { periodStart: string; periodEnd: string }, checked: CheckedUpdate, was: { goals: IpusGoal[]; items: IpusItem[] }): boolean {
  if (checked.periodStart !== plan.periodStart || checked.periodEnd !== plan.periodEnd) return true;
  const { goals, items } = checked;
  if (goals && (goals.length !== was.goals.length || goals.some((g, i) => g.id !== was.goals[i].id || g.description !== was.goals[i].description))) {
    return true;
  }
  if (!items) return false;
  if (items.length !== was.items.length) return true;
  const goalIds = (goals ?? was.goals).map((g) => g.id);
  return items.some((row) => {
    const old = was.items.find((i) => i.id === row.id);
    if (!old || (row.goalNumber ? goalIds[row.goalNumber - 1] : null) !== old.goalId) return true;
    return Object.entries(row).some(([field, value]) => {
      if (ITEM_FIELDS_NOT_MATERIAL.has(field)) return false;
      const before = (old as unknown as Record<string, unknown>)[field];
      return field === 'quantity' ? Number(value) !== Number(before) : normal(value) !== normal(before);
    });
  });
}

/** The plan as it would stand after the update: the plan in force with the proposed period and lists (new parts get provisional ids). */
export function previewOf(current: Snapshot, checked: CheckedUpdate, coordinatorName: string | null): Snapshot {
  const preview: Snapshot = { ...current, periodStart: checked.periodStart, periodEnd: checked.periodEnd };
  if (coordinatorName) preview.coordinatorName = coordinatorName;
  const goalIds = checked.goals
    ? checked.goals.map((g) => g.id || randomUUID())
    : [...((current.goals ?? []) as Snapshot[])].sort((a, b) => Number(a.position) - Number(b.position)).map((g) => g.id as string);
  if (checked.goals) {
    preview.goals = checked.goals.map((g, i) => ({ id: goalIds[i], position: g.position, description: g.description, outcome: null, closingSummary: null }));
  }
  if (checked.items) {
    const known = new Map(((current.items ?? []) as Snapshot[]).map((item) => [item.id as string, item]));
    preview.items = checked.items.map((row) => {
      const { id, goalNumber, goalId: _goalId, ...fields } = row;
      const base: Snapshot = (id && known.get(id)) || {};
      const proposed: Snapshot = { ...base, id: id ?? randomUUID(), goalId: goalNumber ? goalIds[goalNumber - 1] : null };
      // A value written differently but the same ('10:00' and '10:00:00', 4 and '4.00') stays as it stands: no change to show.
      for (const [field, value] of Object.entries(fields)) {
        const same = field === 'quantity' ? Number(value) === Number(base[field]) : normal(value) === normal(base[field]);
        if (!(field in base) || !same) proposed[field] = value;
      }
      return proposed;
    });
  }
  if (checked.actions) preview.supportingActions = checked.actions.map((a) => ({ id: randomUUID(), ...(a as unknown as Snapshot) }));
  // Replaced with the rest when agreed: shown as it would stand, as the supporting actions are.
  if (checked.help) preview.coordinatedHelp = checked.help.map((h) => ({ id: randomUUID(), ...(h as unknown as Snapshot) }));
  return preview;
}
