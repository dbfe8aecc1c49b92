import {
  defaultFieldResolver,
  getNamedType,
  isAbstractType,
  isObjectType,
  Kind,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type SelectionSetNode,
  type FieldNode,
  type OperationDefinitionNode,
} from 'graphql';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '../auth/principal.js';
import type { RequestContext } from './context.js';

/*
 * Reads of residents' personal data, noted by one mechanism (issue 17): the schema is built, then
 * every field that returns an object of a registered personal type (a list of them, a connection of
 * them, or an interface one of them implements) is wrapped so that whatever it hands to the client is
 * noted in the operation's reads, with the path of fields that reached it. The personal types are
 * listed in src/modules/personal-data.ts; no resolver needs to note a read by hand, so a field added
 * tomorrow that returns a Resident is logged the day it is added.
 *
 * Types that are only ever seen through a registered object (a plan's goals' outcomes, a resident's
 * contact) are registered as parts of it; tests/personal-data.test.ts fails when a type carrying a
 * person's fields is neither, or when a part becomes reachable other than through its whole.
 */

/** Which record a read concerns; the log's writer maps it to the resident in the database. */
export type PersonalRefKind = 'resident' | 'application' | 'plan' | 'item' | 'delivery';

export interface PersonalRef {
  kind: PersonalRefKind;
  id: string;
}

/** A search over a personal type: its criteria reveal a person's existence or status even when no row is shown. */
export interface PersonalSearch {
  path: string;
  criteria: Record<string, unknown>;
  /** The number of matches, when the client read totalCount. */
  counted: number | null;
}

/** What one operation read, by record: the paths (field names from the root) that returned it. */
export interface PersonalReads {
  /** query, mutation or subscription. */
  operation: string;
  records: { ref: PersonalRef; paths: string[] }[];
  searches: PersonalSearch[];
}

/** Saves an operation's reads in its record transaction (modules/resident/access-log.ts). */
export type PersonalReadsWriter = (em: EntityManager, principal: Principal, reads: PersonalReads) => Promise<void>;

type RefsOf = (object: any) => PersonalRef | PersonalRef[] | null | undefined;

const recordTypes = new Map<string, RefsOf>();
const partTypes = new Map<string, string>();
const recordFields = new Map<string, (value: any, args: Record<string, unknown>) => PersonalRef[]>();

/** Objects of this class (its GraphQL type has the class's name) are a resident's record or part of one; `refs` says whose. */
export function registerPersonalType<T>(type: abstract new (...args: never[]) => T, refs: (object: T) => PersonalRef | PersonalRef[] | null | undefined): void {
  recordTypes.set(type.name, refs as RefsOf);
}

/**
 * A type whose objects are only ever reached through a registered one (`of`, in words): reading it
 * is reading that object, which is noted where it was returned. tests/personal-data.test.ts checks
 * that every field returning it belongs to a registered type or another part.
 */
export function registerPersonalPart(type: string | (abstract new (...args: never[]) => unknown), of: string): void {
  partTypes.set(typeof type === 'string' ? type : type.name, of);
}

/** A field whose value carries personal data in a scalar (a JSON export): `refs` says whose, from its value and arguments. */
export function registerPersonalField(coordinate: string, refs: (value: any, args: Record<string, unknown>) => PersonalRef[]): void {
  recordFields.set(coordinate, refs);
}

/** The registry, for the tests that hold it complete. */
export function personalRegistry(): { records: Set<string>; parts: Map<string, string>; fields: Set<string> } {
  return { records: new Set(recordTypes.keys()), parts: new Map(partTypes), fields: new Set(recordFields.keys()) };
}

/** A page of a registered type (XConnection) or one of its edges (XEdge): its objects are what the field returning it shows. */
interface PageType {
  kind: 'connection' | 'edge';
  node: string;
}

/** Connection and edge types (Relay's shape: nodes and pageInfo; node and cursor) of registered types. */
export function personalPages(schema: GraphQLSchema): Map<string, PageType> {
  const pages = new Map<string, PageType>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const fields = type.getFields();
    const node = fields.nodes ?? fields.node;
    if (!node || !(fields.pageInfo || fields.cursor)) continue;
    const named = getNamedType(node.type);
    if (recordTypes.has(named.name)) pages.set(type.name, { kind: fields.pageInfo ? 'connection' : 'edge', node: named.name });
  }
  return pages;
}

/** Page arguments say how much of a result to show, not whom to look for. */
const PAGING = new Set(['first', 'after', 'last', 'before']);

/**
 * Wraps the fields that hand personal data to a client (see the module comment). Also wraps each
 * personal connection's totalCount, which reveals how many match a search even on an empty page.
 */
export function logPersonalReads(schema: GraphQLSchema, write: PersonalReadsWriter): GraphQLSchema {
  const pages = personalPages(schema);
  const searches = new WeakMap<object, PersonalSearch>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const page = pages.get(type.name);
    for (const field of Object.values(type.getFields())) {
      const coordinate = `${type.name}.${field.name}`;
      if (page) {
        // Its nodes and edges were noted where the page was returned.
        if (page.kind === 'connection' && field.name === 'totalCount') {
          wrap(field, (value, source) => {
            const search = searches.get(source);
            if (search && typeof value === 'number') search.counted = value;
          });
        }
        continue;
      }
      const fieldRefs = recordFields.get(coordinate);
      if (fieldRefs) {
        wrap(field, (value, _source, args, ctx, info) => {
          if (value !== null && value !== undefined) note(ctx, info, fieldRefs(value, args), write);
        });
        continue;
      }
      const shows = objectsShown(schema, getNamedType(field.type), pages);
      if (!shows) continue;
      wrap(field, (value, _source, args, ctx, info) => {
        const refs: PersonalRef[] = [];
        for (const object of flatten(value)) {
          const shown = shows(object);
          if (!shown) continue;
          refs.push(...shown.refs);
          if (shown.page) {
            const criteria = criteriaOf(args);
            if (criteria) {
              const search: PersonalSearch = { path: fieldPath(info), criteria, counted: null };
              searches.set(object as object, search);
              readsOf(ctx, info, write).searches.push(search);
            }
          }
        }
        note(ctx, info, refs, write);
      });
    }
  }
  return schema;
}

/** How to find the records in a field's value, or null when the field's type can hold none. */
function objectsShown(
  schema: GraphQLSchema,
  named: GraphQLNamedType,
  pages: Map<string, PageType>,
): ((object: unknown) => { refs: PersonalRef[]; page: boolean } | null) | null {
  const refsOf = (typeName: string, object: unknown) => toList(recordTypes.get(typeName)?.(object));
  const page = pages.get(named.name);
  if (page?.kind === 'connection') {
    return (object) => ({ refs: ((object as { nodes?: unknown[] }).nodes ?? []).flatMap((node) => refsOf(page.node, node)), page: true });
  }
  if (page?.kind === 'edge') return (object) => ({ refs: refsOf(page.node, (object as { node?: unknown }).node), page: false });
  if (recordTypes.has(named.name)) return (object) => ({ refs: refsOf(named.name, object), page: false });
  if (isAbstractType(named) && schema.getPossibleTypes(named).some((t) => recordTypes.has(t.name))) {
    // The concrete type of each object: type-graphql's types are named after their classes.
    return (object) => {
      const name = (object as { constructor?: { name?: string } }).constructor?.name;
      return name && recordTypes.has(name) ? { refs: refsOf(name, object), page: false } : null;
    };
  }
  return null;
}

type After = (value: unknown, source: any, args: Record<string, unknown>, ctx: RequestContext, info: GraphQLResolveInfo) => void;

/** Runs `after` with the field's value once it is resolved; a field that fails shows nothing and notes nothing. */
function wrap(field: GraphQLField<unknown, unknown>, after: After): void {
  const resolve = field.resolve ?? defaultFieldResolver;
  field.resolve = (source, args, ctx, info) => {
    const value = resolve(source, args, ctx, info);
    if (value instanceof Promise) {
      return value.then((resolved) => {
        after(resolved, source, args, ctx as RequestContext, info);
        return resolved;
      });
    }
    after(value, source, args, ctx as RequestContext, info);
    return value;
  };
}

function* flatten(value: unknown): Generator<unknown> {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) for (const item of value) yield* flatten(item);
  else yield value;
}

const toList = (refs: PersonalRef | PersonalRef[] | null | undefined): PersonalRef[] =>
  (refs ? (Array.isArray(refs) ? refs : [refs]) : []).filter((r) => r && r.id);

/** A field's arguments other than paging, without those left out; null when none was given. */
function criteriaOf(args: Record<string, unknown>): Record<string, unknown> | null {
  const given = Object.entries(args).filter(([name, value]) => !PAGING.has(name) && hasValue(value));
  return given.length > 0 ? Object.fromEntries(given.map(([name, value]) => [name, withoutEmpty(value)])) : null;
}

function hasValue(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value === 'string') return value.trim() !== '';
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.values(value).some(hasValue);
  return true;
}

function withoutEmpty(value: unknown): unknown {
  if (Array.isArray(value) || value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => hasValue(v))
      .map(([k, v]) => [k, withoutEmpty(v)]),
  );
}

interface OperationReads extends PersonalReads {
  byRef: Map<string, { ref: PersonalRef; paths: Set<string> }>;
}

const readsByContext = new WeakMap<RequestContext, OperationReads>();

/** The operation's reads, created with the record that saves them when the operation ends. */
function readsOf(ctx: RequestContext, info: GraphQLResolveInfo, write: PersonalReadsWriter): OperationReads {
  let reads = readsByContext.get(ctx);
  if (!reads) {
    const created: OperationReads = { operation: info.operation.operation, records: [], searches: [], byRef: new Map() };
    reads = created;
    readsByContext.set(ctx, created);
    ctx.operation.record((em) => {
      const records = [...created.byRef.values()].map(({ ref, paths }) => ({ ref, paths: [...paths].sort() }));
      return write(em, ctx.principal, { operation: created.operation, records, searches: created.searches });
    });
  }
  return reads;
}

function note(ctx: RequestContext, info: GraphQLResolveInfo, refs: PersonalRef[], write: PersonalReadsWriter): void {
  if (refs.length === 0) return;
  const reads = readsOf(ctx, info, write);
  const path = fieldPath(info);
  for (const ref of refs) {
    const key = `${ref.kind}:${ref.id}`;
    let entry = reads.byRef.get(key);
    if (!entry) {
      entry = { ref, paths: new Set() };
      reads.byRef.set(key, entry);
    }
    entry.paths.add(path);
  }
}

const pathsByOperation = new WeakMap<OperationDefinitionNode, Map<string, string>>();

/**
 * The field's path from the root by field names (`plans.nodes.resident`): aliases are the client's
 * words and list positions say nothing, so neither appears. Worked out from the document once per
 * operation and path.
 */
export function fieldPath(info: GraphQLResolveInfo): string {
  const steps: { key: string; typename?: string }[] = [];
  for (let p: GraphQLResolveInfo['path'] | undefined = info.path; p; p = p.prev) {
    if (typeof p.key === 'string') steps.unshift({ key: p.key, typename: p.typename });
  }
  let known = pathsByOperation.get(info.operation);
  if (!known) {
    known = new Map();
    pathsByOperation.set(info.operation, known);
  }
  const cacheKey = steps.map((s) => `${s.typename}.${s.key}`).join('/');
  const cached = known.get(cacheKey);
  if (cached !== undefined) return cached;
  const names: string[] = [];
  let sets: SelectionSetNode[] = [info.operation.selectionSet];
  for (const step of steps) {
    const fields = fieldsAt(info, sets, step.key, step.typename);
    names.push(fields[0]?.name.value ?? step.key);
    sets = fields.flatMap((f) => (f.selectionSet ? [f.selectionSet] : []));
  }
  const path = names.join('.');
  known.set(cacheKey, path);
  return path;
}

/** The fields of these selection sets answered under `key` on an object of `typename`, through fragments. */
function fieldsAt(info: GraphQLResolveInfo, sets: SelectionSetNode[], key: string, typename: string | undefined): FieldNode[] {
  const found: FieldNode[] = [];
  const applies = (condition: string | undefined) => {
    if (!condition || !typename || condition === typename) return true;
    const abstract = info.schema.getType(condition);
    const concrete = info.schema.getType(typename);
    return !!abstract && !!concrete && isAbstractType(abstract) && isObjectType(concrete) && info.schema.isSubType(abstract, concrete);
  };
  const visit = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        if ((selection.alias?.value ?? selection.name.value) === key) found.push(selection);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (applies(selection.typeCondition?.name.value)) visit(selection.selectionSet);
      } else {
        const fragment = info.fragments[selection.name.value];
        if (fragment && applies(fragment.typeCondition.name.value)) visit(fragment.selectionSet);
      }
    }
  };
  sets.forEach(visit);
  return found;
}
