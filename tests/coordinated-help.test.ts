import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { codes, rawAsApp, rawAsOwner, Role, startTestApp, type TestApp } from './support/app.js';
import { sessionVariables } from '../src/platform/auth/principal.js';
import { fromGlobalId } from '../src/platform/graphql/node.js';
import { addDays, errorsOf, mutate, today, tryMutate } from './support/fixtures.js';
import { planWorld, type PlanWorld } from './support/plan-world.js';
import { activatePlan, activeCommission, partnerItemInput, registerPartner } from './support/commissioned-world.js';

/**
 * Coordinated help outside the catalogue (issue 20): a plan names help from other systems (health
 * fund, social assistance, a school) with provider, what is given, a schedule and dates, outside
 * commissioning. Through the API, per role; bad input refused with nothing written; another gmina
 * sees none. Gminy (śląskie): A Blachownia (2404013), B Dąbrowa Zielona (2404022).
 */
const A = '2404013';
const B = '2404022';

let app: TestApp;
let world: PlanWorld;

beforeAll(async () => {
  app = await startTestApp();
  world = await planWorld(app, A, B);
}, 60_000);
afterAll(async () => {
  await app.close();
});

const HELP = 'coordinatedHelp { position system providerName description schedule weekdays startsAt endsAt startOn endOn }';
const PLAN = `id revision status ${HELP}`;
const READ = `query($id: ID!) { ipus(id: $id) { ${PLAN} } }`;

const rehabilitation = {
  system: 'HEALTH_CARE',
  providerName: 'Przychodnia Rehabilitacyjna NFZ w Kłobucku',
  description: 'Rehabilitacja ruchowa po endoprotezie biodra',
  weekly: { weekdays: ['MO', 'WE'], startsAt: '08:00', endsAt: '09:00' },
  startOn: today(),
  endOn: addDays(today(), 30),
};
const benefit = {
  system: 'SOCIAL_ASSISTANCE',
  providerName: 'Zespół ds. świadczeń, Urząd Gminy Blachownia',
  description: 'Zasiłek okresowy',
  schedule: 'co miesiąc, do 10. dnia',
};

const COUNT = 'select count(*)::int as n from ipus_coordinated_help where ipus_id = $1';
const rowsOf = (planId: string) => rawAsOwner<{ n: number }>(COUNT, [fromGlobalId(planId).key]);
const as = (role: Role, gmina: string) => sessionVariables({ role, gminy: [Number(gmina)], partnerId: null, subject: 'test' });

describe('coordinated help in a plan', () => {
  test('a coordinator names it in a draft, edits it; the plan readers read it, kept in the revisions', async () => {
    const { applicationId } = await world.application();
    const created = await mutate(app, world.coordinator, 'ipusCreate', 'IpusCreateInput', `ipus { ${PLAN} }`, {
      ...world.draftInput(applicationId),
      coordinatedHelp: [rehabilitation],
    });
    expect(created.ipus.coordinatedHelp).toEqual([
      {
        position: 1,
        system: 'HEALTH_CARE',
        providerName: 'Przychodnia Rehabilitacyjna NFZ w Kłobucku',
        description: 'Rehabilitacja ruchowa po endoprotezie biodra',
        schedule: null,
        weekdays: ['MO', 'WE'],
        startsAt: '08:00:00',
        endsAt: '09:00:00',
        startOn: today(),
        endOn: addDays(today(), 30),
      },
    ]);

    const edited = await mutate(app, world.coordinator, 'ipusUpdate', 'IpusUpdateInput', `ipus { ${PLAN} }`, {
      id: created.ipus.id,
      revision: created.ipus.revision,
      coordinatedHelp: [benefit, rehabilitation],
    });
    expect(
      edited.ipus.coordinatedHelp.map((h: { providerName: string; position: number; system: string; schedule: string | null }) => [
        h.position,
        h.system,
        h.schedule,
      ]),
    ).toEqual([
      [1, 'SOCIAL_ASSISTANCE', 'co miesiąc, do 10. dnia'],
      [2, 'HEALTH_CARE', null],
    ]);
    // An update that leaves the list out keeps it.
    const kept = await mutate(app, world.coordinator, 'ipusUpdate', 'IpusUpdateInput', `ipus { ${PLAN} }`, {
      id: created.ipus.id,
      revision: edited.ipus.revision,
      coordinatorName: 'Anna Koordynatorka',
    });
    expect(kept.ipus.coordinatedHelp).toHaveLength(2);

    for (const who of [world.coordinator, world.director, world.organiser]) {
      const res = await app.gql(who, READ, { id: created.ipus.id });
      expect(res.body.errors).toBeUndefined();
      expect(
        res.body.data.ipus.coordinatedHelp.map((h: { providerName: string; position: number; system: string; schedule: string | null }) => h.providerName),
      ).toEqual([benefit.providerName, rehabilitation.providerName]);
    }

    // Each revision keeps the help as it stood, and the change names it.
    const history = await app.gql(
      world.director,
      `query($id: ID!) { ipus(id: $id) { first: asOfRevision(revision: 1) { coordinatedHelp { system } }
         second: asOfRevision(revision: 2) { coordinatedHelp { system } } revisions { revision changes { path } } } }`,
      { id: created.ipus.id },
    );
    expect(history.body.errors).toBeUndefined();
    const plan = history.body.data.ipus;
    expect(plan.first.coordinatedHelp).toEqual([{ system: 'HEALTH_CARE' }]);
    expect(plan.second.coordinatedHelp).toEqual([{ system: 'SOCIAL_ASSISTANCE' }, { system: 'HEALTH_CARE' }]);
    const second = plan.revisions.find((r: any) => r.revision === 2);
    expect(second.changes.some((c: any) => c.path.startsWith('coordinatedHelp['))).toBe(true);
  });

  test('it needs no commission and holds no capacity: no partner, no deliveries', async () => {
    const plan = await world.draft();
    const res = await mutate(app, world.coordinator, 'ipusUpdate', 'IpusUpdateInput', `ipus { ${PLAN} items { id } }`, {
      id: plan.id,
      revision: plan.revision,
      coordinatedHelp: [{ system: 'EDUCATION', providerName: 'Szkoła Podstawowa nr 1', description: 'Zajęcia wyrównawcze' }],
    });
    expect(res.ipus.coordinatedHelp).toHaveLength(1);
    const [deliveries] = await rawAsOwner<{ n: number }>(
      `select count(*)::int as n from information_schema.columns where table_name = 'ipus_coordinated_help' and column_name in ('commission_id', 'partner_id')`,
    );
    expect(deliveries.n).toBe(0);
  });
});

describe('an active plan', () => {
  test("adding help to it leaves its commission's use and the partner's assignments as they were: it holds no capacity", async () => {
    const partner = await registerPartner(app, A, 'Fundacja Opieki');
    const commission = await activeCommission(app, world, partner.id);
    const draft = await world.draft();
    const edited = await mutate(app, world.coordinator, 'ipusUpdate', 'IpusUpdateInput', 'ipus { id revision }', {
      id: draft.id,
      revision: draft.revision,
      items: [partnerItemInput(world, partner.id, commission.id)],
    });
    const active = await activatePlan<{ id: string; revision: number }>(app, world, edited.ipus, 'ipus { id revision }');
    const capacity = async () => {
      const use = await app.gql(world.organiser, `query($id: ID!) { commission(id: $id) { use { recipients volumeReserved volumeAssigned volumeLeft } } }`, {
        id: commission.id,
      });
      const assignments = await app.gql(partner.who, `query($c: ID!) { assignments(first: 10, filter: { commissionId: $c }) { nodes { id } } }`, {
        c: commission.id,
      });
      expect(use.body.errors).toBeUndefined();
      expect(assignments.body.errors).toBeUndefined();
      return { use: use.body.data.commission.use, assignments: assignments.body.data.assignments.nodes };
    };
    const before = await capacity();
    expect(before.use).toMatchObject({ recipients: 1, volumeReserved: 6 });
    expect(before.assignments).toHaveLength(1);
    const res = await mutate(app, world.coordinator, 'ipusUpdate', 'IpusUpdateInput', `ipus { ${PLAN} }`, {
      id: active.id,
      revision: active.revision,
      coordinatedHelp: [rehabilitation, benefit],
    });
    expect(res.ipus.coordinatedHelp).toHaveLength(2);
    expect(await capacity()).toEqual(before);
  });

  test('its coordinated help changes in a revision of its own, kept like its other parts', async () => {
    const plan = await world.activePlan();
    const res = await mutate(app, world.coordinator, 'ipusUpdate', 'IpusUpdateInput', `ipus { ${PLAN} }`, {
      id: plan.id,
      revision: plan.revision,
      coordinatedHelp: [benefit],
    });
    expect(res.ipus).toMatchObject({
      status: 'ACTIVE',
      revision: plan.revision + 1,
      coordinatedHelp: [{ system: 'SOCIAL_ASSISTANCE', schedule: benefit.schedule }],
    });
    const read = await app.gql(
      world.director,
      `query($id: ID!, $at: Int!) { ipus(id: $id) { asOfRevision(revision: $at) { coordinatedHelp { providerName } } revisions { revision kind changes { path } } } }`,
      { id: plan.id, at: plan.revision + 1 },
    );
    expect(read.body.errors).toBeUndefined();
    expect(read.body.data.ipus.asOfRevision.coordinatedHelp).toEqual([{ providerName: benefit.providerName }]);
    const latest = read.body.data.ipus.revisions[0];
    expect(latest.kind).toBe('UPDATED');
    expect(latest.changes.map((c: { path: string }) => c.path).every((path: string) => path.startsWith('coordinatedHelp['))).toBe(true);
  });
});

describe('refused, and nothing written', () => {
  test('missing provider or description, a bad week, dates out of order', async () => {
    const plan = await world.draft();
    const before = (await app.gql(world.coordinator, READ, { id: plan.id })).body.data.ipus;
    const res = await tryMutate(app, world.coordinator, 'ipusUpdate', 'IpusUpdateInput', `ipus { id }`, {
      id: plan.id,
      revision: plan.revision,
      coordinatedHelp: [
        { system: 'HEALTH_CARE', providerName: '  ', description: '' },
        { ...rehabilitation, weekly: { weekdays: ['MO', 'MO'], startsAt: '10:00', endsAt: '09:00' }, startOn: today(), endOn: addDays(today(), -1) },
        { ...benefit, description: 'x'.repeat(2001) },
      ],
    });
    expect(res.body.errors).toBeUndefined();
    expect(errorsOf(res, 'ipusUpdate')).toEqual([
      ['input.coordinatedHelp.0.providerName', 'REQUIRED'],
      ['input.coordinatedHelp.0.description', 'REQUIRED'],
      ['input.coordinatedHelp.1.weekly.weekdays', 'DUPLICATE'],
      ['input.coordinatedHelp.1.weekly.endsAt', 'OUT_OF_RANGE'],
      ['input.coordinatedHelp.1.endOn', 'OUT_OF_RANGE'],
      ['input.coordinatedHelp.2.description', 'OUT_OF_RANGE'],
    ]);
    expect(res.body.data.ipusUpdate.ipus).toBeNull();
    expect((await app.gql(world.coordinator, READ, { id: plan.id })).body.data.ipus).toEqual(before);
    expect((await rowsOf(plan.id))[0].n).toBe(0);
  });

  test('a system that is not in the list is refused by the schema', async () => {
    const plan = await world.draft();
    const res = await tryMutate(app, world.coordinator, 'ipusUpdate', 'IpusUpdateInput', `ipus { id }`, {
      id: plan.id,
      revision: plan.revision,
      coordinatedHelp: [{ ...benefit, system: 'CHURCH' }],
    });
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect((await rowsOf(plan.id))[0].n).toBe(0);
  });

  test("keepsHolidays belongs to the centre's visits, not to outside help: the schema refuses it rather than ignore it", async () => {
    const plan = await world.draft();
    const res = await tryMutate(app, world.coordinator, 'ipusUpdate', 'IpusUpdateInput', `ipus { id }`, {
      id: plan.id,
      revision: plan.revision,
      coordinatedHelp: [{ ...rehabilitation, weekly: { weekdays: ['MO'], startsAt: '08:00', endsAt: '09:00', keepsHolidays: true } }],
    });
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.body.errors?.[0].message).toContain('keepsHolidays');
    expect((await rowsOf(plan.id))[0].n).toBe(0);
  });

  test('only a coordinator writes it; another gmina neither reads nor writes it', async () => {
    const { applicationId } = await world.application();
    const created = await mutate(app, world.coordinator, 'ipusCreate', 'IpusCreateInput', `ipus { ${PLAN} }`, {
      ...world.draftInput(applicationId),
      coordinatedHelp: [rehabilitation],
    });
    const input = { id: created.ipus.id, revision: created.ipus.revision, coordinatedHelp: [] };
    for (const who of [world.director, world.organiser]) {
      expect(codes(await tryMutate(app, who, 'ipusUpdate', 'IpusUpdateInput', 'ipus { id }', input))).toEqual(['FORBIDDEN']);
    }
    const other = await tryMutate(app, world.otherCoordinator, 'ipusUpdate', 'IpusUpdateInput', 'ipus { id }', input);
    expect(errorsOf(other, 'ipusUpdate')).toEqual([['input.id', 'NOT_FOUND']]);
    for (const who of [world.otherCoordinator, world.otherDirector]) {
      const res = await app.gql(who, READ, { id: created.ipus.id });
      expect(res.body).toEqual({ data: { ipus: null } });
    }
    for (const who of world.outsiders) expect(codes(await app.gql(who, READ, { id: created.ipus.id }))).toEqual(['FORBIDDEN']);
    // Under the database's own rules too: the other gmina's coordinator sees no row of it, the plan's own does.
    const key = fromGlobalId(created.ipus.id).key;
    expect(await rawAsApp(COUNT, [key], as(Role.COORDINATOR, B))).toEqual([{ n: 0 }]);
    expect(await rawAsApp(COUNT, [key], as(Role.COORDINATOR, A))).toEqual([{ n: 1 }]);
    expect(await rawAsApp(COUNT, [key], as(Role.GMINA_OFFICIAL, A))).toEqual([{ n: 0 }]);
    expect((await app.gql(world.coordinator, READ, { id: created.ipus.id })).body.data.ipus.coordinatedHelp).toHaveLength(1);
  });
});
