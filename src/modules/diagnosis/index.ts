/** The diagnosis module's MikroORM entities and type-graphql resolvers, collected by src/modules/entities.ts and resolvers.ts. */
export const diagnosisEntities: Function[] = [];
export const diagnosisResolvers: Function[] = [];
