import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes, Role, startTestApp, type TestApp } from './support/app.js';
import { documentHash } from '../src/platform/graphql/trusted-documents.js';

/**
 * Trusted documents (issue 8): with TRUSTED_DOCUMENTS set, the server runs only the operations of
 * its manifest, named by id (GraphQL-over-HTTP `documentId`, or an APQ hash) or sent as their exact
 * text; anything else is refused before it is parsed, over HTTP and WebSocket.
 */
const COORDINATOR = { role: Role.COORDINATOR, gminy: ['1417082'] };
const VIEWER = 'query Viewer { viewer { role gminy { terc } } }';
const GMINA = 'query Gmina($terc: TerytCode!) { gmina(terc: $terc) { name } }';
let app: TestApp;
let dir: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cus-trusted-'));
  const manifest = path.join(dir, 'trusted-documents.json');
  fs.writeFileSync(manifest, JSON.stringify({ [documentHash(VIEWER)]: VIEWER, [documentHash(GMINA)]: GMINA }));
  app = await startTestApp({ TRUSTED_DOCUMENTS: manifest });
});
afterAll(async () => {
  await app.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function post(body: Record<string, unknown>, headers: Record<string, string> = {}) {
  const response = await fetch(app.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await app.token(COORDINATOR)}`, ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as { data?: any; errors?: { message: string; extensions?: { code?: string } }[] } };
}

describe('trusted documents over HTTP', () => {
  it('runs a document named by its documentId, by an APQ hash, or sent as its exact text', async () => {
    const byId = await post({ documentId: `sha256:${documentHash(GMINA)}`, variables: { terc: '1417082' } });
    expect(byId.body).toEqual({ data: { gmina: { name: 'Wiązowna' } } });
    const byHash = await post({ extensions: { persistedQuery: { version: 1, sha256Hash: documentHash(VIEWER) } } });
    expect(byHash.body.data.viewer).toEqual({ role: 'COORDINATOR', gminy: [{ terc: '1417082' }] });
    expect((await post({ query: VIEWER })).body.data.viewer.role).toBe('COORDINATOR');
  });

  it('refuses any other document before it touches the database, with a code that says why', async () => {
    app.statements.length = 0;
    const other = await post({ query: '{ viewer { role } }' });
    expect(other.status).toBe(400);
    expect(codes(other as never)).toEqual(['DOCUMENT_NOT_TRUSTED']);
    expect(other.body.errors?.[0].message).toMatch(/only trusted documents/);
    // A trusted text with one character changed is another document.
    expect(codes((await post({ query: `${VIEWER} ` })) as never)).toEqual(['DOCUMENT_NOT_TRUSTED']);
    expect(codes((await post({ documentId: `sha256:${'0'.repeat(64)}` })) as never)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
    expect(codes((await post({ documentId: documentHash(VIEWER), query: '{ viewer { role } }' })) as never)).toEqual(['DOCUMENT_NOT_TRUSTED']);
    expect(codes((await post([{ query: VIEWER }] as never)) as never)).toEqual(['DOCUMENT_NOT_TRUSTED']);
    expect(app.statements).toEqual([]);
  });

  it('serves GET by documentId too (with the CSRF preflight header)', async () => {
    const url = `${app.url}?documentId=sha256:${documentHash(GMINA)}&variables=${encodeURIComponent(JSON.stringify({ terc: '1417052' }))}`;
    const response = await fetch(url, {
      headers: { authorization: `Bearer ${await app.token(COORDINATOR)}`, 'apollo-require-preflight': 'true' },
    });
    expect(await response.json()).toEqual({ data: { gmina: { name: 'Kołbiel' } } });
    const untrusted = await fetch(`${app.url}?query=${encodeURIComponent('{ viewer { role } }')}`, {
      headers: { authorization: `Bearer ${await app.token(COORDINATOR)}`, 'apollo-require-preflight': 'true' },
    });
    expect(untrusted.status).toBe(400);
    expect((await untrusted.json()).errors[0].extensions.code).toBe('DOCUMENT_NOT_TRUSTED');
  });
});

describe('trusted documents over WebSocket', () => {
  it('runs a trusted text or id and refuses other documents on the same connection', async () => {
    const client = app.ws(COORDINATOR);
    const run = (payload: { query: string; extensions?: Record<string, unknown> }) =>
      new Promise<{ data?: any; errors?: any[] }>((resolve) => {
        let result: { data?: any; errors?: any[] } = {};
        client.subscribe(payload, {
          next: (value) => {
            result = value as typeof result;
          },
          error: (errors) => resolve({ errors: errors as any[] }),
          complete: () => resolve(result),
        });
      });
    expect((await run({ query: VIEWER })).data.viewer.role).toBe('COORDINATOR');
    const byHash = await run({ query: '', extensions: { persistedQuery: { version: 1, sha256Hash: documentHash(VIEWER) } } });
    expect(byHash.data?.viewer.role).toBe('COORDINATOR');
    const refused = await run({ query: '{ viewer { role } }' });
    expect(refused.errors?.map((e) => e.extensions?.code)).toEqual(['DOCUMENT_NOT_TRUSTED']);
    expect((await run({ query: VIEWER })).data.viewer.role).toBe('COORDINATOR');
  });
});

describe('manifests written by other tools', () => {
  const apolloManifest = (operations: unknown[]) => ({ format: 'apollo-persisted-query-manifest', version: 1, operations });

  it("serves Apollo's persisted-query manifest, by the id Apollo Client sends (sha256 or a custom one)", async () => {
    const file = path.join(dir, 'persisted-query-manifest.json');
    fs.writeFileSync(
      file,
      JSON.stringify(
        apolloManifest([
          { id: documentHash(VIEWER), name: 'Viewer', type: 'query', body: VIEWER },
          { id: 'gmina-v1', name: 'Gmina', type: 'query', body: GMINA },
        ]),
      ),
    );
    const apollo = await startTestApp({ TRUSTED_DOCUMENTS: file });
    try {
      const send = async (body: Record<string, unknown>) =>
        (
          await fetch(apollo.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${await apollo.token(COORDINATOR)}` },
            body: JSON.stringify(body),
          })
        ).json() as Promise<{ data?: any; errors?: { extensions: { code: string } }[] }>;
      const persisted = (id: string) => ({ extensions: { persistedQuery: { version: 1, sha256Hash: id } } });
      expect((await send(persisted(documentHash(VIEWER)))).data.viewer.role).toBe('COORDINATOR');
      expect(await send({ ...persisted('gmina-v1'), variables: { terc: '1417082' } })).toEqual({ data: { gmina: { name: 'Wiązowna' } } });
      // A custom id's document may still be sent as its exact text, and nothing else runs.
      expect(await send({ query: GMINA, variables: { terc: '1417052' } })).toEqual({ data: { gmina: { name: 'Kołbiel' } } });
      expect((await send(persisted('gmina-v2'))).errors?.[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
      expect((await send({ query: '{ viewer { role } }' })).errors?.[0].extensions.code).toBe('DOCUMENT_NOT_TRUSTED');
    } finally {
      await apollo.close();
    }
  });

  it('takes ids written sha256:<hex> (GraphQL Code Generator, npm run trusted-documents) and checks them too', async () => {
    const file = path.join(dir, 'prefixed.json');
    fs.writeFileSync(file, JSON.stringify({ [`sha256:${documentHash(VIEWER)}`]: VIEWER }));
    const prefixed = await startTestApp({ TRUSTED_DOCUMENTS: file });
    try {
      const response = await fetch(prefixed.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await prefixed.token(COORDINATOR)}` },
        body: JSON.stringify({ documentId: `sha256:${documentHash(VIEWER)}` }),
      });
      expect((await response.json()).data.viewer.role).toBe('COORDINATOR');
    } finally {
      await prefixed.close();
    }
    fs.writeFileSync(file, JSON.stringify({ [`sha256:${documentHash(GMINA)}`]: VIEWER }));
    await expect(startTestApp({ TRUSTED_DOCUMENTS: file })).rejects.toThrow(/not the sha256 of its document/);
  });

  it('stops the server at start on an Apollo manifest that is not one it understands', async () => {
    const file = path.join(dir, 'bad-apollo.json');
    const cases: [unknown, RegExp][] = [
      [apolloManifest([{ id: documentHash(GMINA), name: 'Viewer', type: 'query', body: VIEWER }]), /not the sha256 of its document/],
      [{ ...apolloManifest([]), version: 2 }, /version 2/],
      [apolloManifest([{ id: 'x', name: 'X', type: 'query' }]), /needs a string id and body/],
      [apolloManifest([{ id: 'x', name: 'X', type: 'query', body: 'query {' }]), /does not parse/],
      [[VIEWER], /must hold/],
    ];
    for (const [manifest, error] of cases) {
      fs.writeFileSync(file, JSON.stringify(manifest));
      await expect(startTestApp({ TRUSTED_DOCUMENTS: file })).rejects.toThrow(error);
    }
  });
});

describe('the manifest', () => {
  it("is checked at start: an entry whose key is not its document's sha256 stops the server from starting", async () => {
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, JSON.stringify({ [documentHash(VIEWER)]: GMINA }));
    await expect(startTestApp({ TRUSTED_DOCUMENTS: bad })).rejects.toThrow(/not the sha256 of its document/);
    await expect(startTestApp({ TRUSTED_DOCUMENTS: path.join(dir, 'missing.json') })).rejects.toThrow(/cannot read/);
  });
});
