/**
 * A cold memory hog: allocates and writes its region once, then never touches it again
 * (a leaked buffer, a cold heap). It fills fast memory so that later allocations land on the
 * slow tier, and it is what reclaim should demote first. Its access share must be 0; weights
 * are uniform (the single touch covers every page once, in order); read share 0.
 */
import type { ColdHogPattern, PatternDefinition } from "./types.js";
import { uniformWeights } from "./weights.js";

/**
 * The cold memory hog pattern.
 *
 * @example
 * coldHogPattern.readShare({ type: "coldHog" }) // 0
 */
export const coldHogPattern: PatternDefinition<ColdHogPattern> = {
  type: "coldHog",
  keys: [],
  normalize(): ColdHogPattern {
    return { type: "coldHog" };
  },
  check(): void {},
  readShare(): number {
    return 0;
  },
  sequential(): boolean {
    return true;
  },
  perf: null,
  weights(_p, pages): Float64Array {
    return uniformWeights(pages);
  },
};
