import {
  defaultFieldResolver,
  getNamedType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputField,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import { badInput } from './errors.js';

/**
 * The longest text each input takes, by the name of its argument or input field. Names of free
 * texts (notes, descriptions, reasons) take a page or more; search terms and filters, a line;
 * everything else (names, titles, numbers, addresses), a short line. Without a bound a 100 KB name
 * search took 3.5 s, and a NUL byte reached PostgreSQL and came back as an internal error.
 */
export const TEXT_LIMITS = { free: 10_000, short: 300, search: 200, id: 200, cursor: 500, file: 900_000 } as const;

const FREE_TEXT = new Set([
  'accessibility',
  'accessRules',
  'action',
  'aims',
  'description',
  'eligibility',
  'evaluation',
  'groupDescription',
  'healthNotes',
  'householdNotes',
  'note',
  'notes',
  'outcome',
  'outcomes',
  'placeNote',
  'qualityIndicators',
  'qualityStandards',
  'reason',
  'reportingDuty',
  'requestText',
  'response',
  'schedule',
  'summary',
  'text',
  'topics',
  'volunteers',
  'answer',
  'answers',
  'findings',
  // A refusal decision's parts (application.inputs.ts).
  'legalBasis',
  'factualReasoning',
  'legalReasoning',
]);
/** Files sent as base64 (a plan's signed scan, ipus-scan/scan-content.ts): under the 1 MB request body. */
const FILE = new Set(['contentBase64']);
const SEARCH = new Set(['search', 'nameContains', 'powiat', 'wojewodztwo']);
/** Page cursors and event ids given back as they were received. */
const CURSOR = new Set(['after', 'before']);

/** The longest text the argument or input field `name` of scalar `scalar` takes; undefined for non-text scalars. */
export function maxLengthOf(name: string, scalar: string): number | undefined {
  if (scalar === 'ID') return TEXT_LIMITS.id;
  if (scalar !== 'String') return undefined;
  if (FREE_TEXT.has(name)) return TEXT_LIMITS.free;
  if (FILE.has(name)) return TEXT_LIMITS.file;
  if (SEARCH.has(name)) return TEXT_LIMITS.search;
  if (CURSOR.has(name)) return TEXT_LIMITS.cursor;
  return TEXT_LIMITS.short;
}

type Input = GraphQLArgument | GraphQLInputField;

/** Whether a value of this type can hold text anywhere inside it (input objects are looked through once). */
function holdsText(type: GraphQLInputType, seen = new Set<string>()): boolean {
  const named = getNamedType(type);
  if (isInputObjectType(named)) {
    if (seen.has(named.name)) return false;
    seen.add(named.name);
    return Object.values(named.getFields()).some((field) => holdsText(field.type, seen));
  }
  return named.name === 'String' || named.name === 'ID';
}

function checkValue(value: unknown, type: GraphQLInputType, name: string, path: string): void {
  if (value === null || value === undefined) return;
  if (isNonNullType(type)) return checkValue(value, type.ofType, name, path);
  if (isListType(type)) {
    if (Array.isArray(value)) value.forEach((item, i) => checkValue(item, type.ofType, name, `${path}[${i}]`));
    return;
  }
  if (isInputObjectType(type)) {
    for (const field of Object.values(type.getFields()))
      checkValue((value as Record<string, unknown>)[field.name], field.type, field.name, `${path}.${field.name}`);
    return;
  }
  const max = maxLengthOf(name, type.name);
  if (max === undefined || typeof value !== 'string') return;
  if (value.includes('\u0000')) throw badInput(`${path} may not contain the NUL character`);
  if (value.length > max) throw badInput(`${path} is longer than ${max} characters`);
}

/** The arguments of `field` that can hold text. */
const textArguments = (field: { args: readonly GraphQLArgument[] }) => field.args.filter((arg) => holdsText(arg.type));

function checkArguments(texts: readonly GraphQLArgument[], args: Record<string, unknown>): void {
  for (const arg of texts) checkValue(args[arg.name], arg.type, arg.name, arg.name);
}

/** Checks the text arguments of `field` as its resolver's wrapper does, for a path that answers without the resolver (graphql/compiled). */
export function checkTextArguments(field: { args: readonly GraphQLArgument[] }, args: Record<string, unknown>): void {
  checkArguments(textArguments(field), args);
}

function describe(input: Input): void {
  const max = maxLengthOf(input.name, getNamedType(input.type).name);
  if (max === undefined || input.description?.includes('characters at most')) return;
  const note = `${max.toLocaleString('en-GB')} characters at most.`;
  input.description = input.description ? `${input.description.replace(/\.?$/, '.')} ${note}` : note;
}

/**
 * Gives every text argument and input field of the schema its limit: stated in its description (so
 * introspection and the IDE show it), and checked before the field's resolver runs, on every path
 * (HTTP and WebSocket, literals and variables alike), as BAD_USER_INPUT with nothing changed.
 */
export function limitTextInputs(schema: GraphQLSchema): GraphQLSchema {
  const subscriptionType = schema.getSubscriptionType();
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__')) continue;
    if (isInputObjectType(type)) for (const field of Object.values(type.getFields())) describe(field);
    if (!isObjectType(type)) continue;
    for (const field of Object.values(type.getFields()) as GraphQLField<unknown, unknown>[]) {
      for (const arg of field.args) describe(arg);
      const texts = textArguments(field);
      if (texts.length === 0) continue;
      const check = (args: Record<string, unknown>) => checkArguments(texts, args);
      // A subscription's arguments are checked once, when it starts, not again for each event.
      const subscribe = field.subscribe;
      if (type !== subscriptionType) {
        const resolve = field.resolve ?? defaultFieldResolver;
        field.resolve = (source, args, context, info) => {
          check(args);
          return resolve(source, args, context, info);
        };
      } else if (subscribe) {
        field.subscribe = (source, args, context, info) => {
          check(args);
          return subscribe(source, args, context, info);
        };
      }
    }
  }
  return schema;
}
