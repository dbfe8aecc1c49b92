/** The programme module's MikroORM entities and type-graphql resolvers, collected by src/modules/entities.ts and resolvers.ts. */
export const programmeEntities: Function[] = [];
export const programmeResolvers: Function[] = [];
