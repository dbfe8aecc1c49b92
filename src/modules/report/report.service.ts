import type { RequestContext } from '../../platform/graphql/context.js';
import { isUuid, toGlobalId } from '../../platform/graphql/node.js';
import { badInput, forbidden } from '../../platform/graphql/errors.js';
import { idToTerc, tercToId } from '../../platform/auth/principal.js';
import { Role } from '../../platform/auth/roles.js';
import { addDays, addMonths, todayInPoland } from '../common/dates.js';
import { dimensionsOf, factOf, MEASURES } from './report-catalog.js';
import { ReportDimension, ReportMeasure } from './report.enums.js';
import { suppressComplementary, type Figure, type Table } from './report-suppression.js';
import { isProtected, MAGNITUDE_MEASURES, PERIOD_MONTHS, PERTURBED_MEASURES } from './report.protection.js';
import { tableSpace } from './report-space.js';
import { fixedLabel, GMINA_LABEL_SQL } from './report.labels.js';
import type { Report, ReportCell, ReportKey } from './report.types.js';

const PERCENTILES: readonly ReportMeasure[] = [ReportMeasure.DAYS_TO_PLAN_MEDIAN, ReportMeasure.DAYS_TO_PLAN_P90];
/** The longest period one report covers. */
const MAX_YEARS = 10;
const GEO_LABELS: Partial<Record<ReportDimension, string>> = {
  [ReportDimension.WOJEWODZTWO]: 'select distinct wojewodztwo_code::text as code, wojewodztwo_name as label from gmina',
  [ReportDimension.POWIAT]: 'select distinct powiat_code::text as code, powiat_name as label from gmina',
  [ReportDimension.GMINA]: `select terc::text as code, ${GMINA_LABEL_SQL} as label from gmina`,
};

export interface ReportRequest {
  measure: ReportMeasure;
  groupBy: ReportDimension[];
  from?: string | null;
  to?: string | null;
  gminy?: string[] | null;
  /** CUS_UNITS only: statutory units (true) or the others (false); all when null. */
  statutory?: boolean | null;
}

/** The request checked against the measure: known dimensions, at most two, a sane period. */
function checkRequest(request: ReportRequest, protectedView: boolean): { from: string; to: string } {
  const allowed = dimensionsOf(request.measure);
  const wrong = request.groupBy.filter((d) => !allowed.includes(d));
  if (wrong.length > 0) {
    throw badInput(`${request.measure} cannot be grouped by ${wrong.join(', ')}; it can be grouped by ${allowed.join(', ')}`);
  }
  if (new Set(request.groupBy).size !== request.groupBy.length) throw badInput('groupBy names a dimension twice');
  if (request.groupBy.length > 2) throw badInput('A report groups by at most two dimensions');
  if (request.statutory != null && request.measure !== ReportMeasure.CUS_UNITS)
    throw badInput(`statutory applies to CUS_UNITS only, not to ${request.measure}`);
  if (protectedView) return calendarPeriod(request.from ?? null, request.to ?? null);
  const to = request.to ?? todayInPoland();
  const from = request.from ?? `${to.slice(0, 4)}-01-01`;
  if (from > to) throw badInput('from must not be after to');
  if (from < addDays(addMonths(to, -12 * MAX_YEARS), 1)) throw badInput(`A report covers at most ${MAX_YEARS} years`);
  return { from, to };
}

/**
 * A protected report's period is a calendar month, quarter, half-year or year (a fixed table space:
 * periods chosen freely would give many overlapping totals to subtract and average). Default: the
 * calendar year of `from`, of `to`, or of today.
 */
export function calendarPeriod(fromArg: string | null, toArg: string | null): { from: string; to: string } {
  const year = (fromArg ?? toArg ?? todayInPoland()).slice(0, 4);
  const from = fromArg ?? (toArg ? `${toArg.slice(0, 4)}-01-01` : `${year}-01-01`);
  const to = toArg ?? `${from.slice(0, 4)}-12-31`;
  const months = (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(to.slice(5, 7)) - Number(from.slice(5, 7)) + 1;
  const lastDay = addDays(addMonths(`${to.slice(0, 7)}-01`, 1), -1);
  const startMonth = Number(from.slice(5, 7));
  if (from.slice(8) !== '01' || to !== lastDay || !PERIOD_MONTHS.includes(months) || (startMonth - 1) % months !== 0) {
    throw badInput(
      'A protected report covers a calendar month, quarter, half-year or year: from its first day to its last ' +
        `(for example from: "${year}-01-01", to: "${year}-03-31"); got ${from}..${to}`,
    );
  }
  return { from, to };
}

interface Row {
  /** Null where the row is a total over that dimension. */
  keys: (string | null)[];
  value: string | null;
  suppressed: boolean;
}

/**
 * One report: the cells, the totals per row and column, and the grand total, all from one call of
 * the database function app.report (grouping sets: one scan), under the caller's principal. For a
 * protected principal (MINISTRY, GMINA_OFFICIAL) the database perturbs counts of persons by the cell
 * key method and hides magnitudes with too few persons behind them; here the table is then laid out
 * over its whole fixed space (a cell with nothing in it is listed as 0, like any other), and
 * magnitudes get complementary suppression within the table.
 */
export async function runReport(ctx: RequestContext, request: ReportRequest): Promise<Report> {
  const protectedView = isProtected(ctx.principal.role);
  const { from, to } = checkRequest(request, protectedView);
  const spec = MEASURES[request.measure];
  const ministry = ctx.principal.role === Role.MINISTRY;
  const gminy = request.gminy?.map(tercToId) ?? null;
  if (!ministry && gminy) {
    const outside = gminy.filter((g) => !ctx.principal.gminy.includes(g));
    if (outside.length > 0) throw forbidden(`Gmina ${outside.map(idToTerc).join(', ')} is outside your scope`);
    // Totals of chosen sets of gminy, subtracted from each other, would undo the protection.
    if (protectedView) throw forbidden('A GMINA_OFFICIAL report covers all your gminy; group by GMINA to see each');
  }
  /** Every level of the table for `dims` from one call: the cells, the totals per dimension, the total. */
  const levels = async (fact: string, dims: ReportDimension[]): Promise<Table> => {
    const rows = await ctx.em.execute<Row[]>('select keys, value::text as value, suppressed from app.report(?, ?::text[], ?::date, ?::date, ?::int[])', [
      fact,
      `{${dims.join(',')}}`,
      from,
      to,
      gminy ? `{${gminy.join(',')}}` : null,
    ]);
    const figures = rows
      .map((r) => ({ keys: r.keys, value: r.value === null ? null : Number(r.value), suppressed: r.suppressed }))
      .sort((a, b) => a.keys.join('\u0000').localeCompare(b.keys.join('\u0000')));
    /** The figures of one level, keyed by the dimensions it keeps. */
    const at = (pattern: boolean[]): Figure[] =>
      figures.filter((f) => f.keys.every((k, i) => (k !== null) === pattern[i])).map((f) => ({ ...f, keys: f.keys.filter((k): k is string => k !== null) }));
    const total = at(dims.map(() => false))[0] ?? { keys: [], value: 0, suppressed: false };
    return {
      cells: dims.length > 0 ? at(dims.map(() => true)) : [],
      rowTotals: dims.length === 2 ? at([true, false]) : [],
      columnTotals: dims.length === 2 ? at([false, true]) : [],
      total,
    };
  };

  const dims = request.groupBy;
  const { fact: measureFact, additive } = factOf(request.measure, dims);
  // The rollup keeps CUS units also split by statutory status (Migration20261207000700).
  const fact = request.statutory == null ? measureFact : `${measureFact}_${request.statutory ? '' : 'NON_'}STATUTORY`;
  const table = await levels(fact, dims);
  if (!additive && request.measure === ReportMeasure.SERVICES) {
    // By target group a service counts once per group; the totals count each service once.
    const others = dims.filter((d) => d !== ReportDimension.TARGET_GROUP);
    const distinct = await levels(factOf(request.measure, others).fact, others);
    table.total = distinct.total;
    if (dims.length === 2) {
      if (dims[0] === ReportDimension.TARGET_GROUP) table.columnTotals = distinct.cells;
      else table.rowTotals = distinct.cells;
    }
  }
  const perturbed = protectedView && PERTURBED_MEASURES.includes(request.measure);
  const magnitude = protectedView && MAGNITUDE_MEASURES.includes(request.measure);
  // Every cell of the table space is listed, so whether a cell is listed says nothing.
  if (protectedView) await fillSpace(ctx, table, dims, { from, to });
  // Perturbed counts need no complement (each cell is perturbed on its own); hidden magnitudes do.
  if (magnitude && additive) suppressComplementary(table, dims.length);

  const partnerAt = dims.indexOf(ReportDimension.PARTNER);
  const partnerIds = partnerAt < 0 ? [] : [...new Set(table.cells.map((c) => c.keys[partnerAt]).filter((id) => isUuid(id)))];
  const labels = await labelsFor(ctx, dims, partnerIds);
  const keyOf = (dimension: ReportDimension, code: string): ReportKey => {
    const label = labels.get(`${dimension}:${code}`);
    // Partners are named by their global id, as everywhere in the API.
    if (dimension === ReportDimension.PARTNER && isUuid(code))
      return { dimension, code: toGlobalId('Partner', code), label: label ?? toGlobalId('Partner', code) };
    return { dimension, code, label: label ?? fixedLabel(dimension, code) ?? code };
  };
  const toCell = (figure: Figure, keyDims: ReportDimension[]): ReportCell => ({
    keys: figure.keys.map((code, i) => keyOf(keyDims[i], code)),
    value: figure.value,
    suppressed: figure.suppressed,
  });
  const [config] = await ctx.em.execute<{ refreshed_at: string | null; threshold: number; max_deviation: number; variance: number }[]>(
    'select refreshed_at, threshold, max_deviation, variance from report_config',
  );
  const fromRecords = request.measure === ReportMeasure.PLANS_ACTIVE || request.measure === ReportMeasure.RESIDENTS_SERVED;
  return {
    measure: request.measure,
    unit: spec.unit,
    groupBy: dims,
    from: spec.overPeriod ? from : null,
    to: spec.overPeriod ? to : null,
    asOf: fromRecords ? new Date() : config?.refreshed_at ? new Date(config.refreshed_at) : null,
    suppressionThreshold: protectedView && (perturbed || magnitude || PERCENTILES.includes(request.measure)) ? config.threshold : null,
    perturbation: perturbed ? { threshold: config.threshold, maxDeviation: config.max_deviation, variance: config.variance } : null,
    additive,
    cells: table.cells.map((c) => toCell(c, dims)),
    rowTotals: table.rowTotals.map((c) => toCell(c, [dims[0]])),
    columnTotals: table.columnTotals.map((c) => toCell(c, [dims[1]])),
    total: toCell(table.total, []),
  };
}

/** Adds every cell, row and column of the table space the database had nothing for, as 0 (in key order). */
async function fillSpace(ctx: RequestContext, table: Table, dims: ReportDimension[], period: { from: string; to: string }): Promise<void> {
  const scope = ctx.principal.role === Role.MINISTRY ? null : ctx.principal.gminy;
  const spaces = await Promise.all(dims.map((d) => tableSpace(ctx, d, scope, period)));
  const fill = (figures: Figure[], lists: (string[] | null)[]): Figure[] => {
    if (lists.some((l) => l === null)) return figures;
    const have = new Map(figures.map((f) => [f.keys.join('\u0000'), f]));
    let combos: string[][] = [[]];
    for (const list of lists as string[][]) combos = combos.flatMap((c) => list.map((code) => [...c, code]));
    const extra = combos.filter((keys) => !have.has(keys.join('\u0000'))).map((keys) => ({ keys, value: 0, suppressed: false }));
    return [...figures, ...extra].sort((a, b) => a.keys.join('\u0000').localeCompare(b.keys.join('\u0000')));
  };
  if (dims.length > 0) table.cells = fill(table.cells, spaces);
  if (dims.length === 2) {
    table.rowTotals = fill(table.rowTotals, [spaces[0]]);
    table.columnTotals = fill(table.columnTotals, [spaces[1]]);
  }
}

/**
 * Names of the regions and partners a report is grouped by (other values are named by report.labels.ts).
 * A partner is named only where the caller may read it; the ministry, which reads no partner row, sees its id.
 */
async function labelsFor(ctx: RequestContext, dims: ReportDimension[], partnerIds: string[]): Promise<Map<string, string>> {
  const labels = new Map<string, string>();
  for (const dim of dims) {
    const sql = GEO_LABELS[dim];
    if (!sql) continue;
    for (const row of await ctx.em.execute<{ code: string; label: string }[]>(sql)) labels.set(`${dim}:${row.code}`, row.label);
  }
  if (dims.includes(ReportDimension.PARTNER) && partnerIds.length > 0) {
    const rows = await ctx.em.execute<{ id: string; name: string }[]>('select id::text, name from partner where id = any (?::uuid[])', [
      `{${partnerIds.join(',')}}`,
    ]);
    for (const row of rows) labels.set(`${ReportDimension.PARTNER}:${row.id}`, row.name);
  }
  return labels;
}
