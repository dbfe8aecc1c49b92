/**
 * A settlement as a PDF statement for a finance office (issue 19, "Exports"): the same figures as the
 * CSV (settlement-csv.ts) and the API, from settlementStatement, laid out with Polish labels on the
 * platform's PDF builder (src/platform/pdf/), which embeds fonts with the Polish letters.
 */
import { PdfDocumentBuilder } from '../../platform/pdf/pdf-document.js';
import type { PdfAnswer } from '../pdf-answers.js';
import { requestedStatement, SETTLEMENT_CSV_SELECTION, sharesOf, type StatementShape, type Totals } from './settlement-csv.js';
import { RULE_LABELS, STATUS_LABELS, UNIT_LABELS } from './settlement.labels.js';

const MONTHS = ['styczeń', 'luty', 'marzec', 'kwiecień', 'maj', 'czerwiec', 'lipiec', 'sierpień', 'wrzesień', 'październik', 'listopad', 'grudzień'];

/** "2026-11" as "listopad 2026". */
export function monthInPolish(month: string): string {
  const [year, number] = month.split('-');
  return `${MONTHS[Number(number) - 1] ?? number} ${year}`;
}

/** Money as a Polish reader writes it: "1 234,50 zł" (a decimal string in, no float on the way). */
export function plnText(amount: string | null): string {
  if (amount === null) return '—';
  const negative = amount.startsWith('-');
  const [whole, fraction = ''] = (negative ? amount.slice(1) : amount).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0');
  return `${negative ? '−' : ''}${grouped},${fraction.padEnd(2, '0').slice(0, 2)}\u00a0zł`;
}

const number = (value: number): string => String(value).replace('.', ',');

/** Who decided the settlement and when, as the statement prints it; null while it is not accepted. */
export interface SettlementAcceptance {
  acceptedBy: string;
  acceptedAt: Date;
}

/** The figures the statement prints: a SettlementStatement, or its JSON as the API answers it. */
export type PrintedStatement = Omit<StatementShape, 'frozenAt'>;

/** The PDF statement of a settlement. */
export function settlementPdf(statement: PrintedStatement, acceptance: SettlementAcceptance | null, issuer: string): Promise<Buffer> {
  const s = statement;
  const unit = s.volumeUnit ? (UNIT_LABELS[s.volumeUnit] ?? s.volumeUnit) : 'godziny';
  const figures = (t: Totals) => [
    String(t.deliveredSessions),
    number(t.hours),
    String(t.residentAbsent),
    String(t.cancelled),
    number(t.quantity),
    plnText(t.amount),
  ];
  const doc = new PdfDocumentBuilder({ title: `Rozliczenie ${s.month} – ${s.commissionTitle}`, author: issuer, footer: `${issuer} · rozliczenie ${s.month}` });
  doc.title(`Zestawienie rozliczenia za ${monthInPolish(s.month)}`);
  doc.keyValues([
    ['Zlecenie', s.commissionTitle],
    ['Numer umowy', s.agreementNumber ?? '—'],
    ['Partner', s.partnerName],
    ['Miesiąc', monthInPolish(s.month)],
    ['Stan', STATUS_LABELS[s.status] ?? s.status],
    ['Przyjęte przez', acceptance ? `${acceptance.acceptedBy}, ${acceptance.acceptedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC` : 'nie przyjęto'],
    ['Jednostka rozliczenia', unit],
    ['Cena jednostkowa', plnText(s.unitPrice)],
    ['Budżet zlecenia', plnText(s.budget)],
    ['Sposób wyliczenia kwoty', RULE_LABELS[s.amountRule] ?? s.amountRule],
  ]);
  // Short headings, so that eight columns fit a portrait A4 page without breaking words.
  const columns = [
    { header: 'Usługa', weight: 3.2 },
    { header: 'Miesiąc', weight: 1.1 },
    { header: 'Sesje', align: 'right' as const },
    { header: 'Godz.', align: 'right' as const },
    { header: 'Nieob.', align: 'right' as const },
    { header: 'Odwoł.', align: 'right' as const },
    { header: 'Ilość', align: 'right' as const },
    { header: 'Kwota', weight: 1.7, align: 'right' as const },
  ];
  const own = s.lines.filter((line) => !line.adjustment);
  const adjustments = s.lines.filter((line) => line.adjustment);
  doc.heading('Usługi zrealizowane w miesiącu');
  doc.paragraph(
    `Sesje: zrealizowane; Godz.: godziny zrealizowanych sesji; Nieob.: nieobecności mieszkańca; Odwoł.: sesje odwołane; Ilość: rozliczane ${unit}.`,
  );
  doc.table({
    columns,
    rows: own.map((line) => [line.serviceName, line.concernsMonth, ...figures(line)]),
    footerRows: [['Razem za miesiąc', s.month, ...figures(s.monthTotals)]],
  });
  doc.keyValues([['Osoby objęte usługą w miesiącu', String(s.monthTotals.persons ?? 0)]]);
  if (adjustments.length > 0) {
    doc.heading('Korekty przyjętych miesięcy');
    doc.table({
      columns,
      rows: adjustments.map((line) => [line.serviceName, line.concernsMonth, ...figures(line)]),
      footerRows: [['Razem korekty', '', ...figures(s.adjustmentTotals)]],
    });
  }
  doc.heading('Podsumowanie');
  const shares = sharesOf(s);
  doc.keyValues([
    ['Kwota należna', plnText(s.amountDue)],
    // Only in the director's statement: the residents' fees tell their income bands.
    ...(shares
      ? ([
          ['Odpłatność mieszkańców', plnText(shares.residentsFees)],
          ['Udział centrum', plnText(shares.centreShare)],
        ] as [string, string][])
      : []),
    ['Przyjęte wcześniej', plnText(s.acceptedBefore)],
    ['Wykorzystanie budżetu narastająco', plnText(s.cumulativeUse)],
    ['Udział w budżecie', s.budgetShareUsed === null ? '—' : `${number(Math.round(s.budgetShareUsed * 10000) / 100)}%`],
    ['Ostrzeżenie o wykorzystaniu budżetu', s.budgetWarning ? 'tak' : 'nie'],
  ]);
  if (s.indicatorValues.length > 0) {
    doc.heading('Wskaźniki jakości');
    doc.table({
      columns: [
        { header: 'Wskaźnik', weight: 2 },
        { header: 'Wartość', weight: 1 },
      ],
      rows: s.indicatorValues.map((v) => [v.indicator, v.value]),
    });
  }
  return doc.render();
}

/** What a PDF answer selects: the CSV's figures, the settling gmina and who accepted it. */
export const SETTLEMENT_PDF_SELECTION = `${SETTLEMENT_CSV_SELECTION} gminaName acceptedBy acceptedAt`;

type PdfShape = StatementShape & { gminaName: string; acceptedBy: string | null; acceptedAt: string | null };
const hasPdfParticulars = (s: StatementShape): s is PdfShape => {
  const t = s as Partial<PdfShape>;
  return typeof t.gminaName === 'string' && t.acceptedBy !== undefined && t.acceptedAt !== undefined;
};

/**
 * The answer to a `settlementStatement` query sent with `Accept: application/pdf`: the statement as
 * settlementPdf draws it, issued by the centre of the settling gmina; null for any other data (another
 * PDF answer may take it), an error (sent as JSON) for a selection that lacks what the statement prints.
 */
export const settlementPdfAnswer: PdfAnswer = {
  field: 'settlementStatement',
  async render(data) {
    const requested = requestedStatement(data, 'application/pdf', SETTLEMENT_PDF_SELECTION, hasPdfParticulars);
    if (!requested || 'error' in requested) return requested;
    const s = requested.statement;
    const acceptance = s.acceptedBy && s.acceptedAt ? { acceptedBy: s.acceptedBy, acceptedAt: new Date(s.acceptedAt) } : null;
    const pdf = await settlementPdf(s, acceptance, `Centrum usług społecznych – gmina ${s.gminaName}`);
    return { body: pdf, contentType: 'application/pdf', filename: `rozliczenie-${s.month}.pdf` };
  },
};
