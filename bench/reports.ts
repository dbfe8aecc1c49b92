import { closedLoop, summarise, type Summary } from './measure.js';

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
const YEAR = 'from: "2026-01-01", to: "2026-12-31"';

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
