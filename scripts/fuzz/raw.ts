import fc from 'fast-check';
import type { GeneratedOperation } from './operations.js';
import { Picker } from './picker.js';

/**
 * What a generated operation cannot express: malformed documents (unterminated strings, token
 * floods, deep nesting, alias and fragment bombs, random bytes), malformed HTTP requests (bodies
 * that are not JSON or not the right JSON, wrong methods and content types, odd headers and paths),
 * and malformed graphql-ws frames.
 */
export interface RawRequest {
  method: string;
  /** Path and query string. */
  path: string;
  headers: Record<string, string>;
  /** Whose Authorization goes with it: the case's role, none, or this header value. */
  auth: { kind: 'role' } | { kind: 'none' } | { kind: 'header'; value: string };
  body?: string | Uint8Array;
}

/** A frame the runner fills in: the connection_init with the case's token. */
export const INIT_WITH_TOKEN = 'init-with-token';

export interface SocketScript {
  /** The WebSocket subprotocol offered; graphql-ws speaks `graphql-transport-ws`. */
  protocol: string | null;
  frames: (string | Uint8Array)[];
}

const bytes = () => fc.uint8Array({ minLength: 0, maxLength: 300 });
const binaryText = () => fc.string({ unit: 'binary', minLength: 1, maxLength: 200 });

const b64 = (text: string) => Buffer.from(text).toString('base64url');
/** Tokens that must each be refused with 401: not JWTs, unsigned, signed by nobody we trust. */
const BAD_AUTHORIZATION = [
  'Bearer',
  'Bearer ',
  'Bearer x',
  'Bearer a.b.c',
  'Basic dXNlcjpwYXNz',
  'bearer',
  'Token abc',
  'Bearer  x y',
  `Bearer ${b64('{"alg":"none","typ":"JWT"}')}.${b64('{"sub":"x","role":"PLATFORM_ADMIN","exp":9999999999}')}.`,
  `Bearer ${b64('{"alg":"HS256","typ":"JWT"}')}.${b64('{"sub":"x","role":"PLATFORM_ADMIN","exp":9999999999}')}.${b64('sig')}`,
  `Bearer ${b64('{"alg":"RS256","kid":"../../etc/passwd"}')}.${b64('{}')}.${b64('x')}`,
  `Bearer ${'A'.repeat(8_000)}`,
  'Bearer %00',
  'Bearer \u00ff',
  `Bearer ${b64('{')}.${b64('[')}.x`,
];

/** A document broken in one of the ways a parser, validator or limit must survive. */
export function malformedDocument(p: Picker, valid: string): string {
  const depth = p.int(50, 2_400);
  return p.weighted<() => string>([
    [4, () => valid.slice(0, p.int(0, Math.max(0, valid.length - 1)))],
    [2, () => `{ gmina(terc: "1417082) { name } }`],
    [1, () => `{ gmina(terc: """1417082) { name } }`],
    [1, () => `{ gmina(terc: "\\u12") { name } }`],
    [2, () => `{ ${'__typename '.repeat(p.int(4_990, 20_000))}}`],
    [2, () => `{ viewer ${'{ role '.repeat(depth)}${'}'.repeat(depth)} }`],
    [2, () => `{ ${'cusUnits { nodes { gminy { '.repeat(p.int(5, 60))}terc${' } } }'.repeat(1)} }`],
    [2, () => `{ ${Array.from({ length: p.int(31, 1_600) }, (_, i) => `a${i}: __typename`).join(' ')} }`],
    [2, () => fragmentBomb(p.int(8, 40))],
    [1, () => 'query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }'],
    [1, () => Array.from({ length: p.int(2, 1_200) }, (_, i) => `query q${i} { __typename }`).join('\n')],
    [1, () => `{ __typename${' @include(if: true)'.repeat(p.int(2, 800))} }`],
    [1, () => `{ gminy(filter: { powiat: ${'['.repeat(p.int(10, 2_400))}"1417"${']'.repeat(p.int(0, 10))} }) { totalCount } }`],
    [1, () => `{ gminy(filter: ${'{ a: '.repeat(p.int(10, 1_200))}1 }) { totalCount } }`],
    [1, () => `{ gminy(first: ${p.pick(['99999999999999999999', '1e400', '-0', '0x10', '1.', 'NaN', '2147483648'])}) { totalCount } }`],
    [1, () => `query(${Array.from({ length: p.int(2, 600) }, (_, i) => `$v${i % 3}: Int`).join(', ')}) { __typename }`],
    [1, () => `{ ${'a'.repeat(p.pick([1_000, 100_000, 900_000]))} }`],
    [1, () => `\uFEFF${valid}`],
    [1, () => `${valid.slice(0, 10)}\u0000${valid.slice(10)}`],
    [1, () => `subscription { ipusFeed { eventId } } mutation { reportsRefresh }`],
    [1, () => p.pick(['', ' ', '# only a comment', '{}', '{ }', 'query', 'mutation {', '}', '{{', '"', '"""', '\\', '…', '{ __typename } }'])],
    [2, () => p.draw(binaryText)],
    [1, () => Buffer.from(p.draw(bytes)).toString('latin1')],
  ])();
}

/** Fragments that each spread the next one twice: 2^n paths through a document of a few hundred tokens. */
function fragmentBomb(levels: number): string {
  const fragments = Array.from({ length: levels }, (_, i) =>
    i === levels - 1 ? `fragment F${i} on Query { __typename viewer { role } }` : `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`,
  );
  return `query { ...F0 }\n${fragments.join('\n')}`;
}

const CONTENT_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/graphql-response+json',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/graphql',
  'APPLICATION/JSON',
  'application/json; charset=utf-16',
  'garbage',
  '',
  'application/json, text/plain',
  'application/json; charset=latin1',
];
const ACCEPTS = [
  'application/json',
  'application/graphql-response+json',
  '*/*',
  'application/xml',
  'text/html',
  'multipart/mixed',
  'multipart/mixed; subscriptionSpec="1.0", application/json',
  'multipart/mixed; deferSpec=20220824',
  'application/graphql-response+json;q=0',
  '',
];
const PATHS = [
  '/graphql',
  '/graphql/',
  '/GRAPHQL',
  '//graphql',
  '/graphql?x=1',
  '/healthz',
  '/readyz',
  '/metrics',
  '/hsds',
  '/hsds/1417082/services',
  '/hsds/1417082/services/%ff',
  '/hsds/9999999/locations',
  '/hsds/../graphql',
  '/public/graphql',
  '/public/surveys/AAAAAAAAAAAAAAAAAAAAAAAA',
  '/nope',
  '/%ff',
  '/graphql%00',
  '/graphql;x',
  '/graphql#x',
  `/graphql?${'a'.repeat(20_000)}`,
];

/** Bodies that are not JSON, or JSON that is not a GraphQL request. */
function malformedBody(p: Picker, document: string, variables: string | undefined): string | Uint8Array {
  const query = JSON.stringify(document);
  const request = `{"query":${query}${variables ? `,"variables":${variables}` : ''}}`;
  const nested = p.int(100, 200_000);
  return p.weighted<() => string | Uint8Array>([
    [3, () => request.slice(0, p.int(0, request.length - 1))],
    [2, () => p.pick([`{"query":1}`, `{"query":null}`, `{"query":["{ __typename }"]}`, `{"query":{}}`, '{}', `{"query":true}`, `{"operationName":"x"}`])],
    [2, () => `{"query":${query},"variables":${p.pick(['"x"', '[]', '1', 'true', '"{}"', '[{}]', '{"v0":{"__proto__":{"x":1}}}'])}}`],
    [1, () => `{"query":${query},"operationName":${p.pick(['5', '{}', '[]', 'true', '""', '"Nope"'])}}`],
    [1, () => `{"query":${query},"extensions":${p.pick(['"x"', '1', '{"persistedQuery":{"version":1,"sha256Hash":"abc"}}', '{"persistedQuery":"x"}', '[]'])}}`],
    [2, () => `[${Array.from({ length: p.int(0, 30) }, () => request).join(',')}]`],
    [
      1,
      () =>
        p.pick([
          'null',
          '"string"',
          '1e999',
          'true',
          '[]',
          '-',
          'NaN',
          '{"query": "{ __typename }",}',
          "{'query': '{ __typename }'}",
          '{"query": "{ __typename }" // comment\n}',
          '\uFEFF{"query":"{ __typename }"}',
          '{"query":"{ __typename }"}{"query":"x"}',
          '',
        ]),
    ],
    [1, () => `${'['.repeat(nested)}${']'.repeat(nested)}`],
    [1, () => `{"query":${query},${Array.from({ length: p.int(1_000, 40_000) }, (_, i) => `"k${i}":${i}`).join(',')}}`],
    [1, () => `{"query":"{ __typename }","query":${query}}`],
    [1, () => `{"query":${query}${' '.repeat(p.pick([10, 1_100_000]))}}`],
    [2, () => p.draw(bytes)],
    [1, () => Uint8Array.from([0x7b, 0x22, 0x71, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d])],
  ])();
}

/** A raw HTTP request built around a generated operation (so its document is often a real one). */
export function rawRequestArbitrary(operations: fc.Arbitrary<GeneratedOperation>): fc.Arbitrary<RawRequest> {
  return fc.tuple(operations, fc.gen()).map(([operation, g]) => {
    const p = new Picker(g);
    const document = p.chance(0.5) ? malformedDocument(p, operation.document) : operation.document;
    const headers: Record<string, string> = {};
    const auth: RawRequest['auth'] = p.weighted<RawRequest['auth']>([
      [6, { kind: 'role' }],
      [1, { kind: 'none' }],
      [2, { kind: 'header', value: p.pick(BAD_AUTHORIZATION) }],
    ]);
    if (p.chance(0.3)) headers.accept = p.pick(ACCEPTS);
    if (p.chance(0.05)) headers['x-request-id'] = p.pick(['', 'x'.repeat(100), 'ok-1', '\t', '../../', 'a b', '\u00e9']);
    if (p.chance(0.05)) headers['apollo-require-preflight'] = 'true';
    const path = p.chance(0.85) ? '/graphql' : p.pick(PATHS);
    const method = p.weighted<string>([
      [70, 'POST'],
      [20, 'GET'],
      [2, 'PUT'],
      [2, 'DELETE'],
      [2, 'PATCH'],
      [2, 'OPTIONS'],
      [2, 'HEAD'],
    ]);
    if (method === 'GET' || method === 'HEAD' || method === 'DELETE') {
      const params = new URLSearchParams();
      if (!p.chance(0.05)) params.set('query', document);
      if (operation.variables !== undefined || p.chance(0.2))
        params.set('variables', p.chance(0.8) ? (operation.variables ?? '{}') : p.pick(['x', '[]', '{', '1']));
      if (operation.operationName !== undefined) params.set('operationName', operation.operationName);
      if (p.chance(0.05)) params.append('query', '{ __typename }');
      if (p.chance(0.05)) params.set('extensions', p.pick(['x', '{}', '{"persistedQuery":{"version":1,"sha256Hash":"abc"}}']));
      return { method, path: `${path}${path.includes('?') ? '&' : '?'}${params}`, headers, auth };
    }
    headers['content-type'] = p.chance(0.6) ? 'application/json' : p.pick(CONTENT_TYPES);
    const body = p.chance(0.4)
      ? JSON.stringify({
          query: document,
          operationName: operation.operationName,
          variables: operation.variables === undefined ? undefined : safeJson(operation.variables),
        })
      : malformedBody(p, document, operation.variables);
    return { method, path, headers, auth, body };
  });
}

const safeJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

/** A graphql-ws conversation with something wrong in it (or nothing: the control case). */
export function socketScriptArbitrary(operations: fc.Arbitrary<GeneratedOperation>): fc.Arbitrary<SocketScript> {
  return fc.tuple(fc.array(operations, { minLength: 1, maxLength: 3 }), fc.gen()).map(([ops, g]) => {
    const p = new Picker(g);
    const frames: (string | Uint8Array)[] = [];
    frames.push(
      p.weighted<string | Uint8Array>([
        [12, INIT_WITH_TOKEN],
        [1, '{"type":"connection_init"}'],
        [
          1,
          p.pick([
            '{"type":"connection_init","payload":"x"}',
            '{"type":"connection_init","payload":{"authorization":123}}',
            '{"type":"connection_init","payload":{"authorization":"Bearer x"}}',
            '{"type":"connection_init","payload":null}',
          ]),
        ],
        [1, '{"type":"subscribe","id":"1","payload":{"query":"{ __typename }"}}'],
      ]),
    );
    let lastId = '1';
    for (const op of ops) {
      const id = p.weighted<string>([
        [8, String(p.int(1, 9))],
        [1, lastId],
        [1, 'x'.repeat(p.pick([1, 10_000]))],
      ]);
      lastId = id;
      const query = p.chance(0.25) ? malformedDocument(p, op.document) : op.document;
      const payload = `{"query":${JSON.stringify(query)}${op.variables ? `,"variables":${op.variables}` : ''}${op.operationName ? `,"operationName":${JSON.stringify(op.operationName)}` : ''}}`;
      frames.push(
        p.weighted<string | Uint8Array>([
          [10, `{"id":${JSON.stringify(id)},"type":"subscribe","payload":${payload}}`],
          [1, `{"id":${JSON.stringify(id)},"type":"subscribe"}`],
          [
            1,
            `{"id":${JSON.stringify(id)},"type":"subscribe","payload":${p.pick([
              'null',
              '"x"',
              '[]',
              '{"query":1}',
              '{"query":null}',
              '{"query":{}}',
              `{"query":${JSON.stringify(op.document)},"variables":"x"}`,
              `{"query":${JSON.stringify(op.document)},"variables":[]}`,
              `{"query":${JSON.stringify(op.document)},"operationName":5}`,
              `{"query":${JSON.stringify(op.document)},"extensions":"x"}`,
            ])}}`,
          ],
          [1, `{"type":"subscribe","payload":${payload}}`],
          [1, `{"id":${p.pick(['1', 'null', '{}', '""'])},"type":"subscribe","payload":${payload}}`],
          [
            1,
            p.pick([
              `{"id":"${id}","type":"complete"}`,
              '{"id":"nope","type":"complete"}',
              '{"type":"complete"}',
              '{"type":"ping","payload":"x"}',
              '{"type":"pong"}',
              '{"type":"ping"}',
              '{"type":"nope"}',
              '{}',
              '[]',
              'null',
              '"x"',
              '{',
              '',
              '{"type":"connection_init"}',
              '{"type":"next","id":"1","payload":{}}',
            ]),
          ],
          [1, p.draw(bytes)],
          [1, `{"id":"${id}","type":"subscribe","payload":{"query":${JSON.stringify('{ __typename }'.padEnd(p.pick([1_000, 600_000]), ' '))}}}`],
        ]),
      );
      if (p.chance(0.3)) frames.push(`{"id":${JSON.stringify(id)},"type":"complete"}`);
    }
    const protocol = p.weighted<string | null>([
      [20, 'graphql-transport-ws'],
      [1, 'graphql-ws'],
      [1, null],
      [1, 'x'],
    ]);
    return { protocol, frames };
  });
}
