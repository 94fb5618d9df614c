/**
 * The options the topology builder accepts and their translation into spec objects. Units are
 * parsed here, at the edge, so that every spec object holds canonical numbers (bytes, GB/s, ns)
 * and a bad value fails at the call that gave it, not later at build().
 */
import { UsageError } from "../core/errors.js";
import { parseBandwidth, parseDuration, parseSize, PAGE_SIZE } from "../core/units.js";
import type { Bandwidth, Duration, Size } from "../core/units.js";
import type { LatencyCurveSpec, LinkSpec, MemoryKind, MemorySpec, ZoneType } from "./types.js";

/**
 * One loaded-latency curve: latency as bandwidth rises, at one read share.
 *
 * @example
 * { readShare: 1, points: [[0, 111], [267.4, "223.2ns"]], source: "Mess, calibration.md §4" }
 */
export interface CurveOptions {
  /** Fraction of the traffic that is reads, 0..1. */
  readonly readShare: number;
  /** `[bandwidth, latency]` pairs in ascending bandwidth; numbers are GB/s and ns. */
  readonly points: readonly (readonly [Bandwidth, Duration])[];
  /** Where the numbers come from. */
  readonly source?: string;
}

/**
 * A node's memory device. Units may be strings ("256GiB", "250GB/s", "110ns") or canonical numbers.
 *
 * @example
 * { kind: "dram", capacity: "256GiB", readBandwidth: "208.5GB/s", idleLatency: "110.9ns" }
 */
export interface MemoryOptions {
  /** Default "dram" (sockets and plain nodes); `cxl()` always makes "cxl". */
  readonly kind?: MemoryKind;
  /** Bytes present, e.g. "256GiB". */
  readonly capacity: Size;
  /** Sustained read bandwidth, e.g. "250GB/s". */
  readonly readBandwidth: Bandwidth;
  /** Sustained write bandwidth; defaults to the read bandwidth. */
  readonly writeBandwidth?: Bandwidth;
  /** Unloaded read latency from the local initiator, e.g. "110ns" (for CXL: device plus link). */
  readonly idleLatency: Duration;
  /** Loaded-latency curves, one per read share. */
  readonly curves?: readonly CurveOptions[];
  /** Default "normal" for dram/hbm, "movable" for cxl/pmem (dax/kmem onlines movable). */
  readonly zone?: ZoneType;
  /** Whether firmware (HMAT/CDAT) reports the node's performance; default true. */
  readonly hmat?: boolean;
  /** False to start with the memory offline (hotplug it later with setMemoryOnline); default true. */
  readonly online?: boolean;
  /** Where the numbers come from. */
  readonly source?: string;
}

/**
 * The link of a CXL expander to its host socket, or of a socket interconnect.
 *
 * @example
 * { readBandwidth: "26.55GB/s", writeBandwidth: "24.01GB/s", latency: "33ns" }
 */
export interface LinkOptions {
  /** CXL: device-to-host capacity. */
  readonly readBandwidth: Bandwidth;
  /** CXL: host-to-device capacity; defaults to the read bandwidth. */
  readonly writeBandwidth?: Bandwidth;
  /** Latency added to every access crossing the link. */
  readonly latency: Duration;
  /** Link id; default `cxl<socket>.<node>`. */
  readonly id?: string;
  readonly source?: string;
}

/**
 * The largest node id accepted: MAX_NUMNODES is 1024 (NODES_SHIFT 10) on x86-64 distribution kernels.
 * @example MAX_NODE_ID // 1023
 */
export const MAX_NODE_ID = 1023;

/**
 * Throws unless `id` is a node id Linux can have.
 * @example checkNodeId(2, "node(2)") // 2
 */
export function checkNodeId(id: unknown, what: string): number {
  if (typeof id !== "number" || !Number.isInteger(id) || id < 0 || id > MAX_NODE_ID) {
    throw new UsageError({
      what,
      value: id,
      rule: `a node id must be an integer in 0..${MAX_NODE_ID} (MAX_NUMNODES = 1024)`,
      fix: "use a small non-negative integer such as 0, 1, 2",
    });
  }
  return id;
}

/**
 * Throws unless `id` is a non-negative integer (socket and CPU ids).
 * @example checkIndex(1, "socket(1)", "socket") // 1
 */
export function checkIndex(id: unknown, what: string, kind: string): number {
  if (typeof id !== "number" || !Number.isInteger(id) || id < 0) {
    throw new UsageError({ what, value: id, rule: `a ${kind} id must be a non-negative integer`, fix: `write e.g. 0 or 1` });
  }
  return id;
}

/**
 * Throws unless an options argument is an object, so a missing argument fails with a fix
 * instead of a TypeError deep inside the builder.
 * @example requireObject({ cpus: 4 }, "socket(0)", "{ cpus: 4, memory: {...} }")
 */
export function requireObject(value: unknown, what: string, example: string): void {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new UsageError({ what, value, rule: "options must be an object", fix: `write e.g. ${example}` });
  }
}

function positive(value: number, given: unknown, what: string, fix: string): number {
  if (!(value > 0)) throw new UsageError({ what, value: given, rule: "must be greater than zero", fix });
  return value;
}

/**
 * Parses one curve, insisting on the shape the perf model interpolates: ascending bandwidth.
 * @example parseCurve({ readShare: 1, points: [[0, "111ns"], ["267.4GB/s", 223]] }, "curve").points // [[0, 111], [267.4, 223]]
 */
export function parseCurve(curve: CurveOptions, what: string): LatencyCurveSpec {
  const share = curve?.readShare;
  if (typeof share !== "number" || !(share >= 0 && share <= 1)) {
    throw new UsageError({
      what: `${what}.readShare`,
      value: share,
      rule: "the read share is a fraction of the traffic and must be in 0..1",
      fix: "write e.g. 1 for all reads or 0.5 for half reads",
    });
  }
  if (!Array.isArray(curve.points) || curve.points.length < 2) {
    throw new UsageError({
      what: `${what}.points`,
      value: curve.points,
      rule: "a curve needs at least two [bandwidth, latency] points (idle and saturation)",
      fix: "write e.g. [[0, 111], [267.4, 223.2]]",
    });
  }
  const points: (readonly [number, number])[] = [];
  curve.points.forEach((p, i) => {
    const at = `${what}.points[${i}]`;
    if (!Array.isArray(p) || p.length !== 2) {
      throw new UsageError({ what: at, value: p, rule: "a point is a [bandwidth, latency] pair", fix: 'write e.g. [138, 123] or ["138GB/s", "123ns"]' });
    }
    const bw = parseBandwidth(p[0], `${at}[0]`);
    const lat = positive(parseDuration(p[1], `${at}[1]`), p[1], `${at}[1]`, "latency is at least the idle latency, e.g. 111");
    const prev = points[points.length - 1];
    if (prev !== undefined && !(bw > prev[0])) {
      throw new UsageError({
        what: `${at}[0]`,
        value: p[0],
        rule: `bandwidths must be strictly ascending (previous point is at ${prev[0]} GB/s)`,
        fix: "list the points from idle to saturation",
      });
    }
    points.push([bw, lat]);
  });
  return curve.source === undefined ? { readShare: share, points } : { readShare: share, points, source: curve.source };
}

/**
 * The zone daxctl/kmem and the BIOS give each kind by default (types.ts ZoneType).
 * @example defaultZone("cxl") // "movable"
 */
export function defaultZone(kind: MemoryKind): ZoneType {
  return kind === "cxl" || kind === "pmem" ? "movable" : "normal";
}

const KINDS: readonly MemoryKind[] = ["dram", "cxl", "hbm", "pmem"];

/**
 * Parses memory options to a MemorySpec, filling the documented defaults.
 * @example parseMemory({ capacity: "64GiB", readBandwidth: "36GB/s", idleLatency: "140ns" }, "m", "cxl").zone // "movable"
 */
export function parseMemory(m: MemoryOptions, what: string, forcedKind?: MemoryKind): MemorySpec {
  if (m === null || typeof m !== "object") {
    throw new UsageError({ what, value: m, rule: "memory must be an object", fix: 'write e.g. { capacity: "64GiB", readBandwidth: "36GB/s", idleLatency: "110ns" }' });
  }
  const kind = forcedKind ?? m.kind ?? "dram";
  if (!KINDS.includes(kind)) {
    throw new UsageError({ what: `${what}.kind`, value: kind, rule: `the kind must be one of ${KINDS.join(", ")}`, fix: 'write e.g. kind: "hbm"' });
  }
  const capacityBytes = positive(parseSize(m.capacity, `${what}.capacity`), m.capacity, `${what}.capacity`, 'give the memory present, e.g. "64GiB"');
  const read = positive(parseBandwidth(m.readBandwidth, `${what}.readBandwidth`), m.readBandwidth, `${what}.readBandwidth`, 'give the sustained bandwidth, e.g. "36GB/s"');
  const writeGiven = m.writeBandwidth ?? m.readBandwidth;
  const write = positive(parseBandwidth(writeGiven, `${what}.writeBandwidth`), writeGiven, `${what}.writeBandwidth`, 'give the sustained bandwidth, e.g. "36GB/s"');
  const idle = positive(parseDuration(m.idleLatency, `${what}.idleLatency`), m.idleLatency, `${what}.idleLatency`, 'give the unloaded latency, e.g. "110ns"');
  const zone = m.zone ?? defaultZone(kind);
  if (zone !== "normal" && zone !== "movable") {
    throw new UsageError({ what: `${what}.zone`, value: zone, rule: 'the zone must be "normal" or "movable"', fix: 'write zone: "movable" for dax/kmem-style memory' });
  }
  const curves = (m.curves ?? []).map((c, i) => parseCurve(c, `${what}.curves[${i}]`));
  const shares = new Set<number>();
  curves.forEach((c, i) => {
    if (shares.has(c.readShare)) {
      throw new UsageError({ what: `${what}.curves[${i}].readShare`, value: c.readShare, rule: "each read share may have only one curve", fix: "drop or merge the duplicate curve" });
    }
    shares.add(c.readShare);
  });
  const spec: MemorySpec = {
    kind,
    capacityBytes,
    zone,
    readBandwidthGBps: read,
    writeBandwidthGBps: write,
    idleLatencyNs: idle,
    curves,
    hmat: m.hmat ?? true,
    online: m.online ?? true,
  };
  return m.source === undefined ? spec : { ...spec, source: m.source };
}

/**
 * Parses link options to a LinkSpec; the write bandwidth defaults to the read bandwidth.
 * @example parseLink("cxl", 0, 1, { readBandwidth: "26.55GB/s", latency: "33ns" }, "link", "cxl0.1").writeBandwidthGBps // 26.55
 */
export function parseLink(kind: LinkSpec["kind"], from: number, to: number, l: LinkOptions, what: string, defaultId: string): LinkSpec {
  if (l === null || typeof l !== "object") {
    throw new UsageError({ what, value: l, rule: "a link must be an object", fix: 'write e.g. { readBandwidth: "26GB/s", latency: "33ns" }' });
  }
  const read = positive(parseBandwidth(l.readBandwidth, `${what}.readBandwidth`), l.readBandwidth, `${what}.readBandwidth`, 'give the link capacity, e.g. "26GB/s"');
  const writeGiven = l.writeBandwidth ?? l.readBandwidth;
  const write = positive(parseBandwidth(writeGiven, `${what}.writeBandwidth`), writeGiven, `${what}.writeBandwidth`, 'give the link capacity, e.g. "24GB/s"');
  const latencyNs = parseDuration(l.latency, `${what}.latency`);
  const link: LinkSpec = { id: l.id ?? defaultId, kind, from, to, readBandwidthGBps: read, writeBandwidthGBps: write, latencyNs };
  return l.source === undefined ? link : { ...link, source: l.source };
}

/**
 * Splits a socket's memory across sub-NUMA clusters. Each cluster owns 1/n of the memory
 * controllers, so capacity, bandwidth and the bandwidth axis of every curve divide by n while
 * latencies stay as measured (SNC's small local-latency gain is not modelled).
 *
 * @example splitMemory(dram256GiB, 2, "socket(0).memory").capacityBytes // 128 GiB in bytes
 */
export function splitMemory(m: MemorySpec, n: number, what: string): MemorySpec {
  if (n === 1) return m;
  if (m.capacityBytes % (n * PAGE_SIZE) !== 0) {
    throw new UsageError({
      what: `${what}.capacity`,
      value: m.capacityBytes,
      rule: `sub-NUMA clustering divides memory evenly, so the capacity must be a multiple of ${n} x 4KiB pages`,
      fix: `use a capacity divisible by ${n * PAGE_SIZE} bytes, e.g. "256GiB"`,
    });
  }
  return {
    ...m,
    capacityBytes: m.capacityBytes / n,
    readBandwidthGBps: m.readBandwidthGBps / n,
    writeBandwidthGBps: m.writeBandwidthGBps / n,
    curves: m.curves.map((c) => ({ ...c, points: c.points.map(([bw, lat]) => [bw / n, lat] as const) })),
  };
}
