/**
 * The perturbation table of the cell key method (README, "Reports": how counts of persons are
 * protected). For each true count i it gives a distribution of deviations d, published i + d, with:
 * - |d| ≤ maxDeviation, and i + d ≥ 0;
 * - i + d never in 1..threshold−1 (a small count is never published as itself; it goes to 0 or to
 *   threshold and above, so a published 0 does not prove an empty cell);
 * - mean 0 (unbiased) and the given variance where the allowed values permit it (otherwise the
 *   nearest variance they permit; counts 1..threshold−1 need more);
 * - otherwise as spread as possible (maximum entropy: p ∝ exp(a·d + b·d²)).
 * A cell picks its deviation by its cell key u in [0, 1): the interval [keyFrom, keyTo) holding u.
 * Counts from threshold + maxDeviation up share one row (every deviation is allowed there).
 * Built here from the parameters, the same way the README describes; not copied from any package.
 */
export interface PerturbationParams {
  maxDeviation: number;
  variance: number;
  threshold: number;
}

export const DEFAULT_MAX_DEVIATION = 5;
export const DEFAULT_VARIANCE = 4;
/** Cell keys are sums of 32-bit record keys modulo 2^32 (migrations use it too). */
export const CELL_KEY_MODULUS = 2 ** 32;
/** A magnitude is hidden when one person (the largest contribution in a rollup row) makes more than this share of it. */
export const DOMINANCE_SHARE = 0.8;

export interface PtableRow {
  count: number;
  deviation: number;
  probability: number;
  keyFrom: number;
  keyTo: number;
}

export interface Ptable {
  params: PerturbationParams;
  /** Counts at or above it use its row. */
  maxCount: number;
  rows: PtableRow[];
}

export function checkParams({ maxDeviation, variance, threshold }: PerturbationParams): void {
  if (!Number.isInteger(maxDeviation) || maxDeviation < threshold - 1 || maxDeviation < 1) {
    throw new Error(`REPORT_PERTURBATION_MAX_DEVIATION must be an integer of at least threshold − 1 (${threshold - 1}), got ${maxDeviation}`);
  }
  if (!(variance > 0) || variance > maxDeviation * maxDeviation) {
    throw new Error(`REPORT_PERTURBATION_VARIANCE must be above 0 and at most maxDeviation² (${maxDeviation * maxDeviation}), got ${variance}`);
  }
}

/** The values a true count may be published as. */
function allowedValues(count: number, { maxDeviation, threshold }: PerturbationParams): number[] {
  if (count === 0) return [0];
  const values: number[] = [];
  for (let j = Math.max(0, count - maxDeviation); j <= count + maxDeviation; j += 1) if (j === 0 || j >= threshold) values.push(j);
  return values;
}

/** The smallest and largest variance a zero-mean distribution on these deviations can have (two-point extremes). */
function varianceRange(devs: number[]): [number, number] {
  let min = devs.includes(0) ? 0 : Infinity;
  let max = 0;
  for (const a of devs)
    for (const b of devs) {
      if (a < 0 && b > 0) {
        const v = -a * b;
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }
  return [min, max];
}

/** Maximum-entropy distribution on `devs` with mean 0 and variance `v` (Newton's method on the dual). */
function maxEntropy(devs: number[], v: number): number[] {
  let a = 0;
  let b = 0;
  const probs = (pa: number, pb: number) => {
    const logits = devs.map((d) => pa * d + pb * d * d);
    const top = Math.max(...logits);
    const w = logits.map((l) => Math.exp(l - top));
    const z = w.reduce((s, x) => s + x, 0);
    return { p: w.map((x) => x / z), logZ: Math.log(z) + top };
  };
  const dual = (pa: number, pb: number) => probs(pa, pb).logZ - pb * v;
  for (let iter = 0; iter < 200; iter += 1) {
    const { p } = probs(a, b);
    const m1 = p.reduce((s, x, i) => s + x * devs[i], 0);
    const m2 = p.reduce((s, x, i) => s + x * devs[i] ** 2, 0);
    const m3 = p.reduce((s, x, i) => s + x * devs[i] ** 3, 0);
    const m4 = p.reduce((s, x, i) => s + x * devs[i] ** 4, 0);
    const g = [m1, m2 - v];
    if (Math.abs(g[0]) < 1e-12 && Math.abs(g[1]) < 1e-12) break;
    // Hessian: covariance of (d, d²).
    const h11 = m2 - m1 * m1;
    const h12 = m3 - m1 * m2;
    const h22 = m4 - m2 * m2;
    const det = h11 * h22 - h12 * h12;
    if (!(Math.abs(det) > 1e-300)) break;
    const da = (h22 * g[0] - h12 * g[1]) / det;
    const db = (h11 * g[1] - h12 * g[0]) / det;
    let step = 1;
    const before = dual(a, b);
    while (step > 1e-8 && !(dual(a - step * da, b - step * db) <= before)) step /= 2;
    a -= step * da;
    b -= step * db;
  }
  return probs(a, b).p;
}

export function buildPtable(params: PerturbationParams): Ptable {
  checkParams(params);
  const maxCount = params.threshold + params.maxDeviation;
  const rows: PtableRow[] = [];
  for (let count = 0; count <= maxCount; count += 1) {
    const devs = allowedValues(count, params).map((j) => j - count);
    let p: number[];
    if (devs.length === 1) {
      p = [1];
    } else {
      const [lo, hi] = varianceRange(devs);
      // Strictly inside the feasible range, so every allowed value keeps some probability.
      const margin = (hi - lo) * 0.02;
      p = maxEntropy(devs, Math.min(Math.max(params.variance, lo + margin), hi - margin));
    }
    let from = 0;
    devs.forEach((deviation, i) => {
      const keyTo = i === devs.length - 1 ? 1 : from + p[i];
      rows.push({ count, deviation, probability: p[i], keyFrom: from, keyTo });
      from = keyTo;
    });
  }
  return { params, maxCount, rows };
}

/** The published value of a true count with cell key u in [0, 1) (the database does the same lookup in report_ptable). */
export function perturb(table: Ptable, count: number, u: number): number {
  const row = Math.min(count, table.maxCount);
  const hit = table.rows.find((r) => r.count === row && u >= r.keyFrom && u < r.keyTo);
  return count + (hit?.deviation ?? 0);
}

/** What values a published figure may stand for: the true counts whose row allows it (an attacker's knowledge of the table). */
export function possibleTrueCounts(table: Ptable, published: number): number[] {
  const out: number[] = [];
  for (let t = Math.max(0, published - table.params.maxDeviation); t <= published + table.params.maxDeviation; t += 1) {
    const row = Math.min(t, table.maxCount);
    if (table.rows.some((r) => r.count === row && r.probability > 1e-12 && t + r.deviation === published)) out.push(t);
  }
  return out;
}

/** The statements that replace report_ptable's rows (the migration's defaults; migrateDatabase's configured ones). */
export function ptableSql(table: Ptable): string[] {
  const values = table.rows.map((r) => `(${r.count}, ${r.deviation}, ${r.keyFrom}, ${r.keyTo})`).join(', ');
  return [
    'delete from report_ptable',
    `insert into report_ptable (count, deviation, key_from, key_to) values ${values}`,
    `update report_config set max_deviation = ${table.params.maxDeviation}, variance = ${table.params.variance}, ptable_max_count = ${table.maxCount}`,
  ];
}
