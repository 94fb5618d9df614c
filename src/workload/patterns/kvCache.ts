/**
 * A key-value cache with a hot set (cachelib-, memcached- or redis-like), the seed-000
 * workload when its cache lives on shmem. Parameters:
 * - `hotFraction` (default 0.2): fraction of the region's pages that are hot, in (0, 1];
 *   the hot set is max(1, round(hotFraction x pages)) pages.
 * - `hotShare` (default 0.8): fraction of accesses hitting the hot set, in [0, 1]; the 80/20
 *   rule. Hot pages share it equally, cold pages share the rest equally. When every page is
 *   hot, every page gets 1/pages.
 * - `scatter` (default true): hot pages are chosen by a seeded permutation, since a slab
 *   allocator spreads popular items over the whole cache; false makes the first pages hot.
 * Random order; read share 0.9 (a GET-heavy cache; an assumption, set `readShare` to change).
 * Suggested perf: 2 misses in flight and 250 ns compute per access: a GET chases a few
 * dependent lines (bucket, item header, value) and spends ~1 us of CPU on the request.
 */
import type { Random } from "../../core/random.js";
import type { Checker } from "../check.js";
import type { KvCachePattern, PatternDefinition } from "./types.js";
import { IndexPermutation } from "./weights.js";

/**
 * The number of hot pages a kvCache pattern marks in a region of `pages` pages.
 *
 * @example
 * kvHotPages({ type: "kvCache", hotFraction: 0.2, hotShare: 0.8, scatter: true }, 1000) // 200
 */
export function kvHotPages(p: KvCachePattern, pages: number): number {
  return Math.min(pages, Math.max(1, Math.round(p.hotFraction * pages)));
}

/**
 * The key-value cache pattern.
 *
 * @example
 * kvCachePattern.weights({ type: "kvCache", hotFraction: 0.5, hotShare: 0.8, scatter: false }, 2, new Random(1)) // Float64Array [0.8, 0.2]
 */
export const kvCachePattern: PatternDefinition<KvCachePattern> = {
  type: "kvCache",
  keys: ["hotFraction", "hotShare", "scatter"],
  normalize(input): KvCachePattern {
    return {
      type: "kvCache",
      hotFraction: (input.hotFraction ?? 0.2) as number,
      hotShare: (input.hotShare ?? 0.8) as number,
      scatter: (input.scatter ?? true) as boolean,
    };
  },
  check(p, path, checker: Checker): void {
    checker.number([...path, "hotFraction"], p.hotFraction, { min: 0, minOpen: true, max: 1 }, "the hot fraction must be in (0, 1]", "write hotFraction: 0.2 for a hot fifth of the pages");
    checker.number([...path, "hotShare"], p.hotShare, { min: 0, max: 1 }, "the hot share must be in 0..1", "write hotShare: 0.8 for 80% of accesses on the hot set");
    if (typeof p.scatter !== "boolean") {
      checker.add([...path, "scatter"], "invalid_type", p.scatter, "scatter must be true or false", "write scatter: true");
    }
  },
  readShare(): number {
    return 0.9;
  },
  sequential(): boolean {
    return false;
  },
  perf: { mlp: 2, computeNs: 250 },
  weights(p, pages, random: Random): Float64Array {
    const hot = kvHotPages(p, pages);
    const cold = pages - hot;
    const w = new Float64Array(pages);
    if (cold === 0) return w.fill(1 / pages);
    const hotW = p.hotShare / hot;
    const coldW = (1 - p.hotShare) / cold;
    if (!p.scatter) {
      w.fill(hotW, 0, hot);
      w.fill(coldW, hot);
      return w;
    }
    // The permutation is a bijection, so exactly `hot` pages map below `hot`.
    const rankOf = new IndexPermutation(pages, random.fork("scatter"));
    for (let i = 0; i < pages; i++) w[i] = rankOf.at(i) < hot ? hotW : coldW;
    return w;
  },
};
