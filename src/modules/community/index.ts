/** The community module's MikroORM entities and type-graphql resolvers, collected by src/modules/entities.ts and resolvers.ts. */
export const communityEntities: Function[] = [];
export const communityResolvers: Function[] = [];
