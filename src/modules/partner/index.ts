import { Partner } from './partner.entity.js';

/** The partner module's MikroORM entities and type-graphql resolvers, collected by src/modules/entities.ts and resolvers.ts. */
export const partnerEntities: Function[] = [Partner];
export const partnerResolvers: Function[] = [];
