import fc from 'fast-check';
import { getNullableType, isEnumType, isInputObjectType, isListType, isNonNullType, isScalarType, type GraphQLInputType } from 'graphql';
import { EnumLiteral, InputObject, RawNumber, type InputValue } from './input-value.js';
import { globalId, idTypeFor, type IdPool } from './id-pool.js';
import type { Picker } from './picker.js';

/**
 * Values for arguments, input fields and variables: plausible ones (so operations get past
 * coercion into the services), boundary ones, and malformed ones, chosen per site.
 */
export interface ValueEnv {
  ids: IdPool;
  /** Chance that a site gets a malformed value (wrong type, null for non-null, hostile text, ...). */
  malformed: number;
  /** Chance that a scalar gets a boundary value (Int extremes, empty and huge strings, odd dates). */
  boundary: number;
}

/** Where a value goes: the argument or input field's name, and the field or input type that holds it. */
export interface Site {
  name: string;
  owner: string;
}

// ---- text

const POLISH = [
  'Zażółć gęślą jaźń',
  'Wiązowna',
  'Łódź',
  'ŹDŹBŁO',
  'usługi opiekuńcze',
  'opieka wytchnieniowa',
  'Gmina Srokowo',
  'Świętokrzyskie',
  'ul. Szkolna 1',
  'Kętrzyn',
  'Pani Zofia',
  'Helena Testowa',
  'Pomoc w codziennych czynnościach',
  'Sprawozdanie kwartalne',
  'CUS w Wiązownie',
  'Glinianka',
  'ĄĆĘŁŃÓŚŹŻ ąćęłńóśźż',
];
const HOSTILE = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  "'; drop table cus_unit; --",
  '%',
  '_',
  '\\',
  '%_\\%',
  '"',
  "'",
  "o'reilly",
  '${x}',
  '<script>alert(1)</script>',
  '\u202Eevil',
  '\uFEFF',
  '\u200D',
  '👩‍👩‍👧‍👦',
  '🇵🇱',
  'e\u0301',
  '\uD800',
  '\uDFFF',
  'ﬀ',
  'İ',
  '\r\n',
  '\t',
  'NaN',
  'Infinity',
  'null',
  'undefined',
  'true',
  '0',
  '-1',
  '1e400',
  '0x10',
  '2147483648',
  '9'.repeat(40),
  '2026-02-30',
  'SELECT 1',
  ':',
  'Q3VzVW5pdDo',
  '!!!',
  '\\x00',
  '\u0085',
  '\u2028',
  'ẞ',
  'ǅ',
  '\u{10FFFF}',
  '\uFFFE',
];
/** Full-text search sees these: tsquery operators, LIKE wildcards, regex metacharacters. */
const SEARCH = [
  'wytchnieniowa',
  'opiek',
  'uslugi opiekuncze',
  'ŁÓDŹ',
  'a & b',
  '!',
  '(',
  ')',
  ':*',
  '<->',
  '| |',
  '&',
  "'",
  '\\',
  'opiek:*',
  '!!a',
  'a:b:c',
  '.*',
  '[a-z]+',
  '%',
  '_',
  'a%',
  '"quoted"',
  'OR',
  'AND NOT',
  '*',
  '?',
  '<-1->',
  'a <2> b',
];

const binaryString = () => fc.string({ unit: 'binary', maxLength: 80 });
const graphemeString = () => fc.string({ unit: 'grapheme', maxLength: 40 });
const anyDouble = () => fc.double();
const anyJson = () => fc.jsonValue({ maxDepth: 3 });

function hugeString(p: Picker): string {
  const length = p.pick([256, 1_000, 10_000, 100_000, 300_000]);
  return p.pick(['a', 'ą', 'Ż', '👩‍👩‍👧', '\\', '"', '%', ' ', '\u0000']).repeat(length).slice(0, length);
}

function text(p: Picker): string {
  return p.weighted<() => string>([
    [5, () => p.pick(POLISH)],
    [2, () => p.draw(graphemeString)],
    [1, () => p.draw(binaryString)],
    [1, () => `${p.pick(POLISH)} ${p.int(1, 999)}`],
  ])();
}

// ---- identifiers with check digits

const digits = (p: Picker, n: number) => Array.from({ length: n }, () => p.int(0, 9)).join('');
const weightedSum = (value: string, weights: number[]) => weights.reduce((sum, w, i) => sum + w * Number(value[i]), 0);

/** A PESEL: a real birth date (the century in the month) and the check digit, or one of many ways to be wrong. */
function pesel(p: Picker): string {
  const year = p.int(1900, 2025);
  const month = p.int(1, 12);
  const day = p.int(1, 28);
  const offset = year >= 2000 ? 20 : 0;
  const body = `${String(year % 100).padStart(2, '0')}${String(month + offset).padStart(2, '0')}${String(day).padStart(2, '0')}${digits(p, 4)}`;
  const check = (10 - (weightedSum(body, [1, 3, 7, 9, 1, 3, 7, 9, 1, 3]) % 10)) % 10;
  return p.weighted<() => string>([
    [6, () => `${body}${check}`],
    [1, () => `${body}${(check + 1) % 10}`],
    [1, () => digits(p, 11)],
    [1, () => `${String(year % 100).padStart(2, '0')}1332${digits(p, 5)}`],
    [1, () => `${body}`],
    [1, () => ` ${body}${check} `],
    [1, () => `${body}${check}`.replace(/\d/, 'O')],
  ])();
}

function nip(p: Picker): string {
  for (;;) {
    const body = `${p.int(1, 9)}${digits(p, 8)}`;
    const check = weightedSum(body, [6, 5, 7, 2, 3, 4, 5, 6, 7]) % 11;
    if (check === 10) continue;
    const value = `${body}${check}`;
    return p.weighted<() => string>([
      [4, () => value],
      [2, () => `${value.slice(0, 3)}-${value.slice(3, 6)}-${value.slice(6, 8)}-${value.slice(8)}`],
      [1, () => `PL${value}`],
      [1, () => `${body}${(check + 1) % 10}`],
      [1, () => digits(p, p.int(0, 14))],
    ])();
  }
}

function regon(p: Picker): string {
  const body = digits(p, 8);
  const check = (weightedSum(body, [8, 9, 2, 3, 4, 5, 6, 7]) % 11) % 10;
  return p.weighted<() => string>([
    [4, () => `${body}${check}`],
    [1, () => `${body}${(check + 1) % 10}`],
    [1, () => digits(p, 14)],
    [1, () => digits(p, 7)],
  ])();
}

// ---- dates, times, money, TERYT

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const BAD_DATES = [
  '2026-02-30',
  '2027-02-29',
  '2026-13-01',
  '2026-00-10',
  '2026-04-31',
  '2026-1-1',
  '26-01-01',
  '2026/01/01',
  '+2026-01-01',
  '20260101',
  '2026-01-01T00:00:00Z',
  'today',
  '-0001-01-01',
  '99999-01-01',
  '0000-00-00',
  '2026-02-29 ',
  '２０２６-01-01',
];
const EDGE_DATES = ['2028-02-29', '2026-12-31', '2027-01-01', '1900-01-01', '0001-01-01', '9999-12-31', '1970-01-01', '2038-01-19', '2019-07-19'];

function localDate(p: Picker, boundary: boolean): string {
  if (boundary) return p.pick([...EDGE_DATES, ...BAD_DATES]);
  return `${p.int(2019, 2031)}-${pad(p.int(1, 12))}-${pad(p.int(1, 28))}`;
}

function localTime(p: Picker, boundary: boolean): string {
  if (boundary)
    return p.pick(['00:00', '23:59', '23:59:59.999', '24:00', '24:01', '25:00', '10:60', '9:00', '10:00Z', '10:00+01:00', '-01:00', '12:00:00', '']);
  return `${pad(p.int(6, 20))}:${p.pick(['00', '15', '30', '45'])}`;
}

function dateTime(p: Picker, boundary: boolean): string {
  if (boundary) {
    return p.pick([
      '1970-01-01T00:00:00Z',
      '2026-03-29T02:30:00+01:00',
      '+275760-09-13T00:00:00Z',
      '2026-02-30T00:00:00Z',
      '2026-11-27T10:20:00',
      '2026-11-27',
      'x',
      '2026-11-27T25:00:00Z',
      '9999-12-31T23:59:59.999Z',
    ]);
  }
  return new Date(Date.UTC(p.int(2019, 2031), p.int(0, 11), p.int(1, 28), p.int(0, 23), p.int(0, 59))).toISOString();
}

function money(p: Picker, boundary: boolean): InputValue {
  if (boundary) {
    return p.pick<InputValue>([
      '0',
      '0.00',
      '0.01',
      '999999999999.99',
      '999999999999',
      '-1',
      '1.234',
      '1e3',
      '12,50',
      '1 000',
      'NaN',
      '9999999999999',
      '.5',
      '00012',
      12.5,
      0,
      -0.01,
      '',
    ]);
  }
  return `${p.int(0, 200_000)}.${pad(p.int(0, 99))}`;
}

/** Gminy of the demo data and the README, and well-formed codes that exist nowhere. */
const KNOWN_GMINY = ['1417082', '1417052', '1417032', '2808032', '2808043', '1465011', '0201011', '3262011', '1261011'];

function terc(p: Picker, boundary: boolean): InputValue {
  if (boundary) return p.pick<InputValue>(['0000000', '1417084', '141708', '14170822', 'abcdefg', '3417082', '1400082', '3200001', '0200001', 1417082, '']);
  if (p.chance(0.7)) return p.pick(KNOWN_GMINY);
  return `${pad(p.int(1, 16) * 2)}${pad(p.int(1, 40))}${pad(p.int(1, 15))}${p.int(1, 3)}`;
}

// ---- ids and cursors

const BAD_IDS = [
  '',
  'x',
  '!!!',
  'Q3VzVW5pdDo',
  globalId('CusUnit', 'not-a-uuid'),
  globalId('Gmina', '99999999999999999999'),
  globalId('Gmina', '-1'),
  globalId('Gmina', '1.5'),
  globalId('Gmina', '1e400'),
  globalId('Gmina', 'abc'),
  globalId('Gmina', '2147483648'),
  globalId('Nope', '0193a000-0000-7000-8000-000000000001'),
  globalId('', 'x'),
  globalId('CusUnit', ''),
  Buffer.from('CusUnit:0193a000-0000-7000-8000-000000000001').toString('base64'),
  globalId('CusUnit', '0193a000-0000-7000-8000-000000000001\u0000'),
  'A'.repeat(10_000),
  globalId('Resident', '00000000-0000-0000-0000-000000000000'),
  globalId('Ipus', 'ffffffff-ffff-ffff-ffff-ffffffffffff'),
  globalId('Gmina', '0'),
  globalId('Gmina', ' 1'),
  globalId('Gmina', '0x10'),
];

function id(p: Picker, site: Site, env: ValueEnv, boundary: boolean): InputValue {
  const types = Object.keys(env.ids.byType);
  const expected = idTypeFor(env.ids, site.name, site.owner);
  const of = (type: string | null) => (type && env.ids.byType[type]?.length ? p.pick(env.ids.byType[type]) : null);
  if (boundary) return p.pick<InputValue>([...BAD_IDS, 12, 0]);
  return p.weighted<() => InputValue>([
    [8, () => of(expected) ?? of(types.length ? p.pick(types) : null) ?? p.pick(BAD_IDS)],
    [2, () => of(types.length ? p.pick(types) : null) ?? p.pick(BAD_IDS)],
    [1, () => globalId(expected ?? p.pick([...types, 'CusUnit']), `0193a000-0000-7000-80${pad(p.int(0, 99))}-${digits(p, 12)}`)],
  ])();
}

function cursor(p: Picker, boundary: boolean, env: ValueEnv): string {
  if (!boundary && env.ids.cursors.length > 0 && p.chance(0.7)) return p.pick(env.ids.cursors);
  return p.pick([
    '',
    'MA',
    'MA==',
    'eyJ9',
    Buffer.from('{"k":[1,2]}').toString('base64url'),
    Buffer.from('[null]').toString('base64url'),
    Buffer.from('{"a":1e400}').toString('base64url'),
    Buffer.from('x'.repeat(500)).toString('base64url'),
    '0',
    '1041',
    '-1',
    '99999999999999999999',
    'abc',
    '1e3',
    ' 1',
    String(2 ** 63),
    '@@@',
  ]);
}

// ---- scalars

function intFor(p: Picker, site: Site, boundary: boolean): InputValue {
  const name = site.name.toLowerCase();
  if (boundary) {
    return p.pick<InputValue>([
      0,
      -1,
      1,
      101,
      1000,
      2147483647,
      -2147483648,
      new RawNumber('2147483648'),
      new RawNumber('-2147483649'),
      new RawNumber('9007199254740993'),
      new RawNumber('1e3'),
      new RawNumber('-0'),
      1.5,
    ]);
  }
  if (name === 'first' || name === 'last') return p.int(0, 100);
  if (/version|revision/.test(name)) return p.int(1, 6);
  if (name === 'goal') return p.int(1, 4);
  if (name.includes('year')) return p.int(2019, 2031);
  return p.int(0, 500);
}

function stringFor(p: Picker, site: Site, env: ValueEnv, boundary: boolean): string {
  const name = site.name.toLowerCase();
  if (boundary && p.chance(0.5)) return p.chance(0.3) ? hugeString(p) : p.pick(HOSTILE);
  if (name.includes('pesel')) return pesel(p);
  if (name.includes('nip')) return nip(p);
  if (name.includes('regon')) return regon(p);
  if (name.includes('krs')) return digits(p, p.chance(0.8) ? 10 : p.int(0, 12));
  if (name.includes('email')) return p.pick(['jan.kowalski@example.pl', 'biuro@cus.wiazowna.pl', 'ą@ę.pl', 'x@', '@', `${'a'.repeat(300)}@x.pl`]);
  if (name.includes('postal')) return p.pick(['05-408', '00-000', '99-999', '05408', 'ab-cde', '11-400']);
  if (name.includes('phone')) return p.pick(['+48 600 100 200', '600100200', '+48', 'x', '22 780 00 00']);
  if (/url|www|website/.test(name)) return p.pick(['https://cus.example.pl', 'javascript:alert(1)', 'http://', 'ftp://x', 'https://ą.pl/ż?x=1#y']);
  if (/after|before|cursor/.test(name)) return cursor(p, boundary, env);
  if (name.includes('token') && env.ids.tokens.length > 0 && !boundary) return p.pick(env.ids.tokens);
  if (/terc|gmina/.test(name)) return String(terc(p, boundary));
  if (/search|query|phrase/.test(name)) return p.pick(SEARCH);
  if (name.includes('date') || name.endsWith('on')) return localDate(p, boundary);
  return text(p);
}

function scalarValue(p: Picker, scalar: string, site: Site, env: ValueEnv): InputValue {
  const boundary = p.chance(env.boundary);
  switch (scalar) {
    case 'Int':
      return intFor(p, site, boundary);
    case 'Float':
      return boundary
        ? p.pick<InputValue>([p.draw(anyDouble), new RawNumber('1e400'), new RawNumber('-0'), 1.7976931348623157e308, 5e-324])
        : p.int(0, 10_000) / 100;
    case 'Boolean':
      return p.chance(0.5);
    case 'ID':
      return id(p, site, env, boundary);
    case 'String':
      return stringFor(p, site, env, boundary);
    case 'LocalDate':
      return localDate(p, boundary);
    case 'LocalTime':
      return localTime(p, boundary);
    case 'DateTimeISO':
      return dateTime(p, boundary);
    case 'Money':
      return money(p, boundary);
    case 'TerytCode':
      return terc(p, boundary);
    default:
      return fromJson(p.draw(anyJson));
  }
}

function fromJson(value: unknown): InputValue {
  if (value === null || typeof value === 'boolean' || typeof value === 'number' || typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(fromJson);
  return new InputObject(Object.entries(value as object).map(([k, v]) => [k, fromJson(v)] as const));
}

// ---- malformed values, for any type

function deepList(depth: number): InputValue {
  let value: InputValue = 1;
  for (let i = 0; i < depth; i += 1) value = [value];
  return value;
}

function deepObject(depth: number): InputValue {
  let value: InputValue = 'x';
  for (let i = 0; i < depth; i += 1) value = new InputObject([['a', value]]);
  return value;
}

function malformedValue(p: Picker, type: GraphQLInputType, site: Site, env: ValueEnv, depth: number): InputValue {
  return p.weighted<() => InputValue>([
    [3, () => null],
    [
      3,
      () => p.pick<InputValue>([12, -1, 1.5, true, 'text', [], [1, 2], new InputObject([['x', 1]]), new EnumLiteral('NOT_A_VALUE'), new EnumLiteral('true')]),
    ],
    [
      2,
      () =>
        p.pick<InputValue>([
          new RawNumber('NaN'),
          new RawNumber('Infinity'),
          new RawNumber('-Infinity'),
          new RawNumber('1e400'),
          new RawNumber('2147483648'),
          new RawNumber('0x10'),
          new RawNumber('1_000'),
          new RawNumber('.5'),
          new RawNumber('01'),
          new RawNumber('1.'),
          new RawNumber('-'),
        ]),
    ],
    [3, () => (p.chance(0.3) ? hugeString(p) : p.pick(HOSTILE))],
    [1, () => p.draw(binaryString)],
    [1, () => deepList(p.int(20, 400))],
    [1, () => deepObject(p.int(20, 300))],
    [
      2,
      () => {
        // The right shape with one thing wrong inside: a required field missing, an unknown or prototype key, a repeated key.
        const base = shapedValue(p, getNullableType<GraphQLInputType>(type), site, { ...env, malformed: 0 }, depth + 1);
        if (!(base instanceof InputObject)) return isListType(getNullableType(type)) ? Array.from({ length: p.int(200, 2_000) }, () => base) : base;
        const entries = [...base.entries];
        if (entries.length > 0 && p.chance(0.4)) entries.splice(p.int(0, entries.length - 1), 1);
        entries.push([
          p.pick(['zzz', '__proto__', 'constructor', 'toString', '__typename', entries[0]?.[0] ?? 'id']),
          p.pick<InputValue>([null, 1, 'x', new InputObject([['polluted', true]])]),
        ]);
        return new InputObject(entries);
      },
    ],
  ])();
}

// ---- the value for a type

/** A value for `type` at `site`: malformed with the env's chance, otherwise of the right shape (its parts may still be malformed). */
export function inputValue(p: Picker, type: GraphQLInputType, site: Site, env: ValueEnv, depth = 0): InputValue {
  if (p.chance(env.malformed)) return malformedValue(p, type, site, env, depth);
  return shapedValue(p, type, site, env, depth);
}

function shapedValue(p: Picker, type: GraphQLInputType, site: Site, env: ValueEnv, depth: number, nonNull = false): InputValue {
  if (isNonNullType(type)) return shapedValue(p, type.ofType, site, env, depth, true);
  if (!nonNull && p.chance(0.04)) return null;
  if (isListType(type)) {
    const count = p.weighted<() => number>([
      [50, () => 1],
      [20, () => 0],
      [25, () => p.int(2, 4)],
      [5, () => p.int(5, 40)],
    ])();
    // A single value where a list goes is valid GraphQL (input coercion wraps it).
    if (count === 1 && p.chance(0.15)) return inputValue(p, type.ofType, site, env, depth + 1);
    return Array.from({ length: count }, () => inputValue(p, type.ofType, site, env, depth + 1));
  }
  if (isEnumType(type)) {
    const values = type.getValues();
    return new EnumLiteral(
      p.chance(0.97) || values.length === 0 ? p.pick(values).name : p.pick(['UNKNOWN', values[0].name.toLowerCase(), `${values[0].name}_`]),
    );
  }
  if (isInputObjectType(type)) {
    if (depth > 6) return null;
    const entries: [string, InputValue][] = [];
    const all = p.chance(env.boundary);
    for (const field of Object.values(type.getFields())) {
      const required = isNonNullType(field.type) && field.defaultValue === undefined;
      if (!required && !all && !p.chance(0.45)) continue;
      entries.push([field.name, inputValue(p, field.type, { name: field.name, owner: type.name }, env, depth + 1)]);
    }
    return new InputObject(entries);
  }
  if (isScalarType(type)) return scalarValue(p, type.name, site, env);
  return null;
}
