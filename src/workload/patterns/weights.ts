/**
 * Helpers shared by the patterns' weight functions. All work on typed arrays in O(pages) so a
 * 64 GiB region (16M pages) costs a few passes over one Float64Array and nothing per page.
 */
import type { Random } from "../../core/random.js";

/**
 * Equal weights 1/pages.
 *
 * @example
 * uniformWeights(4) // Float64Array [0.25, 0.25, 0.25, 0.25]
 */
export function uniformWeights(pages: number): Float64Array {
  return new Float64Array(pages).fill(1 / pages);
}

/**
 * Scales weights to sum to 1. The sum is compensated (Neumaier) so millions of tiny weights
 * still sum to 1 within a few ulps after scaling.
 */
export function normalizeInPlace(weights: Float64Array): Float64Array {
  const total = compensatedSum(weights);
  const scale = 1 / total;
  for (let i = 0; i < weights.length; i++) weights[i] = weights[i]! * scale;
  return weights;
}

/**
 * Sum with Neumaier compensation.
 *
 * @example
 * compensatedSum(new Float64Array(10).fill(0.1)) // 1
 */
export function compensatedSum(values: Float64Array): number {
  let sum = 0;
  let c = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const t = sum + v;
    c += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
    sum = t;
  }
  return sum + c;
}

/**
 * A seeded permutation of 0..n-1 (Fisher-Yates). Patterns use it to scatter hot pages over a
 * region, as slab allocators and hash tables scatter popular keys over addresses.
 *
 * @example
 * permutation(4, new Random(1)) // Uint32Array, e.g. [2, 0, 3, 1]
 */
export function permutation(n: number, random: Random): Uint32Array {
  const perm = new Uint32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random.float() * (i + 1));
    const t = perm[i]!;
    perm[i] = perm[j]!;
    perm[j] = t;
  }
  return perm;
}

/**
 * Moves weight i to page perm[i].
 *
 * @example
 * scatter(Float64Array.of(0.7, 0.2, 0.1), new Random(1)) // the same values on shuffled pages
 */
export function scatter(weights: Float64Array, random: Random): Float64Array {
  const perm = permutation(weights.length, random);
  const out = new Float64Array(weights.length);
  for (let i = 0; i < weights.length; i++) out[perm[i]!] = weights[i]!;
  return out;
}
