/** The application module's MikroORM entities and type-graphql resolvers, collected by src/modules/entities.ts and resolvers.ts. */
export const applicationEntities: Function[] = [];
export const applicationResolvers: Function[] = [];
