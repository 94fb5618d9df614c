/**
 * Pointer chase: each load's address comes from the previous load, over a random cyclic
 * permutation of the region (MLC's idle-latency test, lmbench lat_mem_rd). No parameters.
 * Uniform weights (the cycle visits every page equally), random order, all reads.
 * Suggested perf: 1 miss in flight (the dependency forbids more), no compute, so throughput
 * is 1 / latency per thread: the pattern measures latency.
 */
import type { PatternDefinition, PointerChasePattern } from "./types.js";
import { uniformWeights } from "./weights.js";

/**
 * The pointer-chase pattern.
 *
 * @example
 * pointerChasePattern.perf // { mlp: 1, computeNs: 0 }
 */
export const pointerChasePattern: PatternDefinition<PointerChasePattern> = {
  type: "pointerChase",
  keys: [],
  normalize(): PointerChasePattern {
    return { type: "pointerChase" };
  },
  check(): void {},
  readShare(): number {
    return 1;
  },
  sequential(): boolean {
    return false;
  },
  perf: { mlp: 1, computeNs: 0 },
  weights(_p, pages): Float64Array {
    return uniformWeights(pages);
  },
};
