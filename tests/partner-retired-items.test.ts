import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, unique, type TestApp } from './support/app.js';
import { planWorld, type PlanWorld } from './support/plan-world.js';
import { mutate, tryMutate } from './support/fixtures.js';

/**
 * A partner the plan's gmina has retired takes no new plan items there (issue 17, item 1: each gmina's
 * relationship with a partner is its own). Before, a plan item only checked that the partner worked
 * in the gmina, so a partner the centre had retired could still be named.
 */
let app: TestApp;
let world: PlanWorld;

beforeAll(async () => {
  app = await startTestApp();
  world = await planWorld(app, '3218032', '3261011');
}, 90_000);
afterAll(() => app?.close());

const partnerItemErrors = async (partnerId: string) => {
  const { applicationId } = await world.application();
  const input = world.draftInput(applicationId) as { items: Record<string, unknown>[] };
  input.items = [{ ...input.items[0], provider: 'PARTNER', partnerId }];
  const res = await tryMutate(app, world.coordinator, 'ipusCreate', 'IpusCreateInput', 'ipus { id }', input);
  expect(res.body.errors).toBeUndefined();
  return (res.body.data.ipusCreate.userErrors as { field: string[]; code: string }[]).filter((e) => e.field.join('.').endsWith('partnerId'));
};

describe('plan items and a partner the gmina retired', () => {
  it('an item naming it is NOT_ALLOWED; while it was active, its partner was not the objection', async () => {
    const created = await mutate(app, world.director, 'partnerCreate', 'PartnerCreateInput', 'partner { id version }', {
      name: unique('Fundacja Opieki'),
      kind: 'NGO',
      gminy: [world.gmina],
    });
    const partner = created.partner;
    expect(await partnerItemErrors(partner.id)).toEqual([]);
    await mutate(app, world.director, 'partnerRetire', 'PartnerStatusChangeInput', 'partner { status }', { id: partner.id, version: partner.version });
    const refused = await partnerItemErrors(partner.id);
    expect(refused.map((e) => e.code)).toEqual(['NOT_ALLOWED']);
  });
});
