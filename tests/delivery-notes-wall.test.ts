import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest';
import pg from 'pg';
import { codes, rawAsApp, rawAsOwner, Role, startTestApp, unique, type TestApp, type Who } from './support/app.js';
import { addDays, mutate, today } from './support/fixtures.js';
import { planWorld, type PlanWorld } from './support/plan-world.js';
import { activatePlan, activeCommission, registerPartner } from './support/commissioned-world.js';
import { moveCommissionBack, movePlanBack, sessionDay } from './support/past-sessions.js';
import { fromGlobalId } from '../src/platform/graphql/node.js';
import { sessionVariables, tercToId } from '../src/platform/auth/principal.js';

/**
 * Issue 17: a partner's notes on a session (often about health) are walled by the database, not only
 * by the API. The attack of the review: a services organiser, or anyone else holding the app role's
 * connection with a principal that may read sessions but not their notes, reads them as raw SQL. Every
 * table and view the app role may read is swept, found in the catalogue rather than listed, so a note
 * copied anywhere (the session's row, a correction's previous values, a view) is found. Gminy of this
 * suite alone: Białe Błota (0403012), and Dąbrowa Chełmińska (0403022) as planWorld's other gmina.
 */
const GMINA = '0403012';
const OTHER = '0403022';
const FIRST_NOTE = unique('Zawroty głowy po zmianie leków');
const SECOND_NOTE = unique('Ciśnienie 175/105, powiadomiono koordynatorkę');

let app: TestApp;
let world: PlanWorld;
let partner: Who;
let partnerId: string;
let deliveryId: string;
let commissionId: string;
let assignmentId: string;
let unitItemId: string;
/** Each relation the app role may read, with the columns it may read when it may not read them all. */
let relations: { name: string; columns: string[] | null }[];

const rawId = (globalId: string) => fromGlobalId(globalId).key;
const settingsOf = (role: Role, gminy: string[] = [], partner: string | null = null) =>
  sessionVariables({ subject: `notes-wall-${role.toLowerCase()}`, role, gminy: gminy.map(tercToId), partnerId: partner });

/**
 * The relations (tables, views) holding each text in any column, as raw SQL under the app role with
 * `settings`: one connection and transaction, as the server's role would hold it.
 */
async function holding(settings: Record<string, string>, ...texts: string[]): Promise<string[][]> {
  const found: string[][] = texts.map(() => []);
  const client = new pg.Client({ connectionString: inject('appUrl') });
  await client.connect();
  try {
    await client.query('begin');
    for (const [key, value] of Object.entries(settings)) await client.query('select set_config($1, $2, true)', [key, value]);
    for (const relation of relations) {
      await client.query('savepoint sweep');
      const row = relation.columns ? `concat_ws(' ', ${relation.columns.map((c) => `t.${c}::text`).join(', ')})` : 't::text';
      const counts = texts.map((_, i) => `count(*) filter (where strpos(${row}, $${i + 1}) > 0)::int`).join(', ');
      const rows = await client
        .query<number[]>({ text: `select ${counts} from ${relation.name} t`, values: texts, rowMode: 'array' })
        // A view that refuses this principal shows it nothing.
        .then(
          (r) => r.rows[0],
          async (error: { code?: string }) => {
            if (error.code !== '42501' && error.code !== 'P0001') throw error;
            await client.query('rollback to savepoint sweep');
            return texts.map(() => 0);
          },
        );
      rows.forEach((n, i) => {
        if (n > 0) found[i].push(relation.name);
      });
    }
    await client.query('rollback');
  } finally {
    await client.end();
  }
  return found;
}

beforeAll(async () => {
  app = await startTestApp();
  world = await planWorld(app, GMINA, OTHER);
  const created = await registerPartner(app, GMINA, 'Stowarzyszenie Opieki');
  partnerId = created.key;
  partner = created.who;
  commissionId = (await activeCommission(app, world, created.id, { maxRecipients: 10 })).id;
  await moveCommissionBack(commissionId);

  // An active plan whose item the partner provides at the resident's home, every day.
  const { applicationId } = await world.application();
  const input = world.draftInput(applicationId) as { items: Record<string, unknown>[] };
  input.items = [
    {
      goal: 1,
      serviceId: world.serviceId,
      provider: 'PARTNER',
      partnerId: created.id,
      commissionId,
      place: 'RESIDENT_HOME',
      weekly: { weekdays: ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'], startsAt: '09:00', endsAt: '10:00' },
      startOn: today(),
      endOn: addDays(today(), 60),
      quantity: 3,
      quantityUnit: 'HOURS',
    },
    {
      // And one a gmina unit provides, which the centre's staff record (the services organiser among them).
      goal: 1,
      serviceId: world.serviceId,
      provider: 'GMINA_UNIT',
      providerUnitName: 'Gminny Ośrodek Kultury',
      place: 'RESIDENT_HOME',
      startOn: today(),
      endOn: addDays(today(), 60),
      sessionCount: 10,
      quantity: 10,
      quantityUnit: 'SESSIONS',
    },
  ];
  const PLAN = 'ipus { id revision status items { id providerKind } }';
  const draft = (await mutate(app, world.coordinator, 'ipusCreate', 'IpusCreateInput', PLAN, input)).ipus;
  const plan = await activatePlan<{ id: string; items: { id: string; providerKind: string }[] }>(app, world, draft, PLAN);
  const itemOf = (kind: string) => plan.items.find((i) => i.providerKind === kind)!.id;
  assignmentId = Buffer.from(`PartnerAssignment:${rawId(itemOf('PARTNER'))}`).toString('base64url');
  unitItemId = itemOf('GMINA_UNIT');
  // Begun a week ago, so sessions are recorded on a past day whatever the time of day.
  await movePlanBack(plan.id);

  // The partner records a session with a note, then corrects the note: the first is kept as history.
  const recorded = await mutate(app, partner, 'deliveryRecord', 'DeliveryRecordInput', 'delivery { id version }', {
    assignmentId,
    deliveredOn: sessionDay(),
    startsAt: '09:00',
    durationMinutes: 60,
    outcome: 'DELIVERED',
    note: FIRST_NOTE,
  });
  deliveryId = recorded.delivery.id;
  await mutate(app, partner, 'deliveryCorrect', 'DeliveryCorrectInput', 'delivery { id }', {
    id: deliveryId,
    version: recorded.delivery.version,
    note: SECOND_NOTE,
  });

  relations = await rawAsOwner<{ name: string; columns: string[] | null }>(
    `select format('%I.%I', n.nspname, c.relname) as name,
       case when not has_table_privilege('cus_app', c.oid, 'select') then
         array(select quote_ident(a.attname) from pg_attribute a where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
           and has_column_privilege('cus_app', c.oid, a.attnum, 'select') order by a.attnum) end as columns
     from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where c.relkind in ('r', 'v', 'm', 'p') and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg_toast%'
       and has_any_column_privilege('cus_app', c.oid, 'select') order by 1`,
  );
}, 120_000);

afterAll(async () => {
  await app.close();
});

describe('delivery notes, as raw SQL under the app role', () => {
  test('the sweep reads every relation the app role may read, the tables that held notes among them', () => {
    expect(relations.map((r) => r.name)).toEqual(expect.arrayContaining(['public.delivery', 'public.delivery_correction']));
    expect(relations.length).toBeGreaterThan(50);
  });

  test('a services organiser of the gmina reads the sessions, and neither note, now or as it was, in any table', async () => {
    const organiser = settingsOf(Role.SERVICES_ORGANISER, [GMINA]);
    // The session itself stays the organiser's to read: the wall is around the note alone.
    expect(await rawAsApp('select id from delivery where id = $1', [rawId(deliveryId)], organiser)).toHaveLength(1);
    expect(await holding(organiser, FIRST_NOTE, SECOND_NOTE)).toEqual([[], []]);
  });

  test('no other principal without access to the notes finds them either', async () => {
    const others = {
      COMMUNITY_ORGANISER: settingsOf(Role.COMMUNITY_ORGANISER, [GMINA]),
      GMINA_OFFICIAL: settingsOf(Role.GMINA_OFFICIAL, [GMINA]),
      'COORDINATOR of another gmina': settingsOf(Role.COORDINATOR, [OTHER]),
      'another PARTNER': settingsOf(Role.PARTNER, [], '0193a000-0000-7000-8000-0000000000aa'),
      MINISTRY: settingsOf(Role.MINISTRY),
      PLATFORM_ADMIN: settingsOf(Role.PLATFORM_ADMIN),
    };
    for (const [who, settings] of Object.entries(others)) {
      expect({ who, found: await holding(settings, FIRST_NOTE, SECOND_NOTE) }).toEqual({ who, found: [[], []] });
    }
  });

  test('the coordinator, the director and the partner that wrote them read both notes, in delivery_note alone', async () => {
    for (const [who, settings] of Object.entries({
      COORDINATOR: settingsOf(Role.COORDINATOR, [GMINA]),
      DIRECTOR: settingsOf(Role.DIRECTOR, [GMINA]),
      PARTNER: settingsOf(Role.PARTNER, [], partnerId),
    })) {
      expect({ who, found: await holding(settings, FIRST_NOTE, SECOND_NOTE) }).toEqual({ who, found: [['public.delivery_note'], ['public.delivery_note']] });
    }
  });

  test('a note is written by its partner for the current version only, and never rewritten', async () => {
    const id = rawId(deliveryId);
    const refused = (sql: string, settings: Record<string, string>) =>
      rawAsApp(sql, [id], settings).then(
        () => 'written',
        (e: { code?: string }) => e.code,
      );
    const organiser = settingsOf(Role.SERVICES_ORGANISER, [GMINA]);
    const coordinator = settingsOf(Role.COORDINATOR, [GMINA]);
    const own = settingsOf(Role.PARTNER, [], partnerId);
    // The delivery is at version 2 (one correction).
    expect(
      await refused(
        `insert into delivery_note (delivery_id, version, gmina_id, partner_id, note) select $1, 2, gmina_id, partner_id, 'x' from delivery where id = $1`,
        organiser,
      ),
    ).toBe('42501');
    expect(
      await refused(
        `insert into delivery_note (delivery_id, version, gmina_id, partner_id, note) select $1, 2, gmina_id, partner_id, 'x' from delivery where id = $1`,
        coordinator,
      ),
    ).toBe('42501');
    // The first note's version is history; the current one has its note.
    expect(await refused(`insert into delivery_note (delivery_id, version, gmina_id, partner_id, note) values ($1, 1, 0, $1, 'x')`, own)).toBe('42501');
    expect(await refused(`insert into delivery_note (delivery_id, version, gmina_id, partner_id, note) values ($1, 2, 0, $1, 'x')`, own)).toBe('23505');
    expect(await refused(`update delivery_note set note = 'x' where delivery_id = $1`, own)).toBe('42501');
    expect(await refused(`delete from delivery_note where delivery_id = $1`, own)).toBe('42501');
  });
});

describe('delivery notes through the API, as before', () => {
  const DOC = `query($c: ID!) { deliveries(first: 10, filter: { commissionId: $c }) { nodes { id note corrections { version note } } } }`;

  test('a services organiser gets FORBIDDEN on the note and on the note kept with a correction', async () => {
    const res = await app.gql(world.organiser, DOC, { c: commissionId });
    expect(res.body.data.deliveries.nodes).toEqual([{ id: deliveryId, note: null, corrections: [{ version: 1, note: null }] }]);
    expect(codes(res)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
  });

  test('coordinators, the director and the partner read the note and the one it replaced', async () => {
    for (const who of [world.coordinator, world.director, partner]) {
      const res = await app.gql(who, DOC, { c: commissionId });
      expect(res.body.errors, who.role).toBeUndefined();
      expect(res.body.data.deliveries.nodes).toEqual([{ id: deliveryId, note: SECOND_NOTE, corrections: [{ version: 1, note: FIRST_NOTE }] }]);
    }
  });

  test('a correction that leaves the note out keeps it; one that clears it keeps the old one as history', async () => {
    const NOTE = 'delivery { version note corrections { version note } }';
    const read = await app.gql(partner, 'query($id: ID!) { node(id: $id) { ... on Delivery { version } } }', { id: deliveryId });
    let version: number = read.body.data.node.version;
    const kept = await mutate(app, partner, 'deliveryCorrect', 'DeliveryCorrectInput', NOTE, { id: deliveryId, version, durationMinutes: 50 });
    expect(kept.delivery.note).toBe(SECOND_NOTE);
    version = kept.delivery.version;
    const cleared = await mutate(app, partner, 'deliveryCorrect', 'DeliveryCorrectInput', NOTE, { id: deliveryId, version, note: null });
    expect(cleared.delivery.note).toBeNull();
    expect(cleared.delivery.corrections.map((c: { note: string | null }) => c.note)).toEqual([FIRST_NOTE, SECOND_NOTE, SECOND_NOTE]);
  });
});

describe("a delivery mutation's result, as a services organiser", () => {
  const RESULT = 'delivery { id version durationMinutes note } userErrors { field code }';
  const sessionsOfUnitItem = async () => {
    const res = await app.gql(world.coordinator, 'query($i: ID!) { deliveries(first: 100, filter: { itemId: $i }) { nodes { id version durationMinutes } } }', {
      i: unitItemId,
    });
    expect(res.body.errors).toBeUndefined();
    return res.body.data.deliveries.nodes;
  };

  test('gets FORBIDDEN on the note alone, with the rest of the payload, and the session recorded and corrected stands', async () => {
    const recorded = await app.gql(world.organiser, `mutation($input: DeliveryRecordInput!) { deliveryRecord(input: $input) { ${RESULT} } }`, {
      input: { itemId: unitItemId, deliveredOn: sessionDay(), startsAt: '11:00', durationMinutes: 45, outcome: 'DELIVERED' },
    });
    expect(codes(recorded)).toEqual(['FORBIDDEN']);
    expect(recorded.body.errors?.[0].path).toEqual(['deliveryRecord', 'delivery', 'note']);
    const delivery = recorded.body.data.deliveryRecord.delivery;
    expect(recorded.body.data.deliveryRecord).toEqual({ delivery: { id: expect.any(String), version: 1, durationMinutes: 45, note: null }, userErrors: [] });
    // The refusal is of a field of the result: the write stands, as a query's would.
    expect(await sessionsOfUnitItem()).toEqual([{ id: delivery.id, version: 1, durationMinutes: 45 }]);

    const corrected = await app.gql(world.organiser, `mutation($input: DeliveryCorrectInput!) { deliveryCorrect(input: $input) { ${RESULT} } }`, {
      input: { id: delivery.id, version: 1, durationMinutes: 30 },
    });
    expect(codes(corrected)).toEqual(['FORBIDDEN']);
    expect(corrected.body.errors?.[0].path).toEqual(['deliveryCorrect', 'delivery', 'note']);
    expect(corrected.body.data.deliveryCorrect).toEqual({ delivery: { id: delivery.id, version: 2, durationMinutes: 30, note: null }, userErrors: [] });
    expect(await sessionsOfUnitItem()).toEqual([{ id: delivery.id, version: 2, durationMinutes: 30 }]);
  });

  test('a correction that leaves the note out keeps it, though the organiser may not read it', async () => {
    const recorded = await mutate(app, world.coordinator, 'deliveryRecord', 'DeliveryRecordInput', 'delivery { id version }', {
      itemId: unitItemId,
      deliveredOn: sessionDay(),
      startsAt: '13:00',
      durationMinutes: 45,
      outcome: 'DELIVERED',
      note: 'Pani Helena prosi o wcześniejszą godzinę',
    });
    const corrected = await app.gql(
      world.organiser,
      `mutation($input: DeliveryCorrectInput!) { deliveryCorrect(input: $input) { delivery { id version } userErrors { field code } } }`,
      {
        input: { id: recorded.delivery.id, version: 1, durationMinutes: 40 },
      },
    );
    expect(corrected.body.data.deliveryCorrect).toEqual({ delivery: { id: recorded.delivery.id, version: 2 }, userErrors: [] });
    const read = await app.gql(world.coordinator, 'query($id: ID!) { node(id: $id) { ... on Delivery { version durationMinutes note } } }', {
      id: recorded.delivery.id,
    });
    expect(read.body.data.node).toEqual({ version: 2, durationMinutes: 40, note: 'Pani Helena prosi o wcześniejszą godzinę' });
  });
});
