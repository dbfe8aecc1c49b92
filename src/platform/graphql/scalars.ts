import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { GraphQLDateTimeISO, GraphQLLocalDate } from 'graphql-scalars';

const DATE_TEXT = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A calendar date, `YYYY-MM-DD`, no time zone (resolution dates, plan periods). Input is checked in
 * full by graphql-scalars (a real calendar day). Output comes from PostgreSQL's `date` type, always a
 * real day, so a shape check suffices; anything else gets the full check and its error. The full check
 * of every output date was 3% of a dashboard's CPU (issue 7).
 */
export const LocalDateScalar = new GraphQLScalarType({
  ...GraphQLLocalDate.toConfig(),
  serialize: (value) => (typeof value === 'string' && DATE_TEXT.test(value) ? value : GraphQLLocalDate.serialize(value)),
});
/** PostgreSQL's text form of a timestamptz: `2026-12-07 07:10:45.842839+00` (offset in hours, maybe minutes). */
const PG_TIMESTAMPTZ = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}(?:\.\d+)?)([+-]\d{2})(?::(\d{2}))?$/;

/**
 * An instant from a row: node-postgres gives a Date, but MikroORM's raw `execute` leaves a timestamptz
 * in PostgreSQL's text form, which no ISO 8601 parser takes (it was the cause of every `changedAt`
 * failing to serialise).
 */
export function instant(value: Date | string): Date {
  if (value instanceof Date) return value;
  const pg = PG_TIMESTAMPTZ.exec(value);
  return new Date(pg ? `${pg[1]}T${pg[2]}${pg[3]}:${pg[4] ?? '00'}` : value);
}

/**
 * An instant, ISO 8601 at UTC with milliseconds. Output takes a Date, an ISO string, or PostgreSQL's
 * text form (from raw SQL), so an instant reads the same whichever way its row was loaded.
 */
export const DateTimeScalar = new GraphQLScalarType({
  ...GraphQLDateTimeISO.toConfig(),
  serialize: (value) => GraphQLDateTimeISO.serialize(typeof value === 'string' && PG_TIMESTAMPTZ.test(value) ? instant(value) : value),
});

const TERC = /^(\d{2})(\d{2})(\d{2})([1-3])$/;

/** Validates a 7-digit TERC code of a gmina: województwo (02-32, even), powiat, gmina, kind digit 1-3. */
export function parseTerc(value: unknown): string {
  if (typeof value !== 'string') throw new GraphQLError('TerytCode must be a string of 7 digits');
  const match = TERC.exec(value);
  if (!match) {
    throw new GraphQLError(`"${value.slice(0, 20)}" is not a gmina TERYT code: 7 digits, the last (kind) 1, 2 or 3`);
  }
  const woj = Number(match[1]);
  if (woj < 2 || woj > 32 || woj % 2 !== 0) throw new GraphQLError(`"${value}" has no such województwo code ${match[1]}`);
  if (match[2] === '00' || match[3] === '00') throw new GraphQLError(`"${value}" has an empty powiat or gmina part`);
  return value;
}

export const TerytCodeScalar = new GraphQLScalarType({
  name: 'TerytCode',
  description: 'A gmina\'s 7-digit TERC code from the GUS TERYT register: województwo(2) powiat(2) gmina(2) kind(1), e.g. "1417082"',
  serialize: (value) => (typeof value === 'number' ? String(value).padStart(7, '0') : String(value)),
  parseValue: parseTerc,
  parseLiteral: (ast: ValueNode) => {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('TerytCode must be a string of 7 digits');
    return parseTerc(ast.value);
  },
});

const MONEY = /^\d{1,12}(\.\d{1,2})?$/;

function parseMoney(value: unknown): string {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !MONEY.test(text)) {
    throw new GraphQLError('Money is a non-negative decimal string with at most 2 decimal places, e.g. "3124999.65"');
  }
  return text;
}

/** An exact amount in złoty (PLN) as a decimal string; never a binary float. */
export const MoneyScalar = new GraphQLScalarType({
  name: 'Money',
  description: 'An exact amount in PLN as a decimal string with up to 2 decimal places, e.g. "3124999.65"',
  serialize: (value) => String(value),
  parseValue: parseMoney,
  parseLiteral: (ast: ValueNode) => {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('Money must be given as a string, e.g. "3124999.65"');
    return parseMoney(ast.value);
  },
});
