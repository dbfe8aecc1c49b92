import fc from 'fast-check';
import { rawAsOwner, startTestApp, type TestApp, type Who } from './app.js';

/*
 * Differential testing of the compiled read path (issue 23, src/platform/graphql/compiled): two
 * servers on one database, one compiling and one resolving (COMPILED_READS=false, the reference).
 * The same operation as the same principal, under a subject of its own, must answer the same bytes
 * and write the same access-log rows.
 */

export interface Pair {
  compiled: TestApp;
  resolved: TestApp;
  /** The database's owner, who reads the access log (the suite's own, unless given). */
  ownerUrl?: string;
}

/** The two servers, on the suite's database or the one given (an OwnDatabase's). */
export async function startPair(database?: { appUrl: string; ownerUrl: string }): Promise<Pair> {
  const [compiled, resolved] = await Promise.all([startTestApp({}, database?.appUrl), startTestApp({ COMPILED_READS: 'false' }, database?.appUrl)]);
  return { compiled, resolved, ownerUrl: database?.ownerUrl };
}

/** A selection: some of `fields` (each a name, or a name with its own selection), in random order, some under an alias. */
export type Selection = fc.Arbitrary<string>;

export function selectionOf(fields: (string | [string, Selection])[]): Selection {
  const field = (f: string | [string, Selection]): Selection => {
    const [name, nested] = typeof f === 'string' ? [f, null] : f;
    const body = nested ? nested.map((inner) => `${name} { ${inner} }`) : fc.constant(name);
    return fc.tuple(fc.option(fc.constantFrom('a', 'b', 'x1'), { nil: undefined }), body).map(([alias, text]) => (alias ? `${alias}_${name}: ${text}` : text));
  };
  return fc
    .shuffledSubarray(fields, { minLength: 1 })
    .chain((chosen) => fc.tuple(...chosen.map(field)))
    .map((parts) => parts.join(' '));
}

let requests = 0;

/** The operation as `who`, under a subject of its own, and the access log rows it wrote. */
export async function answer(app: TestApp, who: Who, query: string, variables: Record<string, unknown>, ownerUrl?: string) {
  requests += 1;
  const subject = `compiled-reads-${process.pid}-${requests}`;
  const response = await app.gql(await app.token(who, { subject }), query, variables);
  const log = await rawAsOwner<{ gmina_id: number; resident_id: string; role: string; operation: string }>(
    `select gmina_id, resident_id, role, operation from resident_access_log where subject = $1 order by resident_id`,
    [subject],
    ownerUrl,
  );
  return { status: response.status, body: JSON.stringify(response.body), log };
}

/** The operation sent to both servers: the compiled server's answer and the reference's. */
export async function bothAnswers(pair: Pair, who: Who, query: string, variables: Record<string, unknown> = {}) {
  pair.compiled.statements.length = 0;
  return {
    mine: await answer(pair.compiled, who, query, variables, pair.ownerUrl),
    reference: await answer(pair.resolved, who, query, variables, pair.ownerUrl),
  };
}
