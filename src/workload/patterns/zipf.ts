/**
 * Zipf random access (YCSB's "zipfian" request distribution over pages): the page of
 * popularity rank r (1-based) gets weight r^-exponent / H, H the sum over all ranks.
 * Parameters: `exponent` (default 0.99, YCSB's zipfian constant; must be > 0) and `scatter`
 * (default true: ranks land on pages through a seeded permutation, as hashing spreads popular
 * keys; false puts rank 1 at the first page). Random order; read share 0.5 as pmbench.
 */
import type { Random } from "../../core/random.js";
import type { Checker } from "../check.js";
import type { PatternDefinition, ZipfPattern } from "./types.js";
import { PMBENCH_PERF, PMBENCH_READ_SHARE } from "./uniform.js";
import { IndexPermutation, normalizeInPlace } from "./weights.js";

/**
 * The Zipf random pattern.
 *
 * @example
 * zipfPattern.weights({ type: "zipf", exponent: 1, scatter: false }, 2, new Random(1)) // Float64Array [2/3, 1/3]
 */
export const zipfPattern: PatternDefinition<ZipfPattern> = {
  type: "zipf",
  keys: ["exponent", "scatter"],
  normalize(input): ZipfPattern {
    return { type: "zipf", exponent: (input.exponent ?? 0.99) as number, scatter: (input.scatter ?? true) as boolean };
  },
  check(p, path, checker: Checker): void {
    checker.number([...path, "exponent"], p.exponent, { min: 0, minOpen: true }, "the Zipf exponent must be a number above 0", "write exponent: 0.99 (YCSB's zipfian constant)");
    if (typeof p.scatter !== "boolean") {
      checker.add([...path, "scatter"], "invalid_type", p.scatter, "scatter must be true or false", "write scatter: true");
    }
  },
  readShare(): number {
    return PMBENCH_READ_SHARE;
  },
  sequential(): boolean {
    return false;
  },
  perf: PMBENCH_PERF,
  weights(p, pages, random: Random): Float64Array {
    const w = new Float64Array(pages);
    if (p.scatter) {
      const rankOf = new IndexPermutation(pages, random.fork("scatter"));
      for (let i = 0; i < pages; i++) w[i] = Math.pow(rankOf.at(i) + 1, -p.exponent);
    } else {
      for (let r = 0; r < pages; r++) w[r] = Math.pow(r + 1, -p.exponent);
    }
    return normalizeInPlace(w);
  },
};
