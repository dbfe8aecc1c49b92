import { Location } from './location.entity.js';

/** The catalogue module's MikroORM entities and type-graphql resolvers, collected by src/modules/entities.ts and resolvers.ts. */
export const catalogueEntities: Function[] = [Location];
export const catalogueResolvers: Function[] = [];
