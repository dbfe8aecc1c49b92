import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role, startTestApp, type TestApp, type Who } from './support/app.js';
import { addDays, errorsOf, mutate, staff, today, tryMutate } from './support/fixtures.js';
import { planWorld, type PlanWorld } from './support/plan-world.js';
import { activeCommission as activeCommissionOf, partnerItemInput, registerPartner } from './support/commissioned-world.js';
import { stopAndWait, subscribeAndWait } from './support/subscriptions.js';

/**
 * The waiting list (issue 20): an item its commission has no room for waits in the order its
 * application was filed; when room frees, the first in line is offered the place (held for it) and its
 * coordinator hears of it live; the coordinator accepts (the plan then gets approved) or declines.
 * Through the API as the coordinator (joins, answers), the director and services organiser (the line,
 * approvals) and another gmina's staff (who see nothing).
 */
let app: TestApp;
let world: PlanWorld;
const GMINA = '0208051';
const OTHER = '0208063';

const PLAN = 'ipus { id revision status items { id } }';
const ENTRY = 'entry { id status position daysWaited filedOn joinedOn offeredOn acceptedOn endedOn endReason }';
const LINE = `query($c: ID!, $ended: Boolean) { waitingList(commissionId: $c, ended: $ended) { id status position filedOn ipus { id } } }`;

interface Plan {
  id: string;
  revision: number;
  status: string;
  items: { id: string }[];
}

let partnerId: string;

/** An ACTIVE commission of the partner: 100 hours for one recipient unless `terms` say otherwise. */
const activeCommission = (terms: Record<string, unknown>) => activeCommissionOf(app, world, partnerId, { volume: 100, maxRecipients: 1, ...terms });

const partnerItem = (commissionId: string, quantity = 6) =>
  partnerItemInput(world, partnerId, commissionId, { quantity, weekly: { weekdays: ['MO', 'WE', 'FR'], startsAt: '09:00', endsAt: '10:00' } });

/** A plan with one partner item under the commission, for an application filed `filedDaysAgo` days ago. */
async function draft(commissionId: string, filedDaysAgo = 5, quantity = 6): Promise<Plan> {
  const { applicationId } = await world.application(filedDaysAgo);
  const input = world.draftInput(applicationId) as { items: unknown[] };
  input.items = [partnerItem(commissionId, quantity)];
  return (await mutate(app, world.coordinator, 'ipusCreate', 'IpusCreateInput', PLAN, input)).ipus;
}

async function step(plan: Plan, who: Who, field: string, inputType: string, input: Record<string, unknown> = {}): Promise<Plan> {
  const payload = await mutate(app, who, field, inputType, PLAN, { id: plan.id, revision: plan.revision, ...input });
  Object.assign(plan, payload.ipus);
  return plan;
}

const submit = (plan: Plan) => step(plan, world.coordinator, 'ipusSubmit', 'IpusRevisionInput');
const approve = (plan: Plan) => step(plan, world.director, 'ipusApprove', 'IpusRevisionInput');
const activate = (plan: Plan) => step(plan, world.coordinator, 'ipusActivate', 'IpusActivateInput', { agreedOn: today(), agreementHow: 'IN_WRITING' });

async function complete(plan: Plan) {
  const goals = (await app.gql(world.coordinator, `query($id: ID!) { ipus(id: $id) { goals { id } } }`, { id: plan.id })).body.data.ipus.goals;
  await step(plan, world.coordinator, 'ipusComplete', 'IpusCompleteInput', {
    closingConversationOn: today(),
    goals: goals.map((g: { id: string }) => ({ goalId: g.id, outcome: 'ACHIEVED', summary: 'Cel osiągnięty' })),
  });
}

/** A plan awaiting approval that its commission had no room for: ipusApprove answered CAPACITY_EXCEEDED. */
async function refusedForRoom(commissionId: string, filedDaysAgo: number): Promise<Plan> {
  const plan = await submit(await draft(commissionId, filedDaysAgo));
  const refused = await tryMutate(app, world.director, 'ipusApprove', 'IpusRevisionInput', PLAN, { id: plan.id, revision: plan.revision });
  expect(errorsOf(refused, 'ipusApprove')).toEqual([['input.id', 'CAPACITY_EXCEEDED']]);
  return plan;
}

const join = (plan: Plan, who: Who = world.coordinator) => tryMutate(app, who, 'waitingListJoin', 'WaitingListJoinInput', ENTRY, { itemId: plan.items[0].id });

async function joined(plan: Plan) {
  const res = await join(plan);
  expect(errorsOf(res, 'waitingListJoin')).toEqual([]);
  return res.body.data.waitingListJoin.entry;
}

async function line(commissionId: string, who: Who = world.director, ended = false) {
  const res = await app.gql(who, LINE, { c: commissionId, ended });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.waitingList as { id: string; status: string; position: number | null; filedOn: string; ipus: { id: string } }[];
}

async function itemWait(plan: Plan, who: Who = world.coordinator) {
  const res = await app.gql(who, `query($id: ID!) { ipus(id: $id) { items { waitingListEntry { id status position daysWaited offeredOn acceptedOn } } } }`, {
    id: plan.id,
  });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.ipus?.items[0]?.waitingListEntry ?? null;
}

/** A commission whose one place an active plan holds. */
async function fullCommission() {
  const commission = await activeCommission({});
  const holder = await activate(await approve(await submit(await draft(commission.id, 40))));
  return { commission, holder };
}

beforeAll(async () => {
  app = await startTestApp();
  world = await planWorld(app, GMINA, OTHER);
  partnerId = (await registerPartner(app, GMINA, 'Fundacja Opieki')).id;
}, 60_000);
afterAll(async () => {
  await app.close();
});

describe('joining the line', () => {
  it('orders the line by the applications filing, not by the joining, and shows each wait to its coordinator', async () => {
    const { commission } = await fullCommission();
    const filedLater = await refusedForRoom(commission.id, 5);
    const filedEarlier = await refusedForRoom(commission.id, 20);

    // The later application joins first; the earlier one still goes ahead of it.
    const first = await joined(filedLater);
    expect(first).toMatchObject({ status: 'WAITING', position: 1, daysWaited: 0, filedOn: addDays(today(), -5), joinedOn: today(), offeredOn: null });
    const second = await joined(filedEarlier);
    expect(second).toMatchObject({ status: 'WAITING', position: 1, filedOn: addDays(today(), -20) });

    expect((await line(commission.id)).map((e) => [e.ipus.id, e.position])).toEqual([
      [filedEarlier.id, 1],
      [filedLater.id, 2],
    ]);
    expect(await line(commission.id, world.organiser)).toHaveLength(2);
    // Each entry's item, read in one statement for the whole line.
    app.statements.length = 0;
    const items = await app.gql(world.director, `query($c: ID!) { waitingList(commissionId: $c) { item { id } } }`, { c: commission.id });
    expect(items.body.data.waitingList.map((e: { item: { id: string } }) => e.item.id)).toEqual([filedEarlier.items[0].id, filedLater.items[0].id]);
    expect(app.statements.filter((s) => /from "ipus_item"/.test(s))).toHaveLength(1);
    expect(await itemWait(filedLater)).toMatchObject({ id: first.id, status: 'WAITING', position: 2, daysWaited: 0, offeredOn: null });
  });

  it('refuses what is not a wait, each with its code, and changes nothing', async () => {
    const { commission } = await fullCommission();
    const waiting = await refusedForRoom(commission.id, 10);
    await joined(waiting);
    const before = await line(commission.id);

    // Already in line.
    expect(errorsOf(await join(waiting), 'waitingListJoin')).toEqual([['input.itemId', 'DUPLICATE']]);
    // Room enough under another commission, and no line there: approve it instead.
    const roomy = await activeCommission({ maxRecipients: 5 });
    const fits = await submit(await draft(roomy.id));
    expect(errorsOf(await join(fits), 'waitingListJoin')).toEqual([['input.itemId', 'NOT_ALLOWED']]);
    expect(await line(roomy.id)).toEqual([]);
    // An item the centre provides itself waits for no commission.
    const { applicationId } = await world.application();
    const own = (await mutate(app, world.coordinator, 'ipusCreate', 'IpusCreateInput', PLAN, world.draftInput(applicationId))).ipus;
    expect(errorsOf(await join(own), 'waitingListJoin')).toEqual([['input.itemId', 'NOT_ALLOWED']]);
    // An approved, active plan has its room.
    const { holder } = await fullCommission();
    expect(errorsOf(await join(holder), 'waitingListJoin')).toEqual([['input.itemId', 'NOT_ALLOWED']]);
    // Only an OFFERED entry is accepted; a decline needs its reason.
    const entryId = before[0].id;
    expect(
      errorsOf(await tryMutate(app, world.coordinator, 'waitingListAccept', 'WaitingListEntryInput', ENTRY, { id: entryId }), 'waitingListAccept'),
    ).toEqual([['input.id', 'NOT_ALLOWED']]);
    expect(
      errorsOf(
        await tryMutate(app, world.coordinator, 'waitingListDecline', 'WaitingListDeclineInput', ENTRY, { id: entryId, reason: '  ' }),
        'waitingListDecline',
      ),
    ).toEqual([['input.reason', 'REQUIRED']]);
    // Roles that do not keep plans.
    const organiserJoin = await join(waiting, world.organiser);
    expect(organiserJoin.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    expect(await line(commission.id)).toEqual(before);
    expect(await itemWait(fits)).toBeNull();
  });
});

describe('a place frees', () => {
  it('offers it to the first in line, live on the coordinator dashboard, holds it from other plans, and the plan is approved once accepted', async () => {
    const { commission, holder } = await fullCommission();
    const later = await refusedForRoom(commission.id, 3);
    const earlier = await refusedForRoom(commission.id, 15);
    await joined(later);
    const entry = await joined(earlier);
    const newcomer = await submit(await draft(commission.id, 30));

    const feed = await subscribeAndWait(
      app,
      app.ws(world.coordinator),
      `subscription { ipusFeed { eventId ipusId kind changes ipus { items { waitingListEntry { status position } } } } }`,
    );
    await complete(holder);
    const events = await feed.waitFor(2);
    const offer = events.map((e) => e.ipusFeed).find((e) => e.ipusId === earlier.id);
    expect(offer).toMatchObject({ kind: 'UPDATED', changes: ['waitingList'], ipus: { items: [{ waitingListEntry: { status: 'OFFERED', position: 1 } }] } });
    await stopAndWait(app, feed);

    expect(await itemWait(earlier)).toMatchObject({ id: entry.id, status: 'OFFERED', position: 1, daysWaited: 0, offeredOn: today() });
    expect((await line(commission.id)).map((e) => [e.ipus.id, e.status])).toEqual([
      [earlier.id, 'OFFERED'],
      [later.id, 'WAITING'],
    ]);

    // The place is held for the offer: a plan not in line (filed earlier still) cannot take it.
    const taken = await tryMutate(app, world.director, 'ipusApprove', 'IpusRevisionInput', PLAN, { id: newcomer.id, revision: newcomer.revision });
    expect(errorsOf(taken, 'ipusApprove')).toEqual([['input.id', 'CAPACITY_EXCEEDED']]);

    const accepted = await mutate(app, world.coordinator, 'waitingListAccept', 'WaitingListEntryInput', ENTRY, { id: entry.id });
    expect(accepted.entry).toMatchObject({ status: 'ACCEPTED', position: null, acceptedOn: today(), offeredOn: today(), daysWaited: 0 });
    // Still held while the plan awaits approval, which then goes through.
    expect(
      errorsOf(await tryMutate(app, world.director, 'ipusApprove', 'IpusRevisionInput', PLAN, { id: newcomer.id, revision: newcomer.revision }), 'ipusApprove'),
    ).toEqual([['input.id', 'CAPACITY_EXCEEDED']]);
    await approve(earlier);
    expect(earlier.status).toBe('APPROVED');
    // The line moved up; the ended wait stays readable, with its dates, for reports.
    expect((await line(commission.id)).map((e) => [e.ipus.id, e.status, e.position])).toEqual([[later.id, 'WAITING', 1]]);
    const all = await line(commission.id, world.director, true);
    expect(all.map((e) => e.status)).toEqual(['WAITING', 'ACCEPTED']);
  });

  it('a decline passes the offer to the next in line; an annex raising the places offers too', async () => {
    const { commission } = await fullCommission();
    const first = await refusedForRoom(commission.id, 25);
    const next = await refusedForRoom(commission.id, 8);
    const firstEntry = await joined(first);
    const nextEntry = await joined(next);

    const annex = await mutate(app, world.organiser, 'commissionUpdate', 'CommissionUpdateInput', 'commission { version }', {
      id: commission.id,
      version: commission.version,
      maxRecipients: 2,
    });
    expect(annex.commission.version).toBeGreaterThan(commission.version);
    expect(await itemWait(first)).toMatchObject({ status: 'OFFERED' });
    expect(await itemWait(next)).toMatchObject({ status: 'WAITING', position: 2 });

    const declined = await mutate(app, world.coordinator, 'waitingListDecline', 'WaitingListDeclineInput', ENTRY, {
      id: firstEntry.id,
      reason: 'Rodzina zapewnia opiekę',
    });
    expect(declined.entry).toMatchObject({ status: 'DECLINED', endedOn: today(), endReason: 'Rodzina zapewnia opiekę', position: null });
    expect(await itemWait(next)).toMatchObject({ id: nextEntry.id, status: 'OFFERED', position: 1 });
  });

  it('the first in line wins when two plans race for the freed place', async () => {
    const { commission, holder } = await fullCommission();
    const waiting = await refusedForRoom(commission.id, 12);
    const entry = await joined(waiting);
    const rival = await submit(await draft(commission.id, 50));
    // The release and a rival approval at once: whichever commits first, the rival never gets the place.
    const [, rivalApproval] = await Promise.all([
      complete(holder),
      tryMutate(app, world.director, 'ipusApprove', 'IpusRevisionInput', PLAN, { id: rival.id, revision: rival.revision }),
    ]);
    expect(errorsOf(rivalApproval, 'ipusApprove')).toEqual([['input.id', 'CAPACITY_EXCEEDED']]);
    expect(await itemWait(waiting)).toMatchObject({ id: entry.id, status: 'OFFERED' });
  });
});

describe('leaving the line with the plan', () => {
  it('a terminated plan, or an item removed from its draft, leaves the line; an offer then passes to the next', async () => {
    const { commission, holder } = await fullCommission();
    const first = await refusedForRoom(commission.id, 30);
    const second = await refusedForRoom(commission.id, 20);
    const third = await refusedForRoom(commission.id, 10);
    for (const plan of [first, second, third]) await joined(plan);
    await complete(holder);
    expect(await itemWait(first)).toMatchObject({ status: 'OFFERED' });

    await step(first, world.director, 'ipusTerminate', 'IpusTerminateInput', { reasonCode: 'RESIDENT_RESIGNED' });
    expect(await itemWait(second)).toMatchObject({ status: 'OFFERED', position: 1 });
    const ended = await line(commission.id, world.director, true);
    expect(ended.find((e) => e.ipus.id === first.id)).toMatchObject({ status: 'REMOVED', position: null });

    // Back to draft, its item replaced by one the centre gives itself: the waiting item is gone, and so is its wait.
    await step(second, world.director, 'ipusReturnToDraft', 'IpusReturnInput', { reason: 'Opieka zapewniona przez CUS' });
    const input = world.draftInput('unused') as { items: unknown[] };
    await step(second, world.coordinator, 'ipusUpdate', 'IpusUpdateInput', { items: input.items });
    expect(await itemWait(third)).toMatchObject({ status: 'OFFERED', position: 1 });
    expect((await line(commission.id)).map((e) => e.ipus.id)).toEqual([third.id]);
  });
});

describe('the line cannot be jumped (found in review)', () => {
  it('a plan filed after a waiting one is refused room the waiting one needs, even when it would fit itself', async () => {
    const commission = await activeCommission({ maxRecipients: null, volume: 20 });
    await activate(await approve(await submit(await draft(commission.id, 40, 16))));
    // 4 hours left: the head of the line needs 6 and waits; a plan filed later needs 3.
    const head = await refusedForRoom(commission.id, 30);
    await joined(head);
    const newcomer = await submit(await draft(commission.id, 2, 3));
    const refused = await tryMutate(app, world.director, 'ipusApprove', 'IpusRevisionInput', PLAN, { id: newcomer.id, revision: newcomer.revision });
    expect(errorsOf(refused, 'ipusApprove')).toEqual([['input.id', 'CAPACITY_EXCEEDED']]);
    expect((await app.gql(world.director, `query($id: ID!) { ipus(id: $id) { status } }`, { id: newcomer.id })).body.data.ipus.status).toBe(
      'AWAITING_APPROVAL',
    );
    // A plan filed before the head is ahead of it, and fits.
    const earlier = await submit(await draft(commission.id, 35, 3));
    expect((await approve(earlier)).status).toBe('APPROVED');
  });

  it('room freed that the head of the line does not fit is offered to no one, though a later entry would fit', async () => {
    const commission = await activeCommission({ maxRecipients: null, volume: 20 });
    const big = await activate(await approve(await submit(await draft(commission.id, 40, 17))));
    const small = await activate(await approve(await submit(await draft(commission.id, 45, 3))));
    // No room left: the head needs 6 hours, an entry filed later needs 3.
    const head = await refusedForRoom(commission.id, 30);
    await joined(head);
    const later = await submit(await draft(commission.id, 2, 3));
    expect(
      errorsOf(await tryMutate(app, world.director, 'ipusApprove', 'IpusRevisionInput', PLAN, { id: later.id, revision: later.revision }), 'ipusApprove'),
    ).toEqual([['input.id', 'CAPACITY_EXCEEDED']]);
    await joined(later);

    // 3 hours free: the later entry would fit, but the head is offered first or no one is.
    await complete(small);
    expect((await line(commission.id)).map((e) => [e.ipus.id, e.status, e.position])).toEqual([
      [head.id, 'WAITING', 1],
      [later.id, 'WAITING', 2],
    ]);
    // 20 hours free: the head fits, and only it is offered.
    await complete(big);
    expect((await line(commission.id)).map((e) => [e.ipus.id, e.status])).toEqual([
      [head.id, 'OFFERED'],
      [later.id, 'WAITING'],
    ]);
  });

  it('an accepted place given up before approval passes to the next in line', async () => {
    const { commission, holder } = await fullCommission();
    const first = await refusedForRoom(commission.id, 30);
    const second = await refusedForRoom(commission.id, 20);
    const firstEntry = await joined(first);
    await joined(second);
    await complete(holder);
    expect(await itemWait(first)).toMatchObject({ status: 'OFFERED' });
    await mutate(app, world.coordinator, 'waitingListAccept', 'WaitingListEntryInput', ENTRY, { id: firstEntry.id });
    // The resident resigns before the plan is approved: the held place frees, and the next is offered.
    await step(first, world.director, 'ipusTerminate', 'IpusTerminateInput', { reasonCode: 'RESIDENT_RESIGNED' });
    expect(await itemWait(second)).toMatchObject({ status: 'OFFERED', position: 1 });
  });
});

describe('tenants', () => {
  it('another gmina sees no line and cannot touch an entry', async () => {
    const { commission } = await fullCommission();
    const waiting = await refusedForRoom(commission.id, 7);
    const entry = await joined(waiting);
    const before = await line(commission.id);

    expect(await line(commission.id, world.otherDirector)).toEqual([]);
    expect(errorsOf(await join(waiting, world.otherCoordinator), 'waitingListJoin')).toEqual([['input.itemId', 'NOT_FOUND']]);
    const decline = await tryMutate(app, world.otherCoordinator, 'waitingListDecline', 'WaitingListDeclineInput', ENTRY, { id: entry.id, reason: 'Nie nasza' });
    expect(errorsOf(decline, 'waitingListDecline')).toEqual([['input.id', 'NOT_FOUND']]);
    const node = await app.gql(world.otherDirector, `query($id: ID!) { node(id: $id) { id } }`, { id: entry.id });
    expect(node.body.data.node).toBeNull();
    // Roles that do not read plans get no line at all.
    const official = await app.gql(staff(Role.GMINA_OFFICIAL, GMINA), LINE, { c: commission.id, ended: false });
    expect(official.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    expect(await line(commission.id)).toEqual(before);
  });
});
