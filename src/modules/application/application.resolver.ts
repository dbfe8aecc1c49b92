import type { FilterQuery } from '@mikro-orm/core';
import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Info, Mutation, Query, Resolver, Root } from 'type-graphql';
import { RECORD_KEEPERS, RECORD_READERS, Role } from '../../platform/auth/roles.js';
import { Connection, findPage, PageArgs, toConnection } from '../../platform/graphql/connection.js';
import type { RequestContext } from '../../platform/graphql/context.js';
import { isUuid, registerNodeType, uuidFromGlobalId } from '../../platform/graphql/node.js';
import { Service } from '../catalogue/service.entity.js';
import { serviceById } from '../catalogue/service.loader.js';
import type { Result } from '../common/result.js';
import { CusUnit } from '../cus-unit/cus-unit.entity.js';
import { cusUnitById } from '../cus-unit/cus-unit.loader.js';
import { noteResidentRead } from '../resident/access-log.js';
import { Resident } from '../resident/resident.entity.js';
import { recordIdsOf, residentById } from '../resident/resident.loader.js';
import { Application } from './application.entity.js';
import {
  ApplicationFileInput, ApplicationFilter, ApplicationForwardInput, ApplicationPayload, ApplicationQualifyInput,
  ApplicationRefuseInput, ApplicationUpdateInput,
} from './application.inputs.js';
import { applicationById, applicationsOfPerson, FILING_ORDER, needsAssessmentsOfApplication } from './application.loader.js';
import { showApplications } from './application.read-log.js';
import {
  fileApplication, forwardApplication, qualifyApplication, refuseApplication, updateApplication,
} from './application.service.js';
import { NeedsAssessment } from './needs-assessment.entity.js';

registerNodeType('Application', async (ctx, key, info) => (isUuid(key) ? showApplications(ctx, info, await applicationById(ctx).load(key)) : null));

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

/** A mutation's payload; the application it returns is a read of the resident's record like any other. */
function payload(ctx: RequestContext, info: GraphQLResolveInfo, { value, userErrors }: Result<Application>): ApplicationPayload {
  return { application: showApplications(ctx, info, value), userErrors };
}

@Resolver(() => Application)
export class ApplicationResolver {
  @Authorized(...RECORD_READERS)
  @Query(() => ApplicationConnection, { description: 'Applications of your gminy in filing order (filed date, filing number); each read is logged' })
  async applications(
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
    @Args(() => PageArgs) page: PageArgs,
    @Arg('filter', () => ApplicationFilter, { nullable: true }) filter?: ApplicationFilter,
  ) {
    const found = await findPage(ctx.em, Application, await applicationWhere(ctx, filter), [...FILING_ORDER], page);
    showApplications(ctx, info, found.nodes);
    return toConnection(ApplicationConnection, found);
  }

  @Authorized(...RECORD_READERS)
  @Query(() => Application, { nullable: true, description: 'An application by id; the read is logged' })
  async application(@Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo, @Arg('id', () => ID) id: string): Promise<Application | null> {
    return showApplications(ctx, info, await applicationById(ctx).load(uuidFromGlobalId(id, 'Application')));
  }

  @FieldResolver(() => Resident, { description: 'Who applies (reading the resident is logged)' })
  async resident(@Root() application: Application, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<Resident> {
    const resident = (await residentById(ctx).load(application.residentId)) as Resident;
    noteResidentRead(ctx, resident, info);
    return resident;
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
    // The application itself was logged as read where it was returned; its assessments are the same record.
    return needsAssessmentsOfApplication(ctx).load(application.id);
  }

  @Authorized(...RECORD_KEEPERS)
  @Mutation(() => ApplicationPayload, { description: "File a resident's application with a CUS unit serving their gmina" })
  async applicationFile(@Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo, @Arg('input', () => ApplicationFileInput) input: ApplicationFileInput): Promise<ApplicationPayload> {
    return payload(ctx, info, await fileApplication(ctx, input));
  }

  @Authorized(...RECORD_KEEPERS)
  @Mutation(() => ApplicationPayload, { description: 'Correct an application while it is FILED (not yet decided)' })
  async applicationUpdate(@Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo, @Arg('input', () => ApplicationUpdateInput) input: ApplicationUpdateInput): Promise<ApplicationPayload> {
    return payload(ctx, info, await updateApplication(ctx, input));
  }

  @Authorized(...RECORD_KEEPERS)
  @Mutation(() => ApplicationPayload, { description: 'Qualify a FILED application for services (no administrative decision); an application is decided once' })
  async applicationQualify(@Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo, @Arg('input', () => ApplicationQualifyInput) input: ApplicationQualifyInput): Promise<ApplicationPayload> {
    return payload(ctx, info, await qualifyApplication(ctx, input));
  }

  @Authorized(Role.DIRECTOR)
  @Mutation(() => ApplicationPayload, { description: 'Refuse a FILED application by an administrative decision (director only); an application is decided once' })
  async applicationRefuse(@Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo, @Arg('input', () => ApplicationRefuseInput) input: ApplicationRefuseInput): Promise<ApplicationPayload> {
    return payload(ctx, info, await refuseApplication(ctx, input));
  }

  @Authorized(...RECORD_KEEPERS)
  @Mutation(() => ApplicationPayload, { description: "Forward a FILED application, with the applicant's consent, to another team or gmina unit; an application is decided once" })
  async applicationForward(@Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo, @Arg('input', () => ApplicationForwardInput) input: ApplicationForwardInput): Promise<ApplicationPayload> {
    return payload(ctx, info, await forwardApplication(ctx, input));
  }
}

@Resolver(() => Resident)
export class ResidentApplicationsResolver {
  @FieldResolver(() => [Application], { description: "The resident's applications in filing order" })
  async applications(@Root() resident: Resident, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<Application[]> {
    return showApplications(ctx, info, await applicationsOfPerson(ctx, resident));
  }
}
