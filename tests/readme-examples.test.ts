import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { STORY_DAY, type DemoClock } from '../seeds/demo/clock.js';
import { daysBetween } from '../src/modules/common/dates.js';
import { Role, startTestApp, type GraphQLResponse, type TestApp, type Who } from './support/app.js';
import { subscribe, type Subscriber } from './support/subscriptions.js';
import { notAcrossMidnightInPoland, seededDemoClock } from './support/demo-clock.js';
import { freshDemoDatabase, type OwnDatabase } from './support/own-database.js';

/**
 * README.md's examples, run as written (issue 22): every ```graphql block, in README order, against a
 * demo seeded today in a database of this file's own (the blocks change data other suites count on).
 *
 * What README.md promises a block, and what this file checks:
 * - `<!-- role: COORDINATOR 1417082 -->` just before the fence names the role (and gminy, or a
 *   PARTNER's partner id) its operations run as; a `# role: ...` line inside switches it for the
 *   operations after it. A block without the marker fails.
 * - Every operation answers without errors and with empty userErrors; a query shows something (its
 *   lists are not empty). An operation followed by `# -> ...` lines describing a refusal must be
 *   refused with the codes they name.
 * - `$variables` are ids from the answers before: `resident { id }` in an answer gives `$residentId`,
 *   the first node of `programmes { nodes { id } }` gives `$programmeId`, an event's `eventId` gives
 *   `$eventId`; the latest answer wins.
 * - A subscription runs over graphql-ws and must receive its first event once the operation after it
 *   (the one that causes it) has answered, or by the end of its block.
 * - README dates are the demo story's (seeds/demo/clock.ts): each is moved as the seed moved the story,
 *   except a year's first and last days, which bound calendar periods (a protected report covers a
 *   calendar year, a programme or commission runs by years): they move by the story's shift in whole
 *   years, so a period stays a calendar period.
 */

const README = new URL('../README.md', import.meta.url);

interface Operation {
  line: number;
  text: string;
  type: OperationDefinitionNode['operation'];
  variables: string[];
  who: Who;
  /** Codes a refusal example must answer with (from its `# ->` lines); none for an operation that must succeed. */
  refusedWith: string[];
}

interface Block {
  line: number;
  heading: string;
  operations: Operation[];
}

const ROLE_MARKER = /^<!--\s*role:\s*(.+?)\s*-->$/;
const ROLE_LINE = /^\s*#\s*role:\s*(.+?)\s*$/;

const takeWhile = <T>(list: T[], keep: (item: T) => boolean): T[] => {
  const end = list.findIndex((item) => !keep(item));
  return end < 0 ? list : list.slice(0, end);
};

/** `DIRECTOR 1417052 1417032`, `PARTNER <uuid>` or `MINISTRY`, followed by any prose ("(or a SERVICES_ORGANISER) approves"). */
function principal(spec: string, line: number): Who {
  const [role, ...rest] = spec.split(/\s+/);
  if (!(role in Role)) throw new Error(`README.md:${line}: "${role}" is not a role`);
  if (role === Role.PARTNER) return { role: Role.PARTNER, partner: rest[0] };
  const gminy = takeWhile(rest, (word) => /^\d{7}$/.test(word));
  return { role: role as Role, gminy: gminy.length > 0 ? gminy : undefined };
}

/** The ```graphql blocks of README.md with their operations, roles and expected refusals; `unmarked` lists blocks without a role. */
function readmeBlocks(markdown: string): { blocks: Block[]; unmarked: number[] } {
  const lines = markdown.split('\n');
  const blocks: Block[] = [];
  const unmarked: number[] = [];
  let heading = '';
  let fenced = false;
  for (let i = 0; i < lines.length; i++) {
    if (!fenced && /^#{1,4} /.test(lines[i])) heading = lines[i].replace(/^#+ /, '');
    if (lines[i].trim() !== '```graphql') {
      // Other fences (sh, text) hold lines that look like headings.
      if (lines[i].trim().startsWith('```')) fenced = !fenced;
      continue;
    }
    const start = i + 1;
    let end = start;
    while (end < lines.length && lines[end].trim() !== '```') end++;
    let before = i - 1;
    while (before >= 0 && lines[before].trim() === '') before--;
    const marker = ROLE_MARKER.exec(lines[before]?.trim() ?? '');
    if (marker)
      blocks.push({ line: i + 1, heading, operations: operationsOf(lines.slice(start, end).join('\n'), start + 1, principal(marker[1], before + 1)) });
    else unmarked.push(i + 1);
    i = end;
  }
  return { blocks, unmarked };
}

function operationsOf(body: string, firstLine: number, blockWho: Who): Operation[] {
  const lineAt = (offset: number) => firstLine + body.slice(0, offset).split('\n').length - 1;
  let document;
  try {
    document = parse(body);
  } catch (error) {
    throw new Error(`README.md:${firstLine}: the block does not parse: ${String(error)}`, { cause: error });
  }
  const definitions = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  let who = blockWho;
  return definitions.map((definition, i) => {
    const start = definition.loc!.start;
    const end = definition.loc!.end;
    for (const comment of body.slice(i === 0 ? 0 : definitions[i - 1].loc!.end, start).split('\n')) {
      const role = ROLE_LINE.exec(comment);
      if (role) who = principal(role[1], lineAt(start));
    }
    // A refusal example is followed by `# -> ...` comment lines (continued by indented ones) that describe its answer.
    const after = body
      .slice(end, definitions[i + 1]?.loc!.start ?? body.length)
      .split('\n')
      .slice(1);
    const answer = /^\s*#\s*->/.test(after[0] ?? '') ? [after[0], ...takeWhile(after.slice(1), (l) => /^\s*#\s{2,}/.test(l))] : [];
    return {
      line: lineAt(start),
      text: body.slice(start, end),
      type: definition.operation,
      variables: (definition.variableDefinitions ?? []).map((v) => v.variable.name.value),
      who,
      refusedWith: [...answer.join('\n').matchAll(/code: ([A-Z_]+)/g)].map((m) => m[1]),
    };
  });
}

const DATE_LITERAL = /"(\d{4}-\d{2}-\d{2})"/g;

/** A README date on the seeded demo's calendar (see the file's comment). */
function readmeDay(day: string): string {
  if (!day.endsWith('-01-01') && !day.endsWith('-12-31')) return storyDay(day);
  const years = Math.round(daysBetween(STORY_DAY, storyDay(STORY_DAY)) / 365.25);
  return `${Number(day.slice(0, 4)) + years}${day.slice(4)}`;
}

/** A global id ("Type:key" in base64url); the raw keys inside a JSON answer (residentDataExport) are not ids to pass on. */
const isGlobalId = (id: string) => /^[A-Z]\w*:./.test(Buffer.from(id, 'base64url').toString('utf8'));

/** The ids an answer gives to the operations after it (see the file's comment). */
function harvest(value: unknown, key: string | null, found: Record<string, string>): void {
  const singular = (name: string) => name.replace(/ies$/, 'y').replace(/s$/, '');
  const take = (name: string, given: unknown) => {
    if (typeof given === 'string' && !(name in found)) found[name] = given;
  };
  if (Array.isArray(value)) {
    if (value.length > 0 && key) harvest(value[0], singular(key), found);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const object = value as Record<string, unknown>;
  if (key && typeof object.id === 'string' && isGlobalId(object.id)) take(`${key}Id`, object.id);
  take('eventId', object.eventId);
  for (const [field, child] of Object.entries(object)) {
    if (field === 'nodes' && key) harvest(child, key, found);
    else if (field === 'edges' && key && Array.isArray(child))
      harvest(
        child.map((e) => e?.node),
        key,
        found,
      );
    else harvest(child, field, found);
  }
}

/** Every userErrors list anywhere in an answer, flattened. */
function userErrorsOf(value: unknown): { code?: string }[] {
  if (Array.isArray(value)) return value.flatMap(userErrorsOf);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([field, child]) => (field === 'userErrors' && Array.isArray(child) ? child : userErrorsOf(child)));
}

/** Root fields of a query answer that show nothing: null, or an empty list (itself, or its nodes, edges or cells). */
function emptyFields(data: Record<string, unknown>): string[] {
  return Object.entries(data)
    .filter(([, value]) => {
      if (value === null || value === undefined) return true;
      if (Array.isArray(value)) return value.length === 0;
      if (typeof value !== 'object') return false;
      const object = value as Record<string, unknown>;
      return ['nodes', 'edges', 'cells'].some((list) => Array.isArray(object[list]) && (object[list] as unknown[]).length === 0);
    })
    .map(([field]) => field);
}

const { blocks, unmarked } = readmeBlocks(readFileSync(README, 'utf8'));
let database: OwnDatabase;
let app: TestApp;
let storyDay: DemoClock;
const variables: Record<string, string> = {};

/** Longer than this file takes (about a minute): the README's story is told on one day in Poland. */
const STORY_TAKES_MS = 5 * 60_000;

beforeAll(async () => {
  // Seeded now, not cloned from the run's template, whose seeding day may have ended since.
  await notAcrossMidnightInPoland(STORY_TAKES_MS);
  database = await freshDemoDatabase('cus_readme');
  storyDay = await seededDemoClock(database.ownerUrl);
  app = await startTestApp({}, database.appUrl);
}, STORY_TAKES_MS + 120_000);

afterAll(async () => {
  await app?.close();
  await database?.drop();
});

const describeAs = (who: Who) => [who.role, ...(who.gminy ?? []), ...(who.partner ? [who.partner] : [])].join(' ');

/** Runs one README operation; a subscription is returned to be awaited once its cause has run. */
async function run(operation: Operation): Promise<Subscriber | null> {
  const where = `README.md:${operation.line} as ${describeAs(operation.who)}`;
  const missing = operation.variables.filter((name) => !(name in variables));
  expect(missing, `${where}: $${missing.join(', $')} comes from no answer above it`).toEqual([]);
  const given = Object.fromEntries(operation.variables.map((name) => [name, variables[name]]));
  const text = operation.text.replace(DATE_LITERAL, (_, day: string) => `"${readmeDay(day)}"`);
  if (operation.type === 'subscription') {
    // A live feed misses what commits before the server follows it: the cause runs only once it does.
    const subscriber = subscribe(app.ws(operation.who), text, given);
    await app.untilOpenSubscriptions(1).catch((error) => expect.fail(`${where}: ${error} (${JSON.stringify(subscriber.results)})`));
    return subscriber;
  }

  const response: GraphQLResponse = await app.gql(operation.who, text, given);
  const codes = [...(response.body.errors ?? []).map((e) => e.extensions?.code), ...userErrorsOf(response.body.data).map((e) => e.code)];
  if (operation.refusedWith.length > 0) {
    expect(codes, `${where}: refused as its comment says`).toEqual(expect.arrayContaining(operation.refusedWith));
    return null;
  }
  expect(
    { status: response.status, errors: response.body.errors, userErrors: userErrorsOf(response.body.data) },
    `${where}: ${JSON.stringify(response.body)}`,
  ).toEqual({ status: 200, errors: undefined, userErrors: [] });
  if (operation.type === 'query') expect(emptyFields(response.body.data), `${where} shows nothing: ${JSON.stringify(response.body.data)}`).toEqual([]);
  const found: Record<string, string> = {};
  harvest(response.body.data, null, found);
  Object.assign(variables, found);
  return null;
}

/** A subscription's first event, once the operation that causes it has run. */
async function firstEvent(subscriber: Subscriber, operation: Operation): Promise<void> {
  const where = `README.md:${operation.line} as ${describeAs(operation.who)}`;
  await subscriber.waitFor(1, 10_000).catch((error) => expect.fail(`${where}: no event: ${error}`));
  const [first] = subscriber.results;
  subscriber.stop();
  await app.untilOpenSubscriptions(0);
  expect(first.errors, `${where}: ${JSON.stringify(first)}`).toBeUndefined();
  const found: Record<string, string> = {};
  harvest(first.data, null, found);
  Object.assign(variables, found);
}

describe('README.md examples', () => {
  it('name the role of every graphql block, and hold operations', () => {
    expect(unmarked, 'lines of README.md whose graphql block has no <!-- role: ... --> before it').toEqual([]);
    expect(blocks.length).toBeGreaterThan(0);
    for (const block of blocks) expect(block.operations.length, `README.md:${block.line}`).toBeGreaterThan(0);
  });

  for (const block of blocks) {
    it(`run as written: README.md:${block.line} (${block.heading})`, async () => {
      let waiting: { subscriber: Subscriber; operation: Operation } | null = null;
      for (const operation of block.operations) {
        const subscriber = await run(operation);
        // A subscription's cause is the operation after it: wait for its first event only once that has run.
        if (waiting) await firstEvent(waiting.subscriber, waiting.operation);
        waiting = subscriber ? { subscriber, operation } : null;
      }
      if (waiting) await firstEvent(waiting.subscriber, waiting.operation);
    });
  }
});
