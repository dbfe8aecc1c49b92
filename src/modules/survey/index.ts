/** The survey module's MikroORM entities and type-graphql resolvers, collected by src/modules/entities.ts and resolvers.ts. */
export const surveyEntities: Function[] = [];
export const surveyResolvers: Function[] = [];
