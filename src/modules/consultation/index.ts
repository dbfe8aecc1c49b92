/** The consultation module's MikroORM entities and type-graphql resolvers, collected by src/modules/entities.ts and resolvers.ts. */
export const consultationEntities: Function[] = [];
export const consultationResolvers: Function[] = [];
