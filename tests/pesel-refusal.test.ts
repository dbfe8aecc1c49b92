import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { rawAsApp, rawAsOwner, Role, startTestApp, type TestApp, type Who } from './support/app.js';
import { createUnit } from './support/fixtures.js';
import { sessionVariables } from '../src/platform/auth/principal.js';
import { fromGlobalId } from '../src/platform/graphql/node.js';

/**
 * Issue 17, gap c: in a centre serving two gminy, refusing a PESEL that the other gmina's record holds
 * told the writer that record's id and gmina, though its token does not cover that gmina, and nothing
 * was logged. The refusal now names the record only where the writer reads it, and is logged as a read
 * of that record in its gmina's access log, on create and on update. A residentUpdate that makes a
 * record look like another of the centre warns as residentCreate does.
 * Gminy (lubuskie, powiat żagański): A Brzeźnica (0810032) and B Niegosławice (0810062), one
 * inter-municipal unit serving both.
 */
const A = '0810032';
const B = '0810062';

const coordinatorA: Who = { role: Role.COORDINATOR, gminy: [A] };
const coordinatorB: Who = { role: Role.COORDINATOR, gminy: [B] };
const directorAB: Who = { role: Role.DIRECTOR, gminy: [A, B] };

const WEIGHTS = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
let serial = 700;
/** A valid PESEL of someone born on `date` (20th century), a new serial number each call. */
function pesel(date: string, sex: 'FEMALE' | 'MALE'): string {
  const [y, m, d] = date.split('-').map(Number);
  serial += 1;
  const first10 =
    [y % 100, m, d].map((n) => String(n).padStart(2, '0')).join('') + String(serial % 1000).padStart(3, '0') + ((serial % 5) * 2 + (sex === 'MALE' ? 1 : 0));
  return first10 + ((10 - (WEIGHTS.reduce((s, w, i) => s + w * Number(first10[i]), 0) % 10)) % 10);
}

const CREATE = `mutation($input: ResidentCreateInput!) { residentCreate(input: $input) {
  resident { id version gmina { terc } } warnings possibleDuplicates { id } userErrors { field message code existingId } } }`;
const UPDATE = `mutation($input: ResidentUpdateInput!) { residentUpdate(input: $input) {
  resident { id version } warnings possibleDuplicates { id firstName lastName birthDate } userErrors { field message code existingId } } }`;
const LOG = `query($id: ID!) { residentAccessLog(residentId: $id, first: 50) { nodes { subject role operation } } }`;

let app: TestApp;
let tokenB: string;
beforeAll(async () => {
  app = await startTestApp();
  await createUnit(app, A, { servedGminy: [A, B], creationMode: 'INTERMUNICIPAL_AGREEMENT', agreement: { number: 'POR.17.2024', date: '2023-12-10' } });
  tokenB = await app.token(coordinatorB, { subject: 'koordynatorka-b' });
});
afterAll(async () => {
  await app.close();
});

const rawId = (globalId: string) => fromGlobalId(globalId).key;

async function register(who: Who | string, input: Record<string, unknown>) {
  const res = await app.gql(who, CREATE, { input: { firstName: 'Halina', lastName: 'Graniczna', ...input } });
  expect(res.body.errors).toBeUndefined();
  expect(res.body.data.residentCreate.userErrors).toEqual([]);
  return res.body.data.residentCreate.resident;
}

/** The holder's log as its gmina's director reads it: the rows naming the writer of gmina B. */
async function readsByB(holderId: string) {
  const res = await app.gql(directorAB, LOG, { id: holderId });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.residentAccessLog.nodes.filter((n: { subject: string }) => n.subject === 'koordynatorka-b');
}

describe("a PESEL refused as another gmina's record of the centre", () => {
  test("on create: B's coordinator learns neither the record's id nor its gmina, and A's log shows the read", async () => {
    const number = pesel('1941-03-12', 'FEMALE');
    const holder = await register(coordinatorA, { pesel: number, gmina: A });
    expect(await readsByB(holder.id)).toEqual([]);

    const again = await app.gql(tokenB, CREATE, { input: { firstName: 'Halina', lastName: 'Graniczna', pesel: number, gmina: B } });
    expect(again.body.errors).toBeUndefined();
    const [refusal] = again.body.data.residentCreate.userErrors;
    expect(again.body.data.residentCreate.resident).toBeNull();
    expect(refusal).toMatchObject({ field: ['input', 'pesel'], code: 'DUPLICATE', existingId: null });
    expect(refusal.message).not.toContain(A);
    expect(refusal.message).not.toContain(rawId(holder.id));
    expect(refusal.message).toContain('elsewhere in this centre');

    expect(await readsByB(holder.id)).toEqual([
      { subject: 'koordynatorka-b', role: 'COORDINATOR', operation: 'mutation residentCreate: PESEL refused as DUPLICATE, held by this record' },
    ]);
    const [row] = await rawAsOwner<{ gmina_id: number }>(`select gmina_id from resident_access_log where resident_id = $1 and subject = 'koordynatorka-b'`, [
      rawId(holder.id),
    ]);
    expect(row.gmina_id).toBe(Number(A));
  });

  test("on update: giving a record of B the PESEL of A's record is refused the same way and logged", async () => {
    const number = pesel('1943-08-21', 'MALE');
    const holder = await register(coordinatorA, { firstName: 'Józef', pesel: number, gmina: A });
    const other = await register(tokenB, { firstName: 'Kazimierz', lastName: 'Inny', gmina: B });

    const res = await app.gql(tokenB, UPDATE, { input: { id: other.id, version: other.version, pesel: number } });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.residentUpdate.resident).toBeNull();
    const [refusal] = res.body.data.residentUpdate.userErrors;
    expect(refusal).toMatchObject({ field: ['input', 'pesel'], code: 'DUPLICATE', existingId: null });
    expect(refusal.message).not.toContain(A);
    expect(await readsByB(holder.id)).toEqual([
      { subject: 'koordynatorka-b', role: 'COORDINATOR', operation: 'mutation residentUpdate: PESEL refused as DUPLICATE, held by this record' },
    ]);
    const [kept] = await rawAsOwner<{ pesel: string | null }>('select pesel from resident where id = $1', [rawId(other.id)]);
    expect(kept.pesel).toBeNull();
  });

  test('a writer who reads the record is told which it is (id and gmina), and that read is logged too', async () => {
    const number = pesel('1945-05-09', 'FEMALE');
    const holder = await register(coordinatorA, { pesel: number, gmina: A });
    const director = await app.token(directorAB, { subject: 'dyrektor-ab' });
    const again = await app.gql(director, CREATE, { input: { firstName: 'Halina', lastName: 'Graniczna', pesel: number, gmina: B } });
    expect(again.body.data.residentCreate.userErrors).toEqual([
      { field: ['input', 'pesel'], code: 'DUPLICATE', existingId: holder.id, message: expect.stringContaining(A) },
    ]);
    const logged = await rawAsOwner<{ operation: string }>(`select operation from resident_access_log where resident_id = $1 and subject = 'dyrektor-ab'`, [
      rawId(holder.id),
    ]);
    expect(logged.map((r) => r.operation)).toEqual(['mutation residentCreate: PESEL refused as DUPLICATE, held by this record']);
  });

  test("as the app's database role, the refusal does not name the record either", async () => {
    const number = pesel('1949-12-24', 'MALE');
    const holder = await register(coordinatorA, { pesel: number, gmina: A });
    const settings = sessionVariables({ subject: 'raw-b', role: Role.COORDINATOR, gminy: [Number(B)], partnerId: null });
    const refused = await rawAsApp(
      `insert into resident (gmina_id, first_name, last_name, pesel) values ($1, 'Jan', 'Surowy', $2)`,
      [Number(B), number],
      settings,
    ).catch((e: { code?: string; detail?: string; message: string }) => e);
    expect(refused).toMatchObject({ code: '23505' });
    const told = JSON.stringify({ message: (refused as Error).message, detail: (refused as { detail?: string }).detail ?? null });
    expect(told).not.toContain(rawId(holder.id));
    expect(told).not.toContain(A);
  });

  test('the logging function is narrow: record keepers only, for a gmina of their own token, as residentCreate or residentUpdate', async () => {
    const number = pesel('1952-07-07', 'FEMALE');
    await register(coordinatorA, { pesel: number, gmina: A });
    const call = (who: { role: Role; gminy: string[] }, gmina: string, field: string) =>
      rawAsApp(
        'select app.log_pesel_refusal($1, $2, $3)',
        [number, Number(gmina), field],
        sessionVariables({ subject: 'raw', role: who.role, gminy: who.gminy.map(Number), partnerId: null }),
      ).then(
        () => 'logged',
        (e: { code?: string }) => e.code,
      );
    expect(await call({ role: Role.SERVICES_ORGANISER, gminy: [B] }, B, 'residentCreate')).toBe('42501');
    expect(await call({ role: Role.COORDINATOR, gminy: [B] }, A, 'residentCreate')).toBe('42501');
    expect(await call({ role: Role.COORDINATOR, gminy: [B] }, B, 'residents')).toBe('22023');
    expect(await call({ role: Role.COORDINATOR, gminy: [B] }, B, 'residentCreate')).toBe('logged');
  });
});

describe('residentUpdate warns of a close match as residentCreate does', () => {
  test('changing names and birth date to those of another record of the centre brings it as a possible duplicate', async () => {
    const held = await register(coordinatorA, { firstName: 'Stanisława', lastName: 'Przygraniczna', birthDate: '1938-02-14', gmina: A });
    const other = await register(directorAB, { firstName: 'Genowefa', lastName: 'Zupełnieinna', birthDate: '1961-10-10', gmina: B });
    const res = await app.gql(directorAB, UPDATE, {
      input: { id: other.id, version: other.version, firstName: 'Stanisława', lastName: 'Przygranicna', birthDate: '1938-02-14' },
    });
    expect(res.body.errors).toBeUndefined();
    const payload = res.body.data.residentUpdate;
    expect(payload.userErrors).toEqual([]);
    expect(payload.resident).toEqual({ id: other.id, version: other.version + 1 });
    expect(payload.warnings).toHaveLength(1);
    expect(payload.possibleDuplicates).toEqual([{ id: held.id, firstName: 'Stanisława', lastName: 'Przygraniczna', birthDate: '1938-02-14' }]);

    // The same warning as residentCreate gives for the same names and date.
    const created = await app.gql(directorAB, CREATE, { input: { firstName: 'Stanisława', lastName: 'Przygranicna', birthDate: '1938-02-14', gmina: B } });
    expect(created.body.data.residentCreate.warnings).toEqual(payload.warnings);
  });

  test('an update that leaves names, birth date, PESEL and sex as they were warns of nothing', async () => {
    await register(coordinatorA, { firstName: 'Leokadia', lastName: 'Bliźniacza', birthDate: '1940-06-01', gmina: A });
    const twin = await register(directorAB, { firstName: 'Leokadia', lastName: 'Bliźniacza', birthDate: '1940-06-01', gmina: B });
    const res = await app.gql(directorAB, UPDATE, { input: { id: twin.id, version: twin.version, contact: { phone: '+48 600 100 200' } } });
    expect(res.body.data.residentUpdate).toMatchObject({ userErrors: [], warnings: [], possibleDuplicates: [] });
  });

  test('a coordinator of B is warned only of records it reads', async () => {
    await register(coordinatorA, { firstName: 'Bronisława', lastName: 'Ukryta', birthDate: '1939-11-30', gmina: A });
    const other = await register(tokenB, { firstName: 'Czesława', lastName: 'Jawna', birthDate: '1962-01-01', gmina: B });
    const res = await app.gql(tokenB, UPDATE, {
      input: { id: other.id, version: other.version, firstName: 'Bronisława', lastName: 'Ukryta', birthDate: '1939-11-30' },
    });
    expect(res.body.data.residentUpdate).toMatchObject({ userErrors: [], warnings: [], possibleDuplicates: [] });
  });
});
