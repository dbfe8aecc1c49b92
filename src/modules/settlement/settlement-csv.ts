/**
 * A settlement as CSV: the answer to a GraphQL request for `settlementStatement` sent with
 * `Accept: text/csv` (the same door as the report CSV, src/modules/report/report-csv.ts: token, rate
 * limit, trusted documents, the same resolver and read rule), laid out for a finance office: the
 * settlement's particulars, its lines with Polish headings, the totals, and the indicator values.
 * UTF-8 with a byte-order mark, comma-separated, CRLF.
 */
import { csvField } from '../report/report-csv.js';
import { RULE_LABELS, STATUS_LABELS, UNIT_LABELS } from './settlement.labels.js';

/** The selection a CSV answer needs (README, "Monthly settlement"). */
export const SETTLEMENT_CSV_SELECTION =
  'month status frozen frozenAt commissionTitle agreementNumber partnerName volumeUnit unitPrice budget amountRule ' +
  'lines { serviceName concernsMonth adjustment deliveredSessions hours residentAbsent cancelled quantity amount } ' +
  'monthTotals { persons deliveredSessions hours residentAbsent cancelled quantity amount } ' +
  'adjustmentTotals { deliveredSessions hours residentAbsent cancelled quantity amount } ' +
  'indicatorValues { indicator value } amountDue acceptedBefore cumulativeUse budgetShareUsed budgetWarning';

export interface Totals {
  persons?: number;
  deliveredSessions: number;
  hours: number;
  residentAbsent: number;
  cancelled: number;
  quantity: number;
  amount: string | null;
}
interface Line extends Totals {
  serviceName: string;
  concernsMonth: string;
  adjustment: boolean;
}
export interface StatementShape {
  month: string;
  status: string;
  frozen: boolean;
  frozenAt: string | null;
  commissionTitle: string;
  agreementNumber: string | null;
  partnerName: string;
  volumeUnit: string | null;
  unitPrice: string | null;
  budget: string | null;
  amountRule: string;
  lines: Line[];
  monthTotals: Totals;
  adjustmentTotals: Totals;
  indicatorValues: { indicator: string; value: string }[];
  amountDue: string | null;
  acceptedBefore: string;
  cumulativeUse: string;
  budgetShareUsed: number | null;
  budgetWarning: boolean;
  /** Selected only by those who may read them (the director): exports show them when the answer holds them. */
  residentsFees?: string | null;
  centreShare?: string | null;
}

/** The residents' and the centre's shares, when the answer holds them (README, "Monthly settlement"). */
export function sharesOf(s: Pick<StatementShape, 'residentsFees' | 'centreShare'>): { residentsFees: string | null; centreShare: string | null } | null {
  return s.residentsFees === undefined || s.centreShare === undefined ? null : { residentsFees: s.residentsFees, centreShare: s.centreShare };
}

const decimal = (value: number): string => String(value);
const yesNo = (value: boolean): string => (value ? 'tak' : 'nie');

function isStatement(value: unknown): value is StatementShape {
  const s = value as StatementShape | null;
  return (
    !!s &&
    typeof s.month === 'string' &&
    Array.isArray(s.lines) &&
    !!s.monthTotals &&
    !!s.adjustmentTotals &&
    Array.isArray(s.indicatorValues) &&
    typeof s.cumulativeUse === 'string' &&
    typeof s.amountRule === 'string'
  );
}

/**
 * The statement of a result holding exactly one `settlementStatement` field, for an export: null when
 * the data is not that (another renderer may take it); an error message when it is no settlement or
 * the selection lacks what the export needs.
 */
export function requestedStatement<T extends StatementShape>(
  data: Record<string, unknown> | null | undefined,
  what: string,
  selection: string,
  complete: (statement: StatementShape) => statement is T = (_s): _s is T => true,
): { statement: T } | { error: string } | null {
  const fields = Object.entries(data ?? {});
  if (fields.length !== 1 || fields[0][0] !== 'settlementStatement') return null;
  const statement = fields[0][1];
  if (statement === null) return { error: 'No such settlement' };
  if (!isStatement(statement) || !complete(statement)) return { error: `A ${what} answer of settlementStatement selects at least ${selection}` };
  return { statement };
}

/** The CSV of a result holding exactly one `settlementStatement` field (requestedStatement says when not). */
export function settlementCsv(data: Record<string, unknown> | null | undefined): { csv: string; filename: string } | { error: string } | null {
  const requested = requestedStatement(data, 'text/csv', SETTLEMENT_CSV_SELECTION);
  if (!requested || 'error' in requested) return requested;
  const s = requested.statement;
  const rows: string[][] = [
    ['Rozliczenie miesięczne zlecenia', s.commissionTitle],
    ['Miesiąc', s.month],
    ['Numer umowy', s.agreementNumber ?? ''],
    ['Partner', s.partnerName],
    ['Stan', STATUS_LABELS[s.status] ?? s.status],
    ['Dane zamrożone (przyjęte)', s.frozen ? `tak, ${s.frozenAt ?? ''}` : 'nie'],
    ['Jednostka', s.volumeUnit ? (UNIT_LABELS[s.volumeUnit] ?? s.volumeUnit) : 'godziny'],
    ['Cena jednostkowa (zł)', s.unitPrice ?? ''],
    ['Budżet (zł)', s.budget ?? ''],
    ['Sposób wyliczenia kwoty', RULE_LABELS[s.amountRule] ?? s.amountRule],
    [],
    ['Usługa', 'Miesiąc realizacji', 'Korekta', 'Sesje zrealizowane', 'Godziny', 'Nieobecności', 'Odwołane', 'Ilość rozliczana', 'Kwota (zł)'],
  ];
  const figures = (t: Totals) => [
    decimal(t.deliveredSessions),
    decimal(t.hours),
    decimal(t.residentAbsent),
    decimal(t.cancelled),
    decimal(t.quantity),
    t.amount ?? '',
  ];
  for (const line of s.lines) rows.push([line.serviceName, line.concernsMonth, yesNo(line.adjustment), ...figures(line)]);
  rows.push(['Razem za miesiąc', s.month, 'nie', ...figures(s.monthTotals)]);
  rows.push(['Razem korekty', '', 'tak', ...figures(s.adjustmentTotals)]);
  rows.push([]);
  rows.push(['Osoby objęte usługą w miesiącu', decimal(s.monthTotals.persons ?? 0)]);
  rows.push(['Kwota należna (zł)', s.amountDue ?? '']);
  const shares = sharesOf(s);
  if (shares) {
    rows.push(['Odpłatność mieszkańców (zł)', shares.residentsFees ?? '']);
    rows.push(['Udział centrum (zł)', shares.centreShare ?? '']);
  }
  rows.push(['Przyjęte wcześniej (zł)', s.acceptedBefore]);
  rows.push(['Wykorzystanie budżetu narastająco (zł)', s.cumulativeUse]);
  rows.push(['Udział w budżecie', s.budgetShareUsed === null ? '' : decimal(s.budgetShareUsed)]);
  rows.push(['Ostrzeżenie o wykorzystaniu budżetu', yesNo(s.budgetWarning)]);
  rows.push([]);
  rows.push(['Wskaźnik', 'Wartość']);
  for (const { indicator, value } of s.indicatorValues) rows.push([indicator, value]);
  const csv = `\uFEFF${rows.map((row) => row.map(csvField).join(',')).join('\r\n')}\r\n`;
  return { csv, filename: `rozliczenie-${s.month}.csv` };
}
