import type { RequestContext } from '../../platform/graphql/context.js';
import { UserErrorCode, UserErrors, type UserError } from '../../platform/graphql/user-error.js';
import { Application } from '../application/application.entity.js';
import { checkRoomAtApproval, planHoldsCapacity } from '../commission/commission-assignment.js';
import { APPLICATION_MOVES } from '../application/application.service.js';
import { addDays, todayInPoland } from '../common/dates.js';
import { flushUnlessDuplicate } from '../common/duplicate.js';
import { findVisible } from '../common/find.js';
import { textOrNull } from '../common/result.js';
import { checkMove, type Move, type Moves } from '../common/transitions.js';
import { Ipus } from './ipus.entity.js';
import { IpusChangeKind, IpusStatus, TerminationReason } from './ipus.enums.js';
import type {
  IpusActivateInput,
  IpusChangeProposeInput,
  IpusCompleteInput,
  IpusCreateInput,
  IpusNoteInput,
  IpusReturnInput,
  IpusRevisionInput,
  IpusTerminateInput,
  IpusUpdateInput,
} from './ipus.inputs.js';
import { loadParts } from './ipus.loader.js';
import { IpusGoal, IpusItem, IpusMonitoringNote, IpusSupportingAction } from './ipus-parts.entity.js';
import { insertRevision, snapshotAt } from './ipus-revision.js';
import { checkActions, checkGoals, checkItems, checkPeriod, type ActionRow, type GoalRow, type ItemRow } from './ipus.rules.js';
import { diffSnapshots, snapshotOf, type Snapshot } from './ipus-snapshot.js';
import { isMaterial, PendingRevisionState, previewOf, type PendingRevisionData, type ProposedUpdate } from './ipus-revision-pending.js';
import { checkCoordinatedHelp, writeCoordinatedHelp, type CoordinatedHelpRow } from './coordinated-help.js';

/** A plan must be prepared within 30 days of the application (DOMAIN.md); later is recorded, not refused. */
const PREPARATION_DAYS = 30;

export interface PlanResult {
  value: Ipus | null;
  warnings: string[];
  userErrors: UserError[];
}

const refused = (errors: UserErrors): PlanResult => ({ value: null, warnings: [], userErrors: errors.list });

function notFuture(day: string, field: string, what: string, errors: UserErrors): void {
  if (day > todayInPoland()) errors.add(field, `${what} (${day}) must not be in the future`, UserErrorCode.OUT_OF_RANGE);
}

/**
 * Replaces a plan's goals, items and actions with the checked lists; rows given with an id keep it.
 * Flushed in steps because items refer to goals: new goals first, then items, then removed goals.
 */
async function writeContents(
  ctx: RequestContext,
  plan: Ipus,
  contents: { goals?: GoalRow[]; items?: ItemRow[]; actions?: ActionRow[]; help?: CoordinatedHelpRow[] },
): Promise<void> {
  const em = ctx.em;
  const base = { gminaId: plan.gminaId, ipusId: plan.id };
  let goals = await em.find(IpusGoal, { ipusId: plan.id }, { orderBy: { position: 'asc' } });
  const removedGoals = new Set<string>();
  if (contents.goals) {
    const kept = new Map(goals.map((g) => [g.id, g]));
    goals = contents.goals.map((row) => {
      const values = { position: row.position, description: row.description };
      const goal = (row.id && kept.get(row.id)) || em.create(IpusGoal, { ...base, ...values } as never);
      kept.delete(goal.id);
      em.assign(goal, values);
      return goal;
    });
    for (const id of kept.keys()) removedGoals.add(id);
    await em.flush();
  }
  const items = await em.find(IpusItem, { ipusId: plan.id });
  if (contents.items) {
    const existing = new Map(items.map((i) => [i.id, i]));
    for (const row of contents.items) {
      const { id, goalNumber, ...fields } = row;
      const values = { ...fields, goalId: goalNumber ? goals[goalNumber - 1].id : null };
      const item = (id && existing.get(id)) || em.create(IpusItem, { ...base, ...values } as never);
      existing.delete(item.id);
      em.assign(item, values);
    }
    for (const removed of existing.values()) em.remove(removed);
  } else {
    for (const item of items) if (item.goalId && removedGoals.has(item.goalId)) item.goalId = null;
  }
  await em.flush();
  if (removedGoals.size > 0) {
    await em.nativeDelete(IpusGoal, { id: { $in: [...removedGoals] } });
  }
  if (contents.actions) {
    await em.nativeDelete(IpusSupportingAction, { ipusId: plan.id });
    for (const row of contents.actions) em.create(IpusSupportingAction, { ...base, ...row });
    await em.flush();
  }
  if (contents.help) await writeCoordinatedHelp(ctx, plan, contents.help);
}

/** After the plan's rows are written: the revision with the whole plan and what changed, written last. */
async function recordRevision(ctx: RequestContext, plan: Ipus, kind: IpusChangeKind): Promise<void> {
  await ctx.em.flush();
  const snapshot = snapshotOf(plan, await loadParts(ctx, plan.id));
  const before = plan.revision > 1 ? await snapshotAt(ctx, plan.id, plan.revision - 1) : {};
  await insertRevision(ctx, plan, kind, diffSnapshots(before, snapshot), snapshot);
}

/**
 * The 30-day clock runs from the filing to the day the plan was really prepared (recordedOn, the
 * database's date of its first save); a declared earlier preparedOn is shown but clears nothing.
 */
function lateness(filedOn: string, preparedOn: string, recordedOn: string): string[] {
  const deadline = addDays(filedOn, PREPARATION_DAYS);
  if (recordedOn <= deadline) return [];
  const declared = preparedOn === recordedOn ? '' : ` (declared as prepared on ${preparedOn})`;
  return [`Prepared on ${recordedOn}${declared}, more than ${PREPARATION_DAYS} days after the application of ${filedOn} (due by ${deadline})`];
}

export async function createPlan(ctx: RequestContext, input: IpusCreateInput): Promise<PlanResult> {
  const errors = new UserErrors();
  const application = await findVisible(ctx, Application, input.applicationId, 'applicationId', errors, 'application');
  if (application) checkMove('application', application.status, APPLICATION_MOVES.plan, errors, 'applicationId');
  const preparedOn = input.preparedOn ?? todayInPoland();
  notFuture(preparedOn, 'preparedOn', 'The preparation date', errors);
  if (application && preparedOn < application.filedOn) {
    errors.add('preparedOn', `The plan cannot be prepared before the application was filed (${application.filedOn})`, UserErrorCode.OUT_OF_RANGE);
  }
  checkPeriod(input.periodStart, input.periodEnd, errors);
  if (!application || errors.any) return refused(errors);

  const frame = {
    ipusId: null,
    residentId: application.residentId,
    gminaId: application.gminaId,
    cusUnitId: application.cusUnitId,
    periodStart: input.periodStart,
    periodEnd: input.periodEnd,
    holdsCapacity: false,
  };
  const goals = checkGoals(input.goals, [], errors);
  const items = await checkItems(ctx, frame, input.items, [], goals.length, errors);
  const actions = checkActions(input.supportingActions, errors);
  const help = checkCoordinatedHelp(input.coordinatedHelp, errors);
  const live = await ctx.em.count(Ipus, { applicationId: application.id, status: { $ne: IpusStatus.TERMINATED } });
  if (live > 0) errors.add('applicationId', 'The application already has a plan that is not terminated', UserErrorCode.DUPLICATE);
  if (errors.any) return refused(errors);

  const plan = ctx.em.create(Ipus, {
    gminaId: frame.gminaId,
    periodStart: frame.periodStart,
    periodEnd: frame.periodEnd,
    cusUnitId: application.cusUnitId,
    residentId: application.residentId,
    applicationId: application.id,
    coordinatorSubject: ctx.principal.subject,
    coordinatorName: textOrNull(input.coordinatorName) ?? ctx.principal.subject,
    preparedOn,
  });
  // Two coordinators preparing a plan on one application at once: the unique index decides.
  if (!(await flushUnlessDuplicate(ctx, 'ipus_application_live_key'))) {
    errors.add('applicationId', 'The application already has a plan that is not terminated', UserErrorCode.DUPLICATE);
    return refused(errors);
  }
  const warnings = lateness(application.filedOn, preparedOn, plan.recordedOn);
  plan.latePreparationWarning = warnings[0] ?? null;
  await writeContents(ctx, plan, { goals, items, actions, help });
  await recordRevision(ctx, plan, IpusChangeKind.CREATED);
  return { value: plan, warnings, userErrors: [] };
}

const { DRAFT, AWAITING_APPROVAL, APPROVED, ACTIVE, COMPLETED, TERMINATED } = IpusStatus;

/** What a plan may do in which status (each change below writes its `to`). */
const IPUS_MOVES = {
  edit: { from: [DRAFT, ACTIVE], what: 'editing' },
  submit: { from: [DRAFT], to: AWAITING_APPROVAL, what: 'submitting for approval' },
  approve: { from: [AWAITING_APPROVAL], to: APPROVED, what: 'approval' },
  return: { from: [AWAITING_APPROVAL], to: DRAFT, what: 'returning to the coordinator' },
  activate: { from: [APPROVED], to: ACTIVE, what: "recording the resident's agreement" },
  monitor: { from: [ACTIVE], what: 'monitoring' },
  complete: { from: [ACTIVE], to: COMPLETED, what: 'completion' },
  terminate: { from: [DRAFT, AWAITING_APPROVAL, APPROVED, ACTIVE], to: TERMINATED, what: 'termination' },
} satisfies Moves<IpusStatus>;

interface Change extends Move<IpusStatus> {
  /** Checks the input (no writes) and returns the writes, or nothing after adding errors. */
  prepare(plan: Ipus, errors: UserErrors): Promise<((plan: Ipus) => Promise<IpusChangeKind>) | null>;
}

/**
 * The frame of every change of an existing plan: found in scope, at the revision the client read,
 * in a status the change applies to, the input checked before anything is written, then the
 * revision claimed with a conditional update (a concurrent change of the same revision waits for
 * it and then finds the revision gone: CONFLICT, nothing written), the writes, and the revision row.
 */
async function changePlan(ctx: RequestContext, input: IpusRevisionInput, change: Change): Promise<PlanResult> {
  const errors = new UserErrors();
  const plan = await findVisible(ctx, Ipus, input.id, 'id', errors, 'plan');
  if (!plan) return refused(errors);
  if (plan.revision !== input.revision) {
    errors.add('revision', `The plan was changed meanwhile (now revision ${plan.revision}); read it again`, UserErrorCode.CONFLICT);
    return refused(errors);
  }
  if (!checkMove('plan', plan.status, change, errors)) return refused(errors);
  const write = await change.prepare(plan, errors);
  if (!write || errors.any) return refused(errors);

  const claimed = await ctx.em.execute<{ revision: number }[]>(
    'update ipus set revision = revision + 1, updated_at = now() where id = ? and revision = ? returning revision',
    [plan.id, input.revision],
  );
  if (claimed.length === 0) {
    errors.add('revision', 'The plan was changed meanwhile; read it again', UserErrorCode.CONFLICT);
    return refused(errors);
  }
  plan.revision = claimed[0].revision;
  const kind = await write(plan);
  await recordRevision(ctx, plan, kind);
  return { value: plan, warnings: [], userErrors: [] };
}

/**
 * Checks an update of a plan's contents without writing: the writes, and whether the change is
 * material (isMaterial), or null after adding errors. Items of an approved or active plan are checked
 * against the capacity left under their commissions (CAPACITY_EXCEEDED).
 */
async function checkUpdate(
  ctx: RequestContext,
  plan: Ipus,
  input: ProposedUpdate,
  errors: UserErrors,
): Promise<{ material: boolean; preview: (current: Snapshot) => Snapshot; write: (p: Ipus) => Promise<void> } | null> {
  const periodStart = input.periodStart ?? plan.periodStart;
  const periodEnd = input.periodEnd ?? plan.periodEnd;
  checkPeriod(periodStart, periodEnd, errors);
  const frame = {
    ipusId: plan.id,
    residentId: plan.residentId,
    gminaId: plan.gminaId,
    cusUnitId: plan.cusUnitId,
    periodStart,
    periodEnd,
    holdsCapacity: planHoldsCapacity(plan.status),
  };
  const existingGoals = await ctx.em.find(IpusGoal, { ipusId: plan.id }, { orderBy: { position: 'asc' } });
  const goals = input.goals ? checkGoals(input.goals, existingGoals, errors) : undefined;
  const existingItems = await ctx.em.find(IpusItem, { ipusId: plan.id }, { orderBy: { position: 'asc' } });
  const goalCount = goals?.length ?? existingGoals.length;
  let items: ItemRow[] | undefined;
  if (input.items) items = await checkItems(ctx, frame, input.items, existingItems, goalCount, errors);
  else if (input.periodStart || input.periodEnd) {
    // A new period must still hold every item.
    for (const item of existingItems) {
      if (item.startOn < periodStart || item.endOn > periodEnd) {
        errors.add('periodStart', `Item ${item.position} (${item.startOn} to ${item.endOn}) would fall outside the new period`, UserErrorCode.OUT_OF_RANGE);
      }
    }
  }
  const actions = input.supportingActions ? checkActions(input.supportingActions, errors) : undefined;
  const help = input.coordinatedHelp ? checkCoordinatedHelp(input.coordinatedHelp, errors) : undefined;
  if (plan.status === IpusStatus.ACTIVE && goals?.length === 0) errors.add('goals', 'An active plan keeps at least one goal', UserErrorCode.REQUIRED);
  if (errors.any) return null;
  const checked = { periodStart, periodEnd, goals, items, actions, help };
  const coordinatorName = textOrNull(input.coordinatorName);
  return {
    material: isMaterial(plan, checked, { goals: existingGoals, items: existingItems }),
    preview: (current) => previewOf(current, checked, coordinatorName),
    write: async (p) => {
      ctx.em.assign(p, { periodStart, periodEnd, ...(coordinatorName ? { coordinatorName } : {}) });
      await writeContents(ctx, p, { goals, items, actions, help });
    },
  };
}

/** A DRAFT is edited freely; an ACTIVE plan takes only changes that are not material (a material one is proposed: proposeChange). */
export const updatePlan = (ctx: RequestContext, input: IpusUpdateInput) =>
  changePlan(ctx, input, {
    ...IPUS_MOVES.edit,
    async prepare(plan, errors) {
      // The pending change replays its whole update when agreed: an edit made meanwhile would be undone by it.
      const pending = plan.pendingRevision;
      if (plan.status === IpusStatus.ACTIVE && pending && pending.state !== PendingRevisionState.RETURNED) {
        errors.add(
          'id',
          `A change of this plan is pending (${pending.state}): edit it once the resident has agreed to it, or after it is withdrawn`,
          UserErrorCode.NOT_ALLOWED,
        );
        return null;
      }
      const checked = await checkUpdate(ctx, plan, input, errors);
      if (!checked) return null;
      if (plan.status === IpusStatus.ACTIVE && checked.material) {
        errors.add(
          'id',
          "A material change of an active plan (goals, services, schedules, quantities, providers, places, period) needs approval and the resident's agreement: propose it with ipusChangePropose",
          UserErrorCode.NOT_ALLOWED,
        );
        return null;
      }
      return async (p) => {
        await checked.write(p);
        return p.status === IpusStatus.ACTIVE ? IpusChangeKind.UPDATED : IpusChangeKind.EDITED;
      };
    },
  });

export const submitPlan = (ctx: RequestContext, input: IpusRevisionInput) =>
  changePlan(ctx, input, {
    ...IPUS_MOVES.submit,
    async prepare(plan, errors) {
      const [goals, items, actions] = await Promise.all([
        ctx.em.count(IpusGoal, { ipusId: plan.id }),
        ctx.em.count(IpusItem, { ipusId: plan.id }),
        ctx.em.count(IpusSupportingAction, { ipusId: plan.id }),
      ]);
      if (goals === 0) errors.add('id', 'A plan needs at least one goal before it is submitted', UserErrorCode.REQUIRED);
      if (items + actions === 0) errors.add('id', 'A plan needs at least one service or supporting action before it is submitted', UserErrorCode.REQUIRED);
      if (errors.any) return null;
      return async (p) => {
        ctx.em.assign(p, { status: IpusStatus.AWAITING_APPROVAL, submittedOn: todayInPoland() });
        return IpusChangeKind.SUBMITTED;
      };
    },
  });

export const approvePlan = (ctx: RequestContext, input: IpusRevisionInput) =>
  changePlan(ctx, input, {
    ...IPUS_MOVES.approve,
    async prepare(plan, errors) {
      // From approval the plan's items hold capacity: their commissions must have room now (CAPACITY_EXCEEDED otherwise).
      const items = await ctx.em.find(IpusItem, { ipusId: plan.id, commissionId: { $ne: null } }, { orderBy: { position: 'asc' } });
      await checkRoomAtApproval(
        ctx,
        { ipusId: plan.id, cusUnitId: plan.cusUnitId, residentId: plan.residentId },
        items.map((i) => ({ ...i, commissionId: i.commissionId as string, partnerId: i.partnerId as string })),
        errors,
      );
      if (errors.any) return null;
      return async (p) => {
        ctx.em.assign(p, { status: IpusStatus.APPROVED, approvedOn: todayInPoland(), approvedBy: ctx.principal.subject });
        return IpusChangeKind.APPROVED;
      };
    },
  });

export const returnPlan = (ctx: RequestContext, input: IpusReturnInput) =>
  changePlan(ctx, input, {
    ...IPUS_MOVES.return,
    async prepare(plan, errors) {
      const reason = textOrNull(input.reason);
      if (reason === null) errors.add('reason', 'Say what the coordinator should change', UserErrorCode.REQUIRED);
      if (errors.any || reason === null) return null;
      return async (p) => {
        ctx.em.assign(p, { status: IpusStatus.DRAFT, submittedOn: null });
        ctx.em.create(IpusMonitoringNote, {
          gminaId: p.gminaId,
          ipusId: p.id,
          notedOn: todayInPoland(),
          authorSubject: ctx.principal.subject,
          authorName: ctx.principal.subject,
          note: `Returned for changes: ${reason}`,
        } as never);
        return IpusChangeKind.RETURNED;
      };
    },
  });

export const activatePlan = (ctx: RequestContext, input: IpusActivateInput) =>
  changePlan(ctx, input, {
    ...IPUS_MOVES.activate,
    async prepare(plan, errors) {
      notFuture(input.agreedOn, 'agreedOn', 'The agreement date', errors);
      if (plan.approvedOn && input.agreedOn < plan.approvedOn) {
        errors.add('agreedOn', `The resident agrees to the approved plan: not before ${plan.approvedOn}`, UserErrorCode.OUT_OF_RANGE);
      }
      if (errors.any) return null;
      return async (p) => {
        ctx.em.assign(p, { status: IpusStatus.ACTIVE, agreedOn: input.agreedOn, agreementHow: input.agreementHow, activatedOn: todayInPoland() });
        return IpusChangeKind.ACTIVATED;
      };
    },
  });

export const addMonitoringNote = (ctx: RequestContext, input: IpusNoteInput) =>
  changePlan(ctx, input, {
    ...IPUS_MOVES.monitor,
    async prepare(plan, errors) {
      const note = textOrNull(input.note);
      const notedOn = input.notedOn ?? todayInPoland();
      if (note === null) errors.add('note', 'Write the note', UserErrorCode.REQUIRED);
      notFuture(notedOn, 'notedOn', 'The note date', errors);
      if (plan.activatedOn && notedOn < plan.activatedOn) errors.add('notedOn', `The plan is active since ${plan.activatedOn}`, UserErrorCode.OUT_OF_RANGE);
      if (errors.any) return null;
      return async (p) => {
        ctx.em.create(IpusMonitoringNote, {
          gminaId: p.gminaId,
          ipusId: p.id,
          notedOn,
          authorSubject: ctx.principal.subject,
          authorName: textOrNull(input.authorName) ?? ctx.principal.subject,
          note,
        } as never);
        return IpusChangeKind.NOTE_ADDED;
      };
    },
  });

export const completePlan = (ctx: RequestContext, input: IpusCompleteInput) =>
  changePlan(ctx, input, {
    ...IPUS_MOVES.complete,
    async prepare(plan, errors) {
      notFuture(input.closingConversationOn, 'closingConversationOn', 'The closing conversation', errors);
      // It closes the plan's work: not before the plan came into force.
      if (plan.activatedOn && input.closingConversationOn < plan.activatedOn) {
        errors.add(
          'closingConversationOn',
          `The closing conversation ends the plan's work: not before it was activated on ${plan.activatedOn}`,
          UserErrorCode.OUT_OF_RANGE,
        );
      }
      const goals = await ctx.em.find(IpusGoal, { ipusId: plan.id }, { orderBy: { position: 'asc' } });
      const given = new Map<string, { outcome: string; summary: string }>();
      input.goals.forEach((closing, i) => {
        const goal = goals.find((g) => g.globalId === closing.goalId);
        const summary = textOrNull(closing.summary);
        if (!goal) errors.add(['goals', String(i), 'goalId'], 'No such goal in this plan', UserErrorCode.NOT_FOUND);
        else if (given.has(goal.id)) errors.add(['goals', String(i), 'goalId'], 'This goal is summarised twice', UserErrorCode.DUPLICATE);
        if (summary === null) errors.add(['goals', String(i), 'summary'], 'Summarise what was achieved', UserErrorCode.REQUIRED);
        if (goal && summary !== null) given.set(goal.id, { outcome: closing.outcome, summary });
      });
      for (const goal of goals) {
        if (!input.goals.some((c) => c.goalId === goal.globalId)) {
          errors.add('goals', `Goal ${goal.position} ("${goal.description}") needs its closing summary`, UserErrorCode.REQUIRED);
        }
      }
      if (errors.any) return null;
      return async (p) => {
        for (const goal of goals) {
          const closing = given.get(goal.id);
          if (closing) ctx.em.assign(goal, { outcome: closing.outcome, closingSummary: closing.summary } as never);
        }
        ctx.em.assign(p, {
          status: IpusStatus.COMPLETED,
          closingConversationOn: input.closingConversationOn,
          closedOn: todayInPoland(),
          pendingRevision: null,
        });
        return IpusChangeKind.COMPLETED;
      };
    },
  });

export const terminatePlan = (ctx: RequestContext, input: IpusTerminateInput) =>
  changePlan(ctx, input, {
    ...IPUS_MOVES.terminate,
    async prepare(_plan, errors) {
      const reason = textOrNull(input.reason);
      if (input.reasonCode === TerminationReason.OTHER && reason === null) errors.add('reason', 'Say why the plan ends (reason OTHER)', UserErrorCode.REQUIRED);
      if (errors.any) return null;
      return async (p) => {
        ctx.em.assign(p, {
          status: IpusStatus.TERMINATED,
          terminationCode: input.reasonCode,
          terminationReason: reason,
          closedOn: todayInPoland(),
          pendingRevision: null,
        });
        return IpusChangeKind.TERMINATED;
      };
    },
  });

/*
 * A material change of an ACTIVE plan: proposed with a reason, approved (or returned) by the director
 * or a services organiser, agreed by the resident; only then written to the plan. Each step is a
 * revision of the plan (an ipusUpdated event); the plan in force does not change before the last.
 */

const changeMove = { from: [ACTIVE], what: 'changing an active plan' } satisfies Move<IpusStatus>;

function pendingIn(plan: Ipus, states: PendingRevisionState[], errors: UserErrors): PendingRevisionData | null {
  const pending = plan.pendingRevision;
  if (!pending) errors.add('id', 'The plan has no proposed change', UserErrorCode.NOT_ALLOWED);
  else if (!states.includes(pending.state)) errors.add('id', `The proposed change is ${pending.state}: not allowed now`, UserErrorCode.NOT_ALLOWED);
  return pending && states.includes(pending.state) ? pending : null;
}

export const proposeChange = (ctx: RequestContext, input: IpusChangeProposeInput) =>
  changePlan(ctx, input, {
    ...changeMove,
    async prepare(plan, errors) {
      const reason = textOrNull(input.reason);
      if (reason === null) errors.add('reason', 'Say why the plan should change', UserErrorCode.REQUIRED);
      if (plan.pendingRevision && plan.pendingRevision.state !== PendingRevisionState.RETURNED) {
        errors.add('id', `A change is already proposed (${plan.pendingRevision.state}); withdraw it first`, UserErrorCode.NOT_ALLOWED);
      }
      const { id: _id, revision: _revision, reason: _reason, ...update } = input;
      const checked = await checkUpdate(ctx, plan, update, errors);
      if (checked && !checked.material) errors.add('id', 'Nothing material changes: make this change with ipusUpdate', UserErrorCode.INVALID);
      if (!checked || errors.any || reason === null) return null;
      const current = snapshotOf(plan, await loadParts(ctx, plan.id));
      const preview = checked.preview(current);
      return async (p) => {
        p.pendingRevision = {
          state: PendingRevisionState.AWAITING_APPROVAL,
          reason,
          proposedBy: ctx.principal.subject,
          proposedOn: todayInPoland(),
          approvedBy: null,
          approvedOn: null,
          returnedReason: null,
          update: JSON.parse(JSON.stringify(update)) as ProposedUpdate,
          preview,
          changes: diffSnapshots(current, preview),
        };
        return IpusChangeKind.CHANGE_PROPOSED;
      };
    },
  });

export const approveChange = (ctx: RequestContext, input: IpusRevisionInput) =>
  changePlan(ctx, input, {
    ...changeMove,
    async prepare(plan, errors) {
      const pending = pendingIn(plan, [PendingRevisionState.AWAITING_APPROVAL], errors);
      // Checked again as it stands now, capacity included: the approver sees what would be refused.
      if (!pending || !(await checkUpdate(ctx, plan, pending.update, errors)) || errors.any) return null;
      return async (p) => {
        p.pendingRevision = { ...pending, state: PendingRevisionState.APPROVED, approvedBy: ctx.principal.subject, approvedOn: todayInPoland() };
        return IpusChangeKind.CHANGE_APPROVED;
      };
    },
  });

export const returnChange = (ctx: RequestContext, input: IpusReturnInput) =>
  changePlan(ctx, input, {
    ...changeMove,
    async prepare(plan, errors) {
      const pending = pendingIn(plan, [PendingRevisionState.AWAITING_APPROVAL], errors);
      const reason = textOrNull(input.reason);
      if (reason === null) errors.add('reason', 'Say what the coordinator should change', UserErrorCode.REQUIRED);
      if (!pending || reason === null || errors.any) return null;
      return async (p) => {
        p.pendingRevision = { ...pending, state: PendingRevisionState.RETURNED, returnedReason: reason };
        return IpusChangeKind.CHANGE_RETURNED;
      };
    },
  });

export const withdrawChange = (ctx: RequestContext, input: IpusRevisionInput) =>
  changePlan(ctx, input, {
    ...changeMove,
    async prepare(plan, errors) {
      if (!pendingIn(plan, Object.values(PendingRevisionState), errors)) return null;
      return async (p) => {
        p.pendingRevision = null;
        return IpusChangeKind.CHANGE_WITHDRAWN;
      };
    },
  });

/** The resident agreed to the approved change: it is checked again (capacity included) and takes effect. */
export const agreeChange = (ctx: RequestContext, input: IpusActivateInput) =>
  changePlan(ctx, input, {
    ...changeMove,
    async prepare(plan, errors) {
      const pending = pendingIn(plan, [PendingRevisionState.APPROVED], errors);
      notFuture(input.agreedOn, 'agreedOn', 'The agreement date', errors);
      if (pending?.approvedOn && input.agreedOn < pending.approvedOn) {
        errors.add('agreedOn', `The resident agrees to the approved change: not before ${pending.approvedOn}`, UserErrorCode.OUT_OF_RANGE);
      }
      if (!pending || errors.any) return null;
      const checked = await checkUpdate(ctx, plan, pending.update, errors);
      if (!checked || errors.any) return null;
      return async (p) => {
        await checked.write(p);
        // The agreement on record is the resident's agreement to the plan as now in force; the revisions keep the earlier one.
        ctx.em.assign(p, { agreedOn: input.agreedOn, agreementHow: input.agreementHow, pendingRevision: null });
        return IpusChangeKind.CHANGE_AGREED;
      };
    },
  });
