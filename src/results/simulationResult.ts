/**
 * The result of `simulate()`: arquero tables, one per concern, plus the scenario, seed, tiersim
 * version and warnings that make it reproducible. Tables are built once, when the run ends.
 */
import type { ColumnTable } from "arquero";
import { UsageError } from "../core/errors.js";
import type { Warning } from "../core/warnings.js";
import type { RunRecord } from "./runRecord.js";
import type { Scenario } from "./scenario.js";
import { nodeVmstatTable, nodesOverTimeTable, occupancyTable, summaryTable, tasksTable, vmstatTable } from "./simulationTables.js";

/**
 * The tiersim version every result records. Kept equal to package.json's by a test.
 *
 * @example
 * run.version // "0.1.0"
 */
export const RESULT_VERSION: string = "0.1.0";

/**
 * The format tag of `SimulationResult.toJSON()`.
 *
 * @example
 * run.toJSON().format // "tiersim.result/1"
 */
export const RESULT_FORMAT = "tiersim.result/1";

/**
 * The names of a result's tables, for `toCSV(name)` and `toArrow(name)`.
 *
 * @example
 * RESULT_TABLES.forEach((t) => writeFileSync(`${t}.csv`, run.toCSV(t)));
 */
export const RESULT_TABLES = ["summary", "tasks", "nodes", "occupancy", "vmstat", "nodeVmstat"] as const;

/**
 * One of {@link RESULT_TABLES}.
 *
 * @example
 * const name: ResultTableName = "occupancy";
 */
export type ResultTableName = (typeof RESULT_TABLES)[number];

/**
 * `SimulationResult.toJSON()`: the scenario, seed, version, warnings and every table as rows.
 *
 * @example
 * writeFileSync("run.json", JSON.stringify(run));
 */
export interface SimulationResultJSON {
  readonly format: typeof RESULT_FORMAT;
  readonly version: string;
  readonly seed: number;
  readonly scenario: Scenario;
  readonly warnings: readonly Warning[];
  readonly tables: Readonly<Record<ResultTableName, readonly Record<string, unknown>[]>>;
}

/**
 * A finished run.
 *
 * @example
 * const run = simulate({ topology: machine, workload: wl, policy: pol, duration: "10s", seed: 1 });
 * run.summary.print();
 * writeFileSync("tasks.csv", run.toCSV("tasks"));
 */
export class SimulationResult {
  /** One row per task: mean throughput, bandwidth, latency and per-node traffic shares over the run. */
  readonly summary: ColumnTable;
  /** Per task over time: time_s, task, phase, throughput_accesses_per_s, bandwidth_gbps, latency_ns, ... */
  readonly tasks: ColumnTable;
  /** Per memory node over time: read/write bandwidth, latency, utilisation. */
  readonly nodes: ColumnTable;
  /** Pages and bytes per node, tier, kind, process and region over time. */
  readonly occupancy: ColumnTable;
  /** /proc/vmstat counters after each allocation burst (static runs) or epoch, and at the end. */
  readonly vmstat: ColumnTable;
  /** The same per node (node stats as nodeN/vmstat and numastat split them; global events attributed by tiersim): time_s, node, counter, value. */
  readonly nodeVmstat: ColumnTable;
  /** Legal but suspicious things about the scenario, each with its path. */
  readonly warnings: readonly Warning[];
  readonly scenario: Scenario;
  readonly seed: number;
  /** The tiersim version that produced the result. */
  readonly version: string;
  /** Simulated duration, in seconds. */
  readonly durationS: number;

  /** Use `simulate()`; this builds the tables from a finished run's record. */
  constructor(record: RunRecord) {
    this.summary = summaryTable(record);
    this.tasks = tasksTable(record);
    this.nodes = nodesOverTimeTable(record);
    this.occupancy = occupancyTable(record);
    this.vmstat = vmstatTable(record);
    this.nodeVmstat = nodeVmstatTable(record);
    this.warnings = record.warnings;
    this.scenario = record.scenario;
    this.seed = record.seed;
    this.version = RESULT_VERSION;
    this.durationS = record.durationNs / 1e9;
  }

  /**
   * A table by name.
   *
   * @example
   * run.table("nodes").print();
   */
  table(name: ResultTableName): ColumnTable {
    if (!(RESULT_TABLES as readonly string[]).includes(name)) {
      throw new UsageError({ what: "SimulationResult.table(name)", value: name, rule: `a result has the tables ${RESULT_TABLES.join(", ")}`, fix: 'write e.g. run.table("summary")' });
    }
    return this[name];
  }

  /**
   * One table as CSV text.
   *
   * @example
   * writeFileSync("summary.csv", run.toCSV("summary"));
   */
  toCSV(name: ResultTableName): string {
    return this.table(name).toCSV();
  }

  /**
   * One table as Arrow IPC bytes (for pandas, polars, DuckDB).
   *
   * @example
   * writeFileSync("occupancy.arrow", run.toArrow("occupancy"));
   */
  toArrow(name: ResultTableName): Uint8Array {
    return this.table(name).toArrowIPC();
  }

  /**
   * Everything as plain JSON-ready data.
   *
   * @example
   * JSON.stringify(run) // uses toJSON()
   */
  toJSON(): SimulationResultJSON {
    const tables = Object.fromEntries(RESULT_TABLES.map((n) => [n, this[n].objects()])) as Record<ResultTableName, Record<string, unknown>[]>;
    return { format: RESULT_FORMAT, version: this.version, seed: this.seed, scenario: this.scenario, warnings: this.warnings, tables };
  }
}
