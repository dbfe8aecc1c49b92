import type { EntityClass, EntityManager, FilterQuery, QueryOrderMap } from '@mikro-orm/core';
import type { RequestContext } from '../graphql/context.js';

/** Per entity class: its persisted column properties, or null when it has others (embeddables, relations). */
const columnsOf = new WeakMap<object, string[] | null>();

function columnProperties(em: EntityManager, entity: EntityClass<object>): string[] | null {
  if (!columnsOf.has(entity)) {
    const props = em.getMetadata().get(entity).props.filter((p) => p.persist !== false);
    columnsOf.set(entity, props.every((p) => p.kind === 'scalar' && !p.formula) ? props.map((p) => p.name) : null);
  }
  return columnsOf.get(entity)!;
}

/**
 * The rows of `entity` that match `where`, as a loader reads them.
 *
 * In a read-only operation they come as plain instances of the entity's class (its getters and
 * `instanceof` work) holding its column properties, rather than managed entities: nothing read there
 * is ever flushed, and the identity map and change-tracking snapshots MikroORM keeps for each managed
 * entity were an eighth of the CPU a 50-plan dashboard cost (a profile, issue 7). In a mutation, and
 * for an entity with other than column properties, they are managed entities, as `em.find` gives them.
 */
export async function findRows<T extends object>(
  ctx: RequestContext,
  entity: EntityClass<T>,
  where: FilterQuery<T>,
  options: { orderBy?: QueryOrderMap<T> | readonly QueryOrderMap<T>[] } = {},
): Promise<T[]> {
  const { orderBy } = options;
  const columns = ctx.operation.readOnly ? columnProperties(ctx.em, entity) : null;
  if (!columns) return ctx.em.find(entity, where as never, orderBy ? { orderBy: orderBy as QueryOrderMap<T>[] } : {});
  const query = ctx.em.createQueryBuilder(entity).select(columns as never).where(where as never);
  if (orderBy) query.orderBy(orderBy as never);
  const rows = (await query.execute('all')) as Record<string, unknown>[];
  return rows.map((row) => {
    const instance = Object.create(entity.prototype) as Record<string, unknown>;
    for (const name of columns) instance[name] = row[name];
    return instance as T;
  });
}
