import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  getNamedType,
  isAbstractType,
  isEnumType,
  isNonNullType,
  isObjectType,
  parse,
  type DocumentNode,
  type GraphQLField,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';
import { platformSchema } from '../src/app.js';
import { GMINA_SCOPED } from '../src/platform/auth/roles.js';
import { addDays, todayInPoland } from '../src/modules/common/dates.js';
import { Role, startTestApp, testConfig, type GraphQLResponse, type TestApp, type Who } from './support/app.js';
import {
  argumentShape,
  coordinatesAt,
  documentsFor,
  fieldTree,
  reachableCoordinates,
  roundTrip,
  selectedCoordinates,
  walkAnswer,
  type ArgFiller,
  type Omissions,
} from './support/schema-sweep.js';

/**
 * The whole-schema sweep (issue 16): generated from the schema, not written per field. For each role,
 * on the demo data, through the live server, every field of every type reachable from every Query
 * root field is selected (small pages, inline fragments on every member of an interface or union,
 * arguments from the demo data and from the principal's own earlier answers). Then, per principal:
 *
 * - an answer's errors are only the documented refusals, FORBIDDEN and NOT_FOUND, and a refusal below
 *   the root falls on a nullable field (a non-null one nulls its parent, and so on up);
 * - every leaf comes back unchanged through its own scalar or enum (parseValue, then serialize);
 * - two objects with one id in one answer agree on every leaf (a client's normalised cache merges them).
 *
 * A field added to the schema is swept the day it is added: the last test fails if some field
 * reachable from Query was selected by no role, or was in no role's answers. Each principal's line in
 * the output says how many Type.field coordinates its answers reached.
 */

/** Wiązowna, and two partners working there (seeds/demo): „Wspólna Sprawa” (rides, by the session, for two centres) and „Reha-Mobil” (weekly visits). */
const WIAZOWNA = '1417082';
const PARTNERS = { 'Wspólna Sprawa': '0193a000-0000-7000-8010-000000000004', 'Reha-Mobil': '0193a000-0000-7000-8010-000000000007' };
/**
 * The demo's plans, deliveries and weekly visits lie around the day it was seeded (seeds/demo), and a
 * test database is seeded when the run starts: the last 31 days (schedule's longest period) hold some.
 */
const TODAY = todayInPoland();
const PERIOD = { from: addDays(TODAY, -30), to: TODAY };
/** Cycles end at the second time a type is met on a path; 5 field levels select every field of today's schema (the last test says when not). */
const TREE = { maxDepth: 5, maxRepeats: 2 };
const PAGE = 2;
/** Documents in flight at once per principal: the machine has two cores, shared with the server under test. */
const PARALLEL = 3;
const DOCUMENTED_REFUSALS = new Set(['FORBIDDEN', 'NOT_FOUND']);

interface Principal extends Who {
  label: string;
}

/** Every role with the demo scope its token needs (a role added to Role is swept too); a partner user of each demo partner. */
const principals: Principal[] = Object.values(Role).flatMap((role): Principal[] => {
  if (role === Role.PARTNER) return Object.entries(PARTNERS).map(([name, partner]) => ({ role, partner, label: `${role} (${name})` }));
  return [{ role, gminy: GMINA_SCOPED.includes(role) ? [WIAZOWNA] : undefined, label: role }];
});

/** Global ids seen in answers, by the object's type name. */
type IdPool = Map<string, string[]>;

interface Sweep {
  who: Principal;
  ids: IdPool;
  documents: number;
  omissions: Omissions;
  /** Type.field coordinates the principal's documents selected. */
  selected: Set<string>;
  /** Coordinates present in an answer: resolved on an object the principal got. */
  reached: Set<string>;
  /** Root fields answered, and those refused (FORBIDDEN or NOT_FOUND at the root). */
  answeredRoots: Set<string>;
  refusedRoots: Set<string>;
  /** Type.field coordinates refused below the root (documented, e.g. special-category data). */
  refusedBelow: Set<string>;
  problems: string[];
  problemKeys: Set<string>;
}

let app: TestApp;
let schema: GraphQLSchema;
const sweeps = new Map<string, Sweep>();
/** Every principal's ids: one that read none of some type asks for another's (and must be refused or get null). */
const everyId: IdPool = new Map();

const capitalised = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

/**
 * Which types of object an id argument names: `residentId` a Resident; `id` the field's own type
 * (every member of an interface); for a field that returns no object, the type its name begins with
 * (residentDataExport: Resident).
 */
function idTypes(field: GraphQLField<unknown, unknown>, arg: string, pool: IdPool): string[] {
  const stem = /^(.+)Ids?$/.exec(arg)?.[1];
  if (stem) return pool.has(capitalised(stem)) ? [capitalised(stem)] : [];
  const named = getNamedType(field.type);
  if (isAbstractType(named))
    return schema
      .getPossibleTypes(named)
      .map((t) => t.name)
      .filter((t) => pool.has(t));
  if (isObjectType(named)) return pool.has(named.name) ? [named.name] : [];
  const prefix = [...pool.keys()].filter((t) => capitalised(field.name).startsWith(t)).sort((a, b) => b.length - a.length)[0];
  return prefix ? [prefix] : [];
}

/**
 * Arguments from the demo data: `first` a small page; required ones a value (the first of an enum,
 * the principal's gmina, days of the last 31, ids from answers); optional ones left out.
 * With `ids` null (the first round) a field that needs an id waits (null). In the second round a
 * root field's optional ids and lists of enums or gminy get values too: they open parts of an
 * answer that the defaults leave empty (one resident's access log, a report's grouping keys).
 */
function argumentsFor(who: Who, ids: IdPool | null): ArgFiller {
  return (owner, field, arg) => {
    if (arg.name === 'first') return String(PAGE);
    const { named, required, list } = argumentShape(arg);
    if (!required) {
      const fillable = named.name === 'ID' ? !list : list && (isEnumType(named) || named.name === 'TerytCode');
      if (!ids || owner !== 'Query' || !fillable) return undefined;
    }
    const value = (literal: string) => (list ? `[${literal}]` : literal);
    if (isEnumType(named)) return value(named.getValues()[0].name);
    switch (named.name) {
      case 'ID': {
        if (!ids) return null;
        const pool = idTypes(field, arg.name, ids).length > 0 ? ids : everyId;
        const types = idTypes(field, arg.name, pool);
        if (types.length === 0) return required ? null : undefined;
        // Sorted, so a run picks the same ids whatever order the answers came in.
        const first = (type: string) => JSON.stringify([...pool.get(type)!].sort()[0]);
        return list ? `[${types.map(first).join(', ')}]` : first(types[0]);
      }
      case 'TerytCode':
        return value(JSON.stringify(who.gminy?.[0] ?? WIAZOWNA));
      case 'LocalDate':
        return JSON.stringify(arg.name === 'from' ? PERIOD.from : PERIOD.to);
      case 'Int':
        return '1';
      case 'Boolean':
        return 'true';
      default:
        return null;
    }
  };
}

/** Round-one documents by gmina: they need no id, so principals of one gmina share them. */
const firstRoundDocuments = new Map<string, { texts: string[]; swept: string[] }>();

/**
 * Documents for every root field the filler can give arguments to. The first round skips nothing;
 * the second skips root fields already swept unless it now fills an optional argument of theirs.
 */
function documents(sweep: Sweep, ids: IdPool | null, done: Set<string>): string[] {
  const gmina = sweep.who.gminy?.[0] ?? WIAZOWNA;
  const shared = ids ? undefined : firstRoundDocuments.get(gmina);
  if (shared) {
    shared.swept.forEach((root) => done.add(root));
    return shared.texts;
  }
  const query = schema.getQueryType()!;
  const args = argumentsFor(sweep.who, ids);
  const texts: string[] = [];
  for (const field of Object.values(query.getFields())) {
    const more = field.args.some((a) => a.name !== 'first' && !argumentShape(a).required && args('Query', field, a) !== undefined);
    if (done.has(field.name) && !more) continue;
    const tree = fieldTree(schema, query, field, { ...TREE, args }, ids ? sweep.omissions : { unfilled: new Set() });
    if (!tree) continue;
    done.add(field.name);
    texts.push(...documentsFor(field.name, tree, testConfig.limits));
  }
  if (!ids) firstRoundDocuments.set(gmina, { texts, swept: [...done] });
  return texts;
}

async function inParallel<T>(items: T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await run(items[next++]);
    }),
  );
}

const coordinatesOf = new Map<string, Set<string>>();

/**
 * Sends documents as the principal and checks each answer; ids met go to its pool and to everyId. An
 * answer with one id holding two values is asked again before it counts: another suite writing the
 * demo rows between two statements of one answer would show the same.
 */
async function send(sweep: Sweep, texts: string[]): Promise<void> {
  await inParallel(texts, PARALLEL, async (text) => {
    // The server validates (and measures against its limits): a document it refuses fails with its code.
    const document = parse(text, { maxTokens: testConfig.limits.maxTokens });
    if (!coordinatesOf.has(text)) coordinatesOf.set(text, selectedCoordinates(schema, document));
    coordinatesOf.get(text)!.forEach((c) => sweep.selected.add(c));
    sweep.documents++;
    let conflicts = check(sweep, text, document, await app.gql(sweep.who, text));
    if (conflicts.length > 0) conflicts = check(sweep, text, document, await app.gql(sweep.who, text));
    for (const [problem, key] of conflicts) report(sweep, problem, key);
  });
}

/** Problems are counted once per kind (`key`), with the first example. */
function report(sweep: Sweep, problem: string, key = problem): void {
  if (!sweep.problemKeys.has(key)) sweep.problems.push(problem);
  sweep.problemKeys.add(key);
}

const cut = (text: string, max = 200) => (text.length > max ? `${text.slice(0, max)}…` : text);
const pathText = (path: readonly (string | number)[]) => path.map((p) => (typeof p === 'number' ? '[]' : p)).join('.');

/** The schema's field at a Type.field coordinate. */
const fieldAt = (coordinate: string) => {
  const [type, field] = coordinate.split('.');
  return (schema.getType(type) as GraphQLObjectType).getFields()[field];
};

/** The answer's errors and leaves, as the module comment says; returns the ids holding two values, as [problem, key]. */
function check(sweep: Sweep, text: string, document: DocumentNode, response: GraphQLResponse): [string, string][] {
  const name = /^query (\w+)/.exec(text)?.[1];
  const conflicts: [string, string][] = [];
  const data = response.body.data;
  for (const error of response.body.errors ?? []) {
    const code = error.extensions?.code;
    const path = (error.path ?? []) as (string | number)[];
    const coordinates = coordinatesAt(schema, document, path);
    const where = coordinates.join(' or ');
    if (!code || !DOCUMENTED_REFUSALS.has(code)) {
      const place = path.length > 0 ? `${where} (e.g. at ${pathText(path)})` : `${name} (${cut(text, 120)})`;
      report(sweep, `${code} of ${place}: ${cut(error.message)}`, `${code} ${where || name} ${error.message}`);
    } else if (path.length === 1) {
      sweep.refusedRoots.add(String(path[0]));
    } else if (path.length > 1) {
      sweep.refusedBelow.add(where);
      // A refused field that is non-null takes its parent down with it, and so on up to a nullable
      // field: one refusal blanks a whole list (a partner's places were data: null).
      const nonNull = coordinates.filter((c) => isNonNullType(fieldAt(c).type));
      if (nonNull.length > 0) {
        report(
          sweep,
          `${code} of ${nonNull.join(' or ')} (e.g. at ${pathText(path)}), a non-null field, nulls what holds it: a field that may be refused should be nullable`,
          `${code} ${where} non-null`,
        );
      }
    }
  }
  if (response.status !== 200 && !response.body.errors?.length) report(sweep, `${name}: HTTP ${response.status} without errors`);
  if (!data) return conflicts;
  Object.keys(data)
    .filter((root) => !sweep.refusedRoots.has(root))
    .forEach((root) => sweep.answeredRoots.add(root));

  /** Leaves of each id in this answer: field (with its arguments) to the value's JSON, and where it was first seen. */
  const byId = new Map<string, Map<string, { json: string; path: string }>>();
  try {
    walkAnswer(schema, document, data, {
      field({ coordinate, object, key, value, path, arguments: args }) {
        sweep.reached.add(coordinate);
        const id = object.id;
        if (typeof id !== 'string') return;
        if (key === 'id' && typeof value === 'string') {
          const type = typeof object.__typename === 'string' ? object.__typename : coordinate.split('.')[0];
          for (const pool of [sweep.ids, everyId]) pool.set(type, [...new Set([...(pool.get(type) ?? []), value])]);
        }
        const isLeaf = (v: unknown) =>
          v === null || typeof v !== 'object' || (Array.isArray(v) && v.every((item) => item === null || typeof item !== 'object'));
        if (!isLeaf(value)) return;
        const leaves = byId.get(id) ?? new Map<string, { json: string; path: string }>();
        byId.set(id, leaves);
        const field = `${key}(${args})`;
        const json = JSON.stringify(value);
        const seen = leaves.get(field);
        if (!seen) leaves.set(field, { json, path });
        else if (seen.json !== json) {
          conflicts.push([
            `one id, two values of ${coordinate} in one answer (${name}): ${seen.path} = ${cut(seen.json, 80)} but ${path} = ${cut(json, 80)}`,
            `one id ${coordinate}`,
          ]);
        }
      },
      leaf({ type, value, coordinate }) {
        const wrong = roundTrip(type, value);
        if (wrong) report(sweep, `${coordinate}: ${wrong}`, `round trip ${coordinate}`);
      },
    });
  } catch (error) {
    report(sweep, `${name}: the answer does not match its document: ${(error as Error).message}`, `shape ${name}`);
  }
  return conflicts;
}

/**
 * Types of issue 20 the demo's answers do not hold yet, each built and read through the API, as each
 * role, by its own suite. Known gap: the sweep's generic checks (leaf round trips, refusals below the
 * root) do not reach them until the demo seeds one in a plan the sweep's small pages return.
 */
const NOT_IN_THE_DEMO_ANSWERS: Record<string, string> = {
  IpusAgreementScan: 'tests/ipus-scan.test.ts',
  IpusCoordinatedHelp: 'tests/coordinated-help.test.ts (the demo holds one, on a plan past the first page)',
  IpusPendingRevision: 'tests/ipus-pending-revision.test.ts',
  WaitingListEntry: 'tests/waiting-list.test.ts',
};

beforeAll(async () => {
  app = await startTestApp();
  schema = await platformSchema();
  const swept = new Map<string, Set<string>>();
  // Round 1, every principal: root fields that need no id (lists, viewer, reports). Their answers give the ids.
  for (const who of principals) {
    const sweep: Sweep = {
      who,
      ids: new Map(),
      documents: 0,
      omissions: { unfilled: new Set() },
      selected: new Set(),
      reached: new Set(),
      answeredRoots: new Set(),
      refusedRoots: new Set(),
      refusedBelow: new Set(),
      problems: [],
      problemKeys: new Set(),
    };
    sweeps.set(who.label, sweep);
    swept.set(who.label, new Set());
    await send(sweep, documents(sweep, null, swept.get(who.label)!));
  }
  // Round 2: root fields that take an id, with ids the principal read (or, failing that, another's).
  for (const sweep of sweeps.values()) await send(sweep, documents(sweep, sweep.ids, swept.get(sweep.who.label)!));
}, 300_000);

afterAll(async () => {
  await app?.close();
});

describe('every field of every reachable type, per role', () => {
  it.each(principals.map((p) => p.label))('%s: documented refusals only, every scalar round-trips, one id one value', (label) => {
    const sweep = sweeps.get(label)!;
    console.log(
      `${label}: ${sweep.documents} documents; ${sweep.answeredRoots.size} root fields answered, ${sweep.refusedRoots.size} refused; ` +
        `${sweep.reached.size} Type.field coordinates reached of ${sweep.selected.size} selected` +
        (sweep.refusedBelow.size > 0 ? `; refused below the root: ${[...sweep.refusedBelow].sort().join(', ')}` : '') +
        (sweep.problems.length > 0 ? `; ${sweep.problems.length} kinds of problem` : '') +
        (sweep.omissions.unfilled.size > 0 ? `; no argument for ${[...sweep.omissions.unfilled].join(', ')}` : ''),
    );
    expect(sweep.answeredRoots).toContain('viewer');
    expect(sweep.problems).toEqual([]);
  });

  it('selects, and gets an answer for, every field reachable from the Query root, across the roles', () => {
    const reachable = [...reachableCoordinates(schema)].sort();
    const selected = new Set([...sweeps.values()].flatMap((s) => [...s.selected]));
    const reached = new Set([...sweeps.values()].flatMap((s) => [...s.reached]));
    console.log(`${reachable.length} Type.field coordinates reachable from Query, ${selected.size} selected, ${reached.size} reached by some role`);
    // A field no role selected, with the arguments that had no value (an id no answer held) when that is why.
    const unfilled = [...sweeps.values()].flatMap((s) => [...s.omissions.unfilled]);
    const unselected = reachable
      .filter((c) => !selected.has(c))
      .map((c) => [c, ...new Set(unfilled.filter((u) => u.startsWith(`${c}(`)).map((u) => `no value for ${u}`))].join('; '));
    expect(unselected).toEqual([]);
    // Selected but never in an answer: no role got an object that holds the field, so nothing checked
    // its value. The demo (seeds/demo) needs such an object, or an answer above it failed.
    expect(reachable.filter((c) => !reached.has(c) && !NOT_IN_THE_DEMO_ANSWERS[c.split('.')[0]])).toEqual([]);
  });
});
