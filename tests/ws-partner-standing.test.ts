import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { rawAsApp, rawAsOwner, Role, startTestApp, unique, type TestApp, type Who } from './support/app.js';
import { addDays, mutate, today } from './support/fixtures.js';
import { activatePlan, planWorld, type PlanWorld } from './support/plan-world.js';
import { settle, subscribe, type Subscriber } from './support/subscriptions.js';
import { fromGlobalId } from '../src/platform/graphql/node.js';
import { sessionVariables } from '../src/platform/auth/principal.js';
import { changeActivePlan } from './support/plan-change.js';

/**
 * Open WebSockets follow the partner's standing (issue 17, gap b). An open `assignmentUpdated` kept
 * the principal it connected with: a partner that a gmina's centre retired kept receiving that
 * gmina's assignment events until its token expired, could replay them with `after:`, and a
 * suspended commission told its subscription nothing. Played over graphql-ws as the partner, with
 * the retirement and the commission's changes made through the API by the centre's staff.
 */
const SADKI = '0410042';
const MROCZA = '0410023';

const SUB = 'subscription($after: String) { assignmentUpdated(after: $after) { eventId kind changes assignmentId } }';
const COMMISSION = 'commission { id version status }';
const PLAN = 'ipus { id revision status items { id } goals { id } }';

let app: TestApp;
let world: PlanWorld;

beforeAll(async () => {
  app = await startTestApp();
  world = await planWorld(app, SADKI, MROCZA);
}, 120_000);
afterAll(async () => {
  await app.close();
});
/** Subscriptions a test opened: stopped after it, whatever it found, so that the next counts from none. */
const opened: Subscriber[] = [];
afterEach(async () => {
  for (const sub of opened.splice(0)) sub.stop();
  await app.untilOpenSubscriptions(0);
});

const NIP_WEIGHTS = [6, 5, 7, 2, 3, 4, 5, 6, 7];
function validNip(): string {
  for (;;) {
    const prefix = Array.from({ length: 9 }, () => Math.floor(Math.random() * 10)).join('');
    const check = NIP_WEIGHTS.reduce((sum, w, i) => sum + w * Number(prefix[i]), 0) % 11;
    if (check !== 10) return prefix + check;
  }
}

interface Setup {
  partner: { id: string; key: string; who: Who; version: number; nip: string };
  commission: { id: string; version: number };
  plan: { id: string; revision: number };
  itemKey: string;
}

/** A partner of Sadki with an ACTIVE commission, and an active plan with one item of it. */
async function setup(): Promise<Setup> {
  const nip = validNip();
  const registered = await mutate(app, world.director, 'partnerCreate', 'PartnerCreateInput', 'partner { id version }', {
    name: unique('Fundacja Dobry Dzień'),
    kind: 'NGO',
    gminy: [SADKI],
    nip,
  });
  const key = fromGlobalId(registered.partner.id).key;
  const created = await mutate(app, world.organiser, 'commissionCreate', 'CommissionCreateInput', COMMISSION, {
    cusUnitId: world.unitId,
    partnerId: registered.partner.id,
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
    maxRecipients: 50,
  });
  const active = await mutate(app, world.organiser, 'commissionActivate', 'CommissionStatusInput', COMMISSION, {
    id: created.commission.id,
    version: created.commission.version,
  });
  const { applicationId } = await world.application();
  const input = world.draftInput(applicationId) as { items: Record<string, unknown>[] };
  input.items = [
    {
      goal: 1,
      serviceId: world.serviceId,
      provider: 'PARTNER',
      partnerId: registered.partner.id,
      place: 'RESIDENT_HOME',
      weekly: { weekdays: ['MO', 'WE', 'FR'], startsAt: '09:00', endsAt: '10:00' },
      startOn: today(),
      endOn: addDays(today(), 60),
      quantity: 30,
      quantityUnit: 'HOURS',
    },
  ];
  const draft = (await mutate(app, world.coordinator, 'ipusCreate', 'IpusCreateInput', PLAN, input)).ipus;
  const activated = { ipus: await activatePlan<{ id: string; revision: number; items: { id: string }[]; goals: { id: string }[] }>(app, world, draft, PLAN) };
  return {
    partner: { id: registered.partner.id, key, who: { role: Role.PARTNER, partner: key }, version: registered.partner.version, nip },
    commission: active.commission,
    plan: { id: activated.ipus.id, revision: activated.ipus.revision },
    itemKey: fromGlobalId(activated.ipus.items[0].id).key,
  };
}

/** Subscribes as the partner and waits until the server follows it (this suite's server has no other). */
async function follow(s: Setup, after?: string): Promise<Subscriber> {
  await app.untilOpenSubscriptions(0);
  const sub = subscribe(app.ws(s.partner.who), SUB, after ? { after } : {});
  opened.push(sub);
  await app.untilOpenSubscriptions(1);
  return sub;
}

/** The subscription's end, or a failure naming what it got instead. */
async function ended(sub: Subscriber, ms = 5000): Promise<void> {
  const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`still open after ${ms} ms; got ${JSON.stringify(sub.results)}`)), ms));
  await Promise.race([sub.ended, timeout]);
}

const codesOf = (sub: Subscriber) => sub.results.flatMap((r) => (r.errors ?? []).map((e) => e.extensions?.code));

/** The item's assignment events in the outbox, as the schema owner sees them (whoever may read them). */
const itemEvents = async (s: Setup) =>
  await rawAsOwner<{ id: string; kind: string }>('select id::text, kind from outbox_event where subject_id = $1 order by outbox_event.id', [s.itemKey]);

/** The item taken out of the active plan: a change proposed, approved and agreed. */
const withdrawItem = (s: Setup) => changeActivePlan(app, world, s.plan, { items: [] }, PLAN);

describe('a partner its gmina retires while subscribed', () => {
  it('receives nothing more of that gmina: its open subscription ends with FORBIDDEN', async () => {
    const s = await setup();
    const sub = await follow(s);
    await mutate(app, world.director, 'partnerRetire', 'PartnerStatusChangeInput', 'partner { id }', { id: s.partner.id, version: s.partner.version });
    await withdrawItem(s);
    expect((await itemEvents(s)).map((e) => e.kind)).toEqual(['ASSIGNED', 'WITHDRAWN']);
    await ended(sub);
    expect(sub.received).toEqual([]);
    expect(codesOf(sub)).toEqual(['FORBIDDEN']);
    expect(JSON.stringify(sub.results)).toContain(SADKI);
    await app.untilOpenSubscriptions(0);
  });

  it("and, working on for another gmina, cannot replay the retiring gmina's events, in the API or under its settings in SQL", async () => {
    const s = await setup();
    // Another gmina takes the partner on: its token stays good after Sadki retires it.
    await mutate(app, world.otherDirector, 'partnerJoin', 'PartnerJoinInput', 'partner { id }', { nip: s.partner.nip });
    const before = await follow(s, '0');
    const [assigned] = await before.waitFor(1);
    expect(assigned.assignmentUpdated).toMatchObject({ kind: 'ASSIGNED', changes: [] });
    before.stop();

    await mutate(app, world.director, 'partnerRetire', 'PartnerStatusChangeInput', 'partner { id }', { id: s.partner.id, version: s.partner.version + 1 });
    await withdrawItem(s);
    expect((await itemEvents(s)).map((e) => e.kind)).toEqual(['ASSIGNED', 'WITHDRAWN']);

    const replay = await follow(s, '0');
    const settings = sessionVariables({ subject: 'standing-test', role: Role.PARTNER, gminy: [], partnerId: s.partner.key });
    expect(await rawAsApp('select id from outbox_event where subject_id = $1', [s.itemKey], settings)).toEqual([]);
    // The replay reads at once; nothing of Sadki comes.
    await settle(500);
    expect(replay.results).toEqual([]);
    replay.stop();
  });
});

describe('a gmina where the partner never worked retires it', () => {
  it('ends nothing: the partner goes on receiving the events of the gmina it works for', async () => {
    const s = await setup();
    // Mrocza takes the partner on but commissions nothing: the partner does not stand there.
    await mutate(app, world.otherDirector, 'partnerJoin', 'PartnerJoinInput', 'partner { id }', { nip: s.partner.nip });
    const sub = await follow(s);
    await mutate(app, world.otherDirector, 'partnerRetire', 'PartnerStatusChangeInput', 'partner { id }', { id: s.partner.id, version: s.partner.version + 1 });
    // Sadki's next event reaches it, after Mrocza's STANDING event in the outbox: the subscription outlived that.
    await withdrawItem(s);
    const [withdrawn] = await sub.waitFor(1);
    expect(withdrawn.assignmentUpdated).toMatchObject({ kind: 'WITHDRAWN' });
    expect(codesOf(sub)).toEqual([]);
  });
});

describe('a commission suspended, resumed and ended', () => {
  it("sends each of its items' partner an assignment event saying so", async () => {
    const s = await setup();
    const sub = await follow(s);
    const change = async (field: string, reason?: string) => {
      s.commission = (
        await mutate(app, world.director, field, 'CommissionStatusInput', COMMISSION, { id: s.commission.id, version: s.commission.version, reason })
      ).commission;
    };
    await change('commissionSuspend', 'Kontrola rozliczeń');
    const [suspended] = await sub.waitFor(1);
    expect(suspended.assignmentUpdated).toMatchObject({ kind: 'SUSPENDED', changes: ['commissionStatus'] });
    expect(fromGlobalId(suspended.assignmentUpdated.assignmentId).key).toBe(s.itemKey);
    await change('commissionResume');
    await change('commissionTerminate', 'Rozwiązanie umowy');
    const events = await sub.waitFor(3);
    expect(events.map((e) => e.assignmentUpdated.kind)).toEqual(['SUSPENDED', 'RESUMED', 'ENDED']);
    expect(events.every((e) => e.assignmentUpdated.changes.join() === 'commissionStatus')).toBe(true);
    sub.stop();
    await app.untilOpenSubscriptions(0);

    // The same three replay from before them.
    const all = await itemEvents(s);
    const replay = await follow(s, all[0].id);
    expect((await replay.waitFor(3)).map((e) => e.assignmentUpdated.kind)).toEqual(['SUSPENDED', 'RESUMED', 'ENDED']);
    replay.stop();
  });
});
