/**
 * What each pattern shortcut of the process builder adds: regions, accesses at one phase
 * start, and the pattern's suggested perf. Kept apart from the builder class so the class
 * stays a thin, documented facade (arquero's verbs habit).
 */
import { parseDuration, parseSize, type Duration, type Size } from "../core/units.js";
import { Checker, checkCompressRatio, throwFirst } from "./check.js";
import { checkPattern, defaultReadShare, patternPerf, type PatternInput } from "./patterns/registry.js";
import { streamArrayUse } from "./patterns/stream.js";
import type { MlcMix, PatternSpec, PerfDefaults, StreamArray, StreamKernel } from "./patterns/types.js";
import type { AccessSpec, RegionKind, RegionSpec } from "./types.js";

/**
 * Options every shortcut takes.
 *
 * @example
 * p.zipf({ size: "8GiB", at: "10s", share: 0.5, thp: true })
 */
export interface ShortcutOptions {
  /**
   * When the accesses start (default `0`): they join the phase starting then. A phase replaces
   * the one before it, so a pattern added only at `"10s"` is all the process does from then on.
   */
  readonly at?: Duration;
  /** Fraction of the process's accesses this pattern takes in that phase (default 1). */
  readonly share?: number;
  /** Whether the region may use THP (default false). */
  readonly thp?: boolean;
}

/**
 * Options of a shortcut that creates one region.
 *
 * @example
 * p.pointerChase({ size: "1GiB", region: "list" })
 */
export interface RegionShortcutOptions extends ShortcutOptions {
  /** The region's size, e.g. `"8GiB"`. */
  readonly size: Size;
  /** The region's name (each shortcut has its own default). */
  readonly region?: string;
  /** Read share of the accesses; the pattern's own when omitted. */
  readonly readShare?: number;
  /** How well the data compresses on a CRAM node (1..64; default the device's ratio, §6.1). */
  readonly compressRatio?: number;
}

/**
 * Options of a shortcut whose region may be anon or shmem, shared by file name.
 *
 * @example
 * p.uniform({ size: "4GiB", kind: "shmem", file: "/dev/shm/data" })
 */
export interface SharableShortcutOptions extends RegionShortcutOptions {
  /** `"anon"` or `"shmem"` (each shortcut has its own default). */
  readonly kind?: Exclude<RegionKind, "file">;
  /** A tmpfs name such as `"/dev/shm/cache"`, so several processes map the same pages. */
  readonly file?: string;
}

/**
 * Options of `stream()`.
 *
 * @example
 * p.stream({ kernel: "copy", arraySize: "3GiB", names: ["x", "y", "z"] })
 */
export interface StreamOptions extends ShortcutOptions {
  /** Which kernel runs (default `"triad"`). */
  readonly kernel?: StreamKernel;
  /** Size of each of the three arrays, e.g. `"3GiB"`. */
  readonly arraySize: Size;
  /** Region names of arrays a, b and c (default `["a", "b", "c"]`). */
  readonly names?: readonly [string, string, string];
}

/**
 * Options of `mlc()`.
 *
 * @example
 * p.mlc({ size: "2GiB", mix: "2:1" })
 */
export interface MlcOptions extends RegionShortcutOptions {
  /** Read:write mix (default `"reads"`). */
  readonly mix?: MlcMix;
}

/**
 * Options of `gaussian()`; mean and stddev are fractions of the region.
 *
 * @example
 * p.gaussian({ size: "8GiB", mean: 0.25, stddev: 0.05 })
 */
export interface GaussianOptions extends SharableShortcutOptions {
  readonly mean?: number;
  readonly stddev?: number;
}

/**
 * Options of `zipf()`.
 *
 * @example
 * p.zipf({ size: "8GiB", exponent: 1.2, scatter: false })
 */
export interface ZipfOptions extends SharableShortcutOptions {
  readonly exponent?: number;
  readonly scatter?: boolean;
}

/**
 * Options of `kvCache()`.
 *
 * @example
 * p.kvCache({ size: "64GiB", kind: "anon", hotFraction: 0.05, hotShare: 0.95 })
 */
export interface KvCacheOptions extends SharableShortcutOptions {
  readonly hotFraction?: number;
  readonly hotShare?: number;
  readonly scatter?: boolean;
}

/**
 * Options of `fileScan()`.
 *
 * @example
 * p.fileScan({ file: "/data/big.log", size: "40GiB" })
 */
export interface FileScanOptions extends RegionShortcutOptions {
  /** The file's name; processes scanning the same name share its page cache. */
  readonly file: string;
}

/**
 * Options of `coldHog()`: no share, it is never accessed after the first touch.
 *
 * @example
 * p.coldHog({ size: "200GiB", at: "1s" })
 */
export interface ColdHogOptions {
  readonly size: Size;
  readonly region?: string;
  readonly kind?: Exclude<RegionKind, "file">;
  readonly file?: string;
  readonly at?: Duration;
  readonly thp?: boolean;
  /** How well the data compresses on a CRAM node (1..64; default the device's ratio, §6.1). */
  readonly compressRatio?: number;
}

/**
 * What a shortcut contributes to a process.
 *
 * @example
 * const add: Addition = coldHogAddition({ size: "1GiB" });
 */
export interface Addition {
  readonly regions: readonly RegionSpec[];
  readonly startNs: number;
  readonly accesses: readonly AccessSpec[];
  readonly perf: PerfDefaults | null;
}

/**
 * Checks one access as the builder receives it and fills its defaults; throws a UsageError at once.
 *
 * @example
 * makeAccess("phase()", "heap", 1, undefined, "uniform") // { region: "heap", share: 1, readShare: 0.5, pattern: { type: "uniform" } }
 */
export function makeAccess(what: string, region: string, share: unknown, readShare: unknown, pattern: PatternInput): AccessSpec {
  const ck = new Checker();
  const spec = checkPattern(pattern, [], ck);
  throwFirst(ck, `${what} pattern`);
  const p = spec as PatternSpec;
  checkFraction(`${what} share`, share ?? 1, ck);
  const rs = readShare ?? defaultReadShare(p);
  checkFraction(`${what} readShare`, rs, ck);
  return { region, share: (share ?? 1) as number, readShare: rs as number, pattern: p };
}

function checkFraction(what: string, value: unknown, ck: Checker): void {
  ck.number([], value, { min: 0, max: 1 }, "must be a number in 0..1", "give a fraction such as 0.5");
  throwFirst(ck, what);
}

/**
 * Parses and checks a region size at the builder; zero is refused at once.
 *
 * @example
 * regionSize("region size", "64MiB") // 67108864
 */
export function regionSize(what: string, size: Size): number {
  const bytes = parseSize(size, what);
  const ck = new Checker();
  ck.number([], bytes, { min: 0, minOpen: true }, "a region needs a positive size", 'give a size such as "64MiB"');
  throwFirst(ck, what);
  return bytes;
}

function startOf(what: string, at: Duration | undefined): number {
  return parseDuration(at ?? 0, `${what} at`);
}

function region(what: string, name: string, size: Size, kind: RegionKind, file: string | undefined, thp: boolean | undefined, compressRatio?: number): RegionSpec {
  const r: RegionSpec = { name, kind, sizeBytes: regionSize(`${what} size`, size), file: file ?? null, thp: thp ?? false };
  return compressRatio === undefined ? r : { ...r, compressRatio: checkRatio(what, compressRatio) };
}

/**
 * Checks a region's compression ratio (checkCompressRatio), throwing at once as a builder does.
 *
 * @example
 * checkRatio("region()", 2) // 2
 */
export function checkRatio(what: string, ratio: number): number {
  const ck = new Checker();
  checkCompressRatio(ck, [], ratio);
  throwFirst(ck, `${what} compressRatio`);
  return ratio;
}

/**
 * One region with one pattern: the shape of most shortcuts.
 *
 * @example
 * single("zipf()", "heap", "anon", { size: "1GiB" }, "zipf").regions[0].name // "heap"
 */
export function single(
  what: string,
  defaultName: string,
  defaultKind: RegionKind,
  o: RegionShortcutOptions & { readonly kind?: RegionKind; readonly file?: string },
  pattern: PatternInput,
): Addition {
  const name = o.region ?? defaultName;
  const r = region(what, name, o.size, o.kind ?? defaultKind, o.file, o.thp, o.compressRatio);
  const access = makeAccess(what, name, o.share, o.readShare, pattern);
  return { regions: [r], startNs: startOf(what, o.at), accesses: [access], perf: patternPerf(access.pattern) };
}

/**
 * STREAM: three arrays with the kernel's split of accesses among them.
 *
 * @example
 * streamAddition({ arraySize: "1GiB" }).accesses.map((a) => a.share) // [1/3, 1/3, 1/3]
 */
export function streamAddition(o: StreamOptions): Addition {
  const kernel = o.kernel ?? "triad";
  const ck = new Checker();
  checkPattern({ type: "stream", kernel }, [], ck);
  throwFirst(ck, "stream() kernel");
  const names = o.names ?? ["a", "b", "c"];
  const arrays: readonly StreamArray[] = ["a", "b", "c"];
  const share = o.share ?? 1;
  checkFraction("stream() share", share, new Checker());
  const regions = arrays.map((_, i) => region("stream()", names[i]!, o.arraySize, "anon", undefined, o.thp));
  const accesses = arrays.map((array, i) => {
    const use = streamArrayUse(kernel, array);
    return makeAccess("stream()", names[i]!, use.share * share, use.readShare, { type: "stream", kernel, array });
  });
  return { regions, startNs: startOf("stream()", o.at), accesses, perf: patternPerf(accesses[0]!.pattern) };
}

/**
 * A cold hog: one region touched once, with share 0.
 *
 * @example
 * coldHogAddition({ size: "8GiB" }).accesses[0].share // 0
 */
export function coldHogAddition(o: ColdHogOptions): Addition {
  const name = o.region ?? "hog";
  const r = region("coldHog()", name, o.size, o.kind ?? "anon", o.file, o.thp, o.compressRatio);
  const access = makeAccess("coldHog()", name, 0, undefined, "coldHog");
  return { regions: [r], startNs: startOf("coldHog()", o.at), accesses: [access], perf: null };
}
