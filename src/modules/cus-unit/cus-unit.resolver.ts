import { Arg, Args, Authorized, Ctx, Field, FieldResolver, InputType, Query, Resolver, Root } from 'type-graphql';
import type { FilterQuery } from '@mikro-orm/core';
import { Connection, findPage, PageArgs, toConnection } from '../../platform/graphql/connection.js';
import { declareMutations } from '../common/mutation-table.js';
import { declareNodeLookup } from '../common/node-lookup.js';
import type { RequestContext } from '../../platform/graphql/context.js';
import { isUuid, registerNodeType } from '../../platform/graphql/node.js';
import { TerytCodeScalar } from '../../platform/graphql/scalars.js';
import { tercToId } from '../../platform/auth/principal.js';
import { GMINA_SCOPED, Role } from '../../platform/auth/roles.js';
import { Gmina } from '../gmina/gmina.entity.js';
import { gminaById, loadGminy } from '../gmina/gmina.loader.js';
import { CusUnit } from './cus-unit.entity.js';
import { FundingProject } from './funding-project.entity.js';
import {
  CusUnitCreateInput,
  CusUnitPayload,
  CusUnitUpdateInput,
  FundingProjectAddInput,
  FundingProjectPayload,
  FundingProjectRemoveInput,
  FundingProjectRemovePayload,
  FundingProjectUpdateInput,
} from './cus-unit.inputs.js';
import { cusUnitById, cusUnitsServingGmina, fundingProjectById, fundingProjectsOfUnit } from './cus-unit.loader.js';
import { addFundingProject, createCusUnit, removeFundingProject, updateCusUnit, updateFundingProject } from './cus-unit.service.js';

registerNodeType('FundingProject', async (ctx, key) => (isUuid(key) ? fundingProjectById(ctx).load(key) : null));

const CusUnitConnection = Connection(CusUnit);

@InputType()
export class CusUnitFilter {
  @Field(() => TerytCodeScalar, { nullable: true, description: 'Units serving this gmina' }) gmina?: string;
  @Field(() => Boolean, { nullable: true }) statutory?: boolean;
}

/** Who manages a unit's record: the platform administrator, and the director of the centre. */
const UNIT_MANAGERS = [Role.PLATFORM_ADMIN, Role.DIRECTOR];
/** Everyone who sees CUS units; which units is up to the database (staff and officials: their gminy). */
const UNIT_READERS = [Role.PLATFORM_ADMIN, ...GMINA_SCOPED];

@Resolver(() => CusUnit)
export class CusUnitResolver {
  @Authorized(...UNIT_READERS)
  @Query(() => CusUnitConnection, { description: 'CUS units the principal may see, by name' })
  async cusUnits(
    @Ctx() ctx: RequestContext,
    @Args(() => PageArgs) page: PageArgs,
    @Arg('filter', () => CusUnitFilter, { nullable: true }) filter?: CusUnitFilter,
  ) {
    const where: FilterQuery<CusUnit> = {};
    if (filter?.gmina) where.servedGminaIds = { $overlap: [tercToId(filter.gmina)] };
    if (filter?.statutory !== undefined && filter.statutory !== null) where.statutory = filter.statutory;
    return toConnection(CusUnitConnection, await findPage(ctx.em, CusUnit, where, [{ name: 'asc' }, { id: 'asc' }], page));
  }

  @FieldResolver(() => Gmina, { description: 'The gmina whose council created the unit' })
  async seatGmina(@Root() unit: CusUnit, @Ctx() ctx: RequestContext): Promise<Gmina> {
    return (await gminaById(ctx).load(unit.gminaId)) as Gmina;
  }

  @FieldResolver(() => [Gmina], { description: 'Every gmina the unit serves, the seat included' })
  gminy(@Root() unit: CusUnit, @Ctx() ctx: RequestContext): Promise<Gmina[]> {
    return loadGminy(ctx, unit.servedGminaIds);
  }

  @FieldResolver(() => [FundingProject])
  fundingProjects(@Root() unit: CusUnit, @Ctx() ctx: RequestContext): Promise<FundingProject[]> {
    return fundingProjectsOfUnit(ctx).load(unit.id);
  }
}

declareNodeLookup(CusUnitResolver, 'cusUnit', { type: CusUnit, roles: UNIT_READERS, byId: cusUnitById });

declareMutations(CusUnitResolver, UNIT_MANAGERS, CusUnitPayload, {
  cusUnitCreate: {
    description: 'Onboard a CUS unit for one gmina, or several under an agreement',
    input: CusUnitCreateInput,
    run: createCusUnit,
    roles: [Role.PLATFORM_ADMIN],
  },
  cusUnitUpdate: { description: "Change a unit's record; the director may change their own unit", input: CusUnitUpdateInput, run: updateCusUnit },
  fundingProjectAdd: { input: FundingProjectAddInput, run: addFundingProject, payload: FundingProjectPayload },
  fundingProjectUpdate: { input: FundingProjectUpdateInput, run: updateFundingProject, payload: FundingProjectPayload },
  fundingProjectRemove: { input: FundingProjectRemoveInput, run: removeFundingProject, payload: FundingProjectRemovePayload },
});

@Resolver(() => FundingProject)
export class FundingProjectResolver {
  @FieldResolver(() => CusUnit)
  async cusUnit(@Root() project: FundingProject, @Ctx() ctx: RequestContext): Promise<CusUnit> {
    return (await cusUnitById(ctx).load(project.cusUnitId)) as CusUnit;
  }
}

@Resolver(() => Gmina)
export class GminaCusUnitsResolver {
  @FieldResolver(() => [CusUnit], { description: 'CUS units serving this gmina that the principal may see' })
  cusUnits(@Root() gmina: Gmina, @Ctx() ctx: RequestContext): Promise<CusUnit[]> {
    return cusUnitsServingGmina(ctx).load(gmina.id);
  }
}
