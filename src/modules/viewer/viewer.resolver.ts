import { Ctx, Field, ID, ObjectType, Query, Resolver, registerEnumType } from 'type-graphql';
import type { RequestContext } from '../../platform/graphql/context.js';
import { Role } from '../../platform/auth/roles.js';
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
  @Field(() => [Gmina], { description: 'The gminy in scope (empty for platform-wide roles)' }) gminy!: Gmina[];
  @Field(() => ID, { nullable: true, description: 'The partner, for PARTNER principals' }) partnerId!: string | null;
}

@Resolver()
export class ViewerResolver {
  @Query(() => Viewer, { description: 'Who the token says you are, and your scope' })
  async viewer(@Ctx() ctx: RequestContext): Promise<Viewer> {
    const { principal } = ctx;
    return {
      subject: principal.subject,
      role: principal.role,
      gminy: await loadGminy(ctx, principal.gminy),
      partnerId: principal.partnerId ? toGlobalId('Partner', principal.partnerId) : null,
    };
  }
}
