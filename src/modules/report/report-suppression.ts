/** One figure of a table: a cell, a row or column total, or the grand total. */
export interface Figure {
  keys: string[];
  value: number | null;
  suppressed: boolean;
}

export interface Table {
  cells: Figure[];
  /** Totals per first key (two-dimensional tables only). */
  rowTotals: Figure[];
  /** Totals per second key (two-dimensional tables only). */
  columnTotals: Figure[];
  total: Figure;
}

function suppress(figure: Figure): void {
  figure.value = null;
  figure.suppressed = true;
}

/**
 * Every "line" of a table is an equation: its cells add up to its total. A line with exactly one
 * suppressed figure gives that figure away by subtraction, so a second one is suppressed too:
 * the smallest cell still shown (a total only when no cell is left), until no line has exactly one.
 */
function linesOf(table: Table, dimensions: number): Figure[][] {
  if (dimensions === 0) return [];
  if (dimensions === 1) return [[...table.cells, table.total]];
  const byKey = (index: 0 | 1, totals: Figure[]) => totals.map((total) => [...table.cells.filter((c) => c.keys[index] === total.keys[0]), total]);
  return [...byKey(0, table.rowTotals), ...byKey(1, table.columnTotals), [...table.rowTotals, table.total], [...table.columnTotals, table.total]];
}

/** Complementary suppression, in place, for tables of up to two dimensions whose cells add up to their totals. */
export function suppressComplementary(table: Table, dimensions: number): void {
  const lines = linesOf(table, dimensions);
  const totals = new Set<Figure>([table.total, ...table.rowTotals, ...table.columnTotals]);
  for (let changed = true; changed;) {
    changed = false;
    for (const line of lines) {
      if (line.filter((f) => f.suppressed).length !== 1) continue;
      const shown = line.filter((f) => !f.suppressed);
      const cells = shown.filter((f) => !totals.has(f));
      const pool = cells.length > 0 ? cells : shown;
      if (pool.length === 0) continue;
      suppress(pool.reduce((min, f) => ((f.value ?? 0) < (min.value ?? 0) ? f : min)));
      changed = true;
    }
  }
}
