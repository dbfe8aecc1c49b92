import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestApp, type TestApp, type Who } from './support/app.js';
import { activatePlan } from './support/commissioned-world.js';
import { addDays, mutate, today } from './support/fixtures.js';
import { planWorld, type PlanWorld } from './support/plan-world.js';
import { pdfText } from './support/pdf-text.js';
import { IPUS_DOCUMENT_PDF_SELECTION } from '../src/modules/ipus/ipus-document-pdf.js';
import { polishDay } from '../src/platform/pdf/pdf-document.js';

/**
 * The IPUS as a document for the resident to sign (issue 20, "Documents"): `ipus(id)` asked with
 * Accept: application/pdf, read back as text; another gmina gets no PDF.
 * Gminy (śląskie): A Blachownia (2404013), B Dąbrowa Zielona (2404022).
 */
const A = '2404013';
const B = '2404022';

let app: TestApp;
let world: PlanWorld;
let planId: string;

beforeAll(async () => {
  app = await startTestApp();
  world = await planWorld(app, A, B);
  const { applicationId } = await world.application(1);
  // An active plan: the document then carries the day of the resident's agreement.
  const draft = (
    await mutate(app, world.coordinator, 'ipusCreate', 'IpusCreateInput', 'ipus { id revision }', {
      ...world.draftInput(applicationId),
      coordinatedHelp: [
        {
          system: 'HEALTH_CARE',
          providerName: 'Przychodnia Rehabilitacyjna NFZ',
          description: 'Rehabilitacja ruchowa',
          weekly: { weekdays: ['WE'], startsAt: '08:00', endsAt: '09:00' },
        },
      ],
    })
  ).ipus;
  planId = draft.id;
  await activatePlan(app, world, draft, 'ipus { revision }');
}, 60_000);
afterAll(() => app?.close());

async function ipusPdf(who: Who, id: string, selection = IPUS_DOCUMENT_PDF_SELECTION) {
  return fetch(app.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/pdf', authorization: `Bearer ${await app.token(who)}` },
    body: JSON.stringify({ query: `query($id: ID!) { ipus(id: $id) { ${selection} } }`, variables: { id } }),
  });
}

describe('the IPUS document', () => {
  test('prints the resident, the period, the goals, the services with provider, place and schedule, the supporting actions, the coordinated help, the coordinator and the agreement, in Polish', async () => {
    const response = await ipusPdf(world.coordinator, planId);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    const text = (await pdfText(new Uint8Array(await response.arrayBuffer()))).replace(/\s+/g, ' ');
    for (const phrase of [
      'Indywidualny plan usług społecznych',
      'Mieszkaniec Helena Planowa',
      'Koordynator (KIPUS) Anna Koordynatorka',
      `Okres realizacji od ${polishDay(today())} do ${polishDay(addDays(today(), 180))}`,
      'Cele',
      '1. Samodzielne funkcjonowanie w domu',
      'Usługi',
      'Usługi opiekuńcze',
      'Centrum usług społecznych',
      'w domu mieszkańca',
      'wt., czw. 10:00–12:00',
      '4 godz.',
      'Działania wspierające',
      'Zakupy raz w tygodniu (sąsiad: Pani Zofia',
      'Pomoc z innych systemów',
      '1. Rehabilitacja ruchowa – Przychodnia Rehabilitacyjna NFZ (ochrona zdrowia (NFZ); śr. 08:00',
      'Zgoda mieszkańca',
      `Data zgody ${polishDay(today())}`,
      'Podpis mieszkańca',
    ]) {
      expect(text).toContain(phrase);
    }
  });

  test("another gmina's coordinator gets an error as JSON and no PDF; a short selection is refused", async () => {
    const foreign = await ipusPdf(world.otherCoordinator, planId);
    expect(foreign.headers.get('content-type')).toMatch(/json/);
    expect(await foreign.text()).not.toContain('%PDF-');
    const short = await ipusPdf(world.coordinator, planId, 'status goals { description }');
    expect(short.status).toBe(406);
    expect(((await short.json()) as { errors: { message: string }[] }).errors[0].message).toContain('supportingActions');
  });
});
