/**
 * Default misses in flight per thread, and how they were chosen.
 *
 * Only the streaming value is fitted to a measurement; the others follow from how the access
 * pattern exposes parallelism and are stated so a workload can override them per task.
 */

/**
 * Misses in flight per thread, by access pattern.
 *
 * - `streaming` (STREAM, sequential scans, MLC bandwidth traffic): 15. Fitted once, on
 *   presets.sprCxl() with 64 STREAM triad threads, to the five rows of calibration.md §1
 *   (test/perf/stream-reproduction.test.ts, all within 1.5%). The single-bottleneck rows
 *   (DRAM only, CXL only, 1:1) saturate a node for any MLP above ~12 and barely move; the 9:1 row
 *   fixes the value: at 15 the DRAM node runs at ~95% and the CXL node at ~90% of their peaks,
 *   and their loaded latencies put the result ~5% under the bandwidth-division estimate, as the
 *   real machine was (94%). At 12 the 9:1 row falls 5% short; at 20 it reaches the estimate.
 *   As hardware: 64 threads x 15 = 960 misses over 40 cores, 24 per core, inside the 48
 *   outstanding L2 misses a Golden Cove core's streamer can keep (16 L1D fill buffers each).
 * - `random` (independent random loads: pmbench-like, hash lookups): 6. The out-of-order window
 *   finds several independent misses but fewer than a prefetcher does. Not fitted.
 * - `dependent` (pointer chase): 1. Each load needs the previous one's data.
 *
 * @example
 * DEFAULT_MLP_BY_PATTERN.dependent // 1
 */
export const DEFAULT_MLP_BY_PATTERN: Readonly<{ streaming: number; random: number; dependent: number }> = {
  streaming: 15,
  random: 6,
  dependent: 1,
};

/**
 * The MLP a task gets when it states none: the streaming value, because the bandwidth figures
 * tiersim reproduces (STREAM, MLC) are streaming workloads.
 *
 * @example
 * DEFAULT_MLP // 15
 */
export const DEFAULT_MLP: number = DEFAULT_MLP_BY_PATTERN.streaming;

/**
 * STREAM triad as a perf task shape: per element two loads and one store, i.e. per cache line of
 * each array three accesses, two of them loads. Stores are modelled as non-temporal: Sapphire
 * Rapids turns full-line streaming stores into ownership requests without a read (SpecI2M), and
 * with write-allocate reads the measured 208.5 GB/s would need 278 GB/s of DRAM traffic at 75%
 * reads, above where the Mess SPR curves saturate (~252 GB/s).
 *
 * @example
 * { node: 0, threads: 64, traffic: { 0: 1 }, ...STREAM_TRIAD }
 */
export const STREAM_TRIAD: Readonly<{ readShare: number; nonTemporalStores: boolean; mlp: number; computeNsPerAccess: number }> = {
  readShare: 2 / 3,
  nonTemporalStores: true,
  mlp: DEFAULT_MLP_BY_PATTERN.streaming,
  computeNsPerAccess: 0,
};
