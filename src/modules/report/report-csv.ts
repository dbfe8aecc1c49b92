/**
 * A report as CSV (issue 18): the answer to a GraphQL request for one report field (ministryReport or
 * gminaReport), sent with `Accept: text/csv`, laid out as a table an analyst opens in a spreadsheet.
 * The request goes through /graphql like any other (token, rate limit, trusted documents, the same
 * resolver and protection); only the JSON answer is rewritten here. RFC 4180: comma-separated, CRLF,
 * quoted where needed; UTF-8 with a byte-order mark, so spreadsheets read the Polish names.
 */
import { getOperationAST, parse } from 'graphql';

/** Polish column names of the dimensions. */
const DIMENSION_NAMES: Record<string, string> = {
  COUNTRY: 'kraj',
  WOJEWODZTWO: 'województwo',
  POWIAT: 'powiat',
  GMINA: 'gmina',
  GMINA_KIND: 'rodzaj gminy',
  AREA: 'obszar usług',
  TARGET_GROUP: 'grupa docelowa',
  PARTNER_KIND: 'rodzaj partnera',
  PARTNER: 'partner',
  CREATION_MODE: 'sposób utworzenia',
  STATUTORY: 'jednostka statutowa',
  MONTH: 'miesiąc',
  TERMINATION_REASON: 'przyczyna zakończenia',
};

/** The selection a CSV answer needs (README, "Reports"). */
export const CSV_SELECTION =
  'measure groupBy cells { keys { dimension code label } value suppressed } ' +
  'rowTotals { keys { dimension code label } value suppressed } columnTotals { keys { dimension code label } value suppressed } ' +
  'total { value suppressed }';

interface Key {
  dimension?: string;
  code: string;
  label: string;
}
interface Cell {
  keys?: Key[];
  value: number | null;
  suppressed: boolean;
}
interface ReportShape {
  measure?: string;
  groupBy: string[];
  cells: Cell[];
  rowTotals?: Cell[];
  columnTotals?: Cell[];
  total?: Cell;
}

/**
 * One CSV field. A text that a spreadsheet would read as a formula (=, +, -, @, a tab or a return first:
 * a partner writes its own name) gets a leading apostrophe, so the ministry's spreadsheet shows it as
 * text (OWASP's advice on CSV injection); numbers are written as they are.
 */
export const csvField = (value: string): string => {
  const text = /^[=+\-@\t\r]/.test(value) && !/^-?\d+(\.\d+)?$/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

function isReport(value: unknown): value is ReportShape {
  const r = value as ReportShape | null;
  return (
    !!r &&
    Array.isArray(r.groupBy) &&
    Array.isArray(r.cells) &&
    r.cells.every(
      (c) => Array.isArray(c.keys) && c.keys.every((k) => typeof k.code === 'string' && typeof k.label === 'string') && 'value' in c && 'suppressed' in c,
    )
  );
}

/**
 * The CSV of a GraphQL result's data holding exactly one report field, or an error message saying
 * what the request must select. Rows: the cells, then the totals per row and per column and the grand
 * total, whose missing keys read "razem" (the sum over that dimension, published on its own).
 */
export function reportCsv(data: Record<string, unknown> | null | undefined): { csv: string; filename: string } | { error: string } {
  const fields = Object.entries(data ?? {});
  const [name, report] = fields[0] ?? [];
  if (fields.length !== 1 || !isReport(report)) {
    return { error: `A text/csv answer is for one report field (ministryReport or gminaReport) selecting at least ${CSV_SELECTION}` };
  }
  const dims = report.groupBy;
  const header = [...dims.flatMap((d) => [`${DIMENSION_NAMES[d] ?? d} (kod)`, DIMENSION_NAMES[d] ?? d]), 'wartość', 'ukryta'];
  const rows: string[][] = [header];
  /** `at`: which dimension each of the cell's keys belongs to (a total has fewer keys than dims). */
  const add = (cell: Cell, at: number[]) => {
    const row: string[] = [];
    dims.forEach((_, i) => {
      const key = cell.keys?.[at.indexOf(i)];
      row.push(key ? key.code : '', key ? key.label : 'razem');
    });
    row.push(cell.suppressed || cell.value === null ? '' : String(cell.value), cell.suppressed ? 'tak' : 'nie');
    rows.push(row);
  };
  for (const cell of report.cells)
    add(
      cell,
      dims.map((_, i) => i),
    );
  for (const cell of report.rowTotals ?? []) add(cell, [0]);
  for (const cell of report.columnTotals ?? []) add(cell, [1]);
  if (report.total) add(report.total, []);
  const csv = `\uFEFF${rows.map((row) => row.map(csvField).join(',')).join('\r\n')}\r\n`;
  const filename = `${[report.measure ?? name, ...dims].join('-').toLowerCase()}.csv`;
  return { csv, filename };
}

/**
 * Why a request asking for CSV cannot have it before anything runs: only a query answers with a
 * report. Null when it is a query (or when GraphQL itself will refuse the request, with its own error).
 */
export function notAQuery(request: unknown, answer = 'A text/csv answer is for a query of one report'): string | null {
  const { query, operationName } = (request ?? {}) as { query?: unknown; operationName?: unknown };
  if (typeof query !== 'string') return null;
  let operation;
  try {
    operation = getOperationAST(parse(query), typeof operationName === 'string' ? operationName : undefined);
  } catch {
    return null;
  }
  return operation && operation.operation !== 'query' ? `${answer}, not a ${operation.operation}` : null;
}
