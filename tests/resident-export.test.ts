import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { rawAsOwner, Role, startTestApp, type TestApp, type Who } from './support/app.js';
import { addDays, mutate, staff, today } from './support/fixtures.js';
import { DEMO_RESIDENTS } from '../seeds/demo/residents.js';
import { toGlobalId } from '../src/platform/graphql/node.js';
import { pdfText } from './support/pdf-text.js';
import { residentExportPdf } from '../src/modules/resident/resident-export-pdf.js';

/**
 * The subject-access export (GDPR art. 15), complete and readable by the person (issue 20): the
 * demo's Helena Testowa of Wiązowna (1417082), whose plan has care the centre gives itself and
 * sessions of two partners (with notes and a correction), and help coordinated from outside the
 * catalogue. Sessions by name of who gave them, the purposes and legal bases, recipients, retention
 * and rights; and no other person's data.
 */
const WIAZOWNA = '1417082';
const director = staff(Role.DIRECTOR, WIAZOWNA);
const coordinator = staff(Role.COORDINATOR, WIAZOWNA);
const helena = toGlobalId('Resident', DEMO_RESIDENTS.helena);

let app: TestApp;
let inHouseId: string;
/** The signed plan's scan attached to Helena's active plan: its content must not be in the export, only what was kept and when. */
const SCAN = Buffer.from('%PDF-1.4\nHelena Testowa podpisała plan\n%%EOF\n');

const exportOf = async (who: Who, id: string) => {
  const res = await app.gql(who, `query($id: ID!) { residentDataExport(id: $id) }`, { id });
  expect(res.body.errors).toBeUndefined();
  return res.body.data.residentDataExport;
};

beforeAll(async () => {
  app = await startTestApp();
  // A session of the care the centre gives itself, recorded by the coordinator, the evening before today.
  const plans = await app.gql(coordinator, `query($id: ID!) { resident(id: $id) { plans { id status items { id providerKind startOn endOn } } } }`, {
    id: helena,
  });
  const active = plans.body.data.resident.plans.find((p: { status: string }) => p.status === 'ACTIVE');
  const item = active.items.find(
    (i: { providerKind: string; startOn: string; endOn: string }) => i.providerKind === 'CUS' && i.startOn < today() && i.endOn >= today(),
  );
  const recorded = await mutate(app, coordinator, 'deliveryRecord', 'DeliveryRecordInput', 'delivery { id }', {
    itemId: item.id,
    deliveredOn: addDays(today(), -1),
    startsAt: '20:00',
    durationMinutes: 45,
    outcome: 'DELIVERED',
    note: 'Pomoc przy kolacji; pani Helena w dobrym nastroju',
  });
  inHouseId = recorded.delivery.id;
  await mutate(app, coordinator, 'ipusAgreementScanAttach', 'IpusAgreementScanAttachInput', 'scan { id }', {
    ipusId: active.id,
    fileName: 'ipus-helena-podpisany.pdf',
    contentBase64: SCAN.toString('base64'),
  });
  await mutate(app, coordinator, 'residentIncomeDeclare', 'ResidentIncomeDeclareInput', 'resident { id }', {
    residentId: helena,
    householdIncome: '2150.40',
    householdSize: 2,
    declaredOn: addDays(today(), -3),
  });
}, 60_000);
afterAll(async () => {
  await app.close();
});

describe('the export as JSON', () => {
  test('sessions of the centre and of partners, with notes and corrections, by name of who gave them', async () => {
    const doc = await exportOf(director, helena);
    const partnerSessions = doc.deliveries.filter((d: any) => d.providerKind === 'PARTNER');
    expect(partnerSessions.length).toBeGreaterThan(0);
    expect(new Set(partnerSessions.map((d: any) => d.providerName))).toEqual(new Set(doc.partners.map((p: any) => p.name)));
    for (const session of doc.deliveries) expect(session.serviceName).toEqual(expect.any(String));
    const inHouse = doc.deliveries.find((d: any) => d.id === Buffer.from(inHouseId, 'base64url').toString().split(':')[1]);
    expect(inHouse).toMatchObject({
      providerKind: 'CUS',
      partnerId: null,
      deliveredOn: addDays(today(), -1),
      durationMinutes: 45,
      outcome: 'DELIVERED',
      recordedBy: 'dev-coordinator',
      note: 'Pomoc przy kolacji; pani Helena w dobrym nastroju',
      corrections: [],
    });
    // Partners' notes and the correction history, with the note each version carried.
    expect(doc.deliveries.some((d: any) => d.providerKind === 'PARTNER' && typeof d.note === 'string')).toBe(true);
    const corrected = doc.deliveries.filter((d: any) => d.corrections.length > 0);
    expect(corrected.length).toBeGreaterThan(0);
    expect(corrected[0].corrections[0]).toMatchObject({ version: 1, changedBy: expect.any(String), previous: { deliveredOn: expect.any(String) } });
    // Partners by name, and the plan's items name their service and partner.
    expect(doc.partners.map((p: any) => p.name)).toEqual(expect.arrayContaining(['RehaMobil sp. z o.o.']));
    const items = doc.plans.flatMap((p: any) => p.items);
    expect(items.every((i: any) => typeof i.serviceName === 'string')).toBe(true);
    expect(items.filter((i: any) => i.providerKind === 'PARTNER').every((i: any) => typeof i.partnerName === 'string')).toBe(true);
    expect(doc.plans.flatMap((p: any) => p.coordinatedHelp).map((h: any) => h.providerName)).toEqual(['Zespół ds. świadczeń, Urząd Gminy Wiązowna']);
    expect(doc.controllers.map((c: any) => c.name)).toEqual(['Centrum Usług Społecznych w Wiązownie']);
    for (const plan of doc.plans) {
      expect(Array.isArray(plan.waitingList)).toBe(true);
      expect(plan).toHaveProperty('agreementScan');
    }
    // The signed plan's scan: its name and when, never its content; the income the person declared.
    const active = doc.plans.find((p: any) => p.status === 'ACTIVE');
    expect(active.agreementScan).toMatchObject({ fileName: 'ipus-helena-podpisany.pdf', sizeBytes: SCAN.length });
    expect(active.agreementScan).not.toHaveProperty('content');
    const json = JSON.stringify(doc);
    expect(json).not.toContain(SCAN.toString('base64'));
    expect(json).not.toContain(SCAN.toString('hex'));
    expect(json).not.toContain('Helena Testowa podpisała plan');
    expect(doc.incomeDeclarations).toContainEqual(
      expect.objectContaining({ householdIncome: 2150.4, householdSize: 2, declaredOn: addDays(today(), -3), declaredBy: 'dev-coordinator' }),
    );
  });

  test('the purposes and legal bases of each processing, recipients, retention and rights', async () => {
    const doc = await exportOf(director, helena);
    const sections = doc.processing.flatMap((p: any) => p.sections);
    for (const section of ['record', 'sensitive', 'applications', 'plans', 'deliveries', 'incomeDeclarations', 'accessLog', 'searches']) {
      expect(sections).toContain(section);
      expect(doc).toHaveProperty(section);
    }
    const bases = doc.processing.flatMap((p: any) => p.legalBases).join(' ');
    for (const basis of [
      'art. 6 ust. 1 lit. c',
      'lit. e',
      'art. 9 ust. 2 lit. b',
      'lit. h',
      'usług społecznych przez centrum usług społecznych',
      'o pomocy społecznej',
    ]) {
      expect(bases).toContain(basis);
    }
    expect(doc.recipients.join(' ')).toMatch(/Ministerstwo.*zbiorcze/);
    expect(doc.retention.length).toBeGreaterThan(0);
    expect(doc.rights.join(' ')).toContain('Prezesa Urzędu Ochrony Danych Osobowych');
  });

  test("holds no other person's data", async () => {
    const doc = await exportOf(director, helena);
    const text = JSON.stringify(doc);
    const others = await rawAsOwner<{ id: string; first_name: string; last_name: string; pesel: string | null }>(
      `select id, first_name, last_name, pesel from resident where id <> $1 and merged_into is distinct from $1`,
      [DEMO_RESIDENTS.helena],
    );
    expect(others.length).toBeGreaterThan(5);
    for (const other of others) {
      expect(text).not.toContain(other.id);
      expect(text).not.toContain(`${other.first_name} ${other.last_name}`);
      if (other.pesel) expect(text).not.toContain(other.pesel);
    }
    // Every session is of one of her plans.
    const planIds = new Set(doc.plans.map((p: any) => p.id));
    for (const session of doc.deliveries) expect(planIds.has(session.ipusId)).toBe(true);
  });

  test('only the director exports; another gmina gets nothing', async () => {
    for (const who of [coordinator, staff(Role.SERVICES_ORGANISER, WIAZOWNA), staff(Role.GMINA_OFFICIAL, WIAZOWNA)]) {
      const res = await app.gql(who, `query($id: ID!) { residentDataExport(id: $id) }`, { id: helena });
      expect(res.body.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    }
    expect(await exportOf(staff(Role.DIRECTOR, '0611102'), helena)).toBeNull();
  });
});

describe('the export as a PDF in Polish, for the person', () => {
  const pdfOf = async (who: Who, id: string) =>
    fetch(app.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/pdf', authorization: `Bearer ${await app.token(who)}` },
      body: JSON.stringify({ query: 'query($id: ID!) { residentDataExport(id: $id) }', variables: { id } }),
    });

  test('every section, with Polish letters, the sessions by name of who gave them, and no other person', async () => {
    const response = await pdfOf(director, helena);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="dane-osobowe-Testowa-Helena.pdf"');
    const words = (await pdfText(new Uint8Array(await response.arrayBuffer()))).replace(/\s+/g, ' ');
    for (const section of [
      'Informacja o przetwarzanych danych osobowych',
      '1. Dane osobowe',
      '2. Dane o zdrowiu i niepełnosprawności',
      '3. Wnioski i rozpoznanie potrzeb',
      '4. Indywidualne plany usług społecznych (IPUS)',
      '5. Zrealizowane usługi',
      '6. Partnerzy, którzy otrzymali Pani/Pana dane',
      '7. Oświadczenia o dochodach',
      '8. Cele i podstawy prawne przetwarzania',
      '9. Odbiorcy danych',
      '10. Jak długo przechowujemy dane',
      '11. Kto odczytywał Pani/Pana dane',
      '12. Wyszukiwania',
      '13. Pani/Pana prawa',
    ]) {
      expect(words).toContain(section);
    }
    for (const phrase of [
      'Helena Testowa',
      'Centrum Usług Społecznych w Wiązownie',
      'RehaMobil sp. z o.o.',
      'Pomoc przy kolacji; pani Helena w dobrym nastroju',
      'Zespół ds. świadczeń, Urząd Gminy Wiązowna',
      'art. 9 ust. 2 lit. b RODO',
      'Prezesa Urzędu Ochrony Danych Osobowych',
    ]) {
      expect(words).toContain(phrase);
    }
    const others = await rawAsOwner<{ first_name: string; last_name: string; pesel: string | null }>(
      `select first_name, last_name, pesel from resident where id <> $1 and merged_into is distinct from $1`,
      [DEMO_RESIDENTS.helena],
    );
    for (const other of others) {
      expect(words).not.toContain(`${other.first_name} ${other.last_name}`);
      if (other.pesel) expect(words).not.toContain(other.pesel);
    }
  });

  test('codes print by the list of their own field, free text as written, weekdays in Polish (found in review)', async () => {
    const plan = {
      status: 'ACTIVE',
      items: [{ serviceName: 'Usługi opiekuńcze', providerKind: 'CUS', weekdays: ['MO', 'TH'], startsAt: '10:00:00', endsAt: '12:00:00' }],
      monitoringNotes: [{ notedOn: '2026-12-01', authorName: 'Anna Koordynator', note: 'OTHER' }],
      revisions: [{ changedAt: '2026-12-01T10:00:00Z', kind: 'ACTIVATED', changedByRole: 'COORDINATOR' }],
    };
    const pdf = await residentExportPdf({ record: { firstName: 'Jan', lastName: 'Próbny', sex: 'MALE' }, plans: [plan] });
    const words = (await pdfText(new Uint8Array(pdf))).replace(/\s+/g, ' ');
    expect(words).toContain('mężczyzna');
    expect(words).toContain('pon., czw. 10:00–12:00');
    expect(words).toContain('(Anna Koordynator): OTHER');
    expect(words).toContain('zgoda mieszkańca i rozpoczęcie realizacji (koordynator)');
    expect(words).toContain('centrum usług społecznych');
  });

  test('as JSON it is refused to others exactly as the query is; an id of another gmina is no PDF', async () => {
    const forbidden = await pdfOf(coordinator, helena);
    expect(forbidden.headers.get('content-type')).not.toBe('application/pdf');
    const elsewhere = await pdfOf(staff(Role.DIRECTOR, '0611102'), helena);
    expect(elsewhere.status).toBe(406);
    expect(elsewhere.headers.get('content-type')).not.toBe('application/pdf');
    expect(JSON.stringify(await elsewhere.json())).toContain('No such resident');
  });
});
