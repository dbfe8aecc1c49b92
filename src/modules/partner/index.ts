/** The partner module's MikroORM entities and type-graphql resolvers, collected by src/modules/entities.ts and resolvers.ts. */
export const partnerEntities: Function[] = [];
export const partnerResolvers: Function[] = [];
