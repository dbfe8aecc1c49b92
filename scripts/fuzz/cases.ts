import fc from 'fast-check';
import type { GraphQLSchema } from 'graphql';
import { Role } from '../../src/platform/auth/roles.js';
import type { DevTokenRequest } from '../../src/platform/auth/tokens.js';
import { DEMO_UNITS } from '../../seeds/demo-units.js';
import type { IdPool } from './id-pool.js';
import { operationArbitrary, type GeneratedOperation } from './operations.js';
import { rawRequestArbitrary, socketScriptArbitrary, type RawRequest, type SocketScript } from './raw.js';

/**
 * One fuzz case: who sends what, over which transport. The roles are the demo's (seeds/demo): the
 * director and coordinator of Wiązowna, the mobile-rehabilitation partner working there, the
 * platform administrator, the ministry, and nobody at all.
 */
export type RoleKey = 'admin' | 'director' | 'coordinator' | 'partner' | 'ministry' | 'anonymous';

export const DEMO_GMINA = '1417082';
export const DEMO_PARTNER = '0193a000-0000-7000-8010-000000000007';

export const ROLE_TOKENS: Record<Exclude<RoleKey, 'anonymous'>, DevTokenRequest> = {
  admin: { role: Role.PLATFORM_ADMIN, subject: 'fuzz-admin' },
  director: { role: Role.DIRECTOR, gminy: [DEMO_GMINA], cus_unit: DEMO_UNITS.wiazowna, subject: 'fuzz-director' },
  coordinator: { role: Role.COORDINATOR, gminy: [DEMO_GMINA], cus_unit: DEMO_UNITS.wiazowna, subject: 'fuzz-coordinator' },
  partner: { role: Role.PARTNER, partner_id: DEMO_PARTNER, subject: 'fuzz-partner' },
  ministry: { role: Role.MINISTRY, subject: 'fuzz-ministry' },
};

export type FuzzCase =
  | { kind: 'http'; who: RoleKey; method: 'POST' | 'GET'; operation: GeneratedOperation }
  | { kind: 'ws'; who: RoleKey; operation: GeneratedOperation }
  | { kind: 'public'; operation: GeneratedOperation }
  | { kind: 'raw-http'; who: RoleKey; request: RawRequest }
  | { kind: 'raw-ws'; who: RoleKey; script: SocketScript };

const role = fc.oneof(
  { arbitrary: fc.constant<RoleKey>('director'), weight: 3 },
  { arbitrary: fc.constant<RoleKey>('coordinator'), weight: 3 },
  { arbitrary: fc.constant<RoleKey>('partner'), weight: 2 },
  { arbitrary: fc.constant<RoleKey>('admin'), weight: 2 },
  { arbitrary: fc.constant<RoleKey>('ministry'), weight: 1 },
  { arbitrary: fc.constant<RoleKey>('anonymous'), weight: 1 },
);

/** Who sends a mutation: mostly those who may write (the director and coordinator), so some go through. */
const writer = fc.oneof(
  { arbitrary: fc.constant<RoleKey>('director'), weight: 4 },
  { arbitrary: fc.constant<RoleKey>('coordinator'), weight: 4 },
  { arbitrary: fc.constant<RoleKey>('partner'), weight: 1 },
  { arbitrary: fc.constant<RoleKey>('admin'), weight: 1 },
  { arbitrary: fc.constant<RoleKey>('ministry'), weight: 1 },
  { arbitrary: fc.constant<RoleKey>('anonymous'), weight: 1 },
);

export interface FuzzSchemas {
  /** The staff API at /graphql. */
  main: GraphQLSchema;
  /** The public survey API at /public/graphql, when it could be read. */
  public?: GraphQLSchema;
}

/** Every kind of case, weighted towards well-formed operations over HTTP, where most of the server is. */
export function fuzzCaseArbitrary(schemas: FuzzSchemas, ids: IdPool): fc.Arbitrary<FuzzCase> {
  const operations = operationArbitrary(schemas.main, ids);
  const queries = operationArbitrary(schemas.main, ids, { query: 10, mutation: 0, subscription: 1 });
  const mutations = operationArbitrary(schemas.main, ids, { query: 0, mutation: 1, subscription: 0 });
  const overSocket = operationArbitrary(schemas.main, ids, { query: 35, mutation: 30, subscription: 35 });
  const arbitraries: fc.WeightedArbitrary<FuzzCase>[] = [
    { weight: 25, arbitrary: fc.record({ kind: fc.constant('http' as const), who: role, method: fc.constant('POST' as const), operation: queries }) },
    { weight: 20, arbitrary: fc.record({ kind: fc.constant('http' as const), who: writer, method: fc.constant('POST' as const), operation: mutations }) },
    {
      weight: 4,
      arbitrary: fc.record({ kind: fc.constant('http' as const), who: role, method: fc.constant('GET' as const), operation: fc.oneof(queries, operations) }),
    },
    { weight: 10, arbitrary: fc.record({ kind: fc.constant('ws' as const), who: role, operation: overSocket }) },
    { weight: 22, arbitrary: fc.record({ kind: fc.constant('raw-http' as const), who: role, request: rawRequestArbitrary(operations) }) },
    { weight: 8, arbitrary: fc.record({ kind: fc.constant('raw-ws' as const), who: role, script: socketScriptArbitrary(overSocket) }) },
  ];
  if (schemas.public) {
    arbitraries.push({
      weight: 5,
      arbitrary: fc.record({
        kind: fc.constant('public' as const),
        operation: operationArbitrary(schemas.public, ids, { query: 1, mutation: 1, subscription: 0 }),
      }),
    });
  }
  // Shrinking replays cases against the server; a bounded number of steps still gets a readable counterexample.
  return fc.limitShrink(fc.oneof(...arbitraries), 60).map((c) => Object.assign(c, { [fc.toStringMethod]: () => describeCase(c) }));
}

const cut = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text);
const bodyText = (body: string | Uint8Array | undefined) =>
  body === undefined ? '' : typeof body === 'string' ? cut(JSON.stringify(body), 1_500) : `bytes ${Buffer.from(body).toString('hex').slice(0, 600)}`;

/** A case as a failure report shows it: enough to send it again by hand. */
export function describeCase(c: FuzzCase): string {
  switch (c.kind) {
    case 'http':
    case 'ws':
    case 'public': {
      const op = c.operation;
      const via = c.kind === 'http' ? `HTTP ${c.method} as ${c.who}` : c.kind === 'ws' ? `WebSocket as ${c.who}` : 'POST /public/graphql';
      return `${via}: ${op.type} ${op.rootFields.join(', ')}\n  document: ${cut(op.document, 2_000)}\n  variables: ${cut(op.variables ?? '(none)', 800)}\n  operationName: ${op.operationName ?? '(none)'}`;
    }
    case 'raw-http': {
      const r = c.request;
      const auth = r.auth.kind === 'role' ? c.who : r.auth.kind === 'none' ? 'no token' : cut(r.auth.value, 100);
      return `raw HTTP ${r.method} ${cut(r.path, 300)} (${auth})\n  headers: ${JSON.stringify(r.headers)}\n  body: ${bodyText(r.body)}`;
    }
    case 'raw-ws':
      return `raw WebSocket as ${c.who}, protocol ${c.script.protocol}\n${c.script.frames.map((f) => `  frame: ${bodyText(f)}`).join('\n')}`;
  }
}
