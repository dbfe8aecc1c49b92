import type { MikroORM } from '@mikro-orm/postgresql';
import { DEFAULT_SETTLEMENT_BUDGET_WARNING_SHARE } from '../../platform/config.js';
import type { RouteFactory } from '../../platform/http/routes.js';

/**
 * SETTLEMENT_BUDGET_WARNING_SHARE of each running server, by the ORM its requests use (a test process
 * runs several servers with settings of their own), registered when the server starts (it serves no
 * route of its own). A server that has not registered it warns at the default share.
 */
const warningShares = new WeakMap<MikroORM, number>();

export const settlementSettings: RouteFactory = ({ config, orm }) => {
  warningShares.set(orm, config.settlementBudgetWarningShare);
  return Promise.resolve({ routes: [] });
};

/** The share of a commission's budget whose cumulative use raises the warning. */
export function budgetWarningShare(orm: MikroORM): number {
  return warningShares.get(orm) ?? DEFAULT_SETTLEMENT_BUDGET_WARNING_SHARE;
}
