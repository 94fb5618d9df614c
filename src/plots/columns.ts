/**
 * Figure builders take tables; a table from the wrong function should fail with the missing
 * column names and the function that makes the right table, not with a blank plot.
 */
import type { ColumnTable } from "arquero";
import { UsageError } from "../core/errors.js";

/**
 * Whether `v` is an arquero table (has columnNames()).
 *
 * @example
 * isTable(run.vmstat) // true
 */
export function isTable(v: unknown): v is ColumnTable {
  return v !== null && typeof v === "object" && typeof (v as { columnNames?: unknown }).columnNames === "function";
}

/**
 * Throws a UsageError unless `table` is an arquero table with every one of `columns`.
 *
 * @example
 * requireColumns(t, ["node", "latency_ns"], "loadedLatency(table)", "latencyCurvesTable(spec)");
 */
export function requireColumns(table: ColumnTable, columns: readonly string[], what: string, maker: string): void {
  if (!isTable(table)) {
    throw new UsageError({ what, value: table, rule: "must be an arquero table", fix: `pass ${maker}` });
  }
  const have = new Set(table.columnNames());
  const missing = columns.filter((c) => !have.has(c));
  if (missing.length > 0) {
    throw new UsageError({
      what,
      value: table.columnNames(),
      rule: `needs the column${missing.length === 1 ? "" : "s"} ${missing.join(", ")}`,
      fix: `pass ${maker}`,
    });
  }
}

/**
 * The rows of a table as plain objects, typed by the caller who checked the columns.
 *
 * @example
 * rowsOf<{ node: number }>(nodesTable(kt))[0].node // 0
 */
export function rowsOf<T>(table: ColumnTable): T[] {
  return table.objects() as unknown as T[];
}
