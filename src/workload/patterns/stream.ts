/**
 * STREAM (McCalpin): three arrays a, b, c of 8-byte doubles swept in order by every thread.
 *   copy:  c = a          scale: b = q*c
 *   add:   c = a + b      triad: a = b + q*c
 * STREAM counts 16 bytes per element for copy/scale (1 read, 1 write) and 24 for add/triad
 * (2 reads, 1 write). A store that misses the cache first reads the line (write-allocate), so
 * unless the binary uses non-temporal stores memory moves one extra read per written element:
 * 24 B instead of 16 for copy/scale, 32 B instead of 24 for add/triad. The spec keeps STREAM's
 * own counts; the performance model adds the write-allocate reads.
 *
 * Parameters: `kernel` (default "triad"), `array` (default "a"). Weights are uniform and the
 * sweep is sequential. Suggested perf: 15 misses in flight, no compute, non-temporal stores
 * (see `perf` below).
 */
import type { Checker } from "../check.js";
import type { PatternDefinition, StreamArray, StreamKernel, StreamPattern } from "./types.js";
import { uniformWeights } from "./weights.js";

/**
 * STREAM element size: one double.
 *
 * @example
 * parseSize("3GiB") / STREAM_ELEMENT_BYTES // 402653184 elements
 */
export const STREAM_ELEMENT_BYTES = 8;

/** Misses in flight of a STREAM thread: perf's DEFAULT_MLP_BY_PATTERN.streaming (fitted, see `perf`). */
const STREAM_MLP = 15;

const KERNELS: Readonly<Record<StreamKernel, { readonly reads: readonly StreamArray[]; readonly writes: readonly StreamArray[] }>> = {
  copy: { reads: ["a"], writes: ["c"] },
  scale: { reads: ["c"], writes: ["b"] },
  add: { reads: ["a", "b"], writes: ["c"] },
  triad: { reads: ["b", "c"], writes: ["a"] },
};

/**
 * The kernel names, in STREAM's order.
 *
 * @example
 * STREAM_KERNELS.map((k) => streamTraffic(k).countedBytes) // [16, 16, 24, 24]
 */
export const STREAM_KERNELS: readonly StreamKernel[] = ["copy", "scale", "add", "triad"];

/**
 * Bytes per element of one STREAM kernel, as STREAM counts them and as memory sees them.
 *
 * @example
 * streamTraffic("copy").memoryBytes // 24
 */
export interface StreamTraffic {
  /** Bytes STREAM counts per element: 16 for copy/scale, 24 for add/triad. */
  readonly countedBytes: number;
  readonly readBytes: number;
  readonly writeBytes: number;
  /** The read the cache issues before each missing store (0 with non-temporal stores). */
  readonly writeAllocateBytes: number;
  /** Bytes memory moves per element: counted plus write-allocate. */
  readonly memoryBytes: number;
  /** Read share as STREAM counts (2/3 for triad). */
  readonly countedReadShare: number;
  /** Read share memory sees, write-allocate included (3/4 for triad). */
  readonly memoryReadShare: number;
}

/**
 * Traffic per element of a STREAM kernel. Multiply by elements (arraySize / 8) for one pass.
 *
 * @example
 * streamTraffic("triad") // { countedBytes: 24, readBytes: 16, writeBytes: 8, writeAllocateBytes: 8, memoryBytes: 32, ... }
 */
export function streamTraffic(kernel: StreamKernel, nonTemporalStores = false): StreamTraffic {
  const k = KERNELS[kernel];
  const readBytes = k.reads.length * STREAM_ELEMENT_BYTES;
  const writeBytes = k.writes.length * STREAM_ELEMENT_BYTES;
  const writeAllocateBytes = nonTemporalStores ? 0 : writeBytes;
  const countedBytes = readBytes + writeBytes;
  const memoryBytes = countedBytes + writeAllocateBytes;
  return {
    countedBytes,
    readBytes,
    writeBytes,
    writeAllocateBytes,
    memoryBytes,
    countedReadShare: readBytes / countedBytes,
    memoryReadShare: (readBytes + writeAllocateBytes) / memoryBytes,
  };
}

/**
 * How a kernel divides its accesses among the three arrays and whether each is read: triad
 * gives a, b and c a third each, a written and b, c read; copy leaves b untouched (share 0).
 *
 * @example
 * streamArrayUse("copy", "b") // { share: 0, readShare: 1 }
 */
export function streamArrayUse(kernel: StreamKernel, array: StreamArray): { share: number; readShare: number } {
  const k = KERNELS[kernel];
  const total = k.reads.length + k.writes.length;
  if (k.writes.includes(array)) return { share: 1 / total, readShare: 0 };
  if (k.reads.includes(array)) return { share: 1 / total, readShare: 1 };
  return { share: 0, readShare: 1 };
}

/**
 * The STREAM array pattern.
 *
 * @example
 * streamPattern.readShare({ type: "stream", kernel: "triad", array: "a" }) // 0 (a is written)
 */
export const streamPattern: PatternDefinition<StreamPattern> = {
  type: "stream",
  keys: ["kernel", "array"],
  normalize(input): StreamPattern {
    return { type: "stream", kernel: (input.kernel ?? "triad") as StreamKernel, array: (input.array ?? "a") as StreamArray };
  },
  check(p, path, checker: Checker): void {
    if (!STREAM_KERNELS.includes(p.kernel)) {
      checker.add([...path, "kernel"], "invalid_value", p.kernel, "a STREAM kernel is one of copy, scale, add, triad", 'write kernel: "triad"');
    }
    if (!["a", "b", "c"].includes(p.array)) {
      checker.add([...path, "array"], "invalid_value", p.array, "a STREAM array is a, b or c", 'write array: "a"');
    }
  },
  readShare(p): number {
    return KERNELS[p.kernel] ? streamArrayUse(p.kernel, p.array).readShare : 1;
  },
  sequential(): boolean {
    return true;
  },
  // The calibrated STREAM setting of perf/calibration.ts (STREAM_TRIAD), repeated here because
  // workload/ may not import perf/: 15 misses in flight and non-temporal stores reproduce all
  // five rows of calibration.md §1 within 1.5% (test/perf/stream-reproduction.test.ts). With
  // write-allocate reads the measured 208.5 GB/s DRAM triad would need more traffic than the
  // SPR curves can carry; Sapphire Rapids issues full-line streaming stores without the read.
  perf: { mlp: STREAM_MLP, computeNs: 0, nonTemporalStores: true },
  weights(_p, pages): Float64Array {
    return uniformWeights(pages);
  },
};
