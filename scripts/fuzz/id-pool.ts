import { getNamedType, isNonNullType, isObjectType, type GraphQLField, type GraphQLObjectType, type GraphQLSchema } from 'graphql';

/**
 * Ids and cursors of real rows, read through the API before a run, so generated operations reach
 * past "no such id" into the resolvers and services. Keyed by GraphQL type name, sorted, so the same
 * database gives the same pool and a seed replays the same cases.
 */
export interface IdPool {
  byType: Record<string, string[]>;
  cursors: string[];
  /** Public survey link tokens (the last part of `publicUrl`). */
  tokens: string[];
}

/** Sends one query as one of the pool's readers; the body as the server answered it. */
export type Reader = (query: string) => Promise<{ data?: unknown } | undefined>;

const PAGE = 50;
const PER_TYPE = 40;

/** A global id as the server makes them: base64url of "Type:key" (the format is opaque to clients, not to the fuzzer). */
export function globalId(type: string, key: string): string {
  return Buffer.from(`${type}:${key}`, 'utf8').toString('base64url');
}

const hasId = (type: GraphQLObjectType) => 'id' in type.getFields();
const requiredArgs = (field: GraphQLField<unknown, unknown>) => field.args.some((a) => isNonNullType(a.type) && a.defaultValue === undefined);

/** `{ nodes { __typename id } }` for a connection, `{ __typename id }` for an object, else null. */
function idSelection(field: GraphQLField<unknown, unknown>, nested: boolean): string | null {
  if (requiredArgs(field)) return null;
  const named = getNamedType(field.type);
  if (!isObjectType(named)) return null;
  const fields = named.getFields();
  if ('nodes' in fields) {
    const node = getNamedType(fields.nodes.type);
    if (!isObjectType(node) || !hasId(node)) return null;
    const first = field.args.some((a) => a.name === 'first') ? `(first: ${nested ? 10 : PAGE})` : '';
    return `${field.name}${first} { pageInfo { endCursor } nodes { __typename id ${extras(node)} ${nested ? '' : innerIds(node)} } }`;
  }
  if (!hasId(named)) return null;
  return `${field.name} { __typename id ${extras(named)} ${nested ? '' : innerIds(named)} }`;
}

/** Strings worth keeping besides ids: a survey's public link. */
const extras = (type: GraphQLObjectType) => ('publicUrl' in type.getFields() ? 'publicUrl' : '');

/** One level of ids below a node: the objects and connections it links to. */
function innerIds(type: GraphQLObjectType): string {
  return Object.values(type.getFields())
    .map((f) => idSelection(f, true))
    .filter((s) => s !== null)
    .join(' ');
}

/** Every root list of the schema, read with one level of linked ids, by each reader; what a role may not read is skipped. */
export async function harvestIds(schema: GraphQLSchema, readers: Reader[]): Promise<IdPool> {
  const queryType = schema.getQueryType();
  if (!queryType) throw new Error('the schema has no Query type');
  const byType = new Map<string, Set<string>>();
  const cursors = new Set<string>();
  const tokens = new Set<string>();
  const collect = (value: unknown): void => {
    if (Array.isArray(value)) return value.forEach(collect);
    if (!value || typeof value !== 'object') return;
    const record = value as Record<string, unknown>;
    if (typeof record.__typename === 'string' && typeof record.id === 'string') {
      const set = byType.get(record.__typename) ?? new Set<string>();
      set.add(record.id);
      byType.set(record.__typename, set);
    }
    if (typeof record.endCursor === 'string') cursors.add(record.endCursor);
    if (typeof record.publicUrl === 'string') tokens.add(record.publicUrl.split('/').filter(Boolean).pop() ?? '');
    Object.values(record).forEach(collect);
  };
  const roots = Object.values(queryType.getFields())
    .map((f) => idSelection(f, false))
    .filter((s): s is string => s !== null);
  for (const read of readers) {
    for (const root of roots) collect((await read(`{ ${root} }`))?.data);
  }
  const sorted: Record<string, string[]> = {};
  for (const type of [...byType.keys()].sort()) sorted[type] = [...byType.get(type)!].sort().slice(0, PER_TYPE);
  return { byType: sorted, cursors: [...cursors].sort().slice(0, 100), tokens: [...tokens].sort() };
}

const capitalised = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

/**
 * Which node type an id argument probably names: `serviceIds` a Service, `id` in
 * `CusUnitUpdateInput` or on `cusUnit(id:)` a CusUnit. Null when nothing in the pool fits.
 */
export function idTypeFor(pool: IdPool, name: string, owner: string): string | null {
  const types = Object.keys(pool.byType);
  const stem = /^(.+?)Ids?$/.exec(name)?.[1];
  if (stem && name !== 'id') {
    const base = capitalised(stem);
    return types.find((t) => t === base) ?? types.find((t) => t.endsWith(base)) ?? null;
  }
  const parent = capitalised(owner);
  const prefixes = types.filter((t) => parent.startsWith(t)).sort((a, b) => b.length - a.length);
  return prefixes[0] ?? null;
}
