/**
 * `sweep()`: one scenario per grid point, run in parallel on a piscina worker pool, gathered
 * into one tidy table. Every point is built and validated in the caller's thread first, so a
 * bad grid fails whole and before any work. Rows come back in grid order whatever the
 * scheduling, and each point is a deterministic run, so a sweep repeats bit for bit.
 */
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import * as aq from "arquero";
import type { ColumnTable } from "arquero";
import { Piscina } from "piscina";
import { ScenarioError, UsageError, type Issue } from "../core/errors.js";
import type { Scenario } from "../results/scenario.js";
import { expandGrid, type SweepGrid, type SweepPoint, type SweepScenarioFn } from "./sweepGrid.js";
import { runSweepPoint, type SweepPointResult } from "./sweepWorker.js";
import { resolveScenario } from "./validateScenario.js";

/**
 * Options of {@link sweep}.
 *
 * @example
 * { base, grid: { weights: [{ 0: 1, 1: 1 }, { 0: 9, 1: 1 }] }, onProgress: (d, n) => console.log(`${d}/${n}`) }
 */
export interface SweepOptions {
  /** The scenario every point starts from. */
  readonly base: Scenario;
  /** Parameter lists crossed into points, or a function making each point's scenario from `points`. */
  readonly grid: SweepGrid | SweepScenarioFn;
  /** With a function grid: the points to run; their keys become columns of the table. */
  readonly points?: readonly SweepPoint[];
  /** Called after each finished point with (finished points, all points). */
  readonly onProgress?: (done: number, total: number) => void;
  /** Worker threads; default: the CPUs available, at most one per point. 0 runs in this thread. */
  readonly workers?: number;
}

/**
 * Runs a scenario per grid point and returns one table: a row per point and task, with the
 * point's parameters (`point`, and e.g. `weights` "9:1", `weight_node0`, `policy`) followed by
 * the run's summary columns (`bandwidth_gbps`, `latency_ns`, `traffic_share_node<N>`, ...) and
 * `warnings` (codes, comma-separated). Needs the compiled worker (`npm run build`).
 *
 * @example
 * const grid = { weights: Array.from({ length: 20 }, (_, i) => ({ 0: i + 1, 1: 1 })) };
 * const table = await sweep({ base: { topology: presets.sprCxl(), workload: wl, policy: pol, duration: "1s", seed: 1 }, grid });
 */
export async function sweep(options: SweepOptions): Promise<ColumnTable> {
  if (options === null || typeof options !== "object" || options.base === undefined || options.grid === undefined) {
    throw new UsageError({ what: "sweep(options)", value: options, rule: "needs { base, grid }", fix: "write sweep({ base: scenario, grid: { weights: [{ 0: 9, 1: 1 }] } })" });
  }
  const points = pointsOf(options);
  const total = points.length;
  const issues: Issue[] = [];
  const resolved = points.map((p, i) => {
    try {
      return resolveScenario(p.scenario);
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      issues.push(...atPoint(i, e.issues));
      return null;
    }
  });
  if (issues.length > 0) throw new ScenarioError(issues, "sweep");
  const workers = workerCount(options.workers, total);
  let done = 0;
  const progress = (): void => {
    done++;
    options.onProgress?.(done, total);
  };
  let results: SweepPointResult[];
  if (workers === 0) {
    results = resolved.map((r) => {
      const out = runSweepPoint({ resolved: r! });
      progress();
      return out;
    });
  } else {
    const pool = new Piscina({ filename: workerFile(), minThreads: workers, maxThreads: workers, idleTimeout: 1000 });
    try {
      results = await Promise.all(
        resolved.map(async (r) => {
          const out = (await pool.run({ resolved: r })) as SweepPointResult;
          progress();
          return out;
        }),
      );
    } finally {
      await pool.destroy();
    }
  }
  const refused = results.flatMap((r, i) => atPoint(i, r.issues ?? []));
  if (refused.length > 0) throw new ScenarioError(refused, "sweep");
  return gather(points.map((p) => p.point), results);
}

function atPoint(i: number, issues: readonly Issue[]): Issue[] {
  return issues.map((x) => ({ ...x, path: ["points", i, ...x.path] }));
}

function pointsOf(options: SweepOptions): { point: SweepPoint; scenario: Scenario }[] {
  if (typeof options.grid === "function") {
    const fn = options.grid;
    if (!Array.isArray(options.points) || options.points.length === 0) {
      throw new UsageError({ what: "sweep() points", value: options.points, rule: "a function grid needs a non-empty list of points to call it with", fix: "write points: [{ ratio: 1 }, { ratio: 9 }]" });
    }
    return options.points.map((point) => ({ point, scenario: fn(point, options.base) }));
  }
  if (options.points !== undefined) {
    throw new UsageError({ what: "sweep() points", value: options.points, rule: "points go with a function grid only; a declarative grid makes its own", fix: "drop points, or pass grid: (point, base) => scenario" });
  }
  return expandGrid(options.base, options.grid);
}

function workerCount(requested: number | undefined, total: number): number {
  if (requested === undefined) return Math.max(1, Math.min(availableParallelism(), total));
  if (!Number.isInteger(requested) || requested < 0) {
    throw new UsageError({ what: "sweep() workers", value: requested, rule: "is a whole number of worker threads, 0 to run in this thread", fix: "omit it to use every CPU, or write workers: 2" });
  }
  return Math.min(requested, total);
}

/**
 * The compiled worker: next to this module in dist/, or the package's dist/ when this module
 * runs from src/ (vitest, tsx).
 */
function workerFile(): string {
  const here = fileURLToPath(new URL("./sweepWorker.js", import.meta.url));
  if (existsSync(here)) return pathToFileURL(here).href;
  let dir = dirname(here);
  while (dir !== dirname(dir)) {
    if (existsSync(join(dir, "package.json"))) {
      const built = join(dir, "dist", "sim", "sweepWorker.js");
      if (existsSync(built)) return pathToFileURL(built).href;
      break;
    }
    dir = dirname(dir);
  }
  throw new UsageError({
    what: "sweep() worker",
    value: here,
    rule: "the worker pool runs the compiled worker dist/sim/sweepWorker.js, which is missing",
    fix: "run `npm run build` (or pass workers: 0 to run in this thread)",
  });
}

function gather(points: readonly SweepPoint[], results: readonly SweepPointResult[]): ColumnTable {
  const pointKeys = [...new Set(points.flatMap((p) => Object.keys(p)))];
  const rowKeys = [...new Set(results.flatMap((r) => r.rows.flatMap((row) => Object.keys(row))))];
  const names = ["point", ...pointKeys.filter((k) => !rowKeys.includes(k)), ...rowKeys, "warnings"];
  const cols: Record<string, unknown[]> = Object.fromEntries(names.map((n) => [n, []]));
  results.forEach((r, i) => {
    const warnings = [...new Set(r.warnings.map((w) => w.code))].join(",");
    for (const row of r.rows) {
      const cells: Record<string, unknown> = { point: i, ...points[i], ...row, warnings };
      for (const n of names) cols[n]!.push(cells[n] ?? null);
    }
  });
  return aq.table(cols);
}
