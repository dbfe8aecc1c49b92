import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { rawAsApp, rawAsOwner, Role, startTestApp, type TestApp, type Who } from './support/app.js';
import { errorsOf, mutate, tryMutate } from './support/fixtures.js';
import { planWorld, type PlanWorld } from './support/plan-world.js';
import { MAX_SCAN_BYTES } from '../src/modules/ipus-scan/scan-content.js';
import { fromGlobalId } from '../src/platform/graphql/node.js';
import { sessionVariables } from '../src/platform/auth/principal.js';

/**
 * The signed scan of a plan's agreement (issue 20, "Documents"): attached once the agreement is recorded,
 * a PDF, JPEG or PNG by its first bytes and not too big; every refusal writes nothing; the plan's readers
 * read and download it, another gmina neither attaches nor reads it.
 * Gminy (śląskie): A Blachownia (2404013), B Dąbrowa Zielona (2404022).
 */
const A = '2404013';
const B = '2404022';

let app: TestApp;
let world: PlanWorld;

const SCAN = 'scan { id fileName mediaType sizeBytes uploadedBy createdAt contentBase64 }';
const attach = (who: Who, input: Record<string, unknown>) => tryMutate(app, who, 'ipusAgreementScanAttach', 'IpusAgreementScanAttachInput', SCAN, input);
const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from('podpisany plan, zażółć gęślą jaźń\n%%EOF\n')]);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
const scanRows = async () => Number((await rawAsOwner<{ n: string }>('select count(*) as n from ipus_agreement_scan'))[0].n);

/** An ACTIVE plan (the resident's agreement recorded), or a DRAFT: its id. */
const plan = async (active = true): Promise<string> => (active ? await world.activePlan() : await world.draft()).id;

beforeAll(async () => {
  app = await startTestApp();
  world = await planWorld(app, A, B);
}, 60_000);
afterAll(() => app?.close());

describe("a plan's signed agreement scan", () => {
  test('refused when too big, not a PDF/JPEG/PNG, not base64, before the agreement, or for another gmina: nothing is written', async () => {
    const active = await plan();
    const draft = await plan(false);
    const before = await scanRows();
    const cases: [Who, Record<string, unknown>, [string, string][]][] = [
      [
        world.coordinator,
        { ipusId: active, fileName: 'duzy.pdf', contentBase64: Buffer.concat([PDF, Buffer.alloc(MAX_SCAN_BYTES)]).toString('base64') },
        [['input.contentBase64', 'OUT_OF_RANGE']],
      ],
      [
        world.coordinator,
        { ipusId: active, fileName: 'plan.docx', contentBase64: Buffer.from('PK\u0003\u0004 not a scan').toString('base64') },
        [['input.contentBase64', 'INVALID']],
      ],
      [world.coordinator, { ipusId: active, fileName: 'plan.pdf', contentBase64: 'to nie jest base64!' }, [['input.contentBase64', 'INVALID']]],
      [world.coordinator, { ipusId: draft, fileName: 'plan.pdf', contentBase64: PDF.toString('base64') }, [['input.ipusId', 'PREREQUISITE_MISSING']]],
      [world.otherCoordinator, { ipusId: active, fileName: 'plan.pdf', contentBase64: PDF.toString('base64') }, [['input.ipusId', 'NOT_FOUND']]],
    ];
    for (const [who, input, expected] of cases) {
      const res = await attach(who, input);
      expect(res.body.errors).toBeUndefined();
      expect(errorsOf(res, 'ipusAgreementScanAttach')).toEqual(expected);
      expect(res.body.data.ipusAgreementScanAttach.scan).toBeNull();
    }
    expect(await scanRows()).toBe(before);
  });

  test("the coordinator attaches it once; the plan's readers download it; another gmina cannot read it", async () => {
    const id = await plan();
    const attached = await mutate(app, world.coordinator, 'ipusAgreementScanAttach', 'IpusAgreementScanAttachInput', SCAN, {
      ipusId: id,
      fileName: 'ipus-podpisany.pdf',
      contentBase64: PDF.toString('base64'),
    });
    expect(attached.scan).toMatchObject({ fileName: 'ipus-podpisany.pdf', mediaType: 'application/pdf', sizeBytes: PDF.length });
    expect(Buffer.from(attached.scan.contentBase64, 'base64').equals(PDF)).toBe(true);

    const again = await attach(world.coordinator, { ipusId: id, fileName: 'drugi.png', contentBase64: PNG.toString('base64') });
    expect(errorsOf(again, 'ipusAgreementScanAttach')).toEqual([['input.ipusId', 'DUPLICATE']]);

    const read = `query($id: ID!, $scan: ID!) { ipus(id: $id) { agreedOn agreementScan { id fileName contentBase64 } } node(id: $scan) { id } }`;
    for (const who of [world.coordinator, world.organiser, world.director]) {
      const res = await app.gql(who, read, { id, scan: attached.scan.id });
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data.ipus.agreementScan).toMatchObject({ id: attached.scan.id, fileName: 'ipus-podpisany.pdf' });
      expect(Buffer.from(res.body.data.ipus.agreementScan.contentBase64, 'base64').equals(PDF)).toBe(true);
      expect(res.body.data.node).toEqual({ id: attached.scan.id });
    }
    const foreign = await app.gql(world.otherCoordinator, read, { id, scan: attached.scan.id });
    expect(foreign.body.data?.ipus ?? null).toBeNull();
    expect(foreign.body.data?.node ?? null).toBeNull();
    // Nor in the database: under another gmina's settings the row is not there; under the plan's own it is.
    const key = fromGlobalId(attached.scan.id).key;
    const sql = 'select id from ipus_agreement_scan where id = $1';
    const other = sessionVariables({ role: Role.DIRECTOR, gminy: [Number(B)], partnerId: null, subject: 'other' });
    expect(await rawAsApp(sql, [key], other)).toEqual([]);
    const mine = sessionVariables({ role: Role.DIRECTOR, gminy: [Number(A)], partnerId: null, subject: 'mine' });
    expect(await rawAsApp(sql, [key], mine)).toEqual([{ id: key }]);
  });
  test('attaches at once: one is kept, the others are DUPLICATE, not an internal error (found in review)', async () => {
    // Several plans, several attaches each, so that some pass the check together and meet at the unique index.
    for (const id of [await plan(), await plan(), await plan()]) {
      const all = await Promise.all(
        ['a', 'b', 'c', 'd'].map((name) => attach(world.coordinator, { ipusId: id, fileName: `${name}.pdf`, contentBase64: PDF.toString('base64') })),
      );
      const results = all.map((res) => {
        expect(res.body.errors).toBeUndefined();
        return errorsOf(res, 'ipusAgreementScanAttach');
      });
      const duplicate = [['input.ipusId', 'DUPLICATE']];
      expect(results.sort((a, b) => a.length - b.length)).toEqual([[], duplicate, duplicate, duplicate]);
      const rows = await rawAsOwner<{ n: string }>('select count(*) as n from ipus_agreement_scan where ipus_id = $1', [fromGlobalId(id).key]);
      expect(Number(rows[0].n)).toBe(1);
    }
  });
  test('reading a scan by its id is a read of the resident, logged as every other (found in review)', async () => {
    const id = await plan();
    const attached = await mutate(app, world.coordinator, 'ipusAgreementScanAttach', 'IpusAgreementScanAttachInput', SCAN, {
      ipusId: id,
      fileName: 'ipus.pdf',
      contentBase64: PDF.toString('base64'),
    });
    const residentKey = (await rawAsOwner<{ resident_id: string }>('select resident_id::text from ipus where id = $1', [fromGlobalId(id).key]))[0].resident_id;
    const subject = `scan-reader-${Date.now()}`;
    const token = await app.token(world.director, { subject });
    const res = await fetch(app.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: 'query($id: ID!) { node(id: $id) { ... on IpusAgreementScan { contentBase64 } } }', variables: { id: attached.scan.id } }),
    });
    const body = (await res.json()) as { data: { node: { contentBase64: string } } };
    expect(Buffer.from(body.data.node.contentBase64, 'base64').equals(PDF)).toBe(true);
    const log = await rawAsOwner<{ resident_id: string }>('select resident_id::text from resident_access_log where subject = $1', [subject]);
    expect(log.map((row) => row.resident_id)).toContain(residentKey);
  });
});
