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
 * A seeded pseudo-random bijection of 0..n-1 evaluated per index, with no table: a 4-round
 * Feistel network over the smallest even power of two >= n, cycle-walked back into range.
 * Patterns use it to scatter hot pages over a region (as slab allocators and hash tables
 * scatter popular keys) while writing their weights in page order: a Fisher-Yates shuffle of
 * a 64 GiB region's 16M pages costs seconds in cache misses, this a sequential pass.
 *
 * @example
 * const perm = new IndexPermutation(1000, new Random(1));
 * perm.at(0); // some page in 0..999; at() over 0..999 hits each page once
 */
export class IndexPermutation {
  readonly size: number;
  readonly #half: number;
  readonly #mask: number;
  readonly #keys: Uint32Array;

  constructor(size: number, random: Random) {
    this.size = size;
    let bits = Math.max(2, Math.ceil(Math.log2(size)));
    if (bits % 2 === 1) bits++;
    this.#half = bits / 2;
    this.#mask = 2 ** this.#half - 1;
    this.#keys = Uint32Array.from({ length: 4 }, () => random.int(0, 0xffffffff));
  }

  /** The image of index `i` (0 <= i < size). */
  at(i: number): number {
    let x = i;
    do x = this.#encrypt(x);
    while (x >= this.size);
    return x;
  }

  #encrypt(x: number): number {
    const scale = this.#mask + 1;
    let left = Math.floor(x / scale);
    let right = x % scale;
    for (let k = 0; k < 4; k++) {
      const f = mix32(right ^ this.#keys[k]!) & this.#mask;
      const next = (left ^ f) >>> 0;
      left = right;
      right = next & this.#mask;
    }
    return left * scale + right;
  }
}

/** A 32-bit avalanche mix (the splitmix/murmur finaliser). */
function mix32(v: number): number {
  let z = Math.imul(v ^ (v >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * The whole permutation as a table (for tests and small regions).
 *
 * @example
 * permutation(4, new Random(1)) // Uint32Array, e.g. [2, 0, 3, 1]
 */
export function permutation(n: number, random: Random): Uint32Array {
  const perm = new IndexPermutation(n, random);
  const out = new Uint32Array(n);
  for (let i = 0; i < n; i++) out[i] = perm.at(i);
  return out;
}
