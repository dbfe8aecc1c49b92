import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { rawAsApp, Role, startTestApp, unique, type TestApp, type Who } from './support/app.js';
import { ADMIN } from './support/fixtures.js';
import { sessionVariables } from '../src/platform/auth/principal.js';
import { fromGlobalId } from '../src/platform/graphql/node.js';

/**
 * One statutory CUS per gmina (issue 17, item 9): a second statutory unit was created for a gmina
 * that had one. Every gmina served by a statutory unit is served by no other statutory unit; a unit
 * that is not statutory (a local unit called "CUS" without being one) may serve it beside.
 * Gminy (lubuskie, powiat strzelecko-drezdenecki): P Dobiegniew (0806013), Q Drezdenko (0806023),
 * R Stare Kurowo (0806032), S Strzelce Krajeńskie (0806043), T Zwierzyn (0806052).
 */
const P = '0806013';
const Q = '0806023';
const R = '0806032';
const S = '0806043';
const T = '0806052';

const UNIT = 'id version statutory gminy { terc }';
const CREATE = `mutation($input: CusUnitCreateInput!) { cusUnitCreate(input: $input) { cusUnit { ${UNIT} } userErrors { field message code existingId } } }`;
const UPDATE = `mutation($input: CusUnitUpdateInput!) { cusUnitUpdate(input: $input) { cusUnit { ${UNIT} } userErrors { field message code existingId } } }`;

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(async () => {
  await app.close();
});

const input = (seatGmina: string, over: Record<string, unknown> = {}) => ({
  name: unique('CUS'),
  seatGmina,
  seatAddress: { street: 'ul. Rynek 1', postalCode: '66-520', city: 'Dobiegniew' },
  creationMode: 'OPS_TRANSFORMED',
  startDate: '2024-01-01',
  ...over,
});
const intermunicipal = (gminy: string[], over: Record<string, unknown> = {}) =>
  input(gminy[0], {
    servedGminy: gminy,
    creationMode: 'INTERMUNICIPAL_AGREEMENT',
    agreement: { number: 'POR.9.2024', date: '2023-12-01' },
    ...over,
  });

async function create(who: Who, values: Record<string, unknown>) {
  const res = await app.gql(who, CREATE, { input: values });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.cusUnitCreate;
}
const unitsOf = async (gmina: string) =>
  (await app.gql(ADMIN, `{ cusUnits(first: 50, filter: { gmina: "${gmina}" }) { nodes { id statutory } } }`)).body.data.cusUnits.nodes;

describe('one statutory CUS per gmina', () => {
  let statutoryP: { id: string; version: number };
  let localP: { id: string; version: number };

  test('a second statutory unit for a gmina is DUPLICATE naming the existing one, and nothing is created', async () => {
    const first = await create(ADMIN, input(P));
    expect(first.userErrors).toEqual([]);
    expect(first.cusUnit.statutory).toBe(true);
    statutoryP = first.cusUnit;

    const second = await create(ADMIN, input(P));
    expect(second.cusUnit).toBeNull();
    expect(second.userErrors).toEqual([{ field: ['input', 'seatGmina'], code: 'DUPLICATE', existingId: statutoryP.id, message: expect.stringContaining(P) }]);
    expect(await unitsOf(P)).toEqual([{ id: statutoryP.id, statutory: true }]);
  });

  test('a unit that is not statutory may serve the gmina beside it', async () => {
    const local = await create(ADMIN, input(P, { statutory: false }));
    expect(local.userErrors).toEqual([]);
    localP = local.cusUnit;
    expect((await unitsOf(P)).map((u: { statutory: boolean }) => u.statutory).sort()).toEqual([false, true]);
  });

  test('an inter-municipal statutory unit may not take in a gmina that has one', async () => {
    const ofQ = await create(ADMIN, input(Q));
    expect(ofQ.userErrors).toEqual([]);
    const both = await create(ADMIN, intermunicipal([R, Q]));
    expect(both.cusUnit).toBeNull();
    expect(both.userErrors).toEqual([expect.objectContaining({ field: ['input', 'servedGminy', '1'], code: 'DUPLICATE', existingId: ofQ.cusUnit.id })]);
    expect(await unitsOf(R)).toEqual([]);
  });

  test('cusUnitUpdate may not make the second unit statutory, as the administrator or as its director', async () => {
    for (const who of [ADMIN, { role: Role.DIRECTOR, gminy: [P] }]) {
      const res = await app.gql(who, UPDATE, { input: { id: localP.id, version: localP.version, statutory: true } });
      expect(res.body.data.cusUnitUpdate).toEqual({
        cusUnit: null,
        userErrors: [expect.objectContaining({ field: ['input', 'statutory'], code: 'DUPLICATE', existingId: statutoryP.id })],
      });
    }
    expect((await unitsOf(P)).find((u: { id: string }) => u.id === localP.id)).toEqual({ id: localP.id, statutory: false });
  });

  test('cusUnitUpdate may not add a served gmina that has a statutory unit', async () => {
    const rs = await create(ADMIN, intermunicipal([R, S]));
    expect(rs.userErrors).toEqual([]);
    const res = await app.gql(ADMIN, UPDATE, { input: { id: rs.cusUnit.id, version: rs.cusUnit.version, servedGminy: [R, S, P] } });
    expect(res.body.data.cusUnitUpdate).toEqual({
      cusUnit: null,
      userErrors: [expect.objectContaining({ field: ['input', 'servedGminy', '2'], code: 'DUPLICATE', existingId: statutoryP.id })],
    });
    expect(await unitsOf(P)).toHaveLength(2);
  });

  test('concurrent creations for one gmina: one statutory unit, the others DUPLICATE', async () => {
    const results = await Promise.all(Array.from({ length: 5 }, () => create(ADMIN, input(T))));
    expect(results.filter((r) => r.cusUnit !== null)).toHaveLength(1);
    for (const r of results.filter((r) => r.cusUnit === null)) expect(r.userErrors.map((e: { code: string }) => e.code)).toEqual(['DUPLICATE']);
    expect(await unitsOf(T)).toHaveLength(1);
  });

  test('the database refuses a second statutory unit, whatever the resolvers do', async () => {
    const admin = sessionVariables({ subject: 'raw', role: Role.PLATFORM_ADMIN, gminy: [], partnerId: null });
    const inserted = await rawAsApp(
      `insert into cus_unit (gmina_id, served_gmina_ids, name, seat_street, seat_postal_code, seat_city, creation_mode, start_date)
      values ($1, array[$1::int], 'Drugi CUS', 'ul. A 1', '66-520', 'Dobiegniew', 'OPS_TRANSFORMED', '2024-01-01') returning id`,
      [Number(P)],
      admin,
    ).catch((e: { code?: string }) => e);
    expect(inserted).toMatchObject({ code: '23505' });
    const promoted = await rawAsApp('update cus_unit set statutory = true where id = $1 returning id', [fromGlobalId(localP.id).key], admin).catch(
      (e: { code?: string }) => e,
    );
    expect(promoted).toMatchObject({ code: '23505' });
  });
});
