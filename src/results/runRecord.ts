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
  /** node_is_toptier() (kernel-model.md §5.2): promotion targets are top tier; absent = true. */
  readonly toptier?: boolean;
  /** N_MEMORY_PRIVATE (§6.1): the node is owned by a driver; absent = false. */
  readonly private?: boolean;
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
  /** True for the region's hot pages (weight at or above the region's mean), false for cold; absent in static runs (all counted as hot). */
  readonly hot?: boolean;
}

/**
 * Kernel state of one task at a snapshot (evolving runs).
 *
 * @example
 * { systemNs: 1.2e8, numaNs: 1.1e8, scanPeriodMs: 1000, preferredNode: 0, node: 0 }
 */
export interface TaskKernelState {
  /** CPU time charged to kernel work in the task's context so far (costs.ts), ns. */
  readonly systemNs: number;
  /** The part of it NUMA balancing took (PTE updates, hinting faults, migrations), ns. */
  readonly numaNs: number;
  /** NUMA-balancing scan period, ms; null when balancing is off for it. */
  readonly scanPeriodMs: number | null;
  /** numa_preferred_nid; null when unset. */
  readonly preferredNode: number | null;
  /** The node of the task's CPU at the snapshot (NUMA balancing may move it); absent in older records. */
  readonly node?: number;
}

/**
 * Kernel state of one memory node at a snapshot (evolving runs).
 *
 * @example
 * { freePages: 1024, promoThresholdMs: 1000, kswapdNs: 0, kswapdWakeups: 0 }
 */
export interface NodeKernelState {
  readonly freePages: number;
  /** Tiering promotion hot threshold in force, ms; null when not a promotion target or tiering is off. */
  readonly promoThresholdMs: number | null;
  /** CPU time of the node's kswapd so far, ns. */
  readonly kswapdNs: number;
  /**
   * Times the node's kswapd was woken from sleep so far: by the allocator's slow path (§1.8)
   * or by a promotion short of headroom (§4.8). /proc/vmstat has no such counter.
   */
  readonly kswapdWakeups: number;
  /**
   * Compressed RAM nodes only (§6.1): logical pages stored, device media pages in use (the
   * compressed size) and the media's size; absent elsewhere.
   */
  readonly cram?: { readonly storedPages: number; readonly usedPages: number; readonly devicePages: number };
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
  /** Per node id: its non-zero counters (/sys/devices/system/node/nodeN/vmstat); absent in old records. */
  readonly nodeVmstat?: Readonly<Record<number, Readonly<Record<string, number>>>>;
  /** Per task name (evolving runs only). */
  readonly tasks?: Readonly<Record<string, TaskKernelState>>;
  /** Per memory node id (evolving runs only). */
  readonly nodes?: Readonly<Record<number, NodeKernelState>>;
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
