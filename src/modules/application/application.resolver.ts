import type { FilterQuery } from '@mikro-orm/core';
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { RECORD_KEEPERS, RECORD_READERS, Role } from '../../platform/auth/roles.js';
import { Connection, findPage, PageArgs, toConnection } from '../../platform/graphql/connection.js';
import { declareMutations } from '../common/mutation-table.js';
import type { RequestContext } from '../../platform/graphql/context.js';
import { isUuid, registerNodeType, uuidFromGlobalId } from '../../platform/graphql/node.js';
import { Service } from '../catalogue/service.entity.js';
import { serviceById } from '../catalogue/service.loader.js';
import { CusUnit } from '../cus-unit/cus-unit.entity.js';
import { cusUnitById } from '../cus-unit/cus-unit.loader.js';
import { Resident } from '../resident/resident.entity.js';
import { recordIdsOf, residentById } from '../resident/resident.loader.js';
import { Application } from './application.entity.js';
import {
  ApplicationDecisionDeliveredInput,
  ApplicationFileInput,
  ApplicationFilter,
  ApplicationForwardInput,
  ApplicationPayload,
  ApplicationQualifyInput,
  ApplicationRefuseInput,
  ApplicationUpdateInput,
} from './application.inputs.js';
import { applicationById, applicationsOfPerson, FILING_ORDER, needsAssessmentsOfApplication } from './application.loader.js';
import {
  fileApplication,
  forwardApplication,
  qualifyApplication,
  recordDecisionDelivery,
  refuseApplication,
  updateApplication,
} from './application.service.js';
import { NeedsAssessment } from './needs-assessment.entity.js';

// An application is part of the resident's record: every field that returns one logs the read (src/modules/personal-data.ts).
registerNodeType('Application', async (ctx, key) => (isUuid(key) ? applicationById(ctx).load(key) : null));

const ApplicationConnection = Connection(Application);

async function applicationWhere(ctx: RequestContext, filter: ApplicationFilter | undefined): Promise<FilterQuery<Application>> {
  const where: FilterQuery<Application> & Record<string, unknown> = {};
  if (filter?.cusUnitId) where.cusUnitId = uuidFromGlobalId(filter.cusUnitId, 'CusUnit', 'cusUnitId');
  // A person's applications, filed under any of their records (merged ones keep their own).
  if (filter?.residentId) where.residentId = { $in: await recordIdsOf(ctx, uuidFromGlobalId(filter.residentId, 'Resident', 'residentId')) };
  if (filter?.statuses) where.status = { $in: filter.statuses };
  if (filter?.filedFrom || filter?.filedTo) {
    where.filedOn = { ...(filter.filedFrom ? { $gte: filter.filedFrom } : {}), ...(filter.filedTo ? { $lte: filter.filedTo } : {}) };
  }
  return where;
}

@Resolver(() => Application)
export class ApplicationResolver {
  @Authorized(...RECORD_READERS)
  @Query(() => ApplicationConnection, { description: 'Applications of your gminy in filing order (filed date, filing number); each read is logged' })
  async applications(
    @Ctx() ctx: RequestContext,
    @Args(() => PageArgs) page: PageArgs,
    @Arg('filter', () => ApplicationFilter, { nullable: true }) filter?: ApplicationFilter,
  ) {
    const found = await findPage(ctx.em, Application, await applicationWhere(ctx, filter), [...FILING_ORDER], page);
    return toConnection(ApplicationConnection, found);
  }

  @Authorized(...RECORD_READERS)
  @Query(() => Application, { nullable: true, description: 'An application by id; the read is logged' })
  async application(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<Application | null> {
    return applicationById(ctx).load(uuidFromGlobalId(id, 'Application'));
  }

  @FieldResolver(() => Resident, { description: 'Who applies (reading the resident is logged)' })
  async resident(@Root() application: Application, @Ctx() ctx: RequestContext): Promise<Resident> {
    return (await residentById(ctx).load(application.residentId)) as Resident;
  }

  @FieldResolver(() => CusUnit, { description: 'The CUS unit the application was filed with' })
  async cusUnit(@Root() application: Application, @Ctx() ctx: RequestContext): Promise<CusUnit> {
    return (await cusUnitById(ctx).load(application.cusUnitId)) as CusUnit;
  }

  @FieldResolver(() => [Service], { description: 'Services asked for, as named in the application (those you may see)' })
  async requestedServices(@Root() application: Application, @Ctx() ctx: RequestContext): Promise<Service[]> {
    const services = await serviceById(ctx).loadMany(application.requestedServiceIds);
    return services.filter((s): s is Service => s instanceof Service);
  }

  @FieldResolver(() => [NeedsAssessment], { description: 'Needs assessments of the application, earliest conversation first' })
  needsAssessments(@Root() application: Application, @Ctx() ctx: RequestContext): Promise<NeedsAssessment[]> {
    return needsAssessmentsOfApplication(ctx).load(application.id);
  }
}

// Each mutation returns the application it changed: a read of the resident's record like any other.
declareMutations(ApplicationResolver, RECORD_KEEPERS, ApplicationPayload, {
  applicationFile: { description: "File a resident's application with a CUS unit serving their gmina", input: ApplicationFileInput, run: fileApplication },
  applicationUpdate: { description: 'Correct an application while it is FILED (not yet decided)', input: ApplicationUpdateInput, run: updateApplication },
  applicationQualify: {
    description: 'Qualify a FILED application for services (no administrative decision); an application is decided once',
    input: ApplicationQualifyInput,
    run: qualifyApplication,
  },
  applicationRefuse: {
    description: 'Refuse a FILED application by an administrative decision (director only); an application is decided once',
    input: ApplicationRefuseInput,
    run: refuseApplication,
    roles: [Role.DIRECTOR],
  },
  applicationDecisionDelivered: {
    description: 'Record the day a refusal decision was delivered to the applicant, once: it fixes the deadline for an appeal (decision.appealDeadline)',
    input: ApplicationDecisionDeliveredInput,
    run: recordDecisionDelivery,
  },
  applicationForward: {
    description: "Forward a FILED application, with the applicant's consent, to another team or gmina unit; an application is decided once",
    input: ApplicationForwardInput,
    run: forwardApplication,
  },
});

@Resolver(() => Resident)
export class ResidentApplicationsResolver {
  @FieldResolver(() => [Application], { description: "The resident's applications in filing order" })
  async applications(@Root() resident: Resident, @Ctx() ctx: RequestContext): Promise<Application[]> {
    return applicationsOfPerson(ctx, resident);
  }
}
