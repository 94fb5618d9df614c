/**
 * The immutable builder of one process (Kysely's habit: every method returns a new builder,
 * the original never changes). Bad values throw a UsageError at once; rules that need the
 * whole process (known region names, shares summing to 1) are checked by `build()`.
 */
import { parseBandwidth, parseDuration, type Bandwidth, type Duration, type Size } from "../core/units.js";
import { UsageError } from "../core/errors.js";
import { Checker, throwFirst } from "./check.js";
import { DEFAULT_PERF, DEFAULT_THREADS } from "./defaults.js";
import type { PatternInput } from "./patterns/registry.js";
import {
  checkRatio,
  coldHogAddition,
  makeAccess,
  regionSize,
  single,
  streamAddition,
  type Addition,
  type ColdHogOptions,
  type FileScanOptions,
  type GaussianOptions,
  type KvCacheOptions,
  type MlcOptions,
  type RegionShortcutOptions,
  type SharableShortcutOptions,
  type StreamOptions,
  type ZipfOptions,
} from "./shortcuts.js";
import type { AccessSpec, CpuBinding, PerfSpec, PhaseSpec, ProcessSpec, RegionKind, RegionSpec } from "./types.js";

/**
 * Options of `region()`.
 *
 * @example
 * p.region("cache", { size: "32GiB", kind: "shmem", file: "/dev/shm/cache", thp: true })
 */
export interface RegionOptions {
  /** Length, e.g. `"64GiB"`; rounded up to 4 KiB pages by the kernel. */
  readonly size: Size;
  /** `"anon"` (default), `"shmem"` or `"file"`. */
  readonly kind?: RegionKind;
  /** Shared object name: required for `"file"`, optional for `"shmem"`, absent for `"anon"`. */
  readonly file?: string;
  /** Whether THP may back it (default false). */
  readonly thp?: boolean;
  /** How well the data compresses on a CRAM node (1..64; default the device's ratio, §6.1). */
  readonly compressRatio?: number;
}

/**
 * One access of a `phase()`.
 *
 * @example
 * p.phase(0, [{ region: "heap", share: 0.8, readShare: 0.7, pattern: { type: "zipf", exponent: 1.1 } }])
 */
export interface AccessInput {
  /** A region of this process. */
  readonly region: string;
  /** Fraction of the process's accesses (default 1). */
  readonly share?: number;
  /** Fraction that are reads (default: what the pattern implies). */
  readonly readShare?: number;
  /** A pattern name or object, e.g. `"uniform"` or `{ type: "zipf", exponent: 1.2 }`. */
  readonly pattern: PatternInput;
}

/**
 * Options of `perf()`.
 *
 * @example
 * p.perf({ mlp: 4, computeNs: "20ns" })
 */
export interface PerfOptions {
  /** Misses a thread keeps in flight. */
  readonly mlp?: number;
  /** CPU time per access that does not overlap memory, e.g. `"50ns"` or 50. */
  readonly computeNs?: Duration;
  /** Whether stores skip the write-allocate read (streaming stores). */
  readonly nonTemporalStores?: boolean;
}

type PerfSource = "default" | "pattern" | "explicit";

interface ProcessState {
  readonly name: string;
  readonly threads: number;
  readonly binding: CpuBinding | null;
  readonly perf: PerfSpec;
  readonly perfSource: PerfSource;
  readonly regions: readonly RegionSpec[];
  readonly phases: readonly PhaseSpec[];
  readonly firstTouchBytesPerSec: number | null;
}

/**
 * Builds one process. Get one from `workload().process(name, (p) => ...)`.
 *
 * @example
 * workload().process("db", (p) => p.threads(16).on({ node: 0 }).zipf({ size: "32GiB", exponent: 1.1 }))
 */
export class ProcessBuilder {
  // Only #next writes it, and only on the fresh copy it returns: builders never change.
  #s: ProcessState;

  /** Use `workload().process(name, configure)` rather than this constructor. */
  constructor(name: string) {
    this.#s = { name, threads: DEFAULT_THREADS, binding: null, perf: DEFAULT_PERF, perfSource: "default", regions: [], phases: [], firstTouchBytesPerSec: null };
  }

  #next(patch: Partial<ProcessState>): ProcessBuilder {
    const b = new ProcessBuilder(this.#s.name);
    b.#s = { ...this.#s, ...patch };
    return b;
  }

  /**
   * The process as plain data, before whole-workload validation.
   *
   * @example
   * new ProcessBuilder("app").threads(2).toSpec().threads // 2
   */
  toSpec(): ProcessSpec {
    const s = this.#s;
    const spec: ProcessSpec = { name: s.name, threads: s.threads, binding: s.binding, perf: { ...s.perf }, regions: s.regions, phases: s.phases };
    return s.firstTouchBytesPerSec === null ? spec : { ...spec, firstTouchBytesPerSec: s.firstTouchBytesPerSec };
  }

  #what(method: string): string {
    return `process("${this.#s.name}").${method}`;
  }

  /**
   * Sets the number of threads; each runs the process's phases.
   *
   * @example
   * p.threads(64)
   */
  threads(n: number): ProcessBuilder {
    const ck = new Checker();
    ck.number([], n, { min: 1, integer: true }, "threads must be a positive integer", "pass e.g. 64");
    throwFirst(ck, this.#what("threads()"));
    return this.#next({ threads: n });
  }

  /**
   * Binds the threads to the CPUs of one node, or to a list of CPUs.
   *
   * @example
   * p.on({ node: 0 })
   * p.on({ cpus: [0, 1, 2, 3] })
   */
  on(binding: CpuBinding): ProcessBuilder {
    const ck = new Checker();
    const fix = "pass { node: 0 } or { cpus: [0, 1] }";
    const b = binding as unknown as Record<string, unknown> | null;
    if (b === null || typeof b !== "object" || ("node" in b) === ("cpus" in b)) {
      ck.add([], "invalid_binding", binding, "a binding names either a node or a list of CPUs", fix);
    } else if ("node" in b) {
      ck.number([], b.node, { min: 0, integer: true }, "a node id is a non-negative integer", fix);
    } else if (!Array.isArray(b.cpus) || b.cpus.length === 0) {
      ck.add([], "invalid_value", b.cpus, "a CPU list is a non-empty array", fix);
    } else {
      for (const c of b.cpus) ck.number([], c, { min: 0, integer: true }, "a CPU id is a non-negative integer", fix);
      if (new Set(b.cpus).size !== b.cpus.length) ck.add([], "duplicate", b.cpus, "each CPU may appear once", "remove the repeated CPU ids");
    }
    throwFirst(ck, this.#what("on()"));
    const copy: CpuBinding = "node" in binding ? { node: binding.node } : { cpus: [...binding.cpus] };
    return this.#next({ binding: copy });
  }

  /**
   * Makes first touch take time: the process faults its regions in at `rate` (all threads
   * together), so in an evolving run kswapd reclaims and demotes while a region fills, as on a
   * real machine, instead of after the whole region was allocated at once. Page faults plus
   * zeroing run at a few GB/s per thread on current x86, so e.g. "2GB/s" per thread is a fair
   * guess; without this, first touch is instantaneous.
   *
   * @example
   * p.threads(16).firstTouch({ rate: "32GB/s" })
   */
  firstTouch(options: { readonly rate: Bandwidth }): ProcessBuilder {
    const what = this.#what("firstTouch({ rate })");
    if (typeof options !== "object" || options === null) throw new UsageError({ what, value: options, rule: "takes an options object", fix: 'write firstTouch({ rate: "2GB/s" })' });
    const gbps = parseBandwidth(options.rate, what);
    if (!(gbps > 0)) throw new UsageError({ what, value: options.rate, rule: "the first-touch rate must be above 0", fix: 'write e.g. "2GB/s" per thread times the threads' });
    return this.#next({ firstTouchBytesPerSec: gbps * 1e9 });
  }

  /**
   * Sets the performance model's per-thread parameters; they then win over any pattern's
   * suggestion. Defaults: 10 misses in flight and 0 ns compute, unless a pattern suggests
   * otherwise (pointerChase: 1 miss; kvCache: 2 misses, 250 ns).
   *
   * @example
   * p.perf({ mlp: 4, computeNs: "20ns" })
   */
  perf(options: PerfOptions): ProcessBuilder {
    const s = this.#s;
    const mlp = options.mlp ?? s.perf.mlp;
    const computeNs = options.computeNs === undefined ? s.perf.computeNs : parseDuration(options.computeNs, this.#what("perf() computeNs"));
    const nonTemporalStores = options.nonTemporalStores ?? s.perf.nonTemporalStores;
    const ck = new Checker();
    ck.number([], mlp, { min: 0, minOpen: true }, "misses in flight must be a number above 0", "use 1 for a pointer chase, ~10 for streaming");
    throwFirst(ck, this.#what("perf() mlp"));
    if (typeof nonTemporalStores !== "boolean") {
      ck.add([], "invalid_type", nonTemporalStores, "nonTemporalStores is true or false", "write nonTemporalStores: true for streaming stores");
      throwFirst(ck, this.#what("perf() nonTemporalStores"));
    }
    return this.#next({ perf: { mlp, computeNs, nonTemporalStores }, perfSource: "explicit" });
  }

  /**
   * Declares a memory region (one VMA). Phases then refer to it by name.
   *
   * @example
   * p.region("heap", { size: "8GiB", thp: true })
   * p.region("cache", { size: "32GiB", kind: "shmem", file: "/dev/shm/cache" })
   */
  region(name: string, options: RegionOptions): ProcessBuilder {
    const ck = new Checker();
    ck.name([], name, "a region name", 'pass e.g. "heap"');
    throwFirst(ck, this.#what("region() name"));
    const sizeBytes = regionSize(this.#what(`region("${name}") size`), options.size);
    const kind = options.kind ?? "anon";
    const file = options.file ?? null;
    if (!["anon", "shmem", "file"].includes(kind)) ck.add([], "invalid_value", kind, 'a region kind is "anon", "shmem" or "file"', 'pass kind: "shmem"');
    else if (kind === "file" && file === null) ck.add([], "missing_file", file, "a file region maps a named file", 'pass file: "/data/input.bin"');
    else if (kind === "anon" && file !== null) ck.add([], "invalid_value", file, "anonymous memory has no file", 'use kind: "shmem" to share it by name');
    throwFirst(ck, this.#what(`region("${name}")`));
    const plain: RegionSpec = { name, kind, sizeBytes, file, thp: options.thp ?? false };
    const region = options.compressRatio === undefined ? plain : { ...plain, compressRatio: checkRatio(this.#what(`region("${name}")`), options.compressRatio) };
    return this.#next({ regions: [...this.#s.regions, region] });
  }

  /**
   * Adds accesses starting at `at`. Accesses given for the same start join one phase, so a
   * process can mix patterns; their shares must then sum to 1.
   *
   * @example
   * p.phase("0s", [{ region: "heap", pattern: "uniform" }])
   * p.phase("30s", [{ region: "heap", share: 0.9, pattern: { type: "zipf", exponent: 1.2 } }, { region: "log", share: 0.1, pattern: "fileScan" }])
   */
  phase(at: Duration, accesses: readonly AccessInput[]): ProcessBuilder {
    const startNs = parseDuration(at, this.#what("phase() at"));
    if (!Array.isArray(accesses)) {
      const ck = new Checker();
      ck.add([], "invalid_type", accesses, "accesses must be an array", '[{ region: "heap", pattern: "uniform" }]');
      throwFirst(ck, this.#what("phase() accesses"));
    }
    const made = accesses.map((a, i) => makeAccess(this.#what(`phase() accesses[${i}]`), a.region, a.share, a.readShare, a.pattern));
    return this.#next({ phases: mergePhase(this.#s.phases, startNs, made) });
  }

  #add(addition: Addition): ProcessBuilder {
    const s = this.#s;
    const usePattern = addition.perf !== null && s.perfSource === "default";
    return this.#next({
      regions: [...s.regions, ...addition.regions],
      phases: mergePhase(s.phases, addition.startNs, addition.accesses),
      ...(usePattern ? { perf: { nonTemporalStores: false, ...addition.perf! }, perfSource: "pattern" as const } : {}),
    });
  }

  /**
   * STREAM: three anon arrays a, b, c of `arraySize`, swept by one kernel (default triad).
   * Triad gives each array a third of the accesses (a written, b and c read); copy and scale
   * leave one array allocated but idle.
   *
   * @example
   * p.threads(64).stream({ kernel: "triad", arraySize: "3GiB" })
   */
  stream(options: StreamOptions): ProcessBuilder {
    return this.#add(streamAddition(options));
  }

  /**
   * MLC-like bandwidth traffic over one anon buffer (region "buffer"), mix "reads" (default),
   * "3:1", "2:1" or "1:1".
   *
   * @example
   * p.mlc({ size: "4GiB", mix: "3:1" })
   */
  mlc(options: MlcOptions): ProcessBuilder {
    return this.#add(single("mlc()", "buffer", "anon", options, { type: "mlc", mix: options.mix ?? "reads" }));
  }

  /**
   * A pointer chase over one anon region (region "chain"): one miss in flight, latency bound.
   *
   * @example
   * p.pointerChase({ size: "1GiB" })
   */
  pointerChase(options: RegionShortcutOptions): ProcessBuilder {
    return this.#add(single("pointerChase()", "chain", "anon", options, "pointerChase"));
  }

  /**
   * Uniform random access over one region (region "heap", anon unless `kind` says shmem).
   *
   * @example
   * p.uniform({ size: "16GiB" })
   */
  uniform(options: SharableShortcutOptions): ProcessBuilder {
    return this.#add(single("uniform()", "heap", "anon", options, "uniform"));
  }

  /**
   * Gaussian random access (region "heap"): mean 0.5 and stddev 0.125 of the region by default.
   *
   * @example
   * p.gaussian({ size: "16GiB", mean: 0.25, stddev: 0.05 })
   */
  gaussian(options: GaussianOptions): ProcessBuilder {
    const pattern = { type: "gaussian" as const, ...pick(options, ["mean", "stddev"]) };
    return this.#add(single("gaussian()", "heap", "anon", options, pattern));
  }

  /**
   * Zipf random access (region "heap"): exponent 0.99 by default, ranks scattered over pages.
   *
   * @example
   * p.zipf({ size: "32GiB", exponent: 1.2 })
   */
  zipf(options: ZipfOptions): ProcessBuilder {
    const pattern = { type: "zipf" as const, ...pick(options, ["exponent", "scatter"]) };
    return this.#add(single("zipf()", "heap", "anon", options, pattern));
  }

  /**
   * A key-value cache (region "cache", on shmem by default as cachelib puts it): 20% of pages
   * hot taking 80% of accesses, scattered; 90% reads.
   *
   * @example
   * p.kvCache({ size: "64GiB", file: "/dev/shm/cachelib", hotFraction: 0.1, hotShare: 0.9 })
   */
  kvCache(options: KvCacheOptions): ProcessBuilder {
    const pattern = { type: "kvCache" as const, ...pick(options, ["hotFraction", "hotShare", "scatter"]) };
    return this.#add(single("kvCache()", "cache", "shmem", options, pattern));
  }

  /**
   * A sequential read of a file through the page cache (region "scan").
   *
   * @example
   * p.fileScan({ file: "/data/logs.bin", size: "20GiB" })
   */
  fileScan(options: FileScanOptions): ProcessBuilder {
    return this.#add(single("fileScan()", "scan", "file", options, "fileScan"));
  }

  /**
   * A cold memory hog (region "hog"): written once at `at`, never accessed again.
   *
   * @example
   * p.coldHog({ size: "200GiB" })
   */
  coldHog(options: ColdHogOptions): ProcessBuilder {
    return this.#add(coldHogAddition(options));
  }
}

function pick<T extends object, K extends keyof T>(o: T, keys: readonly K[]): Partial<Pick<T, K>> {
  const out: Partial<Pick<T, K>> = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

/** Inserts accesses into the phase starting at `startNs`, keeping phases sorted by start. */
function mergePhase(phases: readonly PhaseSpec[], startNs: number, accesses: readonly AccessSpec[]): PhaseSpec[] {
  const out = [...phases];
  const i = out.findIndex((p) => p.startNs >= startNs);
  if (i >= 0 && out[i]!.startNs === startNs) out[i] = { startNs, accesses: [...out[i]!.accesses, ...accesses] };
  else if (i >= 0) out.splice(i, 0, { startNs, accesses: [...accesses] });
  else out.push({ startNs, accesses: [...accesses] });
  return out;
}
