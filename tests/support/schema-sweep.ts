import {
  getNamedType,
  isAbstractType,
  isCompositeType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
  Kind,
  Lexer,
  print as printNode,
  Source,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLArgument,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLLeafType,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';

/**
 * The whole-schema sweep (issue 16), as pure functions of the schema: which Type.field coordinates a
 * query can reach, query documents that select all of them within the server's operation limits, and
 * a walk of an answer that knows each value's GraphQL type. tests/schema-sweep.test.ts sends them.
 */

/** One selection of a generated query: a field with its arguments written out, or an inline fragment (`... on T`). */
export interface Sel {
  head: string;
  /** The field, for a field; absent for an inline fragment. */
  field?: string;
  /** How many items the limits count for it: its `first`, else 1 (src/platform/graphql/limits.ts, pageOf). */
  page: number;
  /** The field's type as written in the schema ("GminaKind!"): two fields of one name must agree on it. */
  returns?: string;
  children?: Sel[];
}

/** The server's limits on an operation (config.limits). */
export interface Limits {
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
  maxTokens: number;
}

/**
 * How an argument is written: a GraphQL literal, undefined to leave it out (only when it may be left
 * out), or null when no value can be had (the field is then not selected, and the caller hears of it).
 */
export type ArgFiller = (owner: string, field: GraphQLField<unknown, unknown>, arg: GraphQLArgument) => string | undefined | null;

const ROOTS_SKIPPED = new Set(['Mutation', 'Subscription']);
const coordinate = (type: { name: string }, field: string) => `${type.name}.${field}`;

/** Fields of an object or interface type; a union has none of its own. */
const fieldsOf = (type: GraphQLCompositeType) => (isUnionType(type) ? [] : Object.values(type.getFields()));

/** Every Type.field a query can reach from the Query root (interface fields included, introspection not). */
export function reachableCoordinates(schema: GraphQLSchema): Set<string> {
  const query = schema.getQueryType();
  if (!query) throw new Error('the schema has no Query type');
  const seen = new Set<string>();
  const found = new Set<string>();
  const visit = (type: GraphQLNamedType) => {
    if (!isCompositeType(type) || seen.has(type.name) || ROOTS_SKIPPED.has(type.name)) return;
    seen.add(type.name);
    for (const field of fieldsOf(type)) {
      found.add(coordinate(type, field.name));
      visit(getNamedType(field.type));
    }
    if (isAbstractType(type)) schema.getPossibleTypes(type).forEach(visit);
  };
  visit(query);
  return found;
}

export interface TreeOptions {
  /** Field levels below and including the root field. */
  maxDepth: number;
  /** How often one type may appear on a path from the root: cycles end here. */
  maxRepeats: number;
  args: ArgFiller;
}

/** What generation left out: fields whose required arguments had no value. */
export interface Omissions {
  unfilled: Set<string>;
}

/**
 * Everything below one field of `owner`, as deep as the options allow: every field of every type,
 * inline fragments on every member of an interface or union. Null when the field cannot be
 * selected (an argument without a value, or nothing inside it within the depth).
 */
export function fieldTree(
  schema: GraphQLSchema,
  owner: GraphQLCompositeType,
  field: GraphQLField<unknown, unknown>,
  options: TreeOptions,
  omissions: Omissions,
): Sel | null {
  return fieldSel(schema, owner, field, options, omissions, 1, new Map());
}

function fieldSel(
  schema: GraphQLSchema,
  owner: GraphQLCompositeType,
  field: GraphQLField<unknown, unknown>,
  options: TreeOptions,
  omissions: Omissions,
  depth: number,
  onPath: Map<string, number>,
): Sel | null {
  const args: string[] = [];
  let page = 1;
  for (const arg of field.args) {
    const literal = options.args(owner.name, field, arg);
    if (literal === null) {
      omissions.unfilled.add(`${coordinate(owner, field.name)}(${arg.name})`);
      return null;
    }
    if (literal === undefined) continue;
    args.push(`${arg.name}: ${literal}`);
    if (arg.name === 'first') page = Number(literal);
  }
  const head = args.length > 0 ? `${field.name}(${args.join(', ')})` : field.name;
  const named = getNamedType(field.type);
  const returns = String(field.type);
  if (isLeafType(named)) return { head, field: field.name, page, returns };
  if (!isCompositeType(named) || depth >= options.maxDepth) return null;
  const repeats = onPath.get(named.name) ?? 0;
  if (repeats >= options.maxRepeats) return null;
  const children = selectionsOf(schema, named, options, omissions, depth, new Map(onPath).set(named.name, repeats + 1));
  return children.length > 0 ? { head, field: field.name, page, returns, children } : null;
}

function selectionsOf(
  schema: GraphQLSchema,
  type: GraphQLCompositeType,
  options: TreeOptions,
  omissions: Omissions,
  depth: number,
  onPath: Map<string, number>,
): Sel[] {
  const own = fieldsOf(type)
    .map((f) => fieldSel(schema, type, f, options, omissions, depth + 1, onPath))
    .filter((s): s is Sel => s !== null);
  if (!isAbstractType(type)) return own;
  // The walk of the answer needs each object's type, and every member gets a fragment of its own.
  const fragments = schema.getPossibleTypes(type).map((member): Sel => ({
    head: `... on ${member.name}`,
    page: 1,
    children: selectionsOf(schema, member, options, omissions, depth, new Map(onPath).set(member.name, (onPath.get(member.name) ?? 0) + 1)),
  }));
  return [{ head: '__typename', field: '__typename', page: 1, returns: 'String!' }, ...own, ...fragments.filter((f) => f.children!.length > 0)];
}

interface Measure {
  depth: number;
  cost: number;
  tokens: number;
}

const headTokens = new Map<string, number>();
function tokensOf(head: string): number {
  let count = headTokens.get(head);
  if (count === undefined) {
    const lexer = new Lexer(new Source(head));
    count = 0;
    while (lexer.advance().kind !== '<EOF>') count++;
    headTokens.set(head, count);
  }
  return count;
}

const measured = new WeakMap<Sel, Measure>();
/** Depth, cost and tokens as src/platform/graphql/limits.ts and graphql's parser count them. */
function measure(sel: Sel): Measure {
  const known = measured.get(sel);
  if (known) return known;
  const inner = { depth: 0, cost: 0, tokens: 0 };
  for (const child of sel.children ?? []) {
    const m = measure(child);
    inner.depth = Math.max(inner.depth, m.depth);
    inner.cost += m.cost;
    inner.tokens += m.tokens;
  }
  const braces = sel.children ? 2 : 0;
  const result =
    sel.field === undefined
      ? { depth: inner.depth, cost: inner.cost, tokens: tokensOf(sel.head) + braces + inner.tokens }
      : { depth: inner.depth + 1, cost: 1 + sel.page * inner.cost, tokens: tokensOf(sel.head) + braces + inner.tokens };
  measured.set(sel, result);
  return result;
}

const withChildren = (sel: Sel, children: Sel[]): Sel => ({ ...sel, children });

/** Fields of a selection list by name, those inside its fragments included (as graphql collects them). */
function fieldsByName(sels: Sel[], into = new Map<string, Sel[]>()): Map<string, Sel[]> {
  for (const sel of sels) {
    if (sel.field === undefined) fieldsByName(sel.children ?? [], into);
    else into.set(sel.field, [...(into.get(sel.field) ?? []), sel]);
  }
  return into;
}

/**
 * Whether two fragments on different types may not stand side by side: graphql refuses one name
 * with two types (`kind` of a Gmina and of a Partner), at any depth below them.
 */
function clash(a: Sel[], b: Sel[]): boolean {
  const right = fieldsByName(b);
  for (const [name, xs] of fieldsByName(a)) {
    for (const y of right.get(name) ?? []) {
      for (const x of xs) {
        if (x.returns !== y.returns) return true;
        if (x.children && y.children && clash(x.children, y.children)) return true;
      }
    }
  }
  return false;
}

const fragmentsClash = (siblings: Sel[], part: Sel) =>
  part.field === undefined && siblings.some((s) => s.field === undefined && s !== part && clash(s.children ?? [], part.children ?? []));

const consistentMemo = new WeakMap<Sel, boolean>();
/** No two fragments anywhere in the selection clash. */
function consistent(sel: Sel): boolean {
  let known = consistentMemo.get(sel);
  if (known === undefined) {
    const children = sel.children ?? [];
    known = children.every((c) => consistent(c) && !fragmentsClash(children, c));
    consistentMemo.set(sel, known);
  }
  return known;
}

/**
 * Splits a selection into pieces that each pass `fits` and hold no clashing fragments, together
 * selecting everything it did. Every piece keeps the leaves of each level (ids among them), so each
 * answer can be walked and its objects compared.
 */
function split(sel: Sel, fits: (candidate: Sel) => boolean): Sel[] {
  if (!sel.children || (fits(sel) && consistent(sel))) return [sel];
  const leaves = sel.children.filter((c) => !c.children);
  const branches = sel.children.filter((c) => c.children);
  const pieces: Sel[] = [];
  let current = leaves;
  for (const branch of branches) {
    for (const part of split(branch, (b) => fits(withChildren(sel, [...leaves, b])))) {
      const candidate = [...current, part];
      if (!fragmentsClash(current, part) && fits(withChildren(sel, candidate))) {
        current = candidate;
      } else {
        pieces.push(withChildren(sel, current));
        current = [...leaves, part];
      }
    }
  }
  pieces.push(withChildren(sel, current));
  return pieces;
}

/** Writes a selection out as GraphQL text. */
export function print(sel: Sel): string {
  return sel.children ? `${sel.head} { ${sel.children.map(print).join(' ')} }` : sel.head;
}

/**
 * Query documents that together select everything of one root field's tree, each within the limits
 * (with `margin` of each left unused). A single path deeper than maxDepth cannot be split: the tree's
 * own maxDepth keeps below it.
 */
export function documentsFor(name: string, root: Sel, limits: Limits, margin = 0.9): string[] {
  const overhead = 4; // query Name { ... }
  const fits = (candidate: Sel) => {
    const m = measure(candidate);
    return m.tokens + overhead <= limits.maxTokens * margin && m.cost <= limits.maxCost * margin && m.depth <= limits.maxDepth;
  };
  return split(root, fits).map((piece, i) => `query ${name}_${i + 1} { ${print(piece)} }`);
}

/** Every Type.field a document selects (read from the document itself, not from how it was made). */
export function selectedCoordinates(schema: GraphQLSchema, document: DocumentNode): Set<string> {
  const found = new Set<string>();
  const info = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(info, {
      Field(node) {
        const parent = info.getParentType();
        if (parent && !node.name.value.startsWith('__')) found.add(coordinate(parent, node.name.value));
      },
    }),
  );
  return found;
}

/**
 * The Type.field an error's path names in a document (several when a path runs through fragments on
 * members that share a field name).
 */
export function coordinatesAt(schema: GraphQLSchema, document: DocumentNode, path: readonly (string | number)[]): string[] {
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (!operation || operation.kind !== Kind.OPERATION_DEFINITION) return [];
  let level: { type: GraphQLCompositeType; set: SelectionSetNode }[] = [{ type: schema.getQueryType()!, set: operation.selectionSet }];
  let found: string[] = [];
  for (const step of path.filter((p): p is string => typeof p === 'string')) {
    const next: typeof level = [];
    found = [];
    const look = (type: GraphQLCompositeType, set: SelectionSetNode) => {
      for (const selection of set.selections) {
        if (selection.kind === Kind.INLINE_FRAGMENT) {
          const condition = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type;
          if (condition && isCompositeType(condition)) look(condition, selection.selectionSet);
        } else if (selection.kind === Kind.FIELD && (selection.alias?.value ?? selection.name.value) === step && !isUnionType(type)) {
          const field = type.getFields()[selection.name.value];
          if (!field) continue;
          found.push(coordinate(type, field.name));
          const named = getNamedType(field.type);
          if (selection.selectionSet && isCompositeType(named)) next.push({ type: named, set: selection.selectionSet });
        }
      }
    };
    level.forEach(({ type, set }) => look(type, set));
    level = next;
  }
  return [...new Set(found)];
}

/** Where a value sits in an answer, and what the schema says it is. */
export interface Visit {
  path: string;
  /** Type.field, with the type the selection was made on (an interface when selected on it). */
  coordinate: string;
  value: unknown;
}

export interface Walker {
  /** Each field present in the answer (its parent object was there). */
  field(visit: Visit & { object: Record<string, unknown>; key: string; arguments: string }): void;
  /** Each non-null leaf value, list items one by one. */
  leaf(visit: Visit & { type: GraphQLLeafType }): void;
}

/** Walks an answer's data along its document, knowing each field's type, each member of an abstract type by its __typename. */
export function walkAnswer(schema: GraphQLSchema, document: DocumentNode, data: Record<string, unknown>, walker: Walker): void {
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (!operation || operation.kind !== Kind.OPERATION_DEFINITION) throw new Error('the document has no operation');
  const query = schema.getQueryType()!;

  const walkSet = (set: SelectionSetNode, type: GraphQLCompositeType, object: Record<string, unknown>, path: string) => {
    const actual = isAbstractType(type) ? schema.getType(String(object.__typename)) : type;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (name === '__typename') continue;
        const key = selection.alias?.value ?? name;
        if (!(key in object)) throw new Error(`${path}: the answer has no ${key}`);
        const definition = isUnionType(type) ? undefined : type.getFields()[name];
        if (!definition) throw new Error(`${path}: ${type.name} has no field ${name}`);
        const at = `${path}.${key}`;
        const where = coordinate(type, name);
        const args = (selection.arguments ?? []).map((a) => `${a.name.value}: ${printNode(a.value)}`).join(', ');
        walker.field({ path: at, coordinate: where, value: object[key], object, key, arguments: args });
        walkValue(selection.selectionSet, definition.type, object[key], at, where);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type;
        if (!condition || !isCompositeType(condition) || !actual || !isObjectType(actual)) continue;
        const applies = condition === actual || (isAbstractType(condition) && schema.isSubType(condition, actual));
        if (applies) walkSet(selection.selectionSet, condition, object, path);
      } else {
        throw new Error('the sweep writes no named fragments');
      }
    }
  };

  const walkValue = (set: SelectionSetNode | undefined, type: GraphQLOutputType, value: unknown, path: string, where: string): void => {
    if (value === null || value === undefined) return;
    if (isNonNullType(type)) return walkValue(set, type.ofType, value, path, where);
    if (isListType(type)) {
      if (!Array.isArray(value)) throw new Error(`${path}: a list in the schema, ${typeof value} in the answer`);
      value.forEach((item, i) => walkValue(set, type.ofType, item, `${path}[${i}]`, where));
      return;
    }
    if (isLeafType(type)) return walker.leaf({ path, coordinate: where, value, type });
    if (!set || typeof value !== 'object') throw new Error(`${path}: an object in the schema, ${typeof value} in the answer`);
    walkSet(set, type as GraphQLCompositeType, value as Record<string, unknown>, path);
  };

  walkSet(operation.selectionSet, query, data, '');
}

/**
 * Whether a leaf value comes back unchanged through its own type: parsed as a client would send it,
 * then serialised again. Returns what went wrong, or null.
 */
export function roundTrip(type: GraphQLLeafType, value: unknown): string | null {
  let parsed: unknown;
  try {
    parsed = type.parseValue(value);
  } catch (error) {
    return `${type.name}.parseValue(${JSON.stringify(value)}) throws: ${(error as Error).message}`;
  }
  let again: unknown;
  try {
    again = type.serialize(parsed);
  } catch (error) {
    return `${type.name}.serialize(parseValue(${JSON.stringify(value)})) throws: ${(error as Error).message}`;
  }
  if (JSON.stringify(again) !== JSON.stringify(value)) {
    return `${type.name}: ${JSON.stringify(value)} comes back as ${JSON.stringify(again)}`;
  }
  return null;
}

/** The named type an argument takes, and whether it must be given. */
export function argumentShape(arg: GraphQLArgument): { named: GraphQLNamedType; required: boolean; list: boolean } {
  const required = isNonNullType(arg.type) && arg.defaultValue === undefined;
  const inner = isNonNullType(arg.type) ? arg.type.ofType : arg.type;
  return { named: getNamedType(arg.type), required, list: isListType(inner) };
}
