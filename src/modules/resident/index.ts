/** The resident module's MikroORM entities and type-graphql resolvers, collected by src/modules/entities.ts and resolvers.ts. */
export const residentEntities: Function[] = [];
export const residentResolvers: Function[] = [];
