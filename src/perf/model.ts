/**
 * The closed-loop performance model's input and output (DESIGN.md decision 4). Plain data, so
 * the simulator can build an input per accounting epoch and results can be tabulated directly.
 *
 * Units: an *access* is one cache-line miss a thread waits for: a load miss, or a store miss
 * (which also moves a write-allocate read unless its stores are non-temporal). Bandwidths are
 * GB/s (10^9 B/s) of 64-byte lines; latencies are ns.
 */
import type { TopologySpec } from "../topology/types.js";

/**
 * Bytes per access: one cache line on x86-64 and Arm servers.
 *
 * @example
 * CACHE_LINE_BYTES // 64
 */
export const CACHE_LINE_BYTES: number = 64;

/**
 * One group of identical threads on one CPU node, and where their misses go.
 *
 * @example
 * { name: "stream", node: 0, threads: 64, mlp: 15, readShare: 2 / 3, nonTemporalStores: true, traffic: { 0: 0.9, 1: 0.1 } }
 */
export interface PerfTask {
  /** Label carried to the result; default `task<index>`. */
  readonly name?: string;
  /** The CPU node the threads run on. */
  readonly node: number;
  /** Number of threads, >= 0. */
  readonly threads: number;
  /** Misses each thread keeps in flight; default {@link import("./calibration.js").DEFAULT_MLP}. */
  readonly mlp?: number;
  /** Compute time between consecutive accesses of one miss slot, ns; default 0. */
  readonly computeNsPerAccess?: number;
  /** Fraction of the task's accesses served by each memory node (node id -> fraction, summing to 1). */
  readonly traffic: Readonly<Record<number, number>>;
  /** Fraction of accesses that are loads (the rest are stores), 0..1. */
  readonly readShare: number;
  /** True when stores bypass the cache (no write-allocate read); default false. */
  readonly nonTemporalStores?: boolean;
}

/**
 * What {@link import("./solve.js").solvePerformance} needs: the machine and the tasks.
 *
 * @example
 * { topology: presets.sprCxl(), tasks: [{ node: 0, threads: 64, readShare: 1, traffic: { 0: 1 } }] }
 */
export interface PerformanceInput {
  readonly topology: TopologySpec;
  readonly tasks: readonly PerfTask[];
  /** Relative convergence tolerance on every latency; default 1e-8. */
  readonly tolerance?: number;
  /** Cap on Gauss-Seidel sweeps; default 500. */
  readonly maxSweeps?: number;
}

/**
 * One task's operating point.
 *
 * @example
 * solution.tasks[0].bandwidthGBps // STREAM-style bandwidth: accesses x 64 B
 */
export interface TaskPerformance {
  readonly name: string;
  readonly node: number;
  /** Accesses (line misses waited for) per second, all threads together. */
  readonly accessesPerSec: number;
  /** accessesPerSec x 64 B, in GB/s: what STREAM or a program would count. */
  readonly bandwidthGBps: number;
  /** Lines actually moved including write-allocate reads, GB/s (reads + writes). */
  readonly trafficGBps: number;
  readonly readGBps: number;
  readonly writeGBps: number;
  /**
   * Mean memory latency of an access, ns: traffic-weighted node latency plus route latency and
   * link queueing. Compute time is not included: accessesPerSec = threads x MLP / (compute + this).
   */
  readonly latencyNs: number;
  /** Accesses per second of one thread. */
  readonly perThreadAccessesPerSec: number;
}

/**
 * One memory node's operating point.
 *
 * @example
 * solution.nodes.find((n) => n.node === 1)!.utilisation // 0.97 when the CXL node saturates
 */
export interface NodePerformance {
  readonly node: number;
  readonly readGBps: number;
  readonly writeGBps: number;
  readonly bandwidthGBps: number;
  /** Read share of the node's traffic (1 when idle). */
  readonly readShare: number;
  /** Peak bandwidth at that read share, GB/s. */
  readonly peakGBps: number;
  /** bandwidthGBps / peakGBps; may slightly exceed 1 when saturated (the curves' steep end). */
  readonly utilisation: number;
  /** Loaded latency from the node's local initiator, ns. */
  readonly latencyNs: number;
  /** True once utilisation reaches 0.98. */
  readonly saturated: boolean;
}

/**
 * One link's load, per direction: `read` = toward its `from` end (CXL: device to host).
 *
 * @example
 * solution.links[0].readUtilisation
 */
export interface LinkPerformance {
  readonly id: string;
  readonly kind: "cxl" | "interconnect";
  readonly readGBps: number;
  readonly writeGBps: number;
  readonly readUtilisation: number;
  readonly writeUtilisation: number;
  /** Queueing delay added in each direction, ns. */
  readonly readQueueNs: number;
  readonly writeQueueNs: number;
}

/**
 * The solved fixed point.
 *
 * @example
 * const s = solvePerformance(input); s.converged // true
 */
export interface PerformanceSolution {
  readonly tasks: readonly TaskPerformance[];
  /** Every memory node of the topology, in node order. */
  readonly nodes: readonly NodePerformance[];
  /** Every link of the topology, in spec order. */
  readonly links: readonly LinkPerformance[];
  readonly converged: boolean;
  /** Gauss-Seidel sweeps used. */
  readonly sweeps: number;
  /** Largest relative latency change in the last sweep. */
  readonly residual: number;
}
