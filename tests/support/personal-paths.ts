import {
  getNamedType,
  isAbstractType,
  isLeafType,
  isNonNullType,
  isObjectType,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { personalPages, personalRegistry } from '../../src/platform/graphql/personal-reads.js';

/**
 * Every path from the Query root to a resident's personal data, worked out from the schema and the
 * registry of personal types (src/platform/graphql/personal-reads.ts), for tests/isolation.test.ts.
 * A path runs through types that are not personal and ends at the first object that is: a record
 * (Resident, Ipus...), a page of records, or a field whose scalar value is personal (an export). What
 * lies below that object is part of it, read with it, and logged with it.
 */
export interface PersonalPath {
  /** The fields from the root, with the type each is selected on; `on` when it is a fragment's. */
  steps: { field: GraphQLField<unknown, unknown>; parent: string; on?: string }[];
  /** The record type reached (the page's node type for a page; the field's own coordinate for a scalar). */
  target: string;
  kind: 'object' | 'page' | 'scalar';
  /** For an abstract field: the record type its fragment selects. */
  fragment?: string;
}

export interface PathOptions {
  /** Field levels from the root, the personal field included. */
  maxDepth: number;
}

/** The paths, root field by root field, in the schema's order. */
export function personalPaths(schema: GraphQLSchema, options: PathOptions): PersonalPath[] {
  const registry = personalRegistry();
  const pages = personalPages(schema);
  const found: PersonalPath[] = [];
  const walk = (type: GraphQLObjectType, steps: PersonalPath['steps'], seen: Set<string>, on?: string) => {
    for (const field of Object.values(type.getFields())) {
      const step = { field, parent: type.name, on };
      const path = [...steps, step];
      const coordinate = `${type.name}.${field.name}`;
      const named: GraphQLNamedType = getNamedType(field.type);
      if (registry.fields.has(coordinate)) {
        found.push({ steps: path, target: coordinate, kind: 'scalar' });
        continue;
      }
      if (isLeafType(named)) continue;
      if (registry.records.has(named.name)) {
        found.push({ steps: path, target: named.name, kind: 'object' });
        continue;
      }
      const page = pages.get(named.name);
      if (page?.kind === 'connection') {
        found.push({ steps: path, target: page.node, kind: 'page' });
        continue;
      }
      if (path.length >= options.maxDepth) continue;
      if (isAbstractType(named)) {
        for (const member of schema.getPossibleTypes(named)) {
          if (registry.records.has(member.name)) found.push({ steps: path, target: member.name, kind: 'object', fragment: member.name });
          else if (!seen.has(member.name)) walk(member, path, new Set([...seen, member.name]), member.name);
        }
        continue;
      }
      if (isObjectType(named) && !seen.has(named.name) && !registry.parts.has(named.name)) walk(named, path, new Set([...seen, named.name]));
    }
  };
  const query = schema.getQueryType()!;
  walk(query, [], new Set([query.name]));
  return found;
}

/** The path by field names, as the access log writes it (`residentAccessLog.nodes.resident`). */
export const pathName = (path: PersonalPath) => path.steps.map((s) => s.field.name).join('.');

/** Required arguments of a field (those without a default that must be given). */
export const requiredArgs = (field: GraphQLField<unknown, unknown>) => field.args.filter((a) => isNonNullType(a.type) && a.defaultValue === undefined);

/** Leaf fields of a type that need no argument: what a client would read of an object. */
export function leavesOf(type: GraphQLObjectType): string[] {
  return Object.values(type.getFields())
    .filter((f) => isLeafType(getNamedType(f.type)) && requiredArgs(f).length === 0)
    .map((f) => f.name);
}

/** What to read of the object at a path's end: its leaves (for a scheduled visit, also the item it is of, which names the person). */
function targetSelection(schema: GraphQLSchema, path: PersonalPath): string {
  if (path.kind === 'scalar') return '';
  const type = schema.getType(path.target) as GraphQLObjectType;
  const leaves = [...leavesOf(type), ...(path.target === 'ScheduledVisit' ? ['assignment { id }'] : [])].join(' ');
  if (path.kind === 'page') return ` { totalCount nodes { ${leaves} } }`;
  return path.fragment ? ` { __typename ... on ${path.fragment} { ${leaves} } }` : ` { ${leaves} }`;
}

/**
 * A query reading one path: pages of 2, required arguments from `args` (an argument's GraphQL
 * literal, or null when there is none; the path is then not played).
 */
export function pathDocument(
  schema: GraphQLSchema,
  path: PersonalPath,
  args: (field: GraphQLField<unknown, unknown>, arg: string, path: PersonalPath) => string | null,
): string | null {
  let inner = targetSelection(schema, path);
  for (let i = path.steps.length - 1; i >= 0; i -= 1) {
    const { field, on } = path.steps[i];
    const given: string[] = [];
    for (const arg of field.args) {
      if (arg.name === 'first') given.push('first: 2');
      else if (isNonNullType(arg.type) && arg.defaultValue === undefined) {
        const literal = args(field, arg.name, path);
        if (literal === null) return null;
        given.push(`${arg.name}: ${literal}`);
      }
    }
    const head = given.length > 0 ? `${field.name}(${given.join(', ')})` : field.name;
    inner = `${head}${inner}`;
    if (on && i > 0) inner = `... on ${on} { ${inner} }`;
    if (i > 0) inner = ` { ${inner} }`;
  }
  return `query PersonalPath { ${inner} }`;
}

/** The objects a path showed in an answer (a page's nodes; for a fragment, the objects of its type); for a scalar, its values. */
export function shownAt(path: PersonalPath, data: Record<string, unknown> | null | undefined): unknown[] {
  let level: unknown[] = data ? [data] : [];
  for (const { field } of path.steps) {
    level = level
      .flatMap((object) => {
        const value = (object as Record<string, unknown> | null)?.[field.name];
        return Array.isArray(value) ? value : [value];
      })
      .filter((v) => v !== null && v !== undefined);
  }
  if (path.kind === 'page') return level.flatMap((page) => (page as { nodes?: unknown[] }).nodes ?? []);
  if (path.fragment) return level.filter((object) => (object as { __typename?: string }).__typename === path.fragment);
  return level;
}
