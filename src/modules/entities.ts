import { Gmina } from './gmina/gmina.entity.js';
import { CusUnit } from './cus-unit/cus-unit.entity.js';
import { FundingProject } from './cus-unit/funding-project.entity.js';

/** Every MikroORM entity of the platform. */
export const entities = [Gmina, CusUnit, FundingProject];
