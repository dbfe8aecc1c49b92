import {
  getArgumentValues,
  getNamedType,
  getNullableType,
  isEnumType,
  isListType,
  isObjectType,
  isScalarType,
  Kind,
  type FieldNode,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type SelectionSetNode,
} from 'graphql';
import { getMetadataStorage } from 'type-graphql';
import type { MetadataStorage } from '@mikro-orm/core';
import { Node } from '../node.js';
import { checkTextArguments } from '../text-limits.js';

/*
 * A GraphQL selection compiled to one SQL expression that builds its JSON answer (issue 23): a
 * `json_build_object` per object, a `json_agg` subquery per list, so PostgreSQL assembles the page
 * and the server only passes it on. It covers what is registered and what it can prove equal to the
 * resolvers' answer; for anything else it answers null and the operation runs through the resolvers,
 * which stay the reference (tests/compiled-reads.test.ts compares the two).
 *
 * - A column field compiles by itself: a field of an entity's class that no resolver, role or
 *   middleware stands in front of, whose column holds a text, number, boolean, date, time or enum
 *   value (or an array of enum values) that PostgreSQL writes in JSON exactly as the scalar serialises.
 * - `id` is the global id (node.ts: base64url of "Type:key"); `__typename` the type's name.
 * - Any other field compiles only by a rule its module registers (registerCompiledField).
 */

/** What a rule gets to compile one field. */
export interface FieldCompiler {
  /** The alias of the parent's row. */
  row: string;
  field: FieldNode;
  /** The field's arguments, coerced as the executor would (defaults applied). */
  args: Record<string, unknown>;
  scope: CompileScope;
}

/** SQL of the field's JSON value, or null when this selection cannot be compiled. */
export type FieldRule = (compiler: FieldCompiler) => string | null;

const rules = new Map<string, FieldRule>();

/** Compiles the field `Type.field` (its coordinate) with `rule`: a relation, a computed value. */
export function registerCompiledField(coordinate: string, rule: FieldRule): void {
  rules.set(coordinate, rule);
}

/**
 * Fields of `typeName` whose values are expressions over its row (a type read from a view, not an
 * entity): each compiles where it has no arguments and no selection. The rules that reach the type
 * must give it a row that has these columns.
 */
export function registerCompiledColumns(typeName: string, columns: Record<string, (row: string) => string>): void {
  for (const [name, sql] of Object.entries(columns)) {
    registerCompiledField(`${typeName}.${name}`, ({ row, field }) => (field.selectionSet || field.arguments?.length ? null : sql(row)));
  }
}

/** A value of PostgreSQL's JSON that equals the scalar's serialisation, by scalar name. */
const SCALARS_AS_JSON = new Set(['String', 'Int', 'Boolean', 'LocalDate', 'LocalTime']);
/** Column types whose JSON form is that value (node-postgres would read them as the resolvers get them). */
const PLAIN_COLUMNS = new Set(['text', 'varchar', 'int', 'integer', 'smallint', 'boolean', 'date', 'time', 'text[]']);

/** SQL of the base64url text (no padding, as Buffer's 'base64url') of the UTF-8 text `textSql`. */
export const base64urlSql = (textSql: string): string => `translate(encode(convert_to(${textSql}, 'UTF8'), 'base64'), E'+/=\\n', '-_')`;

/** SQL text of a global id of `type` for the key in `keySql` (node.ts's toGlobalId). */
export const globalIdSql = (type: string, keySql: string): string => base64urlSql(`${quote(`${type}:`)} || ${keySql}::text`);

/** A SQL string literal. */
export const quote = (text: string): string => `'${text.replace(/'/g, "''")}'`;

/**
 * One compilation: the bound values, fresh aliases, the operation's
 * variables and fragments, and the coordinates of fields compiled so far (the access log reads them).
 */
export class CompileScope {
  private readonly values: unknown[] = [];
  readonly compiled = new Set<string>();
  private aliases = 0;

  constructor(
    readonly schema: GraphQLSchema,
    private readonly entities: MetadataStorage,
    readonly variables: Record<string, unknown>,
  ) {}

  /** A placeholder for `value`; parts of a statement are built in any order, so `statement` numbers them where they land. */
  bind(value: unknown): string {
    this.values.push(value);
    return `\u0000${this.values.length - 1}\u0000`;
  }

  /** The statement's text with `$1`..`$n` placeholders, and its values in their order. */
  statement(sql: string): { sql: string; params: unknown[] } {
    const params: unknown[] = [];
    const text = sql.replace(/\u0000(\d+)\u0000/g, (_, index: string) => {
      params.push(this.values[Number(index)]);
      return `$${params.length}`;
    });
    return { sql: text, params };
  }

  alias(): string {
    this.aliases += 1;
    return `c${this.aliases}`;
  }

  /** The arguments, or null where the executor would refuse them (a null variable for a non-null argument): the resolvers answer that. */
  private coercedArguments(parent: GraphQLObjectType, field: FieldNode): Record<string, unknown> | null {
    try {
      return this.argumentsOf(parent, field);
    } catch {
      return null;
    }
  }

  /**
   * The arguments of `field` of `parent`, as the executor coerces them and the schema's wrappers check
   * their texts (text-limits.ts); throws where either refuses them.
   */
  argumentsOf(parent: GraphQLObjectType, field: FieldNode): Record<string, unknown> | null {
    const definition = parent.getFields()[field.name.value];
    if (!definition) return null;
    const args = getArgumentValues(definition, field, this.variables);
    checkTextArguments(definition, args);
    return args;
  }

  /**
   * `json_build_object(...)` of `selectionSet` on the row `row` of `type`, or null when any of it
   * cannot be compiled.
   */
  object(type: GraphQLObjectType, row: string, selectionSet: SelectionSetNode): string | null {
    return this.shape(type, selectionSet, (selection) => this.field(type, row, selection));
  }

  /**
   * `json_build_object(...)` of `selectionSet` of `type`, each field's value from `valueOf` (null: not
   * compiled), `__typename` the type's name. Fragments, directives and a key answered twice are not compiled.
   */
  shape(type: GraphQLObjectType, selectionSet: SelectionSetNode, valueOf: (selection: FieldNode) => string | null): string | null {
    const parts: string[] = [];
    const keys = new Set<string>();
    for (const selection of selectionSet.selections) {
      if (selection.kind !== Kind.FIELD || selection.directives?.length) return null;
      const key = selection.alias?.value ?? selection.name.value;
      if (keys.has(key)) return null;
      keys.add(key);
      const value = selection.name.value === '__typename' ? quote(type.name) : valueOf(selection);
      if (value === null) return null;
      parts.push(quote(key), value);
    }
    // json_build_object takes at most 100 arguments.
    return parts.length > 0 && parts.length <= 100 ? `json_build_object(${parts.join(', ')})` : null;
  }

  /** `shape` of `typeName` whose fields take no arguments or selections, each from `values` by name; null where one has none. */
  plainShape(typeName: string, selectionSet: SelectionSetNode | undefined, values: Record<string, string>): string | null {
    const type = this.schema.getType(typeName);
    if (!selectionSet || !isObjectType(type)) return null;
    return this.shape(type, selectionSet, (selection) =>
      selection.arguments?.length || selection.selectionSet || !Object.hasOwn(values, selection.name.value) ? null : values[selection.name.value],
    );
  }

  /** The object `typeName` that `field` selects, read from the same row `row` as its parent (a part of a wider row). */
  sameRow(field: FieldNode, typeName: string, row: string): string | null {
    return this.selectionOf(field, typeName, row);
  }

  /**
   * The row of `table` that `where` picks (under the reader's row-level security), as `typeName`; JSON null when none.
   * With `orderBy`, the first of the rows it picks.
   */
  one(field: FieldNode, typeName: string, table: string, where: (alias: string) => string, orderBy?: (alias: string) => string): string | null {
    const alias = this.alias();
    const object = this.selectionOf(field, typeName, alias);
    const first = orderBy ? ` order by ${orderBy(alias)} limit 1` : '';
    return object && `(select ${object} from ${table} ${alias} where ${where(alias)}${first})`;
  }

  /** The rows of `table` that `where` picks, in `orderBy`, as a JSON array of `typeName` ([] when none). */
  list(field: FieldNode, typeName: string, table: string, where: (alias: string) => string, orderBy: (alias: string) => string): string | null {
    const alias = this.alias();
    const object = this.selectionOf(field, typeName, alias);
    return object && `coalesce((select json_agg(${object} order by ${orderBy(alias)}) from ${table} ${alias} where ${where(alias)}), '[]'::json)`;
  }

  private selectionOf(field: FieldNode, typeName: string, alias: string): string | null {
    const type = this.schema.getType(typeName);
    return field.selectionSet && isObjectType(type) ? this.object(type, alias, field.selectionSet) : null;
  }

  private field(type: GraphQLObjectType, row: string, field: FieldNode): string | null {
    const name = field.name.value;
    const coordinate = `${type.name}.${name}`;
    const rule = rules.get(coordinate);
    const definition = type.getFields()[name];
    if (!definition) return null;
    let sql: string | null;
    if (rule) {
      const args = ruleMayStandIn(type.name, name) ? this.coercedArguments(type, field) : null;
      sql = args && rule({ row, field, args, scope: this });
    } else if (name === 'id') {
      const key = this.entityKey(type);
      sql = key ? globalIdSql(type.name, `${row}.${key}`) : null;
    } else {
      sql = field.selectionSet || (field.arguments?.length ?? 0) > 0 ? null : this.column(type, definition, row);
    }
    if (sql !== null) this.compiled.add(coordinate);
    return sql;
  }

  /** The key column of the entity behind `type`, when its `id` field is the Node's global id of it. */
  private entityKey(type: GraphQLObjectType): string | null {
    const meta = this.entities.getByClassName(type.name, false);
    const key = meta?.properties.id;
    if (!meta || !key || !key.primary || key.fieldNames.length !== 1) return null;
    // Node's id field, answered by nothing but its getter that makes the global id (node.ts); a type that answers id otherwise is not compiled.
    return nodeGlobalId(type.name, 'id') ? key.fieldNames[0] : null;
  }

  /** A column field (see the module comment), or null. */
  private column(type: GraphQLObjectType, definition: GraphQLField<unknown, unknown>, row: string): string | null {
    const meta = this.entities.getByClassName(type.name, false);
    const property = meta?.properties[definition.name as never] as
      { kind: string; fieldNames: string[]; columnTypes: string[]; persist?: boolean; formula?: unknown; name: string } | undefined;
    if (!property || property.kind !== 'scalar' || property.persist === false || property.formula || property.fieldNames.length !== 1) return null;
    // Without its precision: time(0) is a time.
    if (!PLAIN_COLUMNS.has(property.columnTypes[0]?.toLowerCase().replace(/\(\d+\)/, ''))) return null;
    const field = fieldMetadata(type.name, definition.name);
    if (!field || field.name !== definition.name || !plainField(field)) return null;
    return servesAsJson(definition.type) ? `${row}.${property.fieldNames[0]}` : null;
  }
}

/** Whether PostgreSQL's JSON form of the column is how the field's type serialises it. */
function servesAsJson(type: GraphQLOutputType): boolean {
  const inner = getNullableType(type);
  if (isListType(inner)) {
    const item = getNullableType(inner.ofType);
    return isEnumType(item) && enumByName(item);
  }
  if (isEnumType(inner)) return enumByName(inner);
  return isScalarType(inner) && SCALARS_AS_JSON.has(inner.name);
}

/** An enum whose values are kept as their names (defineEnum), so the column's text is the answer. */
const enumByName = (type: { getValues(): readonly { name: string; value: unknown }[] }) => type.getValues().every((v) => v.value === v.name);

type FieldMeta = ReturnType<typeof getMetadataStorage>['fields'][number];

/**
 * `compute(typeName, schemaName)` kept per field: the metadata and the schema are fixed once the
 * server starts, and compiling runs on every request.
 */
function perField<T>(compute: (typeName: string, schemaName: string) => T): (typeName: string, schemaName: string) => T {
  const cache = new Map<string, T>();
  return (typeName, schemaName) => {
    const key = `${typeName}.${schemaName}`;
    if (!cache.has(key)) cache.set(key, compute(typeName, schemaName));
    return cache.get(key)!;
  };
}

/** The class named `typeName` and the classes it extends (type-graphql matches field resolvers on any of them). */
function classChain(typeName: string): Function[] {
  const objectType = getMetadataStorage().objectTypes.find((t) => t.name === typeName);
  const chain: Function[] = [];
  for (let target: Function | null = objectType?.target ?? null; target && target !== Function.prototype; target = Object.getPrototypeOf(target)) {
    chain.push(target);
  }
  return chain;
}

/** The field `schemaName` as the nearest class of the chain declares it (a subclass's own before an inherited one). */
function declaredField(chain: Function[], schemaName: string): FieldMeta | null {
  const fields = getMetadataStorage().fields;
  for (const target of chain) {
    const found = fields.find((f) => f.target === target && f.schemaName === schemaName);
    if (found) return found;
  }
  return null;
}

const resolversOf = (chain: Function[], schemaName: string) =>
  getMetadataStorage().fieldResolvers.filter((r) => r.schemaName === schemaName && chain.includes(r.getObjectType?.() as Function));

/** type-graphql's field `schemaName` of the class named `typeName` (own or inherited); null when a field resolver answers it. */
const fieldMetadata = perField((typeName, schemaName): FieldMeta | null => {
  const chain = classChain(typeName);
  return resolversOf(chain, schemaName).length > 0 ? null : declaredField(chain, schemaName);
});

/**
 * Whether a field a rule compiles has nothing in front of its resolver: no role, no middleware. A
 * rule stands in for the resolver; a check added to the resolver later must send the field back to it.
 */
const ruleMayStandIn = perField((typeName, schemaName): boolean => {
  const chain = classChain(typeName);
  return [declaredField(chain, schemaName), ...resolversOf(chain, schemaName)].every((m) => !m || (!m.roles?.length && !m.middlewares?.length));
});

/** Whether `id` of the class is Node's `globalId` getter alone, with no role or middleware in front of it. */
const nodeGlobalId = perField((typeName): boolean => {
  const chain = classChain(typeName);
  const field = declaredField(chain, 'id');
  return (
    field?.target === Node &&
    field.name === 'globalId' &&
    plainField(field) &&
    resolversOf(chain, 'id').every((r) => r.getObjectType?.() === Node && r.methodName === 'globalId' && !r.roles?.length && !r.middlewares?.length)
  );
});

/** No roles, middlewares or arguments in front of the property. */
const plainField = (field: FieldMeta): boolean => !field.roles?.length && !field.middlewares?.length && !field.params?.length;

/** The object type a field returns (through lists and non-null), or null. */
export function objectTypeOf(type: GraphQLOutputType): GraphQLObjectType | null {
  const named = getNamedType(type);
  return isObjectType(named) ? named : null;
}
