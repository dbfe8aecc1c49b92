import type { FilterQuery } from '@mikro-orm/core';
import { GraphQLJSON } from 'graphql-scalars';
import { Arg, Args, Authorized, Ctx, Field, FieldResolver, ID, InputType, Query, Resolver, Root } from 'type-graphql';
import { RECORD_KEEPERS, RECORD_READERS, Role } from '../../platform/auth/roles.js';
import { tercToId } from '../../platform/auth/principal.js';
import { Connection, findPage, PageArgs, toConnection } from '../../platform/graphql/connection.js';
import { declareMutations } from '../common/mutation-table.js';
import type { RequestContext } from '../../platform/graphql/context.js';
import { isUuid, registerNodeType, toGlobalId, uuidFromGlobalId } from '../../platform/graphql/node.js';
import { TerytCodeScalar } from '../../platform/graphql/scalars.js';
import type { Result } from '../common/result.js';
import { Gmina } from '../gmina/gmina.entity.js';
import { gminaById } from '../gmina/gmina.loader.js';
import { ResidentAccessLogEntry } from './resident-access-log.entity.js';
import { residentDataExport } from './resident-export.js';
import { mergeResidents } from './resident-merge.js';
import { ResidentSensitive } from './resident-sensitive.entity.js';
import { Resident } from './resident.entity.js';
import { ResidentCreateInput, ResidentMergeInput, ResidentPayload, ResidentSensitiveSetInput, ResidentUpdateInput } from './resident.inputs.js';
import { recordIdsOf, residentById, residentSensitiveById } from './resident.loader.js';
import { createResident, setResidentSensitive, updateResident, type ResidentWritten } from './resident.service.js';

// Every field that returns a resident logs the read (src/modules/personal-data.ts): no resolver here notes one itself.
registerNodeType('Resident', async (ctx, key) => (isUuid(key) ? residentById(ctx).load(key) : null));

const ResidentConnection = Connection(Resident);
const ResidentAccessLogConnection = Connection(ResidentAccessLogEntry);

@InputType()
export class ResidentFilter {
  @Field(() => TerytCodeScalar, { nullable: true, description: 'Residents of this gmina' }) gmina?: string | null;
  @Field(() => String, { nullable: true, description: 'Every word appears in the first or last name (case-insensitive)' }) nameContains?: string | null;
  @Field(() => String, { nullable: true, description: 'Exactly this PESEL' }) pesel?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description:
      'Only records whose PESEL another record you read also holds (registered before one person was one record per centre): merge them with residentMerge',
  })
  sharedPesel?: boolean | null;
}

const likePattern = (word: string) => `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Records merged into another are history: lists show the survivor only. */
async function residentWhere(ctx: RequestContext, filter: ResidentFilter | undefined): Promise<FilterQuery<Resident>> {
  const where: FilterQuery<Resident> & Record<string, unknown> = { mergedInto: null };
  if (filter?.sharedPesel) {
    const shared = await ctx.em.execute<{ id: string }[]>(`select r.id from resident r where r.merged_into is null and r.pesel is not null
      and exists (select 1 from resident o where o.pesel = r.pesel and o.id <> r.id and o.merged_into is null)`);
    where.id = { $in: shared.map((row) => row.id) };
  }
  if (filter?.gmina) where.gminaId = tercToId(filter.gmina);
  if (filter?.pesel) where.pesel = filter.pesel.replace(/\s+/g, '');
  const words = filter?.nameContains?.trim().split(/\s+/).filter(Boolean) ?? [];
  if (words.length > 0) {
    where.$and = words.map((word) => ({ $or: [{ firstName: { $ilike: likePattern(word) } }, { lastName: { $ilike: likePattern(word) } }] }));
  }
  return where;
}

/** A change that looks for no duplicates (a merge, the sensitive data): its payload names none, and warns of none. */
function withoutDuplicates<I>(change: (ctx: RequestContext, input: I) => Promise<Result<Resident>>) {
  return async (ctx: RequestContext, input: I): Promise<ResidentWritten> => ({ ...(await change(ctx, input)), warnings: [], possibleDuplicates: [] });
}

@Resolver(() => Resident)
export class ResidentResolver {
  @Authorized(...RECORD_READERS)
  @Query(() => ResidentConnection, { description: 'Residents of your gminy by last name, first name; every resident listed is logged as read' })
  async residents(
    @Ctx() ctx: RequestContext,
    @Args(() => PageArgs) page: PageArgs,
    @Arg('filter', () => ResidentFilter, { nullable: true }) filter?: ResidentFilter,
  ) {
    const found = await findPage(ctx.em, Resident, await residentWhere(ctx, filter), [{ lastName: 'asc' }, { firstName: 'asc' }, { id: 'asc' }], page);
    return toConnection(ResidentConnection, found);
  }

  @Authorized(...RECORD_READERS)
  @Query(() => Resident, { nullable: true, description: 'A resident by id; the read is logged' })
  resident(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<Resident | null> {
    return residentById(ctx).load(uuidFromGlobalId(id, 'Resident'));
  }

  @FieldResolver(() => [ID], {
    description: "Records merged into this one (residentMerge): their ids lead here, and their applications, plans and reads are this person's",
  })
  mergedIds(@Root() resident: Resident): string[] {
    return resident.mergedIds.map((id) => toGlobalId('Resident', id));
  }

  @FieldResolver(() => Gmina, { description: 'The gmina the resident lives in' })
  async gmina(@Root() resident: Resident, @Ctx() ctx: RequestContext): Promise<Gmina> {
    return (await gminaById(ctx).load(resident.gminaId)) as Gmina;
  }

  @Authorized(...RECORD_KEEPERS)
  @FieldResolver(() => ResidentSensitive, {
    nullable: true,
    description: 'Disability and health data (GDPR art. 9): coordinators and the director only; null when none is held',
  })
  sensitive(@Root() resident: Resident, @Ctx() ctx: RequestContext): Promise<ResidentSensitive | null> {
    return residentSensitiveById(ctx).load(resident.id);
  }

  @Authorized(Role.DIRECTOR)
  @Query(() => ResidentAccessLogConnection, { description: "Who read residents' records, newest first: one resident's, or all of your gminy's" })
  async residentAccessLog(
    @Ctx() ctx: RequestContext,
    @Args(() => PageArgs) page: PageArgs,
    @Arg('residentId', () => ID, { nullable: true }) residentId?: string | null,
  ) {
    // A person's log: reads made under any of their records' ids (merged records keep theirs).
    const where: FilterQuery<ResidentAccessLogEntry> = residentId
      ? { residentId: { $in: await recordIdsOf(ctx, uuidFromGlobalId(residentId, 'Resident', 'residentId')) } }
      : {};
    return toConnection(ResidentAccessLogConnection, await findPage(ctx.em, ResidentAccessLogEntry, where, [{ accessedAt: 'desc' }, { id: 'desc' }], page));
  }

  @Authorized(Role.DIRECTOR)
  @Query(() => GraphQLJSON, {
    nullable: true,
    description:
      'Everything held on one resident as one document (GDPR art. 15 subject access), readable by the person: record, sensitive, mergedRecords, ' +
      'applications (with needsAssessments), plans (goals, items with serviceName and partnerName, supportingActions, coordinatedHelp, monitoringNotes, ' +
      'revisions, waitingList, agreementScan), deliveries (of the centre and of partners, by providerName, with notes and corrections), partners (by name), ' +
      'incomeDeclarations, controllers, accessLog, searches, and processing (purposes, legal bases, data categories), recipients, retention, rights, ' +
      'source, automatedDecisions. Asked with Accept: application/pdf, the same as a PDF in Polish. The export is logged as a read',
  })
  async residentDataExport(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<object | null> {
    const resident = await residentById(ctx).load(uuidFromGlobalId(id, 'Resident'));
    return resident && residentDataExport(ctx, resident);
  }
}

declareMutations(ResidentResolver, RECORD_KEEPERS, ResidentPayload, {
  residentCreate: {
    description:
      'Register a resident of one of your gminy; PESEL, when given, is validated and one record per centre (DUPLICATE names the existing one where you read it); ' +
      'records of the centre that may be the same person (same birth date, a similar name, no PESEL telling them apart) come as possibleDuplicates',
    input: ResidentCreateInput,
    run: createResident,
  },
  residentUpdate: {
    description:
      "Change a resident's record; a PESEL another record of the centre holds is DUPLICATE (naming that record only where you read it), " +
      'and changed names, birth date, PESEL or sex bring possibleDuplicates as on residentCreate',
    input: ResidentUpdateInput,
    run: updateResident,
  },
  residentMerge: {
    description: 'Merge two records of one person in your centre (director only, for good): the survivor takes over the history, and both ids lead to it',
    input: ResidentMergeInput,
    run: withoutDuplicates(mergeResidents),
    roles: [Role.DIRECTOR],
  },
  residentSensitiveSet: {
    description: "Set a resident's disability and health data, replacing what was held",
    input: ResidentSensitiveSetInput,
    run: withoutDuplicates(setResidentSensitive),
  },
});

@Resolver(() => ResidentAccessLogEntry)
export class ResidentAccessLogEntryResolver {
  @FieldResolver(() => Resident, { description: 'Whose record was read (reading it here is logged too)' })
  async resident(@Root() entry: ResidentAccessLogEntry, @Ctx() ctx: RequestContext): Promise<Resident> {
    return (await residentById(ctx).load(entry.residentId)) as Resident;
  }
}
