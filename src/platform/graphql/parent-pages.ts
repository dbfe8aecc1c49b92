import { loader, type RequestContext } from './context.js';
import { pageSize, type Page, type PageArgs } from './connection.js';
import { decodeCursor, keysetAfter, keysetPage, orderBySql, type SortKey } from './keyset.js';

/**
 * A list nested under many parents (each plan's activities, each place's services), paged by one sort key.
 * `from` names the table(s) with an alias, `parent` the uuid column that says whose row it is, `where`
 * any filter shared by every parent's list. `name` identifies the loader: it must change with `where`.
 */
export interface ParentList<T> {
  name: string;
  select: string;
  from: string;
  parent: string;
  where?: { sql: string[]; params: unknown[] };
  keys: readonly SortKey[];
  map: (row: Record<string, unknown>) => T;
  keyOf: (node: T) => readonly unknown[];
}

interface PageRequest {
  parentId: string;
  limit: number;
  after: unknown[] | null;
}

/**
 * One parent's page. The pages of every parent asked for in the request come from one statement,
 * whatever each one's `first` and `after`: a VALUES row per page, and LATERAL over it the parent's
 * rows after its cursor, `first + 1` of them (the extra row says whether another page follows).
 * Row-level security applies inside. A bad cursor is refused here, before it can fail the batch.
 */
export async function parentPage<T>(
  ctx: RequestContext,
  list: ParentList<T>,
  parentId: string,
  args: PageArgs,
  count: () => Promise<number>,
): Promise<Page<T>> {
  const first = pageSize(args.first);
  const after = args.after ? decodeCursor(args.after, list.keys) : null;
  const rows = first === 0 ? [] : await pagesOf(ctx, list).load(JSON.stringify({ parentId, limit: first + 1, after } satisfies PageRequest));
  return keysetPage(rows, first, args.after, list.keyOf, count);
}

function pagesOf<T>(ctx: RequestContext, list: ParentList<T>) {
  return loader<string, T[]>(ctx, `parentPages:${list.name}`, async (rawRequests) => {
    const requests = rawRequests.map((raw) => JSON.parse(raw) as PageRequest);
    const bounds = list.keys.map((_, i) => `k.after_${i}`);
    const columns = ['page_key', 'parent_id', 'page_limit', ...bounds.map((b) => b.slice(2))];
    const row = `(?::int, ?::uuid, ?::int, ${list.keys.map((key) => `?::${key.type}`).join(', ')})`;
    const params = requests.flatMap((r, i) => [i, r.parentId, r.limit, ...list.keys.map((_, j) => r.after?.[j] ?? null)]);
    const conditions = [`${list.parent} = k.parent_id`, ...(list.where?.sql ?? []), `(k.after_0 is null or ${keysetAfter(list.keys, bounds)})`];
    const sorted = list.keys.map((key, i) => `${key.column} as page_sort_${i}`);
    const rows = await ctx.em.execute<Record<string, unknown>[]>(
      `select k.page_key, t.* from (values ${requests.map(() => row).join(', ')}) as k(${columns.join(', ')})
       cross join lateral (
         select ${list.select}, ${sorted.join(', ')} from ${list.from}
         where ${conditions.join(' and ')}
         order by ${orderBySql(list.keys)}
         limit k.page_limit
       ) t
       order by k.page_key, ${list.keys.map((key, i) => `t.page_sort_${i} ${key.direction}`).join(', ')}`,
      [...params, ...(list.where?.params ?? [])],
    );
    const pages: T[][] = requests.map(() => []);
    for (const { page_key: index, ...columns } of rows) {
      for (const name of Object.keys(columns)) if (name.startsWith('page_sort_')) delete columns[name];
      pages[Number(index)].push(list.map(columns));
    }
    return pages;
  });
}
