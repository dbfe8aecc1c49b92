/**
 * The subject-access export (GDPR art. 15) as a PDF in Polish for the person (issue 20, "Documents"):
 * the same document as the JSON answer of `residentDataExport`, laid out section by section on the
 * platform's PDF builder (DejaVu fonts, so the Polish letters print). Nothing is read here: it draws the
 * answer the query already gave, so the PDF holds exactly what the JSON holds.
 */
import { PdfDocumentBuilder } from '../../platform/pdf/pdf-document.js';
import { requestedDocument, type PdfAnswer, type Shape } from '../pdf-answers.js';
import {
  APPLICATION_STATUS_LABELS,
  COORDINATED_HELP_SYSTEM_LABELS,
  DELIVERY_OUTCOME_LABELS,
  DISABILITY_LEVEL_LABELS,
  IPUS_CHANGE_KIND_LABELS,
  IPUS_STATUS_LABELS,
  PROVIDER_KIND_LABELS,
  ROLE_LABELS,
  SEX_LABELS,
  WAITING_LIST_STATUS_LABELS,
} from '../common/domain.labels.js';
import { scheduleText, type SessionSchedule } from '../common/schedule-text.js';
import type { ProcessingActivity } from './resident-export-notice.js';

type Row = Record<string, unknown>;
type Rows = Row[];

/** An enum field's Polish name from its own list (the same code means different things in two lists); free text is never looked up. */
const label = (labels: Record<string, string>, value: unknown): string => (typeof value === 'string' ? (labels[value] ?? value) : text(value));
const text = (value: unknown): string => {
  if (value === null || value === undefined || value === '') return '—';
  if (Array.isArray(value)) return value.map(text).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
};
/** A timestamp as a Warsaw date and time. */
const when = (value: unknown): string =>
  typeof value === 'string' && value.includes('T')
    ? new Date(value).toLocaleString('pl-PL', { timeZone: 'Europe/Warsaw', dateStyle: 'short', timeStyle: 'short' })
    : text(value);
const list = (value: unknown): Rows => (Array.isArray(value) ? (value as Rows) : []);
const hhmm = (value: unknown) => (typeof value === 'string' ? value.slice(0, 5) : '—');

function address(a: unknown): string {
  const parts = (a ?? {}) as Row;
  return [parts.street, [parts.postalCode, parts.city].filter(Boolean).join(' ')].filter(Boolean).join(', ') || '—';
}

/** An item's sessions as the plan's document prints them, or coordinated help's own schedule (free text). */
const schedule = (row: Row): string => [scheduleText(row as SessionSchedule), row.schedule as string | null].filter(Boolean).join('; ') || '—';

/** Prints a table, or one line saying there is nothing. */
function tableOrNone(doc: PdfDocumentBuilder, headers: [string, number][], rows: string[][], none: string): void {
  if (rows.length === 0) doc.paragraph(none);
  else doc.table({ columns: headers.map(([header, weight]) => ({ header, weight })), rows });
}

/** Reads of the record and searches that named the person: when, who, in what role, what operation. */
function accessTable(doc: PdfDocumentBuilder, entries: unknown, none: string): void {
  const headers: [string, number][] = [
    ['Kiedy', 2],
    ['Użytkownik', 2],
    ['Rola', 2],
    ['Operacja', 4],
  ];
  tableOrNone(
    doc,
    headers,
    list(entries).map((l) => [when(l.accessedAt), text(l.subject), label(ROLE_LABELS, l.role), text(l.operation)]),
    none,
  );
}

/** The export drawn, in the order of the JSON document. */
export async function residentExportPdf(e: Row): Promise<Buffer> {
  const record = e.record as Row;
  const name = `${text(record.firstName)} ${text(record.lastName)}`;
  const controllers = list(e.controllers);
  const controllerNames = controllers.map((c) => text(c.name)).join('; ') || 'centrum usług społecznych';
  const doc = new PdfDocumentBuilder({ title: `Dane osobowe: ${name} (art. 15 RODO)`, author: controllerNames, footer: controllerNames });

  doc.title('Informacja o przetwarzanych danych osobowych');
  doc.paragraph(`Kopia danych osobowych i informacja o ich przetwarzaniu (art. 15 RODO) dla: ${name}.`);
  doc.keyValues([
    ['Administrator danych', controllers.map((c) => `${text(c.name)}, ${text(c.seat)}`).join('; ') || '—'],
    ['Przygotowano', when(e.exportedAt)],
  ]);

  doc.heading('1. Dane osobowe');
  const contact = (record.contact ?? {}) as Row;
  doc.keyValues([
    ['Imię i nazwisko', name],
    ['PESEL', text(record.pesel)],
    ['Data urodzenia', text(record.birthDate)],
    ['Płeć', label(SEX_LABELS, record.sex)],
    ['Adres', address(record.address)],
    ['Telefon', text(contact.phone)],
    ['E-mail', text(contact.email)],
    ['Uwagi o gospodarstwie domowym', text(record.householdNotes)],
  ]);
  const sensitive = e.sensitive as Row | null;
  doc.heading('2. Dane o zdrowiu i niepełnosprawności');
  if (!sensitive) doc.paragraph('Nie przechowujemy takich danych.');
  else
    doc.keyValues([
      ['Stopień niepełnosprawności', label(DISABILITY_LEVEL_LABELS, sensitive.disabilityLevel)],
      ['Orzeczenie ważne do', text(sensitive.disabilityCertificateValidUntil)],
      ['Informacje o zdrowiu', text(sensitive.healthNotes)],
    ]);
  const merged = list(e.mergedRecords);
  if (merged.length > 0) {
    doc.paragraph(
      `Połączone zapisy tej samej osoby: ${merged.map((m) => `${text(m.firstName)} ${text(m.lastName)} (połączono ${when(m.mergedAt)})`).join('; ')}.`,
    );
  }

  doc.heading('3. Wnioski i rozpoznanie potrzeb');
  tableOrNone(
    doc,
    [
      ['Złożono', 1],
      ['Status', 1],
      ['Treść wniosku', 3],
      ['Rozpoznane potrzeby', 3],
    ],
    list(e.applications).map((a) => [
      text(a.filedOn),
      label(APPLICATION_STATUS_LABELS, a.status),
      text(a.requestText),
      list(a.needsAssessments)
        .flatMap((n) => list(n.needs).map((need) => text(need.description)))
        .join('; ') || '—',
    ]),
    'Brak wniosków.',
  );

  doc.heading('4. Indywidualne plany usług społecznych (IPUS)');
  const plans = list(e.plans);
  if (plans.length === 0) doc.paragraph('Brak planów.');
  for (const plan of plans) {
    doc.paragraph(
      `Plan na okres ${text(plan.periodStart)} – ${text(plan.periodEnd)}, status: ${label(IPUS_STATUS_LABELS, plan.status)}, koordynator: ${text(plan.coordinatorName)}.`,
    );
    doc.paragraph(
      `Cele: ${
        list(plan.goals)
          .map((g) => text(g.description))
          .join('; ') || '—'
      }.`,
    );
    tableOrNone(
      doc,
      [
        ['Usługa', 3],
        ['Kto realizuje', 3],
        ['Kiedy', 3],
        ['Od – do', 2],
      ],
      list(plan.items).map((i) => [
        text(i.serviceName),
        i.providerKind === 'PARTNER'
          ? text(i.partnerName)
          : i.providerKind === 'GMINA_UNIT'
            ? text(i.providerUnitName)
            : label(PROVIDER_KIND_LABELS, i.providerKind),
        schedule(i),
        `${text(i.startOn)} – ${text(i.endOn)}`,
      ]),
      'Plan nie ma usług.',
    );
    const actions = list(plan.supportingActions);
    if (actions.length > 0)
      doc.paragraph(`Działania wspierające: ${actions.map((a) => `${text(a.description)} (${text(a.giverName)}, ${text(a.schedule)})`).join('; ')}.`);
    const help = list(plan.coordinatedHelp);
    if (help.length > 0) {
      doc.paragraph('Pomoc z innych systemów koordynowana w planie:');
      tableOrNone(
        doc,
        [
          ['System', 2],
          ['Kto', 3],
          ['Co', 3],
          ['Kiedy', 3],
        ],
        help.map((h) => [label(COORDINATED_HELP_SYSTEM_LABELS, h.system), text(h.providerName), text(h.description), schedule(h)]),
        '',
      );
    }
    for (const wait of list(plan.waitingList)) {
      doc.paragraph(
        `Oczekiwanie na miejsce w usłudze: od ${text(wait.joinedOn)} (wniosek z ${text(wait.filedOn)}), status: ${label(WAITING_LIST_STATUS_LABELS, wait.status)}.`,
      );
    }
    const scan = plan.agreementScan as Row | null;
    if (scan) doc.paragraph(`Skan podpisanego planu: ${text(scan.fileName)}, dołączony ${when(scan.createdAt)}.`);
    for (const note of list(plan.monitoringNotes)) doc.paragraph(`Notatka z ${text(note.notedOn)} (${text(note.authorName)}): ${text(note.note)}`);
    doc.paragraph(
      `Historia zmian planu: ${list(plan.revisions)
        .map((r) => `${when(r.changedAt)} ${label(IPUS_CHANGE_KIND_LABELS, r.kind)} (${label(ROLE_LABELS, r.changedByRole)})`)
        .join('; ')}.`,
    );
  }

  doc.heading('5. Zrealizowane usługi (wizyty i spotkania)');
  tableOrNone(
    doc,
    [
      ['Dzień', 2],
      ['Godz.', 1],
      ['Min.', 1],
      ['Usługa', 3],
      ['Kto realizował', 3],
      ['Wynik', 2],
      ['Notatka', 4],
    ],
    list(e.deliveries).map((d) => [
      text(d.deliveredOn),
      hhmm(d.startsAt),
      text(d.durationMinutes),
      text(d.serviceName),
      d.providerKind === 'PARTNER' ? text(d.providerName) : d.providerName ? text(d.providerName) : label(PROVIDER_KIND_LABELS, d.providerKind),
      label(DELIVERY_OUTCOME_LABELS, d.outcome),
      text(d.note),
    ]),
    'Brak zapisanych wizyt.',
  );
  for (const d of list(e.deliveries)) {
    for (const c of list(d.corrections)) {
      const previous = (c.previous ?? {}) as Row;
      doc.paragraph(
        `Poprawka wizyty z ${text(d.deliveredOn)} (${when(c.changedAt)}): wcześniej ${text(previous.deliveredOn)} ${hhmm(previous.startsAt)}, ` +
          `${text(previous.durationMinutes)} min, ${label(DELIVERY_OUTCOME_LABELS, previous.outcome)}, notatka: ${text(previous.note)}.`,
      );
    }
  }

  doc.heading('6. Partnerzy, którzy otrzymali Pani/Pana dane');
  const partners = list(e.partners);
  doc.paragraph(partners.length === 0 ? 'Żaden partner nie otrzymał danych.' : partners.map((p) => text(p.name)).join('; '));

  doc.heading('7. Oświadczenia o dochodach');
  tableOrNone(
    doc,
    [
      ['Data oświadczenia', 1],
      ['Dochód gospodarstwa (zł)', 1],
      ['Liczba osób', 1],
    ],
    list(e.incomeDeclarations).map((i) => [text(i.declaredOn), text(i.householdIncome), text(i.householdSize)]),
    'Brak oświadczeń.',
  );

  doc.heading('8. Cele i podstawy prawne przetwarzania');
  for (const activity of (e.processing ?? []) as ProcessingActivity[]) {
    doc.paragraph(`${activity.purpose}. Podstawa: ${activity.legalBases.join('; ')}. Dane: ${activity.dataCategories}.`);
  }
  doc.heading('9. Odbiorcy danych');
  for (const recipient of (e.recipients ?? []) as string[]) doc.paragraph(`• ${recipient}`);
  doc.heading('10. Jak długo przechowujemy dane');
  doc.keyValues(((e.retention ?? []) as { what: string; period: string }[]).map((r) => [r.what, r.period]));

  doc.heading('11. Kto odczytywał Pani/Pana dane');
  accessTable(doc, e.accessLog, 'Nikt nie odczytywał danych.');
  doc.heading('12. Wyszukiwania, w których wskazano Panią/Pana');
  accessTable(doc, e.searches, 'Nikt nie wyszukiwał Pani/Pana po numerze PESEL ani identyfikatorze.');

  doc.heading('13. Pani/Pana prawa');
  for (const right of (e.rights ?? []) as string[]) doc.paragraph(`• ${right}`);
  doc.paragraph(text(e.source));
  doc.paragraph(text(e.automatedDecisions));
  return doc.render();
}

/** What the PDF needs of the export (a JSON answer: it has it whenever the query answered). */
const EXPORT_SHAPE = { record: { firstName: true, lastName: true } } satisfies Shape;

/** The answer to a `residentDataExport(id)` query sent with `Accept: application/pdf`: the export as a PDF for the person. */
export const residentExportPdfAnswer: PdfAnswer = {
  field: 'residentDataExport',
  async render(data) {
    const found = requestedDocument<Row>(data, 'residentDataExport', EXPORT_SHAPE, 'No such resident');
    if (!found || 'error' in found) return found;
    const { document } = found;
    const record = document.record as Row;
    const pdf = await residentExportPdf(document);
    const name = `${text(record.lastName)}-${text(record.firstName)}`.replace(/[^\p{L}\p{N}.-]+/gu, '-');
    return { body: pdf, contentType: 'application/pdf', filename: `dane-osobowe-${name}.pdf` };
  },
};
