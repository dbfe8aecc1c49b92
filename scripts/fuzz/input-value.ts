/**
 * A GraphQL input value as the fuzzer builds it, before it is written either as a literal in the
 * document or as JSON in `variables`. Plain JS values cover most of it; the classes below say what
 * plain JS cannot: an enum written bare, a number written exactly as given (`1e400`, `-0`, `NaN`),
 * an object whose keys may repeat or be `__proto__`, and a reference to a variable.
 */
export class EnumLiteral {
  constructor(readonly name: string) {}
}

export class RawNumber {
  constructor(readonly text: string) {}
}

export class InputObject {
  constructor(readonly entries: readonly (readonly [string, InputValue])[]) {}
}

export class VariableRef {
  constructor(readonly name: string) {}
}

export type InputValue = null | boolean | number | string | EnumLiteral | RawNumber | InputObject | VariableRef | InputValue[];

const JSON_NUMBER = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/;

/** A GraphQL string literal: JSON's escapes are GraphQL's (a lone surrogate's `\ud800` is refused by the parser, as it should be). */
export function graphqlString(value: string, block = false): string {
  if (block) return `"""${value.replaceAll('"""', '\\"""')}"""`;
  return JSON.stringify(value);
}

/** The value as GraphQL source text (an argument or a default). */
export function toLiteral(value: InputValue): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return String(value);
  // NaN and Infinity print as names, which the parser reads as enum values: wrong, as intended.
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return graphqlString(value);
  if (value instanceof EnumLiteral) return value.name;
  if (value instanceof RawNumber) return value.text;
  if (value instanceof VariableRef) return `$${value.name}`;
  if (value instanceof InputObject) return `{${value.entries.map(([key, v]) => `${key}: ${toLiteral(v)}`).join(', ')}}`;
  return `[${value.map(toLiteral).join(', ')}]`;
}

/** The value as JSON text (a variable's value): enums are strings, odd numbers stay as written when JSON allows it. */
export function toJson(value: InputValue): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : JSON.stringify(String(value));
  if (value instanceof EnumLiteral) return JSON.stringify(value.name);
  if (value instanceof RawNumber) return JSON_NUMBER.test(value.text) ? value.text : JSON.stringify(value.text);
  if (value instanceof VariableRef) return JSON.stringify(`$${value.name}`);
  if (value instanceof InputObject) return `{${value.entries.map(([key, v]) => `${JSON.stringify(key)}:${toJson(v)}`).join(',')}}`;
  return `[${value.map(toJson).join(',')}]`;
}
