/**
 * The plain, JSON-serialisable workload a scenario carries (format "tiersim.workload/1").
 * Units live in the key names (damo's habit): `sizeBytes`, `startNs`, `computeNs`. Builders
 * and `workloadFromJSON` produce it; the simulator only ever reads it.
 */
import type { PatternSpec } from "./patterns/types.js";

export type { PatternSpec } from "./patterns/types.js";

/**
 * The format tag every serialised workload carries, so old files can be recognised later.
 *
 * @example
 * workload().process("a", (p) => p.uniform({ size: "1GiB" })).build().format // "tiersim.workload/1"
 */
export const WORKLOAD_FORMAT = "tiersim.workload/1";

/**
 * What backs a region: private anonymous memory, shmem/tmpfs, or a regular file's page cache.
 *
 * @example
 * p.region("cache", { size: "8GiB", kind: "shmem" })
 */
export type RegionKind = "anon" | "shmem" | "file";

/**
 * Where a process's threads may run: every CPU of one node, or an explicit CPU list.
 *
 * @example
 * p.on({ node: 0 }); p.on({ cpus: [0, 1, 2, 3] })
 */
export type CpuBinding = { readonly node: number } | { readonly cpus: readonly number[] };

/**
 * One memory region of a process: one VMA in the simulated kernel.
 *
 * @example
 * wl.processes[0].regions[0] // { name: "a", kind: "anon", sizeBytes: 3221225472, file: null, thp: false }
 */
export interface RegionSpec {
  /** Unique within the process; policies and phases refer to it by this name. */
  readonly name: string;
  readonly kind: RegionKind;
  /** Length in bytes; the kernel rounds it up to whole 4 KiB pages. */
  readonly sizeBytes: number;
  /**
   * The shared object's name (a tmpfs path or a file path). Two regions naming the same file
   * map the same pages, which is how two processes share a shmem segment or a page cache.
   * `null` for anon, and for a shmem region private to this mapping (MAP_SHARED|MAP_ANONYMOUS).
   */
  readonly file: string | null;
  /** Whether the region may be backed by 2 MiB THP folios. */
  readonly thp: boolean;
  /**
   * How well the region's data compresses (logical / compressed bytes, 1..64), as a
   * compressed-RAM node would store it (CRAM, kernel-model.md §6.1). Absent: the device's
   * default ratio. Only CRAM nodes read it.
   */
  readonly compressRatio?: number;
}

/**
 * How a process uses one region during a phase.
 *
 * @example
 * wl.processes[0].phases[0].accesses[0] // { region: "a", share: 0.333, readShare: 0, pattern: { type: "stream", ... } }
 */
export interface AccessSpec {
  /** The region's name in this process. */
  readonly region: string;
  /**
   * Fraction of the process's memory accesses that go to this region (0..1). A share of 0
   * keeps the region touched once at the phase start and then idle (a cold allocation).
   */
  readonly share: number;
  /** Fraction of this region's accesses that are reads (0..1), as the program counts them. */
  readonly readShare: number;
  /** How the accesses spread over the region's pages. */
  readonly pattern: PatternSpec;
}

/**
 * A period of steady behaviour. It lasts from `startNs` to the next phase's start (or the end
 * of the run). A region is first touched when the first phase that lists it starts.
 *
 * @example
 * wl.processes[0].phases[0].startNs // 0
 */
export interface PhaseSpec {
  /** Simulated time at which the phase begins, in nanoseconds. */
  readonly startNs: number;
  /** Shares sum to 1, or all are 0 for a phase in which the process only holds memory. */
  readonly accesses: readonly AccessSpec[];
}

/**
 * The closed-loop performance model's per-thread parameters (DESIGN.md decision 4). One
 * access is one 64-byte cache line moved between a CPU and memory.
 */
export interface PerfSpec {
  /** Misses a thread keeps in flight (memory-level parallelism); 1 for a dependent chain. */
  readonly mlp: number;
  /** CPU time a thread spends per access that does not overlap with memory, in ns. */
  readonly computeNs: number;
  /**
   * Whether the program's stores bypass the cache (streaming stores, or a CPU that turns
   * full-line stores into ownership requests without a read): then a store moves no
   * write-allocate read. STREAM on Sapphire Rapids behaves so.
   */
  readonly nonTemporalStores: boolean;
}

/**
 * One process of the workload.
 *
 * @example
 * wl.processes[0] // { name: "stream", threads: 64, binding: { node: 0 }, perf, regions, phases }
 */
export interface ProcessSpec {
  /** Unique within the workload; policies refer to the process by this name. */
  readonly name: string;
  /** Number of threads, each running the same phases. */
  readonly threads: number;
  /** CPU binding, or `null` to let the scheduler place threads anywhere. */
  readonly binding: CpuBinding | null;
  readonly perf: PerfSpec;
  readonly regions: readonly RegionSpec[];
  /** In increasing `startNs` order; the first phase's start is when the process starts. */
  readonly phases: readonly PhaseSpec[];
  /**
   * How fast the process first-touches a region, bytes per second (all threads together);
   * absent = at once. With a rate, an evolving run faults a region in over time, in chunks
   * between the kernel's events, so kswapd and demotion run while the region fills.
   */
  readonly firstTouchBytesPerSec?: number;
}

/**
 * A whole workload: every process that runs in the scenario.
 *
 * @example
 * const wl: WorkloadSpec = workload().process("db", (p) => p.zipf({ size: "8GiB" })).build();
 */
export interface WorkloadSpec {
  readonly format: typeof WORKLOAD_FORMAT;
  readonly processes: readonly ProcessSpec[];
}
