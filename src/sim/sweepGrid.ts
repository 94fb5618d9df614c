/**
 * Parameter grids of a sweep: the declarative form (weights, threads, named policies, seeds,
 * kernels, crossed in that order) and the function form (explicit points mapped to scenarios).
 * Both end as a list of points with their scenarios, built in the caller's thread, because
 * functions cannot cross to worker threads and validation should report every bad point at once.
 */
import { UsageError } from "../core/errors.js";
import type { PolicySetSpec } from "../policy/policySet.js";
import { policy as emptyPolicy } from "../policy/policySet.js";
import type { Scenario } from "../results/scenario.js";

/**
 * One grid point as table cells: its parameter values (numbers, strings, booleans).
 *
 * @example
 * { weights: "9:1", weight_node0: 9, weight_node1: 1 }
 */
export type SweepPoint = Readonly<Record<string, string | number | boolean | null>>;

/**
 * The declarative grid: every combination of the given values is one point.
 *
 * @example
 * { weights: [{ 0: 1, 1: 1 }, { 0: 9, 1: 1 }], threads: [16, 64] } // 4 points
 */
export interface SweepGrid {
  /** System-wide weighted-interleave weights (node id -> 1..255) replacing the base policy's. */
  readonly weights?: readonly Readonly<Record<number, number>>[];
  /** Threads of every process. */
  readonly threads?: readonly number[];
  /** Whole policy sets by name, replacing the base scenario's (the name becomes the `policy` column). */
  readonly policy?: Readonly<Record<string, PolicySetSpec>>;
  readonly seed?: readonly number[];
  readonly kernel?: readonly string[];
}

/**
 * The function form of a grid: makes the scenario of one point.
 *
 * @example
 * const grid: SweepScenarioFn = (pt, base) => ({ ...base, duration: `${pt.seconds}s` });
 */
export type SweepScenarioFn = (point: SweepPoint, base: Scenario) => Scenario;

const GRID_KEYS = ["weights", "threads", "policy", "seed", "kernel"] as const;

function values(grid: SweepGrid, key: (typeof GRID_KEYS)[number]): readonly unknown[] | undefined {
  const v = key === "policy" ? (grid.policy === undefined ? undefined : Object.keys(grid.policy)) : grid[key];
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.length === 0) {
    throw new UsageError({ what: `sweep() grid.${key}`, value: v, rule: "a grid parameter is a non-empty list of values (policy: a non-empty object of named policy sets)", fix: `write e.g. ${key === "weights" ? "weights: [{ 0: 1, 1: 1 }, { 0: 9, 1: 1 }]" : key === "policy" ? "policy: { interleave: policy()...build() }" : `${key}: [1, 2]`}` });
  }
  return v;
}

function weightCells(w: Readonly<Record<number, number>>): Record<string, number | string> {
  const nodes = Object.keys(w).map(Number).sort((a, b) => a - b);
  const cells: Record<string, number | string> = { weights: nodes.map((n) => w[n]).join(":") };
  for (const n of nodes) cells[`weight_node${n}`] = w[n]!;
  return cells;
}

/**
 * Expands a declarative grid over a base scenario into points and their scenarios, in the
 * order the parameters vary (the last key fastest).
 *
 * @example
 * expandGrid(base, { weights: [{ 0: 1, 1: 1 }, { 0: 9, 1: 1 }] }).map((x) => x.point.weights) // ["1:1", "9:1"]
 */
export function expandGrid(base: Scenario, grid: SweepGrid): { point: SweepPoint; scenario: Scenario }[] {
  if (grid === null || typeof grid !== "object" || Array.isArray(grid)) {
    throw new UsageError({ what: "sweep() grid", value: grid, rule: "is an object of parameter lists or a function (point, base) => scenario", fix: "write grid: { weights: [{ 0: 9, 1: 1 }] }" });
  }
  for (const key of Object.keys(grid)) {
    if (!(GRID_KEYS as readonly string[]).includes(key)) {
      throw new UsageError({ what: "sweep() grid", value: key, rule: `a declarative grid varies ${GRID_KEYS.join(", ")}`, fix: "vary anything else with the function form: grid: (point, base) => scenario, with points: [...]" });
    }
  }
  let out: { point: Record<string, string | number | boolean | null>; scenario: Scenario }[] = [{ point: {}, scenario: base }];
  for (const key of GRID_KEYS) {
    const vs = values(grid, key);
    if (vs === undefined) continue;
    out = out.flatMap(({ point, scenario }) => vs.map((v) => applyValue(key, v, point, scenario, grid)));
  }
  return out;
}

function applyValue(
  key: (typeof GRID_KEYS)[number],
  v: unknown,
  point: Record<string, string | number | boolean | null>,
  s: Scenario,
  grid: SweepGrid,
): { point: Record<string, string | number | boolean | null>; scenario: Scenario } {
  switch (key) {
    case "weights": {
      const w = v as Record<number, number>;
      const pol = s.policy ?? emptyPolicy().build();
      const weights = Object.fromEntries(Object.entries(w).map(([n, x]) => [String(n), x]));
      return { point: { ...point, ...weightCells(w) }, scenario: { ...s, policy: { ...pol, weights: { mode: "manual", weights } } } };
    }
    case "threads": {
      const wl = s.workload;
      return { point, scenario: { ...s, workload: { ...wl, processes: wl.processes.map((p) => ({ ...p, threads: v as number })) } } };
    }
    case "policy":
      return { point: { ...point, policy: v as string }, scenario: { ...s, policy: grid.policy![v as string]! } };
    case "seed":
      return { point: { ...point, seed: v as number }, scenario: { ...s, seed: v as number } };
    case "kernel":
      return { point: { ...point, kernel: v as string }, scenario: { ...s, kernel: v as string } };
  }
}
