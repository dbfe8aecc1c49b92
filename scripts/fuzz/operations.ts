import fc from 'fast-check';
import {
  getNamedType,
  isInterfaceType,
  isLeafType,
  isNonNullType,
  isObjectType,
  isUnionType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { toJson, toLiteral, type InputValue } from './input-value.js';
import { inputValue, type ValueEnv } from './values.js';
import type { IdPool } from './id-pool.js';
import { Picker } from './picker.js';

/**
 * Operations generated from the schema: a root Query, Mutation or Subscription field (sometimes a
 * few), a selection set of leaves and nested objects within the depth limit most of the time and
 * beyond it sometimes, and arguments written inline or passed as variables, with plausible,
 * boundary or malformed values (src/platform/graphql/limits.ts has the limits they run into).
 */
export type OperationType = 'query' | 'mutation' | 'subscription';

export interface GeneratedOperation {
  type: OperationType;
  document: string;
  /** JSON text of `variables` (not always an object: a malformed case sends a string or a list), or none. */
  variables?: string;
  operationName?: string;
  /** The root fields asked for, for reports. */
  rootFields: string[];
}

/** How malformed a case is: most are plausible, so operations reach the services; some are broken on purpose. */
interface Temper {
  malformed: number;
  boundary: number;
  /** Chance of a broken document around the values: a wrong variable type, an unknown argument, a stray directive. */
  mangle: number;
}
const TEMPERS: [number, Temper][] = [
  [45, { malformed: 0, boundary: 0.03, mangle: 0 }],
  [30, { malformed: 0.03, boundary: 0.15, mangle: 0.05 }],
  [25, { malformed: 0.2, boundary: 0.3, mangle: 0.2 }],
];

type Shape = 'plain' | 'deep' | 'aliases' | 'two-operations';

interface Variable {
  name: string;
  /** The type written in the definition; null when the variable is used but never declared. */
  declared: string | null;
  defaultLiteral?: string;
  /** Undefined: declared but left out of `variables`. */
  value?: InputValue;
}

const WELL_KNOWN_INTROSPECTION = [
  '__typename',
  '__schema { queryType { name } types { name kind } }',
  '__type(name: "Ipus") { name fields { name type { name kind } } }',
];
const DIRECTIVES = [' @include(if: true)', ' @skip(if: false)', ' @skip(if: true)', ' @nope', ' @deprecated', ' @include(if: "yes")', ' @include'];

class OperationBuilder {
  private readonly variables: Variable[] = [];
  private readonly fragments: string[] = [];
  private aliases = 0;

  constructor(
    private readonly p: Picker,
    private readonly schema: GraphQLSchema,
    private readonly env: ValueEnv,
    private readonly mangle: number,
    private readonly useVariables: boolean,
  ) {}

  build(type: OperationType, root: GraphQLObjectType): GeneratedOperation {
    const p = this.p;
    const fields = Object.values(root.getFields());
    const shape = p.weighted<Shape>([
      [86, 'plain'],
      [6, 'deep'],
      [4, 'aliases'],
      [4, 'two-operations'],
    ]);
    const chosen = p.some(fields, p.chance(0.85) ? 1 : p.int(2, 3));
    const maxDepth = shape === 'deep' ? p.int(13, 24) : p.int(1, 4);
    let selections = chosen.map((field) => this.field(field, field.name, maxDepth, shape === 'deep', type === 'mutation'));
    if (shape === 'aliases') {
      const repeated = selections[0] ?? '__typename';
      selections = Array.from({ length: p.int(25, 45) }, (_, i) => `x${i}: ${repeated.replace(/^\w+: /, '')}`);
    }
    if (type === 'query' && p.chance(0.03)) selections.push(p.pick(WELL_KNOWN_INTROSPECTION));

    const named = p.chance(0.3) || shape === 'two-operations';
    const name = named
      ? p.weighted<string>([
          [20, `Fuzz${p.int(0, 99_999)}`],
          [1, 'Zażółć'],
          [1, 'query'],
          [1, '_'],
        ])
      : undefined;
    const definitions = this.variables
      .filter((v) => v.declared !== null)
      .map((v) => `$${v.name}: ${v.declared}${v.defaultLiteral ? ` = ${v.defaultLiteral}` : ''}`);
    const header =
      definitions.length > 0 || name || type !== 'query' || p.chance(0.5)
        ? `${type}${name ? ` ${name}` : ''}${definitions.length ? `(${definitions.join(', ')})` : ''} `
        : '';
    const parts = [`${header}{ ${selections.join(' ')} }`, ...this.fragments];
    if (shape === 'two-operations') parts.push(p.pick(['query Other { __typename }', 'mutation Other { __typename }', `query ${name} { __typename }`]));

    let operationName = name;
    if (shape === 'two-operations' && p.chance(0.3)) operationName = undefined;
    if (p.chance(this.mangle)) operationName = p.pick(['Nope', '', 'Other']);

    return {
      type,
      document: parts.join('\n'),
      variables: this.variablesJson(),
      operationName,
      rootFields: chosen.map((f) => f.name),
    };
  }

  private variablesJson(): string | undefined {
    const p = this.p;
    if (p.chance(this.mangle * 0.3)) return p.pick(['"x"', '[]', '[{}]', 'null', '1', 'true', '{"__proto__": {"polluted": true}}']);
    const sent = this.variables.filter((v) => v.value !== undefined);
    if (sent.length === 0 && !p.chance(0.2)) return undefined;
    const entries = sent.map((v) => `${JSON.stringify(v.name)}:${toJson(v.value as InputValue)}`);
    if (p.chance(this.mangle)) entries.push(`"unused":${p.pick(['1', '"x"', 'null', '{}'])}`);
    return `{${entries.join(',')}}`;
  }

  /** One field with its arguments and, for objects, a selection (just `__typename` at the depth limit). */
  private field(field: GraphQLField<unknown, unknown>, owner: string, depthLeft: number, deep: boolean, mustSayWhy = false): string {
    const p = this.p;
    const named = getNamedType(field.type);
    const alias = p.chance(0.05) ? `a${this.aliases++}: ` : '';
    const args = this.args(field.args, owner);
    const directive = p.chance(0.02 + this.mangle * 0.1) ? p.pick(DIRECTIVES) : '';
    if (isLeafType(named)) {
      // A selection on a leaf is a validation error; the wrong case does happen.
      return `${alias}${field.name}${args}${directive}${p.chance(this.mangle * 0.05) ? ' { id }' : ''}`;
    }
    const inner = depthLeft > 1 ? this.selection(named, depthLeft - 1, deep, mustSayWhy) : '__typename';
    // Selecting an object without a selection set is wrong too.
    if (p.chance(this.mangle * 0.05)) return `${alias}${field.name}${args}`;
    return `${alias}${field.name}${args}${directive} { ${inner} }`;
  }

  private args(args: readonly GraphQLArgument[], owner: string): string {
    const p = this.p;
    const parts: string[] = [];
    for (const arg of args) {
      const required = isNonNullType(arg.type) && arg.defaultValue === undefined;
      if (required ? p.chance(this.mangle * 0.3) : !p.chance(0.4)) continue;
      parts.push(`${arg.name}: ${this.argument(arg, owner)}`);
    }
    if (p.chance(this.mangle * 0.2)) parts.push(`${p.pick(['zzz', args[0]?.name ?? 'first'])}: 1`);
    return parts.length > 0 ? `(${parts.join(', ')})` : '';
  }

  private argument(arg: GraphQLArgument, owner: string): string {
    const p = this.p;
    const value = inputValue(p, arg.type, { name: arg.name, owner }, this.env);
    if (!this.useVariables || !p.chance(0.75)) return toLiteral(value);
    const name = `v${this.variables.length}`;
    const typeText = String(arg.type);
    let declared: string | null = typeText;
    if (p.chance(this.mangle)) {
      declared = p.pick<string | null>([typeText.replace(/!$/, ''), `${typeText.replace(/!$/, '')}!`, 'String', 'Int', `[${typeText}]`, 'Nope', 'ID!', null]);
    }
    const variable: Variable = { name, declared, value: p.chance(this.mangle * 0.5) ? undefined : value };
    if (p.chance(0.05)) variable.defaultLiteral = toLiteral(inputValue(p, arg.type, { name: arg.name, owner }, this.env));
    this.variables.push(variable);
    return `$${name}`;
  }

  /** A selection set on an object, interface or union type. */
  private selection(type: GraphQLNamedType, depthLeft: number, deep: boolean, mustSayWhy = false): string {
    const p = this.p;
    let parts: string[];
    if (isObjectType(type)) {
      const fields = Object.values(type.getFields());
      const objects = fields.filter((f) => !isLeafType(getNamedType(f.type)));
      const chosen =
        deep && depthLeft > 1 && objects.length > 0 ? [p.pick(objects), ...p.some(fields, p.int(0, 1))] : p.some(fields, p.int(1, Math.min(5, fields.length)));
      // A mutation's payload says whether it was refused; the data-change property reads it.
      const why = fields.find((f) => f.name === 'userErrors');
      if (mustSayWhy && why && !chosen.includes(why)) chosen.push(why);
      parts = [...new Set(chosen)].map((f) => this.field(f, f.name, depthLeft, deep));
    } else if (isInterfaceType(type) || isUnionType(type)) {
      parts = ['__typename'];
      if (isInterfaceType(type)) parts.push(...p.some(Object.keys(type.getFields()), p.int(0, 2)));
      for (const possible of p.some(this.schema.getPossibleTypes(type), p.int(1, 2))) {
        parts.push(`... on ${possible.name} { ${this.selection(possible, depthLeft, deep)} }`);
      }
    } else {
      return '__typename';
    }
    if (isObjectType(type) && p.chance(0.06)) {
      const fragment = `F${this.fragments.length}`;
      this.fragments.push(`fragment ${fragment} on ${type.name} { ${parts.join(' ')} }`);
      return `...${fragment}`;
    }
    return parts.join(' ');
  }
}

export interface OperationWeights {
  query: number;
  mutation: number;
  subscription: number;
}

/** Operations generated from `schema`, with ids from `ids`; the weights say how often each kind comes. */
export function operationArbitrary(
  schema: GraphQLSchema,
  ids: IdPool,
  weights: OperationWeights = { query: 55, mutation: 40, subscription: 5 },
): fc.Arbitrary<GeneratedOperation> {
  const roots: [number, [OperationType, GraphQLObjectType]][] = [];
  const query = schema.getQueryType();
  const mutation = schema.getMutationType();
  const subscription = schema.getSubscriptionType();
  if (query && weights.query > 0) roots.push([weights.query, ['query', query]]);
  if (mutation && weights.mutation > 0) roots.push([weights.mutation, ['mutation', mutation]]);
  if (subscription && weights.subscription > 0) roots.push([weights.subscription, ['subscription', subscription]]);
  if (roots.length === 0) throw new Error('no root type to generate operations from');
  return fc.gen().map((g) => {
    const p = new Picker(g);
    const [type, root] = p.weighted(roots);
    const temper = p.weighted(TEMPERS);
    const env: ValueEnv = { ids, malformed: temper.malformed, boundary: temper.boundary };
    return new OperationBuilder(p, schema, env, temper.mangle, p.chance(0.5)).build(type, root);
  });
}
