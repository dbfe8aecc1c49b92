import { WorklistResolver } from './worklist.resolver.js';

/** The worklist's type-graphql resolvers (it has no tables of its own), collected by src/modules/resolvers.ts. */
export const worklistResolvers: Function[] = [WorklistResolver];
