/**
 * Gaussian random access (pmbench's "normal" pattern): a bell of accesses around one place in
 * the region, so the hot pages are contiguous. Parameters, as fractions of the region:
 * `mean` (default 0.5, the middle) and `stddev` (default 0.125, so +-2 sigma covers the middle
 * half). Random order; read share 0.5 as pmbench.
 */
import type { Checker } from "../check.js";
import type { GaussianPattern, PatternDefinition } from "./types.js";
import { PMBENCH_PERF, PMBENCH_READ_SHARE } from "./uniform.js";

/**
 * The Gaussian random pattern.
 *
 * @example
 * gaussianPattern.normalize({}) // { type: "gaussian", mean: 0.5, stddev: 0.125 }
 */
export const gaussianPattern: PatternDefinition<GaussianPattern> = {
  type: "gaussian",
  keys: ["mean", "stddev"],
  normalize(input): GaussianPattern {
    return { type: "gaussian", mean: (input.mean ?? 0.5) as number, stddev: (input.stddev ?? 0.125) as number };
  },
  check(p, path, checker: Checker): void {
    checker.number([...path, "mean"], p.mean, { min: 0, max: 1 }, "the Gaussian mean is a fraction of the region in 0..1", "write mean: 0.5 for the middle");
    checker.number([...path, "stddev"], p.stddev, { min: 0, minOpen: true }, "the Gaussian stddev is a fraction of the region above 0", "write stddev: 0.125");
  },
  readShare(): number {
    return PMBENCH_READ_SHARE;
  },
  sequential(): boolean {
    return false;
  },
  perf: PMBENCH_PERF,
  weights(p, pages): Float64Array {
    const w = new Float64Array(pages);
    const mean = p.mean * pages;
    const sd = p.stddev * pages;
    // Exponents are taken relative to the page nearest the mean, so a narrow bell cannot
    // underflow every weight to 0: that page always gets exp(0) = 1 before normalising.
    const nearest = Math.min(pages - 1, Math.max(0, Math.floor(mean)));
    const d0 = nearest + 0.5 - mean;
    const inv = 1 / (2 * sd * sd);
    let total = 0;
    for (let i = 0; i < pages; i++) {
      const d = i + 0.5 - mean;
      const v = Math.exp((d0 * d0 - d * d) * inv);
      w[i] = v;
      total += v;
    }
    const scale = 1 / total;
    for (let i = 0; i < pages; i++) w[i] = w[i]! * scale;
    return w;
  },
};
