import type { NonEmptyArray } from 'type-graphql';
import { NodeResolver } from '../platform/graphql/node.resolver.js';
import { GminaResolver } from './gmina/gmina.resolver.js';
import { CusUnitResolver, FundingProjectResolver, GminaCusUnitsResolver } from './cus-unit/cus-unit.resolver.js';
import { ViewerResolver } from './viewer/viewer.resolver.js';

/** Every resolver class of the platform, in the order their types appear in the schema. */
export const resolvers: NonEmptyArray<Function> = [
  NodeResolver,
  ViewerResolver,
  GminaResolver,
  GminaCusUnitsResolver,
  CusUnitResolver,
  FundingProjectResolver,
];
