import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Role, startTestApp, unique, type TestApp, type Who } from './support/app.js';
import { addDays, createService, mutate, staff, today } from './support/programme-fixtures.js';
import { planWorld, type PlanWorld } from './support/plan-world.js';
import { moveCommissionBack, movePlanBack, sessionDay } from './support/past-sessions.js';
import { fromGlobalId } from '../src/platform/graphql/node.js';
import { databaseMessages } from '../src/platform/database/orm-extension/round-trips.js';
import { CATALOGUE_SEARCH, COORDINATOR_DASHBOARD, PARTNER_WEEK } from '../bench/operations.js';

/**
 * Issue 7: statements per operation never grow with the number of rows returned. Scenarios 1-3 of
 * the benchmark (bench/operations.ts, the very documents it sends), each as its role, against a
 * world built through the API at two sizes: the number of SQL statements the server sends for each
 * is the same at both, while the rows they return grow.
 * Gminy (zachodniopomorskie) of this suite alone, so other suites' data change no count: Białogard
 * (3201011), and the rural gmina Białogard (3201022) as planWorld's other gmina.
 */
const GMINA = '3201011';
const OTHER = '3201022';
const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];

let app: TestApp;
let world: PlanWorld;
let partner: { id: string; who: Who };
let commissionId: string;

/**
 * Three days a week, the session day's among them (yesterday: a session is recorded on a past day,
 * so at any time of day), so the week from it holds the visits recorded.
 */
const sessionDayIndex = (new Date(`${sessionDay()}T12:00:00Z`).getUTCDay() + 6) % 7;
const PARTNER_DAYS = [0, 2, 4].map((offset) => WEEKDAYS[(sessionDayIndex + offset) % 7]);
/** The partner's items of a plan (positions 2 and 4) by their hours; sessions are recorded at the start. */
const PARTNER_HOURS = [
  { startsAt: '09:00', endsAt: '10:00' },
  { startsAt: '10:00', endsAt: '11:00' },
];

beforeAll(async () => {
  app = await startTestApp();
  world = await planWorld(app, GMINA, OTHER);
  const created = await mutate(app, world.director, 'partnerCreate', 'PartnerCreateInput', 'partner { id }', {
    name: unique('Spółdzielnia Socjalna Opieka'),
    kind: 'SOCIAL_ECONOMY',
    gminy: [GMINA],
  });
  partner = { id: created.partner.id, who: { role: Role.PARTNER, partner: fromGlobalId(created.partner.id).key } };
  const commission = await mutate(app, world.organiser, 'commissionCreate', 'CommissionCreateInput', 'commission { id version }', {
    cusUnitId: world.unitId,
    partnerId: partner.id,
    title: unique('Usługi opiekuńcze'),
    procedure: 'OPEN_CALL',
    serviceIds: [world.serviceId],
    agreementNumber: unique('CUS.526'),
    periodStart: addDays(today(), -30),
    periodEnd: addDays(today(), 330),
    budget: '100000.00',
    unitPrice: '50.00',
    volume: 1000,
    volumeUnit: 'HOURS',
    maxRecipients: 50,
  });
  await mutate(app, world.organiser, 'commissionActivate', 'CommissionStatusInput', 'commission { id }', {
    id: commission.commission.id,
    version: commission.commission.version,
  });
  commissionId = commission.commission.id;
  await moveCommissionBack(commissionId);
}, 60_000);
afterAll(async () => {
  await app.close();
});

/** Item `position` of a plan: odd ones by the CUS on Mondays and Thursdays, even ones by the partner under its commission. */
function item(position: number) {
  const common = {
    goal: 1,
    serviceId: world.serviceId,
    place: 'RESIDENT_HOME',
    startOn: today(),
    endOn: addDays(today(), 90),
    quantity: 2,
    quantityUnit: 'HOURS',
  };
  return position % 2 === 1
    ? { ...common, provider: 'CUS', weekly: { weekdays: ['MO', 'TH'], startsAt: '12:00', endsAt: '13:00' } }
    : // Each partner item of a plan at an hour of its own: one person's sessions may not overlap.
      { ...common, provider: 'PARTNER', partnerId: partner.id, commissionId, weekly: { weekdays: PARTNER_DAYS, ...PARTNER_HOURS[position / 2 - 1] } };
}

const PLAN = 'ipus { id revision status }';

/** An ACTIVE plan with `items` items, through the API as a centre makes one. */
async function activePlan(items: number): Promise<void> {
  const { applicationId } = await world.application();
  const input = { ...world.draftInput(applicationId), items: Array.from({ length: items }, (_, i) => item(i + 1)) };
  let plan = (await mutate(app, world.coordinator, 'ipusCreate', 'IpusCreateInput', PLAN, input)).ipus;
  plan = (await mutate(app, world.coordinator, 'ipusSubmit', 'IpusRevisionInput', PLAN, { id: plan.id, revision: plan.revision })).ipus;
  plan = (await mutate(app, world.director, 'ipusApprove', 'IpusRevisionInput', PLAN, { id: plan.id, revision: plan.revision })).ipus;
  plan = (
    await mutate(app, world.coordinator, 'ipusActivate', 'IpusActivateInput', PLAN, {
      id: plan.id,
      revision: plan.revision,
      agreedOn: today(),
      agreementHow: 'IN_WRITING',
    })
  ).ipus;
  expect(plan.status).toBe('ACTIVE');
  await movePlanBack(plan.id);
}

/** A service of the catalogue the coordinator searches, given by the CUS or by the partner. */
async function catalogueService(byPartner: boolean): Promise<void> {
  const service = await createService(app, world.director, world.unitId, {
    name: unique('Usługi opiekuńcze specjalistyczne'),
    description: 'Opieka nad osobą starszą w domu',
    ...(byPartner ? { provider: { kind: 'PARTNER', partnerId: partner.id } } : {}),
  });
  await mutate(app, world.director, 'serviceActivate', 'ServiceStatusChangeInput', 'service { id }', { id: service.id, version: service.version });
}

/** Records the session day's session of the partner's assigned items that have none yet, up to `total` deliveries in all. */
async function deliveries(total: number): Promise<void> {
  const res = await app.gql(partner.who, '{ assignments(first: 100) { nodes { id startsAt deliveries { id } } } }');
  expect(res.body.errors).toBeUndefined();
  const nodes: { id: string; startsAt: string; deliveries: unknown[] }[] = res.body.data.assignments.nodes;
  const recorded = nodes.filter((n) => n.deliveries.length > 0).length;
  for (const node of nodes.filter((n) => n.deliveries.length === 0).slice(0, total - recorded)) {
    await mutate(app, partner.who, 'deliveryRecord', 'DeliveryRecordInput', 'delivery { id }', {
      assignmentId: node.id,
      deliveredOn: sessionDay(),
      startsAt: node.startsAt,
      durationMinutes: 60,
      outcome: 'DELIVERED',
    });
  }
}

interface Measure {
  statements: number;
  /** Messages to PostgreSQL: statements that may go together do (src/platform/database/orm-extension/round-trips.ts). */
  roundTrips: number;
  rows: Record<string, number>;
}

/** Sends one operation and counts the statements the server sent for it and the rows it returned. */
async function measure(who: Who, document: string, variables: Record<string, unknown>, rows: (data: any) => Record<string, number>): Promise<Measure> {
  app.statements.length = 0;
  const messagesBefore = databaseMessages();
  const res = await app.gql(who, document, variables);
  expect(res.body.errors).toBeUndefined();
  return { statements: app.statements.length, roundTrips: databaseMessages() - messagesBefore, rows: rows(res.body.data) };
}

const coordinator = () => staff(Role.COORDINATOR, GMINA);

/** The three scenarios, as their roles send them. */
async function scenarios(): Promise<Record<'dashboard' | 'catalogue' | 'partnerWeek', Measure>> {
  const dashboard = await measure(coordinator(), COORDINATOR_DASHBOARD, {}, (data) => {
    const items = data.plans.nodes.flatMap((plan: any) => plan.items);
    return {
      plans: data.plans.nodes.length,
      items: items.length,
      partnerItems: items.filter((i: any) => i.partner !== null).length,
      visits: items.reduce((sum: number, i: any) => sum + i.nextVisits.length, 0),
    };
  });
  const catalogue = await measure(
    coordinator(),
    CATALOGUE_SEARCH,
    {
      search: 'usługi opiekuńcze',
      filter: { gmina: GMINA, areas: ['SOCIAL_ASSISTANCE', 'FAMILY_SUPPORT'], targetGroups: ['SENIORS'] },
    },
    (data) => ({
      services: data.services.nodes.length,
      byPartner: data.services.nodes.filter((s: any) => s.provider.partner !== null).length,
    }),
  );
  const partnerWeek = await measure(partner.who, PARTNER_WEEK, { from: sessionDay(), to: addDays(sessionDay(), 6) }, (data) => ({
    visits: data.schedule.nodes.length,
    delivered: data.schedule.nodes.filter((v: any) => v.delivery !== null).length,
  }));
  return { dashboard, catalogue, partnerWeek };
}

describe('statements per operation do not grow with the rows returned', () => {
  test("coordinator dashboard, catalogue search and a partner's week send the same statements for a small and a larger world", async () => {
    // Size 1: 2 plans of 2 items (one by the partner), 2 services in the search (one by the partner), 1 delivery.
    for (let i = 0; i < 2; i += 1) await activePlan(2);
    await catalogueService(true);
    await deliveries(1);
    const small = await scenarios();
    expect(small.dashboard.rows).toEqual({ plans: 2, items: 4, partnerItems: 2, visits: 12 });
    expect(small.catalogue.rows).toEqual({ services: 2, byPartner: 1 });
    expect(small.partnerWeek.rows).toEqual({ visits: 6, delivered: 1 });

    // Size 2: 10 plans of 2 or 4 items, 10 services (5 by the partner), 6 deliveries.
    for (let i = 0; i < 8; i += 1) await activePlan(4);
    for (let i = 0; i < 8; i += 1) await catalogueService(i % 2 === 0);
    await deliveries(6);
    const large = await scenarios();
    expect(large.dashboard.rows).toEqual({ plans: 10, items: 36, partnerItems: 18, visits: 108 });
    expect(large.catalogue.rows).toEqual({ services: 10, byPartner: 5 });
    expect(large.partnerWeek.rows).toEqual({ visits: 54, delivered: 6 });

    for (const name of ['dashboard', 'catalogue', 'partnerWeek'] as const) {
      expect({ name, statements: large[name].statements }).toEqual({ name, statements: small[name].statements });
      expect({ name, roundTrips: large[name].roundTrips }).toEqual({ name, roundTrips: small[name].roundTrips });
    }
    // The dashboard and the partner's week are compiled (issue 23): begin and settings, the one prepared
    // statement (the page, its JSON and the access log; a prepared statement goes in a message of its
    // own), then the commit. Through the resolvers the dashboard was 5 round trips and 13 statements,
    // the partner's week 4 (the visits; their progress; the log of the people it shows; its commit).
    for (const name of ['dashboard', 'partnerWeek'] as const) {
      expect({ name, roundTrips: large[name].roundTrips }).toEqual({ name, roundTrips: 3 });
      expect(large[name].statements).toBeLessThanOrEqual(4);
    }
    expect(large.catalogue.roundTrips).toBeLessThan(large.catalogue.statements);
  }, 60_000);
});
