import type { FilterQuery } from '@mikro-orm/core';
import type { GraphQLResolveInfo } from 'graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { Arg, Args, Authorized, Ctx, Field, FieldResolver, ID, Info, InputType, Mutation, Query, Resolver, Root } from 'type-graphql';
import { RECORD_KEEPERS, RECORD_READERS, Role } from '../../platform/auth/roles.js';
import { tercToId } from '../../platform/auth/principal.js';
import { Connection, findPage, PageArgs, toConnection } from '../../platform/graphql/connection.js';
import type { RequestContext } from '../../platform/graphql/context.js';
import { isUuid, registerNodeType, uuidFromGlobalId } from '../../platform/graphql/node.js';
import { TerytCodeScalar } from '../../platform/graphql/scalars.js';
import type { Result } from '../common/result.js';
import { Gmina } from '../gmina/gmina.entity.js';
import { gminaById } from '../gmina/gmina.loader.js';
import { noteResidentRead } from './access-log.js';
import { ResidentAccessLogEntry } from './resident-access-log.entity.js';
import { residentDataExport } from './resident-export.js';
import { ResidentSensitive } from './resident-sensitive.entity.js';
import { Resident } from './resident.entity.js';
import { ResidentCreateInput, ResidentPayload, ResidentSensitiveSetInput, ResidentUpdateInput } from './resident.inputs.js';
import { residentById, residentSensitiveById } from './resident.loader.js';
import { createResident, setResidentSensitive, updateResident } from './resident.service.js';

/** Loads a resident and, when the principal sees it, logs the read: every path to a Resident goes through here or notes it itself. */
async function readResident(ctx: RequestContext, id: string, info: GraphQLResolveInfo): Promise<Resident | null> {
  const resident = await residentById(ctx).load(id);
  if (resident) noteResidentRead(ctx, resident, info);
  return resident;
}

registerNodeType('Resident', async (ctx, key, info) => (isUuid(key) ? readResident(ctx, key, info) : null));

const ResidentConnection = Connection(Resident);
const ResidentAccessLogConnection = Connection(ResidentAccessLogEntry);

@InputType()
export class ResidentFilter {
  @Field(() => TerytCodeScalar, { nullable: true, description: 'Residents of this gmina' })
  gmina?: string | null;

  @Field(() => String, { nullable: true, description: 'Every word appears in the first or last name (case-insensitive)' })
  nameContains?: string | null;

  @Field(() => String, { nullable: true, description: 'Exactly this PESEL' })
  pesel?: string | null;
}

const likePattern = (word: string) => `%${word.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function residentWhere(filter: ResidentFilter | undefined): FilterQuery<Resident> {
  const where: FilterQuery<Resident> & Record<string, unknown> = {};
  if (filter?.gmina) where.gminaId = tercToId(filter.gmina);
  if (filter?.pesel) where.pesel = filter.pesel.replace(/\s+/g, '');
  const words = filter?.nameContains?.trim().split(/\s+/).filter(Boolean) ?? [];
  if (words.length > 0) {
    where.$and = words.map((word) => ({ $or: [{ firstName: { $ilike: likePattern(word) } }, { lastName: { $ilike: likePattern(word) } }] }));
  }
  return where;
}

/** A mutation's payload; the resident it returns is a read of the record like any other. */
function payload(ctx: RequestContext, info: GraphQLResolveInfo, { value, userErrors }: Result<Resident>): ResidentPayload {
  if (value) noteResidentRead(ctx, value, info);
  return { resident: value, userErrors };
}

@Resolver(() => Resident)
export class ResidentResolver {
  @Authorized(...RECORD_READERS)
  @Query(() => ResidentConnection, { description: 'Residents of your gminy by last name, first name; every resident listed is logged as read' })
  async residents(
    @Ctx() ctx: RequestContext,
    @Info() info: GraphQLResolveInfo,
    @Args(() => PageArgs) page: PageArgs,
    @Arg('filter', () => ResidentFilter, { nullable: true }) filter?: ResidentFilter,
  ) {
    const found = await findPage(ctx.em, Resident, residentWhere(filter), [{ lastName: 'asc' }, { firstName: 'asc' }, { id: 'asc' }], page);
    noteResidentRead(ctx, found.nodes, info);
    return toConnection(ResidentConnection, found);
  }

  @Authorized(...RECORD_READERS)
  @Query(() => Resident, { nullable: true, description: 'A resident by id; the read is logged' })
  resident(@Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo, @Arg('id', () => ID) id: string): Promise<Resident | null> {
    return readResident(ctx, uuidFromGlobalId(id, 'Resident'), info);
  }

  @FieldResolver(() => Gmina, { description: 'The gmina the resident lives in' })
  async gmina(@Root() resident: Resident, @Ctx() ctx: RequestContext): Promise<Gmina> {
    return (await gminaById(ctx).load(resident.gminaId)) as Gmina;
  }

  @Authorized(...RECORD_KEEPERS)
  @FieldResolver(() => ResidentSensitive, { nullable: true, description: 'Disability and health data (GDPR art. 9): coordinators and the director only; null when none is held' })
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
    const where: FilterQuery<ResidentAccessLogEntry> = residentId ? { residentId: uuidFromGlobalId(residentId, 'Resident', 'residentId') } : {};
    return toConnection(ResidentAccessLogConnection, await findPage(ctx.em, ResidentAccessLogEntry, where, [{ accessedAt: 'desc' }, { id: 'desc' }], page));
  }

  @Authorized(Role.DIRECTOR)
  @Query(() => GraphQLJSON, { nullable: true, description: 'Everything held on one resident as one document (GDPR art. 15 subject access); the export is logged as a read' })
  async residentDataExport(@Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo, @Arg('id', () => ID) id: string): Promise<object | null> {
    const resident = await readResident(ctx, uuidFromGlobalId(id, 'Resident'), info);
    return resident && residentDataExport(ctx, resident);
  }

  @Authorized(...RECORD_KEEPERS)
  @Mutation(() => ResidentPayload, { description: "Register a resident of one of your gminy; PESEL, when given, is validated and unique in the gmina" })
  async residentCreate(@Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo, @Arg('input', () => ResidentCreateInput) input: ResidentCreateInput): Promise<ResidentPayload> {
    return payload(ctx, info, await createResident(ctx, input));
  }

  @Authorized(...RECORD_KEEPERS)
  @Mutation(() => ResidentPayload, { description: "Change a resident's record" })
  async residentUpdate(@Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo, @Arg('input', () => ResidentUpdateInput) input: ResidentUpdateInput): Promise<ResidentPayload> {
    return payload(ctx, info, await updateResident(ctx, input));
  }

  @Authorized(...RECORD_KEEPERS)
  @Mutation(() => ResidentPayload, { description: "Set a resident's disability and health data, replacing what was held" })
  async residentSensitiveSet(@Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo, @Arg('input', () => ResidentSensitiveSetInput) input: ResidentSensitiveSetInput): Promise<ResidentPayload> {
    return payload(ctx, info, await setResidentSensitive(ctx, input));
  }
}

@Resolver(() => ResidentAccessLogEntry)
export class ResidentAccessLogEntryResolver {
  @FieldResolver(() => Resident, { description: 'Whose record was read (reading it here is logged too)' })
  async resident(@Root() entry: ResidentAccessLogEntry, @Ctx() ctx: RequestContext, @Info() info: GraphQLResolveInfo): Promise<Resident> {
    return (await readResident(ctx, entry.residentId, info)) as Resident;
  }
}
