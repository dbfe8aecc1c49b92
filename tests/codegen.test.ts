import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { generate } from '@graphql-codegen/cli';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../src/platform/config.js';
import { Role, startTestApp, type TestApp } from './support/app.js';

/**
 * GraphQL Code Generator's client preset against the running server (issue 22 item 4): it reads the
 * schema by introspection from the live URL with a token, generates types for a few operations of a
 * client, and writes persisted-documents.json; a server started with that file as TRUSTED_DOCUMENTS
 * runs those operations by the documentId the preset put in each document, and nothing else.
 */
const COORDINATOR = { role: Role.COORDINATOR, gminy: ['1417082'] };
const OPERATIONS: Record<string, string> = {
  'viewer.graphql': `query Viewer {
  viewer { ...Who }
}

fragment Who on Viewer {
  role
  gminy { terc name }
}
`,
  'gmina.graphql': `query Gmina($terc: TerytCode!) {
  gmina(terc: $terc) { name }
}
`,
};
// Inside the project, so the generated code resolves its type imports from node_modules.
const dir = path.join(projectRoot, '.data', `codegen-${process.pid}`);
const out = path.join(dir, 'gql');
let live: TestApp;
let trusted: TestApp;
let generated: string[];

beforeAll(async () => {
  fs.mkdirSync(path.join(dir, 'operations'), { recursive: true });
  for (const [file, text] of Object.entries(OPERATIONS)) fs.writeFileSync(path.join(dir, 'operations', file), text);
  live = await startTestApp();
  const files = await generate(
    {
      schema: [{ [live.url]: { headers: { authorization: `Bearer ${await live.token(COORDINATOR)}` } } }],
      documents: path.join(dir, 'operations', '*.graphql'),
      generates: {
        [`${out}/`]: {
          preset: 'client',
          presetConfig: { persistedDocuments: true },
          // Our custom scalars all travel as strings (JSON aside); codegen makes unknown of any it is not told about.
          config: { scalars: { TerytCode: 'string', LocalDate: 'string', LocalTime: 'string', DateTimeISO: 'string', Money: 'string' } },
        },
      },
      silent: true,
    },
    true,
  );
  generated = (files as { filename: string }[]).map((file) => path.relative(out, file.filename)).sort();
  trusted = await startTestApp({ TRUSTED_DOCUMENTS: path.join(out, 'persisted-documents.json') });
}, 120_000);
afterAll(async () => {
  await Promise.all([live?.close(), trusted?.close()]);
  fs.rmSync(dir, { recursive: true, force: true });
});

/** What the generated module exports: typed documents carrying their hash, as a client imports them. */
type Generated = Record<string, { __meta__?: { hash?: string } }>;

/** POSTs a GraphQL-over-HTTP body to the trusted server, as the preset's documentation has a client do. */
async function send(body: Record<string, unknown>) {
  const response = await fetch(trusted.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await trusted.token(COORDINATOR)}` },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as { data?: any; errors?: { message: string; extensions: { code: string } }[] } };
}

describe('GraphQL Code Generator, client preset', () => {
  it('generates types from the live URL that type-check, and a manifest of the operations', () => {
    expect(generated).toEqual(['fragment-masking.ts', 'gql.ts', 'graphql.ts', 'index.ts', 'persisted-documents.json']);
    const manifest = JSON.parse(fs.readFileSync(path.join(out, 'persisted-documents.json'), 'utf8')) as Record<string, string>;
    expect(Object.keys(manifest)).toHaveLength(2);
    for (const id of Object.keys(manifest)) expect(id).toMatch(/^sha256:[0-9a-f]{64}$/);

    // A client's use of the generated types: a variable the schema requires cannot be left out.
    const usage = path.join(dir, 'usage.ts');
    fs.writeFileSync(
      usage,
      `import type { GminaQuery, GminaQueryVariables, WhoFragment } from './gql/graphql';
export const variables: GminaQueryVariables = { terc: '1417082' };
export const name = (result: GminaQuery): string | undefined => result.gmina?.name;
export const terc = (who: WhoFragment): string[] => who.gminy.map((g) => g.terc);
// @ts-expect-error the schema makes terc required
export const missing: GminaQueryVariables = {};
`,
    );
    const program = ts.createProgram([usage, path.join(out, 'index.ts')], {
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
    });
    const problems = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(problems).toEqual([]);
  });

  it('runs each operation on a trusted-documents server by the documentId in its generated document', async () => {
    const documents = (await import(path.join(out, 'graphql.ts'))) as Generated;
    const viewerId = documents.ViewerDocument.__meta__?.hash;
    const gminaId = documents.GminaDocument.__meta__?.hash;
    expect(viewerId).toMatch(/^sha256:/);
    expect(await send({ documentId: viewerId, operationName: 'Viewer' })).toEqual({
      status: 200,
      body: { data: { viewer: { role: 'COORDINATOR', gminy: [{ terc: '1417082', name: 'Wiązowna' }] } } },
    });
    expect((await send({ documentId: gminaId, variables: { terc: '1417052' } })).body).toEqual({ data: { gmina: { name: 'Kołbiel' } } });
  });

  it('refuses an operation the client was not built with, and an id it does not know', async () => {
    const text = await send({ query: OPERATIONS['gmina.graphql'].replace('name', 'name terc'), variables: { terc: '1417052' } });
    expect(text.status).toBe(400);
    expect(text.body.errors?.map((e) => e.extensions.code)).toEqual(['DOCUMENT_NOT_TRUSTED']);
    const unknown = await send({ documentId: `sha256:${'1'.repeat(64)}` });
    expect(unknown.body.errors?.map((e) => e.extensions.code)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
  });
});
