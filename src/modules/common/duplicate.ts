import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { RequestContext } from '../../platform/graphql/context.js';

/**
 * Flushes the pending changes inside a savepoint. When the database refuses them for breaking the
 * unique index `constraint`, the savepoint is rolled back, the refused changes are dropped from the
 * entity manager (so the operation's commit writes nothing) and false is returned.
 *
 * Why: under row-level security a service cannot see every row that the unique index checks (a
 * partner registered by another gmina with the same NIP), and a concurrent request can insert the
 * same key between the check and the flush (two coordinators registering one resident), so the
 * service's own duplicate check is not enough.
 */
export async function flushUnlessDuplicate(ctx: RequestContext, constraint: string): Promise<boolean> {
  try {
    await ctx.em.transactional(async (em) => em.flush());
    return true;
  } catch (error) {
    if (error instanceof UniqueConstraintViolationException && (error as { constraint?: string }).constraint === constraint) {
      ctx.em.clear();
      return false;
    }
    throw error;
  }
}
