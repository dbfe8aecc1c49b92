import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Role, startTestApp, type TestApp, type Who } from './support/app.js';
import { createUnit } from './support/fixtures.js';
import { fromGlobalId } from '../src/platform/graphql/node.js';

/**
 * Issue 17, gap c: `viewer { cusUnit }` tells a client which CUS unit its token acts for: the unit its
 * `cus_unit` claim names, also where a gmina is served by two units; null for roles without a unit.
 * Gminy (podkarpackie, powiat lubaczowski): Horyniec-Zdrój (1809032), served by its own statutory
 * centre and, with Lubaczów (1809042), by an inter-municipal unit that is not statutory.
 */
const G = '1809032';
const H = '1809042';

const VIEWER = '{ viewer { role cusUnit { id name statutory } } }';

let app: TestApp;
let own: { id: string; name: string };
let joint: { id: string; name: string };
beforeAll(async () => {
  app = await startTestApp();
  ({ unit: own } = await createUnit(app, G, { statutory: true }));
  ({ unit: joint } = await createUnit(app, H, {
    servedGminy: [H, G],
    creationMode: 'INTERMUNICIPAL_AGREEMENT',
    agreement: { number: 'POR.3.2024', date: '2023-11-20' },
  }));
});
afterAll(async () => {
  await app.close();
});

/** The token's `cus_unit` claim is the unit's UUID. */
const claim = (unit: { id: string }) => fromGlobalId(unit.id).key;

async function viewerOf(who: Who) {
  const res = await app.gql(who, VIEWER);
  expect(res.body.errors).toBeUndefined();
  return res.body.data.viewer;
}

describe('viewer { cusUnit }', () => {
  test('each staff role reads the unit its token names, with its statutory status', async () => {
    for (const role of [Role.DIRECTOR, Role.SERVICES_ORGANISER, Role.COORDINATOR, Role.COMMUNITY_ORGANISER]) {
      expect(await viewerOf({ role, gminy: [G], unit: claim(own) })).toEqual({ role, cusUnit: { id: own.id, name: own.name, statutory: true } });
    }
  });

  test("where two units serve the gmina, it is the token's unit, not the other", async () => {
    expect(await viewerOf({ role: Role.COORDINATOR, gminy: [G], unit: claim(joint) })).toEqual({
      role: Role.COORDINATOR,
      cusUnit: { id: joint.id, name: joint.name, statutory: false },
    });
    expect(await viewerOf({ role: Role.DIRECTOR, gminy: [G, H], unit: claim(joint) })).toEqual({
      role: Role.DIRECTOR,
      cusUnit: { id: joint.id, name: joint.name, statutory: false },
    });
  });

  test('roles that belong to no unit read null', async () => {
    for (const who of [
      { role: Role.GMINA_OFFICIAL, gminy: [G] },
      { role: Role.PARTNER, partner: '0193a000-0000-7000-8000-0000000000aa' },
      { role: Role.MINISTRY },
      { role: Role.PLATFORM_ADMIN },
    ] as Who[]) {
      expect(await viewerOf(who)).toEqual({ role: who.role, cusUnit: null });
    }
  });
});
