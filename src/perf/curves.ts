/**
 * Loaded latency of one memory node: latency as a function of the bandwidth it serves and the
 * read share of that traffic, interpolated between the node's measured (Mess-style) curves.
 *
 * Interpolation between two curves happens at equal *utilisation* (bandwidth / that curve's
 * peak), not at equal bandwidth: curves at different read shares saturate at different
 * bandwidths, and comparing them at one bandwidth would mix a saturated curve with an idle one.
 * Curves contribute only their rise over their own idle point; the node's `idleLatencyNs` is the
 * base, so a CXL curve measured at the device can sit on top of a host-side idle latency that
 * already includes the link (MemorySpec contract).
 *
 * The node's stated sustained bandwidth (read/write, blended by read share) caps the curves'
 * peak; a capped curve keeps its shape over the lower range. presets.sprCxl() relies on this:
 * its DRAM and CXL nodes sustain the STREAM rows of calibration.md §1 while borrowing the Mess
 * curves' shapes.
 */
import { UsageError } from "../core/errors.js";
import type { LatencyCurveSpec, MemorySpec, NodeSpec } from "../topology/types.js";

/**
 * The default loaded-latency shape for a node without curves, as (utilisation, latency / idle)
 * points. From the rules of thumb in calibration.md §4: flat to ~40% of sustained bandwidth,
 * roughly linear 40-80%, steep 80-100% and at least 2x idle at the peak. The Mess Sapphire
 * Rapids all-read curve has the same landmarks (1.07x at 40%, 1.3x at 80%, 2.0x at 100%).
 *
 * @example
 * DEFAULT_LATENCY_SHAPE[DEFAULT_LATENCY_SHAPE.length - 1] // [1, 2.1]
 */
export const DEFAULT_LATENCY_SHAPE: readonly (readonly [number, number])[] = [
  [0, 1],
  [0.4, 1.06],
  [0.8, 1.35],
  [0.9, 1.6],
  [0.95, 1.8],
  [1, 2.1],
];

/**
 * How steeply latency grows past a curve's last point: latency = L_last * (1 + x + x^2) with
 * x = SATURATION_STEEPNESS * (relative overshoot). Finite, so the closed-loop solver always has
 * a root, but steep enough that a saturated node delivers at most ~1-2% above its peak even with
 * thousands of misses in flight (200: 1% over the peak triples the latency).
 *
 * @example
 * SATURATION_STEEPNESS // 200
 */
export const SATURATION_STEEPNESS: number = 200;

/** One curve prepared for fast evaluation: bandwidth and latency rise over idle, in arrays. */
interface PreparedCurve {
  readonly readShare: number;
  readonly bw: Float64Array;
  readonly rise: Float64Array;
  /** Latency at the last point (absolute), the base of the saturation tail. */
  readonly lastLatency: number;
  readonly peak: number;
}

/**
 * A node's curves ready to evaluate; built once per MemorySpec and cached.
 *
 * @example
 * prepareLatency(spec.nodes[0].memory!).idleNs // 110.9
 */
export interface PreparedLatency {
  readonly idleNs: number;
  readonly curves: readonly PreparedCurve[];
  readonly readBandwidthGBps: number;
  readonly writeBandwidthGBps: number;
}

const cache = new WeakMap<MemorySpec, PreparedLatency>();

/**
 * Prepares (and caches per MemorySpec object) a memory's curves for repeated evaluation.
 *
 * @example
 * latencyOf(prepareLatency(spec.nodes[0].memory!), 200, 2 / 3) // ns
 */
export function prepareLatency(memory: MemorySpec): PreparedLatency {
  let prepared = cache.get(memory);
  if (prepared === undefined) {
    prepared = build(memory);
    cache.set(memory, prepared);
  }
  return prepared;
}

type LatencyInputs = Pick<MemorySpec, "readBandwidthGBps" | "writeBandwidthGBps" | "idleLatencyNs" | "curves">;

function build(memory: LatencyInputs): PreparedLatency {
  const idleNs = memory.idleLatencyNs;
  const specs: readonly LatencyCurveSpec[] =
    memory.curves.length > 0 ? [...memory.curves].sort((a, b) => a.readShare - b.readShare) : [defaultCurve(memory)];
  const curves = specs.map((c): PreparedCurve => {
    // A curve whose first point is above 0 GB/s is taken as flat down to idle.
    const pts = c.points[0]![0] > 0 ? [[0, c.points[0]![1]] as const, ...c.points] : c.points;
    const bw = new Float64Array(pts.length);
    const rise = new Float64Array(pts.length);
    pts.forEach(([b, l], i) => {
      bw[i] = b;
      rise[i] = Math.max(0, l - pts[0]![1]);
    });
    const last = pts[pts.length - 1]!;
    return { readShare: c.readShare, bw, rise, lastLatency: last[1], peak: last[0] };
  });
  return { idleNs, curves, readBandwidthGBps: memory.readBandwidthGBps, writeBandwidthGBps: memory.writeBandwidthGBps };
}

/**
 * A default-shaped latency model with a given idle latency and peak (same for every read share):
 * what links use for their queueing delay.
 *
 * @example
 * latencyOf(prepareDefaultShape(40, 26.55), 26.55, 1) // 84: 2.1x the 40 ns reference at the peak
 */
export function prepareDefaultShape(idleNs: number, peakGBps: number): PreparedLatency {
  const curve: LatencyCurveSpec = {
    readShare: 1,
    points: DEFAULT_LATENCY_SHAPE.map(([u, f]) => [u * peakGBps, f * idleNs] as const),
  };
  const memory = { idleLatencyNs: idleNs, readBandwidthGBps: peakGBps, writeBandwidthGBps: peakGBps, curves: [curve] };
  return build(memory);
}

function defaultCurve(memory: Pick<MemorySpec, "readBandwidthGBps" | "writeBandwidthGBps" | "idleLatencyNs">): LatencyCurveSpec {
  // The default shape is scaled to the device's mixed bandwidth at half reads; peakOf then
  // rescales it per read share with the read/write bandwidths.
  const peak = mixedBandwidth(memory.readBandwidthGBps, memory.writeBandwidthGBps, 0.5);
  return {
    readShare: 0.5,
    points: DEFAULT_LATENCY_SHAPE.map(([u, f]) => [u * peak, f * memory.idleLatencyNs] as const),
  };
}

/**
 * Bandwidth of a device shared by reads and writes: each byte read costs 1/R of the device's
 * time and each byte written 1/W, so the mix saturates at the harmonic blend.
 *
 * @example
 * mixedBandwidth(30, 20, 0.5) // 24
 */
export function mixedBandwidth(readGBps: number, writeGBps: number, readShare: number): number {
  return 1 / (readShare / readGBps + (1 - readShare) / writeGBps);
}

// bracket() runs in the solver's innermost loop; it writes its answer here instead of
// allocating a tuple per call (single-threaded, and nothing re-enters between write and read).
let bracketLo = 0;
let bracketHi = 0;
let bracketT = 0;

/** Finds the bracketing curves (indices) and the blend weight of the upper one. */
function bracket(p: PreparedLatency, readShare: number): void {
  const cs = p.curves;
  const n = cs.length;
  if (readShare <= cs[0]!.readShare || n === 1) {
    bracketLo = bracketHi = 0;
    bracketT = 0;
    return;
  }
  if (readShare >= cs[n - 1]!.readShare) {
    bracketLo = bracketHi = n - 1;
    bracketT = 0;
    return;
  }
  let k = 0;
  while (cs[k + 1]!.readShare < readShare) k++;
  bracketLo = k;
  bracketHi = k + 1;
  bracketT = (readShare - cs[k]!.readShare) / (cs[k + 1]!.readShare - cs[k]!.readShare);
}

/**
 * Peak bandwidth of a prepared node at a read share (GB/s); {@link peakBandwidth} checks input.
 *
 * @example
 * peakOf(prepareLatency(memory), 0.5)
 */
export function peakOf(p: PreparedLatency, readShare: number): number {
  const sustained = mixedBandwidth(p.readBandwidthGBps, p.writeBandwidthGBps, readShare);
  bracket(p, readShare);
  const lo = p.curves[bracketLo]!;
  const hi = p.curves[bracketHi]!;
  const t = bracketT;
  // Outside the measured read shares, keep the nearest curve and scale its peak the way the
  // device's read/write bandwidths say the mix changes.
  const measured =
    lo !== hi
      ? lo.peak + t * (hi.peak - lo.peak)
      : (lo.peak * sustained) / mixedBandwidth(p.readBandwidthGBps, p.writeBandwidthGBps, lo.readShare);
  // The stated sustained bandwidth caps the curves: datasets may borrow a curve's shape from a
  // faster part of the same kind (the Mess CXL curves on a slower expander). The curves are then
  // compressed onto the lower peak, since latencyOf reads them at equal utilisation.
  return Math.min(measured, sustained);
}

/** Latency rise of one curve at utilisation u of its own peak, with the saturation tail. */
function riseAt(c: PreparedCurve, u: number): number {
  const b = u * c.peak;
  const n = c.bw.length;
  if (b >= c.peak) {
    const x = (SATURATION_STEEPNESS * (b - c.peak)) / c.peak;
    return c.lastLatency * (1 + x + x * x) - (c.lastLatency - c.rise[n - 1]!);
  }
  let k = 1;
  while (c.bw[k]! < b) k++;
  const b0 = c.bw[k - 1]!;
  const t = (b - b0) / (c.bw[k]! - b0);
  return c.rise[k - 1]! + t * (c.rise[k]! - c.rise[k - 1]!);
}

/**
 * Loaded latency of a prepared node (ns) at a bandwidth (GB/s) and read share, unchecked: the
 * solver's hot path. {@link loadedLatency} is the checked public form.
 *
 * @example
 * latencyOf(prepareLatency(memory), 200, 1)
 */
export function latencyOf(p: PreparedLatency, bandwidthGBps: number, readShare: number): number {
  const peak = peakOf(p, readShare);
  bracket(p, readShare);
  const lo = p.curves[bracketLo]!;
  const hi = p.curves[bracketHi]!;
  const t = bracketT;
  const u = peak > 0 ? Math.max(0, bandwidthGBps) / peak : 0;
  const rise = lo === hi ? riseAt(lo, u) : (1 - t) * riseAt(lo, u) + t * riseAt(hi, u);
  return p.idleNs + rise;
}

function memoryOf(node: NodeSpec | MemorySpec, what: string): MemorySpec {
  if (node === null || typeof node !== "object") {
    throw new UsageError({ what, value: node, rule: "must be a node of a topology or its memory", fix: "pass e.g. presets.sprCxl().nodes[0]" });
  }
  if ("idleLatencyNs" in node) return node;
  if (node.memory === null) {
    throw new UsageError({
      what,
      value: `node ${node.id}`,
      rule: "a memoryless node has no loaded latency",
      fix: "pass a node whose memory is not null (a DRAM socket, CXL expander or HBM node)",
    });
  }
  return node.memory;
}

/**
 * Throws a UsageError unless the read share is a number in 0..1.
 *
 * @example
 * checkReadShare(1.5, "task.readShare") // throws UsageError
 */
export function checkReadShare(readShare: number, what: string): void {
  if (typeof readShare !== "number" || !(readShare >= 0 && readShare <= 1)) {
    throw new UsageError({ what, value: readShare, rule: "a read share is a fraction of the traffic and must be in 0..1", fix: "write e.g. 1 for all reads or 2/3 for STREAM triad" });
  }
}

/**
 * Loaded latency (ns) of a node's memory when it serves `bandwidthGBps` with `readShare` of the
 * traffic being reads, as seen from the node's local initiator (for a CXL expander: its host
 * socket, link included). Past the last measured point latency grows steeply but finitely.
 *
 * @example
 * loadedLatency(spec.nodes[0], 134, 1)   // ~122 on the Mess Sapphire Rapids curve
 * loadedLatency(spec.nodes[0], 0, 0.5)   // the idle latency
 */
export function loadedLatency(node: NodeSpec | MemorySpec, bandwidthGBps: number, readShare: number): number {
  const memory = memoryOf(node, "loadedLatency(node)");
  if (typeof bandwidthGBps !== "number" || !(bandwidthGBps >= 0) || !Number.isFinite(bandwidthGBps)) {
    throw new UsageError({ what: "loadedLatency(bandwidthGBps)", value: bandwidthGBps, rule: "a bandwidth must be a finite number >= 0 GB/s", fix: "pass e.g. 120 for 120 GB/s" });
  }
  checkReadShare(readShare, "loadedLatency(readShare)");
  return latencyOf(prepareLatency(memory), bandwidthGBps, readShare);
}

/**
 * The bandwidth (GB/s) at which a node's memory reaches the end of its measured curve at a read
 * share: its sustained peak. Without curves, the harmonic blend of its read and write bandwidths.
 *
 * @example
 * peakBandwidth(spec.nodes[0], 1)    // 267.4 with the Mess Xeon 8460Y curves
 * peakBandwidth(spec.nodes[0], 0.75) // 252, halfway between the 100% and 50% curves
 */
export function peakBandwidth(node: NodeSpec | MemorySpec, readShare: number): number {
  const memory = memoryOf(node, "peakBandwidth(node)");
  checkReadShare(readShare, "peakBandwidth(readShare)");
  return peakOf(prepareLatency(memory), readShare);
}
