import { Arg, Args, Ctx, Field, InputType, Query, Resolver } from 'type-graphql';
import type { FilterQuery, QueryOrderMap } from '@mikro-orm/core';
import { Connection, findPage, PageArgs, toConnection } from '../../platform/graphql/connection.js';
import type { RequestContext } from '../../platform/graphql/context.js';
import { registerNodeType } from '../../platform/graphql/node.js';
import { TerytCodeScalar } from '../../platform/graphql/scalars.js';
import { badInput } from '../../platform/graphql/errors.js';
import { tercToId } from '../../platform/auth/principal.js';
import { defineEnum, type EnumValue } from '../common/graphql-enum.js';
import { Gmina, GminaKind } from './gmina.entity.js';
import { gminaById } from './gmina.loader.js';

export const GminaOrder = defineEnum('GminaOrder', ['TERC', 'NAME']);
export type GminaOrder = EnumValue<typeof GminaOrder>;

@InputType()
export class GminaFilter {
  @Field(() => String, { nullable: true, description: 'Województwo TERC code, 2 digits (e.g. "14")' }) wojewodztwo?: string;
  @Field(() => String, { nullable: true, description: 'Powiat TERC code, 4 digits (e.g. "1417")' }) powiat?: string;
  @Field(() => GminaKind, { nullable: true }) kind?: GminaKind;
  @Field(() => String, { nullable: true, description: 'Part of the name, case-insensitive' }) nameContains?: string;
}

const GminaConnection = Connection(Gmina);

// A gmina's key is its TERC code as a number (up to 7 digits). Anything else names no gmina: Number() would make "1e400"
// Infinity, which reached the SQL as a bare word (an internal error; found by fuzzing).
registerNodeType('Gmina', async (ctx, key) => (/^\d{1,7}$/.test(key) ? gminaById(ctx).load(Number(key)) : null));

@Resolver(() => Gmina)
export class GminaResolver {
  @Query(() => GminaConnection, { description: 'The TERYT register of gminy (all 2,477), readable by every principal' })
  async gminy(
    @Ctx() ctx: RequestContext,
    @Args(() => PageArgs) page: PageArgs,
    @Arg('filter', () => GminaFilter, { nullable: true }) filter?: GminaFilter,
    @Arg('orderBy', () => GminaOrder, { defaultValue: GminaOrder.TERC }) orderBy: GminaOrder = GminaOrder.TERC,
  ) {
    const where: FilterQuery<Gmina> = {};
    if (filter?.wojewodztwo !== undefined && filter.wojewodztwo !== null) {
      if (!/^\d{2}$/.test(filter.wojewodztwo)) throw badInput('filter.wojewodztwo must be a 2-digit TERC code');
      where.wojewodztwoCode = filter.wojewodztwo;
    }
    if (filter?.powiat !== undefined && filter.powiat !== null) {
      if (!/^\d{4}$/.test(filter.powiat)) throw badInput('filter.powiat must be a 4-digit TERC code');
      where.powiatCode = filter.powiat;
    }
    if (filter?.kind) where.kind = filter.kind;
    if (filter?.nameContains) {
      where.name = { $ilike: `%${filter.nameContains.replace(/[\\%_]/g, (c) => `\\${c}`)}%` };
    }
    const order: QueryOrderMap<Gmina>[] = orderBy === GminaOrder.NAME ? [{ name: 'asc' }, { id: 'asc' }] : [{ id: 'asc' }];
    return toConnection(GminaConnection, await findPage(ctx.em, Gmina, where, order, page));
  }

  @Query(() => Gmina, { nullable: true, description: 'One gmina by its TERC code' })
  gmina(@Ctx() ctx: RequestContext, @Arg('terc', () => TerytCodeScalar) terc: string): Promise<Gmina | null> {
    return gminaById(ctx).load(tercToId(terc));
  }
}
