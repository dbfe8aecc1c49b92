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
  return (await flushCatchingDuplicate(ctx, [constraint])) === null;
}

/** A refusal flushCatchingDuplicate caught: which constraint, and the detail the database gave (a trigger may name the holder there). */
export interface DuplicateRefusal {
  constraint: string;
  detail: string | null;
}

/** As flushUnlessDuplicate, for any of `constraints`; returns the refusal, or null when the changes were written. */
export async function flushCatchingDuplicate(ctx: RequestContext, constraints: string[]): Promise<DuplicateRefusal | null> {
  try {
    await ctx.em.transactional(async (em) => em.flush());
    return null;
  } catch (error) {
    const { constraint, detail } = error as { constraint?: string; detail?: string };
    if (error instanceof UniqueConstraintViolationException && constraint !== undefined && constraints.includes(constraint)) {
      ctx.em.clear();
      return { constraint, detail: detail ?? null };
    }
    throw error;
  }
}
