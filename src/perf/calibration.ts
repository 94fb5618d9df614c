/**
 * Default misses in flight per thread, and how they were chosen.
 *
 * Only the streaming value is fitted to a measurement; the others follow from how the access
 * pattern exposes parallelism and are stated so a workload can override them per task.
 */

/**
 * Misses in flight per thread, by access pattern.
 *
 * - `streaming` (STREAM, sequential scans, MLC bandwidth traffic): 9. Fitted once on the
 *   sprCxl machine so that 64 STREAM triad threads reproduce the five rows of calibration.md §1
 *   within 10% (test/perf/stream-reproduction.test.ts). The DRAM-only row alone fixes it:
 *   208.5 GB/s = 64 x MLP x 64 B / (loaded latency ~180 ns) gives MLP ~ 9. That is plausible
 *   hardware: a Sapphire Rapids core has 16 L1D fill buffers and the L2 streamer keeps a few more
 *   lines in flight, but with 64 threads on 40 cores two hyperthreads share one core's buffers.
 * - `random` (independent random loads: pmbench-like, hash lookups): 6. The out-of-order window
 *   finds several independent misses but fewer than a prefetcher does. Not fitted.
 * - `dependent` (pointer chase): 1. Each load needs the previous one's data.
 *
 * @example
 * DEFAULT_MLP_BY_PATTERN.dependent // 1
 */
export const DEFAULT_MLP_BY_PATTERN: Readonly<{ streaming: number; random: number; dependent: number }> = {
  streaming: 9,
  random: 6,
  dependent: 1,
};

/**
 * The MLP a task gets when it states none: the streaming value, because the bandwidth figures
 * tiersim reproduces (STREAM, MLC) are streaming workloads.
 *
 * @example
 * DEFAULT_MLP // 9
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
