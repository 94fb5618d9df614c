/**
 * A sequential scan of a file through the page cache (grep, a backup, a log reader). No
 * parameters. Uniform weights, sequential, all reads. Suggested perf: 10 misses in flight
 * (copy_to_user on a sequential stream is prefetched like STREAM), no compute.
 */
import type { FileScanPattern, PatternDefinition } from "./types.js";
import { uniformWeights } from "./weights.js";

/**
 * The sequential file-scan pattern.
 *
 * @example
 * fileScanPattern.sequential({ type: "fileScan" }) // true
 */
export const fileScanPattern: PatternDefinition<FileScanPattern> = {
  type: "fileScan",
  keys: [],
  normalize(): FileScanPattern {
    return { type: "fileScan" };
  },
  check(): void {},
  readShare(): number {
    return 1;
  },
  sequential(): boolean {
    return true;
  },
  perf: { mlp: 10, computeNs: 0 },
  weights(_p, pages): Float64Array {
    return uniformWeights(pages);
  },
};
