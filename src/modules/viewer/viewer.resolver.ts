import { Ctx, Field, FieldResolver, ID, ObjectType, Query, Resolver, Root, registerEnumType } from 'type-graphql';
import type { RequestContext } from '../../platform/graphql/context.js';
import { Role } from '../../platform/auth/roles.js';
import { CusUnit } from '../cus-unit/cus-unit.entity.js';
import { cusUnitById } from '../cus-unit/cus-unit.loader.js';
import { Gmina } from '../gmina/gmina.entity.js';
import { loadGminy } from '../gmina/gmina.loader.js';
import { toGlobalId } from '../../platform/graphql/node.js';

registerEnumType(Role, {
  name: 'Role',
  valuesConfig: {
    PLATFORM_ADMIN: { description: 'Onboards gminy and CUS units' },
    DIRECTOR: { description: 'Dyrektor CUS' },
    SERVICES_ORGANISER: { description: 'Organizator usług społecznych (OUS)' },
    COORDINATOR: { description: 'Koordynator indywidualnych planów usług społecznych (KIPUS)' },
    COMMUNITY_ORGANISER: { description: 'Organizator społeczności lokalnej (OSL)' },
    GMINA_OFFICIAL: { description: "Reads its gmina's dashboards, no personal data" },
    PARTNER: { description: 'A user of one partner organisation' },
    MINISTRY: { description: 'Aggregates across all gminy, never a person' },
  },
});

@ObjectType({ description: 'The authenticated principal making the request' })
export class Viewer {
  @Field(() => String) subject!: string;
  @Field(() => Role) role!: Role;
  gminaIds!: number[];
  cusUnitId!: string | null;
  @Field(() => ID, { nullable: true, description: 'The partner, for PARTNER principals' }) partnerId!: string | null;
}

@Resolver(() => Viewer)
export class ViewerResolver {
  @Query(() => Viewer, { description: 'Who the token says you are, and your scope' })
  viewer(@Ctx() ctx: RequestContext): Viewer {
    const { principal } = ctx;
    return {
      subject: principal.subject,
      role: principal.role,
      gminaIds: principal.gminy,
      cusUnitId: principal.cusUnitId ?? null,
      partnerId: principal.partnerId ? toGlobalId('Partner', principal.partnerId) : null,
    };
  }

  /** Loaded only when asked for, so `viewer { role }` reads nothing. */
  @FieldResolver(() => [Gmina], { description: 'The gminy in scope (empty for platform-wide roles)' })
  gminy(@Root() viewer: Viewer, @Ctx() ctx: RequestContext): Promise<Gmina[]> {
    return loadGminy(ctx, viewer.gminaIds);
  }

  /** The unit named by the token's `cus_unit` claim, which the door checked serves every gmina the token names. */
  @FieldResolver(() => CusUnit, { nullable: true, description: 'The CUS unit your token acts for (staff of a CUS); null for roles that belong to none' })
  async cusUnit(@Root() viewer: Viewer, @Ctx() ctx: RequestContext): Promise<CusUnit | null> {
    return viewer.cusUnitId ? cusUnitById(ctx).load(viewer.cusUnitId) : null;
  }
}
