import type { EntityClass, EntityManager, EntityMetadata, FilterQuery, QueryOrderMap } from '@mikro-orm/core';
import type { RequestContext } from '../../graphql/context.js';

/** How plain rows of an entity are read: its column properties and the SQL that selects them. */
interface ReadPlan {
  meta: EntityMetadata;
  properties: string[];
  /** Properties with a custom type, converted from the database value as MikroORM's hydration does. */
  converted: EntityMetadata['props'];
  select: string;
  columnOf: Map<string, string>;
}

/** Per entity class; null when it has other than column properties (embeddables, relations). */
const plans = new WeakMap<object, ReadPlan | null>();

function readPlan(em: EntityManager, entity: EntityClass<object>): ReadPlan | null {
  if (!plans.has(entity)) {
    const meta = em.getMetadata().get(entity);
    const props = meta.props.filter((p) => p.persist !== false);
    const plain = props.every((p) => p.kind === 'scalar' && !p.formula && p.fieldNames.length === 1);
    const columnOf = new Map(props.map((p) => [p.name, `"${p.fieldNames[0]}"`]));
    plans.set(
      entity,
      plain
        ? {
            meta,
            properties: props.map((p) => p.name),
            converted: props.filter((p) => p.customType),
            select: `select ${[...columnOf.values()].join(', ')} from "${meta.tableName}"`,
            columnOf,
          }
        : null,
    );
  }
  return plans.get(entity)!;
}

/**
 * `where` as `<column> in (?) and ...` with its values, when it is the common loader shape: each
 * property with `{ $in: values }`; else null.
 */
function inLists(plan: ReadPlan, where: object): { sql: string; values: unknown[][] } | null {
  const entries = Object.entries(where);
  if (entries.length === 0) return null;
  const sql: string[] = [];
  const values: unknown[][] = [];
  for (const [property, condition] of entries) {
    const column = plan.columnOf.get(property);
    if (!column || typeof condition !== 'object' || condition === null || Object.keys(condition).length !== 1) return null;
    const list = (condition as { $in?: unknown }).$in;
    if (!Array.isArray(list)) return null;
    sql.push(`${column} in (?)`);
    values.push(list);
  }
  return { sql: sql.join(' and '), values };
}

/** `orderBy` as SQL, when it names column properties with asc or desc; else null. */
function orderSql(plan: ReadPlan, orderBy: QueryOrderMap<object> | readonly QueryOrderMap<object>[] | undefined): string | null {
  if (!orderBy) return '';
  const parts: string[] = [];
  for (const map of Array.isArray(orderBy) ? orderBy : [orderBy]) {
    for (const [property, direction] of Object.entries(map as Record<string, unknown>)) {
      const column = plan.columnOf.get(property);
      if (!column || (direction !== 'asc' && direction !== 'desc')) return null;
      parts.push(`${column} ${direction}`);
    }
  }
  return parts.length > 0 ? ` order by ${parts.join(', ')}` : '';
}

/**
 * The rows of `entity` that match `where`, as a loader reads them.
 *
 * In a read-only operation they come as plain instances of the entity's class (its getters and
 * `instanceof` work) holding its column properties, rather than managed entities: nothing read there
 * is ever flushed, and the identity map and change-tracking snapshots MikroORM keeps for each managed
 * entity were an eighth of the CPU a 50-plan dashboard cost (a profile, issue 7). The common loader
 * shape, `{ property: { $in: values }, ... }`, is written as SQL directly, without MikroORM's query
 * builder (3-6% of a partner week's profile). In a mutation, and for an entity with other than column properties, they
 * are managed entities, as `em.find` gives them.
 */
export async function findRows<T extends object>(
  ctx: RequestContext,
  entity: EntityClass<T>,
  where: FilterQuery<T>,
  options: { orderBy?: QueryOrderMap<T> | readonly QueryOrderMap<T>[] } = {},
): Promise<T[]> {
  const { orderBy } = options;
  const plan = ctx.operation.readOnly ? readPlan(ctx.em, entity) : null;
  if (!plan) return ctx.em.find(entity, where as never, orderBy ? { orderBy: orderBy as QueryOrderMap<T>[] } : {});
  let rows: Record<string, unknown>[];
  const condition = inLists(plan, where);
  const order = orderSql(plan, orderBy);
  if (condition && order !== null) {
    if (condition.values.some((list) => list.length === 0)) return [];
    // MikroORM inlines each list as `in (a, b)` (an internal checked in internals.ts).
    const found = await ctx.em.execute<Record<string, unknown>[]>(`${plan.select} where ${condition.sql}${order}`, condition.values);
    const driver = ctx.em.getDriver();
    rows = found.map((row) => driver.mapResult(row, plan.meta) as Record<string, unknown>);
  } else {
    const query = ctx.em
      .createQueryBuilder(entity)
      .select(plan.properties as never)
      .where(where as never);
    if (orderBy) query.orderBy(orderBy as never);
    rows = await query.execute<Record<string, unknown>[]>('all');
  }
  const platform = ctx.em.getDriver().getPlatform();
  return rows.map((row) => {
    for (const prop of plan.converted) {
      if (row[prop.name] != null) row[prop.name] = prop.customType!.convertToJSValue(row[prop.name], platform);
    }
    const instance = Object.create(entity.prototype) as Record<string, unknown>;
    for (const name of plan.properties) instance[name] = row[name];
    return instance as T;
  });
}
