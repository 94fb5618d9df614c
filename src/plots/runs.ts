/**
 * Figures that overlay runs take one run or a `{ label: run }` record. This file turns either
 * into a list of labelled runs, names series after their run, and checks the small option
 * values those figures share (name lists, titles), so each figure validates the same way.
 */
import type { ColumnTable } from "arquero";
import { UsageError } from "../core/errors.js";
import { isTable, requireColumns } from "./columns.js";

/**
 * One run (its label is then null: series are named without it) or several runs by label.
 *
 * @example
 * plots.convergence({ "v6.16": before, "v6.16 + fix": after })
 */
export type RunsInput<T> = T | Readonly<Record<string, T>>;

/**
 * A run with the label it is shown under; `label` is null for a run passed on its own.
 *
 * @example
 * labelledRuns(run, "occupancy", [], "convergence(runs)")[0] // { label: null, run }
 */
export interface LabelledRun<T> {
  readonly label: string | null;
  readonly run: T;
}

/**
 * The runs of a `runs` argument in the order given, each checked for every table in `tables`
 * it must carry and that table's columns. The first table named tells one run (which carries
 * it) from a record of runs by label.
 *
 * @example
 * labelledRuns({ before, after }, { vmstat: ["time_s", "counter", "value"] }, "counterTimeline(runs)")
 */
export function labelledRuns<T extends object>(runs: RunsInput<T>, tables: Readonly<Record<string, readonly string[]>>, what: string): LabelledRun<T>[] {
  const names = Object.keys(tables);
  const first = names[0]!;
  const fix = `pass a simulate() result, or several by label: { "v6.16": run1, "v6.16 + fix": run2 }`;
  if (runs === null || typeof runs !== "object" || Array.isArray(runs)) {
    throw new UsageError({ what, value: runs, rule: `takes a run (with a ${first} table) or a record of runs by label`, fix });
  }
  const single = isTable((runs as Record<string, unknown>)[first]);
  const list: LabelledRun<T>[] = single
    ? [{ label: null, run: runs as T }]
    : Object.entries(runs as Record<string, T>).map(([label, run]) => ({ label, run }));
  if (list.length === 0) throw new UsageError({ what, value: runs, rule: "needs at least one run", fix });
  for (const table of names) {
    for (const { label, run } of list) {
      const where = label === null ? `${what}.${table}` : `${what}[${JSON.stringify(label)}].${table}`;
      const t = run !== null && typeof run === "object" ? (run as Record<string, unknown>)[table] : undefined;
      if (!isTable(t)) throw new UsageError({ what: where, value: run, rule: `is missing: each run needs its ${table} table`, fix });
      requireColumns(t, tables[table]!, where, `simulate(...).${table}`);
    }
  }
  return list;
}

/**
 * A series name: the run label first when there is one.
 *
 * @example
 * seriesName("with fix", "cachelib") // "with fix: cachelib"
 * seriesName(null, "cachelib")       // "cachelib"
 */
export function seriesName(label: string | null, name: string): string {
  return label === null ? name : `${label}: ${name}`;
}

/**
 * A list-of-names option: undefined stays undefined (meaning "all"), otherwise it must be a
 * non-empty array of non-empty strings, each one of `known` (the names the tables hold).
 *
 * @example
 * nameList(["cachelib"], ["cachelib", "stream"], "convergence options.processes", '["cachelib"]')
 */
export function nameList(value: unknown, known: readonly string[], what: string, example: string): Set<string> | undefined {
  if (value === undefined) return undefined;
  const ok = Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === "string" && v !== "");
  if (!ok) throw new UsageError({ what, value, rule: "must be a non-empty array of names", fix: `write e.g. ${example}, or leave it out for all` });
  const have = new Set(known);
  const unknown = (value as string[]).filter((v) => !have.has(v));
  if (unknown.length > 0) {
    throw new UsageError({ what, value, rule: `names ${unknown.join(", ")}, which no run has`, fix: `use some of: ${[...have].sort().join(", ") || "(none)"}` });
  }
  return new Set(value as string[]);
}

/**
 * The title option: a string, or undefined for the figure's default.
 *
 * @example
 * titleOption(options.title, "Hot pages on the fast tier", "convergence options.title")
 */
export function titleOption(value: unknown, fallback: string, what: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== "string") throw new UsageError({ what, value, rule: "must be a string", fix: 'write e.g. { title: "seed 000: shmem working set" }' });
  return value;
}

/**
 * The distinct values of a column over several tables, sorted.
 *
 * @example
 * distinct([run.occupancy], "process") // ["cachelib", "stream"]
 */
export function distinct(tables: readonly ColumnTable[], column: string): string[] {
  const s = new Set<string>();
  for (const t of tables) {
    const values = t.array(column) as ArrayLike<unknown>;
    for (let i = 0; i < values.length; i++) if (values[i] !== null && values[i] !== undefined) s.add(String(values[i]));
  }
  return [...s].sort();
}
