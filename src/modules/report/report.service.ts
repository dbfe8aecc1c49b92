import type { RequestContext } from '../../platform/graphql/context.js';
import { isUuid, toGlobalId } from '../../platform/graphql/node.js';
import { badInput, forbidden } from '../../platform/graphql/errors.js';
import { idToTerc, tercToId } from '../../platform/auth/principal.js';
import { Role } from '../../platform/auth/roles.js';
import { addDays, addMonths, todayInPoland } from '../common/dates.js';
import { dimensionsOf, factOf, MEASURES } from './report.catalog.js';
import { ReportDimension, ReportMeasure } from './report.enums.js';
import { suppressComplementary, type Figure, type Table } from './report.suppression.js';
import { PERSON_MEASURES } from '../../../migrations/Migration20261127000800Reporting.js';
import type { Report, ReportCell, ReportKey } from './report.types.js';

/** The longest period one report covers. */
const MAX_YEARS = 10;
const GEO_LABELS: Partial<Record<ReportDimension, string>> = {
  [ReportDimension.WOJEWODZTWO]: 'select distinct wojewodztwo_code::text as code, wojewodztwo_name as label from gmina',
  [ReportDimension.POWIAT]: 'select distinct powiat_code::text as code, powiat_name as label from gmina',
  [ReportDimension.GMINA]: `select terc::text as code, name || ' (' || lower(replace(kind, '_', '-')) || ')' as label from gmina`,
};

export interface ReportRequest {
  measure: ReportMeasure;
  groupBy: ReportDimension[];
  from?: string | null;
  to?: string | null;
  gminy?: string[] | null;
}

/** The request checked against the measure: known dimensions, at most two, a sane period. */
function checkRequest(request: ReportRequest): { from: string; to: string } {
  const allowed = dimensionsOf(request.measure);
  const wrong = request.groupBy.filter((d) => !allowed.includes(d));
  if (wrong.length > 0) {
    throw badInput(`${request.measure} cannot be grouped by ${wrong.join(', ')}; it can be grouped by ${allowed.join(', ')}`);
  }
  if (new Set(request.groupBy).size !== request.groupBy.length) throw badInput('groupBy names a dimension twice');
  if (request.groupBy.length > 2) throw badInput('A report groups by at most two dimensions');
  const to = request.to ?? todayInPoland();
  const from = request.from ?? `${to.slice(0, 4)}-01-01`;
  if (from > to) throw badInput('from must not be after to');
  if (from < addDays(addMonths(to, -12 * MAX_YEARS), 1)) throw badInput(`A report covers at most ${MAX_YEARS} years`);
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
 * the database function app.report (grouping sets: one scan), under the caller's principal. A
 * ministry principal's counts of persons below the threshold come back null from there; ministry
 * reports then get complementary suppression, so no hidden cell can be worked out from a total.
 */
export async function runReport(ctx: RequestContext, request: ReportRequest): Promise<Report> {
  const { from, to } = checkRequest(request);
  const spec = MEASURES[request.measure];
  const ministry = ctx.principal.role === Role.MINISTRY;
  const gminy = request.gminy?.map(tercToId) ?? null;
  if (!ministry && gminy) {
    const outside = gminy.filter((g) => !ctx.principal.gminy.includes(g));
    if (outside.length > 0) throw forbidden(`Gmina ${outside.map(idToTerc).join(', ')} is outside your scope`);
  }
  /** Every level of the table for `dims` from one call: the cells, the totals per dimension, the total. */
  const levels = async (fact: string, dims: ReportDimension[]): Promise<Table> => {
    const rows = await ctx.em.execute<Row[]>('select keys, value::text as value, suppressed from app.report(?, ?::text[], ?::date, ?::date, ?::int[])', [
      fact, `{${dims.join(',')}}`, from, to, gminy ? `{${gminy.join(',')}}` : null,
    ]);
    const figures = rows
      .map((r) => ({ keys: r.keys, value: r.value === null ? null : Number(r.value), suppressed: r.suppressed }))
      .sort((a, b) => a.keys.join('\u0000').localeCompare(b.keys.join('\u0000')));
    /** The figures of one level, keyed by the dimensions it keeps. */
    const at = (pattern: boolean[]): Figure[] => figures
      .filter((f) => f.keys.every((k, i) => (k !== null) === pattern[i]))
      .map((f) => ({ ...f, keys: f.keys.filter((k): k is string => k !== null) }));
    const total = at(dims.map(() => false))[0] ?? { keys: [], value: 0, suppressed: false };
    return {
      cells: dims.length > 0 ? at(dims.map(() => true)) : [],
      rowTotals: dims.length === 2 ? at([true, false]) : [],
      columnTotals: dims.length === 2 ? at([false, true]) : [],
      total,
    };
  };

  const dims = request.groupBy;
  const { fact, additive } = factOf(request.measure, dims);
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
  // The same list the database function suppresses by, so the two never disagree.
  const personCount = PERSON_MEASURES.includes(request.measure);
  if (ministry && personCount && additive) suppressComplementary(table, dims.length);

  const partnerAt = dims.indexOf(ReportDimension.PARTNER);
  const partnerIds = partnerAt < 0 ? [] : [...new Set(table.cells.map((c) => c.keys[partnerAt]).filter((id) => isUuid(id)))];
  const labels = await labelsFor(ctx, dims, partnerIds);
  const keyOf = (dimension: ReportDimension, code: string): ReportKey => {
    const label = labels.get(`${dimension}:${code}`);
    // Partners are named by their global id, as everywhere in the API.
    if (dimension === ReportDimension.PARTNER && isUuid(code)) return { dimension, code: toGlobalId('Partner', code), label: label ?? toGlobalId('Partner', code) };
    return { dimension, code, label: label ?? code };
  };
  const toCell = (figure: Figure, keyDims: ReportDimension[]): ReportCell => ({
    keys: figure.keys.map((code, i) => keyOf(keyDims[i], code)),
    value: figure.value,
    suppressed: figure.suppressed,
  });
  const [config] = await ctx.em.execute<{ refreshed_at: string | null; threshold: number }[]>('select refreshed_at, threshold from report_config');
  const fromRecords = request.measure === ReportMeasure.PLANS_ACTIVE || request.measure === ReportMeasure.RESIDENTS_SERVED;
  return {
    measure: request.measure,
    unit: spec.unit,
    groupBy: dims,
    from: spec.overPeriod ? from : null,
    to: spec.overPeriod ? to : null,
    asOf: fromRecords ? new Date() : config?.refreshed_at ? new Date(config.refreshed_at) : null,
    suppressionThreshold: ministry && personCount ? config.threshold : null,
    additive,
    cells: table.cells.map((c) => toCell(c, dims)),
    rowTotals: table.rowTotals.map((c) => toCell(c, [dims[0]])),
    columnTotals: table.columnTotals.map((c) => toCell(c, [dims[1]])),
    total: toCell(table.total, []),
  };
}

/**
 * Names of the regions and partners a report is grouped by (other keys are their own labels). A
 * partner is named only where the caller may read it; the ministry, which reads no partner row, sees its id.
 */
async function labelsFor(ctx: RequestContext, dims: ReportDimension[], partnerIds: string[]): Promise<Map<string, string>> {
  const labels = new Map<string, string>();
  labels.set(`${ReportDimension.COUNTRY}:PL`, 'Polska');
  for (const dim of dims) {
    const sql = GEO_LABELS[dim];
    if (!sql) continue;
    for (const row of await ctx.em.execute<{ code: string; label: string }[]>(sql)) labels.set(`${dim}:${row.code}`, row.label);
  }
  if (dims.includes(ReportDimension.PARTNER) && partnerIds.length > 0) {
    const rows = await ctx.em.execute<{ id: string; name: string }[]>('select id::text, name from partner where id = any (?::uuid[])', [`{${partnerIds.join(',')}}`]);
    for (const row of rows) labels.set(`${ReportDimension.PARTNER}:${row.id}`, row.name);
  }
  return labels;
}
