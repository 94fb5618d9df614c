/**
 * What a simulation hands to the result tables: the solved operating point of each stretch of
 * time, and the placement snapshots taken whenever pages were allocated. Plain data, so the
 * tables are a pure function of it (and of nothing the simulator keeps).
 */
import type { Warning } from "../core/warnings.js";
import type { PerformanceSolution } from "../perf/model.js";
import type { Scenario } from "./scenario.js";

/**
 * A process as the tables name it.
 *
 * @example
 * { task: "stream", threads: 64, node: 0, startNs: 0 }
 */
export interface TaskInfo {
  readonly task: string;
  readonly threads: number;
  /** CPU node its threads run on. */
  readonly node: number;
  /** When its first phase starts. */
  readonly startNs: number;
}

/**
 * A memory node as the tables name it.
 *
 * @example
 * { node: 1, kind: "cxl", tier: 1 }
 */
export interface MemoryNodeInfo {
  readonly node: number;
  readonly kind: string;
  /** Memory tier index the kernel gave it (0 = fastest), or null. */
  readonly tier: number | null;
}

/**
 * One stretch [startNs, endNs) in which no phase changes, with the operating point solved for it.
 *
 * @example
 * { startNs: 0, endNs: 1e10, phases: { stream: 0 }, traffic: { stream: { 0: 0.9, 1: 0.1 } }, solution }
 */
export interface Segment {
  readonly startNs: number;
  readonly endNs: number;
  /** Phase index of every started task. */
  readonly phases: Readonly<Record<string, number>>;
  /** Access fractions per memory node of every task that issues traffic. */
  readonly traffic: Readonly<Record<string, Readonly<Record<number, number>>>>;
  /** The solved model for the tasks issuing traffic; null when none does. */
  readonly solution: PerformanceSolution | null;
}

/**
 * Pages of one region on one node.
 *
 * @example
 * { process: "stream", region: "a", kind: "anon", node: 1, pages: 78643 }
 */
export interface OccupancyEntry {
  readonly process: string;
  readonly region: string;
  readonly kind: string;
  readonly node: number;
  readonly pages: number;
}

/**
 * Placement and kernel counters at one moment (after the allocations of that moment).
 *
 * @example
 * { timeNs: 0, occupancy: [...], vmstat: { numa_interleave: 0, ... } }
 */
export interface Snapshot {
  readonly timeNs: number;
  readonly occupancy: readonly OccupancyEntry[];
  readonly vmstat: Readonly<Record<string, number>>;
}

/**
 * Everything the result tables are built from.
 *
 * @example
 * buildSimulationResult(record).summary.print();
 */
export interface RunRecord {
  readonly scenario: Scenario;
  readonly seed: number;
  readonly durationNs: number;
  readonly epochNs: number;
  readonly tasks: readonly TaskInfo[];
  readonly memoryNodes: readonly MemoryNodeInfo[];
  /** In time order, covering [0, durationNs). */
  readonly segments: readonly Segment[];
  /** In time order; the first is at time 0. */
  readonly snapshots: readonly Snapshot[];
  readonly warnings: readonly Warning[];
}
