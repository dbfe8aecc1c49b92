import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { SignJWT } from 'jose';
import { DEV_ALG, DEV_AUDIENCE, DEV_ISSUER, loadDevKeys } from '../src/platform/auth/dev-key.js';
import { DEMO_UNITS } from '../seeds/demo-units.js';
import { codes, Role, startTestApp, testConfig, unique, type TestApp } from './support/app.js';
import { createUnit, mutate, staff } from './support/fixtures.js';
import { fromGlobalId } from '../src/platform/graphql/node.js';

/**
 * The door (issue 17, items 10 and 11): a token signed with the right key is still refused, with 401
 * over HTTP and 4403 over WebSocket, when what it names is not real. Staff belong to a unit (the
 * `cus_unit` claim) and may name only gminy that unit serves: a token naming the gminy of two unrelated
 * centres saw both. A subject must be there, gminy must be in the register, a partner must be in the
 * register and not retired.
 *
 * Tokens here are signed by hand with the development key, claim by claim, so that each one carries
 * exactly what the attack needs, whatever the test helpers add.
 */
const WIAZOWNA = '1417082';
const KOBYLKA = '1434011';
const KOLBIEL = '1417052';
const CELESTYNOW = '1417032';
/** Gminy of this file: a unit of its own for the partner it retires. */
const HRUBIESZOW = '0604011';
/** Well-formed TERC codes of gminy that do not exist (powiat 0604 has no 09th gmina; 1417 no 99th). */
const NO_SUCH_GMINA = '0604093';
const NO_SUCH_GMINA_2 = '1417991';
/** An active demo partner (Spółdzielnia Socjalna „Wspólna Sprawa”). */
const DEMO_PARTNER = '0193a000-0000-7000-8010-000000000004';

let app: TestApp;
let retiredPartner: string;
let keys: Awaited<ReturnType<typeof loadDevKeys>>;

beforeAll(async () => {
  app = await startTestApp();
  keys = await loadDevKeys(testConfig.devKeyFile);
  await createUnit(app, HRUBIESZOW);
  const director = staff(Role.DIRECTOR, HRUBIESZOW);
  const created = await mutate(app, director, 'partnerCreate', 'PartnerCreateInput', 'partner { id version }', {
    name: unique('Fundacja Zamknięta'),
    kind: 'NGO',
    gminy: [HRUBIESZOW],
  });
  await mutate(app, director, 'partnerRetire', 'PartnerStatusChangeInput', 'partner { status }', { id: created.partner.id, version: created.partner.version });
  retiredPartner = fromGlobalId(created.partner.id).key;
}, 60_000);
afterAll(async () => {
  await app.close();
});

/** A development token with exactly these claims (`sub` left out when null). */
async function sign(claims: Record<string, unknown>, subject: string | null = 'door-test'): Promise<string> {
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: DEV_ALG, kid: keys.kid })
    .setIssuer(DEV_ISSUER)
    .setAudience(DEV_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('10m');
  if (subject !== null) jwt.setSubject(subject);
  return jwt.sign(keys.privateKey);
}

/** What a WebSocket connection_init with this token gets: its close code, or 'ack'. */
async function wsAnswer(token: string): Promise<number | 'ack'> {
  const socket = new WebSocket(app.wsUrl, 'graphql-transport-ws');
  const answer = new Promise<number | 'ack'>((resolve) => {
    socket.on('message', (data) => {
      if (JSON.parse(String(data)).type === 'connection_ack') resolve('ack');
    });
    socket.on('close', (code) => resolve(code));
  });
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
  const result = await answer;
  socket.close();
  return result;
}

const UNITS = '{ viewer { role } cusUnits(first: 50) { nodes { name gminy { terc } } } }';

describe('admitted: what a token names is real', () => {
  const admitted: [string, Record<string, unknown>][] = [
    ['a director of Wiązowna with its unit', { role: 'DIRECTOR', gminy: [WIAZOWNA], cus_unit: DEMO_UNITS.wiazowna }],
    [
      'a coordinator of the unit of Kołbiel and Celestynów, both its gminy',
      { role: 'COORDINATOR', gminy: [KOLBIEL, CELESTYNOW], cus_unit: DEMO_UNITS.kolbielCelestynow },
    ],
    ['a coordinator of that unit for one of its gminy', { role: 'COORDINATOR', gminy: [CELESTYNOW], cus_unit: DEMO_UNITS.kolbielCelestynow }],
    ['a gmina official of Kobyłka', { role: 'GMINA_OFFICIAL', gminy: [KOBYLKA] }],
    ['an active partner', { role: 'PARTNER', partner_id: DEMO_PARTNER }],
    ['the ministry', { role: 'MINISTRY' }],
    ['the platform administrator', { role: 'PLATFORM_ADMIN' }],
  ];
  it.each(admitted)('%s: HTTP 200, WebSocket acknowledged', async (_label, claims) => {
    const token = await sign(claims);
    const res = await app.gql(token, '{ viewer { role } }');
    expect({ status: res.status, errors: res.body.errors }).toEqual({ status: 200, errors: undefined });
    expect(await wsAnswer(token)).toBe('ack');
  });

  it('staff see the units serving their gminy, and no other', async () => {
    const res = await app.gql(await sign({ role: 'DIRECTOR', gminy: [WIAZOWNA], cus_unit: DEMO_UNITS.wiazowna }), UNITS);
    const terc = res.body.data.cusUnits.nodes.flatMap((u: { gminy: { terc: string }[] }) => u.gminy.map((g) => g.terc));
    expect(new Set(terc)).toEqual(new Set([WIAZOWNA]));
  });
});

describe('refused at the door: 401 over HTTP, 4403 over WebSocket', () => {
  const refused: [string, () => Promise<string>][] = [
    ['an empty subject', () => sign({ role: 'MINISTRY' }, '')],
    ['a blank subject', () => sign({ role: 'COORDINATOR', gminy: [WIAZOWNA], cus_unit: DEMO_UNITS.wiazowna }, '   ')],
    ['no subject', () => sign({ role: 'MINISTRY' }, null)],
    ['a subject longer than an OpenID subject may be', () => sign({ role: 'MINISTRY' }, 'x'.repeat(256))],
    ['a gmina official of a gmina that does not exist', () => sign({ role: 'GMINA_OFFICIAL', gminy: [NO_SUCH_GMINA] })],
    ['a gmina official of a real gmina and one that does not exist', () => sign({ role: 'GMINA_OFFICIAL', gminy: [KOBYLKA, NO_SUCH_GMINA_2] })],
    [
      'staff naming the gminy of two unrelated centres, with the unit of one',
      () => sign({ role: 'DIRECTOR', gminy: [WIAZOWNA, KOBYLKA], cus_unit: DEMO_UNITS.wiazowna }),
    ],
    ['staff naming the gminy of two unrelated centres, with no unit', () => sign({ role: 'DIRECTOR', gminy: [WIAZOWNA, KOBYLKA] })],
    ['staff naming a gmina their unit does not serve', () => sign({ role: 'COORDINATOR', gminy: [KOBYLKA], cus_unit: DEMO_UNITS.wiazowna })],
    ['staff with no unit', () => sign({ role: 'SERVICES_ORGANISER', gminy: [WIAZOWNA] })],
    ['staff of a unit that does not exist', () => sign({ role: 'COMMUNITY_ORGANISER', gminy: [WIAZOWNA], cus_unit: randomUUID() })],
    ['staff whose unit is not a UUID', () => sign({ role: 'COORDINATOR', gminy: [WIAZOWNA], cus_unit: 'wiazowna' })],
    [
      'staff naming a gmina that does not exist, with a real unit',
      () => sign({ role: 'DIRECTOR', gminy: [WIAZOWNA, NO_SUCH_GMINA_2], cus_unit: DEMO_UNITS.wiazowna }),
    ],
    ['a gmina official naming a unit', () => sign({ role: 'GMINA_OFFICIAL', gminy: [WIAZOWNA], cus_unit: DEMO_UNITS.wiazowna })],
    ['the ministry naming a unit', () => sign({ role: 'MINISTRY', cus_unit: DEMO_UNITS.wiazowna })],
    ['a retired partner', () => sign({ role: 'PARTNER', partner_id: retiredPartner })],
    ['a partner that is not in the register', () => sign({ role: 'PARTNER', partner_id: randomUUID() })],
  ];
  it.each(refused)('%s', async (_label, token) => {
    const bearer = await token();
    const res = await app.gql(bearer, UNITS);
    expect({ status: res.status, codes: codes(res), data: res.body.data }).toEqual({ status: 401, codes: ['UNAUTHENTICATED'], data: undefined });
    expect(await wsAnswer(bearer)).toBe(4403);
  });

  it('says why, in a sentence', async () => {
    const twoCentres = await app.gql(await sign({ role: 'DIRECTOR', gminy: [WIAZOWNA, KOBYLKA], cus_unit: DEMO_UNITS.wiazowna }), UNITS);
    expect(twoCentres.body.errors?.[0].message).toMatch(new RegExp(`does not serve.*${KOBYLKA}`));
    const nowhere = await app.gql(await sign({ role: 'GMINA_OFFICIAL', gminy: [NO_SUCH_GMINA] }), UNITS);
    expect(nowhere.body.errors?.[0].message).toMatch(new RegExp(`not in the TERYT register.*${NO_SUCH_GMINA}`));
    const retired = await app.gql(await sign({ role: 'PARTNER', partner_id: retiredPartner }), UNITS);
    expect(retired.body.errors?.[0].message).toMatch(/retired/);
  });
});
