import type { EntityClass, FilterQuery, QueryOrderMap } from '@mikro-orm/core';
import type { RequestContext } from '../graphql/context.js';

/**
 * The rows of `entity` that match `where`, as a loader reads them.
 *
 * In a read-only operation they come as plain instances of the entity's class (its getters and
 * `instanceof` work) rather than managed entities: nothing read there is ever flushed, and the
 * identity map and change-tracking snapshots MikroORM keeps for each managed entity were an eighth of
 * the CPU a 50-plan dashboard cost (a profile, issue 7). In a mutation they are managed entities, as
 * `em.find` gives them, so whatever the mutation changes is flushed.
 */
export async function findRows<T extends object>(
  ctx: RequestContext,
  entity: EntityClass<T>,
  where: FilterQuery<T>,
  orderBy?: QueryOrderMap<T> | QueryOrderMap<T>[],
): Promise<T[]> {
  if (!ctx.operation.readOnly) return ctx.em.find(entity, where as never, orderBy ? { orderBy: orderBy as QueryOrderMap<T>[] } : {});
  const query = ctx.em.createQueryBuilder(entity).select('*').where(where as never);
  if (orderBy) query.orderBy(orderBy as never);
  const rows = (await query.execute('all')) as object[];
  return rows.map((row) => Object.assign(Object.create(entity.prototype) as T, row));
}
