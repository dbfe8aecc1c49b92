import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { codes, rawAsOwner, Role, startTestApp, unique, type TestApp, type Who } from './support/app.js';
import { addDays, mutate, today } from './support/fixtures.js';
import { planWorld, type PlanWorld } from './support/plan-world.js';
import { moveCommissionBack, movePlanBack, sessionDay } from './support/past-sessions.js';
import { fromGlobalId } from '../src/platform/graphql/node.js';
import { peselCheckDigit } from '../src/modules/resident/pesel.js';

/**
 * Issue 17, items 2, 3 and 4: reads of personal data that escaped the access log, played through
 * the API the way the review played them. Gminy of this suite alone: Bądkowo (0401052), and Koneck
 * (0401062) as the other gmina of planWorld.
 */
const GMINA = '0401052';
const OTHER = '0401062';

let app: TestApp;
let world: PlanWorld;
let partner: Who;
let commissionId: string;
let planResidentId: string;
let deliveryId: string;
const HEALTH_NOTE = 'Po udarze; ciśnienie 180/110, wezwano lekarza';

/** A PESEL for a birth date and serial (valid check digit). */
function pesel(birthDate: string, serial: number): string {
  const [y, m, d] = birthDate.split('-').map(Number);
  const first10 = [y % 100, m, d].map((n) => String(n).padStart(2, '0')).join('') + String(serial).padStart(4, '0');
  return first10 + peselCheckDigit(first10);
}

/** The raw UUID inside a global id. */
const rawId = (globalId: string) => fromGlobalId(globalId).key;

/** Access-log rows a subject's requests wrote, as the database holds them. */
const logOf = (subject: string) =>
  rawAsOwner<{ resident_id: string; role: string; operation: string }>(
    'select resident_id::text, role, operation from resident_access_log where subject = $1 order by id',
    [subject],
  );

/** A token of `who` with a subject of its own, so the log rows of one request can be told apart. */
async function as(who: Who, label: string): Promise<{ token: string; subject: string }> {
  const subject = unique(label).replace(/\s+/g, '-');
  return { token: await app.token(who, { subject }), subject };
}

beforeAll(async () => {
  app = await startTestApp();
  world = await planWorld(app, GMINA, OTHER);
  const created = await mutate(app, world.director, 'partnerCreate', 'PartnerCreateInput', 'partner { id }', {
    name: unique('Fundacja Opieki Domowej'),
    kind: 'NGO',
    gminy: [GMINA],
  });
  partner = { role: Role.PARTNER, partner: rawId(created.partner.id) };
  const commission = await mutate(app, world.organiser, 'commissionCreate', 'CommissionCreateInput', 'commission { id version }', {
    cusUnitId: world.unitId,
    partnerId: created.partner.id,
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
    maxRecipients: 10,
  });
  await mutate(app, world.organiser, 'commissionActivate', 'CommissionStatusInput', 'commission { id }', {
    id: commission.commission.id,
    version: commission.commission.version,
  });
  commissionId = commission.commission.id;
  await moveCommissionBack(commissionId);

  // An active plan whose one item the partner provides at the resident's home, every day.
  const { applicationId, residentId } = await world.application();
  planResidentId = residentId;
  const input = world.draftInput(applicationId) as { items: Record<string, unknown>[] };
  input.items = [
    {
      goal: 1,
      serviceId: world.serviceId,
      provider: 'PARTNER',
      partnerId: created.partner.id,
      commissionId,
      place: 'RESIDENT_HOME',
      weekly: { weekdays: ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'], startsAt: '09:00', endsAt: '10:00' },
      startOn: today(),
      endOn: addDays(today(), 60),
      quantity: 3,
      quantityUnit: 'HOURS',
    },
  ];
  const PLAN = 'ipus { id revision status items { id } }';
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
  const assignmentId = Buffer.from(`PartnerAssignment:${rawId(plan.items[0].id)}`).toString('base64url');
  // Begun a week ago, so the session is recorded on a past day whatever the time of day.
  await movePlanBack(plan.id);
  const recorded = await mutate(app, partner, 'deliveryRecord', 'DeliveryRecordInput', 'delivery { id version }', {
    assignmentId,
    deliveredOn: sessionDay(),
    startsAt: '09:00',
    durationMinutes: 60,
    outcome: 'DELIVERED',
    note: 'Zmierzono ciśnienie',
  });
  // A correction keeps the first note among the delivery's corrections.
  await mutate(app, partner, 'deliveryCorrect', 'DeliveryCorrectInput', 'delivery { id }', {
    id: recorded.delivery.id,
    version: recorded.delivery.version,
    note: HEALTH_NOTE,
  });
  deliveryId = recorded.delivery.id;
}, 120_000);

afterAll(async () => {
  await app.close();
});

describe('item 2: a search that answers whether a person is a resident is logged, whatever the page size', () => {
  test('30 PESELs probed with first: 0 and totalCount leave 30 searches, with their criteria and counts, in the log the director reads', async () => {
    const known = [pesel('1944-04-04', 101), pesel('1950-05-05', 102), pesel('1938-03-08', 103)];
    const residentIds: string[] = [];
    for (const [i, p] of known.entries()) {
      const created = await mutate(app, world.coordinator, 'residentCreate', 'ResidentCreateInput', 'resident { id }', {
        firstName: 'Ewa',
        lastName: `Sprawdzana${i}`,
        gmina: GMINA,
        pesel: p,
      });
      residentIds.push(created.resident.id);
    }
    const probed = [...known, ...Array.from({ length: 27 }, (_, i) => pesel('1960-01-01', 200 + i))];
    const organiser = await as(world.organiser, 'organiser-probe');
    const document = `{ ${probed.map((p, i) => `p${i}: residents(first: 0, filter: { pesel: "${p}" }) { totalCount }`).join(' ')} }`;
    const res = await app.gql(organiser.token, document);
    expect(res.body.errors).toBeUndefined();
    expect(probed.map((_, i) => res.body.data[`p${i}`].totalCount)).toEqual(probed.map((_, i) => (i < 3 ? 1 : 0)));

    const log = await app.gql(world.director, `{ residentSearchLog(first: 100) { nodes { subject role operation criteria counted } } }`);
    expect(log.body.errors).toBeUndefined();
    const mine = log.body.data.residentSearchLog.nodes.filter((n: { subject: string }) => n.subject === organiser.subject);
    expect(mine).toHaveLength(30);
    expect(new Set(mine.map((n: { criteria: { filter: { pesel: string } } }) => n.criteria.filter.pesel))).toEqual(new Set(probed));
    for (const entry of mine) {
      expect(entry).toMatchObject({ role: 'SERVICES_ORGANISER', operation: 'query residents' });
      expect(entry.counted).toBe(known.includes(entry.criteria.filter.pesel) ? 1 : 0);
    }
    // The person can learn who looked them up (GDPR art. 15): the export lists the searches by their PESEL.
    const exported = await app.gql(world.director, 'query($id: ID!) { residentDataExport(id: $id) }', { id: residentIds[0] });
    expect(exported.body.data.residentDataExport.searches.filter((s: { subject: string }) => s.subject === organiser.subject)).toEqual([
      expect.objectContaining({ role: 'SERVICES_ORGANISER', operation: 'query residents', criteria: { filter: { pesel: known[0] } }, counted: 1 }),
    ]);
  });
});

describe("item 3: every path to a person's data is logged, and delivery notes are special-category data", () => {
  test("deliveries { item } logs the read of the plan item's resident", async () => {
    const coordinator = await as(world.coordinator, 'coordinator-deliveries');
    const res = await app.gql(
      coordinator.token,
      `query($c: ID!) { deliveries(first: 10, filter: { commissionId: $c }) { nodes { id item { id note startOn } } } }`,
      { c: commissionId },
    );
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.deliveries.nodes.map((n: { id: string }) => n.id)).toEqual([deliveryId]);
    const rows = await logOf(coordinator.subject);
    expect(rows).toHaveLength(1);
    expect(rows[0].resident_id).toBe(rawId(planResidentId));
    expect(rows[0].role).toBe('COORDINATOR');
    expect(rows[0].operation).toContain('deliveries.nodes.item');
  });

  test("a services organiser is refused the partner's notes, now and as they were; coordinators and the director read them", async () => {
    const DOC = `query($c: ID!) { deliveries(first: 10, filter: { commissionId: $c }) { nodes { id outcome note corrections { version note } } } }`;
    const organiser = await app.gql(world.organiser, DOC, { c: commissionId });
    expect(organiser.body.data.deliveries.nodes).toEqual([{ id: deliveryId, outcome: 'DELIVERED', note: null, corrections: [{ version: 1, note: null }] }]);
    expect(codes(organiser)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    expect(JSON.stringify(organiser.body)).not.toContain('ciśnienie');
    for (const who of [world.coordinator, world.director, partner]) {
      const res = await app.gql(who, DOC, { c: commissionId });
      expect(res.body.errors, who.role).toBeUndefined();
      expect(res.body.data.deliveries.nodes[0]).toMatchObject({ note: HEALTH_NOTE, corrections: [{ version: 1, note: 'Zmierzono ciśnienie' }] });
    }
  });

  test("a partner's reads of the person it serves (name, phone, address) are logged too", async () => {
    const partnerUser = await as(partner, 'partner-user');
    const res = await app.gql(partnerUser.token, `{ assignments(first: 10) { nodes { person { firstName lastName phone address { street } } } } }`);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.assignments.nodes).toHaveLength(1);
    const rows = await logOf(partnerUser.subject);
    expect(rows).toEqual([{ resident_id: rawId(planResidentId), role: 'PARTNER', operation: 'query assignments' }]);
  });
});

describe('item 4: the reason a read is logged for comes from the server, and /metrics is not public', () => {
  test('an operation named "harmless" is logged by the path that read the record, not by its name', async () => {
    const coordinator = await as(world.coordinator, 'coordinator-harmless');
    const res = await app.gql(
      coordinator.token,
      `query harmless($id: ID!) { resident(id: $id) { firstName } plans(first: 5, filter: { residentId: $id }) { nodes { resident { lastName } } } }`,
      { id: planResidentId },
    );
    expect(res.body.errors).toBeUndefined();
    const rows = await logOf(coordinator.subject);
    expect(rows.map((r) => r.operation)).toEqual(['query plans, plans.nodes.resident, resident']);
    expect(JSON.stringify(rows)).not.toContain('harmless');
  });

  test('GET /metrics on the public port gives nothing without credentials', async () => {
    const res = await fetch(new URL('/metrics', app.url));
    expect(res.status).not.toBe(200);
    expect(await res.text()).not.toContain('cus_graphql_operations_total');
  });
});
