import { Arg, Args, Authorized, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { FilterQuery } from '@mikro-orm/core';
import { Connection, findPage, PageArgs, toConnection } from '../../platform/graphql/connection.js';
import { declareMutations } from '../common/mutation-table.js';
import { declareNodeLookup } from '../common/node-lookup.js';
import type { RequestContext } from '../../platform/graphql/context.js';
import { badInput } from '../../platform/graphql/errors.js';
import { isUuid, registerNodeType, uuidFromGlobalId } from '../../platform/graphql/node.js';
import { LocalDateScalar, TerytCodeScalar } from '../../platform/graphql/scalars.js';
import { tercToId } from '../../platform/auth/principal.js';
import { GMINA_SCOPED, Role } from '../../platform/auth/roles.js';
import { Gmina } from '../gmina/gmina.entity.js';
import { gminaById } from '../gmina/gmina.loader.js';
import { CusUnit } from '../cus-unit/cus-unit.entity.js';
import { cusUnitById } from '../cus-unit/cus-unit.loader.js';
import { Service } from '../catalogue/service.entity.js';
import { Diagnosis } from '../diagnosis/diagnosis.entity.js';
import { diagnosisById } from '../diagnosis/diagnosis.loader.js';
import { Programme } from './programme.entity.js';
import { ProgrammeService } from './programme-service.entity.js';
import { findProgrammesInForce, ProgrammesInForce } from './programmes-in-force.js';
import {
  ProgrammeAdoptInput,
  ProgrammeCreateInput,
  ProgrammeExpireInput,
  ProgrammeFilter,
  ProgrammeIdInput,
  ProgrammePayload,
  ProgrammeServicePayload,
  ProgrammeServiceRemoveInput,
  ProgrammeServiceRemovePayload,
  ProgrammeServiceSetInput,
  ProgrammeUpdateInput,
} from './programme.inputs.js';
import { catalogueServiceById, programmeById, programmeServiceById, programmesOfDiagnosis, servicesOfProgramme } from './programme.loader.js';
import {
  adoptProgramme,
  createProgramme,
  expireProgramme,
  removeProgrammeService,
  setProgrammeService,
  submitForConsultation,
  updateProgramme,
} from './programme.service.js';

registerNodeType('ProgrammeService', async (ctx, key) => (isUuid(key) ? programmeServiceById(ctx).load(key) : null));

const ProgrammeConnection = Connection(Programme);

/** Who prepares programmes: the director and the services organiser (OUS). */
export const PROGRAMME_MANAGERS = [Role.DIRECTOR, Role.SERVICES_ORGANISER];
/** CUS staff and gmina officials read them; the database decides which (their gminy). */
export const PROGRAMME_READERS = [...GMINA_SCOPED];

@Resolver(() => Programme)
export class ProgrammeResolver {
  @Authorized(...PROGRAMME_READERS)
  @Query(() => ProgrammeConnection, { description: 'Programmes the principal may see, newest first' })
  async programmes(
    @Ctx() ctx: RequestContext,
    @Args(() => PageArgs) page: PageArgs,
    @Arg('filter', () => ProgrammeFilter, { nullable: true }) filter?: ProgrammeFilter,
  ) {
    const where: FilterQuery<Programme> = {};
    if (filter?.gmina) where.gminaId = tercToId(filter.gmina);
    if (filter?.cusUnitId) where.cusUnitId = uuidFromGlobalId(filter.cusUnitId, 'CusUnit', 'filter.cusUnitId');
    if (filter?.statuses) where.status = { $in: filter.statuses };
    return toConnection(ProgrammeConnection, await findPage(ctx.em, Programme, where, [{ createdAt: 'desc' }, { id: 'desc' }], page));
  }

  @Authorized(...PROGRAMME_READERS)
  @Query(() => ProgrammesInForce, { description: 'Which programmes and services are in force in a gmina on a date' })
  async programmesInForce(
    @Ctx() ctx: RequestContext,
    @Arg('gmina', () => TerytCodeScalar) gmina: string,
    @Arg('on', () => LocalDateScalar) on: string,
  ): Promise<ProgrammesInForce> {
    const gminaId = tercToId(gmina);
    // A well-formed code missing from the register would otherwise fail on the non-null `gmina` field.
    if (!(await gminaById(ctx).load(gminaId))) throw badInput(`No gmina ${gmina} in the TERYT register`);
    return Object.assign(new ProgrammesInForce(), { date: on, gminaId, programmes: await findProgrammesInForce(ctx, gminaId, on) });
  }

  @FieldResolver(() => Gmina, { description: 'The gmina whose council adopts the programme' })
  async gmina(@Root() programme: Programme, @Ctx() ctx: RequestContext): Promise<Gmina> {
    return (await gminaById(ctx).load(programme.gminaId)) as Gmina;
  }

  @FieldResolver(() => CusUnit, { nullable: true, description: 'The CUS preparing the programme' })
  cusUnit(@Root() programme: Programme, @Ctx() ctx: RequestContext): Promise<CusUnit | null> {
    return cusUnitById(ctx).load(programme.cusUnitId);
  }

  @FieldResolver(() => Diagnosis, { nullable: true, description: 'The diagnosis the programme rests on (null if none, or out of your scope)' })
  async diagnosis(@Root() programme: Programme, @Ctx() ctx: RequestContext): Promise<Diagnosis | null> {
    return programme.diagnosisId ? diagnosisById(ctx).load(programme.diagnosisId) : null;
  }

  @FieldResolver(() => [ProgrammeService], { description: 'Services offered under the programme, in the order they were added' })
  services(@Root() programme: Programme, @Ctx() ctx: RequestContext): Promise<ProgrammeService[]> {
    return servicesOfProgramme(ctx).load(programme.id);
  }

  @Authorized(...PROGRAMME_MANAGERS)
  @Mutation(() => ProgrammeServicePayload, { description: 'Put a service of the catalogue into the programme, or change its access rules and fee there' })
  async programmeServiceSet(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => ProgrammeServiceSetInput) input: ProgrammeServiceSetInput,
  ): Promise<ProgrammeServicePayload> {
    const { value, userErrors } = await setProgrammeService(ctx, input);
    return { programmeService: value?.item ?? null, programme: value?.programme ?? null, userErrors };
  }

  @Authorized(...PROGRAMME_MANAGERS)
  @Mutation(() => ProgrammeServiceRemovePayload, { description: 'Take a service out of a draft or a programme in consultation' })
  async programmeServiceRemove(
    @Ctx() ctx: RequestContext,
    @Arg('input', () => ProgrammeServiceRemoveInput) input: ProgrammeServiceRemoveInput,
  ): Promise<ProgrammeServiceRemovePayload> {
    const { value, userErrors } = await removeProgrammeService(ctx, input);
    return { removedId: value?.removedId ?? null, programme: value?.programme ?? null, userErrors };
  }
}

declareNodeLookup(ProgrammeResolver, 'programme', { type: Programme, roles: PROGRAMME_READERS, byId: programmeById });

declareMutations(ProgrammeResolver, PROGRAMME_MANAGERS, ProgrammePayload, {
  programmeCreate: { description: 'Start a draft programme of social services for a gmina the unit serves', input: ProgrammeCreateInput, run: createProgramme },
  programmeUpdate: { description: 'Change a draft or a programme in consultation', input: ProgrammeUpdateInput, run: updateProgramme },
  programmeSubmitForConsultation: { description: 'DRAFT -> IN_CONSULTATION', input: ProgrammeIdInput, run: submitForConsultation },
  programmeAdopt: {
    description:
      'DRAFT or IN_CONSULTATION -> ADOPTED: needs the resolution (number, date), the period and at least one service, and no consultation still running',
    input: ProgrammeAdoptInput,
    run: adoptProgramme,
  },
  programmeExpire: { description: 'ADOPTED -> EXPIRED; in force only on days before expiredOn', input: ProgrammeExpireInput, run: expireProgramme },
});

@Resolver(() => ProgrammeService)
export class ProgrammeServiceResolver {
  @FieldResolver(() => Service, { nullable: true, description: 'The service of the catalogue (null if it is no longer visible to you)' })
  service(@Root() item: ProgrammeService, @Ctx() ctx: RequestContext): Promise<Service | null> {
    return catalogueServiceById(ctx).load(item.serviceId);
  }

  @FieldResolver(() => Programme, { nullable: true })
  programme(@Root() item: ProgrammeService, @Ctx() ctx: RequestContext): Promise<Programme | null> {
    return programmeById(ctx).load(item.programmeId);
  }
}

@Resolver(() => ProgrammesInForce)
export class ProgrammesInForceResolver {
  @FieldResolver(() => Gmina)
  async gmina(@Root() answer: ProgrammesInForce, @Ctx() ctx: RequestContext): Promise<Gmina> {
    return (await gminaById(ctx).load(answer.gminaId)) as Gmina;
  }

  @FieldResolver(() => [ProgrammeService], { description: "The services of those programmes, each with its programme's access rules and fee" })
  async services(@Root() answer: ProgrammesInForce, @Ctx() ctx: RequestContext): Promise<ProgrammeService[]> {
    // load (not loadMany) so a failed batch surfaces instead of silently dropping services.
    const lists = await Promise.all(answer.programmes.map((p) => servicesOfProgramme(ctx).load(p.id)));
    return lists.flat();
  }
}

/** Diagnosis.programmes lives here, beside the programme loaders, so the diagnosis module need not know programmes. */
@Resolver(() => Diagnosis)
export class DiagnosisProgrammesResolver {
  @FieldResolver(() => [Programme], { description: 'Programmes resting on this diagnosis' })
  programmes(@Root() diagnosis: Diagnosis, @Ctx() ctx: RequestContext): Promise<Programme[]> {
    return programmesOfDiagnosis(ctx).load(diagnosis.id);
  }
}
