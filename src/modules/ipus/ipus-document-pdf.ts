/**
 * The IPUS as a document for the resident to sign (issue 20, "Documents"): the goals, the services with
 * their providers, places and schedules, the supporting actions, the help coordinated from other systems,
 * the coordinator and the period, in
 * Polish, from an `ipus(id)` query asked with `Accept: application/pdf`; a signature block at the end.
 */
import { PdfDocumentBuilder, polishDay } from '../../platform/pdf/pdf-document.js';
import { requestedDocument, selectionOf, type PdfAnswer, type Shape } from '../pdf-answers.js';
import { scheduleText } from '../common/schedule-text.js';

/** What the document prints, as the `ipus(id)` query selects it. */
const IPUS_SHAPE = {
  periodStart: true,
  periodEnd: true,
  preparedOn: true,
  coordinatorName: true,
  agreedOn: true,
  resident: { firstName: true, lastName: true },
  cusUnit: { name: true },
  goals: { position: true, description: true },
  items: {
    position: true,
    service: { name: true },
    providerKind: true,
    partner: { name: true },
    providerUnitName: true,
    placeKind: true,
    location: { name: true },
    weekdays: true,
    startsAt: true,
    endsAt: true,
    sessionCount: true,
    startOn: true,
    endOn: true,
    quantity: true,
    quantityUnit: true,
  },
  supportingActions: { position: true, description: true, giverKind: true, giverName: true, schedule: true },
  coordinatedHelp: { position: true, system: true, providerName: true, description: true, schedule: true, weekdays: true, startsAt: true, endsAt: true },
} satisfies Shape;

/** The selection of `ipus(id)` its PDF needs (README, "Decisions and the plan as documents"). */
export const IPUS_DOCUMENT_PDF_SELECTION = selectionOf(IPUS_SHAPE);

type Named = { name: string } | null;
interface IpusDocument {
  periodStart: string;
  periodEnd: string;
  preparedOn: string;
  coordinatorName: string;
  agreedOn: string | null;
  resident: { firstName: string; lastName: string };
  cusUnit: { name: string };
  goals: { position: number; description: string }[];
  items: {
    position: number;
    service: Named;
    providerKind: string;
    partner: Named;
    providerUnitName: string | null;
    placeKind: string;
    location: Named;
    weekdays: string[] | null;
    startsAt: string | null;
    endsAt: string | null;
    sessionCount: number | null;
    startOn: string;
    endOn: string;
    quantity: number;
    quantityUnit: string;
  }[];
  supportingActions: { position: number; description: string; giverKind: string; giverName: string | null; schedule: string | null }[];
  coordinatedHelp: {
    position: number;
    system: string;
    providerName: string;
    description: string;
    schedule: string | null;
    weekdays: string[] | null;
    startsAt: string | null;
    endsAt: string | null;
  }[];
}

const UNITS: Record<string, string> = { HOURS: 'godz.', SESSIONS: 'spotkań', DAYS: 'dni', MEALS: 'posiłków', UNITS: 'szt.' };
const GIVERS: Record<string, string> = {
  VOLUNTEER: 'wolontariusz',
  NEIGHBOUR: 'sąsiad',
  SELF_HELP_GROUP: 'grupa samopomocowa',
  FAMILY: 'rodzina',
  OTHER: 'inna osoba',
};
const SYSTEMS: Record<string, string> = {
  HEALTH_CARE: 'ochrona zdrowia (NFZ)',
  SOCIAL_ASSISTANCE: 'pomoc społeczna',
  EDUCATION: 'oświata',
  LABOUR_MARKET: 'rynek pracy (PUP)',
  DISABILITY_SUPPORT: 'wsparcie osób z niepełnosprawnościami',
  FAMILY_SUPPORT: 'wspieranie rodziny',
  OTHER: 'inny system',
};
const byPosition = <T extends { position: number }>(rows: T[]): T[] => [...rows].sort((a, b) => a.position - b.position);

type Item = IpusDocument['items'][number];
const provider = (i: Item): string =>
  i.providerKind === 'PARTNER'
    ? (i.partner?.name ?? 'partner')
    : i.providerKind === 'GMINA_UNIT'
      ? (i.providerUnitName ?? 'jednostka gminy')
      : 'Centrum usług społecznych';
const place = (i: Item): string =>
  i.placeKind === 'LOCATION' ? (i.location?.name ?? 'miejsce z katalogu') : i.placeKind === 'RESIDENT_HOME' ? 'w domu mieszkańca' : 'online';
function schedule(i: Item): string {
  return `${scheduleText(i) || 'wg ustaleń'}; od ${i.startOn} do ${i.endOn}`;
}

/** The plan drawn for signature. */
export async function ipusDocumentPdf(p: IpusDocument): Promise<Buffer> {
  const resident = `${p.resident.firstName} ${p.resident.lastName}`;
  const doc = new PdfDocumentBuilder({ title: `Indywidualny plan usług społecznych – ${resident}`, author: p.cusUnit.name, footer: p.cusUnit.name });
  doc.title('Indywidualny plan usług społecznych (IPUS)');
  doc.keyValues([
    ['Mieszkaniec', resident],
    ['Centrum usług społecznych', p.cusUnit.name],
    ['Koordynator (KIPUS)', p.coordinatorName],
    ['Okres realizacji', `od ${polishDay(p.periodStart)} do ${polishDay(p.periodEnd)}`],
    ['Data przygotowania', polishDay(p.preparedOn)],
  ]);
  doc.heading('Cele');
  if (p.goals.length === 0) doc.paragraph('—');
  for (const g of byPosition(p.goals)) doc.paragraph(`${g.position}. ${g.description}`);
  doc.heading('Usługi');
  doc.table({
    columns: [
      { header: 'Usługa', weight: 2 },
      { header: 'Realizator', weight: 2 },
      { header: 'Miejsce', weight: 2 },
      { header: 'Harmonogram', weight: 3 },
      { header: 'Wymiar', weight: 1, align: 'right' },
    ],
    rows: byPosition(p.items).map((i) => [
      i.service?.name ?? '—',
      provider(i),
      place(i),
      schedule(i),
      `${i.quantity} ${UNITS[i.quantityUnit] ?? i.quantityUnit}`,
    ]),
  });
  doc.heading('Działania wspierające');
  if (p.supportingActions.length === 0) doc.paragraph('—');
  for (const a of byPosition(p.supportingActions)) {
    const who = [GIVERS[a.giverKind] ?? a.giverKind, a.giverName].filter(Boolean).join(': ');
    doc.paragraph(`${a.position}. ${a.description} (${who}${a.schedule ? `; ${a.schedule}` : ''})`);
  }
  // Part of the plan (README): the resident signs for the whole of the help, not only the centre's services.
  doc.heading('Pomoc z innych systemów');
  if (p.coordinatedHelp.length === 0) doc.paragraph('—');
  for (const h of byPosition(p.coordinatedHelp)) {
    const when = [h.schedule, scheduleText({ weekdays: h.weekdays, startsAt: h.startsAt, endsAt: h.endsAt })].filter(Boolean).join('; ');
    doc.paragraph(`${h.position}. ${h.description} – ${h.providerName} (${SYSTEMS[h.system] ?? h.system}${when ? `; ${when}` : ''})`);
  }
  doc.heading('Zgoda mieszkańca');
  doc.paragraph('Zapoznałem(-am) się z planem i wyrażam zgodę na jego realizację.');
  doc.keyValues([
    ['Data zgody', p.agreedOn ? polishDay(p.agreedOn) : '………………………'],
    ['Podpis mieszkańca', '………………………'],
    ['Podpis koordynatora', '………………………'],
  ]);
  return doc.render();
}

/** The answer to an `ipus(id)` query sent with `Accept: application/pdf`: the plan as a document; null for any other data. */
export const ipusDocumentPdfAnswer: PdfAnswer = {
  field: 'ipus',
  async render(data) {
    const requested = requestedDocument<IpusDocument>(data, 'ipus', IPUS_SHAPE, 'No such plan');
    if (!requested || 'error' in requested) return requested;
    const p = requested.document;
    return { body: await ipusDocumentPdf(p), contentType: 'application/pdf', filename: `ipus-${p.resident.lastName}-${p.periodStart}.pdf` };
  },
};
