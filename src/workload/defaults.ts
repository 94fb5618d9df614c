/**
 * Defaults a process gets when nothing more specific applies.
 */
import type { PerfSpec } from "./types.js";

/**
 * Per-thread model parameters of a process whose patterns have no opinion and that never
 * called `perf()`: 10 misses in flight, as a prefetched streaming thread sustains on a modern
 * server core (16 L1D fill buffers on Golden Cove, see the STREAM pattern), and no compute
 * between accesses, so the process is memory bound until told otherwise; stores write-allocate,
 * as ordinary cached stores do.
 *
 * @example
 * workload().process("a", (p) => p.region("r", { size: "1GiB" }).phase(0, [{ region: "r", pattern: "fileScan" }])) // perf { mlp: 10, computeNs: 0, nonTemporalStores: false }
 */
export const DEFAULT_PERF: PerfSpec = { mlp: 10, computeNs: 0, nonTemporalStores: false };

/**
 * Threads of a process that never called `threads()`.
 *
 * @example
 * workload().process("a", (p) => p.uniform({ size: "1GiB" })).build().processes[0].threads // 1
 */
export const DEFAULT_THREADS = 1;

/**
 * Two shares within this distance count as equal (1/3 + 1/3 + 1/3 is not exactly 1).
 *
 * @example
 * Math.abs(1 / 3 + 1 / 3 + 1 / 3 - 1) <= SHARE_TOLERANCE // true
 */
export const SHARE_TOLERANCE = 1e-9;
