import type { FilterQuery } from '@mikro-orm/core';
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { RECORD_READERS, Role } from '../../platform/auth/roles.js';
import { Connection, findPage, PageArgs, toConnection } from '../../platform/graphql/connection.js';
import { declareMutations } from '../common/mutation-table.js';
import type { RequestContext } from '../../platform/graphql/context.js';
import { badInput } from '../../platform/graphql/errors.js';
import { isUuid, keyAsOf, registerNodeType, splitKeyAsOf, toGlobalId, uuidFromGlobalId } from '../../platform/graphql/node.js';
import { LocalDateScalar } from '../../platform/graphql/scalars.js';
import { Application } from '../application/application.entity.js';
import { applicationById } from '../application/application.loader.js';
import { Location } from '../catalogue/location.entity.js';
import { locationById } from '../catalogue/location.loader.js';
import { Service } from '../catalogue/service.entity.js';
import { serviceById } from '../catalogue/service.loader.js';
import { CusUnit } from '../cus-unit/cus-unit.entity.js';
import { cusUnitById } from '../cus-unit/cus-unit.loader.js';
import { Partner } from '../partner/partner.entity.js';
import { partnerById } from '../partner/partner.loader.js';
import { Resident } from '../resident/resident.entity.js';
import { recordIdsOf, residentById } from '../resident/resident.loader.js';
import { Ipus } from './ipus.entity.js';
import {
  IpusActivateInput,
  IpusChangeProposeInput,
  IpusCompleteInput,
  IpusCreateInput,
  IpusFilter,
  IpusNoteInput,
  IpusPayload,
  IpusReturnInput,
  IpusRevisionInput,
  IpusTerminateInput,
  IpusUpdateInput,
} from './ipus.inputs.js';
import {
  actionsOfPlan,
  goalsOfPlan,
  ipusById,
  itemsOfPlan,
  nextVisitsOfItem,
  notesOfPlan,
  PLAN_ORDER,
  plansOfApplication,
  plansOfPerson,
} from './ipus.loader.js';
import { IpusGoal, IpusItem, IpusMonitoringNote, IpusSupportingAction } from './ipus-parts.entity.js';
import { IpusRevision } from './ipus-revision.js';
import { revisionsOfPlan } from './ipus-revision.js';
import { IpusRevisionPlan, planFromSnapshot, planPartAsOf, revisionPlans } from './ipus-revision-plan.js';
import { IpusPendingRevision } from './ipus-revision-pending.js';
import {
  activatePlan,
  addMonitoringNote,
  agreeChange,
  approveChange,
  approvePlan,
  completePlan,
  createPlan,
  proposeChange,
  returnChange,
  returnPlan,
  submitPlan,
  terminatePlan,
  updatePlan,
  withdrawChange,
} from './ipus.service.js';

/** How many next visits of an item one may ask for: a month of daily visits at most. */
export const MAX_NEXT_VISITS = 31;

/** Only the director or an authorised services organiser approves a plan (DOMAIN.md). */
export const PLAN_APPROVERS = [Role.DIRECTOR, Role.SERVICES_ORGANISER];

// A plan is part of the resident's record, and its goals and items part of the plan: every field that
// returns one logs the read (src/modules/personal-data.ts), a copy as of a revision too.
registerNodeType('Ipus', async (ctx, key) => (isUuid(key) ? ipusById(ctx).load(key) : null));
// A goal's or item's id may name a copy as of a revision (read through asOfRevision): that copy is what it fetches.
for (const [part, inSnapshot] of [
  [IpusGoal, 'goals'],
  [IpusItem, 'items'],
] as const) {
  registerNodeType(part.name, async (ctx, globalKey) => {
    const { key, asOf } = splitKeyAsOf(globalKey);
    if (!isUuid(key)) return null;
    if (asOf !== undefined) return (await planPartAsOf(ctx, inSnapshot, key, asOf))?.part ?? null;
    return ctx.em.findOne(part as typeof IpusGoal, { id: key });
  });
}

const IpusConnection = Connection(Ipus);

async function planWhere(ctx: RequestContext, filter: IpusFilter | undefined): Promise<FilterQuery<Ipus>> {
  const where: FilterQuery<Ipus> & Record<string, unknown> = {};
  if (filter?.cusUnitId) where.cusUnitId = uuidFromGlobalId(filter.cusUnitId, 'CusUnit', 'cusUnitId');
  // A person's plans, made under any of their records (merged ones keep their own).
  if (filter?.residentId) where.residentId = { $in: await recordIdsOf(ctx, uuidFromGlobalId(filter.residentId, 'Resident', 'residentId')) };
  if (filter?.statuses) where.status = { $in: filter.statuses };
  if (filter?.mine) where.coordinatorSubject = ctx.principal.subject;
  return where;
}

@Resolver(() => Ipus)
export class IpusResolver {
  @Authorized(...RECORD_READERS)
  @Query(() => IpusConnection, { description: 'Plans of your gminy, latest period first; each read is logged' })
  async plans(@Ctx() ctx: RequestContext, @Args(() => PageArgs) page: PageArgs, @Arg('filter', () => IpusFilter, { nullable: true }) filter?: IpusFilter) {
    return toConnection(IpusConnection, await findPage(ctx.em, Ipus, await planWhere(ctx, filter), [...PLAN_ORDER], page));
  }

  @Authorized(...RECORD_READERS)
  @Query(() => Ipus, { nullable: true, description: 'A plan by id; the read is logged' })
  async ipus(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<Ipus | null> {
    return ipusById(ctx).load(uuidFromGlobalId(id, 'Ipus'));
  }

  @FieldResolver(() => Resident, { description: 'Whose plan it is (reading the resident is logged)' })
  async resident(@Root() plan: Ipus, @Ctx() ctx: RequestContext): Promise<Resident> {
    return (await residentById(ctx).load(plan.residentId)) as Resident;
  }

  @FieldResolver(() => Application)
  async application(@Root() plan: Ipus, @Ctx() ctx: RequestContext): Promise<Application> {
    return (await applicationById(ctx).load(plan.applicationId)) as Application;
  }

  @FieldResolver(() => CusUnit)
  async cusUnit(@Root() plan: Ipus, @Ctx() ctx: RequestContext): Promise<CusUnit> {
    return (await cusUnitById(ctx).load(plan.cusUnitId)) as CusUnit;
  }

  @FieldResolver(() => [IpusGoal])
  goals(@Root() plan: Ipus, @Ctx() ctx: RequestContext): Promise<IpusGoal[]> {
    return goalsOfPlan(ctx).load(plan.id);
  }

  @FieldResolver(() => [IpusItem])
  items(@Root() plan: Ipus, @Ctx() ctx: RequestContext): Promise<IpusItem[]> {
    return itemsOfPlan(ctx).load(plan.id);
  }

  @FieldResolver(() => [IpusSupportingAction])
  supportingActions(@Root() plan: Ipus, @Ctx() ctx: RequestContext): Promise<IpusSupportingAction[]> {
    return actionsOfPlan(ctx).load(plan.id);
  }

  @FieldResolver(() => [IpusMonitoringNote], { description: 'Oldest first' })
  monitoringNotes(@Root() plan: Ipus, @Ctx() ctx: RequestContext): Promise<IpusMonitoringNote[]> {
    return notesOfPlan(ctx).load(plan.id);
  }

  @FieldResolver(() => [IpusRevision], { description: 'Every change of the plan, newest first: who changed what and when' })
  revisions(@Root() plan: Ipus, @Ctx() ctx: RequestContext): Promise<IpusRevision[]> {
    return revisionsOfPlan(ctx).load(plan.id);
  }

  @FieldResolver(() => IpusRevisionPlan, { nullable: true, description: 'The whole plan as it stood at a revision' })
  asOfRevision(@Root() plan: Ipus, @Ctx() ctx: RequestContext, @Arg('revision', () => Int) revision: number): Promise<IpusRevisionPlan | null> {
    return revisionPlans(ctx).load(`${plan.id}:${revision}`);
  }

  @FieldResolver(() => IpusPendingRevision, {
    nullable: true,
    description: "A material change of the ACTIVE plan waiting for approval and the resident's agreement; the plan's own fields are the plan in force",
  })
  pendingRevision(@Root() plan: Ipus): IpusPendingRevision | null {
    const pending = plan.pendingRevision;
    if (!pending) return null;
    const { update: _update, preview, ...shown } = pending;
    return Object.assign(new IpusPendingRevision(), shown, { plan: planFromSnapshot(plan.id, plan.revision, preview) });
  }
}

declareMutations(IpusResolver, [Role.COORDINATOR], IpusPayload, {
  ipusCreate: { description: 'A coordinator prepares a DRAFT plan for the resident of a QUALIFIED application', input: IpusCreateInput, run: createPlan },
  ipusUpdate: { description: 'Edits a DRAFT plan, or updates an ACTIVE one; a stale revision gets CONFLICT', input: IpusUpdateInput, run: updatePlan },
  ipusSubmit: { description: 'DRAFT to AWAITING_APPROVAL; needs a goal and a service or supporting action', input: IpusRevisionInput, run: submitPlan },
  ipusApprove: {
    description: 'AWAITING_APPROVAL to APPROVED, by the director or a services organiser',
    input: IpusRevisionInput,
    run: approvePlan,
    roles: PLAN_APPROVERS,
  },
  ipusReturnToDraft: {
    description: 'AWAITING_APPROVAL back to DRAFT, with what to change (kept as a note)',
    input: IpusReturnInput,
    run: returnPlan,
    roles: PLAN_APPROVERS,
  },
  ipusActivate: { description: "Records the resident's agreement (when, how) and activates: APPROVED to ACTIVE", input: IpusActivateInput, run: activatePlan },
  ipusMonitoringNoteAdd: { description: 'A monitoring note on an ACTIVE plan', input: IpusNoteInput, run: addMonitoringNote },
  // The name before mutations were named noun first; kept so that clients built against it still work.
  ipusAddMonitoringNote: {
    description: 'A monitoring note on an ACTIVE plan',
    deprecationReason: 'Use ipusMonitoringNoteAdd (the same mutation, named noun first like the others).',
    input: IpusNoteInput,
    run: addMonitoringNote,
  },
  ipusComplete: { description: 'ACTIVE to COMPLETED, with the closing conversation and a summary for every goal', input: IpusCompleteInput, run: completePlan },
  ipusChangePropose: {
    description:
      'Proposes a material change of an ACTIVE plan (as ipusUpdate takes it) with its reason; it takes effect once approved and agreed by the resident',
    input: IpusChangeProposeInput,
    run: proposeChange,
  },
  ipusChangeApprove: {
    description: "Approves the proposed change (checked again, capacity included); it then waits for the resident's agreement",
    input: IpusRevisionInput,
    run: approveChange,
    roles: PLAN_APPROVERS,
  },
  ipusChangeReturn: {
    description: 'Returns the proposed change to the coordinator, with what to change',
    input: IpusReturnInput,
    run: returnChange,
    roles: PLAN_APPROVERS,
  },
  ipusChangeWithdraw: { description: 'Withdraws the proposed change; the plan in force stays as it is', input: IpusRevisionInput, run: withdrawChange },
  ipusChangeAgree: {
    description: "Records the resident's agreement to the approved change (when, how): it is checked again (capacity included) and takes effect",
    input: IpusActivateInput,
    run: agreeChange,
  },
  ipusTerminate: {
    description: 'Ends a plan that is not yet completed, with a reason',
    input: IpusTerminateInput,
    run: terminatePlan,
    roles: [Role.COORDINATOR, Role.DIRECTOR],
  },
});

@Resolver(() => IpusItem)
export class IpusItemResolver {
  @FieldResolver(() => Service, { nullable: true })
  service(@Root() item: IpusItem, @Ctx() ctx: RequestContext): Promise<Service | null> {
    return serviceById(ctx).load(item.serviceId);
  }

  @FieldResolver(() => Partner, { nullable: true, description: 'The partner that provides it (PARTNER)' })
  async partner(@Root() item: IpusItem, @Ctx() ctx: RequestContext): Promise<Partner | null> {
    return item.partnerId ? partnerById(ctx).load(item.partnerId) : null;
  }

  @FieldResolver(() => Location, { nullable: true, description: 'Where (LOCATION)' })
  async location(@Root() item: IpusItem, @Ctx() ctx: RequestContext): Promise<Location | null> {
    return item.locationId ? locationById(ctx).load(item.locationId) : null;
  }

  @FieldResolver(() => ID, { nullable: true, description: 'The goal it serves' })
  goalId(@Root() item: IpusItem): string | null {
    return item.goalId ? toGlobalId('IpusGoal', keyAsOf(item.goalId, item.asOf)) : null;
  }

  @FieldResolver(() => [LocalDateScalar], {
    description:
      "The next days of its weekly schedule from today (in Poland), within its dates and the plan's period, while the plan is " +
      'DRAFT, AWAITING_APPROVAL, APPROVED or ACTIVE; none for a number of sessions. Public holidays and days the gmina declared closed are ' +
      'skipped unless the item keepsHolidays. Read from the item as it stands now, also under asOfRevision',
  })
  nextVisits(
    @Root() item: IpusItem,
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { defaultValue: 3, description: `How many, 1 to ${MAX_NEXT_VISITS}` }) first: number,
  ): Promise<string[]> {
    if (!Number.isInteger(first) || first < 1 || first > MAX_NEXT_VISITS) throw badInput(`nextVisits(first:) must be between 1 and ${MAX_NEXT_VISITS}`);
    return nextVisitsOfItem(ctx, first).load(item.id);
  }
}

@Resolver(() => Resident)
export class ResidentPlansResolver {
  @FieldResolver(() => [Ipus], { description: "The resident's plans, latest period first" })
  async plans(@Root() resident: Resident, @Ctx() ctx: RequestContext): Promise<Ipus[]> {
    return plansOfPerson(ctx, resident);
  }
}

@Resolver(() => Application)
export class ApplicationPlansResolver {
  @FieldResolver(() => [Ipus], { description: 'Plans prepared on this application' })
  async plans(@Root() application: Application, @Ctx() ctx: RequestContext): Promise<Ipus[]> {
    return plansOfApplication(ctx).load(application.id);
  }
}
