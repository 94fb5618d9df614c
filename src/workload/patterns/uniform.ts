/**
 * Uniform random access (pmbench's "uniform" pattern): every page equally likely. No
 * parameters. Random order; read share 0.5, pmbench's default `--ratio 50`.
 */
import type { PatternDefinition, PerfDefaults, UniformPattern } from "./types.js";
import { uniformWeights } from "./weights.js";

/**
 * pmbench times every access with a pair of rdtscp, which serialises the accesses: one miss in
 * flight, and ~30 ns per access for the timing and the next offset (~100 cycles at 3 GHz).
 *
 * @example
 * patternPerf({ type: "uniform" }) === PMBENCH_PERF // true
 */
export const PMBENCH_PERF: PerfDefaults = { mlp: 1, computeNs: 30 };

/**
 * pmbench's default read percentage (`-r 50`).
 *
 * @example
 * defaultReadShare({ type: "zipf", exponent: 1, scatter: true }) // 0.5
 */
export const PMBENCH_READ_SHARE = 0.5;

/**
 * The uniform random pattern.
 *
 * @example
 * uniformPattern.weights({ type: "uniform" }, 4, new Random(1)) // Float64Array [0.25, 0.25, 0.25, 0.25]
 */
export const uniformPattern: PatternDefinition<UniformPattern> = {
  type: "uniform",
  keys: [],
  normalize(): UniformPattern {
    return { type: "uniform" };
  },
  check(): void {},
  readShare(): number {
    return PMBENCH_READ_SHARE;
  },
  sequential(): boolean {
    return false;
  },
  perf: PMBENCH_PERF,
  weights(_p, pages): Float64Array {
    return uniformWeights(pages);
  },
};
