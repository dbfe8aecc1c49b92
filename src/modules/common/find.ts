import type { EntityClass } from '@mikro-orm/core';
import type { RequestContext } from '../../platform/graphql/context.js';
import { uuidFromGlobalId } from '../../platform/graphql/node.js';
import { UserErrorCode, type UserErrors } from '../../platform/graphql/user-error.js';

/**
 * The row a global id names, if the principal may see it; otherwise a NOT_FOUND user error on
 * `field`. Row-level security hides other gminy's rows, so "not yours" and "does not exist" are
 * the same answer and nothing is revealed. The id must name an object of this entity's type.
 */
export async function findVisible<T extends object>(
  ctx: RequestContext,
  entity: EntityClass<T>,
  globalId: string,
  field: string,
  errors: UserErrors,
  label: string,
): Promise<T | null> {
  const id = uuidFromGlobalId(globalId, entity.name, field);
  const row = await ctx.em.findOne(entity, { id } as never);
  if (!row) errors.add(field, `No such ${label}`, UserErrorCode.NOT_FOUND);
  return row;
}

/** Optimistic locking: true when the client read the current version; otherwise a CONFLICT user error. */
export function isCurrentVersion(row: { version: number }, version: number, errors: UserErrors, label: string): boolean {
  if (row.version === version) return true;
  errors.add('version', `The ${label} was changed meanwhile (now version ${row.version}); read it again`, UserErrorCode.CONFLICT);
  return false;
}
