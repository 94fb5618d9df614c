/**
 * Which pages of a region count as hot, for results that split occupancy into hot and cold
 * and for convergence figures (share of a workload's hot pages on the fast tier).
 */
import type { AccessSpec } from "./types.js";

/**
 * Marks the pages whose access rate is at least the region's average: 1 where the access has
 * a share above 0 and the page's weight is >= 1/pages, else 0. So a uniform or STREAM region
 * is all hot, a kvCache region hot on its hot set, a Zipf region hot on its head, and a
 * coldHog (share 0) all cold.
 *
 * @example
 * hotPageMask({ region: "cache", share: 1, readShare: 0.9, pattern }, pageWeights(pattern, pages, rng)) // Uint8Array
 */
export function hotPageMask(access: AccessSpec, weights: Float64Array): Uint8Array {
  const mask = new Uint8Array(weights.length);
  if (access.share <= 0 || weights.length === 0) return mask;
  // Uniform weights are 1/pages up to rounding; the tolerance keeps them all hot.
  const threshold = (1 / weights.length) * (1 - 1e-9);
  for (let i = 0; i < weights.length; i++) mask[i] = weights[i]! >= threshold ? 1 : 0;
  return mask;
}
