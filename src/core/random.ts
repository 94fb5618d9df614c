/**
 * Seeded random numbers. Every random choice in a run comes from a Random derived from the
 * scenario seed, so the same scenario and seed give the same tables bit for bit. Streams are
 * forked by name so adding a consumer does not shift the numbers another consumer sees.
 */
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { UsageError } from "./errors.js";

type Generator = ReturnType<typeof xoroshiro128plus>;

/**
 * A deterministic random stream (xoroshiro128+ from pure-rand).
 *
 * @example
 * const r = new Random(1);
 * r.float();        // in [0, 1)
 * r.int(0, 9);      // in 0..9
 * r.fork("kswapd"); // an independent stream named "kswapd"
 */
export class Random {
  readonly seed: number;
  #gen: Generator;

  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) {
      throw new UsageError({ what: "seed", value: seed, rule: "must be a safe integer", fix: "pass an integer such as 1" });
    }
    this.seed = seed;
    // Fold the high bits in so seeds above 2^32 do not collide with small ones.
    this.#gen = xoroshiro128plus((seed | 0) ^ (Math.floor(seed / 2 ** 32) | 0));
  }

  /** A uniform float in [0, 1). */
  float(): number {
    return uniformFloat64(this.#gen);
  }

  /** A uniform integer in [from, to], both included. */
  int(from: number, to: number): number {
    return uniformInt(this.#gen, from, to);
  }

  /** An exponentially distributed value with the given mean. */
  exponential(mean: number): number {
    return -mean * Math.log(1 - this.float());
  }

  /** An independent stream whose numbers depend only on this stream's seed and `name`. */
  fork(name: string): Random {
    return new Random(hashString(name, this.seed));
  }
}

/** FNV-1a over the name, mixed with the seed: a stable 32-bit value. */
function hashString(name: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * A uniform number in [0, 1) that depends only on (seed, a, b): a counter-based draw. Kernel
 * subsystems key it by frame id and time, so the hinting-fault time or referenced bit of one
 * page does not change when another process draws numbers too: two runs that differ in one
 * behaviour see the same randomness wherever that behaviour does not reach (common random
 * numbers, which is what makes side-by-side comparisons sharp).
 *
 * @example
 * hashUniform(1, 4711, 2000) // the same number on every call
 */
export function hashUniform(seed: number, a: number, b: number): number {
  const lo = (b % 0x100000000) >>> 0;
  const hi = Math.floor(b / 0x100000000) >>> 0;
  let h = mix32((seed ^ 0x9e3779b9) >>> 0);
  h = mix32((h ^ (a >>> 0)) >>> 0);
  h = mix32((h ^ lo) >>> 0);
  const h2 = mix32((h ^ hi ^ 0x7f4a7c15) >>> 0);
  return (h * 2 ** 21 + (h2 >>> 11)) / 2 ** 53;
}

/** The murmur3 32-bit finaliser: every input bit flips about half the output bits. */
function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
