import { Role, unique, type TestApp, type Who } from './app.js';
import { addDays, mutate, staff, today } from './fixtures.js';
import type { PlanWorld } from './plan-world.js';
import { fromGlobalId } from '../../src/platform/graphql/node.js';

/**
 * What the suites of commissioning, deliveries and settlements set up the same way on a planWorld,
 * through the API: a partner, an active commission of it for the world's service, a plan taken from
 * draft to ACTIVE.
 */

export interface PartnerRef {
  id: string;
  /** The uuid inside the global id, as tokens and the database name it. */
  key: string;
  /** A user of the partner. */
  who: Who;
}

/** A random NIP with a correct check digit (computed here, independently of the code under test), never starting with 0 as no tax office's code does; runs never collide on the unique NIP. */
export function validNip(): string {
  const weights = [6, 5, 7, 2, 3, 4, 5, 6, 7];
  for (;;) {
    const prefix = Array.from({ length: 9 }, (_, i) => (i === 0 ? 1 + Math.floor(Math.random() * 9) : Math.floor(Math.random() * 10))).join('');
    const check = weights.reduce((sum, w, i) => sum + w * Number(prefix[i]), 0) % 11;
    if (check !== 10) return prefix + check;
  }
}

/** An NGO working in `gmina`, registered by its director under a unique `name` and a valid NIP. */
export async function registerPartner(app: TestApp, gmina: string, name: string): Promise<PartnerRef> {
  const created = await mutate(app, staff(Role.DIRECTOR, gmina), 'partnerCreate', 'PartnerCreateInput', 'partner { id }', {
    name: unique(name),
    kind: 'NGO',
    gminy: [gmina],
    nip: validNip(),
  });
  const key = fromGlobalId(created.partner.id).key;
  return { id: created.partner.id as string, key, who: { role: Role.PARTNER, partner: key } };
}

/**
 * A commission of the world's unit to the partner for the world's service, made and activated by the
 * services organiser: 500 hours at 50 zł from 30 days ago for a year, unless `terms` say otherwise.
 */
export async function activeCommission(
  app: TestApp,
  world: PlanWorld,
  partnerId: string,
  terms: Record<string, unknown> = {},
): Promise<{ id: string; key: string; version: number }> {
  const created = await mutate(app, world.organiser, 'commissionCreate', 'CommissionCreateInput', 'commission { id version }', {
    cusUnitId: world.unitId,
    partnerId,
    title: unique('Usługi opiekuńcze'),
    procedure: 'OPEN_CALL',
    serviceIds: [world.serviceId],
    agreementNumber: unique('CUS.526'),
    periodStart: addDays(today(), -30),
    periodEnd: addDays(today(), 330),
    budget: '50000.00',
    unitPrice: '50.00',
    volume: 500,
    volumeUnit: 'HOURS',
    ...terms,
  });
  const { id, version } = created.commission as { id: string; version: number };
  const activated = await mutate(app, world.organiser, 'commissionActivate', 'CommissionStatusInput', 'commission { id version }', { id, version });
  return { id, key: fromGlobalId(id).key, version: activated.commission.version as number };
}

/**
 * A plan item given by `partnerId` under `commissionId`, as ipusCreate and ipusUpdate take it: the world's service
 * at the resident's home, Mondays 09:00-10:00 from today for 60 days, 6 hours, unless `extra` says otherwise.
 */
export function partnerItemInput(world: Pick<PlanWorld, 'serviceId'>, partnerId: string, commissionId: string, extra: Record<string, unknown> = {}) {
  return {
    goal: 1,
    serviceId: world.serviceId,
    provider: 'PARTNER',
    partnerId,
    commissionId,
    place: 'RESIDENT_HOME',
    weekly: { weekdays: ['MO'], startsAt: '09:00', endsAt: '10:00' },
    startOn: today(),
    endOn: addDays(today(), 60),
    quantity: 6,
    quantityUnit: 'HOURS',
    ...extra,
  };
}

/** Takes a draft to ACTIVE (see plan-world.ts); kept exported here for the suites that set up commissions. */
export { activatePlan } from './plan-world.js';
