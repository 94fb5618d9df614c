/**
 * Access patterns: how one region's accesses spread over its pages. A pattern is plain data in
 * the workload spec; its definition (one file per pattern) knows the defaults, the checks, the
 * read share it implies and how to turn it into per-page weights.
 */
import type { Random } from "../../core/random.js";
import type { Checker } from "../check.js";

/** The four STREAM kernels. */
export type StreamKernel = "copy" | "scale" | "add" | "triad";
/** STREAM's three arrays. */
export type StreamArray = "a" | "b" | "c";
/** MLC-like traffic mixes: all reads, or reads:writes 3:1, 2:1, 1:1. */
export type MlcMix = "reads" | "3:1" | "2:1" | "1:1";

/** One of STREAM's arrays under one kernel: swept once per pass, read or written. */
export interface StreamPattern {
  readonly type: "stream";
  readonly kernel: StreamKernel;
  readonly array: StreamArray;
}
/** MLC-like bandwidth traffic over a buffer, swept sequentially. */
export interface MlcPattern {
  readonly type: "mlc";
  readonly mix: MlcMix;
}
/** A dependent chain of loads through the region: latency bound. */
export interface PointerChasePattern {
  readonly type: "pointerChase";
}
/** Every page equally likely (pmbench "uniform"). */
export interface UniformPattern {
  readonly type: "uniform";
}
/** A bell around `mean` (pmbench "normal"); mean and stddev are fractions of the region. */
export interface GaussianPattern {
  readonly type: "gaussian";
  readonly mean: number;
  readonly stddev: number;
}
/** The page of popularity rank r gets weight proportional to r^-exponent. */
export interface ZipfPattern {
  readonly type: "zipf";
  readonly exponent: number;
  /** Whether ranks are scattered over the region by a seeded permutation. */
  readonly scatter: boolean;
}
/** A key-value cache: a hot set taking most accesses, the rest spread evenly. */
export interface KvCachePattern {
  readonly type: "kvCache";
  /** Fraction of the region's pages that are hot, in (0, 1]. */
  readonly hotFraction: number;
  /** Fraction of the region's accesses that hit the hot pages, in [0, 1]. */
  readonly hotShare: number;
  /** Whether hot pages are scattered over the region by a seeded permutation. */
  readonly scatter: boolean;
}
/** A sequential read of a file through the page cache. */
export interface FileScanPattern {
  readonly type: "fileScan";
}
/** Memory that is touched once and never again. */
export interface ColdHogPattern {
  readonly type: "coldHog";
}

/** Any access pattern, told apart by `type`. */
export type PatternSpec =
  | StreamPattern
  | MlcPattern
  | PointerChasePattern
  | UniformPattern
  | GaussianPattern
  | ZipfPattern
  | KvCachePattern
  | FileScanPattern
  | ColdHogPattern;

/** A pattern's name, e.g. `"zipf"`. */
export type PatternType = PatternSpec["type"];

/**
 * What a pattern suggests for the performance model when the process does not say.
 *
 * @example
 * patternPerf({ type: "pointerChase" }) // { mlp: 1, computeNs: 0 }
 */
export interface PerfDefaults {
  readonly mlp: number;
  readonly computeNs: number;
  /** Whether stores bypass the cache (no write-allocate read); omitted means false. */
  readonly nonTemporalStores?: boolean;
}

/**
 * The behaviour behind one pattern type.
 *
 * @example
 * zipfPattern.weights(zipfPattern.normalize({}), 1000, new Random(1).fork("db/heap"))
 */
export interface PatternDefinition<P extends PatternSpec> {
  readonly type: P["type"];
  /** The parameter keys besides `type`, for spotting typos in JSON. */
  readonly keys: readonly string[];
  /** Fills the defaults of missing parameters; keeps given values, even bad ones, for `check`. */
  normalize(input: Readonly<Record<string, unknown>>): P;
  /** Reports every bad parameter with its path. */
  check(pattern: P, path: readonly (string | number)[], checker: Checker): void;
  /** The read share the program itself issues, used when an access does not give one. */
  readShare(pattern: P): number;
  /**
   * Whether accesses sweep the region in address order. The engine times hinting faults with
   * it: a sequential sweep reaches a marked page at its next pass, a random pattern after an
   * exponentially distributed wait.
   */
  sequential(pattern: P): boolean;
  /** Suggested per-thread parameters, or null to keep the process's. */
  readonly perf: PerfDefaults | null;
  /** Relative access weight of every page, summing to 1; O(pages), deterministic for `random`. */
  weights(pattern: P, pages: number, random: Random): Float64Array;
}
