import { closedLoop, summarise, type Summary } from './measure.js';
import { MAGNITUDE_MEASURES, PERTURBED_MEASURES } from '../src/modules/report/report.protection.js';

/**
 * Ministry reports (and two gmina dashboards) on the national-scale dataset: each one sent
 * sequentially, as one analyst clicking through a dashboard would, after a warm-up.
 */
export interface ReportCase {
  key: string;
  /** The arguments of ministryReport (or gminaReport). */
  args: string;
  dashboard?: boolean;
}

/** A calendar year: protected reports take calendar months, quarters, half-years and years only (issue 18). */
export const REPORT_PERIOD = { from: '2026-01-01', to: '2026-12-31' };
const YEAR = `from: "${REPORT_PERIOD.from}", to: "${REPORT_PERIOD.to}"`;

export const REPORT_CASES: ReportCase[] = [
  { key: 'applications woj x month', args: `measure: APPLICATIONS_RECEIVED, groupBy: [WOJEWODZTWO, MONTH], ${YEAR}` },
  { key: 'applications by gmina', args: `measure: APPLICATIONS_RECEIVED, groupBy: [GMINA], ${YEAR}` },
  { key: 'refused by gmina kind', args: `measure: APPLICATIONS_REFUSED, groupBy: [GMINA_KIND], ${YEAR}` },
  { key: 'days to plan median woj', args: `measure: DAYS_TO_PLAN_MEDIAN, groupBy: [WOJEWODZTWO], ${YEAR}` },
  { key: 'days to plan p90 month', args: `measure: DAYS_TO_PLAN_P90, groupBy: [MONTH], ${YEAR}` },
  { key: 'plans active by powiat', args: `measure: PLANS_ACTIVE, groupBy: [POWIAT], ${YEAR}` },
  { key: 'plans completed woj x month', args: `measure: PLANS_COMPLETED, groupBy: [WOJEWODZTWO, MONTH], ${YEAR}` },
  { key: 'residents served by woj', args: `measure: RESIDENTS_SERVED, groupBy: [WOJEWODZTWO], ${YEAR}` },
  { key: 'deliveries woj x area', args: `measure: DELIVERIES, groupBy: [WOJEWODZTWO, AREA], ${YEAR}` },
  { key: 'hours area x partner kind', args: `measure: DELIVERY_HOURS, groupBy: [AREA, PARTNER_KIND], ${YEAR}` },
  { key: 'budget by partner kind', args: 'measure: COMMISSION_BUDGET_USED, groupBy: [PARTNER_KIND]' },
  { key: 'services area x group', args: 'measure: SERVICES, groupBy: [AREA, TARGET_GROUP]' },
  { key: 'CUS woj x creation mode', args: 'measure: CUS_UNITS, groupBy: [WOJEWODZTWO, CREATION_MODE]' },
  { key: 'dashboard: hours by month', args: `measure: DELIVERY_HOURS, groupBy: [MONTH], ${YEAR}`, dashboard: true },
  { key: 'dashboard: plans active', args: `measure: PLANS_ACTIVE, ${YEAR}`, dashboard: true },
];

export interface ReportResult {
  report: string;
  cells: number;
  suppressed: number;
  latencyMs: Omit<Summary, 'count' | 'wallMs' | 'perSecond'>;
}

type Gql = (dashboard: boolean, query: string) => Promise<any>;

export async function measureReports(gqlData: Gql, requests: number, warmUp: number): Promise<ReportResult[]> {
  const results: ReportResult[] = [];
  for (const report of REPORT_CASES) {
    const field = report.dashboard ? 'gminaReport' : 'ministryReport';
    const query = `{ ${field}(${report.args}) { cells { value suppressed } total { value } } }`;
    const data = (await gqlData(Boolean(report.dashboard), query))[field];
    if (data.cells.length === 0 && data.total.value === null) throw new Error(`${report.key}: empty report`);
    const operation = async () => {
      await gqlData(Boolean(report.dashboard), query);
    };
    await closedLoop(warmUp, 1, operation);
    const { latencies, wallMs } = await closedLoop(requests, 1, operation);
    const summary = summarise(latencies, wallMs);
    results.push({
      report: report.key,
      cells: data.cells.length,
      suppressed: data.cells.filter((c: { suppressed: boolean }) => c.suppressed).length,
      latencyMs: { mean: summary.mean, p50: summary.p50, p95: summary.p95, p99: summary.p99, max: summary.max },
    });
  }
  return results;
}

/** Measures a protected report changes: counts of persons (perturbed) and magnitudes (hidden where too few persons stand behind them). */
export const UTILITY_MEASURES = [...PERTURBED_MEASURES, ...MAGNITUDE_MEASURES];
export const UTILITY_LEVELS = ['WOJEWODZTWO', 'POWIAT'] as const;

export interface UtilityResult {
  measure: string;
  level: (typeof UTILITY_LEVELS)[number];
  cells: number;
  /** Cells the ministry sees hidden (magnitudes only); left out of the errors. */
  hidden: number;
  /** Mean of |published − true| over the cells shown. */
  meanAbsoluteError: number;
  /** Mean of |published − true| / true over the cells shown whose true value is above 0 (null when none is). */
  meanRelativeError: number | null;
  /** The same, the grand total alone (published on its own). */
  totalError: number | null;
}

/** The truth of one report by one region level: region code to exact value (absent: 0). */
export type Truth = (measure: string, level: string) => Promise<{ cells: Map<string, number>; total: number }>;

/**
 * Utility (issue 18): how far the ministry's published cells are from the truth, per measure, at
 * województwo and powiat level, over the calendar year of the report cases. The truth is app.report
 * as staff see it (exact), asked by the caller for a principal over every gmina.
 */
export async function measureUtility(gqlData: (query: string) => Promise<any>, truth: Truth): Promise<UtilityResult[]> {
  const results: UtilityResult[] = [];
  for (const measure of UTILITY_MEASURES) {
    for (const level of UTILITY_LEVELS) {
      const data = (
        await gqlData(
          `{ ministryReport(measure: ${measure}, groupBy: [${level}], ${YEAR}) { cells { keys { code } value suppressed } total { value suppressed } } }`,
        )
      ).ministryReport;
      const exact = await truth(measure, level);
      const shown = (data.cells as { keys: { code: string }[]; value: number | null; suppressed: boolean }[]).filter((c) => !c.suppressed && c.value !== null);
      const errors = shown.map((c) => ({ error: Math.abs(c.value! - (exact.cells.get(c.keys[0].code) ?? 0)), truth: exact.cells.get(c.keys[0].code) ?? 0 }));
      const positive = errors.filter((e) => e.truth > 0);
      results.push({
        measure,
        level,
        cells: data.cells.length,
        hidden: data.cells.length - shown.length,
        meanAbsoluteError: errors.length ? errors.reduce((s, e) => s + e.error, 0) / errors.length : 0,
        meanRelativeError: positive.length ? positive.reduce((s, e) => s + e.error / e.truth, 0) / positive.length : null,
        totalError: data.total.suppressed || data.total.value === null ? null : Math.abs(data.total.value - exact.total),
      });
    }
  }
  return results;
}
